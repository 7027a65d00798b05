"""The counselor channel: one signed POST per alert, with explicit timeouts."""
from __future__ import annotations

import httpx

from bot.alerts.signature import signed_headers
from bot.config import Settings, require_secrets
from bot.errors import IlpError


class AlertChannelNotConfigured(IlpError):
    def __init__(self) -> None:
        super().__init__("ILP_ALERT_WEBHOOK_URL is not set, so urgent alerts stay queued in the outbox")


class DeliveryFailed(Exception):
    """The receiver did not take the alert. The message is short and never holds student data."""


class AlertWebhook:
    """Synchronous on purpose: it runs in the delivery worker and the CLI, never on an event loop."""

    def __init__(self, url: str, secret: str, *, connect_timeout_s: float, read_timeout_s: float,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.url = url
        self._secret = secret
        self.timeout = httpx.Timeout(connect=connect_timeout_s, read=read_timeout_s, write=read_timeout_s,
                                     pool=connect_timeout_s)
        # Redirects are not followed: the signed body goes only where it was configured to go.
        self._client = httpx.Client(timeout=self.timeout, transport=transport, follow_redirects=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> "AlertWebhook":
        if not settings.alert_webhook_url:
            raise AlertChannelNotConfigured()
        require_secrets(settings, "alert_webhook_secret")
        return cls(settings.alert_webhook_url, settings.alert_webhook_secret,
                   connect_timeout_s=settings.alert_connect_timeout_s, read_timeout_s=settings.alert_read_timeout_s)

    @property
    def longest_send_s(self) -> float:
        """About the longest one send can take (httpx timeouts apply per phase, not in total)."""
        return self.timeout.connect + self.timeout.write + self.timeout.read

    def send(self, delivery_id: str, body: bytes) -> None:
        """Returns when the receiver answered 2xx; raises DeliveryFailed otherwise."""
        try:
            response = self._client.post(self.url, content=body, headers=signed_headers(self._secret, delivery_id, body))
        except httpx.TimeoutException as error:
            raise DeliveryFailed(f"timed out ({type(error).__name__})") from error
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"request failed ({type(error).__name__})") from error
        if not response.is_success:
            raise DeliveryFailed(f"receiver answered HTTP {response.status_code}")

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "AlertWebhook":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
