"""The satisfaction question end to end in Chromium, through the running
servers: a staff member closes a case they took, the citizen's widget shows
the question as a form (axe-core: no WCAG 2.1 AA violation with it open),
the citizen chooses 4 and writes a comment with a CPR number, is thanked,
and after a reload the form is gone (the offer is spent: the server answers
409); the dashboard shows the answer, the comment masked."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from bot.db.satisfaction_models import SatisfactionAnswer, SatisfactionOffer
from tests.e2e.conftest import RunningAssistant
from tests.e2e.test_staff_browser import axe_violations
from tests.e2e.test_staff_live_browser import staff_page
from tests.e2e.test_widget_browser import AXE, REPLY_TIMEOUT, REPORTS, open_widget, say, session_id

pytestmark = pytest.mark.e2e

QUESTION = "Hvor tilfreds er du med hjælpen i dag?"
AXE_WIDGET = """async () => {
  const result = await axe.run(document.querySelector('#kommune-chat'),
    {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}));
}"""


def test_a_closed_case_is_rated_in_the_widget_and_shown_on_the_dashboard(
    running: RunningAssistant, browser: Browser
) -> None:
    running.staff_user("tove", name="Tove")
    running.staff_user("adam", role="admin", name="Adam")
    # bypass_csp: axe-core is injected as an inline script, which the demo site's CSP refuses.
    citizen_context = browser.new_context(locale="da-DK", bypass_csp=True)
    citizen = citizen_context.new_page()
    open_widget(citizen, running)
    say(citizen, running, "jeg vil gerne tale med en medarbejder", "Hvordan vil du helst kontaktes?")
    say(citizen, running, "her i chatten", "chatten")
    conversation = session_id(citizen)

    staff = staff_page(browser, running, "tove")
    staff.goto(f"{running.staff_url}/samtale/{conversation}")
    staff.get_by_role("button", name="Tag sagen").click()
    log = citizen.locator(".kc-log")
    expect(log).to_contain_text("Tove fra Eksempel Kommune har overtaget samtalen", timeout=REPLY_TIMEOUT)
    staff.get_by_label("Luk sagen med et udfald").fill("Hjulpet i chatten")
    staff.get_by_role("button", name="Luk sagen").click()
    expect(log).to_contain_text("Tove har afsluttet samtalen", timeout=REPLY_TIMEOUT)

    form = citizen.get_by_role("group", name=QUESTION)
    expect(form).to_be_visible(timeout=REPLY_TIMEOUT)
    for score in ("1 – meget utilfreds", "3 – hverken eller", "5 – meget tilfreds"):
        expect(citizen.get_by_label(score)).to_be_visible()
    citizen.add_script_tag(path=str(AXE))
    violations = citizen.evaluate(AXE_WIDGET)
    REPORTS.mkdir(parents=True, exist_ok=True)
    citizen.screenshot(path=str(REPORTS / "widget-satisfaction.png"))
    (REPORTS / "widget-satisfaction-axe.json").write_text(json.dumps(violations, indent=2) + "\n", encoding="utf-8")
    assert violations == [], json.dumps(violations, indent=1)

    rating = citizen.locator(".kc-rating")
    rating.get_by_role("button", name="Send").click()  # no score chosen yet
    expect(rating.get_by_role("alert")).to_have_text("Vælg et tal fra 1 til 5, eller tryk Spring over.")
    citizen.get_by_label("4 – tilfreds").check()
    citizen.get_by_label("Kommentar (valgfri, højst 500 tegn)", exact=False).fill(
        "Tove var rar. Mit cpr er 010203-1234"
    )
    rating.get_by_role("button", name="Send").click()
    expect(log).to_contain_text("Tak for din vurdering.", timeout=REPLY_TIMEOUT)
    expect(citizen.locator(".kc-rating")).to_have_count(0)
    expect(citizen.get_by_label("Skriv din besked")).to_be_focused()

    stored = json.loads(
        citizen.evaluate("() => Object.entries(localStorage).find(([k]) => k.startsWith('kommune-chat:'))[1]")
    )
    offer = next(m["satisfaction"]["offer"] for m in stored["messages"] if m.get("satisfaction"))
    citizen.reload()  # the widget was open, so it opens again
    expect(log).to_contain_text("Tak for din vurdering.", timeout=REPLY_TIMEOUT)
    expect(citizen.locator(".kc-rating")).to_have_count(0)
    again = citizen.evaluate(
        """async nonce => (await fetch('/widget/tilfredshed', {method: 'POST',
             headers: {'Content-Type': 'application/json'}, body: JSON.stringify({nonce, score: 1})})).status""",
        offer,
    )
    assert again == 409

    with running.sessions() as session:
        answers = [(a.goal, a.team, a.score, a.comment, a.channel) for a in session.scalars(select(SatisfactionAnswer))]
        used = session.scalars(select(SatisfactionOffer).where(SatisfactionOffer.used_at.is_not(None))).all()
    assert answers == [("staff_case", "family", 4, "Tove var rar. Mit cpr er [CPR-nummer fjernet]", "socketio")]
    assert len(used) == 1 and conversation not in json.dumps([o.nonce_hash for o in used])

    admin = staff_page(browser, running, "adam")
    admin.goto(f"{running.staff_url}/overblik")
    expect(admin.locator("ul[aria-labelledby=tilfredshed]")).to_contain_text("Svar 1")
    expect(admin.locator("ul[aria-labelledby=tilfredshed]")).to_contain_text("Gennemsnit (1–5) 4,0")
    expect(admin.get_by_role("table", name="Svar efter karakter").locator("tr", has_text="4")).to_contain_text("1")
    comments = admin.get_by_role("table", name="De seneste kommentarer (CPR-numre fjernet)")
    expect(comments).to_contain_text("Tove var rar. Mit cpr er [CPR-nummer fjernet]")
    expect(comments).to_contain_text("Sag lukket af en medarbejder")
    assert "010203" not in admin.content()
    admin_violations = axe_violations_bypassing(browser, running)
    assert admin_violations == [], json.dumps(admin_violations, indent=1)
    staff.context.close()
    admin.context.close()
    citizen_context.close()


def axe_violations_bypassing(browser: Browser, running: RunningAssistant) -> list[dict[str, object]]:
    """The dashboard with the section, checked by axe-core (the staff app's CSP allows no injected script)."""
    from tests.e2e.test_staff_browser import log_in

    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    log_in(page, running, "adam")
    page.goto(f"{running.staff_url}/overblik")
    expect(page.get_by_role("heading", name="Tilfredshed")).to_be_visible()
    violations = axe_violations(page)
    context.close()
    return violations
