"""Run the Rasa CLI (in the Rasa environment) with one speed fix for serving.

Rasa 3.6 checks every action server response with `jsonschema.validate`,
which first re-validates the (constant) response schema itself: about a tenth
of the Rasa server's CPU per turn, measured with py-spy. Here the response is
checked against the same schema, the same way, with a validator built once.

Imports only the standard library, Rasa and jsonschema: it runs in
.venv/rasa, not in the application environment.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error: ValidationError | None = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the Action "
        "endpoint is valid."
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
