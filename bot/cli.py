"""Command line: `python -m bot <command>` (the Makefile calls these)."""

from __future__ import annotations

import sys
from typing import Any

import click

from bot.db import migrate
from bot.db.meetings import confirm_meeting, get_meeting, meetings_of
from bot.db.seed import seed_services, seed_teams, seed_youth
from bot.db.services import EDITABLE_FIELDS, ServiceEditError, get_service, list_services, update_service
from bot.db.session import make_sessionmaker
from bot.db.teams import list_teams
from bot.db.youth import YouthError, create_profile, get_by_reference, issue_code, list_profiles
from bot.shared.clock import danish_today
from bot.shared.municipality import current_municipality
from bot.shared.settings import load_settings


def cli_audit(session: Any, action: str, target: str, detail: str = "") -> None:
    """A change made from the command line, in the audit log like the staff app's."""
    import getpass

    from bot.db.audit import record

    record(session, f"cli:{getpass.getuser()}", action, target, detail, client="cli")


@click.group()
def cli() -> None:
    """The municipal assistant's tools."""


@cli.group()
def db() -> None:
    """The municipal database."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations."""
    migrate.upgrade(load_settings().database_url)


@db.command("seed")
def db_seed() -> None:
    """Add the demo course teams and service topics that are missing (safe to run again)."""
    with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
        added = seed_teams(session, danish_today())
        topics = seed_services(session)
        young = seed_youth(session, danish_today())
        if added or topics or young:
            cli_audit(session, "seed", "database", f"{added} hold, {topics} emner, {young} unge")
    click.echo(f"Course teams added: {added}; service topics added: {topics}; demo young people added: {young}")


@cli.command("setup")
@click.pass_context
def setup(ctx: click.Context) -> None:
    """Migrate and seed the database."""
    ctx.invoke(db_upgrade)
    ctx.invoke(db_seed)


@cli.group()
def teams() -> None:
    """Familie med Hjerte teams."""


@teams.command("list")
def teams_list() -> None:
    with make_sessionmaker(load_settings().database_url)() as session:
        for team in list_teams(session):
            click.echo(f"{team.code:20} {team.start_date}  {team.seats_taken:>2}/{team.capacity}  {team.place}")


@cli.group()
def services() -> None:
    """The services catalogue the assistant answers from (staff edit it here)."""


@services.command("list")
def services_list() -> None:
    with make_sessionmaker(load_settings().database_url)() as session:
        for service in list_services(session):
            reviewed = f"gennemset {service.reviewed_on}  af {service.updated_by}"
            click.echo(f"{service.topic:24} {service.title:32} {reviewed}")


@services.command("show")
@click.argument("topic")
def services_show(topic: str) -> None:
    with make_sessionmaker(load_settings().database_url)() as session:
        service = get_service(session, topic)
        if service is None:
            raise click.ClickException(f"Emnet '{topic}' findes ikke. Se `services list`.")
        for field in EDITABLE_FIELDS:
            click.echo(f"{field}:\n  {getattr(service, field)}\n")
        changed = f"rettet {service.updated_at:%Y-%m-%d %H:%M} af {service.updated_by}"
        click.echo(f"gennemset: {service.reviewed_on}, {changed}")


@services.command("edit")
@click.argument("topic")
@click.argument("field", type=click.Choice(EDITABLE_FIELDS))
@click.argument("value")
@click.option("--by", "editor", required=True, help="Who makes the change (initials or e-mail).")
def services_edit(topic: str, field: str, value: str, editor: str) -> None:
    """Change one field of a topic; the next answer uses it, no retraining."""
    try:
        with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
            update_service(
                session,
                topic,
                field,
                value,
                editor=editor,
                known_units=set(current_municipality().units),
                today=danish_today(),
            )
            cli_audit(session, "edit_service", f"service:{topic}", f"{field}, af {editor}")
    except ServiceEditError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Rettet: {topic}.{field}. Næste svar bruger den nye tekst.")


@services.command("load")
@click.option("--overwrite", is_flag=True, help="Reset every topic to the seed file (staff edits are lost).")
def services_load(overwrite: bool) -> None:
    """Load the seed file: add missing topics (or reset all with --overwrite)."""
    with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
        written = seed_services(session, overwrite=overwrite)
        cli_audit(session, "load_services", "services", "overwrite" if overwrite else "missing only")
    click.echo(f"Service topics written: {written}")


@cli.group()
def staff() -> None:
    """Staff accounts for the staff app."""


@staff.command("add")
@click.argument("username")
@click.option("--name", "display_name", default="", help='The name citizens see, e.g. "Anne, sundhedsplejerske".')
@click.option(
    "--role",
    type=click.Choice(["staff", "teamlead", "editor", "admin"]),
    default="staff",
    show_default=True,
    help="teamlead: works the team's cases like staff and sees the team's dashboard; "
    "editor: staff who also edit the service texts in the staff app; admin: everything.",
)
@click.option(
    "--team",
    type=click.Choice(["course", "family", "youth"]),
    default="family",
    show_default=True,
    help="Whose cases the account sees: the course, the family team or aftercare (admins see all).",
)
@click.password_option(help="Asked for when left out (at least 12 characters).")
def staff_add(username: str, display_name: str, role: str, team: str, password: str) -> None:
    """Create a staff account (the password is stored as an argon2 hash)."""
    from bot.db.staff import StaffUserError, create_user
    from bot.staff.security import PasswordError, hash_password

    try:
        with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
            create_user(
                session,
                username=username,
                display_name=display_name,
                role=role,
                team=team,
                password_hash=hash_password(password),
            )
            cli_audit(session, "add_staff", f"staff:{username.strip().lower()}", f"{role}, {team}")
    except (StaffUserError, PasswordError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Oprettet: {username.strip().lower()} ({role}, {team})")


@staff.command("list")
def staff_list() -> None:
    from bot.db.staff import list_users

    with make_sessionmaker(load_settings().database_url)() as session:
        for user in list_users(session):
            state = "aktiv" if user.active else "lukket"
            click.echo(f"{user.username:24} {user.role:8} {state:7} {user.display_name}")


@staff.command("deactivate")
@click.argument("username")
def staff_deactivate(username: str) -> None:
    """Close an account: it can no longer log in, and is logged out everywhere (its history stays in the audit log)."""
    from bot.db.staff import deactivate, get_by_username

    with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
        user = get_by_username(session, username)
        if user is None:
            raise click.ClickException(f"Brugeren {username} findes ikke.")
        deactivate(session, user)
        cli_audit(session, "deactivate_staff", f"staff:{user.username}")
    click.echo(f"Lukket: {username} (også logget ud alle steder)")


@cli.group()
def youth() -> None:
    """Young people in aftercare: profiles, pairing codes, meetings."""


@youth.command("add")
@click.argument("reference")
@click.option("--name", "first_name", required=True, help="First name, as the chat greets them.")
@click.option("--mentor", "mentor_name", required=True)
@click.option("--mentor-contact", required=True, help="How the young person reaches the mentor.")
@click.option("--aftercare-ends", type=click.DateTime(["%Y-%m-%d"]), required=True, help="YYYY-MM-DD")
def youth_add(reference: str, first_name: str, mentor_name: str, mentor_contact: str, aftercare_ends: Any) -> None:
    """Create a profile (no CPR number: the reference is the municipality's own)."""
    try:
        with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
            create_profile(
                session,
                reference=reference,
                first_name=first_name,
                mentor_name=mentor_name,
                mentor_contact=mentor_contact,
                aftercare_ends_on=aftercare_ends.date(),
            )
            cli_audit(session, "add_youth_profile", f"youth:{reference.upper()}")
    except YouthError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Oprettet: {reference.upper()}")


@youth.command("list")
def youth_list() -> None:
    with make_sessionmaker(load_settings().database_url)() as session:
        for profile in list_profiles(session):
            click.echo(
                f"{profile.reference:10} {profile.first_name:12} mentor {profile.mentor_name:10} "
                f"{profile.programme or '-'}"
            )


@youth.command("pair")
@click.argument("reference")
@click.option("--by", "staff", required=True, help="Who issues the code (initials).")
@click.option("--minutes", default=30, show_default=True, help="How long the code is valid.")
def youth_pair(reference: str, staff: str, minutes: int) -> None:
    """Issue a one-time code the young person types in the chat to identify."""
    settings = load_settings()
    with make_sessionmaker(settings.database_url, immediate=True).begin() as session:
        profile = get_by_reference(session, reference)
        if profile is None:
            raise click.ClickException(f"Profilen {reference} findes ikke. Se `youth list`.")
        code = issue_code(session, profile, secret=settings.youth_token_secret, created_by=staff, minutes=minutes)
        cli_audit(session, "issue_pairing_code", f"youth:{profile.reference}", f"af {staff}, {minutes} min")
    click.echo(f"Kode til {profile.first_name}: {code} (gælder i {minutes} minutter, én gang)")


@youth.command("meetings")
@click.argument("reference")
def youth_meetings(reference: str) -> None:
    """A profile's meetings, newest first (for the mentor)."""
    with make_sessionmaker(load_settings().database_url)() as session:
        profile = get_by_reference(session, reference)
        if profile is None:
            raise click.ClickException(f"Profilen {reference} findes ikke.")
        for m in meetings_of(session, profile.id):
            when = f"{m.starts_at:%Y-%m-%d %H:%M}" if m.starts_at else f"{m.window_text or '-'}"
            click.echo(f"#{m.id:<4} {m.status:10} {when:24} {m.rating or '':2} {m.reason or ''}")


@youth.command("confirm")
@click.argument("meeting_id", type=int)
@click.argument("starts", type=click.DateTime(["%Y-%m-%d %H:%M"]))
@click.option("--by", "staff", required=True)
def youth_confirm(meeting_id: int, starts: Any, staff: str) -> None:
    """Confirm a requested meeting at a time (Danish local time, "YYYY-MM-DD HH:MM")."""
    from bot.shared.clock import DANISH_TIME

    try:
        with make_sessionmaker(load_settings().database_url, immediate=True).begin() as session:
            meeting = get_meeting(session, meeting_id)
            if meeting is None:
                raise YouthError(f"Mødet #{meeting_id} findes ikke.")
            confirm_meeting(session, meeting, starts.replace(tzinfo=DANISH_TIME), staff)
            cli_audit(session, "confirm_meeting", f"meeting:{meeting_id}", f"af {staff}")
    except YouthError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Bekræftet: møde #{meeting_id} {starts:%d.%m.%Y kl. %H.%M}")


@cli.command("purge")
def purge() -> None:
    """Delete conversations and personal data past their retention age (safe to run any time)."""
    from bot.retention import purge as run_purge
    from bot.shared.clock import utc_now

    settings = load_settings()
    report = run_purge(settings.database_url, settings.tracker_store_url, current_municipality(), utc_now())
    with make_sessionmaker(settings.database_url, immediate=True).begin() as session:
        cli_audit(
            session,
            "purge",
            "retention",
            f"{report.conversations} samtaler, {report.cancelled_enrollments} afmeldte, "
            f"{report.finished_enrollments} afsluttede tilmeldinger",
        )
    click.echo(
        f"Deleted: {report.conversations} conversations ({report.events} events), "
        f"{report.cancelled_enrollments} cancelled enrollments, "
        f"{report.finished_enrollments} enrollments whose course is over"
    )


@cli.command("train")
@click.option("--force", is_flag=True, help="Train even if nothing changed.")
def train(force: bool) -> None:
    """Train the model if config, domain or data changed."""
    from bot.training import train_if_changed

    path, seconds = train_if_changed(force=force)
    if seconds is None:
        click.echo(f"Model up to date: {path.name}")
    else:
        click.echo(f"Trained {path.name} in {seconds:.0f} s")


@cli.command("validate")
def validate() -> None:
    """Run `rasa data validate` and fail on any warning."""
    from bot.data_validation import validate_training_data

    sys.exit(validate_training_data())


@cli.command("run")
@click.option("--no-web", is_flag=True, help="Only the Rasa server and the action server.")
@click.option("--replicas", type=int, help="N Rasa and N action servers behind HAProxy, on PostgreSQL and Redis.")
def run(no_web: bool, replicas: int | None) -> None:
    """Run the assistant: Rasa, the action server and the demo page with the chat widget."""
    from bot.runner import Assistant, run_forever
    from bot.training import model_path

    settings = load_settings()
    model = model_path()
    if not model.exists():
        raise click.ClickException("No trained model for the current data: run `make train`.")
    if replicas is None:
        run_forever(Assistant(settings=settings, model=model, with_web=not no_web))
        return
    from bot.cluster import Cluster, cluster_settings

    settings = cluster_settings(settings)
    if migrate.create_database_if_missing(settings.database_url):
        click.echo(f"Created the database {settings.database_url.rsplit('/', 1)[-1]}")
    migrate.upgrade(settings.database_url)
    with make_sessionmaker(settings.database_url, immediate=True).begin() as session:
        seed_teams(session, danish_today())
        seed_services(session)
        seed_youth(session, danish_today())
    run_forever(Cluster(settings=settings, model=model, with_web=not no_web, replicas=replicas))


# Commands in modules of their own (this one is near its size limit).
from bot.handover import handover  # noqa: E402
from bot.sms.cli import sms  # noqa: E402
from bot.youth.cli import reminders  # noqa: E402

cli.add_command(handover)
cli.add_command(sms)
cli.add_command(reminders)

if __name__ == "__main__":
    cli()
