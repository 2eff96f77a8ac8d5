"""The staff app as a place to work, in a real headless Chromium (Debian's,
driven by Playwright) through the running servers: two staff members in two
browsers take the same case at the same moment and exactly one gets it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_staff_browser import log_in

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
