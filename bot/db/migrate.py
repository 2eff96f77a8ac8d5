"""Run Alembic from code, so no alembic.ini has to sit at the top of the repo."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def create_database_if_missing(database_url: str) -> bool:
    """PostgreSQL: create the URL's database when the server has none by that
    name (`bot run --replicas N` on a fresh machine); True when it did."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if not url.drivername.startswith("postgresql") or not url.database:
        return False
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database})
            if found.first() is not None:
                return False
            quoted = url.database.replace('"', '""')
            connection.execute(text(f'CREATE DATABASE "{quoted}"'))
            return True
    finally:
        admin.dispose()
