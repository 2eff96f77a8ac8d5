"""`python -m bot reminders ...`: the reminders the day before confirmed meetings
(bot/youth/reminders.py) and the notices of meetings staff confirmed or moved
(bot/youth/notices.py), sent in the same rounds."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

import click
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.db.session import make_sessionmaker
from bot.rasa_client import RasaClient
from bot.shared.municipality import current_municipality
from bot.shared.settings import VAR_DIR, load_settings

logger = logging.getLogger(__name__)
HEARTBEAT = VAR_DIR / "reminders.alive"


def one_round(sessions: sessionmaker[Session], rasa: RasaClient, now: datetime) -> tuple[int, int]:
    """Staff's notices, then the reminders that are due: (notices told, reminders sent)."""
    from bot.youth.notices import send_notices
    from bot.youth.reminders import send_due

    settings, municipality = load_settings(), current_municipality()
    options: dict[str, Any] = {"number_key": settings.sms_number_key, "quiet": municipality.sms.quiet}
    told = send_notices(sessions, rasa, now, municipality.security.pairing_idle, **options)
    return told, send_due(sessions, rasa, now, municipality.security.pairing_idle, **options)


@click.group()
def reminders() -> None:
    """Reminders the day before confirmed meetings."""


@reminders.command("send")
@click.option(
    "--now",
    "at",
    type=click.DateTime(["%Y-%m-%d %H:%M"]),
    default=None,
    help="Pretend it is this Danish local time (testing); default: now.",
)
def reminders_send(at: Any) -> None:
    """Send the notices and reminders that are due, once."""
    from bot.cli import cli_audit
    from bot.db.models import utcnow
    from bot.shared.clock import DANISH_TIME

    settings = load_settings()
    now = at.replace(tzinfo=DANISH_TIME) if at else utcnow()
    sessions = make_sessionmaker(settings.database_url, immediate=True)
    told, sent = one_round(sessions, RasaClient(settings.rasa_url, settings.rasa_api_secret), now)
    if told or sent:
        with sessions.begin() as session:
            cli_audit(session, "send_reminders", "meetings", f"{sent} påmindelser, {told} beskeder om møder")
    click.echo(f"Beskeder om møder sendt: {told}")
    click.echo(f"Påmindelser sendt: {sent}")


@reminders.command("run")
@click.option("--every", default=60, show_default=True, help="Seconds between checks.")
def reminders_run(every: int) -> None:
    """Check for due notices and reminders forever (started by `make run`), and sweep for missed danger."""
    from bot.db.models import utcnow
    from bot.handover import sweep_missed_danger

    settings = load_settings()
    rasa = RasaClient(settings.rasa_url, settings.rasa_api_secret)
    sessions = make_sessionmaker(settings.database_url, immediate=True)
    tracker = create_engine(settings.tracker_store_url)
    while True:
        one_round(sessions, rasa, utcnow())
        # Alive: a round has ended (Kubernetes' liveness probe reads the file's age; deploy/kubernetes/reminders.yml).
        HEARTBEAT.parent.mkdir(parents=True, exist_ok=True)
        HEARTBEAT.touch()
        try:
            # The same rounds queue a danger message whose case was never opened (bot/handover.py).
            sweep_missed_danger(sessions, tracker, utcnow())
        except SQLAlchemyError as error:  # the tracker store or the database is away: the next round
            logger.warning("handover: the danger sweep failed: %s", type(error).__name__)
        time.sleep(every)
