"""How the project's servers recognise each other: a bearer token on every internal call.

The web app calls Rasa with ILP_RASA_TOKEN, Rasa calls the action server with ILP_ACTION_TOKEN.
"""
from __future__ import annotations

import hmac


def bearer(token: str) -> dict[str, str]:
    """The header that carries `token`."""
    return {"Authorization": f"Bearer {token}"}


def has_bearer_token(authorization: str | None, token: str | None) -> bool:
    """True when an Authorization header value is exactly `Bearer <token>` (compared in constant time)."""
    if not token:
        return False
    return hmac.compare_digest((authorization or "").encode(), bearer(token)["Authorization"].encode())
