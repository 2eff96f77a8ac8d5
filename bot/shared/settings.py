"""The one place that reads the environment.

Imports only the standard library, so both the Rasa environment and the
application environment can use it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = ROOT / "var"
SPACY_PIPELINE_DIR = VAR_DIR / "spacy" / "da_pipeline"
DEFAULT_MUNICIPALITY_FILE = ROOT / "bot" / "config" / "municipality.yml"
SECRETS_DIR = VAR_DIR / "secrets"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def pinned_today() -> date | None:
    """ASSISTANT_TODAY=YYYY-MM-DD pins the Danish date every process believes is
    today (the conversation replay in `make bench` runs on a fixed day); unset
    in production. Read on every call, so a process started with it keeps it."""
    value = os.environ.get("ASSISTANT_TODAY", "").strip()
    return date.fromisoformat(value) if value else None


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
    # Secrets: from the environment; on a developer's machine, generated once into var/secrets/.
    rasa_api_secret: str = ""
    staff_secret: str = ""
    youth_token_secret: str = ""
    staff_port: int = 8001
    # Where staff open the staff app (the on-duty text links to it); unset, the local one.
    staff_origin: str = ""
    secure_cookies: bool = False
    # Signs the widget's sessions (bot/rasa_server/channels/widget.py).
    widget_session_secret: str = ""
    # Rasa's REST channel takes any conversation id: only the tests and benchmarks turn it on.
    rest_channel: bool = False
    # Proxies in front of Rasa whose X-Forwarded-For is trusted (the client's address for the limits).
    trusted_proxies: int = 0
    # Where Rasa listens, and the one web origin (the municipality's site with the widget) it answers.
    rasa_host: str = "127.0.0.1"
    site_origin: str = ""
    # What the Rasa server sends the action server (endpoints.yml), and where the action server listens.
    action_server_token: str = ""
    action_server_host: str = "127.0.0.1"
    # How long the Rasa server waits for a custom action before it tells the citizen
    # (bot/rasa_server/action_faults.py); Rasa's own default is five minutes.
    action_timeout_seconds: float = 15.0
    # How long the action server's statements wait for a lock or run (bot/db/session.py):
    # less than action_timeout_seconds, so a stuck database fails the action first.
    database_wait_seconds: float = 5.0
    # SMS (bot/sms/, bot/rasa_server/channels/sms.py). The gateway's REST base URL and
    # token; without a URL, `bot run` starts the local gateway (bot/sms/gateway.py) on sms_gateway_port.
    sms_gateway_url: str = ""
    sms_gateway_token: str = ""
    # The gateway signs inbound messages with it (HS256 JWT in X-Gwapi-Signature).
    sms_webhook_secret: str = ""
    # The sender name or number the texts come from (max 11 characters as a name).
    sms_sender: str = "Kommunen"
    # The application's internal SMS app (127.0.0.1 only) and the header secret the Rasa server sends it.
    sms_app_port: int = 5056
    # Where the Rasa server reaches the SMS app when it runs elsewhere (Kubernetes: its Service).
    sms_app_origin: str = ""
    sms_internal_secret: str = ""
    # Keys the conversation ids made from phone numbers ("sms-" + an HMAC of the number).
    sms_number_key: str = ""
    sms_gateway_port: int = 5057
    # Several Rasa servers (`bot run --replicas N`, Kubernetes): Redis for python-socketio's
    # client manager, so that a message reaches the widget whichever server holds its socket
    # (bot/rasa_server/channels/widget.py), and for the conversations' locks, so that one
    # conversation is handled by one server at a time (bot/rasa_server/lock_store.py).
    # Empty: one process, the sockets and locks in its memory (`make run`).
    socketio_redis_url: str = ""
    lock_store_url: str = ""
    # The lock keys' prefix and the socket.io channel's name: installations sharing one Redis stay apart.
    redis_prefix: str = "assistant"

    @property
    def limits_redis_url(self) -> str:
        """Where the Rasa servers count the rate limits together (bot/rasa_server/shared_limits.py):
        the lock store's Redis, which exactly the servers sharing conversations share; empty, in memory."""
        return self.lock_store_url

    @property
    def sms_app_url(self) -> str:
        return self.sms_app_origin or f"http://127.0.0.1:{self.sms_app_port}"

    @property
    def sms_gateway_base(self) -> str:
        """The gateway's REST base URL: the municipality's, or the local gateway of `make run`."""
        return (self.sms_gateway_url or f"http://127.0.0.1:{self.sms_gateway_port}").rstrip("/")

    @property
    def web_origin(self) -> str:
        """The site whose pages may talk to Rasa: the municipality's, or the demo page of `make run`."""
        return self.site_origin or f"http://localhost:{self.web_port}"

    @property
    def staff_app_url(self) -> str:
        return self.staff_origin or f"http://localhost:{self.staff_port}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def load_settings() -> Settings:
    database_url = _env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'municipal.db'}")
    # On SQLite the tracker lives in its own file (two writers on one SQLite
    # file lock each other out); on PostgreSQL it shares the municipal database.
    default_tracker = f"sqlite:///{VAR_DIR / 'tracker.db'}" if database_url.startswith("sqlite") else database_url
    rasa_port = int(_env("RASA_PORT", "5005"))
    return Settings(
        database_url=database_url,
        tracker_store_url=_env("TRACKER_STORE_URL", default_tracker),
        municipality_file=Path(_env("MUNICIPALITY_FILE", str(DEFAULT_MUNICIPALITY_FILE))),
        rasa_url=_env("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
        action_server_port=int(_env("ACTION_SERVER_PORT", "5055")),
        web_port=int(_env("WEB_PORT", "8000")),
        rasa_port=rasa_port,
        log_level=_env("LOG_LEVEL", "INFO"),
        rasa_api_secret=_secret("RASA_API_SECRET"),
        staff_secret=_secret("STAFF_SECRET_KEY"),
        # Shared with the municipal website, which signs the young people's tokens with it.
        youth_token_secret=_secret("YOUTH_TOKEN_SECRET"),
        staff_port=int(_env("STAFF_PORT", "8001")),
        staff_origin=_env("STAFF_ORIGIN", ""),
        # Behind the municipality's HTTPS proxy, set STAFF_SECURE_COOKIES=1.
        secure_cookies=_env("STAFF_SECURE_COOKIES", "0") == "1",
        widget_session_secret=_secret("WIDGET_SESSION_SECRET"),
        rest_channel=_env("ENABLE_REST_CHANNEL", "0") == "1",
        rasa_host=_env("RASA_HOST", "127.0.0.1"),
        trusted_proxies=int(_env("TRUSTED_PROXIES", "0")),
        site_origin=_env("SITE_ORIGIN", ""),
        action_server_token=_secret("ACTION_SERVER_TOKEN"),
        action_server_host=_env("ACTION_SERVER_HOST", "127.0.0.1"),
        action_timeout_seconds=float(_env("ACTION_TIMEOUT_SECONDS", "15")),
        database_wait_seconds=float(_env("DATABASE_WAIT_SECONDS", "5")),
        sms_gateway_url=_env("SMS_GATEWAY_URL", ""),
        sms_gateway_token=_secret("SMS_GATEWAY_TOKEN"),
        sms_webhook_secret=_secret("SMS_WEBHOOK_SECRET"),
        sms_sender=_env("SMS_SENDER", "Kommunen"),
        sms_app_port=int(_env("SMS_APP_PORT", "5056")),
        sms_app_origin=_env("SMS_APP_URL", ""),
        sms_internal_secret=_secret("SMS_INTERNAL_SECRET"),
        sms_number_key=_secret("SMS_NUMBER_KEY"),
        sms_gateway_port=int(_env("SMS_GATEWAY_PORT", "5057")),
        socketio_redis_url=_env("SOCKETIO_REDIS_URL", ""),
        lock_store_url=_env("LOCK_STORE_URL", ""),
        redis_prefix=_env("REDIS_PREFIX", "assistant"),
    )


def _secret(name: str) -> str:
    """A secret from the environment; without one (a developer's machine), a
    random value generated once and kept in var/secrets/ (not in git)."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = SECRETS_DIR / name.lower()
    if not path.exists():
        SECRETS_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it just now
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def rasa_environment(settings: Settings) -> dict[str, str]:
    """The variables endpoints.yml substitutes when Rasa starts."""
    return {
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{settings.action_server_port}/webhook",
        "ACTION_SERVER_TOKEN": settings.action_server_token,
        # Rasa's SQLTrackerStore takes a full URL in its `host` field.
        "TRACKER_STORE_URL": settings.tracker_store_url,
    }
