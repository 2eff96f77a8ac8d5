"""The chat widget in a real headless Chromium (Debian's, driven by Playwright)
against the running Rasa server, action server and web server: an enrollment
with buttons and typed answers and a reload in the middle, the same with the
keyboard only, axe-core with zero WCAG 2.1 AA violations, 320 px and 200 %
zoom, a server restart in the middle of a conversation, and a message whose
acknowledgement was lost sent again and handled once."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from bot.db.models import CourseEnrollment
from bot.shared.clock import danish_today
from bot.shared.municipality import current_municipality
from bot.shared.settings import ROOT
from tests.e2e.conftest import RunningAssistant

pytestmark = pytest.mark.e2e

AXE = ROOT / "bot" / "web" / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots and axe-core reports of the latest run (not tracked: a test writes no file in git).
REPORTS = ROOT / "var" / "reports"
DUE_TEXT = (danish_today() + timedelta(weeks=12)).strftime("%d.%m.%Y")
REPLY_TIMEOUT = 30_000


def site(running: RunningAssistant) -> str:
    return f"http://localhost:{running.assistant.settings.web_port}/"


def bot_messages(page: Page) -> int:
    return page.locator(".kc-bot").count()


def wait_for_reply(page: Page, running: RunningAssistant, before: int, expected: str) -> None:
    expect(page.locator(".kc-bot").nth(before)).to_be_attached(timeout=REPLY_TIMEOUT)
    expect(page.locator(".kc-log")).to_contain_text(expected, timeout=REPLY_TIMEOUT)
    # A reply can come as more than one message: wait for the end of the turn,
    # then for every message of it on the page.
    shown = before + running.turn_replies(session_id(page))
    page.wait_for_function("n => document.querySelectorAll('.kc-bot').length >= n", arg=shown, timeout=REPLY_TIMEOUT)


def say(page: Page, running: RunningAssistant, text: str, expected: str) -> None:
    before = bot_messages(page)
    page.get_by_label("Skriv din besked").fill(text)
    page.get_by_label("Skriv din besked").press("Enter")
    wait_for_reply(page, running, before, expected)


def choose(page: Page, running: RunningAssistant, title: str, expected: str) -> None:
    before = bot_messages(page)
    page.locator(".kc-message").last.get_by_role("button", name=title).click()
    expect(page.get_by_label("Skriv din besked")).to_be_focused()
    wait_for_reply(page, running, before, expected)


def open_widget(page: Page, running: RunningAssistant) -> None:
    page.goto(site(running))
    page.get_by_role("button", name="Chat med Eksempel Kommune").click()
    privacy = page.get_by_role("region", name="Før du skriver")
    expect(privacy).to_contain_text(current_municipality().privacy.chat_notice)
    page.get_by_role("button", name="OK, jeg har forstået").click()
    expect(page.get_by_label("Skriv din besked")).to_be_focused()


def session_id(page: Page) -> str:
    stored = page.evaluate("() => Object.entries(localStorage).find(([k]) => k.startsWith('kommune-chat:'))[1]")
    return str(json.loads(stored)["sessionId"])


def reference_in(page: Page) -> str:
    match = re.search(r"FMH-[A-Z0-9]{5}", page.locator(".kc-log").inner_text())
    assert match, page.locator(".kc-log").inner_text()
    return match.group(0)


def enrollment(running: RunningAssistant, reference: str) -> CourseEnrollment:
    with running.sessions() as session:
        row = session.scalars(select(CourseEnrollment).where(CourseEnrollment.reference_code == reference)).one()
        session.expunge(row)
        return row


def test_enrol_with_buttons_and_typing_and_a_reload_in_the_middle(
    running: RunningAssistant, context: BrowserContext
) -> None:
    page = context.new_page()
    open_widget(page, running)
    say(page, running, "hej", "Familie med Hjerte")
    choose(page, running, "Tilmeld os kurset", "Hvad er dit navn?")
    say(page, running, "Sofie Nørgaard", "Er jeres barn født?")
    choose(page, running, "Nej, vi venter stadig", "termin")
    say(page, running, DUE_TEXT, "partner")

    page.reload()
    expect(page.locator(".kc-log")).to_contain_text("partner")
    expect(page.get_by_label("Skriv din besked")).to_be_focused()
    choose(page, running, "Nej, kun mig", "e-mail")
    say(page, running, "sofie.widget@example.dk", "Passer det")
    before = bot_messages(page)
    page.locator(".kc-message").last.locator(".kc-choice").first.click()  # "Ja, tilmeld os"
    wait_for_reply(page, running, before, "I er tilmeldt")

    row = enrollment(running, reference_in(page))
    assert (row.parent_name, row.email, row.conversation_id) == (
        "Sofie Nørgaard",
        "sofie.widget@example.dk",
        session_id(page),
    )
    second_tab = context.new_page()
    second_tab.goto(site(running))
    second_tab.get_by_role("button", name="Chat med Eksempel Kommune").click()
    expect(second_tab.locator(".kc-log")).to_contain_text("I er tilmeldt")


def test_enrol_with_the_keyboard_only(running: RunningAssistant, context: BrowserContext) -> None:
    page = context.new_page()
    page.goto(site(running))
    launcher = page.get_by_role("button", name="Chat med Eksempel Kommune")
    for _ in range(20):
        page.keyboard.press("Tab")
        if launcher.evaluate("button => button === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="OK, jeg har forstået")).to_be_focused()
    page.keyboard.press("Enter")
    box = page.get_by_label("Skriv din besked")
    expect(box).to_be_focused()

    def type_and_wait(text: str, expected: str) -> None:
        before = bot_messages(page)
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        wait_for_reply(page, running, before, expected)

    def press_button_before_the_input(steps_back: int, expected: str) -> None:
        before = bot_messages(page)
        for _ in range(steps_back):
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        expect(box).to_be_focused()
        wait_for_reply(page, running, before, expected)

    type_and_wait("hej", "Familie med Hjerte")
    # Two steps back from the input: the greeting's "Tilmeld os kurset" (before "Se vores tilmelding").
    press_button_before_the_input(2, "Hvad er dit navn?")
    type_and_wait("Ahmed Hassan", "Er jeres barn født?")
    type_and_wait("nej", "termin")
    type_and_wait(DUE_TEXT, "partner")
    type_and_wait("min kone Leila", "e-mail")
    type_and_wait("ahmed.keyboard@example.dk", "Passer det")
    # Two steps back from the input: the summary's "Ja, tilmeld os" (before "Nej, gem ikke noget").
    press_button_before_the_input(2, "I er tilmeldt")
    assert enrollment(running, reference_in(page)).email == "ahmed.keyboard@example.dk"

    page.keyboard.press("Escape")
    expect(page.locator("#kc-panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_no_wcag_aa_violations_and_usable_at_320px_and_200_percent_zoom(
    running: RunningAssistant, browser: Browser
) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    # 200 % zoom of a 1280 x 720 window is a 640 x 360 CSS-pixel viewport.
    viewports = [("320px", {"width": 320, "height": 640}), ("200-percent-zoom", {"width": 640, "height": 360})]
    for name, viewport in viewports:
        # axe-core is injected as an inline script, which the demo site's
        # Content-Security-Policy (rightly) refuses: the test's own tool only.
        context = browser.new_context(viewport=viewport, reduced_motion="reduce", locale="da-DK", bypass_csp=True)
        page = context.new_page()
        page.goto(site(running))
        page.get_by_role("button", name="Chat med Eksempel Kommune").click()
        page.add_script_tag(path=str(AXE))
        privacy_violations = page.evaluate(AXE_RUN)
        page.get_by_role("button", name="OK, jeg har forstået").click()
        say(page, running, "hej", "Familie med Hjerte")
        violations = page.evaluate(AXE_RUN)
        assert privacy_violations == [] and violations == [], json.dumps(privacy_violations + violations, indent=1)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        for control in ["Send", "Tal med en medarbejder", "Ny samtale", "Luk chatten"]:
            expect(page.get_by_role("button", name=control)).to_be_in_viewport()
        if name == "320px":
            page.screenshot(path=str(REPORTS / "widget-320px.png"))
            report = {
                "axe": page.evaluate("() => axe.version"),
                "tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
                "privacy notice open": privacy_violations,
                "after a greeting with buttons": violations,
            }
            (REPORTS / "widget-axe.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        context.close()


AXE_RUN = """async () => {
  const result = await axe.run(document.querySelector('#kommune-chat'),
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}));
}"""


def test_talk_to_a_person_and_start_a_new_conversation(running: RunningAssistant, context: BrowserContext) -> None:
    page = context.new_page()
    open_widget(page, running)
    say(page, running, "hej", "Familie med Hjerte")
    first = session_id(page)
    before = bot_messages(page)
    page.get_by_role("button", name="Tal med en medarbejder").click()
    wait_for_reply(page, running, before, "Hvordan vil du helst kontaktes?")
    page.get_by_role("button", name="Ny samtale").click()
    expect(page.locator(".kc-message")).to_have_count(0)
    say(page, running, "hej", "Familie med Hjerte")
    assert session_id(page) != first


def test_the_widget_keeps_only_the_masked_form_of_a_cpr_number(
    running: RunningAssistant, context: BrowserContext
) -> None:
    page = context.new_page()
    open_widget(page, running)
    say(page, running, "min søns cpr er 01.02.03\u00a0-\u00a01234, kan han komme med?", "CPR-nummer")
    expect(page.locator(".kc-user").last).to_contain_text("[CPR-nummer fjernet]", timeout=REPLY_TIMEOUT)
    stored = page.evaluate("() => JSON.stringify(Object.entries(localStorage))")
    assert "1234" not in stored and "01.02.03" not in stored and "[CPR-nummer fjernet]" in stored
    assert "1234" not in page.locator(".kc-log").inner_text()
    page.reload()
    page.get_by_role("button", name="Chat med Eksempel Kommune").click()
    expect(page.locator(".kc-log")).to_contain_text("[CPR-nummer fjernet]")
    assert "1234" not in page.locator(".kc-log").inner_text()


def test_server_restart_in_the_middle_of_a_conversation(running: RunningAssistant, context: BrowserContext) -> None:
    page = context.new_page()
    open_widget(page, running)
    say(page, running, "hej", "Familie med Hjerte")
    running.assistant.stop()
    try:
        expect(page.locator(".kc-status")).to_contain_text("Forbindelsen er afbrudt", timeout=REPLY_TIMEOUT)
        page.get_by_label("Skriv din besked").fill("hvad er familie med hjerte")
        page.get_by_label("Skriv din besked").press("Enter")
        expect(page.locator(".kc-user").last).to_contain_text("Venter på forbindelse")
    finally:
        running.assistant.start()  # whatever failed above, the later tests get running servers
    expect(page.locator(".kc-log")).to_contain_text("gratis forløb", timeout=60_000)
    expect(page.locator(".kc-user").last).not_to_contain_text("Venter på forbindelse")


# Keeps the widget's socket where the test can reach it (window.io is the socket.io client's factory).
CAPTURE_SOCKET = """
(() => {
  let factory;
  Object.defineProperty(window, "io", {
    configurable: true,
    get() { return factory; },
    set(io) {
      factory = function () { return (window.chatSocket = io.apply(this, arguments)); };
      Object.assign(factory, io);
    },
  });
})();
"""


def outbox(page: Page) -> list[dict[str, str]]:
    stored = page.evaluate("() => Object.entries(localStorage).find(([k]) => k.startsWith('kommune-chat:'))[1]")
    return list(json.loads(stored).get("outbox") or [])


def test_a_message_whose_acknowledgement_was_lost_is_sent_again_and_handled_once(
    running: RunningAssistant, context: BrowserContext
) -> None:
    """The server handled a message, but its acknowledgement never reached the
    widget (the socket dropped, as when its server dies): the widget sends it
    again with its id once the socket is back, and the server, which has it,
    does not handle it again (bot/rasa_server/resend.py)."""
    page = context.new_page()
    page.add_init_script(CAPTURE_SOCKET)
    open_widget(page, running)
    say(page, running, "hej", "Familie med Hjerte")
    page.evaluate(
        "() => { window.chatSocket.keptOnack = window.chatSocket.onack; window.chatSocket.onack = () => {}; }"
    )
    say(page, running, "hvad er familie med hjerte", "gratis forløb")
    (kept,) = outbox(page)  # handled, but not acknowledged: still kept
    assert kept["payload"] == "hvad er familie med hjerte" and re.fullmatch(r"[0-9a-f-]{36}", kept["id"])
    replies = page.locator(".kc-bot").count()

    page.evaluate(
        "() => { window.chatSocket.onack = window.chatSocket.keptOnack; window.chatSocket.io.engine.close(); }"
    )
    stored = "Object.entries(localStorage).find(([k]) => k.startsWith('kommune-chat:'))[1]"
    page.wait_for_function(f"() => JSON.parse({stored}).outbox.length === 0", timeout=REPLY_TIMEOUT)  # acknowledged
    page.wait_for_timeout(2000)  # a reply the copy got would have come by now
    events = running.tracker(session_id(page))["events"]
    users = [event.get("text") for event in events if event["event"] == "user"]
    assert users == ["hej", "hvad er familie med hjerte"]  # the copy was not handled
    assert [event["message_id"] for event in events if event["event"] == "user"][-1] == kept["id"]
    assert page.locator(".kc-bot").count() == replies  # and nothing shown twice
    assert page.locator(".kc-user").count() == 2
