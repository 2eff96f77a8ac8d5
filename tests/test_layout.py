"""The layout shows where code runs, and this keeps it true: bot/shared runs in
both environments and imports no other part of the project, nor Rasa, nor
SQLAlchemy; bot/rasa_server runs inside the Rasa server and imports Rasa and
bot/shared only. One stray import of application code would otherwise break
the Rasa server (.venv/rasa has none of the application's packages) only when
it starts. No module is longer than 400 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.shared.settings import ROOT

PROJECT = ("bot", "actions", "tests")
MAX_LINES = 400


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (also inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # "from bot.shared import danger" imports bot.shared.danger
            found.update(f"{node.module}.{alias.name}" for alias in node.names
                         if node.module in ("bot", "bot.shared", "bot.rasa_server"))
    return found


def project_imports(path: Path) -> set[str]:
    return {name for name in imported_modules(path) if name.split(".")[0] in PROJECT}


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources("bot/shared"), ids=lambda path: path.name)
def test_shared_code_imports_nothing_of_the_project_nor_rasa_nor_sqlalchemy(path: Path) -> None:
    outside = {name for name in project_imports(path) if not name.startswith("bot.shared")}
    assert outside == set()
    assert {name for name in imported_modules(path) if name.split(".")[0] in ("rasa", "rasa_sdk", "sqlalchemy")} \
        == set()


@pytest.mark.parametrize("path", sources("bot/rasa_server"), ids=lambda path: path.name)
def test_the_rasa_servers_code_imports_only_rasa_and_shared_code(path: Path) -> None:
    outside = {name for name in project_imports(path)
               if not (name.startswith("bot.shared") or name.startswith("bot.rasa_server"))}
    assert outside == set()


def test_the_check_sees_a_stray_import(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text("def later():\n    from bot.db.models import Escalation\n    from bot.shared import cpr\n")
    assert project_imports(stray) == {"bot.db.models", "bot.shared", "bot.shared.cpr"}


def test_application_code_reaches_the_rasa_server_only_through_its_command_line() -> None:
    """The application starts the Rasa server (`python -m bot.rasa_server`); it never imports it."""
    importers = [path for folder in ("bot", "actions") for path in sources(folder)
                 if not path.is_relative_to(ROOT / "bot" / "rasa_server")
                 and any(name.startswith("bot.rasa_server") for name in project_imports(path))]
    assert importers == []


@pytest.mark.parametrize("folder", ["bot", "actions", "tests"])
def test_no_module_is_longer_than_400_lines(folder: str) -> None:
    lengths = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
               for path in sources(folder) if "migrations" not in path.parts}
    assert {name: lines for name, lines in lengths.items() if lines > MAX_LINES} == {}
