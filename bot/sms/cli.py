"""`python -m bot sms ...`: a young person's mobile number (a text from it
is that young person's conversation) and what was texted to it."""

from __future__ import annotations

import click

from bot.db import sms as repo
from bot.db.session import make_sessionmaker
from bot.db.youth import get_by_reference
from bot.shared.settings import load_settings
from bot.sms.numbers import conversation_id_for, normalize, shown


@click.group()
def sms() -> None:
    """Texts (SMS): registered numbers, opt-out, what was sent."""


@sms.command("number")
@click.argument("reference")
@click.argument("number", required=False)
@click.option("--remove", is_flag=True, help="Remove the number: its texts get nothing personal.")
def sms_number(reference: str, number: str | None, remove: bool) -> None:
    """Register the young person's mobile number (e.g. "+45 12 34 56 78"), or remove it."""
    from bot.cli import cli_audit

    if remove == (number is not None):
        raise click.UsageError("Give a number, or --remove.")
    msisdn = None if remove else normalize(number or "")
    if not remove and msisdn is None:
        raise click.ClickException(f"{number!r} er ikke et mobilnummer.")
    try:
        with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
            profile = repo.set_mobile(session, reference, msisdn)
            cli_audit(session, "remove_mobile" if remove else "set_mobile", f"youth:{profile.reference}")
    except repo.SmsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{profile.reference}: " + ("nummeret er fjernet" if msisdn is None else f"sms fra {shown(msisdn)}"))


@sms.command("show")
@click.argument("reference")
def sms_show(reference: str) -> None:
    """The number, whether it has stopped texts, and the texts sent with their delivery status."""
    settings = load_settings()
    with make_sessionmaker(settings.database_url)() as session:
        profile = get_by_reference(session, reference)
        if profile is None or not profile.mobile:
            raise click.ClickException(f"{reference} har intet registreret mobilnummer.")
        row = repo.by_conversation(session, conversation_id_for(profile.mobile, settings.sms_number_key))
        stopped = row is not None and row.opted_out_at is not None
        click.echo(f"{profile.reference}: {shown(profile.mobile)}" + (" (afmeldt sms, STOP)" if stopped else ""))
        for text in repo.outbound_of(session, row.conversation_id) if row else []:
            click.echo(f"{text.created_at:%Y-%m-%d %H:%M} {text.kind:8} {text.status:11} {len(text.body)} tegn")
