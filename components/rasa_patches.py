"""The one place where the project changes Rasa's own code, applied by components/rasa_server.py before Rasa
starts. Each patch names the Rasa behaviour it replaces; tests/unit/test_rasa_patches.py fails when a Rasa
upgrade changes that behaviour, so the patch is looked at again instead of silently drifting.
"""
from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any, Callable, Optional

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


# sha256 of the sources of EndpointConfig.session and EndpointConfig.request in rasa 3.6.21: `request` opens
# `async with self.session()` for every call, so every custom action paid for a new session and TCP connection.
ENDPOINT_SESSION_SOURCE_SHA256 = "e55aa13d9d4fb4bc440ac33b870a97ee162b76dda7ccb6bf68433567475fdffb"
ENDPOINT_REQUEST_SOURCE_SHA256 = "ccdb778aed8208e23cde3c3f47eac7fbbbb735dac8f7ef7254d54451c64ad608"

# Rasa's own EndpointConfig.session, which builds a session with the endpoint's headers, auth and timeout.
_rasa_session: Optional[Callable[[Any], Any]] = None


class _KeptOpen:
    """`async with` yields the endpoint's long-lived session and leaves it open for the next call."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def __aenter__(self) -> Any:
        return self._session

    async def __aexit__(self, *_exc_info: Any) -> None:
        return None


def kept_alive_session(self: Any) -> _KeptOpen:
    """One aiohttp session per endpoint and event loop, kept between calls, in place of a new one per call (issue 17:
    a new session and TCP connection to the action server for each custom action cost about 5% of Rasa's CPU per
    message). aiohttp closes idle connections after 15 s; the action server keeps them for 75 s."""
    assert _rasa_session is not None, "apply() first"
    loop = asyncio.get_running_loop()
    kept = getattr(self, "_ilp_kept_session", None)
    if kept is None or kept[0] is not loop or kept[1].closed:
        kept = (loop, _rasa_session(self))
        self._ilp_kept_session = kept
    return _KeptOpen(kept[1])


# sha256 of the source of Event.resolve_by_type in rasa 3.6.21: it walks every subclass of Event (and asks each
# whether it is abstract) to find the one class whose type_name it is given.
RESOLVE_BY_TYPE_SOURCE_SHA256 = "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968"


@lru_cache(maxsize=1)
def _event_classes_by_type_name() -> dict[str, Any]:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    classes: dict[str, Any] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)  # the first, as Rasa's walk returns the first
    return classes


def resolve_event_type(type_name: str, default: Optional[Any] = None) -> Optional[Any]:
    """Rasa's lookup of an event class by its type name, from a table built once (issue 17: the tracker store
    rebuilds each conversation from its stored events for every message, and this lookup, walking all of Event's
    subclasses for each event, was about 7 % of Rasa's busy time at saturation). A type name the table does not
    know (a class defined after it was built) is looked up as Rasa does."""
    cls = _event_classes_by_type_name().get(type_name)
    if cls is not None:
        return cls
    return _rasa_resolve_by_type(type_name, default)


_rasa_resolve_by_type: Callable[..., Any]


def apply() -> None:
    global _rasa_session, _rasa_resolve_by_type
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.utils.endpoints import EndpointConfig

    RemoteAction._validate_action_result = validate_action_result
    if Event.resolve_by_type is not resolve_event_type:
        _rasa_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(resolve_event_type)
    if EndpointConfig.session is not kept_alive_session:
        _rasa_session = EndpointConfig.session
        EndpointConfig.session = kept_alive_session
