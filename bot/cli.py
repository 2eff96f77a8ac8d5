"""Command line: `python -m bot <command>` (the Makefile calls these)."""

from __future__ import annotations

import sys
from datetime import date

import click

from bot.db import migrate
from bot.db.seed import seed_teams
from bot.db.session import make_sessionmaker
from bot.db.teams import list_teams
from bot.settings import load_settings


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
    """Add the demo course teams that are missing (safe to run again)."""
    with make_sessionmaker(load_settings().database_url).begin() as session:
        added = seed_teams(session, date.today())
    click.echo(f"Course teams added: {added}")


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
def run(no_web: bool) -> None:
    """Run the assistant: Rasa, the action server and the chat page."""
    from bot.runner import Assistant, run_forever
    from bot.training import model_path

    settings = load_settings()
    model = model_path()
    if not model.exists():
        raise click.ClickException("No trained model for the current data: run `make train`.")
    run_forever(Assistant(settings=settings, model=model, with_web=not no_web))


if __name__ == "__main__":
    cli()
