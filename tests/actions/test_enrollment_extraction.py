"""The enrollment form takes everything a message gives: the whole validation
action (extraction, validation, the next question) run as the Rasa server
runs it, on the real domain and real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.enrollment_form import FORM_SLOTS, ActionAskTeamCode, ValidateEnrollmentForm, teams_for
from bot.dates import format_danish_date
from bot.db.models import CourseTeam
from bot.shared.clock import danish_today
from tests.helpers import make_tracker, responses

form = ValidateEnrollmentForm()
TODAY = danish_today()


def run_form(
    domain: dict[str, Any],
    text: str,
    asked: str | None,
    slots: dict[str, Any] | None = None,
    intent: str = "inform",
    raw: Any = None,
    said_before: tuple[str, ...] = (),
) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """One user message while the form asks `asked`. `raw` is what Rasa's own
    slot mapping put in the asked slot (from_text, from_intent), if anything.
    Returns the slots the action set, its responses, and all slots after."""
    events: list[dict[str, Any]] = [{"event": "user", "text": said} for said in said_before]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (slots or {}).items()]
    events += [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}},
        {"event": "slot", "name": "requested_slot", "value": asked},
        {"event": "action", "name": "enrollment_form"},
    ]
    before = dict(slots or {}) | {"requested_slot": asked}
    if raw is not None and asked:
        events.append({"event": "slot", "name": asked, "value": raw})
        before[asked] = raw
    tracker = make_tracker(slots=before, text=text, intent=intent, events=events, active_loop="enrollment_form")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(form.run(dispatcher, tracker, domain))
    set_now = {e["name"]: e["value"] for e in result if e["event"] == "slot"}
    return set_now, responses(dispatcher), before | set_now


def next_question(slots: dict[str, Any]) -> str | None:
    skip = {"partner_name"} if slots.get("partner_joins") is False else set()
    return next((s for s in FORM_SLOTS if s not in skip and slots.get(s) is None), None)


def danish(day: date) -> str:
    return format_danish_date(day).rsplit(" ", 1)[0]  # "3. april", as parents write it


def test_one_message_answers_five_questions(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    text = f"Maja Nielsen, termin {danish(due_in_three_months)}, min kæreste Jonas kommer med, maja@x.dk"
    set_now, said, after = run_form(domain, text, "parent_name", raw=text)
    assert {k: after.get(k) for k in FORM_SLOTS[:7]} == {
        "parent_name": "Maja Nielsen",
        "child_born": False,
        "child_date": due_in_three_months.isoformat(),
        "partner_joins": True,
        "partner_name": "Jonas",
        "contact": "maja@x.dk",
        "team_code": teams_for(session, due_in_three_months)[0].code,  # the fitting team that starts first
    }
    assert "enrollment_outcome" not in set_now and after.get("first_child") is None and said == []
    # Straight to the summary: no question about the first child, the team or the consent.
    assert next_question(after) == "enrollment_confirmed"


def test_a_partner_answer_nlu_took_for_a_question_fills_the_partner(domain: dict[str, Any]) -> None:
    # The mapping's not_intent keeps ask_audience out, so Rasa extracted nothing:
    # the form's own reading takes the turn (Rasa runs the form before the rules).
    set_now, said, after = run_form(
        domain,
        "min kæreste Jonas kommer også med",
        "partner_joins",
        slots=answered_up_to("partner_joins"),
        intent="ask_audience",
    )
    assert (set_now["partner_joins"], set_now["partner_name"]) == (True, "Jonas")
    assert said == [] and next_question(after) == "contact"


def test_an_email_when_asked_about_the_partner_is_the_contact_without_scolding(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    set_now, said, after = run_form(
        domain, "maja@x.dk", "partner_joins", slots=answered_up_to("partner_joins"), raw="maja@x.dk"
    )
    assert set_now["contact"] == "maja@x.dk" and set_now["partner_joins"] is None
    assert "utter_ask_yes_or_no" not in said
    assert next_question(after) == "partner_joins"


def test_the_answer_itself_to_a_yes_no_question(domain: dict[str, Any]) -> None:
    start = answered_up_to("partner_joins")
    alone, _, after = run_form(domain, "nej, jeg er alene", "partner_joins", start, intent="deny", raw=False)
    assert alone["partner_joins"] is False and next_question(after) == "contact"
    named, _, after = run_form(domain, "ja, Jonas", "partner_joins", start, intent="affirm", raw=True)
    assert (named["partner_joins"], named["partner_name"]) == (True, "Jonas")
    comes, said, _ = run_form(domain, "Jonas kommer med 😊", "partner_joins", start, raw="Jonas kommer med 😊")
    assert (comes["partner_joins"], comes["partner_name"]) == (True, "Jonas") and said == []
    two, _, after = run_form(domain, "vi er to", "partner_joins", start, raw="vi er to")
    assert two["partner_joins"] is True and next_question(after) == "partner_name"


def test_a_date_when_asked_for_the_name_is_kept_and_the_name_asked_again(domain: dict[str, Any]) -> None:
    due = TODAY + timedelta(weeks=10)
    text = f"vi har termin {danish(due)}"
    set_now, said, after = run_form(domain, text, "parent_name", raw=text)
    assert (set_now["child_born"], set_now["child_date"]) == (False, due.isoformat())
    assert set_now["parent_name"] is None and said == ["utter_enrollment_noted"]  # taken, and said so
    assert next_question(after) == "parent_name"


def test_a_filled_answer_is_not_overwritten_without_a_correction(domain: dict[str, Any]) -> None:
    slots = answered_up_to("partner_joins")
    other = date.fromisoformat(slots["child_date"]) + timedelta(days=3)
    set_now, _, after = run_form(domain, f"termin {danish(other)}", "partner_joins", slots, raw="termin")
    assert "child_date" not in set_now and after["child_date"] == slots["child_date"]


def test_a_question_with_partner_words_answers_nothing(domain: dict[str, Any]) -> None:
    set_now, _, _ = run_form(
        domain,
        "kommer min kæreste også med på holdet?",
        "partner_joins",
        answered_up_to("partner_joins"),
        intent="ask_audience",
    )
    assert {k: v for k, v in set_now.items() if k != "requested_slot"} == {}


def test_danger_and_stop_are_never_answers(domain: dict[str, Any]) -> None:
    for intent in ("express_distress", "stop", "request_human"):
        set_now, _, _ = run_form(
            domain,
            "min kæreste Jonas kommer med, maja@x.dk",
            "partner_joins",
            answered_up_to("partner_joins"),
            intent=intent,
        )
        assert {k: v for k, v in set_now.items() if k != "requested_slot"} == {}, intent


def summary_slots(session: Session, due: date) -> dict[str, Any]:
    """The answers when the summary is shown: the team chosen by the form."""
    return {
        "parent_name": "Maja Nielsen",
        "child_born": False,
        "child_date": due.isoformat(),
        "partner_joins": True,
        "partner_name": "Jonah",
        "contact": "maja@x.dk og 22 33 44 55",
        "contact_email": "maja@x.dk",
        "contact_phone": "+4522334455",
        "team_code": teams_for(session, due)[0].code,
    }


def test_a_date_corrected_at_the_summary(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    new = due_in_three_months + timedelta(days=1)
    text = f"nej, det er {danish(new)}"
    set_now, said, after = run_form(domain, text, "enrollment_confirmed", slots, intent="deny", raw=False)
    assert set_now["child_date"] == new.isoformat()
    # The "nej" of a correction is no refusal to store: nothing ends, no consent either way.
    assert after["enrollment_confirmed"] is None and "enrollment_outcome" not in set_now
    assert after.get("consent") is None
    assert after["team_code"] == slots["team_code"]
    assert said == ["utter_enrollment_corrected"] and next_question(after) == "enrollment_confirmed"


def test_a_correction_that_does_not_hold_keeps_the_answer(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    past = TODAY - timedelta(days=20)
    text = f"nej, det er {past.strftime('%d.%m.%Y')}"
    _, said, after = run_form(domain, text, "enrollment_confirmed", slots, intent="deny", raw=False)
    assert after["child_date"] == due_in_three_months.isoformat()
    assert said == ["utter_due_date_in_past"] and after["enrollment_confirmed"] is None
    assert "enrollment_outcome" not in after
    future = TODAY + timedelta(days=20)
    text = f"undskyld, hun er født {future.strftime('%d.%m.%Y')}"
    _, said, after = run_form(domain, text, "enrollment_confirmed", slots, raw=text)
    assert (after["child_born"], after["child_date"]) == (False, due_in_three_months.isoformat())
    assert said == ["utter_birth_date_in_future"]


def test_born_after_all_at_the_summary_asks_for_the_birth_date(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    _, said, after = run_form(domain, "nej, hun er født", "enrollment_confirmed", slots, intent="deny", raw=False)
    assert (after["child_born"], after["child_date"], after["enrollment_confirmed"]) == (True, None, None)
    assert said == ["utter_enrollment_corrected"] and next_question(after) == "child_date"


def test_a_date_no_longer_fitting_the_team_chooses_the_first_that_fits(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    # A team starting next week, whatever the demo grid holds this week: it fits
    # the first due date, and starts too early for the one 20 weeks away.
    soon = TODAY + timedelta(weeks=1)
    session.add(CourseTeam(code="SOON", place="Familiehuset", address="Kirkegade 4", start_date=soon, capacity=10))
    session.flush()
    slots = summary_slots(session, due_in_three_months)
    later = TODAY + timedelta(weeks=20)
    text = f"undskyld, terminen er {danish(later)}"
    _, said, after = run_form(domain, text, "enrollment_confirmed", slots, raw=text)
    assert (after["child_born"], after["child_date"]) == (False, later.isoformat())
    fitting = [team.code for team in teams_for(session, later)]
    assert fitting and slots["team_code"] not in fitting  # the team chosen starts too early for the new date
    assert after["team_code"] == fitting[0] and after["enrollment_confirmed"] is None
    assert said == ["utter_enrollment_corrected"] and next_question(after) == "enrollment_confirmed"


def team_buttons(child_date: date) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskTeamCode().run(dispatcher, make_tracker(slots={"child_date": child_date.isoformat()}), {}))
    buttons: list[dict[str, Any]] = dispatcher.messages[0].get("buttons") or []
    return buttons


def test_another_team_at_the_summary_asks_the_team_question_and_returns_to_the_summary(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    for text, intent in (("andet hold", "inform"), ("nej, vi vil hellere på et andet hold", "deny")):
        _, said, after = run_form(domain, text, "enrollment_confirmed", slots, intent=intent, raw=text)
        assert (after["team_code"], after["enrollment_confirmed"]) == (None, None), text
        assert "enrollment_outcome" not in after and said == [] and next_question(after) == "team_code"
    second = team_buttons(due_in_three_months)[1]["payload"].split('"')[3]
    _, _, after = run_form(domain, "det andet", "team_code", after, raw="det andet")
    assert after["team_code"] == second != slots["team_code"]
    assert next_question(after) == "enrollment_confirmed"  # the summary again, with the team chosen


def test_another_team_when_none_other_fits_shows_the_summary_again(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    while len(teams_for(session, due_in_three_months)) > 1:  # only the first few are offered at a time
        for team in teams_for(session, due_in_three_months)[1:]:
            team.seats_taken = team.capacity
        session.commit()
    slots = summary_slots(session, due_in_three_months)
    _, said, after = run_form(domain, "kan vi få et andet hold?", "enrollment_confirmed", slots, raw="kan vi")
    assert after["team_code"] == slots["team_code"] and said == ["utter_no_other_team"]
    assert after["enrollment_confirmed"] is None and next_question(after) == "enrollment_confirmed"


def test_the_email_corrected_at_the_summary_keeps_the_phone(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    _, said, after = run_form(domain, "ret e-mailen til x@y.dk", "enrollment_confirmed", slots, raw="ret")
    assert (after["contact_email"], after["contact_phone"]) == ("x@y.dk", "+4522334455")
    assert after["contact"] == "x@y.dk og 22 33 44 55"
    assert after["enrollment_confirmed"] is None and said == ["utter_enrollment_corrected"]


def test_the_partners_name_corrected_by_he_or_she_at_the_summary(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    text = "nej han hedder Jonas ikke Jonah, stavefejl"
    set_now, said, after = run_form(domain, text, "enrollment_confirmed", slots, intent="deny", raw=False)
    assert after["partner_name"] == "Jonas" and after["enrollment_confirmed"] is None
    assert "enrollment_outcome" not in set_now and said == ["utter_enrollment_corrected"]


def test_the_partners_name_corrected_at_the_summary(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    text = "min kæreste hedder Jonas ikke Jonah"
    set_now, said, after = run_form(domain, text, "enrollment_confirmed", slots, intent="deny", raw=False)
    assert after["partner_name"] == "Jonas" and after["enrollment_confirmed"] is None
    assert "enrollment_outcome" not in set_now and said == ["utter_enrollment_corrected"]


def test_a_plain_no_at_the_summary_refuses_storing(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    for text in ("nej", "nej, I må ikke gemme det", "nej tak, alligevel ikke"):
        set_now, said, _ = run_form(domain, text, "enrollment_confirmed", slots, intent="deny", raw=False)
        assert (set_now["enrollment_outcome"], set_now["consent"]) == ("no_consent", False), text
        assert set_now["requested_slot"] is None and said == [], text  # the form ends; the submit says it


def test_a_yes_at_the_summary_confirms_and_consents(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)
    set_now, said, after = run_form(domain, "ja det er rigtigt", "enrollment_confirmed", slots, raw="ja det er rigtigt")
    assert {k: set_now[k] for k in ("enrollment_confirmed", "consent", "first_child")} == {
        "enrollment_confirmed": True,
        "consent": True,
        "first_child": True,
    }
    assert next_question(after) is None and said == []  # the form is done: the submit comes


def answered_up_to(asked: str) -> dict[str, Any]:
    """The answers a parent has given before the form asks `asked`."""
    answers: dict[str, Any] = {
        "parent_name": "Maja Nielsen",
        "child_born": False,
        "child_date": (TODAY + timedelta(weeks=12)).isoformat(),
        "partner_joins": True,
        "partner_name": "Jonas",
    }
    return {slot: value for slot, value in answers.items() if FORM_SLOTS.index(slot) < FORM_SLOTS.index(asked)}


def test_a_due_date_given_after_a_pregnancy_week_replaces_the_estimate(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    first = "hej jeg hedder Emma Christensen og jeg er gravid i uge 24 og vil gerne med på forældrekurset"
    _, _, slots = run_form(domain, first, None, intent="enroll_course")
    estimate = date.fromisoformat(slots["child_date"])
    assert slots["child_born"] is False and slots["parent_name"] == "Emma Christensen"
    told = estimate + timedelta(days=5)
    asked = next_question(slots)
    _, said, after = run_form(domain, f"termin er d {danish(told)}", asked, slots, said_before=(first,))
    assert after["child_date"] == told.isoformat(), said
    assert next_question(after) == asked  # the question asked is asked again, nothing else changed
    # A date given without a week before it is a correction only when said as one.
    exact = slots | {"child_date": estimate.isoformat()}
    _, _, kept = run_form(domain, f"termin er d {danish(told)}", asked, exact, said_before=("termin snart",))
    assert kept["child_date"] == estimate.isoformat()


def test_a_name_written_in_lower_case_and_read_as_a_yes_is_the_name(domain: dict[str, Any]) -> None:
    set_now, said, _ = run_form(domain, "jeppe lund", "parent_name", intent="affirm")
    assert set_now["parent_name"] == "Jeppe Lund" and "utter_invalid_parent_name" not in said


def test_a_date_answering_whether_the_child_is_born_says_it(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    due = TODAY + timedelta(days=60)
    _, _, after = run_form(domain, f"{due.day}.{due.month}", "child_born", {"parent_name": "Emil Skov"})
    assert (after["child_born"], after["child_date"]) == (False, due.isoformat())
    assert next_question(after) == "partner_joins"
    born = TODAY - timedelta(days=40)
    _, _, after = run_form(domain, f"d {born.day}/{born.month}", "child_born", {"parent_name": "Emil Skov"})
    assert (after["child_born"], after["child_date"]) == (True, born.isoformat())


def test_a_correction_and_the_answer_asked_in_one_message(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = {"parent_name": "Louise Madsen", "child_born": False, "child_date": due_in_three_months.isoformat()}
    new = due_in_three_months + timedelta(days=2)
    text = f"nej vent det er d {danish(new)} 🙈 og ja Kasper er med"
    _, _, after = run_form(domain, text, "partner_joins", slots, intent="deny")
    assert after["child_date"] == new.isoformat()
    assert (after["partner_joins"], after["partner_name"]) == (True, "Kasper")
    assert next_question(after) == "contact"


@pytest.mark.parametrize("thumb", ["👍", "👍🏽", "👌"])
def test_a_thumbs_up_at_the_summary_is_a_yes(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any], thumb: str
) -> None:
    slots = summary_slots(session, due_in_three_months)
    set_now, said, _ = run_form(domain, thumb, "enrollment_confirmed", slots, raw=thumb)
    assert set_now["enrollment_confirmed"] is True and "utter_ask_yes_or_no" not in said
