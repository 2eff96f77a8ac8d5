"""`python -m bot reminders ...`: the reminders the day before confirmed meetings (bot/youth/reminders.py)."""

from __future__ import annotations

from typing import Any

import click

from bot.db.session import make_sessionmaker
from bot.shared.municipality import current_municipality
from bot.shared.settings import load_settings


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
    """Send the reminders that are due, once."""
    from bot.cli import cli_audit
    from bot.db.models import utcnow
    from bot.rasa_client import RasaClient
    from bot.shared.clock import DANISH_TIME
    from bot.youth.reminders import send_due

    settings = load_settings()
    now = at.replace(tzinfo=DANISH_TIME) if at else utcnow()
    rasa = RasaClient(settings.rasa_url, settings.rasa_api_secret)
    sessions = make_sessionmaker(settings.database_url, immediate=True)
    municipality = current_municipality()
    sent = send_due(
        sessions,
        rasa,
        now,
        municipality.security.pairing_idle,
        number_key=settings.sms_number_key,
        quiet=municipality.sms.quiet,
    )
    if sent:
        with sessions.begin() as session:
            cli_audit(session, "send_reminders", "meetings", f"{sent} påmindelser")
    click.echo(f"Påmindelser sendt: {sent}")


@reminders.command("run")
@click.option("--every", default=60, show_default=True, help="Seconds between checks.")
def reminders_run(every: int) -> None:
    """Check for due reminders forever (started by `make run`)."""
    from bot.rasa_client import RasaClient
    from bot.youth.reminders import run_forever

    settings = load_settings()
    rasa = RasaClient(settings.rasa_url, settings.rasa_api_secret)
    municipality = current_municipality()
    run_forever(
        make_sessionmaker(settings.database_url, immediate=True),
        rasa,
        every,
        municipality.security.pairing_idle,
        number_key=settings.sms_number_key,
        quiet=municipality.sms.quiet,
    )
