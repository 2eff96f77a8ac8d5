"""Answers to other questions than the one asked (issue 17): no question
about the first child (a message about an older child ends the form, a "nej"
about the partner never does), a question not asked a third time in a row,
the team chosen without asking, and consent given only with the summary's
yes. The whole validation action as the Rasa server runs it, on the real
domain and real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.enrollment_form import ValidateEnrollmentForm, teams_for
from actions.enrollment_summary import ActionAskEnrollmentConfirmed
from actions.teams import describe_team
from bot.db.models import CourseTeam
from bot.shared.clock import danish_today
from tests.actions.test_enrollment_extraction import danish, next_question, run_form, summary_slots
from tests.helpers import make_tracker, responses

form = ValidateEnrollmentForm()
DUE = danish_today() + timedelta(weeks=13)
BEFORE_PARTNER = {
    "parent_name": "Camilla Holm",
    "child_born": False,
    "child_date": DUE.isoformat(),
}


def test_no_and_alone_is_the_partner_answer_and_never_rules_the_parent_out(domain: dict[str, Any]) -> None:
    for text in ("nej, jeg er alene", "no, I'm alone"):
        set_now, said, after = run_form(domain, text, "partner_joins", BEFORE_PARTNER, intent="deny", raw=False)
        assert after["partner_joins"] is False and after.get("first_child") is None, text
        assert "enrollment_outcome" not in set_now and said == [], text
        assert next_question(after) == "contact", text


@pytest.mark.parametrize(
    ("asked", "text", "intent"),
    [
        ("parent_name", "Sofie Andersen, vi har en søn på 3 i forvejen", "inform"),
        ("child_born", "nej, termin i maj 🙂 storebror glæder sig", "deny"),
        ("partner_joins", "ja min mand kommer med, det er vores andet barn", "affirm"),
        ("contact", "sofie@example.dk (vi har 2 børn i forvejen)", "inform"),
        ("enrollment_confirmed", "nej, vi har en dreng på 3 år i forvejen", "deny"),
        ("enrollment_confirmed", "det er ikke vores første", "inform"),
    ],
)
def test_an_older_child_in_any_message_ends_with_not_first_child(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any], asked: str, text: str, intent: str
) -> None:
    answered = summary_slots(session, DUE)
    at_summary = asked == "enrollment_confirmed"
    slots = {slot: value for slot, value in answered.items() if slot in BEFORE_PARTNER or at_summary}
    set_now, said, after = run_form(domain, text, asked, slots, intent=intent, raw=text)
    assert (set_now["first_child"], set_now["enrollment_outcome"]) == (False, "not_first_child")
    assert after.get("consent") is None and said == []  # the submit gives the outcome, nothing stored


@pytest.mark.parametrize(
    "text",
    ["vi har termin 3. april", "vi har en lille pige på vej", "vi har ingen børn i forvejen", "det er vores første"],
)
def test_children_words_that_say_no_older_child_do_not_end_the_form(domain: dict[str, Any], text: str) -> None:
    set_now, _, after = run_form(domain, text, "partner_joins", BEFORE_PARTNER, raw=text)
    assert "enrollment_outcome" not in set_now and after.get("first_child") is not False


def test_a_plain_no_at_the_summary_is_never_a_no_to_the_first_child(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, DUE)
    set_now, _, _ = run_form(domain, "nej", "enrollment_confirmed", slots, intent="deny", raw=False)
    assert set_now["enrollment_outcome"] == "no_consent" and "first_child" not in set_now


def run_after_asks(
    domain: dict[str, Any], text: str, asked: str, slots: dict[str, Any], asked_before: int
) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
    """One message after the form has asked `asked` `asked_before` times already."""
    events: list[dict[str, Any]] = [{"event": "active_loop", "name": "enrollment_form"}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in slots.items()]
    for _ in range(asked_before):
        events += [
            {"event": "slot", "name": "requested_slot", "value": asked},
            {"event": "user", "text": "…", "parse_data": {"intent": {"name": "inform"}}},
        ]
    events += [
        {"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}}},
        {"event": "slot", "name": "requested_slot", "value": asked},
        {"event": "action", "name": "enrollment_form"},
    ]
    before = dict(slots) | {"requested_slot": asked}
    tracker = make_tracker(slots=before, text=text, events=events, active_loop="enrollment_form")
    dispatcher = CollectingDispatcher()
    result = asyncio.run(form.run(dispatcher, tracker, domain))
    set_now = {e["name"]: e["value"] for e in result if e["event"] == "slot"}
    return set_now, responses(dispatcher), before | set_now


def test_a_question_asked_twice_while_other_details_came_waits_until_last(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    # Asked once, answered with the due date: taken, said so, asked again.
    set_now, said, after = run_after_asks(domain, f"termin {danish(DUE)}", "parent_name", {}, 0)
    assert (after["child_born"], after["child_date"]) == (False, DUE.isoformat())
    assert said == ["utter_enrollment_noted"] and next_question(after) == "parent_name"
    # Asked the second time, answered with the partner: not a third time now.
    set_now, said, after = run_after_asks(domain, "Jonas kommer med", "parent_name", after, 1)
    assert after["partner_name"] == "Jonas" and after.get("parent_name") is None
    assert said == ["utter_enrollment_noted"]
    assert set_now["requested_slot"] == "contact"  # the name waits until just before the team
    # Nothing else left: the contact given (a third message while the name was
    # asked), the team is chosen, and the name is asked before the summary.
    set_now, _, after = run_after_asks(domain, "camilla@example.dk", "parent_name", after, 2)
    assert after["team_code"] == teams_for(session, DUE)[0].code
    assert set_now["requested_slot"] == "parent_name"


def only_one_team_left(session: Session, due: date) -> CourseTeam:
    """Fill every offered team but the first: one team fits the family."""
    offered = list(teams_for(session, due))
    assert len(offered) > 1
    while len(teams_for(session, due)) > 1:  # only the first few are offered at a time
        for team in teams_for(session, due)[1:]:
            team.seats_taken = team.capacity
        session.commit()
    assert [t.code for t in teams_for(session, due)] == [offered[0].code]
    return offered[0]


def summary(after: dict[str, Any], domain: dict[str, Any]) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskEnrollmentConfirmed().run(dispatcher, make_tracker(slots=after), domain))
    assert responses(dispatcher) == ["utter_ask_enrollment_confirmed"]
    message: dict[str, Any] = dispatcher.messages[0]
    return message


def test_the_one_team_that_fits_is_chosen_and_named_in_the_summary(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    only = only_one_team_left(session, DUE)
    slots = BEFORE_PARTNER | {"partner_joins": False}
    set_now, said, after = run_form(domain, "camilla@example.dk", "contact", slots, raw="camilla@example.dk")
    assert set_now["team_code"] == only.code and said == []
    assert next_question(after) == "enrollment_confirmed"  # no "Hvilket hold passer jer?", no consent question
    shown = summary(after, domain)
    assert shown["team_text"] == describe_team(only)
    assert shown["other_team_text"] == ""  # no other team to choose


def test_of_several_teams_that_fit_the_first_to_start_is_chosen(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    fitting = teams_for(session, DUE)
    assert len(fitting) > 1
    slots = BEFORE_PARTNER | {"partner_joins": False}
    set_now, said, after = run_form(domain, "camilla@example.dk", "contact", slots, raw="camilla@example.dk")
    assert set_now["team_code"] == fitting[0].code and said == []
    assert min(team.start_date for team in fitting) == fitting[0].start_date
    assert next_question(after) == "enrollment_confirmed"
    shown = summary(after, domain)
    assert shown["team_text"] == describe_team(fitting[0]) and "andet hold" in shown["other_team_text"]


def test_a_date_given_after_the_contact_chooses_the_team_too(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    slots = {"parent_name": "Camilla Holm", "child_born": False, "contact": "camilla@example.dk"}
    slots |= {"contact_email": "camilla@example.dk"}
    set_now, _, _ = run_form(domain, f"termin {danish(DUE)}", "child_date", slots, raw=f"termin {danish(DUE)}")
    assert (set_now["child_date"], set_now["team_code"]) == (DUE.isoformat(), teams_for(session, DUE)[0].code)


def test_consent_is_given_only_with_the_summarys_yes(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    # Consent in so many words with another answer: taken as nothing; the
    # summary shows what is stored and asks its one question all the same.
    slots = BEFORE_PARTNER | {"partner_joins": False}
    text = "c@example.dk, og I må gerne gemme oplysningerne"
    _, _, after = run_form(domain, text, "contact", slots, raw=text)
    assert after["contact"] == "c@example.dk" and after.get("consent") is None
    assert next_question(after) == "enrollment_confirmed"


def test_consent_is_never_read_from_a_yes_to_something_else(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    for text in ("ja", "nej, I må ikke gemme noget"):
        _, _, after = run_form(domain, text, "partner_joins", BEFORE_PARTNER, raw=text)
        assert after.get("consent") is None, text


def test_the_day_given_after_a_month_alone_is_the_due_date(session: Session, domain: dict[str, Any]) -> None:
    month_only = date(DUE.year, DUE.month, 15)
    day = 9 if DUE.day != 9 else 10
    text = f"terminen er d {day} {danish(DUE).split(' ', 1)[1]}, jeg hedder Mette Olsen"
    known = {"child_born": False, "child_date": month_only.isoformat()}
    first = f"vi venter vores første i {danish(DUE).split(' ', 1)[1]}"
    set_now, said, after = run_form(domain, text, "parent_name", known, raw=text, said_before=(first,))
    assert after["child_date"] == date(DUE.year, DUE.month, day).isoformat(), (set_now, said)
    assert after["parent_name"] == "Mette Olsen" and "utter_enrollment_corrected" not in said
    # The 15th because the parent wrote the 15th is the date, not the month's middle.
    first = f"termin d 15 {danish(DUE).split(' ', 1)[1]}"
    _, _, after = run_form(domain, text, "parent_name", known, raw=text, said_before=(first,))
    assert after["child_date"] == month_only.isoformat()
    # A full date already given is changed only by a correction.
    given = {"child_born": False, "child_date": date(DUE.year, DUE.month, 20).isoformat()}
    _, _, after = run_form(domain, text, "parent_name", given, raw=text)
    assert after["child_date"] == given["child_date"]


def test_a_surname_spelt_out_at_the_summary_keeps_the_first_name(
    session: Session, teams: list[CourseTeam], due_in_three_months: date, domain: dict[str, Any]
) -> None:
    slots = summary_slots(session, due_in_three_months)  # "Maja Nielsen"
    text = "næsten – mit efternavn staves Nilsen, uden e"
    _, said, after = run_form(domain, text, "enrollment_confirmed", slots, raw=text)
    assert after["parent_name"] == "Maja Nilsen" and said == ["utter_enrollment_corrected"]
    assert after["enrollment_confirmed"] is None and next_question(after) == "enrollment_confirmed"
