"""components/rasa_server.py hands Rasa its token inside the process, in a form argparse always reads."""
import sys

import pytest

from bot.config import get_settings
from components import rasa_server


@pytest.mark.parametrize("token", [
    "-starts-with-a-dash-0123456789",  # about 1 in 64 token_urlsafe values: read as an option when passed apart
    "--looks-like-a-long-option-0123",
    "plain_token_value_0123456789",
])
def test_any_token_reaches_rasa_as_its_auth_token(monkeypatch, token):
    from rasa.__main__ import create_argument_parser

    launched = {}
    monkeypatch.setenv("ILP_RASA_TOKEN", token)
    monkeypatch.setattr("rasa.__main__.main", lambda: launched.setdefault("argv", list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    get_settings.cache_clear()
    try:
        rasa_server.main(["run", "--model", "models/ilp-advisor.tar.gz", "--enable-api"])
    finally:
        get_settings.cache_clear()
    arguments = create_argument_parser().parse_args(launched["argv"][1:])
    assert arguments.auth_token == token and arguments.enable_api
