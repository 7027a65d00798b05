"""Signing in against a real database: an unknown account costs what a known one does, and failures slow
down further attempts for a while (the clock is moved by hand)."""
from __future__ import annotations

import pytest
from argon2 import extract_parameters

from bot import security
from bot import sign_in_throttle as throttle
from bot.roster.services import authenticate_student
from bot.staff import add_user, authenticate
from tests.builders import enrol, give_sign_in_code
from tests.clock import Clock

PASSWORD = "a-long-test-password"


class CountingHasher:
    """The real Argon2 hasher, noting the parameters of every hash it verifies against."""

    def __init__(self, hasher) -> None:
        self._hasher = hasher
        self.verified: list = []

    def verify(self, secret_hash: str, secret: str) -> bool:
        self.verified.append(extract_parameters(secret_hash))
        return self._hasher.verify(secret_hash, secret)

    def __getattr__(self, name: str):
        return getattr(self._hasher, name)


@pytest.fixture
def hasher(monkeypatch) -> CountingHasher:
    counting = CountingHasher(security._hasher)
    monkeypatch.setattr(security, "_hasher", counting)
    return counting


def test_an_unknown_staff_email_costs_one_argon2_verification_like_a_wrong_password(uow_factory, hasher):
    add_user(uow_factory(), email="pat@school.example", role="counselor", password=PASSWORD)
    assert authenticate(uow_factory(), "pat@school.example", "wrong-password-123") is None
    assert authenticate(uow_factory(), "nobody@school.example", "wrong-password-123") is None
    known, unknown = hasher.verified
    assert unknown == known


@pytest.mark.parametrize("student_id, code", [
    ("S404", "ABCD2345"),   # no such student
    ("S200", "ABCD2345"),   # enrolled, but no sign-in code issued yet
    ("S100", "ABCD2345"),   # the wrong code
])
def test_every_failed_student_sign_in_costs_one_argon2_verification(uow_factory, hasher, student_id, code):
    enrol(uow_factory, "S100")
    enrol(uow_factory, "S200")
    give_sign_in_code(uow_factory, "S100", "CODE1234")
    hasher.verified.clear()
    assert authenticate_student(uow_factory(), student_id, code) is None
    assert hasher.verified == [extract_parameters(security.hash_secret("CODE1234"))]


# --- the throttle -------------------------------------------------------------------------------------

@pytest.fixture
def clock() -> Clock:
    return Clock()


def attempt(uow_factory, clock, *, account="S100", address="198.51.100.7", scope="student", right=False):
    return throttle.attempt_sign_in(scope, account, address, lambda: account if right else None,
                                    uow_factory=uow_factory, clock=clock)


def wait_asked(uow_factory, clock, **where) -> int:
    with pytest.raises(throttle.Throttled) as refused:
        attempt(uow_factory, clock, **where)
    return refused.value.retry_after_s


def test_after_five_failures_each_attempt_waits_twice_as_long_up_to_a_minute(uow_factory, clock):
    for _ in range(5):
        assert attempt(uow_factory, clock) is None  # a few typos cost nothing
    waits = []
    for _ in range(8):
        waits.append(wait_asked(uow_factory, clock))
        clock.advance(waits[-1])
        assert attempt(uow_factory, clock) is None
    assert waits == [2, 4, 8, 16, 32, 60, 60, 60]


def test_attempts_refused_while_waiting_do_not_lengthen_the_wait(uow_factory, clock):
    for _ in range(5):
        attempt(uow_factory, clock)
    clock.advance(1)
    for _ in range(20):  # a classmate hammering the student's ID
        assert wait_asked(uow_factory, clock) == 1
    clock.advance(1)
    assert attempt(uow_factory, clock, right=True) == "S100"


def test_the_right_code_after_the_wait_signs_in_and_the_account_starts_afresh(uow_factory, clock):
    for _ in range(7):
        attempt(uow_factory, clock)
        clock.advance(60)
    assert attempt(uow_factory, clock, right=True) == "S100"
    for _ in range(5):
        assert attempt(uow_factory, clock) is None
    assert wait_asked(uow_factory, clock) == 2


def test_failures_older_than_the_window_are_forgotten(uow_factory, clock):
    for _ in range(10):
        attempt(uow_factory, clock)
        clock.advance(60)
    clock.advance(throttle.WINDOW.total_seconds())
    assert attempt(uow_factory, clock) is None


def test_other_accounts_are_not_slowed_by_one_accounts_failures(uow_factory, clock):
    for _ in range(5):
        attempt(uow_factory, clock)
    assert wait_asked(uow_factory, clock) == 2
    assert attempt(uow_factory, clock, account="S200", right=True) == "S200"


def test_students_failing_from_one_address_slow_students_there_but_not_staff(uow_factory, clock):
    school_address = "198.51.100.20"  # a whole school behind one NAT
    for number in range(throttle.ADDRESS_BACKOFF["student"].free_failures):
        attempt(uow_factory, clock, account=f"S{number}", address=school_address)
    assert wait_asked(uow_factory, clock, account="S-NEW", address=school_address) <= 60
    assert attempt(uow_factory, clock, account="pat@school.example", address=school_address, scope="staff",
                   right=True) == "pat@school.example"
    assert attempt(uow_factory, clock, account="S-NEW", address="203.0.113.50", right=True) == "S-NEW"


# --- student IDs in any case ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "S100",      # as the roster has it
    "s100",      # a phone keyboard's lower case
    " s100 ",    # and a space copied along with it
])
def test_a_student_signs_in_with_their_id_in_any_case_and_keeps_the_rosters_id(uow_factory, typed):
    enrol(uow_factory, "S100")
    give_sign_in_code(uow_factory, "S100", "CODE1234")
    signed_in = authenticate_student(uow_factory(), typed, "code1234")
    assert signed_in is not None and signed_in.account_id == "S100"  # the conversation ID stays the roster's

