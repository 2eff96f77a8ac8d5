"""End to end through the running servers (REST channel) and the running
staff app: request_human in the middle of the enrollment pauses the form and
asks how to be contacted; a question while asked how is answered and the
question asked again, a person asked for again is a person in the chat (or
the way named); a staff member takes the conversation (the
assistant goes quiet, except for danger), answers into it, and closes it
(the assistant is back)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.db.models import AuditEntry, Escalation
from bot.db.services import get_service
from tests.e2e.conftest import STAFF_PASSWORD, Chat, RunningAssistant
from tests.web.conftest import csrf_of

pytestmark = pytest.mark.e2e


def escalation_of(running: RunningAssistant, conversation: str) -> Escalation:
    with running.sessions() as session:
        return session.scalars(select(Escalation).where(Escalation.conversation_id == conversation)).one()


class StaffBrowser:
    """A staff member using the staff app over HTTP, as a browser would."""

    def __init__(self, running: RunningAssistant, username: str) -> None:
        self.client = httpx.Client(base_url=running.staff_url, timeout=30)
        token = csrf_of(self.client.get("/login").text)
        response = self.client.post(
            "/login", data={"username": username, "password": STAFF_PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 303, response.text

    def post(self, conversation: str, path: str, **fields: str) -> httpx.Response:
        token = csrf_of(self.client.get(f"/samtale/{conversation}").text)
        response = self.client.post(path, data={"csrf_token": token, **fields})
        assert response.status_code == 303 and "fejl=" not in response.headers["location"], response.headers
        return response


def bot_texts_since(tracker: dict[str, Any], before: int) -> list[str]:
    return [e.get("text") or "" for e in tracker["events"][before:] if e["event"] == "bot"]


def test_request_human_in_the_middle_of_the_enrollment_then_back_to_the_form(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("vi vil gerne tilmelde os familie med hjerte")
    chat.say("Mette Hansen")
    assert "Er jeres barn født?" in chat.text
    chat.say("kan jeg tale med en medarbejder?")
    assert "gemt, så du kan fortsætte" in chat.text and "Hvordan vil du helst kontaktes?" in chat.text
    chat.say("ring til mig")
    assert "Hvilket telefonnummer" in chat.text
    chat.say("12 34 56 78")
    assert "ringer til dig på 12 34 56 78" in chat.text
    assert "/enroll_course" in [b["payload"] for b in chat.buttons]  # "Fortsæt tilmeldingen"
    row = escalation_of(running, chat.sender)
    assert (row.reason, row.priority, row.contact_wish) == ("request_human", "normal", "telefon 12 34 56 78")
    chat.click("/enroll_course")
    assert "Er jeres barn født?" in chat.text  # the name was kept: the form goes on where it was


def test_inside_the_contact_wish_a_question_is_answered_and_a_person_asked_again_is_on_the_way(
    running: RunningAssistant,
) -> None:
    chat = running.chat()
    chat.say("jeg vil gerne tale med en medarbejder")
    assert chat.last[-1]["text"] == "Hvordan vil du helst kontaktes?"
    chat.say("hvad er en mentor?")
    with running.sessions() as session:
        mentor = get_service(session, "mentor")
        assert mentor is not None
        assert chat.last[0]["text"] == mentor.answer
    assert chat.last[-1]["text"] == "Hvordan vil du helst kontaktes?"
    chat.say("ring til mig")  # read by the NLU as a request for a person: it answers all the same
    assert "Hvilket telefonnummer" in chat.last[-1]["text"]
    chat.say("kan en medarbejder ikke ringe mig op")  # the telephone again, still without its number
    assert "allerede givet videre til en medarbejder" in chat.text
    assert "Hvilket telefonnummer" in chat.last[-1]["text"]  # the way to be contacted is kept
    assert running.tracker(chat.sender)["active_loop"]["name"] == "contact_form"
    chat.say("12 34 56 78")
    assert "ringer til dig på 12 34 56 78" in chat.text
    row = escalation_of(running, chat.sender)  # one case, not two
    assert (row.reason, row.priority, row.contact_wish) == ("request_human", "normal", "telefon 12 34 56 78")


def test_a_person_asked_for_again_while_asked_how_is_a_person_in_the_chat(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("må jeg få lov at skrive med en sagsbehandler")
    assert chat.last[-1]["text"] == "Hvordan vil du helst kontaktes?"
    chat.say("helst bare tale med en person, tak")  # no way named: the question is not asked again
    assert "skriver til dig her i chatten" in chat.text, chat.text
    assert "Hvordan vil du helst kontaktes?" not in chat.text
    assert running.tracker(chat.sender)["active_loop"].get("name") is None
    row = escalation_of(running, chat.sender)  # one case, with the chat as the way
    assert (row.reason, row.contact_wish) == ("request_human", "chat")


def test_staff_take_answer_and_close_and_the_assistant_is_quiet_meanwhile(running: RunningAssistant) -> None:
    chat: Chat = running.chat()
    chat.say("jeg vil gerne snakke med et menneske")
    chat.say("chat")
    assert "her i chatten" in chat.text
    case = escalation_of(running, chat.sender)
    staff = StaffBrowser(running, running.staff_user("anne", name="Anne"))
    assert chat.sender in staff.client.get("/").text

    staff.post(chat.sender, f"/sag/{case.id}/tag")
    tracker = running.tracker(chat.sender)
    assert tracker["paused"] is True
    assert any("Anne fra Eksempel Kommune har overtaget samtalen" in t for t in bot_texts_since(tracker, 0))

    assert chat.say("hallo?") == []  # quiet: a person has the conversation
    before = len(running.tracker(chat.sender)["events"])
    staff.post(chat.sender, f"/sag/{case.id}/svar", text="Hej, det er Anne. Hvad kan jeg hjælpe med?")
    assert bot_texts_since(running.tracker(chat.sender), before) == [
        "**Anne:** Hej, det er Anne. Hvad kan jeg hjælpe med?"
    ]

    chat.say("min kæreste slår mig")  # danger is answered at once, also now
    assert "112" in chat.text
    assert escalation_of(running, chat.sender).priority == "critical"

    page = staff.client.get(f"/samtale/{chat.sender}").text
    assert "hallo?" in page and "express_distress" in page and "Hej, det er Anne" in page

    staff.post(chat.sender, f"/sag/{case.id}/luk", outcome="Talt med borgeren, ringer i morgen")
    tracker = running.tracker(chat.sender)
    assert tracker["paused"] is False
    assert any("har afsluttet samtalen" in t for t in bot_texts_since(tracker, 0))
    chat.say("hej")
    assert "Hej!" in chat.text  # the assistant answers again
    row = escalation_of(running, chat.sender)
    assert (row.status, row.outcome, row.claimed_by) == ("closed", "Talt med borgeren, ringer i morgen", "anne")
    with running.sessions() as session:
        audited = [a.action for a in session.scalars(select(AuditEntry).where(AuditEntry.actor == "anne"))]
    assert {"login", "claim", "answer", "view_transcript", "close"} <= set(audited)


def test_two_misunderstood_messages_offer_a_person(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("qwxz blorp fnaf")
    chat.say("zzkq vrrm plonk")
    assert "videre til en medarbejder" in chat.text
    chat.say("/request_human")
    assert "Hvordan vil du helst kontaktes?" in chat.text
    assert escalation_of(running, chat.sender).reason == "misunderstood"


def test_a_person_asked_for_in_words_after_the_offer_is_a_request_for_one(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("qwxz blorp fnaf")
    chat.say("zzkq vrrm plonk")
    assert "videre til en medarbejder" in chat.text
    chat.say("jeg vil hellere snakke med en rigtig medarbejder")  # asked, not the offer's yes
    assert "Hvordan vil du helst kontaktes?" in chat.text
    assert escalation_of(running, chat.sender).reason == "request_human"


def test_a_no_that_asks_for_a_person_after_a_service_answer_gets_one(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hvad tilbyder sundhedsplejen?")
    chat.say("nej det var slet ikke det jeg spurgte om. kan jeg ikke bare snakke med et menneske")
    assert "Jeg giver din samtale videre til en medarbejder" in chat.text, chat.text
    with running.sessions() as session:
        cases = session.scalars(select(Escalation).where(Escalation.conversation_id == chat.sender)).all()
    assert [case.reason for case in cases] == ["request_human"]


def test_a_no_that_tells_feeling_bad_is_offered_a_person_and_a_yes_gets_one(running: RunningAssistant) -> None:
    chat = running.chat()
    chat.say("hvad kan familierådgivningen hjælpe med")
    chat.say("nej. jeg er bare så ked af det for tiden")
    assert "Vil du skrive med en medarbejder" in chat.text and "Helt i orden" not in chat.text, chat.text
    chat.say("ja tak")
    assert "Jeg giver din samtale videre til en medarbejder" in chat.text, chat.text
    with running.sessions() as session:
        cases = session.scalars(select(Escalation).where(Escalation.conversation_id == chat.sender)).all()
    # Staff see why: the person was offered because the parent feels bad (no danger, so not critical).
    assert [(case.reason, case.priority) for case in cases] == [("distress", "high")]
    # A plain no is still a plain no.
    other = running.chat()
    other.say("hvad kan familierådgivningen hjælpe med")
    other.say("nej tak")
    assert "Helt i orden" in other.text and "Vil du skrive med en medarbejder" not in other.text, other.text


def test_a_call_asked_for_and_a_person_asked_for_after_the_bot_question_queue_the_conversation(
    running: RunningAssistant,
) -> None:
    for text, next_question in (
        # not contact details; the call asked for is the telephone, whose number is asked next
        ("jeg gider ikke skrive med en robot, kan en medarbejder fra kommunen ringe til mig?", "telefonnummer"),
        ("are you a chatbot? I would rather speak with a real person", "Hvordan vil du helst kontaktes?"),
    ):
        chat = running.chat()
        chat.say(text)
        assert "Jeg giver din samtale videre til en medarbejder" in chat.text, chat.text
        assert next_question in chat.text, chat.text
        assert escalation_of(running, chat.sender).reason == "request_human"
