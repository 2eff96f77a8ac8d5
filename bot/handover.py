"""Hand-over to staff, the parts the action server and the periodic job share:
whose queue a case goes to, the text to the team's on-duty phone outside
chat hours, and the sweep that queues a danger message whose case was never
opened (the action server was down or failing when it came: the citizen got
112 and the help lines from the Rasa server alone, and nobody else knew)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import click
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from bot.db.enrollments import find_active_for_conversation
from bot.db.escalations import critical_since, open_escalation, open_for_conversation
from bot.db.models import Escalation, StaffTeam
from bot.db.session import make_sessionmaker
from bot.db.sms import add_on_duty_alert
from bot.db.tracker_events import danger_turns
from bot.db.youth import bound_profile_id
from bot.domain import render_response
from bot.shared.clock import utc_now
from bot.shared.municipality import current_municipality
from bot.shared.settings import load_settings
from bot.sms.numbers import normalize

logger = logging.getLogger(__name__)
CRITICAL = "critical"
COURSE_FORMS = ("enrollment_form", "enrollment_lookup_form")
# The queue a case is in, as the on-duty text names it (staff read it, not citizens).
ON_DUTY_TEAM_NAMES = {
    StaffTeam.FAMILY: "familieteamets kø",
    StaffTeam.COURSE: "forløbsteamets kø",
    StaffTeam.YOUTH: "efterværnsteamets kø",
}
# The action queues a danger message's case within seconds; the sweep leaves it that long.
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_WINDOW = timedelta(days=1)
# Clocks of two processes (the Rasa server stamps the turn, the action server the case).
CLOCK_SLACK = timedelta(minutes=1)


def team_for(session: Session, conversation_id: str, form: str | None = None) -> str:
    """Whose queue the case goes to: aftercare for an identified young person,
    the course staff for an enrollment, the family team for everything else."""
    if bound_profile_id(session, conversation_id) is not None:
        return StaffTeam.YOUTH
    if form in COURSE_FORMS or find_active_for_conversation(session, conversation_id) is not None:
        return StaffTeam.COURSE
    return StaffTeam.FAMILY


def alert_on_duty(session: Session, case: Escalation, now: datetime) -> bool:
    """Outside chat hours nobody watches the queue: a new critical case is also
    texted to the team's on-duty phone (the municipality file), in the case's
    own transaction, so there is never one without the other. Whether a text was queued."""
    municipality = current_municipality()
    number = normalize(municipality.on_duty.get(case.team, ""))
    if municipality.chat_hours.is_open(now) or number is None:
        return False
    body = render_response(
        "utter_on_duty_alert",
        municipality_name=municipality.name,
        case_id=str(case.id),
        team_name=ON_DUTY_TEAM_NAMES.get(case.team, case.team),
        staff_url=load_settings().staff_app_url,
    )
    add_on_duty_alert(session, case.id, number, body, now)
    return True


def open_critical(
    session: Session, *, conversation_id: str, channel: str, reason: str, summary: str, team: str, now: datetime
) -> Escalation:
    """Queue (or raise) the conversation's case as critical; the on-duty text when it becomes critical now."""
    before = open_for_conversation(session, conversation_id)
    was_critical = before is not None and before.priority == CRITICAL
    case = open_escalation(
        session,
        conversation_id=conversation_id,
        channel=channel,
        reason=reason,
        priority=CRITICAL,
        summary=summary,
        team=team,
    )
    if not was_critical:
        alert_on_duty(session, case, now)
    return case


def sweep_missed_danger(sessions: sessionmaker[Session], tracker: Engine, now: datetime) -> int:
    """Queue, as critical, each conversation with a danger message of the last
    day that has no critical case from that moment on (older than SWEEP_GRACE,
    so the action had its chance). The number of cases opened."""
    opened = 0
    for turn in danger_turns(tracker, now - SWEEP_WINDOW, now - SWEEP_GRACE):
        with sessions.begin() as session:
            if critical_since(session, turn.conversation_id, turn.at - CLOCK_SLACK):
                continue
            open_critical(
                session,
                conversation_id=turn.conversation_id,
                channel=turn.channel,
                reason="distress",
                summary="Fare: en besked blev læst som fare, men sagen blev ikke oprettet dengang "
                "(en fejl i assistenten). Læs samtalen.",
                team=team_for(session, turn.conversation_id),
                now=now,
            )
            opened += 1
            logger.warning("handover: a danger message without a case was queued by the sweep")
    return opened


@click.group()
def handover() -> None:
    """Hand-over to staff."""


@handover.command("sweep")
def handover_sweep() -> None:
    """Queue the danger messages of the last day whose case was never opened (`make run` does it every minute)."""
    settings = load_settings()
    tracker = create_engine(settings.tracker_store_url)
    opened = sweep_missed_danger(make_sessionmaker(settings.database_url, immediate=True), tracker, utc_now())
    click.echo(f"Sager oprettet: {opened}")
