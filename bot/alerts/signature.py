"""HMAC-SHA256 signatures of alert bodies: `sha256=hex(hmac(secret, timestamp + "." + body))`."""
from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-ILP-Signature"
TIMESTAMP_HEADER = "X-ILP-Timestamp"
DELIVERY_ID_HEADER = "X-ILP-Delivery-Id"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(secret: str, delivery_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if now is None else now))
    return {
        "Content-Type": "application/json",
        DELIVERY_ID_HEADER: delivery_id,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify(secret: str, headers, body: bytes, *, max_age_s: float = 300, now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (refuses replays)."""
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    if not timestamp.isdigit() or abs((time.time() if now is None else now) - int(timestamp)) > max_age_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), headers.get(SIGNATURE_HEADER, ""))
