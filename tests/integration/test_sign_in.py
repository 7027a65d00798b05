"""Signing in against a real database: an unknown account costs what a known one does."""
from __future__ import annotations

import pytest
from argon2 import extract_parameters

from bot import security
from bot.roster.services import authenticate_student
from bot.staff import add_user, authenticate
from tests.builders import enrol, give_sign_in_code

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
