"""The Rasa project itself: data validation and test stories against the
trained model."""

from __future__ import annotations

import subprocess

import pytest

from bot.data_validation import real_warnings, validate_training_data
from bot.shared.settings import ROOT, VAR_DIR
from bot.training import RASA_BIN, model_path, quiet_rasa_env

pytestmark = pytest.mark.rasa


def test_rasa_data_validate_has_no_warnings() -> None:
    assert validate_training_data() == 0


def test_only_the_known_false_positive_is_tolerated() -> None:
    output = (
        "UserWarning: The utterance 'utter_ask_parent_name' is not used in any story or rule.\n"
        "UserWarning: The utterance 'utter_made_up' is not used in any story or rule.\n"
        "UserWarning: The intent 'greet' is not used in any story or rule.\n"
        "UserWarning: The utterance 'utter_faq' is not used in any story or rule.\n"
        "UserWarning: The following duplicated intents have been found across multiple domain files: faq\n"
        "UserWarning: The following duplicated intents have been found across multiple domain files: greet\n"
    )
    assert real_warnings(output) == [
        "UserWarning: The utterance 'utter_made_up' is not used in any story or rule.",
        "UserWarning: The intent 'greet' is not used in any story or rule.",
        "UserWarning: The following duplicated intents have been found across multiple domain files: greet",
    ]


def test_test_stories_pass_without_prediction_errors() -> None:
    out = VAR_DIR / "test-results"
    result = subprocess.run(
        [
            str(RASA_BIN),
            "test",
            "core",
            "--model",
            str(model_path()),
            "--stories",
            "tests/test_stories.yml",
            "--fail-on-prediction-errors",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=quiet_rasa_env(),
        capture_output=True,
        text=True,
    )
    failed = (out / "failed_test_stories.yml").read_text() if (out / "failed_test_stories.yml").exists() else ""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:] + failed
