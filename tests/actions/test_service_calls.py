"""call_service and call_service_quietly: what each says, returns and logs when a service fails."""
import logging
import threading

import pytest
from sqlalchemy.exc import OperationalError

from actions.common import call_service, call_service_quietly
from bot.errors import InvalidAnswer, InvalidInput, UnknownStudent
from tests.actions.conftest import responses


def raising(error: Exception):
    def save_answer(*args, **kwargs):
        raise error
    return save_answer


def locked() -> OperationalError:
    return OperationalError("insert", {}, Exception("database is locked"))


def logged(caplog) -> list[tuple[int, str, type | None]]:
    return [(record.levelno, record.getMessage(), record.exc_info[0] if record.exc_info else None)
            for record in caplog.records if record.name == "actions.common"]


async def test_a_service_runs_off_the_event_loop_with_its_arguments(dispatcher):
    def service(*args, **kwargs):
        return threading.current_thread() is threading.main_thread(), args, kwargs

    assert await call_service(dispatcher, service, 1, 2, word="x") == (False, (1, 2), {"word": "x"})
    assert await call_service_quietly(service, 1, word="y") == (False, (1,), {"word": "y"})
    assert responses(dispatcher) == []


@pytest.mark.parametrize("error, said", [
    (InvalidAnswer("too_long", "too long"), ["utter_answer_too_long"]),  # re-prompted with the reason
    (UnknownStudent("GHOST"), ["utter_sign_in_first"]),                 # not on the roster
    (locked(), ["utter_not_saved"]),                                   # never "saved" unless committed
])
async def test_call_service_replies_to_a_failure_and_returns_none(dispatcher, caplog, error, said):
    caplog.set_level(logging.INFO, logger="actions.common")
    assert await call_service(dispatcher, raising(error)) is None
    assert responses(dispatcher) == said
    # Only the database error is logged, with its traceback; a domain error is the student's to fix.
    expected = [(logging.ERROR, "plan database write failed in save_answer", OperationalError)]
    assert logged(caplog) == (expected if isinstance(error, OperationalError) else [])


async def test_call_service_lets_on_invalid_answer_instead_of_the_reprompt(dispatcher):
    seen = []

    async def answer_another_way(error: InvalidAnswer) -> bool:
        seen.append(error.reason)
        return True

    assert await call_service(dispatcher, raising(InvalidAnswer("empty", "empty")),
                              on_invalid=answer_another_way) is None
    assert seen == ["empty"] and responses(dispatcher) == []


async def test_call_service_reprompts_when_on_invalid_has_nothing_to_say(dispatcher):
    async def no_other_answer(error: InvalidAnswer) -> bool:
        return False

    await call_service(dispatcher, raising(InvalidAnswer("no_words", "no words")), on_invalid=no_other_answer)
    assert responses(dispatcher) == ["utter_answer_no_words"]


@pytest.mark.parametrize("error", [InvalidInput("bad cluster"), KeyError("x")])  # neither is call_service's to answer
async def test_call_service_leaves_other_errors_to_the_caller(dispatcher, caplog, error):
    with pytest.raises(type(error)):
        await call_service(dispatcher, raising(error))
    assert responses(dispatcher) == [] and logged(caplog) == []


@pytest.mark.parametrize("error", [
    locked(),                                # the database
    UnknownStudent("GHOST"),                 # any domain error
    InvalidAnswer("empty", "empty"),
])
async def test_call_service_quietly_logs_a_failure_and_returns_none(caplog, error):
    caplog.set_level(logging.INFO, logger="actions.common")
    assert await call_service_quietly(raising(error)) is None
    assert logged(caplog) == [(logging.ERROR, "save_answer failed; replying without it", type(error))]


async def test_call_service_quietly_leaves_a_bug_to_the_caller(caplog):
    with pytest.raises(KeyError):
        await call_service_quietly(raising(KeyError("x")))
    assert logged(caplog) == []
