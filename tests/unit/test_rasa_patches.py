"""components/rasa_patches.py: each patch still replaces the Rasa code it was written against, and behaves as it."""
from __future__ import annotations

import asyncio
import hashlib
import inspect

import pytest
from aiohttp import web
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from components import rasa_patches

# Taken before any test applies the patches.
RASA_VALIDATE = RemoteAction._validate_action_result
RASA_SESSION = EndpointConfig.session
RASA_REQUEST = EndpointConfig.request
RASA_RESOLVE_BY_TYPE = Event.resolve_by_type


@pytest.fixture
def applied():
    """The patches applied for one test, and Rasa's own code put back after it."""
    rasa_patches.apply()
    try:
        yield
    finally:
        RemoteAction._validate_action_result = RASA_VALIDATE
        EndpointConfig.session = RASA_SESSION
        Event.resolve_by_type = staticmethod(RASA_RESOLVE_BY_TYPE)

REPLIES = [
    {"events": [{"event": "slot", "name": "grade", "value": 9}], "responses": [{"text": "Saved."}]},
    {"events": [], "responses": []},
    {},
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": [{"text": 5}], "events": [{"event": "bot", "timestamp": "yesterday"}]},
]


def test_the_replaced_rasa_function_is_the_one_the_patch_was_written_against():
    source = inspect.getsource(RASA_VALIDATE)
    assert hashlib.sha256(source.encode()).hexdigest() == rasa_patches.VALIDATE_ACTION_RESULT_SOURCE_SHA256, (
        "Rasa's RemoteAction._validate_action_result changed: compare it with components/rasa_patches.py")


@pytest.mark.parametrize("reply", REPLIES)
def test_the_patched_check_accepts_and_refuses_what_rasa_does_with_the_same_message(reply):
    def outcome(validate):
        try:
            return validate(RemoteAction, reply)  # self is only used for the static schema
        except ValidationError as error:
            return error.message

    assert outcome(rasa_patches.validate_action_result) == outcome(RASA_VALIDATE)


def test_apply_puts_the_patched_check_on_rasas_remote_action(applied):
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result


def test_the_endpoint_code_the_kept_session_replaces_is_the_one_it_was_written_against():
    for function, expected in ((RASA_SESSION, rasa_patches.ENDPOINT_SESSION_SOURCE_SHA256),
                               (RASA_REQUEST, rasa_patches.ENDPOINT_REQUEST_SOURCE_SHA256)):
        assert hashlib.sha256(inspect.getsource(function).encode()).hexdigest() == expected, (
            f"Rasa's EndpointConfig.{function.__name__} changed: compare it with components/rasa_patches.py")


async def calls_and_connections(calls: int, endpoint: EndpointConfig | None = None) -> tuple[list, int]:
    """Replies to `calls` POSTs through Rasa's EndpointConfig.request, and how many TCP connections they used."""
    peers = set()

    async def webhook(request: web.Request) -> web.Response:
        peers.add(request.transport.get_extra_info("peername"))
        return web.json_response({"echo": (await request.json())["n"], "auth": request.headers.get("Authorization")})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = endpoint or EndpointConfig(headers={"Authorization": "Bearer t0"})
    endpoint.url = f"http://127.0.0.1:{port}/webhook"
    try:
        replies = [await endpoint.request(json={"n": n}, method="post") for n in range(calls)]
    finally:
        kept = getattr(endpoint, "_ilp_kept_session", None)
        if kept is not None:
            await kept[1].close()
        await runner.cleanup()
    return replies, len(peers)


def test_the_kept_session_sends_every_call_over_one_connection_with_the_endpoints_headers():
    assert asyncio.run(calls_and_connections(3))[1] == 3  # Rasa's own: a new connection per call
    rasa_patches.apply()
    try:
        endpoint = EndpointConfig(headers={"Authorization": "Bearer t0"})
        replies, connections = asyncio.run(calls_and_connections(3, endpoint))
        assert replies == [{"echo": n, "auth": "Bearer t0"} for n in range(3)]
        assert connections == 1
        # In another event loop, after its session was closed, the endpoint gets a new session that works.
        assert asyncio.run(calls_and_connections(2, endpoint)) == ([{"echo": n, "auth": "Bearer t0"} for n in range(2)], 1)
    finally:
        RemoteAction._validate_action_result = RASA_VALIDATE
        EndpointConfig.session = RASA_SESSION
        Event.resolve_by_type = staticmethod(RASA_RESOLVE_BY_TYPE)


def test_the_event_lookup_the_table_replaces_is_the_one_it_was_written_against():
    assert hashlib.sha256(inspect.getsource(RASA_RESOLVE_BY_TYPE).encode()).hexdigest() == \
        rasa_patches.RESOLVE_BY_TYPE_SOURCE_SHA256, "Rasa's Event.resolve_by_type changed: compare it with components/rasa_patches.py"


def test_the_event_table_finds_the_class_rasa_finds_for_every_type_name(applied):
    type_names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(type_names) > 20
    for type_name in sorted(type_names):
        assert Event.resolve_by_type(type_name) is RASA_RESOLVE_BY_TYPE(type_name), type_name
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")


def test_a_tracker_rebuilt_from_stored_events_is_the_same_with_the_table(applied):
    events = [{"event": "action", "name": "action_session_start", "timestamp": 1.0},
              {"event": "session_started", "timestamp": 2.0},
              {"event": "user", "text": "i like welding", "timestamp": 3.0,
               "parse_data": {"intent": {"name": "share_interest", "confidence": 0.9}, "entities": []}},
              {"event": "slot", "name": "last_save", "value": ["e1"], "timestamp": 4.0},
              {"event": "bot", "text": "Saved.", "timestamp": 5.0, "metadata": {"utter_action": "utter_saved"}},
              {"event": "active_loop", "name": "goal_form", "timestamp": 6.0},
              {"event": "followup", "name": "action_listen", "timestamp": 7.0}]
    patched = DialogueStateTracker.from_dict("s1", events).current_state()
    Event.resolve_by_type = staticmethod(RASA_RESOLVE_BY_TYPE)
    assert DialogueStateTracker.from_dict("s1", events).current_state() == patched
