"""One conversation as staff see it (transcript, understood intents, the
enrollments and escalations tied to it), the list of recent conversations,
and review tags on single messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from bot.db.education import latest_education
from bot.db.enrollments import list_by_conversation as enrollments_of
from bot.db.escalations import conversations_of_team
from bot.db.escalations import list_by_conversation as escalations_of
from bot.db.meetings import upcoming_meetings
from bot.db.models import StaffTeam, utcnow
from bot.db.review import TAGS, ReviewTagError, add_tag, tags_of
from bot.db.sms import by_conversation as sms_conversation_of
from bot.db.sms import on_duty_alerts, outbound_of
from bot.db.sms_models import SmsOutbound
from bot.db.tracker_events import recent_conversations
from bot.db.youth import bound_profile_id, get_profile
from bot.db.youth_models import EducationEvent, MentorMeeting, YouthProfile
from bot.rasa_client import RasaUnavailable
from bot.sms.numbers import masked
from bot.staff.cases import PRIORITY_NAMES, REASON_NAMES, STATUS_NAMES
from bot.staff.context import CheckedForm, Ctx, NotFound, SignedIn, audit, may_see_conversation, page, team_of
from bot.staff.live_marks import conversation_mark_of, live_url
from bot.staff.transcript import find_user_line, read_transcript

router = APIRouter()

# What a team sees of a conversation besides the transcript (None: an admin).
# A young person who asked for a person before pairing has a case in the
# family team; its staff see that case, not the aftercare profile, meetings
# and education, nor another team's cases and their notes.
SEES_ENROLLMENTS = {None, StaffTeam.COURSE, StaffTeam.FAMILY}
SEES_YOUNG_PEOPLE = {None, StaffTeam.YOUTH}

SMS_STATUS_NAMES = {
    "queued": "i kø",
    "sent": "sendt",
    "delivered": "leveret",
    "undelivered": "ikke leveret",
    "failed": "kunne ikke sendes",
    "suppressed": "ikke sendt (STOP)",
}
SMS_KIND_NAMES = {
    "reply": "svar",
    "reminder": "påmindelse",
    "optout": "STOP/START-kvittering",
    "limit": "for mange sms'er på kort tid",
    "on_duty": "til vagttelefonen",
}


@dataclass(frozen=True)
class YoungPerson:
    """The aftercare profile a conversation is identified as, for the staff view."""

    profile: YouthProfile
    how: str
    upcoming: list[MentorMeeting]
    education: list[EducationEvent]


def young_person_of(session: Session, conversation_id: str) -> YoungPerson | None:
    bound = bound_profile_id(session, conversation_id)
    profile = get_profile(session, bound[0]) if bound else None
    if bound is None or profile is None:
        return None
    how = {"pairing": "kode", "sms": "registreret mobilnummer"}.get(bound[1], "login på hjemmesiden")
    return YoungPerson(
        profile, how, upcoming_meetings(session, profile.id, utcnow()), latest_education(session, profile.id)
    )


@dataclass(frozen=True)
class SmsSide:
    """A conversation held by text: the number (only its last four digits are
    shown: staff recognise it with them and reply through the conversation,
    so the whole number need not be on every screen), STOP, the texts sent."""

    number: str
    opted_out_at: datetime | None
    texts: list[SmsOutbound]


def sms_side_of(session: Session, conversation_id: str) -> SmsSide | None:
    row = sms_conversation_of(session, conversation_id)
    if row is None:
        return None
    return SmsSide(masked(row.msisdn), row.opted_out_at, outbound_of(session, conversation_id))


@router.get("/samtaler")
def conversations_page(request: Request, user: SignedIn, ctx: Ctx, q: str = "") -> Any:
    rows = recent_conversations(ctx.tracker_engine, search=q.strip()[:100])
    with ctx.sessions.begin() as session:
        team = team_of(user)
        if team is not None:
            own = conversations_of_team(session, team)
            rows = [row for row in rows if row.conversation_id in own]
        # Logged without the search words: they may be a citizen's name.
        audit(
            session,
            request,
            user,
            "search_conversations" if q.strip() else "view_conversations",
            "conversations",
            f"{len(rows)} samtaler",
        )
    return page(request, "conversations.html", user, rows=rows, q=q)


@router.get("/samtale/{conversation_id}")
def conversation_page(request: Request, conversation_id: str, user: SignedIn, ctx: Ctx, fejl: str = "") -> Any:
    with ctx.reads() as session:
        if not may_see_conversation(session, user, conversation_id):
            raise NotFound("Samtalen findes ikke.")
        # Taken before the transcript is read: whatever happens after it, the live stream sends.
        seen = conversation_mark_of(ctx.tracker_engine, session, team_of(user), conversation_id)
    try:
        lines, unavailable = read_transcript(ctx.rasa.tracker(conversation_id)), False
    except RasaUnavailable:
        lines, unavailable = [], True
    team = team_of(user)
    with ctx.sessions.begin() as session:
        escalations = [case for case in escalations_of(session, conversation_id) if team in (None, case.team)]
        for escalation in escalations:
            list(escalation.notes)  # loaded while the session is open
        enrollments = enrollments_of(session, conversation_id) if team in SEES_ENROLLMENTS else []
        for enrollment in enrollments:
            _ = enrollment.team
        tags = {round(tag.message_at, 6): tag for tag in tags_of(session, conversation_id)}
        youth = young_person_of(session, conversation_id) if team in SEES_YOUNG_PEOPLE else None
        sms = sms_side_of(session, conversation_id) if team in SEES_YOUNG_PEOPLE else None
        on_duty = on_duty_alerts(session, [case.id for case in escalations])
        audit(session, request, user, "view_transcript", f"conversation:{conversation_id}")
    return page(
        request,
        "conversation.html",
        user,
        live_url=live_url(samtale=conversation_id, seen=seen),
        conversation_id=conversation_id,
        lines=lines,
        unavailable=unavailable,
        escalations=escalations,
        enrollments=enrollments,
        tags=tags,
        youth=youth,
        sms=sms,
        on_duty=on_duty,
        sms_status_names=SMS_STATUS_NAMES,
        sms_kind_names=SMS_KIND_NAMES,
        masked=masked,
        tag_names=TAGS,
        error=fejl[:300],
        status_names=STATUS_NAMES,
        reason_names=REASON_NAMES,
        priority_names=PRIORITY_NAMES,
        intents=sorted({line.intent for line in lines if line.intent}),
    )


@router.post("/samtale/{conversation_id}/maerke")
def tag_message(request: Request, conversation_id: str, form: CheckedForm, user: SignedIn, ctx: Ctx) -> Any:
    back = f"/samtale/{quote(conversation_id, safe='')}"
    with ctx.reads() as session:
        if not may_see_conversation(session, user, conversation_id):
            raise NotFound("Samtalen findes ikke.")
    try:
        timestamp = float(str(form.get("message_at") or ""))
        line = find_user_line(read_transcript(ctx.rasa.tracker(conversation_id)), timestamp)
        if line is None:
            raise ReviewTagError("Beskeden findes ikke i samtalen.")
        with ctx.sessions.begin() as session:
            add_tag(
                session,
                conversation_id=conversation_id,
                message_at=line.timestamp,
                message_text=line.text,
                predicted_intent=line.intent,
                confidence=line.confidence,
                tag=str(form.get("tag") or ""),
                correct_intent=str(form.get("correct_intent") or "").strip()[:100] or None,
                tagged_by=user.username,
            )
            audit(session, request, user, "tag", f"conversation:{conversation_id}", str(form.get("tag")))
    except (ValueError, RasaUnavailable) as error:
        message = str(error) if isinstance(error, ReviewTagError) else "Mærket kunne ikke gemmes. Prøv igen."
        return RedirectResponse(f"{back}?fejl={quote(message)}", status_code=303)
    return RedirectResponse(back, status_code=303)
