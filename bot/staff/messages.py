"""The Danish texts the staff app sends into a citizen's chat: the domain's
utter_staff_* responses (one place for every text citizens read)."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from bot.shared.settings import ROOT

_VARIABLE = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _responses() -> dict[str, list[dict[str, str]]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    responses: dict[str, list[dict[str, str]]] = domain["responses"]
    return responses


def render(response: str, **values: str) -> str:
    template = _responses()[response][0]["text"]
    return _VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), template)
