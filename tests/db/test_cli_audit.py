"""Every CLI command that changes data writes an audit entry, as the staff
app's changes do: who (the machine user), what and which row."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import cli
from bot.db.migrate import upgrade
from bot.db.models import AuditEntry
from bot.db.seed import seed_youth
from bot.db.session import make_sessionmaker
from bot.shared.clock import DANISH_TIME


def test_cli_changes_are_in_the_audit_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'municipal.db'}"
    upgrade(url)
    with make_sessionmaker(url).begin() as session:
        seed_youth(session, datetime.now(DANISH_TIME).date())
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    outputs = []
    for args in (
        ["db", "seed"],
        ["staff", "add", "ulla", "--name", "Ulla", "--password", "korrekt-hest-batteri-9"],
        ["staff", "deactivate", "ulla"],
        [
            "youth",
            "add",
            "UNG-777",
            "--name",
            "Ida",
            "--mentor",
            "Lone",
            "--mentor-contact",
            "lone@x.dk",
            "--aftercare-ends",
            "2028-01-01",
        ],
        ["youth", "pair", "UNG-777", "--by", "ab"],
        ["services", "load"],
        ["services", "edit", "tandpleje", "price", "Det er gratis.", "--by", "ab"],
        ["purge"],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    with make_sessionmaker(url)() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        rows = [(row.action, row.target, row.client) for row in entries]
    assert [action for action, _, _ in rows] == [
        "seed",
        "add_staff",
        "deactivate_staff",
        "add_youth_profile",
        "issue_pairing_code",
        "load_services",
        "edit_service",
        "purge",
    ]
    assert ("add_youth_profile", "youth:UNG-777", "cli") in rows
    # The pairing code itself is never in the log.
    code = re.search(r"[A-Z0-9]{3}-[A-Z0-9]{3}", outputs[4])
    assert code is not None
    with make_sessionmaker(url)() as session:
        logged = " ".join(f"{row.target} {row.detail}" for row in session.scalars(select(AuditEntry)))
    assert code.group(0) not in logged


def test_a_team_lead_is_made_from_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'municipal.db'}"
    upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    runner = CliRunner()
    args = ["staff", "add", "lis", "--role", "teamlead", "--team", "youth", "--password", "korrekt-hest-batteri-9"]
    made = runner.invoke(cli, args)
    assert made.exit_code == 0 and "lis (teamlead, youth)" in made.output, made.output
    assert "lis                      teamlead aktiv" in runner.invoke(cli, ["staff", "list"]).output
    refused = runner.invoke(cli, ["staff", "add", "bo", "--role", "chef", "--password", "korrekt-hest-batteri-9"])
    assert refused.exit_code != 0 and "chef" in refused.output
    with make_sessionmaker(url)() as session:
        details = list(session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "add_staff")))
    assert details == ["teamlead, youth"]
