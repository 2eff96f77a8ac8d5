"""Service texts edited in the staff app, in a real headless Chromium
(Debian's, driven by Playwright) through the running servers: an editor
opens a service's text, is refused a link that is not https with a Danish
reason, previews the new answer and saves it; the citizen's next question in
the chat widget gets the new text, without retraining or a restart. A
revert in the app brings the old text back to the widget. axe-core checks
the list, the form with a refusal, with the preview, and after saving
with the history."""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.db.services import get_service
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_staff_browser import axe_violations, log_in
from tests.e2e.test_widget_browser import REPORTS, open_widget, say

pytestmark = pytest.mark.e2e

TOPIC = "tandpleje"
QUESTION = "skal vi betale for tandlæge til vores børn"


def saved_answer(running: RunningAssistant) -> str:
    with running.sessions() as session:
        row = get_service(session, TOPIC)
        assert row is not None
        return row.answer


def ask_in_the_widget(browser: Browser, running: RunningAssistant, expected: str) -> str:
    context = browser.new_context(locale="da-DK")
    citizen = context.new_page()
    open_widget(citizen, running)
    say(citizen, running, QUESTION, expected)
    log = citizen.locator(".kc-log").inner_text()
    context.close()
    return log


def test_a_text_edited_in_the_app_is_the_next_answer_in_the_widget(running: RunningAssistant, browser: Browser) -> None:
    original = saved_answer(running)
    new_answer = (
        f"Tandplejen er gratis for børn og unge under 22 år. Ring og book en tid (prøve {uuid.uuid4().hex[:6]})."
    )
    running.staff_user("rie", role="editor", name="Rie")
    # bypass_csp: the staff app allows no injected scripts; axe-core is injected by the test.
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    staff: Page = context.new_page()
    log_in(staff, running, "rie")
    staff.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Tekster").click()
    expect(staff.get_by_role("heading", name="Assistentens tekster om kommunens tilbud")).to_be_visible()
    violations = {"list": axe_violations(staff)}
    REPORTS.mkdir(parents=True, exist_ok=True)
    staff.screenshot(path=str(REPORTS / "staff-texts.png"), full_page=True)

    staff.get_by_role("link", name="Tandplejen", exact=True).click()
    expect(staff.get_by_role("heading", name="Ret teksten om Tandplejen")).to_be_visible()
    expect(staff.get_by_label("Kort svar")).to_have_value(original)
    expect(staff.get_by_text("Sidst gennemset")).to_be_visible()

    staff.get_by_label("Kort svar").fill(new_answer)
    staff.get_by_label("Link", exact=True).fill("http://kommune.dk/tandpleje")
    staff.get_by_role("button", name="Gem").click()
    expect(staff.locator("#error-link")).to_contain_text(
        "skal være en sikker internetadresse, der begynder med https://"
    )
    expect(staff.get_by_label("Kort svar")).to_have_value(new_answer)  # what was typed is kept
    violations["refusal"] = axe_violations(staff)
    staff.screenshot(path=str(REPORTS / "staff-text-refused.png"), full_page=True)
    assert saved_answer(running) == original

    staff.get_by_label("Link", exact=True).fill("https://kommune.dk/tandpleje")
    staff.get_by_role("button", name="Vis forhåndsvisning").click()
    preview = staff.locator('[data-preview="answer"]')
    expect(preview).to_contain_text(new_answer)
    expect(preview).to_contain_text("Ja, giv mig kontaktoplysninger")
    expect(staff.locator('[data-preview="read_more"]')).to_contain_text("https://kommune.dk/tandpleje")
    violations["preview"] = axe_violations(staff)
    staff.screenshot(path=str(REPORTS / "staff-text-preview.png"), full_page=True)
    assert saved_answer(running) == original  # a preview saves nothing

    staff.get_by_role("button", name="Gem").click()
    expect(staff.get_by_role("status")).to_contain_text("Gemt. Næste svar i chatten bruger den nye tekst.")
    assert saved_answer(running) == new_answer
    expect(staff.get_by_role("heading", name="Historik")).to_be_visible()
    violations["saved, with the history"] = axe_violations(staff)
    staff.screenshot(path=str(REPORTS / "staff-text-saved.png"), full_page=True)
    assert new_answer in ask_in_the_widget(browser, running, new_answer)

    staff.locator("form[action*='/gendan/'] button").first.click()
    expect(staff.get_by_role("status")).to_contain_text("Gendannet")
    assert saved_answer(running) == original
    log = ask_in_the_widget(browser, running, original)
    assert original in log and new_answer not in log
    context.close()

    (REPORTS / "staff-texts-axe.json").write_text(json.dumps(violations, indent=2) + "\n", encoding="utf-8")
    assert all(found == [] for found in violations.values()), json.dumps(violations, indent=1)
