from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.enrollment_form import ActionAskTeamCode, ValidateEnrollmentForm, teams_for
from actions.enrollment_summary import ActionAskEnrollmentConfirmed
from bot.db.enrollments import NewEnrollment, create_enrollment
from bot.db.models import CourseTeam
from bot.domain import render_response
from bot.shared.clock import danish_today
from bot.shared.municipality import current_municipality
from tests.helpers import make_tracker, responses

form = ValidateEnrollmentForm()
TODAY = danish_today()


def validate(slot: str, value: Any, dispatcher: CollectingDispatcher, **tracker_args: Any) -> dict[str, Any]:
    tracker = make_tracker(**tracker_args)
    return getattr(form, f"validate_{slot}")(value, dispatcher, tracker, {})


def test_name_is_cleaned(dispatcher: CollectingDispatcher) -> None:
    assert validate("parent_name", "jeg hedder mette hansen", dispatcher) == {"parent_name": "Mette Hansen"}
    assert dispatcher.messages == []


def test_bad_name_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    assert validate("parent_name", "12345678", dispatcher) == {"parent_name": None}
    assert responses(dispatcher) == ["utter_invalid_parent_name"]


@pytest.mark.parametrize(
    ("text", "intent", "born"),
    [
        ("ja", "affirm", True),
        ("nej", "deny", False),
        ("/affirm", "affirm", True),
        ("hun kom i sidste uge", "inform", None),
        ("vi venter stadig", "inform", False),
        ("jeps", "inform", True),
        ("nope", "inform", False),
    ],
)
def test_child_born(text: str, intent: str, born: bool | None, dispatcher: CollectingDispatcher) -> None:
    result = validate("child_born", text, dispatcher, intent=intent, text=text)
    assert result["child_born"] is born


def test_child_born_with_the_due_date_in_the_same_message(dispatcher: CollectingDispatcher) -> None:
    due = TODAY + timedelta(days=100)
    months = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ]
    text = f"nej vi har termin {due.day}. {months[due.month - 1]} {due.year}"
    result = validate("child_born", text, dispatcher, intent="deny", text=text)
    assert result == {"child_born": False, "child_date": due.isoformat()}


def test_due_date_in_the_past_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    past = (TODAY - timedelta(days=10)).strftime("%d.%m.%Y")
    assert validate("child_date", past, dispatcher, slots={"child_born": False}) == {"child_date": None}
    assert responses(dispatcher) == ["utter_due_date_in_past"]


def test_due_date_too_far_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    far = (TODAY + timedelta(days=400)).strftime("%d.%m.%Y")
    assert validate("child_date", far, dispatcher, slots={"child_born": False}) == {"child_date": None}
    assert responses(dispatcher) == ["utter_due_date_too_far"]


def test_impossible_date_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    assert validate("child_date", "30. februar", dispatcher, slots={"child_born": False}) == {"child_date": None}
    assert responses(dispatcher) == ["utter_invalid_date"]


def test_child_over_15_months_ends_the_form(dispatcher: CollectingDispatcher) -> None:
    born = (TODAY - timedelta(days=500)).strftime("%d.%m.%Y")
    result = validate("child_date", born, dispatcher, slots={"child_born": True})
    assert result["enrollment_outcome"] == "child_too_old"


def test_an_outcome_ends_the_form(dispatcher: CollectingDispatcher) -> None:
    slots = {"first_child": False, "enrollment_outcome": "not_first_child"}
    assert asyncio.run(form.required_slots(["parent_name"], dispatcher, make_tracker(slots=slots), {})) == []


def test_partner_name_instead_of_yes(dispatcher: CollectingDispatcher) -> None:
    assert validate("partner_joins", "Jonas", dispatcher) == {"partner_joins": True, "partner_name": "Jonas"}


def test_no_partner_skips_the_name(dispatcher: CollectingDispatcher) -> None:
    slots = asyncio.run(
        form.required_slots(
            ["partner_joins", "partner_name", "contact"], dispatcher, make_tracker(slots={"partner_joins": False}), {}
        )
    )
    assert slots == ["partner_joins", "contact"]


def test_contact_is_parsed_and_the_team_that_starts_first_chosen(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    fitting = teams_for(session, due_in_three_months)
    assert len(fitting) > 1 and fitting[0].start_date == min(t.start_date for t in fitting)
    result = validate(
        "contact",
        "mette@example.dk / +45 22 33 44 55",
        dispatcher,
        slots={"child_date": due_in_three_months.isoformat(), "child_born": False},
    )
    assert result == {
        "contact": "mette@example.dk og 22 33 44 55",
        "contact_email": "mette@example.dk",
        "contact_phone": "+4522334455",
        "team_code": fitting[0].code,  # several fit: the first to start, no question
    }
    assert dispatcher.messages == []


def test_a_team_chosen_by_the_parent_is_kept_when_the_contact_changes(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    chosen = teams_for(session, due_in_three_months)[1].code
    slots = {"child_date": due_in_three_months.isoformat(), "team_code": chosen}
    assert validate("contact", "mette@example.dk", dispatcher, slots=slots)["team_code"] == chosen


def test_invalid_contact_is_asked_again(session: Session, dispatcher: CollectingDispatcher) -> None:
    assert validate("contact", "1234", dispatcher) == {"contact": None}
    assert responses(dispatcher) == ["utter_invalid_contact"]


def test_a_contact_enrolled_elsewhere_is_not_revealed(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    existing = create_enrollment(
        session,
        NewEnrollment(
            team_id=teams[0].id,
            parent_name="Mette",
            partner_name=None,
            due_date=due_in_three_months,
            birth_date=None,
            email="mette@example.dk",
            phone=None,
            conversation_id="earlier",
            consent_text="ja",
        ),
    )
    session.commit()
    result = validate("contact", "METTE@example.dk", dispatcher, slots={"child_date": due_in_three_months.isoformat()})
    assert result == {
        "contact": "mette@example.dk",
        "contact_email": "mette@example.dk",
        "contact_phone": None,
        "team_code": teams_for(session, due_in_three_months)[0].code,
    }
    assert existing.reference_code not in str(dispatcher.messages) and responses(dispatcher) == []


def test_no_fitting_team(session: Session, dispatcher: CollectingDispatcher) -> None:
    result = validate(
        "contact", "mette@example.dk", dispatcher, slots={"child_date": (TODAY + timedelta(weeks=30)).isoformat()}
    )
    assert result["enrollment_outcome"] == "too_early_no_team"


def test_team_chosen_by_button_place_or_ordinal(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    slots = {"child_date": due_in_three_months.isoformat()}
    ask = ActionAskTeamCode()
    asyncio.run(ask.run(dispatcher, make_tracker(slots=slots), {}))
    buttons = dispatcher.messages[0]["buttons"]
    assert 1 <= len(buttons) <= 4
    first_code = buttons[0]["payload"].split('"')[3]
    assert validate("team_code", first_code, dispatcher, slots=slots) == {"team_code": first_code}
    assert validate("team_code", "det første", dispatcher, slots=slots) == {"team_code": first_code}
    chosen = validate("team_code", "nord tak", dispatcher, slots=slots)["team_code"]
    assert chosen is None or chosen.startswith("NORD-")


def test_unknown_team_is_asked_again(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    slots = {"child_date": due_in_three_months.isoformat()}
    assert validate("team_code", "holdet på månen", dispatcher, slots=slots) == {"team_code": None}
    assert responses(dispatcher) == ["utter_invalid_team"]


def test_full_teams_are_not_offered(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    for team in teams:
        team.seats_taken = team.capacity
    session.commit()
    asyncio.run(
        ActionAskTeamCode().run(dispatcher, make_tracker(slots={"child_date": due_in_three_months.isoformat()}), {})
    )
    assert dispatcher.messages[0]["buttons"] == []


def test_the_summarys_one_yes_confirms_consents_and_says_first_child(dispatcher: CollectingDispatcher) -> None:
    for text in ("ja", "ja det er rigtigt", "/affirm"):
        intent = "affirm" if text != "ja det er rigtigt" else "inform"
        result = validate("enrollment_confirmed", text, dispatcher, intent=intent, text=text)
        assert result == {"enrollment_confirmed": True, "consent": True, "first_child": True}, text
    assert dispatcher.messages == []


def test_a_refusal_at_the_summary_stores_nothing_with_the_no_consent_outcome(dispatcher: CollectingDispatcher) -> None:
    for text in ("nej", "/deny", "nej, I må ikke gemme det", "nej tak, alligevel ikke", "nej, vi vil ikke tilmeldes"):
        result = validate("enrollment_confirmed", text, dispatcher, intent="deny", text=text)
        assert result == {"enrollment_confirmed": False, "consent": False, "enrollment_outcome": "no_consent"}, text
    assert dispatcher.messages == []


@pytest.mark.parametrize("text", ["nej, terminen er forkert", "nej vent lidt", "nej, navnet 🙈"])
def test_a_no_that_says_something_is_wrong_or_is_unclear_asks_what(text: str, dispatcher: CollectingDispatcher) -> None:
    # Only a bare no or words about not storing or not enrolling end the enrolment.
    assert validate("enrollment_confirmed", text, dispatcher, intent="deny", text=text) == {
        "enrollment_confirmed": None
    }
    assert responses(dispatcher) == ["utter_enrollment_what_to_correct"]


def test_neither_yes_nor_no_at_the_summary_is_asked_again(dispatcher: CollectingDispatcher) -> None:
    assert validate("enrollment_confirmed", "måske", dispatcher, text="måske") == {"enrollment_confirmed": None}
    assert responses(dispatcher) == ["utter_ask_yes_or_no"]


def test_summary_shows_what_will_be_stored_and_why(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher, domain: dict
) -> None:
    code = teams_for(session, due_in_three_months)[0].code
    slots = {
        "child_date": due_in_three_months.isoformat(),
        "parent_name": "Mette Hansen",
        "child_born": False,
        "team_code": code,
        "contact_email": "mette@example.dk",
        "contact_phone": "+4522334455",
    }
    asyncio.run(ActionAskEnrollmentConfirmed().run(dispatcher, make_tracker(slots=slots), {}))
    message = dispatcher.messages[0]
    assert message["response"] == "utter_ask_enrollment_confirmed"
    assert message["child_date_label"] == "Termin"
    assert message["partner_text"] == "ingen"
    assert message["contact_text"] == "mette@example.dk og 22 33 44 55"
    assert message["team_text"].startswith(next(t.place for t in teams if t.code == code))
    # Several teams fit: the summary says how to choose another.
    assert message["other_team_text"] == render_response("utter_enrollment_other_team_hint")
    assert "andet hold" in message["other_team_text"]
    # What is stored and why (the municipality's text, its own question replaced by the one question).
    statement = current_municipality().privacy.enrollment_consent.removesuffix("Må vi gemme oplysningerne?").strip()
    assert message["consent_text"] == f"{statement}\n\nPasser det, og må vi gemme oplysningerne og tilmelde jer?"
    template = domain["responses"]["utter_ask_enrollment_confirmed"][0]
    assert "- Første barn: ja" in template["text"] and template["text"].endswith("{consent_text}")
    assert [b["payload"] for b in template["buttons"]] == ["/affirm", "/deny"]


def test_an_answer_that_cannot_be_checked_is_asked_again_and_the_form_goes_on(
    due_in_three_months: date, database_down: None
) -> None:
    """The database does not answer while the form checks the teams: the
    citizen is told, the same question comes again (the form is not ended),
    and the other answers stay."""
    slots = {"child_date": due_in_three_months.isoformat(), "parent_name": "Mette Hansen"}
    for slot, value, extra in (
        ("contact", "mette@example.dk", {}),
        ("team_code", "det første", {"contact": "mette@example.dk"}),
        ("child_date", due_in_three_months.strftime("%d.%m.%Y"), {"contact": "mette@example.dk"}),
    ):
        dispatcher = CollectingDispatcher()
        result = validate(slot, value, dispatcher, slots=slots | extra, text=str(value))
        assert result == {slot: None}, (slot, result)
        assert responses(dispatcher) == ["utter_enrollment_check_failed"], slot
        assert dispatcher.messages[0]["municipality_phone"] == current_municipality().phone
