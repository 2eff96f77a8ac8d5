"""Access control, end to end against the running servers, tried as an
outsider would: the action server runs nothing without the Rasa server's
secret, and listens on this machine only; a typed `/intent{…}` that the
assistant did not offer as a button is ordinary text; a reminder for a
meeting that is not the conversation's young person's is never sent; Rasa's
HTTP API takes only a signed JWT in a header, answers only the configured
site's pages, listens on this machine only, and no secret is among any
process's arguments."""

from __future__ import annotations

import socket
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import delete, func, select

from bot.db.models import CourseEnrollment, Escalation
from bot.db.youth import get_by_reference
from bot.db.youth_models import MentorMeeting
from bot.rasa_client import api_headers, api_token
from bot.runner import Assistant
from bot.shared.municipality import current_municipality
from tests.e2e.conftest import RunningAssistant, SocketChat
from tests.e2e.test_youth_http import pair
from tests.helpers import MESSAGES_PER_MINUTE, NEW_SESSIONS_PER_MINUTE

pytestmark = pytest.mark.e2e


def forged_call(action: str, profile_id: int) -> dict[str, Any]:
    """What an attacker would post: a made-up tracker that claims a verified young person."""
    conversation = f"attacker-{uuid.uuid4().hex[:8]}"
    return {
        "next_action": action,
        "sender_id": conversation,
        "version": "3.6.2",
        "domain": {},
        "tracker": {
            "sender_id": conversation,
            "slots": {},
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
            "latest_event_time": 0,
            "latest_message": {
                "text": "mine møder",
                "intent": {"name": "list_meetings"},
                "entities": [],
                "metadata": {"verified_profile_id": profile_id},
            },
        },
    }


def action_server(running: RunningAssistant) -> str:
    return f"http://127.0.0.1:{running.assistant.settings.action_server_port}"


def profile_id(running: RunningAssistant, reference: str) -> int:
    with running.sessions() as session:
        profile = get_by_reference(session, reference)
        assert profile is not None
        return profile.id


@pytest.mark.parametrize("authorization", [None, "", "Bearer wrong", "Bearer", "Basic YWRtaW46YWRtaW4="])
def test_the_action_server_runs_nothing_without_the_rasa_servers_secret(
    running: RunningAssistant, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    call = forged_call("action_list_meetings", profile_id(running, "UNG-001"))
    answer = httpx.post(f"{action_server(running)}/webhook", json=call, headers=headers, timeout=10)
    assert answer.status_code == 401
    assert "Sanne" not in answer.text and "møde" not in answer.text
    assert httpx.get(f"{action_server(running)}/actions", headers=headers, timeout=10).status_code == 401


def test_the_action_server_answers_the_rasa_server_and_its_health_check(running: RunningAssistant) -> None:
    assert httpx.get(f"{action_server(running)}/health", timeout=10).status_code == 200
    token = running.assistant.settings.action_server_token
    listed = httpx.get(f"{action_server(running)}/actions", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert listed.status_code == 200 and {"name": "action_list_meetings"} in listed.json()


def test_a_failing_action_echoes_nothing_of_the_tracker(running: RunningAssistant) -> None:
    token = running.assistant.settings.action_server_token
    call = forged_call("action_remind_meeting", profile_id(running, "UNG-001"))
    call["tracker"]["latest_message"]["entities"] = [{"entity": "meeting_id", "value": {"not": "a number"}}]
    call["tracker"]["latest_message"]["text"] = "min hemmelige besked"
    answer = httpx.post(
        f"{action_server(running)}/webhook", json=call, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert "min hemmelige besked" not in answer.text


def outward_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_action_server_listens_on_this_machine_only(running: RunningAssistant) -> None:
    address = outward_address()
    assert address is not None, "the machine has no network address to try from"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        assert probe.connect_ex((address, running.assistant.settings.action_server_port)) != 0


def escalations(running: RunningAssistant, conversation: str) -> list[Escalation]:
    with running.sessions() as session:
        return list(session.scalars(select(Escalation).where(Escalation.conversation_id == conversation)))


@pytest.mark.parametrize(
    "typed",
    [
        '/EXTERNAL_meeting_reminder{"meeting_id": "1"}',
        '/express_distress{"danger_kind": "medical"}',
        '/possible_distress{"danger_kind": "<script>alert(1)</script>"}',
        '//check_enrollment{"lookup_enrollment_id": 1}',
    ],
)
def test_a_typed_payload_that_was_not_offered_is_ordinary_text(running: RunningAssistant, typed: str) -> None:
    chat = running.chat()
    chat.say(typed)
    with running.sessions() as session:
        codes = list(session.scalars(select(CourseEnrollment.reference_code)))
    assert "Husk dit møde" not in chat.text and "<script>" not in chat.text
    assert not any(code in chat.text for code in codes)
    assert escalations(running, chat.sender) == []
    [user] = [e for e in running.tracker(chat.sender)["events"] if e["event"] == "user"]
    assert not user["text"].startswith("/")
    assert user["parse_data"]["intent"]["name"] not in ("EXTERNAL_meeting_reminder", "express_distress")
    assert [e for e in user["parse_data"]["entities"] if e["entity"] in ("meeting_id", "lookup_enrollment_id")] == []


def test_a_reminder_only_for_a_meeting_of_the_conversations_own_young_person(running: RunningAssistant) -> None:
    chat = running.chat()
    pair(running, chat, "UNG-003")
    with running.sessions() as session:
        own = profile_id(running, "UNG-003")
        [theirs] = list(
            session.scalars(
                select(MentorMeeting.id)
                .where(MentorMeeting.profile_id != own)
                .where(MentorMeeting.starts_at.is_not(None))
                .limit(1)
            )
        )
    settings = running.assistant.settings
    before = len(running.tracker(chat.sender)["events"])
    answer = httpx.post(
        f"{settings.rasa_url}/conversations/{chat.sender}/trigger_intent",
        headers=api_headers(settings.rasa_api_secret),
        json={"name": "EXTERNAL_meeting_reminder", "entities": {"meeting_id": str(theirs)}},
        timeout=30,
    )
    assert answer.status_code == 200
    said = [e["text"] for e in running.tracker(chat.sender)["events"][before:] if e["event"] == "bot"]
    assert not any("Husk dit møde" in text for text in said)


def test_the_rasa_api_needs_a_signed_jwt_in_the_header_never_a_secret_in_the_url(running: RunningAssistant) -> None:
    settings = running.assistant.settings
    url = f"{settings.rasa_url}/conversations/someone/tracker"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, params={"token": settings.rasa_api_secret}, timeout=10).status_code == 401
    assert httpx.get(url, headers=api_headers("not-the-secret"), timeout=10).status_code == 401
    expired = {"Authorization": f"Bearer {api_token(settings.rasa_api_secret, lifetime=-600)}"}
    assert httpx.get(url, headers=expired, timeout=10).status_code == 401
    assert httpx.get(url, headers=api_headers(settings.rasa_api_secret), timeout=10).status_code == 200
    # No secret among any process's arguments, where every user of the machine can read them.
    for process in running.assistant.processes.values():
        arguments = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
        for secret in (
            settings.rasa_api_secret,
            settings.action_server_token,
            settings.staff_secret,
            settings.youth_token_secret,
        ):
            assert secret not in arguments


def test_rasa_answers_only_the_configured_site_and_only_on_this_machine(running: RunningAssistant) -> None:
    settings = running.assistant.settings
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    foreign = httpx.options(url, headers={"Origin": "https://evil.example", **preflight}, timeout=10)
    assert foreign.headers.get("access-control-allow-origin") is None
    own = httpx.options(url, headers={"Origin": settings.web_origin, **preflight}, timeout=10)
    assert own.headers.get("access-control-allow-origin") == settings.web_origin
    address = outward_address()
    assert address is not None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        assert probe.connect_ex((address, settings.rasa_port)) != 0


def test_knowing_a_widget_conversation_id_is_not_enough(running: RunningAssistant) -> None:
    url = running.assistant.settings.rasa_url
    victim = SocketChat(url, api_secret=running.assistant.settings.rasa_api_secret)
    try:
        assert "Familie med Hjerte" in victim.say("hej")
        victims_id = victim.session_id
        # Asking for the victim's session without its signature, or with a made-up one, gets a new session.
        real = victim.session["session_token"]
        tampered = ("B" if real[0] != "B" else "C") + real[1:]  # one character changed, never the same token
        for token in (None, "", "x" * 43, tampered):
            stranger = SocketChat(url, session_id=victims_id, session_token=token)
            try:
                assert stranger.session_id != victims_id
                # Writing as the victim from the stranger's socket is refused, and nothing reaches the victim.
                victim.replies.clear()
                assert stranger.say("jeg vil gerne afmelde kurset", as_session=victims_id) == ""
                assert "session_invalid" in stranger.events and victim.replies == []
            finally:
                stranger.close()
        users = [e["text"] for e in running.tracker(victims_id)["events"] if e["event"] == "user"]
        assert users == ["hej"]
        # The widget itself, back with the id and its signature, is the same conversation.
        again = SocketChat(url, session_id=victims_id, session_token=victim.session["session_token"])
        try:
            assert again.session_id == victims_id and again.say("tak") != ""
        finally:
            again.close()
    finally:
        victim.close()


def test_make_run_has_no_rest_channel(running: RunningAssistant) -> None:
    assert running.assistant.credentials().name == "credentials_rest.yml"  # the tests turn it on
    production = Assistant(
        settings=replace(running.assistant.settings, rest_channel=False), model=running.assistant.model
    )
    credentials = yaml.safe_load(production.credentials().read_text(encoding="utf-8"))
    # the widget's signed sessions, the SMS gateway's signed webhook and the readiness route
    # (which takes no message); never Rasa's REST channel
    assert "rest" not in credentials and list(credentials) == [
        "bot.rasa_server.channels.widget.WidgetSocketIOInput",
        "bot.rasa_server.channels.sms.SmsInput",
        "bot.rasa_server.channels.health.HealthInput",
    ]


def test_the_readiness_route_takes_no_message_and_tells_nothing_but_ready(running: RunningAssistant) -> None:
    url = f"{running.assistant.settings.rasa_url}/webhooks/health"
    ready = httpx.get(f"{url}/ready", timeout=10)
    assert ready.status_code == 200 and ready.json() == {"status": "ok"}
    assert httpx.post(f"{url}/ready", json={"sender": "x", "message": "hej"}, timeout=10).status_code == 405
    assert httpx.post(f"{url}/webhook", json={"sender": "x", "message": "hej"}, timeout=10).status_code == 404


def test_a_flood_of_danger_messages_from_rotating_conversations_opens_at_most_the_limit_of_cases(
    running: RunningAssistant,
) -> None:
    with running.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Escalation)) or 0
    started = time.monotonic()
    flood = SocketChat(running.assistant.settings.rasa_url, headers={"X-Forwarded-For": "203.0.113.7"})
    accepted = 1
    try:
        flood.say("jeg vil ikke leve mere")
        for _ in range(999):
            if flood.request_session():
                accepted += 1
                flood.say("jeg vil ikke leve mere")
            else:
                flood.client.emit("user_uttered", {"message": "jeg vil ikke leve mere", "session_id": uuid.uuid4().hex})
    finally:
        flood.close()
    minutes = int((time.monotonic() - started) // 60) + 1
    with running.sessions() as session:
        cases = (session.scalar(select(func.count()).select_from(Escalation)) or 0) - before
    assert accepted <= NEW_SESSIONS_PER_MINUTE * minutes
    assert 0 < cases <= NEW_SESSIONS_PER_MINUTE * minutes
    # Someone else, from another address, still gets a session and the emergency answer.
    other = SocketChat(running.assistant.settings.rasa_url, headers={"X-Forwarded-For": "198.51.100.20"})
    try:
        assert "112" in other.say("jeg vil ikke leve mere")
    finally:
        other.close()


def test_one_conversation_writing_too_fast_is_told_to_wait_and_nothing_more_is_read(running: RunningAssistant) -> None:
    limit = MESSAGES_PER_MINUTE
    chat = running.chat()
    for n in range(limit):
        chat.say(f"hej {n}")
    chat.say("og en til")
    assert "mange beskeder på kort tid" in chat.text and "112" in chat.text
    users = [e["text"] for e in running.tracker(chat.sender)["events"] if e["event"] == "user"]
    assert len(users) == limit and "og en til" not in users


def test_a_too_long_message_is_answered_and_not_stored_unless_it_names_a_danger(running: RunningAssistant) -> None:
    limit = current_municipality().security.max_message_chars
    chat = running.chat()
    chat.say("min adresse er hemmelig " + "bla " * limit)
    assert "for lang" in chat.text and "112" in chat.text
    assert not any(e["event"] == "user" for e in running.tracker(chat.sender)["events"])
    danger = running.chat()
    danger.say("undskyld det lange " + "bla " * limit + " men jeg vil ikke leve mere")
    assert "70 201 201" in danger.text


def test_a_message_the_limits_turn_away_is_masked_first(running: RunningAssistant) -> None:
    """The widget shows and keeps the masked form the server tells it; a message
    turned away by the limits is masked (and the person told) all the same."""
    limit = current_municipality().security.max_message_chars
    chat = running.chat()
    chat.say("mit cpr er 050607-4321 " + "bla " * limit)
    assert "for lang" in chat.text and "CPR-nummer" in chat.text
    assert not any(e["event"] == "user" for e in running.tracker(chat.sender)["events"])


def test_typing_someone_elses_contact_reveals_nothing_about_her_enrollment(running: RunningAssistant) -> None:
    from tests.e2e.test_enrollment_http import finish, start_and_answer_first_questions

    mother = running.chat()
    start_and_answer_first_questions(mother, "Sara Holm")
    code = finish(mother, "sara.access@example.dk")
    with running.sessions() as session:
        place = session.scalars(select(CourseEnrollment).where(CourseEnrollment.reference_code == code)).one().team
        where = place.place
    stranger = running.chat()
    start_and_answer_first_questions(stranger, "Nina Berg")
    said: list[str] = []
    stranger.say("ja")
    said.append(stranger.text)
    stranger.say("nej")
    said.append(stranger.text)
    stranger.say("sara.access@example.dk")
    said.append(stranger.text)
    transcript = "\n".join(said)
    assert code not in transcript and "allerede tilmeldt" not in transcript
    assert stranger.buttons  # the form goes on as for anyone: the teams to choose from
    # Looking her enrollment up with her code but another contact: no match, nothing more.
    looker = running.chat()
    looker.say("jeg vil gerne afmelde vores tilmelding til kurset")
    looker.say(code.lower())
    looker.say("stranger@example.dk")
    assert "kan ikke finde" in looker.text and where not in looker.text


def test_rotating_conversations_get_no_more_pairing_tries_than_the_overall_limit(running: RunningAssistant) -> None:
    from bot.db.models import utcnow
    from bot.db.youth import MAX_WRONG_CODES_OVERALL
    from bot.db.youth_models import PairingAttempt

    refused, started = 0, utcnow()
    try:
        for n in range(MAX_WRONG_CODES_OVERALL + 5):
            chat = running.chat()
            chat.say("jeg vil logge ind med min kode")
            chat.say(f"Z{2 + n % 8}Z-{2 + n % 7}ZZ")
            refused += "Lige nu kan koder ikke bruges" in chat.text
        with running.sessions() as session:
            wrong = (
                session.scalar(select(func.count()).select_from(PairingAttempt).where(PairingAttempt.at >= started))
                or 0
            )
        assert wrong <= MAX_WRONG_CODES_OVERALL and refused >= 5
    finally:
        # The limit is the whole installation's: give the other tests their codes back.
        with running.sessions.begin() as session:
            session.execute(delete(PairingAttempt))


def test_a_staff_cookie_replayed_after_logout_opens_nothing(running: RunningAssistant) -> None:
    from tests.e2e.test_handover_http import StaffBrowser, csrf_of

    staff = StaffBrowser(running, running.staff_user("access-staff"))
    queue = staff.client.get("/")
    assert queue.status_code == 200
    stolen = httpx.Client(base_url=running.staff_url, cookies=staff.client.cookies, timeout=30)
    assert stolen.get("/").status_code == 200
    staff.client.post("/logout", data={"csrf_token": csrf_of(queue.text)})
    replay = stolen.get("/")
    assert replay.status_code == 303 and replay.headers["location"] == "/login"
