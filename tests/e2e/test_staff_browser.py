"""The staff app in a real headless Chromium (Debian's, driven by Playwright),
next to a citizen in the chat widget, all through the running servers: a
danger message gets the emergency answer at once and lands in the queue as
critical; a staff member logs in, opens it, takes it, answers (the answer
reaches the citizen's chat) and closes it (the citizen is told). axe-core
checks the queue and the conversation view; the screenshots go to var/reports/"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import STAFF_PASSWORD, RunningAssistant
from tests.e2e.test_widget_browser import AXE, REPLY_TIMEOUT, REPORTS, open_widget, say, session_id

pytestmark = pytest.mark.e2e

AXE_PAGE = """async () => {
  const result = await axe.run(document,
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}));
}"""


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, object]] = page.evaluate(AXE_PAGE)
    return violations


def log_in(page: Page, running: RunningAssistant, username: str) -> None:
    page.goto(f"{running.staff_url}/")
    expect(page).to_have_url(f"{running.staff_url}/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(STAFF_PASSWORD)
    page.get_by_label("Adgangskode").press("Enter")
    expect(page.get_by_role("heading", name="Samtaler, der venter på en medarbejder")).to_be_visible()


def test_a_critical_conversation_is_answered_and_closed_by_staff(running: RunningAssistant, browser: Browser) -> None:
    running.staff_user("anne", name="Anne")
    citizen_context = browser.new_context(locale="da-DK")
    citizen = citizen_context.new_page()
    open_widget(citizen, running)
    say(citizen, running, "min kæreste slår mig og jeg tør ikke gå hjem", "112")
    # the help line for violence in the home
    expect(citizen.locator(".kc-log")).to_contain_text("Lev Uden Vold: ring 1888", timeout=REPLY_TIMEOUT)
    expect(citizen.locator(".kc-log")).to_contain_text("Hvordan vil du helst kontaktes?", timeout=REPLY_TIMEOUT)
    say(citizen, running, "her i chatten", "chatten")

    # bypass_csp: the staff app allows no injected scripts; axe-core is injected by the test.
    staff_context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 800}, bypass_csp=True)
    staff = staff_context.new_page()
    log_in(staff, running, "anne")
    # Other tests' cases may be in the queue too: find this conversation's row.
    row = staff.locator(f'tr:has(a[href="/samtale/{session_id(citizen)}"])')
    expect(row).to_have_class("critical")
    expect(row).to_contain_text("Kritisk")
    expect(row).to_contain_text("Fare")
    expect(row).to_contain_text("chat")
    queue_violations = axe_violations(staff)
    REPORTS.mkdir(parents=True, exist_ok=True)
    staff.screenshot(path=str(REPORTS / "staff-queue.png"), full_page=True)

    row.get_by_role("link", name="Åbn samtalen").click()
    expect(staff.locator(".transcript")).to_contain_text("min kæreste slår mig")
    expect(staff.locator(".transcript")).to_contain_text("express_distress")
    staff.get_by_role("button", name="Tag sagen").click()
    expect(citizen.locator(".kc-log")).to_contain_text(
        "Anne fra Eksempel Kommune har overtaget samtalen", timeout=REPLY_TIMEOUT
    )

    answer = "Hej, det er Anne fra kommunen. Er du et sikkert sted lige nu?"
    staff.get_by_label("Svar borgeren i chatten").fill(answer)
    staff.get_by_role("button", name="Send svar").click()
    expect(citizen.locator(".kc-log")).to_contain_text(answer, timeout=REPLY_TIMEOUT)

    citizen.get_by_label("Skriv din besked").fill("ja, jeg er hos min søster")
    citizen.get_by_label("Skriv din besked").press("Enter")
    staff.get_by_role("link", name="Opdater samtalen").click()
    expect(staff.locator(".transcript")).to_contain_text("ja, jeg er hos min søster")
    staff.get_by_label("Intern note (borgeren ser den ikke)").fill("Borgeren er hos sin søster. Ringer i morgen.")
    staff.get_by_role("button", name="Gem note").click()
    expect(staff.locator(".notes")).to_contain_text("Ringer i morgen")
    conversation_violations = axe_violations(staff)
    staff.screenshot(path=str(REPORTS / "staff-conversation.png"), full_page=True)

    staff.get_by_label("Luk sagen med et udfald").fill("Talt med borgeren; opfølgning i morgen")
    staff.get_by_role("button", name="Luk sagen").click()
    expect(citizen.locator(".kc-log")).to_contain_text("Anne har afsluttet samtalen", timeout=REPLY_TIMEOUT)
    say(citizen, running, "hej", "Familie med Hjerte")  # the assistant answers again

    staff.get_by_role("link", name="Kø", exact=True).click()
    expect(row).to_have_count(0)  # closed cases leave the queue
    report = {"queue": queue_violations, "conversation view": conversation_violations}
    (REPORTS / "staff-axe.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    assert queue_violations == [] and conversation_violations == [], json.dumps(report, indent=1)
    staff_context.close()
    citizen_context.close()


def test_the_staff_app_works_with_the_keyboard_only(running: RunningAssistant, browser: Browser) -> None:
    running.staff_user("bo", name="Bo")
    context = browser.new_context(locale="da-DK", viewport={"width": 1024, "height": 768})
    page = context.new_page()
    page.goto(f"{running.staff_url}/login")
    expect(page.get_by_label("Brugernavn")).to_be_focused()
    page.keyboard.type("bo")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Adgangskode")).to_be_focused()
    page.keyboard.type(STAFF_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Samtaler, der venter på en medarbejder")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Spring til indholdet")).to_be_focused()
    for _ in range(2):
        page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Samtaler")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Seneste samtaler")).to_be_visible()
    context.close()
