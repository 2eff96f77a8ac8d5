"""Start and stop the assistant's processes: action server, Rasa server, the
internal SMS app (and the local SMS gateway when no real one is configured),
web page, staff app and the reminder job.

Shared by `make run` and the end-to-end tests, so the tests run the assistant
exactly as a user does.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from bot.rasa_client import api_headers
from bot.shared.settings import ROOT, VAR_DIR, Settings, rasa_environment
from bot.training import RASA_PYTHON, quiet_rasa_env

APP_PYTHON = ROOT / ".venv" / "app" / "bin" / "python"
LOG_DIR = VAR_DIR / "logs"


class StartupError(RuntimeError):
    pass


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Assistant:
    settings: Settings
    model: Path
    with_web: bool = True
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _logs: list[IO[bytes]] = field(default_factory=list)

    def environment(self) -> dict[str, str]:
        env = quiet_rasa_env() | rasa_environment(self.settings)
        env |= {
            "DATABASE_URL": self.settings.database_url,
            "TRACKER_STORE_URL": self.settings.tracker_store_url,
            "MUNICIPALITY_FILE": str(self.settings.municipality_file),
            "RASA_URL": self.settings.rasa_url,
            "RASA_API_SECRET": self.settings.rasa_api_secret,
            "WIDGET_SESSION_SECRET": self.settings.widget_session_secret,
            "SITE_ORIGIN": self.settings.web_origin,
            "RASA_HOST": self.settings.rasa_host,
            # Sanic reads SANIC_* into its config: behind the municipality's proxy,
            # the client's address comes from X-Forwarded-For (bot/rasa_server/channels/widget.py).
            "SANIC_PROXIES_COUNT": str(self.settings.trusted_proxies),
            "STAFF_SECRET_KEY": self.settings.staff_secret,
            "YOUTH_TOKEN_SECRET": self.settings.youth_token_secret,
            "STAFF_PORT": str(self.settings.staff_port),
            "STAFF_SECURE_COOKIES": "1" if self.settings.secure_cookies else "0",
            "ACTION_SERVER_PORT": str(self.settings.action_server_port),
            "ACTION_SERVER_HOST": self.settings.action_server_host,
            "ACTION_TIMEOUT_SECONDS": str(self.settings.action_timeout_seconds),
            "DATABASE_WAIT_SECONDS": str(self.settings.database_wait_seconds),
            "LOG_LEVEL": self.settings.log_level,
            "SMS_GATEWAY_URL": self.settings.sms_gateway_url,
            "SMS_GATEWAY_TOKEN": self.settings.sms_gateway_token,
            "SMS_WEBHOOK_SECRET": self.settings.sms_webhook_secret,
            "SMS_SENDER": self.settings.sms_sender,
            "SMS_APP_PORT": str(self.settings.sms_app_port),
            "SMS_INTERNAL_SECRET": self.settings.sms_internal_secret,
            "SMS_NUMBER_KEY": self.settings.sms_number_key,
            "SMS_GATEWAY_PORT": str(self.settings.sms_gateway_port),
            # Several Rasa servers (bot/cluster.py): the socket.io rooms and conversation locks in Redis.
            "SOCKETIO_REDIS_URL": self.settings.socketio_redis_url,
            "LOCK_STORE_URL": self.settings.lock_store_url,
            "REDIS_PREFIX": self.settings.redis_prefix,
            "PYTHONPATH": str(ROOT),
        }
        return env

    def _spawn(self, name: str, command: list[str], extra_env: dict[str, str] | None = None) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(LOG_DIR / f"{name}.log", "ab")  # noqa: SIM115 (closed in stop())
        self._logs.append(log)
        env = self.environment() | (extra_env or {})
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_actions(self) -> None:
        self._spawn("actions", [str(APP_PYTHON), "-m", "bot.action_server"])

    def start_rasa(self) -> None:
        self._spawn("rasa", self.rasa_command(self.settings.rasa_port, self.settings.rasa_host))

    def rasa_command(self, port: int, interface: str) -> list[str]:
        return [
            str(RASA_PYTHON),
            "-m",
            "bot.rasa_server",
            "run",
            "--model",
            str(self.model),
            # The HTTP API (transcripts, the staff app's messages) needs a JWT
            # signed with RASA_API_SECRET, which bot/rasa_server/launcher.py reads from
            # the environment: no secret among the process's arguments.
            "--enable-api",
            "--cors",
            self.settings.web_origin,
            "--interface",
            interface,
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            str(self.credentials()),
            "--port",
            str(port),
        ]

    def credentials(self) -> Path:
        """The widget's channel; with REST too when the settings turn it on (tests, benchmarks)."""
        return ROOT / ("tests/credentials_rest.yml" if self.settings.rest_channel else "credentials.yml")

    def start_web(self) -> None:
        self._spawn(
            "web",
            # --ws none: the page needs no websockets, and rasa-sdk pins a
            # websockets release older than uvicorn's websocket support expects.
            [
                str(APP_PYTHON),
                "-m",
                "uvicorn",
                "bot.web.app:app",
                "--ws",
                "none",
                "--port",
                str(self.settings.web_port),
            ],
        )

    def start_staff(self) -> None:
        self._spawn(
            "staff",
            # Staff only: bound to this machine; the municipality's proxy adds HTTPS.
            [
                str(APP_PYTHON),
                "-m",
                "uvicorn",
                "bot.staff.app:app",
                "--ws",
                "none",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.settings.staff_port),
            ],
        )

    def start_sms(self) -> None:
        """The internal SMS app (bound to this machine; the Rasa server's sms channel calls it)."""
        self._spawn(
            "sms",
            [str(APP_PYTHON), "-m", "uvicorn", "bot.sms.app:app", "--ws", "none", "--host", "127.0.0.1"]
            + ["--port", str(self.settings.sms_app_port)],
        )

    @property
    def local_gateway(self) -> bool:
        """Without a municipality's gateway (SMS_GATEWAY_URL), the local one stands in (bot/sms/gateway.py)."""
        return not self.settings.sms_gateway_url

    def start_gateway(self) -> None:
        self._spawn(
            "gateway",
            [str(APP_PYTHON), "-m", "uvicorn", "bot.sms.gateway:app", "--ws", "none", "--host", "127.0.0.1"]
            + ["--port", str(self.settings.sms_gateway_port)],
        )

    def start_reminders(self) -> None:
        self._spawn("reminders", [str(APP_PYTHON), "-m", "bot", "reminders", "run"])

    def ports(self) -> dict[str, int]:
        ports = {
            "actions": self.settings.action_server_port,
            "rasa": self.settings.rasa_port,
            "sms": self.settings.sms_app_port,
        }
        if self.local_gateway:
            ports["gateway"] = self.settings.sms_gateway_port
        if self.with_web:
            ports["web"] = self.settings.web_port
            ports["staff"] = self.settings.staff_port
        return ports

    def check_ports_free(self) -> None:
        # A server left over on one of our ports would answer the health check
        # in place of ours, with another database behind it.
        taken = [f"{name} ({port})" for name, port in self.ports().items() if port_in_use(port)]
        if taken:
            raise StartupError(f"port already in use: {', '.join(taken)}. Is the assistant already running?")

    def start(self, timeout: float = 180) -> None:
        self.check_ports_free()
        try:
            self.start_actions()
            self.start_sms()
            if self.local_gateway:
                self.start_gateway()
            self.start_rasa()
            if self.with_web:
                self.start_web()
                self.start_staff()
                self.start_reminders()
            self.wait_until_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def health_urls(self) -> dict[str, str]:
        urls = {
            # Readiness: the action server's database answers; the Rasa server has its
            # model and its tracker store answers (bot/rasa_server/channels/health.py).
            "actions": f"http://127.0.0.1:{self.settings.action_server_port}/ready",
            "rasa": f"http://127.0.0.1:{self.settings.rasa_port}/webhooks/health/ready",
            "sms": f"http://127.0.0.1:{self.settings.sms_app_port}/ready",
            "gateway": f"http://127.0.0.1:{self.settings.sms_gateway_port}/health",
        }
        if "web" in self.processes:
            urls["web"] = f"http://localhost:{self.settings.web_port}/health"
        if "staff" in self.processes:
            urls["staff"] = f"http://127.0.0.1:{self.settings.staff_port}/ready"
        return urls

    def api_headers(self) -> dict[str, str]:
        return api_headers(self.settings.rasa_api_secret)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = {name: url for name, url in self.health_urls().items() if name in self.processes}
        while pending:
            for name, url in list(pending.items()):
                code = self.processes[name].poll()
                if code is not None:
                    raise StartupError(f"{name} stopped while starting (exit code {code}):\n{self.log_tail(name)}")
                try:
                    if httpx.get(url, timeout=2, headers=self.api_headers()).status_code == 200:
                        del pending[name]
                except httpx.HTTPError:
                    pass
            if time.monotonic() > deadline:
                raise StartupError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            time.sleep(0.5)
        if any(name.split("-")[0] == "rasa" for name in self.processes):
            self.warm_up()

    def warm_up(self) -> None:
        """The first message through a fresh model is slow (TensorFlow builds
        its graphs); take that hit here, not in a parent's first message."""
        httpx.post(
            f"http://127.0.0.1:{self.settings.rasa_port}/model/parse",
            json={"text": "hej"},
            headers=self.api_headers(),
            timeout=120,
        )

    def log_tail(self, name: str, characters: int = 3000) -> str:
        log = LOG_DIR / f"{name}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return f"{log}:\n...{text[-characters:]}"

    def stop(self, names: list[str] | None = None) -> None:
        for name in names or list(self.processes):
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if not self.processes:
            for log in self._logs:
                log.close()
            self._logs.clear()

    def revive(self) -> list[str]:
        """Start again every process that has exited (crashed, killed); returns
        their names. `make run` calls it every second; the caller waits for
        readiness (wait_until_ready) before counting on them."""
        dead = [name for name, process in self.processes.items() if process.poll() is not None]
        for name in dead:
            del self.processes[name]
            self.start_process(name)
        return dead

    def start_process(self, name: str) -> None:
        getattr(self, f"start_{name}")()

    def __enter__(self) -> Assistant:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _interrupt(_signal: int, _frame: object) -> None:
    raise KeyboardInterrupt


# A process that dies this often within the window is failing at start-up, not
# crashing now and then: restarting it again would only fill the log.
MAX_RESTARTS, RESTART_WINDOW = 5, 120.0


def supervise(assistant: Assistant, check_every: float = 1.0) -> None:
    """Restart each process that dies (a crash, kill -9, the OOM killer), and
    say so; give up on one that keeps dying."""
    restarts: dict[str, list[float]] = {}
    while True:
        time.sleep(check_every)
        for name in assistant.revive():
            now = time.monotonic()
            recent = [t for t in restarts.get(name, []) if now - t < RESTART_WINDOW] + [now]
            restarts[name] = recent
            if len(recent) > MAX_RESTARTS:
                print(f"{name} keeps stopping; see the logs in {LOG_DIR}", file=sys.stderr, flush=True)
                return
            print(
                f"{name} stopped and was started again (log: {LOG_DIR / (name + '.log')})", file=sys.stderr, flush=True
            )


def run_forever(assistant: Assistant) -> None:
    """`make run`: start everything, print the URL, stop cleanly on Ctrl-C."""
    print("Starting the action server, the Rasa server and the demo page with the chat widget...", flush=True)
    # Ctrl-C and a plain `kill` both stop everything cleanly, also when the
    # shell that started us ignores SIGINT (a background job).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        assistant.start()
        url = f"http://localhost:{assistant.settings.web_port}/"
        staff = f"http://127.0.0.1:{assistant.settings.staff_port}/"
        phone = f"\nTexts (SMS) as a young person: {url}telefon" if assistant.local_gateway else ""
        print(
            f"\nReady: the chat on {url}{phone}\nStaff app: {staff} (create a login: python -m bot staff add)\n"
            f"Logs: {LOG_DIR}\nStop with Ctrl-C.\n",
            flush=True,
        )
        supervise(assistant)
    except KeyboardInterrupt:
        pass
    except StartupError as error:
        print(f"Could not start: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        print("\nStopping...", flush=True)
        assistant.stop()
        print("Stopped.")
