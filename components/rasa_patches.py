"""The one place where the project changes Rasa's own code, applied by components/rasa_server.py before Rasa
starts. Each patch names the Rasa behaviour it replaces; tests/unit/test_rasa_patches.py fails when a Rasa
upgrade changes that behaviour, so the patch is looked at again instead of silently drifting.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

# sha256 of the source of RemoteAction._validate_action_result in rasa 3.6.21, the function replaced below.
VALIDATE_ACTION_RESULT_SOURCE_SHA256 = "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"


@lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)


def validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's check of an action server's reply, with the validator built once (issue 17: jsonschema's
    `validate()` checks the schema itself on every call, about 16 ms per custom action on these machines)."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    error = best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (". Failed to validate Action server response from API, make sure your response from the "
                      f"Action endpoint is valid. For more information about the format visit "
                      f"{DOCS_BASE_URL}/custom-actions")
    raise error


def apply() -> None:
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result
