from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.enrollment_form import ActionAskEnrollmentConfirmed, ActionAskTeamCode, ValidateEnrollmentForm
from bot.db.enrollments import NewEnrollment, create_enrollment
from bot.db.models import CourseTeam
from bot.shared.clock import danish_today
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


def test_second_child_ends_the_form(dispatcher: CollectingDispatcher) -> None:
    result = validate("first_child", "nej", dispatcher, intent="deny")
    assert result == {"first_child": False, "enrollment_outcome": "not_first_child"}
    assert asyncio.run(form.required_slots(["parent_name"], dispatcher, make_tracker(slots=result), {})) == []


def test_partner_name_instead_of_yes(dispatcher: CollectingDispatcher) -> None:
    assert validate("partner_joins", "Jonas", dispatcher) == {"partner_joins": True, "partner_name": "Jonas"}


def test_no_partner_skips_the_name(dispatcher: CollectingDispatcher) -> None:
    slots = asyncio.run(
        form.required_slots(
            ["partner_joins", "partner_name", "contact"], dispatcher, make_tracker(slots={"partner_joins": False}), {}
        )
    )
    assert slots == ["partner_joins", "contact"]


def test_contact_is_parsed(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
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
    }


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
    assert result == {"contact": "mette@example.dk", "contact_email": "mette@example.dk", "contact_phone": None}
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


def test_consent_and_confirmation(dispatcher: CollectingDispatcher) -> None:
    assert validate("consent", "nej tak", dispatcher, intent="deny") == {
        "consent": False,
        "enrollment_outcome": "no_consent",
    }
    assert validate("enrollment_confirmed", "ja", dispatcher, intent="affirm") == {"enrollment_confirmed": True}
    assert validate("consent", "måske", dispatcher, intent="inform") == {"consent": None}


def test_summary_shows_what_will_be_stored(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, dispatcher: CollectingDispatcher
) -> None:
    slots = {"child_date": due_in_three_months.isoformat()}
    asyncio.run(ActionAskTeamCode().run(dispatcher, make_tracker(slots=slots), {}))
    code = dispatcher.messages[0]["buttons"][0]["payload"].split('"')[3]
    summary = CollectingDispatcher()
    slots |= {
        "parent_name": "Mette Hansen",
        "child_born": False,
        "team_code": code,
        "contact_email": "mette@example.dk",
        "contact_phone": "+4522334455",
    }
    asyncio.run(ActionAskEnrollmentConfirmed().run(summary, make_tracker(slots=slots), {}))
    message = summary.messages[0]
    assert message["response"] == "utter_ask_enrollment_confirmed"
    assert message["child_date_label"] == "Termin"
    assert message["partner_text"] == "ingen"
    assert message["contact_text"] == "mette@example.dk og 22 33 44 55"
    assert message["team_text"].startswith(next(t.place for t in teams if t.code == code))
