"""The reminder job as `make run` and Kubernetes run it (`python -m bot
reminders run`): each round that ends touches its heartbeat file, which the
liveness probe reads (deploy/kubernetes/reminders.yml)."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from bot.db.migrate import upgrade
from bot.runner import APP_PYTHON
from bot.shared.settings import ROOT
from bot.youth.cli import HEARTBEAT


def test_each_round_of_the_reminder_job_touches_its_heartbeat(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'municipal.db'}"
    upgrade(url)
    started = time.time()
    env = os.environ | {
        "DATABASE_URL": url,
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "RASA_URL": "http://127.0.0.1:1",  # nothing is due, so nothing is sent
        "PYTHONPATH": str(ROOT),
    }
    job = subprocess.Popen([str(APP_PYTHON), "-m", "bot", "reminders", "run", "--every", "1"], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        beats = set()
        while len(beats) < 2:  # two rounds ended, each touching the file anew
            assert job.poll() is None, "the reminder job stopped"
            assert time.monotonic() < deadline, "no heartbeat"
            if HEARTBEAT.exists() and HEARTBEAT.stat().st_mtime >= started:
                beats.add(HEARTBEAT.stat().st_mtime)
            time.sleep(0.2)
    finally:
        job.kill()
        job.wait()
