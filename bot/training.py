"""Train the Rasa model only when its inputs changed.

The model's name carries a hash of everything training reads (config, every
domain file in domain/, data, the spaCy pipeline's source), so an unchanged
project finds its model and skips training; `make run` then starts in seconds.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

from bot.shared.settings import ROOT, VAR_DIR

MODELS_DIR = ROOT / "models"
RASA_BIN = ROOT / ".venv" / "rasa" / "bin" / "rasa"
RASA_PYTHON = RASA_BIN.with_name("python")
# A folder counts with every .yml file in it, at any depth (domain/ is one file per feature).
TRAINING_INPUTS = ("config.yml", "domain", "data")
# The code of the pipeline's own components is trained into the model too.
COMPONENT_SOURCES = (
    "bot/rasa_server/danger_detector.py",
    "bot/shared/danger_model.py",
    "bot/shared/danger.py",
    "bot/rasa_server/explicit_requests.py",
    "bot/shared/pairing_code.py",
    "bot/shared/person_request.py",
    "bot/shared/course_cancel.py",
    "bot/shared/hours_question.py",
    "bot/shared/contact_question.py",
    "bot/shared/told_stop.py",
    "bot/shared/enrol_wish.py",
    "bot/shared/undo_words.py",
    "bot/shared/meeting_words.py",
    "bot/shared/service_words.py",
    "bot/rasa_server/intent_classifier.py",
    "bot/rasa_server/service_selector.py",
    "bot/rasa_server/spelling.py",
    "bot/shared/spelling.py",
    "bot/rasa_server/components.py",
)


def _input_files() -> list[Path]:
    files: list[Path] = []
    for name in TRAINING_INPUTS:
        path = ROOT / name
        files += sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    files += [ROOT / name for name in COMPONENT_SOURCES]
    files.append(VAR_DIR / "spacy" / "source.json")
    return files


def model_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in _input_files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path() -> Path:
    return MODELS_DIR / f"model-{model_fingerprint()}.tar.gz"


def quiet_rasa_env() -> dict[str, str]:
    # Telemetry off: Rasa would otherwise send usage data and crash reports
    # (with conversation details) to Rasa's servers.
    return os.environ | {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "RASA_TELEMETRY_ENABLED": "false"}


def train_if_changed(force: bool = False) -> tuple[Path, float | None]:
    """Returns the model path and the training time (None when skipped)."""
    target = model_path()
    if target.exists() and not force:
        return target, None
    started = time.perf_counter()
    log = VAR_DIR / "logs" / "train.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"Training {target.name} (log: {log})...", flush=True)
    with log.open("w") as output:
        result = subprocess.run(
            [
                str(RASA_BIN),
                "train",
                "--config",
                "config.yml",
                "--domain",
                "domain",
                "--data",
                "data",
                "--out",
                str(MODELS_DIR),
                "--fixed-model-name",
                target.name.removesuffix(".tar.gz"),
            ],
            cwd=ROOT,
            env=quiet_rasa_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        print(log.read_text()[-5000:])
        raise RuntimeError(f"training failed, see {log}")
    elapsed = time.perf_counter() - started
    for old in MODELS_DIR.glob("model-*.tar.gz"):
        if old != target:
            old.unlink()
    return target, elapsed
