"""Text is rendered as text, never as HTML from text: in Debian's Chromium,
more than 40 injection payloads reach the chat widget as bot and staff
replies (through Rasa's API, the way the staff app's answers and the
reminder job's messages reach it) and as a stored programme name (a young
person's education status), and the staff app's transcript shows them too. No script runs, no element but
the allowed ones appears, every link is http(s), mailto or tel and opens
with noopener, and the payload's text is on the screen as text."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bot.db.education import record_education
from bot.db.youth import get_by_reference
from bot.rasa_client import api_headers, bot_message
from bot.shared.clock import danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_staff_browser import log_in
from tests.e2e.test_widget_browser import REPLY_TIMEOUT, open_widget, say, session_id

pytestmark = pytest.mark.e2e

PAYLOADS = [
    "<script>window.__pwned.push('script')</script>",
    "<img src=x onerror=\"window.__pwned.push('img')\">",
    "<svg onload=\"window.__pwned.push('svg')\"></svg>",
    "<svg><script>window.__pwned.push('svg-script')</script></svg>",
    "<iframe src=\"javascript:window.parent.__pwned.push('iframe')\"></iframe>",
    "<a href=\"javascript:window.__pwned.push('a')\">klik</a>",
    "[klik](javascript:window.__pwned.push('md-js'))",
    "[klik](JaVaScRiPt:window.__pwned.push('md-case'))",
    "[klik](data:text/html,<script>window.__pwned.push('data')</script>)",
    "[klik](vbscript:msgbox(1))",
    "[x](https://a/(https://onmouseover=window.__pwned.push('breakout')//)",
    "[x](https://a.dk\" onmouseover=\"window.__pwned.push('quote'))",
    "https://a.dk/\"onmouseover=\"window.__pwned.push('bare')",
    "**<b onmouseover=\"window.__pwned.push('bold')\">fed</b>**",
    "**[x](javascript:window.__pwned.push('bold-link'))**",
    "[**x**](javascript:window.__pwned.push('link-bold'))",
    "- <img src=x onerror=window.__pwned.push('list')>",
    "* [x](javascript:window.__pwned.push('list-link'))",
    "&lt;script&gt;window.__pwned.push('entity')&lt;/script&gt;",
    "&#60;img src=x onerror=window.__pwned.push('num-entity')&#62;",
    "%3Cscript%3Ewindow.__pwned.push('pct')%3C/script%3E",
    "<details open ontoggle=\"window.__pwned.push('details')\">",
    "<body onload=\"window.__pwned.push('body')\">",
    "<style>@import 'javascript:window.__pwned.push(1)';</style>",
    "<link rel=stylesheet href=\"javascript:window.__pwned.push('link')\">",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned.push(\'meta\')">',
    "<object data=\"javascript:window.__pwned.push('object')\"></object>",
    "<embed src=\"javascript:window.__pwned.push('embed')\">",
    "<form action=\"javascript:window.__pwned.push('form')\"><button>x</button></form>",
    "<input autofocus onfocus=\"window.__pwned.push('input')\">",
    "<video><source onerror=\"window.__pwned.push('video')\"></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned.push('mxss')>",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__pwned.push('noscript')>\">",
    "\"><img src=x onerror=window.__pwned.push('attr')>",
    "'><svg/onload=window.__pwned.push('attr2')>",
    "[[x](javascript:window.__pwned.push('nested'))](https://a.dk)",
    "[x](https://a.dk)](javascript:window.__pwned.push('broken'))",
    "**unclosed [link](https://ok.dk",
    "<scr<script>ipt>window.__pwned.push('split')</scr</script>ipt>",
    "javascript:window.__pwned.push('bare-js')",
    "[x](\tjavascript:window.__pwned.push('tab'))",
    "<a href=\"&#106;avascript:window.__pwned.push('ent-href')\">x</a>",
    "[mail](mailto:a@b.dk) [ring](tel:70102030) [web](https://www.eksempel-kommune.dk)",
]
# Payloads that are HTML and no markdown: each must be on the screen exactly as written.
PLAIN_HTML = [
    payload for payload in PAYLOADS if payload.startswith("<") and not any(mark in payload for mark in ("*", "[", "- "))
]
ALLOWED = {"P", "UL", "LI", "STRONG", "A"}
# A payload's <img src=x onerror=…> would run its handler once the image has
# failed to load: wait for every image on the page to be done, not a fixed time.
IMAGES_SETTLED = "() => Array.from(document.images).every(image => image.complete)"
CHECK = """() => {
  const bubbles = [...document.querySelectorAll('.kc-bot .kc-bubble, .transcript .text')];
  const elements = bubbles.flatMap(b => [...b.querySelectorAll('*')]);
  return {
    tags: [...new Set(elements.map(e => e.tagName))],
    attributes: [...new Set(elements.flatMap(e => [...e.attributes].map(a => a.name)))],
    links: [...document.querySelectorAll('.kc-bot a')].map(a => [a.protocol, a.rel]),
    pwned: window.__pwned,
  };
}"""


STAFF_CHECK = """() => {
  const elements = [...document.querySelectorAll('main .transcript .text *')];
  return {
    tags: [...new Set(elements.map(e => e.tagName))],
    attributes: [...new Set(elements.flatMap(e => [...e.attributes].map(a => a.name)))],
    links: [...document.querySelectorAll('main .transcript .text a')].map(a => [a.protocol, a.rel]),
  };
}"""


def watch(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.add_init_script("window.__pwned = [];")
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def staff_view(
    context: BrowserContext, running: RunningAssistant, conversation: str, where: str, expected: str
) -> Page:
    """The conversation in the staff app, signed in as an admin, once it shows `expected`; no script ran."""
    staff_page = context.new_page()
    dialogs = watch(staff_page)
    log_in(staff_page, running, running.staff_user(f"rendering-{uuid.uuid4().hex[:6]}", role="admin"))
    staff_page.goto(f"{running.staff_url}/samtale/{conversation}")
    expect(staff_page.locator(where)).to_contain_text(expected)
    staff_page.wait_for_function(IMAGES_SETTLED)
    assert staff_page.evaluate("() => window.__pwned") == [] and dialogs == []
    return staff_page


def assert_inert(page: Page, dialogs: list[str]) -> None:
    found = page.evaluate(CHECK)
    assert found["pwned"] == [] and dialogs == []
    assert set(found["tags"]) <= ALLOWED, found["tags"]
    assert set(found["attributes"]) <= {"href", "target", "rel"}, found["attributes"]
    assert all(
        protocol in ("https:", "http:", "mailto:", "tel:") and rel == "noopener noreferrer"
        for protocol, rel in found["links"]
    ), found["links"]


def test_bot_and_staff_replies_are_shown_as_text(running: RunningAssistant, context: BrowserContext) -> None:
    page = context.new_page()
    dialogs = watch(page)
    open_widget(page, running)
    say(page, running, "hej", "Familie med Hjerte")
    conversation = session_id(page)
    settings = running.assistant.settings
    for payload in PAYLOADS:
        answer = httpx.post(
            f"{settings.rasa_url}/conversations/{conversation}/tracker/events",
            params={"output_channel": "latest", "execute_side_effects": "true"},
            headers=api_headers(settings.rasa_api_secret),
            json=[bot_message(payload, "e2e")],
            timeout=30,
        )
        assert answer.status_code == 200
    expect(page.locator(".kc-bot")).to_have_count(len(PAYLOADS) + 1, timeout=REPLY_TIMEOUT)
    page.wait_for_function(IMAGES_SETTLED)
    assert_inert(page, dialogs)
    shown = page.locator(".kc-log").inner_text()
    assert "<script>window.__pwned.push('script')</script>" in shown  # the text itself, as text
    assert "<img src=x onerror=" in shown
    # The staff app's transcript shows the same messages, also as text.
    staff_page = staff_view(context, running, conversation, "main", "window.__pwned.push('script')")
    # The same rules as the widget's: only the allowed elements and attributes, only safe links with noopener.
    found = staff_page.evaluate(STAFF_CHECK)
    assert set(found["tags"]) <= ALLOWED, found["tags"]
    assert set(found["attributes"]) <= {"href", "target", "rel"}, found["attributes"]
    assert found["links"] and all(
        protocol in ("https:", "http:", "mailto:", "tel:") and rel == "noopener noreferrer"
        for protocol, rel in found["links"]
    ), found["links"]
    # Every payload that is HTML and no markdown is on both screens exactly as written.
    staff_text = staff_page.locator("main .transcript").inner_text()
    assert [payload for payload in PLAIN_HTML if payload not in shown or payload not in staff_text] == []


def test_a_stored_programme_name_is_shown_as_text(running: RunningAssistant, context: BrowserContext) -> None:
    with running.sessions.begin() as session:
        profile = get_by_reference(session, "UNG-002")
        assert profile is not None
        record_education(
            session,
            profile,
            kind="started",
            programme="<img src=x onerror=window.__pwned.push('programme')>**hf**",
            institution="[VUC](javascript:window.__pwned.push('school'))",
            occurred_on=danish_today(),
        )
    page = context.new_page()
    dialogs = watch(page)
    open_widget(page, running)
    output = running.cli("youth", "pair", "UNG-002", "--by", "ab")
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", output)
    assert code
    say(page, running, "jeg vil logge ind med min kode", "kode")
    say(page, running, code.group(0), "Tak")
    say(page, running, "hvordan står det til med min uddannelse", "onerror")
    assert_inert(page, dialogs)
    assert "<img src=x onerror=window.__pwned.push('programme')>" in page.locator(".kc-log").inner_text()
    # Every payload as a stored name: the status shows the three latest changes, each with its programme and
    # institution, so six payloads a turn (within the messages-a-minute limit).
    for start in range(0, len(PAYLOADS), 6):
        batch = PAYLOADS[start : start + 6]
        with running.sessions.begin() as session:
            profile = get_by_reference(session, "UNG-002")
            assert profile is not None
            for programme, institution in zip(batch[::2], [*batch[1::2], None], strict=False):
                record_education(
                    session,
                    profile,
                    kind="started",
                    programme=programme,
                    institution=institution,
                    occurred_on=danish_today(),
                )
        say(page, running, "hvordan står det til med min uddannelse", "")
    assert_inert(page, dialogs)
    shown = page.locator(".kc-log").inner_text()
    assert [payload for payload in PLAIN_HTML if payload not in shown] == []
    # The staff app's view of the young person shows the same names, escaped.
    staff_page = staff_view(context, running, session_id(page), "[data-youth]", "UNG-002")
    # the young person's section holds only text elements, apart from the staff app's own mobile number form
    shown = "[data-youth] *:not(p, strong, h3, ul, li, span, div):not(form[action$='/mobil'], form[action$='/mobil'] *)"
    assert staff_page.locator(shown).count() == 0
