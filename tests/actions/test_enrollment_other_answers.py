"""Answers to other questions than the one asked (issue 17): a partner answer
to the first-child question, a question not asked a third time in a row, the
one team that fits chosen without asking, and consent given in so many words.
The whole validation action as the Rasa server runs it, on the real domain
and real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.enrollment_form import ActionAskEnrollmentConfirmed, ValidateEnrollmentForm, teams_for
from actions.teams import describe_team
from bot.db.models import CourseTeam
from bot.shared.clock import danish_today
from tests.actions.test_enrollment_extraction import danish, next_question, run_form
from tests.helpers import make_tracker, responses

form = ValidateEnrollmentForm()
DUE = danish_today() + timedelta(weeks=13)
BEFORE_FIRST_CHILD = {
    "parent_name": "Camilla Holm",
    "child_born": False,
    "child_date": DUE.isoformat(),
}


def test_no_and_alone_asked_about_the_first_child_is_the_partner_answer(domain: dict[str, Any]) -> None:
    text = "nej, jeg er alene"
    set_now, said, after = run_form(domain, text, "first_child", BEFORE_FIRST_CHILD, intent="deny", raw=False)
    assert after["partner_joins"] is False and after["first_child"] is None
    assert "enrollment_outcome" not in set_now  # not ruled out of the course
    assert said == ["utter_enrollment_noted"]
    assert set_now["requested_slot"] == "first_child"  # asked again


def test_no_i_come_alone_in_english_too(domain: dict[str, Any]) -> None:
    set_now, _, after = run_form(domain, "no, I'm alone", "first_child", BEFORE_FIRST_CHILD, intent="deny", raw=False)
    assert after["partner_joins"] is False and after["first_child"] is None
    assert "enrollment_outcome" not in set_now


def test_a_no_about_children_still_answers_the_first_child_question(domain: dict[str, Any]) -> None:
    for text in ("nej", "nej, vi har en dreng på 3 år i forvejen"):
        set_now, _, after = run_form(domain, text, "first_child", BEFORE_FIRST_CHILD, intent="deny", raw=False)
        assert after["first_child"] is False, text
        assert set_now["enrollment_outcome"] == "not_first_child", text


def test_yes_with_the_partner_named_is_the_first_child_yes_only_when_plain(domain: dict[str, Any]) -> None:
    _, _, after = run_form(domain, "ja", "first_child", BEFORE_FIRST_CHILD, intent="affirm", raw=True)
    assert after["first_child"] is True


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
    # Asked once, answered with the partner: taken, said so, asked again.
    set_now, said, after = run_after_asks(domain, "Jonas kommer med", "first_child", BEFORE_FIRST_CHILD, 0)
    assert after["partner_name"] == "Jonas" and said == ["utter_enrollment_noted"]
    assert next_question(after) == "first_child"
    # Asked the second time, answered with the contact: not a third time now.
    set_now, said, after = run_after_asks(domain, "camilla@example.dk", "first_child", after, 1)
    assert after["contact"] == "camilla@example.dk" and after.get("first_child") is None
    assert said == ["utter_enrollment_noted"]
    assert set_now["requested_slot"] == "first_child"  # nothing else is left before the team but it
    # With a question left before it, that one comes first.
    slots = BEFORE_FIRST_CHILD | {"partner_joins": None, "contact": None}
    set_now, _, after = run_after_asks(domain, "camilla@example.dk", "first_child", slots, 1)
    assert set_now["requested_slot"] == "partner_joins"


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


def test_the_one_team_that_fits_is_chosen_and_named_in_the_summary(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    only = only_one_team_left(session, DUE)
    slots = BEFORE_FIRST_CHILD | {"first_child": True, "partner_joins": False}
    set_now, said, after = run_form(domain, "camilla@example.dk", "contact", slots, raw="camilla@example.dk")
    assert set_now["team_code"] == only.code and said == []
    assert next_question(after) == "consent"  # no "Hvilket hold passer jer?"

    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots=after | {"consent": True})
    asyncio.run(ActionAskEnrollmentConfirmed().run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["team_text"] == describe_team(only)


def test_several_teams_that_fit_are_still_offered(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    slots = BEFORE_FIRST_CHILD | {"first_child": True, "partner_joins": False}
    set_now, _, after = run_form(domain, "camilla@example.dk", "contact", slots, raw="camilla@example.dk")
    assert "team_code" not in set_now and next_question(after) == "team_code"


def test_a_date_given_after_the_contact_chooses_the_one_team_too(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    only = only_one_team_left(session, DUE)
    slots = {"parent_name": "Camilla Holm", "child_born": False, "contact": "camilla@example.dk"}
    slots |= {"contact_email": "camilla@example.dk"}
    set_now, _, _ = run_form(domain, f"termin {danish(DUE)}", "child_date", slots, raw=f"termin {danish(DUE)}")
    assert (set_now["child_date"], set_now["team_code"]) == (DUE.isoformat(), only.code)


def test_consent_in_so_many_words_is_not_asked_again(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    team = teams_for(session, DUE)[0]
    slots = BEFORE_FIRST_CHILD | {"first_child": True, "partner_joins": False, "contact": "c@example.dk"}
    text = f"{team.place}, og I må gerne gemme oplysningerne"
    _, _, after = run_form(domain, text, "team_code", slots, raw=text)
    assert (after["team_code"], after["consent"]) == (team.code, True)
    assert next_question(after) == "enrollment_confirmed"


def test_consent_is_never_read_from_a_yes_to_something_else(
    session: Session, teams: list[CourseTeam], domain: dict[str, Any]
) -> None:
    for text in ("ja", "nej, I må ikke gemme noget"):
        _, _, after = run_form(domain, text, "first_child", BEFORE_FIRST_CHILD, raw=text)
        assert after.get("consent") is None, text
