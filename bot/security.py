"""Hashing of staff passwords and student sign-in codes (Argon2id, through argon2-cffi)."""
from __future__ import annotations

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# No 0/O, 1/I/L: codes are read aloud and copied from paper.
SIGN_IN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(secret_hash: str | None, secret: str) -> bool:
    """Checks `secret` against its hash. Without a hash (no such account, or no code issued yet) it checks
    a dummy hash and returns False: both take as long, so the timing does not tell whether an account exists."""
    if not secret_hash:
        _verify(_dummy_hash(), secret)
        return False
    return _verify(secret_hash, secret)


def _verify(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def normalize_sign_in_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_sign_in_code() -> str:
    return "".join(secrets.choice(SIGN_IN_CODE_ALPHABET) for _ in range(8))


def new_password() -> str:
    return secrets.token_urlsafe(12)
