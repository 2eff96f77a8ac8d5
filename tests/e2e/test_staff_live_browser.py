"""The staff app as a place to work, in a real headless Chromium (Debian's,
driven by Playwright) through the running servers: two staff members in two
browsers take the same case at the same moment and exactly one gets it; a
citizen's danger message reaches a signed-in staff member's open queue
within seconds, with an alert, a sound and a notification, without a reload;
a staff answer sent while the citizen's widget page was closed is shown once
when they come back."""

from __future__ import annotations

import contextlib
import re
import time
import uuid

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.staff.context import StaffContext
from tests.e2e.conftest import STAFF_PASSWORD, RunningAssistant
from tests.e2e.test_staff_browser import AXE_PAGE, log_in
from tests.e2e.test_widget_browser import AXE, REPLY_TIMEOUT, REPORTS, open_widget, say, session_id, site

pytestmark = pytest.mark.e2e

DANGER = "min kæreste slår mig og jeg tør ikke gå hjem"
ANSWER_FORM = "Svar borgeren i chatten"


def staff_page(browser: Browser, running: RunningAssistant, username: str) -> Page:
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, running, username)
    return page


def test_two_staff_taking_one_case_at_once_exactly_one_gets_it(running: RunningAssistant, browser: Browser) -> None:
    chat = running.chat()
    chat.say(DANGER)
    assert "112" in chat.text
    pages = {who: staff_page(browser, running, running.staff_user(who)) for who in ("karin", "lars")}
    for page in pages.values():
        page.goto(f"{running.staff_url}/samtale/{chat.sender}")
        expect(page.get_by_role("button", name="Tag sagen")).to_be_visible()
    # Both forms are sent before either answer comes back.
    for page in pages.values():
        page.evaluate("() => document.querySelector('form[action$=\"/tag\"]').requestSubmit()")
    for page in pages.values():
        page.wait_for_url("**/samtale/**", wait_until="load")
        expect(page.locator("h1")).to_contain_text(chat.sender)
    got_it = [who for who, page in pages.items() if page.get_by_label(ANSWER_FORM).count() == 1]
    assert len(got_it) == 1, got_it
    other = "lars" if got_it == ["karin"] else "karin"
    alert = pages[other].get_by_role("alert")
    expect(alert).to_contain_text(f"Sagen er lige blevet taget af {got_it[0]}")
    expect(pages[other].get_by_label(ANSWER_FORM)).to_have_count(0)
    # The citizen was told once, by the one who got it.
    texts = [e.get("text") or "" for e in running.tracker(chat.sender)["events"] if e["event"] == "bot"]
    assert sum("har overtaget samtalen" in text for text in texts) == 1, texts
    for page in pages.values():
        page.context.close()


# Stands between the page and the browser's Notification: what the page asked to show.
RECORD_NOTIFICATIONS = """
window.__notifications = [];
const RealNotification = window.Notification;
window.Notification = function (title, options) {
  window.__notifications.push({title: title, body: options && options.body});
  try { return new RealNotification(title, options); } catch (e) { return {}; }
};
window.Notification.permission = 'granted';
window.Notification.requestPermission = () => Promise.resolve('granted');
"""


def test_a_danger_message_reaches_the_open_queue_live_with_an_alert(
    running: RunningAssistant, browser: Browser
) -> None:
    running.staff_user("mette", name="Mette")
    staff_context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 800})
    staff_context.add_init_script(RECORD_NOTIFICATIONS)
    staff = staff_context.new_page()
    log_in(staff, running, "mette")
    staff.evaluate("() => { window.__samePage = true; }")  # gone if the page reloads
    expect(staff.locator("body")).to_have_attribute("data-live-url", re.compile(r"^/live\?view=queue"))

    citizen_context = browser.new_context(locale="da-DK")
    citizen = citizen_context.new_page()
    open_widget(citizen, running)
    sent = time.monotonic()
    citizen.get_by_label("Skriv din besked").fill(DANGER)
    citizen.get_by_label("Skriv din besked").press("Enter")
    expect(citizen.locator(".kc-log")).to_contain_text("112", timeout=REPLY_TIMEOUT)
    answered = time.monotonic()
    row = staff.locator(f'tr:has(a[href="/samtale/{session_id(citizen)}"])')
    expect(row).to_be_visible(timeout=3000)  # within 3 seconds of the citizen's emergency answer
    shown = time.monotonic()
    expect(row).to_have_class("critical")
    alert = staff.get_by_role("alert")
    expect(alert).to_contain_text("Ny kritisk sag: Fare")
    assert staff.evaluate("() => window.__samePage") is True  # no reload
    notifications = staff.evaluate("() => window.__notifications")
    assert {"title": "Ny kritisk sag", "body": "Fare. Åbn personaleappen."} in notifications, notifications
    assert staff.locator("body").get_attribute("data-live-sound") == "1"  # the sound played once
    print(f"queue updated {shown - answered:.2f} s after the emergency answer, {shown - sent:.2f} s after sending")
    violations = axe_violations_with_csp(staff)
    REPORTS.mkdir(parents=True, exist_ok=True)
    staff.screenshot(path=str(REPORTS / "staff-live-alert.png"), full_page=True)

    # The open conversation follows the citizen too, without a reload.
    alert.get_by_role("link", name="Åbn samtalen").click()
    expect(staff.locator(".transcript")).to_contain_text("min kæreste slår mig")
    staff.evaluate("() => { window.__samePage = true; }")
    citizen.get_by_label("Skriv din besked").fill("her i chatten")
    citizen.get_by_label("Skriv din besked").press("Enter")
    expect(staff.locator(".transcript")).to_contain_text("her i chatten", timeout=5000)
    assert staff.evaluate("() => window.__samePage") is True
    assert violations == [], violations
    staff_context.close()
    citizen_context.close()


def axe_violations_with_csp(page: Page) -> list[dict[str, object]]:
    """axe-core on the page as staff get it (its CSP on: it allows no injected
    script tag, so axe is evaluated through the browser's debugging protocol)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    violations: list[dict[str, object]] = page.evaluate(AXE_PAGE)
    return violations


def test_one_staff_member_cannot_open_streams_without_end(running: RunningAssistant) -> None:
    running.staff_user("nina")
    with httpx.Client(base_url=running.staff_url, timeout=10) as client:
        login = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)  # type: ignore[union-attr]
        signed_in = client.post("/login", data={"username": "nina", "password": STAFF_PASSWORD, "csrf_token": token})
        assert signed_in.status_code == 303
        with contextlib.ExitStack() as open_streams:
            for _ in range(StaffContext.live_streams_per_user):
                stream = open_streams.enter_context(client.stream("GET", "/live"))
                assert stream.status_code == 200
            refused = client.get("/live")
            assert refused.status_code == 429 and "For mange åbne sider" in refused.text
        # Closed pages give their place back.
        deadline = time.monotonic() + 10
        while True:
            with client.stream("GET", "/live") as stream:
                if stream.status_code == 200:
                    break
            assert time.monotonic() < deadline, "closed streams did not give their place back"
            time.sleep(0.5)


def test_a_staff_answer_sent_while_the_widget_was_closed_is_shown_once(
    running: RunningAssistant, browser: Browser
) -> None:
    running.staff_user("ole", name="Ole")
    citizen_context = browser.new_context(locale="da-DK")
    citizen = citizen_context.new_page()
    open_widget(citizen, running)
    say(citizen, running, "jeg vil gerne tale med en medarbejder", "Hvordan vil du helst kontaktes?")
    say(citizen, running, "her i chatten", "chatten")
    conversation = session_id(citizen)
    citizen.close()  # the citizen leaves the page; the conversation stays in the browser's storage

    staff = staff_page(browser, running, "ole")
    staff.goto(f"{running.staff_url}/samtale/{conversation}")
    staff.get_by_role("button", name="Tag sagen").click()
    answer = f"Hej, det er Ole fra kommunen. Jeg ringer i eftermiddag (sag {uuid.uuid4().hex[:6]})."
    staff.get_by_label(ANSWER_FORM).fill(answer)
    staff.get_by_role("button", name="Send svar").click()
    expect(staff.locator(".transcript")).to_contain_text(answer)

    back = citizen_context.new_page()
    back.goto(site(running))
    back.get_by_role("button", name="Chat med Eksempel Kommune").click()
    log = back.locator(".kc-log")
    expect(log).to_contain_text(answer, timeout=REPLY_TIMEOUT)
    joined = "Ole fra Eksempel Kommune har overtaget samtalen"
    texts = back.locator(".kc-bot").all_inner_texts()
    assert sum(answer in text for text in texts) == 1 and sum(joined in text for text in texts) == 1, texts
    assert [i for i, t in enumerate(texts) if joined in t] < [i for i, t in enumerate(texts) if answer in t]
    # Back once more (a reload): the next sync asks from the new time, and nothing comes twice.
    frames: list[str] = []
    back.on("websocket", lambda ws: ws.on("framereceived", lambda frame: frames.append(str(frame))))
    back.reload()  # the widget was open, so it opens again by itself
    expect(back.get_by_label("Skriv din besked")).to_be_visible()
    deadline = time.monotonic() + 10
    while not any('"history"' in frame for frame in frames):  # the server's answer to this sync
        assert time.monotonic() < deadline, frames
        back.wait_for_timeout(100)
    back.wait_for_timeout(200)  # and the widget's handling of it
    texts = back.locator(".kc-bot").all_inner_texts()
    assert sum(answer in text for text in texts) == 1, texts
    staff.context.close()
    citizen_context.close()
