"""Alert rules that need no database: backoff, signatures, settings, the webhook client, the serve child."""
import hashlib
import hmac
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from bot.alerts.delivery import RetryPolicy
from bot.alerts.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, signed_headers, verify
from bot.alerts.webhook import AlertWebhook, DeliveryFailed
from bot.config import MissingSecret, Settings
from bot.serve import children

SECRET = "receiver-shared-secret"
BODY = b'{"flag_id":1}'


@pytest.mark.parametrize("failures, delay_s", [
    (1, 5),        # first retry after the base delay
    (2, 10),       # then doubling
    (3, 20),
    (7, 320),
    (8, 600),      # 640 s is over the cap
    (5000, 600),   # never gives up, and the exponent cannot overflow
])
def test_backoff_doubles_up_to_the_cap(failures, delay_s):
    assert RetryPolicy(base_s=5, max_s=600).delay_s(failures, rng=lambda: 0.0) == delay_s


def test_backoff_jitter_adds_at_most_a_tenth():
    assert RetryPolicy(base_s=5, max_s=600).delay_s(1, rng=lambda: 1.0) == pytest.approx(5.5)


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    headers = signed_headers(SECRET, "d-1", BODY, now=1_800_000_000)
    expected = hmac.new(SECRET.encode(), b"1800000000." + BODY, hashlib.sha256).hexdigest()
    assert headers[TIMESTAMP_HEADER] == "1800000000"
    assert headers[SIGNATURE_HEADER] == f"sha256={expected}"


@pytest.mark.parametrize("secret, body, age_s, accepted", [
    (SECRET, BODY, 0, True),                     # as sent
    ("wrong-secret", BODY, 0, False),            # not our sender
    (SECRET, b'{"flag_id":2}', 0, False),        # body changed on the way
    (SECRET, BODY, 301, False),                  # replayed later
])
def test_receiver_verification(secret, body, age_s, accepted):
    headers = signed_headers(SECRET, "d-1", BODY, now=1_800_000_000)
    assert verify(secret, headers, body, now=1_800_000_000 + age_s) is accepted


def test_alerts_are_not_sent_without_a_secret_to_sign_them():
    unsigned = Settings(environment="production", alert_webhook_url="https://alerts.example/hook")
    with pytest.raises(MissingSecret, match="ILP_ALERT_WEBHOOK_SECRET"):
        AlertWebhook.from_settings(unsigned)
    AlertWebhook.from_settings(unsigned.copy(update={"alert_webhook_secret": "z" * 24})).close()


def test_webhook_url_must_be_http():
    with pytest.raises(ValidationError, match="http"):
        Settings(alert_webhook_url="alerts.example/hook")
    assert Settings(alert_webhook_url="").alert_webhook_url is None


def test_production_sends_alerts_over_https_only():
    real = {"rasa_token": "x" * 20, "secret_key": "y" * 20, "alert_webhook_secret": "z" * 24}
    with pytest.raises(ValidationError, match="https"):
        Settings(environment="production", alert_webhook_url="http://alerts.example/hook", **real)
    with pytest.raises(ValidationError, match="https"):
        Settings(environment="production", alert_webhook_url="http://127.0.0.1:9000/hook", **real)
    assert Settings(environment="production", alert_webhook_url="https://alerts.example/hook", **real).alert_webhook_url
    for environment in ("development", "test"):  # a local receiver while developing
        assert Settings(environment=environment, alert_webhook_url="http://127.0.0.1:9000/hook").alert_webhook_url


def test_links_point_at_the_public_url_or_else_the_local_web_app():
    assert Settings(web_port=8100).staff_url == "http://127.0.0.1:8100"
    assert Settings(public_url="https://ilp.school.example/").staff_url == "https://ilp.school.example"


@pytest.mark.parametrize("status", [301, 404, 500])
def test_anything_but_2xx_is_a_failed_delivery(status):
    transport = httpx.MockTransport(lambda request: httpx.Response(status, headers={"Location": "http://elsewhere/"}))
    with AlertWebhook("http://alerts.test/hook", SECRET, connect_timeout_s=1, read_timeout_s=1,
                      transport=transport) as webhook, pytest.raises(DeliveryFailed, match=f"HTTP {status}"):
        webhook.send("d-1", BODY)


def test_serve_runs_the_delivery_worker_without_waiting_for_a_health_check(tmp_path):
    [worker] = [child for child in children(Settings(var_dir=tmp_path), Path("endpoints.yml")) if child.name == "alerts"]
    assert worker.command[-2:] == ["-m", "bot.alerts.worker"] and worker.health_url is None
