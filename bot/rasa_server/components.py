"""What the project's stateless NLU components share: Rasa creates them with
no state, and their model fingerprint includes their code (and the code
they read), so that a change to it is a new model: Rasa's training cache
keys only on config and data otherwise, and would keep an old model."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def code_fingerprint(*modules: ModuleType) -> str:
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


class StatelessComponent(GraphComponent):
    """A component with nothing to train or load; `reads` names the modules whose code it runs."""

    reads: tuple[ModuleType, ...] = ()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls()

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return code_fingerprint(*cls.reads, sys.modules[cls.__module__])
