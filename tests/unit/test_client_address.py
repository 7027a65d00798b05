"""Which address a sign-in is counted against: X-Forwarded-For only from a configured proxy."""
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings
from bot.serve import children
from bot.web.client_address import forwarded_client

PROXIES = Settings(trusted_proxies=["10.0.0.5", "10.1.0.0/16"]).trusted_proxy_networks


@pytest.mark.parametrize("peer, forwarded_for, expected", [
    ("198.51.100.7", None, "198.51.100.7"),                         # no proxy
    ("198.51.100.7", "203.0.113.9", "198.51.100.7"),                # a client's own header is ignored
    ("10.0.0.5", None, "10.0.0.5"),                                 # the proxy itself, no header
    ("10.0.0.5", "203.0.113.9", "203.0.113.9"),                     # what the proxy saw
    ("10.0.0.5", "1.2.3.4, 203.0.113.9", "203.0.113.9"),            # the client forged the left part
    ("10.0.0.5", "203.0.113.9, 10.1.4.4", "203.0.113.9"),           # through two trusted proxies
    ("10.0.0.5", "10.1.0.1, 10.1.4.4", "10.1.0.1"),                 # every hop trusted: the farthest
    ("10.0.0.5", " 2001:db8::1 ", "2001:db8::1"),                   # IPv6, spaces
])
def test_the_client_is_the_nearest_address_no_trusted_proxy_vouches_for(peer, forwarded_for, expected):
    assert forwarded_client(peer, forwarded_for, PROXIES) == expected


def test_nothing_is_trusted_by_default():
    assert forwarded_client("127.0.0.1", "203.0.113.9", Settings().trusted_proxy_networks) == "127.0.0.1"


def test_trusted_proxies_come_comma_separated_from_the_environment_and_must_be_addresses(monkeypatch):
    monkeypatch.setenv("ILP_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16")
    assert Settings().trusted_proxies == ["10.0.0.5", "10.1.0.0/16"]
    with pytest.raises(ValidationError, match="trusted_proxies"):
        Settings(trusted_proxies=["proxy.internal"])


def test_the_web_app_keeps_uvicorn_from_rewriting_the_peer_from_x_forwarded_for(tmp_path, monkeypatch):
    from bot.web import __main__ as web

    started = {}
    monkeypatch.setattr(web.uvicorn, "run", lambda *args, **options: started.update(options))
    [child] = [child for child in children(Settings(var_dir=tmp_path), Path("endpoints.yml")) if child.name == "web"]
    assert child.command[1:] == ["-m", "bot.web"]  # what ilp serve runs
    web.main()
    assert started["proxy_headers"] is False  # uvicorn believes any loopback peer's header by default
