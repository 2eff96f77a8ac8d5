"""The Rasa domain, one file per feature in domain/ (core.yml has what every
feature shares), merged into one dict for the application and the tests.

Rasa merges the directory itself (`rasa train --domain domain`,
`Domain.load("domain")`): lists (intents, entities, actions) are joined,
mappings (slots, forms, responses) are combined, and session_config comes from
the one file that has it. A name in two files only gets a warning from Rasa,
and a later file's slot or response silently replaces an earlier one; here it
is an error, so every name lives in exactly one file.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.shared.settings import ROOT

DOMAIN_DIR = ROOT / "domain"
LIST_KEYS = ("intents", "entities", "actions")
MAPPING_KEYS = ("slots", "forms", "responses")
SINGLE_KEYS = ("session_config",)


def domain_files(directory: Path = DOMAIN_DIR) -> list[Path]:
    """Every domain file, in a fixed order (Rasa reads the same ones, recursively)."""
    return sorted([*directory.rglob("*.yml"), *directory.rglob("*.yaml")])


def _name(item: Any) -> str:
    """An intent, entity or action is a name, or a mapping of the name to its properties."""
    return str(next(iter(item))) if isinstance(item, dict) else str(item)


def merge_domain_files(paths: list[Path]) -> dict[str, Any]:
    merged: dict[str, Any] = {"version": None, **{key: [] for key in LIST_KEYS}, **{key: {} for key in MAPPING_KEYS}}
    owner: dict[tuple[str, str], Path] = {}

    def claim(key: str, name: str, path: Path) -> None:
        if (key, name) in owner:
            raise ValueError(f"{key} '{name}' is in both {owner[key, name].name} and {path.name}")
        owner[key, name] = path

    for path in paths:
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        unknown = set(part) - {"version", *LIST_KEYS, *MAPPING_KEYS, *SINGLE_KEYS}
        if unknown:
            raise ValueError(f"{path.name}: unknown domain keys {sorted(unknown)}")
        merged["version"] = merged["version"] or part.get("version")
        for key in LIST_KEYS:
            for item in part.get(key) or []:
                claim(key, _name(item), path)
                merged[key].append(item)
        for key in MAPPING_KEYS:
            for name, value in (part.get(key) or {}).items():
                claim(key, name, path)
                merged[key][name] = value
        for key in SINGLE_KEYS:
            if key in part:
                claim(key, key, path)
                merged[key] = part[key]
    return merged


def load_domain(directory: Path = DOMAIN_DIR) -> dict[str, Any]:
    """The whole domain as one dict, like the single domain.yml it replaces."""
    return merge_domain_files(domain_files(directory))


_VARIABLE = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _responses() -> dict[str, list[dict[str, Any]]]:
    responses: dict[str, list[dict[str, Any]]] = load_domain()["responses"]
    return responses


def render_response(name: str, **values: str) -> str:
    """A response's first text with its {variables} filled in, for texts that
    leave the assistant outside a conversation (staff messages, on-duty texts)."""
    template = str(_responses()[name][0]["text"])
    return _VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), template)
