"""A harmless message the built concern reader reads as a weak sign of self-harm, so the screen asks "are you okay
right now?" (a check-in) instead of replying with crisis lines.

Which harmless sentence a reader weighs between the check-in and the crisis thresholds changes whenever the readers
are rebuilt (new examples, another machine's arithmetic), so the tests pick theirs from candidates with the screen
itself rather than name one. Every candidate is a work value stated plainly: after "I'm okay" it starts the values
questions.
"""
from __future__ import annotations

import functools

from bot.safety.screen import screen

VALUE_STATEMENTS = (
    "money is the most important thing to me tbh",
    "honestly money is all that matters to me",
    "having money so i never have to struggle like my mom is what matters most",
    "nothing matters more to me than making a lot of money",
    "i care most about being able to work alone and not talk to anyone",
)


@functools.lru_cache(maxsize=1)
def value_read_as_a_weak_sign() -> str:
    readings = {}
    for text in VALUE_STATEMENTS:
        concern = screen(text)
        if concern is not None and concern.is_check_in and concern.category == "self_harm":
            return text
        readings[text] = concern
    raise AssertionError(f"the built reader reads none of the candidates as a weak sign of self-harm: {readings}")
