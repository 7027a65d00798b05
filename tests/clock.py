"""A clock the test moves by hand, for code that takes `clock` (no test sleeps)."""
from __future__ import annotations

import datetime as dt


class Clock:
    def __init__(self, now: dt.datetime = dt.datetime(2026, 3, 2, 8, 0, 0)) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)
