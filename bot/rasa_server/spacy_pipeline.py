"""Prepare the Danish spaCy pipeline that config.yml loads from a fixed path.

Runs in the Rasa environment (it needs spaCy, nothing of the app). Uses
``da_core_news_sm`` when it is installed; otherwise builds ``spacy.blank("da")``
with the lookup lemmatizer from spacy-lookups-data. Either way the result is
saved to ``var/spacy/da_pipeline``, so config.yml never changes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import spacy

TARGET = Path(__file__).resolve().parents[2] / "var" / "spacy" / "da_pipeline"
MARKER = TARGET.parent / "source.json"
FULL_MODEL = "da_core_news_sm"


def wanted_source() -> str:
    return FULL_MODEL if spacy.util.is_package(FULL_MODEL) else "blank-da+lookups"


def build() -> str:
    source = wanted_source()
    if source == FULL_MODEL:
        nlp = spacy.load(FULL_MODEL)
    else:
        nlp = spacy.blank("da")
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.initialize()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    nlp.meta["name"] = "da_pipeline"
    nlp.to_disk(TARGET)
    MARKER.write_text(json.dumps({"source": source}), encoding="utf-8")
    return source


def main() -> int:
    source = wanted_source()
    current = json.loads(MARKER.read_text())["source"] if MARKER.exists() else None
    if current != source or not TARGET.exists():
        build()
    if source == FULL_MODEL:
        print(f"spaCy: using {FULL_MODEL} (saved to {TARGET})")
    else:
        print(
            f"spaCy: {FULL_MODEL} is not installed; using the fallback spacy.blank('da') "
            f"+ lookup lemmatizer (spacy-lookups-data), saved to {TARGET}.\n"
            "       With internet: .venv/rasa/bin/python -m spacy download da_core_news_sm && make train"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
