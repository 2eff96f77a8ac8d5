"""The one place that reads the environment.

Imports only the standard library, so both the Rasa environment and the
application environment can use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
SPACY_PIPELINE_DIR = VAR_DIR / "spacy" / "da_pipeline"
DEFAULT_MUNICIPALITY_FILE = ROOT / "bot" / "config" / "municipality.yml"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


@dataclass(frozen=True)
class Settings:
    database_url: str
    tracker_store_url: str
    municipality_file: Path
    rasa_url: str
    action_server_port: int
    web_port: int
    rasa_port: int
    log_level: str

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings() -> Settings:
    database_url = _env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'municipal.db'}")
    # On SQLite the tracker lives in its own file (two writers on one SQLite
    # file lock each other out); on PostgreSQL it shares the municipal database.
    default_tracker = (
        f"sqlite:///{VAR_DIR / 'tracker.db'}" if database_url.startswith("sqlite") else database_url
    )
    rasa_port = int(_env("RASA_PORT", "5005"))
    return Settings(
        database_url=database_url,
        tracker_store_url=_env("TRACKER_STORE_URL", default_tracker),
        municipality_file=Path(_env("MUNICIPALITY_FILE", str(DEFAULT_MUNICIPALITY_FILE))),
        rasa_url=_env("RASA_URL", f"http://localhost:{rasa_port}"),
        action_server_port=int(_env("ACTION_SERVER_PORT", "5055")),
        web_port=int(_env("WEB_PORT", "8000")),
        rasa_port=rasa_port,
        log_level=_env("LOG_LEVEL", "INFO"),
    )



def rasa_environment(settings: Settings) -> dict[str, str]:
    """The variables endpoints.yml substitutes when Rasa starts."""
    return {
        "ACTION_ENDPOINT_URL": f"http://localhost:{settings.action_server_port}/webhook",
        # Rasa's SQLTrackerStore takes a full URL in its `host` field.
        "TRACKER_STORE_URL": settings.tracker_store_url,
    }
