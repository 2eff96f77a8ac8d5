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
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if node.module in ("bot", "bot.shared", "bot.rasa_server")
            )
    return found


def project_imports(path: Path) -> set[str]:
    return {name for name in imported_modules(path) if name.split(".")[0] in PROJECT}


def sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", sources("bot/shared"), ids=lambda path: path.name)
def test_shared_code_imports_nothing_of_the_project_nor_rasa_nor_sqlalchemy(path: Path) -> None:
    outside = {name for name in project_imports(path) if not name.startswith("bot.shared")}
    assert outside == set()
    assert {
        name for name in imported_modules(path) if name.split(".")[0] in ("rasa", "rasa_sdk", "sqlalchemy")
    } == set()


@pytest.mark.parametrize("path", sources("bot/rasa_server"), ids=lambda path: path.name)
def test_the_rasa_servers_code_imports_only_rasa_and_shared_code(path: Path) -> None:
    outside = {
        name
        for name in project_imports(path)
        if not (name.startswith("bot.shared") or name.startswith("bot.rasa_server"))
    }
    assert outside == set()


def test_the_check_sees_a_stray_import(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text("def later():\n    from bot.db.models import Escalation\n    from bot.shared import cpr\n")
    assert project_imports(stray) == {"bot.db.models", "bot.shared", "bot.shared.cpr"}


def test_application_code_reaches_the_rasa_server_only_through_its_command_line() -> None:
    """The application starts the Rasa server (`python -m bot.rasa_server`); it never imports it."""
    importers = [
        path
        for folder in ("bot", "actions")
        for path in sources(folder)
        if not path.is_relative_to(ROOT / "bot" / "rasa_server")
        and any(name.startswith("bot.rasa_server") for name in project_imports(path))
    ]
    assert importers == []


@pytest.mark.parametrize("folder", ["bot", "actions", "tests"])
def test_no_module_is_longer_than_400_lines(folder: str) -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sources(folder)
        if "migrations" not in path.parts
    }
    assert {name: lines for name, lines in lengths.items() if lines > MAX_LINES} == {}


# SQL lives in bot/db; actions use the one transaction template -----------------

SQL_BUILDERS = {"select", "delete", "update", "insert", "text"}
# Running SQL on a session or a connection.
STATEMENT_METHODS = {"execute", "scalar", "scalars", "query"}
# The ORM's own queries and writes, on something called `session` (not `request.session`, the staff app's cookie).
SESSION_METHODS = {"get", "add", "add_all", "delete", "merge", "flush", "refresh"}
# The only SQL outside bot/db, and why it cannot be there. The tests are not
# application code: they check what was written directly.
SQL_ALLOWED = {
    "bot/rasa_server/tracker_store.py": "runs inside the Rasa server (.venv/rasa, SQLAlchemy 1.4), subclasses Rasa's "
    "SQL tracker store and deletes through Rasa's own model of its events table; "
    "it may import only Rasa and bot/shared, so not bot/db",
}


def _is_session(receiver: ast.expr) -> bool:
    if isinstance(receiver, ast.Name):
        return receiver.id == "session"
    return (
        isinstance(receiver, ast.Attribute)
        and receiver.attr == "session"
        and not (isinstance(receiver.value, ast.Name) and receiver.value.id == "request")
    )


def sql_in(path: Path) -> list[str]:
    """Where a module builds or runs SQL itself: `line: what`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name == "sqlalchemy"
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found += [
                f"{node.lineno}: from {node.module} import {alias.name}"
                for alias in node.names
                if alias.name in SQL_BUILDERS
            ]
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr in SQL_BUILDERS
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, receiver = node.func.attr, node.func.value
            if method in STATEMENT_METHODS or (method in SESSION_METHODS and _is_session(receiver)):
                found.append(f"{node.lineno}: {ast.unparse(node.func)}()")
    return found


def application_sources() -> list[Path]:
    return [
        path
        for folder in ("bot", "actions")
        for path in sources(folder)
        if not path.is_relative_to(ROOT / "bot" / "db")
    ]


def test_no_sql_outside_the_database_layer() -> None:
    """Queries are repository functions in bot/db/<feature>.py, which take a session and never commit."""
    found = {str(path.relative_to(ROOT)): sql for path in application_sources() if (sql := sql_in(path))}
    assert {name: lines for name, lines in found.items() if name not in SQL_ALLOWED} == {}
    assert set(SQL_ALLOWED) <= set(found), "an allowed exception no longer needs to be one: drop it"


def test_the_sql_check_sees_stray_sql(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text(
        "import sqlalchemy as sa\nfrom sqlalchemy import func, select\n"
        "from sqlalchemy.dialects.postgresql import insert\n"
        "def count(session, tx, request, connection):\n"
        "    request.session.get('csrf')\n"
        "    tx.session.get(Meeting, 1)\n"
        "    connection.execute(sa.text('DELETE FROM events'))\n"
        "    return session.scalar(select(func.count()))\n"
    )
    assert set(sql_in(stray)) == {
        "2: from sqlalchemy import select",
        "3: from sqlalchemy.dialects.postgresql import insert",
        "6: tx.session.get()",
        "7: connection.execute()",
        "7: sa.text",
        "8: session.scalar()",
    }


def _returns_inside_a_transaction(path: Path) -> list[int]:
    """`return` directly in a `with Transaction(...)` block (not in a function defined there)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Name)
            and item.context_expr.func.id == "Transaction"
            for item in node.items
        ):
            stack: list[ast.AST] = list(node.body)
            while stack:
                inner = stack.pop()
                if isinstance(inner, ast.Return):
                    lines.append(inner.lineno)
                elif not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                    stack.extend(ast.iter_child_nodes(inner))
    return lines


@pytest.mark.parametrize("path", sources("actions"), ids=lambda path: path.name)
def test_actions_reach_the_database_only_through_the_transaction_template(path: Path) -> None:
    """actions/transaction.py opens every transaction and handles every
    database error; a `return` inside its block would return as if committed
    even when the commit failed."""
    if path.name == "transaction.py":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own_sessions = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("sessions", "default_sessionmaker")
        and path.name != "common.py"
    ]
    catches = [
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy.exc"
    ]
    assert own_sessions == [] and catches == []
    assert _returns_inside_a_transaction(path) == []


def test_the_template_check_sees_a_return_inside_the_block(tmp_path: Path) -> None:
    stray = tmp_path / "stray.py"
    stray.write_text(
        "def run(dispatcher):\n"
        "    with Transaction(dispatcher, 'a') as tx:\n"
        "        def later():\n"
        "            return 1\n"
        "        if tx:\n"
        "            return []\n"
        "    return []\n"
    )
    assert _returns_inside_a_transaction(stray) == [6]
