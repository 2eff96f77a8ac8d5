"""The Danish texts the staff app sends into a citizen's chat: the domain's
utter_staff_* responses (domain/handover.yml; the domain is the one place for
every text citizens read)."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.domain import load_domain

_VARIABLE = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def _responses() -> dict[str, list[dict[str, str]]]:
    domain = load_domain()
    responses: dict[str, list[dict[str, str]]] = domain["responses"]
    return responses


def render(response: str, **values: str) -> str:
    template = _responses()[response][0]["text"]
    return _VARIABLE.sub(lambda match: values.get(match.group(1), match.group(0)), template)
