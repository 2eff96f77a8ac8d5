"""What is stored about this conversation (my_data), and deleting it (delete_my_data).

The enrollments made in the conversation are read and deleted here; the
conversation itself (Rasa's tracker events) is deleted by the Rasa server
right after this turn is saved (bot/rasa_server/launcher.py), because Rasa would
otherwise write the events back.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import today
from actions.teams import describe_team
from actions.transaction import Transaction
from actions.youth_identity import identified_profile
from bot.dates import format_danish_date
from bot.db.consents import CONTACT, ENROLLMENT, consents_of, delete_conversation_consents
from bot.db.enrollments import delete_by_conversation, list_by_conversation
from bot.db.escalations import add_note
from bot.db.escalations import list_by_conversation as escalations_of
from bot.db.models import ConsentRecord, CourseEnrollment, EnrollmentStatus, Escalation, NoteKind
from bot.db.review import delete_by_conversation as delete_review_tags
from bot.db.youth import forget_conversation, stored_about
from bot.db.youth_models import YouthProfile
from bot.shared.municipality import contact_details, current_municipality
from bot.shared.protocol import DELETION_SLOT

# Set only when the data is gone: the Rasa server then deletes the conversation.


def describe_enrollment(row: CourseEnrollment) -> str:
    retention = current_municipality().retention
    child = (
        f"fødselsdato {format_danish_date(row.birth_date)}"
        if row.birth_date
        else f"termin {format_danish_date(row.due_date)}"
        if row.due_date
        else ""
    )
    contact = ", ".join(value for value in (row.email, row.phone) if value)
    partner = f", partner {row.partner_name}" if row.partner_name else ""
    status = {
        EnrollmentStatus.CANCELLED: "afmeldt",
        EnrollmentStatus.HELD: "venter på, at en medarbejder bekræfter den",
    }.get(row.status, "tilmeldt")
    kept = (
        f"slettes {retention.cancelled_enrollment_days} dage efter afmeldingen"
        if row.status == EnrollmentStatus.CANCELLED
        else f"slettes {retention.days_after_course} dage efter, at forløbet er slut"
    )
    return (
        f"- Familie med Hjerte, kode {row.reference_code} ({status}): {row.parent_name}{partner}, {child}, "
        f"{contact}, hold {describe_team(row.team)}. Samtykke givet {format_danish_date(row.created_at.date())} "
        f'til teksten: "{row.consent_text}" Oplysningerne {kept}.'
    )


def describe_case(case: Escalation) -> str:
    return (
        f"- Samtalen er sendt til en medarbejder {format_danish_date(case.created_at.date())} (en sag hos "
        "kommunen). Den gemmes efter reglerne for kommunens sager, ikke efter chattens slettefrister."
    )


CONSENT_PURPOSES = {ENROLLMENT: "tilmelding til Familie med Hjerte", CONTACT: "at en medarbejder kontakter dig"}


def describe_consent(row: ConsentRecord) -> str:
    answer = "givet" if row.answer == "given" else "ikke givet"
    purpose = CONSENT_PURPOSES.get(row.purpose, row.purpose)
    subject = f" ({row.subject})" if row.subject and not row.subject.startswith("escalation") else ""
    return (
        f"- Samtykke {answer} {format_danish_date(row.at.date())} til {purpose}{subject}: "
        f'"{row.text_shown}" Gemmes, så længe det, samtykket gælder, gemmes.'
    )


def describe_youth(session: Session, profile: YouthProfile) -> str:
    meetings, events = stored_about(session, profile.id)
    programme = f", uddannelse: {profile.programme}" if profile.programme else ""
    return (
        f"- Du er logget ind som {profile.first_name} ({profile.reference}), mentor {profile.mentor_name}"
        f"{programme}. Kommunen har {meetings} møder og {events} uddannelsesændringer om dig. De hører til "
        "din sag om efterværn, gemmes mens efterværnet varer (til "
        f"{format_danish_date(profile.aftercare_ends_on)}) og derefter efter kommunens regler for sager. "
        "Din mentor kan se dem."
    )


class ActionShowMyData(Action):
    """A readable summary of what is stored about this conversation, and for how long."""

    def name(self) -> str:
        return "action_show_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        days = str(current_municipality().retention.conversation_days)
        # Committed: a first valid website token binds the conversation.
        with Transaction(dispatcher, self.name()) as tx:
            lines = [describe_enrollment(row) for row in list_by_conversation(tx.session, tracker.sender_id)]
            lines += [describe_case(case) for case in escalations_of(tx.session, tracker.sender_id)]
            lines += [describe_consent(row) for row in consents_of(tx.session, tracker.sender_id)]
            profile, _ = identified_profile(tx.session, tracker)
            if profile is not None:
                lines.append(describe_youth(tx.session, profile))
            if lines:
                tx.reply("utter_my_data", stored="\n".join(lines), conversation_days=days)
            else:
                tx.reply("utter_my_data_conversation_only", conversation_days=days)
        return []


class ActionDeleteMyData(Action):
    """After the user said yes: delete the enrollments made in this conversation.
    The Rasa server deletes the conversation's events after this turn."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        with Transaction(dispatcher, self.name()) as tx:
            session = tx.session
            deleted = delete_by_conversation(session, tracker.sender_id)
            cases = escalations_of(session, tracker.sender_id)
            for case in cases:
                # A conversation staff were asked to handle is a case record the
                # municipality must keep; staff get the request as a task instead.
                add_note(
                    session,
                    case,
                    "assistenten",
                    f"Borgeren bad {today():%d.%m.%Y} om at få sine oplysninger slettet: vurder, hvad der kan slettes.",
                    kind=NoteKind.TASK,
                )
            # Consents go with what they cover: the enrollments now; the case's contact consent stays with it.
            delete_conversation_consents(session, tracker.sender_id, keep_purposes=(CONTACT,) if cases else ())
            if not cases:
                delete_review_tags(session, tracker.sender_id)
            # A young person's profile belongs to their aftercare case: it stays;
            # this conversation is no longer tied to it.
            if forget_conversation(session, tracker.sender_id):
                tx.reply("utter_youth_profile_kept")
            if cases:
                tx.reply("utter_data_kept_for_case", **contact_details())
            else:
                tx.reply("utter_data_deleted" if deleted else "utter_conversation_deleted")
            conversation_goes = not cases
        # The Rasa server deletes the conversation only when its data is gone (and a case's is kept).
        return [SlotSet(DELETION_SLOT, True)] if not tx.failed and conversation_goes else []
