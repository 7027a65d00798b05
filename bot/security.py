"""Hashing of staff passwords and student sign-in codes (Argon2id, through argon2-cffi)."""
from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# No 0/O, 1/I/L: codes are read aloud and copied from paper.
SIGN_IN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def normalize_sign_in_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_sign_in_code() -> str:
    return "".join(secrets.choice(SIGN_IN_CODE_ALPHABET) for _ in range(8))


def new_password() -> str:
    return secrets.token_urlsafe(12)
