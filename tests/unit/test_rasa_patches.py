"""components/rasa_patches.py: each patch still replaces the Rasa code it was written against, and behaves as it."""
from __future__ import annotations

import hashlib
import inspect

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from components import rasa_patches

RASA_VALIDATE = RemoteAction._validate_action_result  # taken before any test applies the patch

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


def test_apply_puts_the_patched_check_on_rasas_remote_action():
    try:
        rasa_patches.apply()
        assert RemoteAction._validate_action_result is rasa_patches.validate_action_result
    finally:
        RemoteAction._validate_action_result = RASA_VALIDATE
