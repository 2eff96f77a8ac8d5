"""The young people's actions on real SQLite and PostgreSQL: identity before
anything (pairing code, website token, log out, an idle pairing), and two
young people never seeing or changing each other's data. Meetings are in
test_youth_meetings.py, education in test_youth_education.py."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

import actions.youth_identity as identity
from actions.education import ActionShowEducation
from actions.meeting_changes import ActionCancelMeeting, ValidateRescheduleMeetingForm
from actions.meetings import ActionListMeetings, ActionSaveMeetingLog, ValidateLogMeetingForm
from actions.youth_confirm import ActionAskYouthConfirm
from actions.youth_identity import ActionForgetMe, ValidatePairingForm
from bot.db.meetings import confirm_meeting, log_held_meeting, past_meetings, request_meeting
from bot.db.youth import MAX_WRONG_CODES_PER_CONVERSATION, bind, bound_profile_id, issue_code
from bot.db.youth_models import ConversationBinding, MentorMeeting, YouthProfile
from bot.shared.clock import DANISH_TIME
from bot.shared.settings import load_settings
from tests.actions.youth_helpers import NOW, extract, run, tracker, validate, young
from tests.helpers import responses

pytestmark = pytest.mark.usefixtures("fixed_youth_clock")


def test_unidentified_gets_a_request_to_identify_and_nothing_else(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    log_held_meeting(
        session,
        mikkel,
        held_at=NOW - timedelta(days=2),
        with_whom=None,
        rating=4,
        how_it_went="godt",
        note=None,
        conversation_id="other",
    )
    session.commit()
    for action in (ActionListMeetings(), ActionShowEducation()):
        dispatcher, events = run(action, tracker("stranger", "hvornår er mit næste møde", "list_meetings"))
        assert responses(dispatcher) == ["utter_identify_first"] and events == []
        assert "Sanne" not in str(dispatcher.messages)
    form_slots = asyncio.run(
        ValidateLogMeetingForm().required_slots(
            [], CollectingDispatcher(), tracker("stranger", "havde møde i går", "log_meeting"), {}
        )
    )
    assert form_slots == []  # no questions: the submit action asks to identify
    dispatcher, _ = run(
        ActionSaveMeetingLog(), tracker("stranger", "", slots={"meeting_date": "2026-11-24", "youth_confirm": True})
    )
    assert responses(dispatcher) == ["utter_identify_first"]
    assert len(session.scalars(select(MentorMeeting)).all()) == 1  # nothing written


def test_pairing_code_in_the_first_message_identifies(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    code = issue_code(session, mikkel, secret=load_settings().youth_token_secret, created_by="ab", now=NOW)
    session.commit()
    form = ValidatePairingForm()
    t = tracker("conv-p", f"min kode er {code.lower()}", "identify")
    assert extract(form, "pairing_code", t) == {"pairing_code": code}
    slots, said = validate(form, "pairing_code", code, t)
    assert said == ["utter_identified"] and slots["pairing_outcome"] == "bound"
    assert bound_profile_id(session, "conv-p") == (mikkel.id, "pairing")
    slots, said = validate(form, "pairing_code", code, tracker("conv-q", code))
    assert said == ["utter_code_used"] and slots == {"pairing_code": None}


def test_wrong_codes_past_the_limit_lock_the_conversation(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    code = issue_code(session, mikkel, secret=load_settings().youth_token_secret, created_by="ab", now=NOW)
    session.commit()
    form = ValidatePairingForm()
    for _ in range(MAX_WRONG_CODES_PER_CONVERSATION):
        assert validate(form, "pairing_code", "AB3-CD4", tracker("conv-w", "AB3-CD4"))[1] == ["utter_code_wrong"]
    slots, said = validate(form, "pairing_code", code, tracker("conv-w", code))
    assert said == ["utter_code_locked"] and slots["pairing_outcome"] == "locked"
    assert bound_profile_id(session, "conv-w") is None
    assert validate(form, "pairing_code", "hej", tracker("conv-z", "hej"))[1] == ["utter_code_format"]


def test_a_token_identifies_but_only_for_its_own_conversation(session: Session) -> None:
    mikkel, aisha = young(session, "UNG-A", "Mikkel", "Sanne"), young(session, "UNG-B", "Aisha", "Jonas")
    dispatcher, _ = run(
        ActionListMeetings(),
        tracker("conv-m", "mine møder", "list_meetings", metadata={"verified_profile_id": mikkel.id}),
    )
    assert responses(dispatcher) == ["utter_meetings_list"] and dispatcher.messages[0]["mentor_name"] == "Sanne"
    # Aisha's valid token in Mikkel's conversation gets nothing.
    dispatcher, _ = run(
        ActionListMeetings(),
        tracker("conv-m", "mine møder", "list_meetings", metadata={"verified_profile_id": aisha.id}),
    )
    assert responses(dispatcher) == ["utter_identified_as_someone_else"]
    # A conversation identified by token needs the token on every message.
    for metadata, said in [({}, "utter_token_rejected"), ({"token_rejected": True}, "utter_token_rejected")]:
        dispatcher, _ = run(ActionListMeetings(), tracker("conv-m", "mine møder", "list_meetings", metadata=metadata))
        assert responses(dispatcher) == [said]


def test_two_young_people_never_see_or_change_each_others_meetings(session: Session) -> None:
    mikkel, aisha = young(session, "UNG-A", "Mikkel", "Sanne"), young(session, "UNG-B", "Aisha", "Jonas")
    bind(session, "conv-m", mikkel.id, "pairing")
    bind(session, "conv-a", aisha.id, "pairing")
    theirs = request_meeting(
        session,
        aisha,
        first=date(2026, 12, 1),
        last=date(2026, 12, 1),
        window_text="1/12",
        starts_at=None,
        conversation_id="conv-a",
    )
    confirm_meeting(session, theirs, datetime(2026, 12, 1, 14, 0, tzinfo=DANISH_TIME), "jonas")
    session.commit()
    dispatcher, _ = run(ActionListMeetings(), tracker("conv-m", "mine møder", "list_meetings"))
    assert "1. december" not in dispatcher.messages[0]["upcoming"] and "ingen" in dispatcher.messages[0]["upcoming"]
    # Mikkel asks to cancel "the meeting on 1/12" and even names Aisha's meeting id: nothing happens.
    form = ValidateRescheduleMeetingForm()
    assert extract(form, "meeting_choice", tracker("conv-m", "kan vi rykke mødet d. 1/12", "reschedule_meeting")) == {
        "meeting_choice": "none:2026-12-01"
    }
    dispatcher, _ = run(
        ActionCancelMeeting(),
        tracker(
            "conv-m",
            "ja",
            "affirm",
            slots={"meeting_choice": str(theirs.id), "change_reason": "syg", "youth_confirm": True},
        ),
    )
    assert responses(dispatcher) == ["utter_youth_nothing_saved"]
    session.expire_all()
    assert session.get(MentorMeeting, theirs.id).status == "confirmed"  # type: ignore[union-attr]
    # Nor does the summary before saving describe her meeting.
    dispatcher, _ = run(
        ActionAskYouthConfirm(),
        tracker(
            "conv-m",
            "aflys",
            "cancel_meeting",
            slots={"meeting_choice": str(theirs.id)},
            active_loop="cancel_meeting_form",
        ),
    )
    assert "1. december" not in str(dispatcher.messages) and "14.00" not in str(dispatcher.messages)


def test_log_out_unbinds_and_keeps_the_data(session: Session) -> None:
    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    session.commit()
    assert responses(run(ActionForgetMe(), tracker("conv-m", "log mig ud", "forget_me"))[0]) == ["utter_logged_out"]
    assert responses(run(ActionForgetMe(), tracker("conv-m", "log mig ud", "forget_me"))[0]) == ["utter_not_logged_in"]
    assert bound_profile_id(session, "conv-m") is None
    assert session.get(YouthProfile, mikkel.id) is not None


def test_my_data_shows_the_profile_and_delete_unbinds_but_keeps_the_case(session: Session) -> None:
    from actions.privacy import ActionDeleteMyData, ActionShowMyData

    mikkel = young(session, "UNG-A", "Mikkel", "Sanne")
    bind(session, "conv-m", mikkel.id, "pairing")
    log_held_meeting(
        session,
        mikkel,
        held_at=NOW - timedelta(days=1),
        with_whom=None,
        rating=3,
        how_it_went="ok",
        note=None,
        conversation_id="conv-m",
    )
    session.commit()
    dispatcher, _ = run(ActionShowMyData(), tracker("conv-m", "hvad har I gemt om mig", "my_data"))
    assert responses(dispatcher) == ["utter_my_data"]
    stored = dispatcher.messages[0]["stored"]
    assert "Mikkel (UNG-A)" in stored and "1 møder" in stored and "efterværn" in stored
    dispatcher, events = run(ActionDeleteMyData(), tracker("conv-m", "ja", "affirm"))
    assert responses(dispatcher) == ["utter_youth_profile_kept", "utter_conversation_deleted"]
    assert events == [{"event": "slot", "timestamp": None, "name": "conversation_deleted", "value": True}]
    assert bound_profile_id(session, "conv-m") is None
    session.expire_all()
    assert len(past_meetings(session, mikkel.id)) == 1  # part of the aftercare case
    # A stranger asking sees nothing of Mikkel's.
    dispatcher, _ = run(ActionShowMyData(), tracker("conv-x", "hvad har I gemt om mig", "my_data"))
    assert responses(dispatcher) == ["utter_my_data_conversation_only"]


def test_a_reminder_is_only_sent_for_the_bound_young_persons_own_meeting(session: Session) -> None:
    from actions.meetings import ActionRemindMeeting

    mikkel, sara = young(session, "UNG-R1", "Mikkel", "Sanne"), young(session, "UNG-R2", "Sara", "Lone")
    meetings = {}
    for profile in (mikkel, sara):
        meeting = MentorMeeting(
            profile_id=profile.id,
            status="confirmed",
            starts_at=NOW + timedelta(days=1),
            with_whom=profile.mentor_name,
            changed_by="test",
        )
        session.add(meeting)
        session.flush()
        meetings[profile.first_name] = str(meeting.id)
    bind(session, "mikkels-chat", mikkel.id, "pairing")
    session.commit()

    def remind(conversation: str, meeting_id: str) -> list[str]:
        t = tracker(
            conversation, intent="EXTERNAL_meeting_reminder", entities=[{"entity": "meeting_id", "value": meeting_id}]
        )
        dispatcher, _ = run(ActionRemindMeeting(), t)
        return responses(dispatcher)

    assert remind("mikkels-chat", meetings["Mikkel"]) == ["utter_meeting_reminder"]
    assert remind("mikkels-chat", meetings["Sara"]) == []  # someone else's meeting
    assert remind("a-strangers-chat", meetings["Mikkel"]) == []  # a conversation bound to nobody
    # Asked again (a scheduler killed after asking, before marking it sent): not sent twice.
    assert remind("mikkels-chat", meetings["Mikkel"]) == []
    session.expire_all()
    assert session.get(MentorMeeting, int(meetings["Mikkel"])).reminder_sent_at is not None  # type: ignore[union-attr]
    assert session.get(MentorMeeting, int(meetings["Sara"])).reminder_sent_at is None  # type: ignore[union-attr]


def test_staffs_confirmation_is_told_once_however_often_it_is_asked_for(session: Session) -> None:
    from actions.meeting_notices import ActionNotifyMeeting

    emil = young(session, "UNG-N1", "Emil", "Lene")
    meeting = MentorMeeting(
        profile_id=emil.id,
        status="confirmed",
        starts_at=NOW + timedelta(days=2),
        with_whom="Lene",
        changed_by="lene",
        staff_notice="confirmed",
    )
    session.add(meeting)
    bind(session, "emils-chat", emil.id, "pairing")
    session.commit()

    def notify() -> list[str]:
        entities = [{"entity": "meeting_id", "value": str(meeting.id)}]
        dispatcher, _ = run(
            ActionNotifyMeeting(), tracker("emils-chat", intent="EXTERNAL_meeting_notice", entities=entities)
        )
        return responses(dispatcher)

    assert notify() == ["utter_meeting_confirmed"]
    assert notify() == []  # a second request (a scheduler that died before marking it told)
    session.expire_all()
    assert session.get(MentorMeeting, meeting.id).staff_notice_sent_at is not None  # type: ignore[union-attr]


def test_an_idle_pairing_logs_the_conversation_out(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    mikkel = young(session, "UNG-I", "Mikkel", "Sanne")
    bind(session, "mikkels-phone", mikkel.id, "pairing")
    session.commit()
    idle = identity.pairing_idle()
    dispatcher, _ = run(ActionListMeetings(), tracker("mikkels-phone", "mine møder", "list_meetings"))
    assert responses(dispatcher) == ["utter_meetings_list"]  # NOW is within the idle time of binding
    monkeypatch.setattr(identity, "now", lambda: NOW + idle + timedelta(days=1))
    later = bound_profile_id(session, "mikkels-phone")
    assert later is not None
    row = session.scalars(select(ConversationBinding)).one()
    row.last_seen_at = NOW
    session.commit()
    dispatcher, _ = run(ActionListMeetings(), tracker("mikkels-phone", "mine møder", "list_meetings"))
    assert responses(dispatcher) == ["utter_pairing_expired"] and "Sanne" not in str(dispatcher.messages)
    session.expire_all()
    assert bound_profile_id(session, "mikkels-phone") is None  # logged out, not only hidden
