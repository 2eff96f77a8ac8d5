"""The demo site's phone page (/telefon, bot/web/phone.py) in a real headless
Chromium (Debian's, driven by Playwright) against the running servers and the
local SMS gateway: a young person whose number is registered types a text
and sees the answer appear (phone.js fetches it), and axe-core finds no
WCAG 2.1 AA violations on the page, before and after."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from bot.shared.clock import danish_today
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_widget_browser import AXE, REPLY_TIMEOUT

pytestmark = pytest.mark.e2e

NUMBER = "+45 20 00 03 01"  # this test's own; test_sms_http.py uses others
AXE_PAGE = """async () => {
  const result = await axe.run(document,
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}));
}"""


def registered_young_person(running: RunningAssistant) -> None:
    """A young person of this test's own (the seeded ones are shared with other tests), with the number."""
    reference = f"UNG-{uuid.uuid4().hex[:6].upper()}"
    ends = f"{danish_today() + timedelta(days=400):%Y-%m-%d}"
    running.cli(
        "youth",
        "add",
        reference,
        "--name",
        "Freja",
        "--mentor",
        "Birgitte",
        "--mentor-contact",
        "70 10 20 36",
        "--aftercare-ends",
        ends,
    )
    assert "sms fra" in running.cli("sms", "number", reference, NUMBER)


def test_a_registered_young_person_texts_on_the_phone_page_with_no_wcag_aa_violations(
    running: RunningAssistant, browser: Browser
) -> None:
    registered_young_person(running)
    # axe-core is injected as an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(locale="da-DK", bypass_csp=True, reduced_motion="reduce")
    page = context.new_page()
    page.goto(f"http://localhost:{running.assistant.settings.web_port}/telefon?nummer={NUMBER}")
    expect(page.get_by_role("heading", name="Skriv sms til kommunen (demo)")).to_be_visible()
    page.add_script_tag(path=str(AXE))
    before = page.evaluate(AXE_PAGE)
    page.get_by_label("Din besked").fill("hvilke møder har jeg?")
    page.get_by_role("button", name="Send sms").click()
    texts = page.locator("#beskeder")
    expect(texts.locator("li.ind")).to_contain_text(["hvilke møder har jeg?"])
    expect(texts.locator("li.ud").first).to_contain_text("møder", timeout=REPLY_TIMEOUT)
    assert "registrere dit mobilnummer" not in texts.inner_text()  # the number was known
    page.add_script_tag(path=str(AXE))  # the form's post reloaded the page
    after = page.evaluate(AXE_PAGE)
    assert before == [] and after == [], json.dumps(before + after, indent=1)
    context.close()
