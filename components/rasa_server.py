"""Runs `rasa run` with its API token taken from the settings: `python -m components.rasa_server run ...`.

A token on the command line is readable by every local user (/proc/<pid>/cmdline) and, when it
starts with "-", is read by argparse as an option; here it is handed to Rasa inside the process.
"""
from __future__ import annotations

import os
import sys

from bot.config import get_settings, require_secrets

# A Rasa instance killed mid-message leaves its conversation's lock in Redis until the ticket
# expires; Rasa's default of 60 s would outlast the web app's 30 s reply timeout.
TICKET_LOCK_LIFETIME_S = 20
# Sanic reads a whole body before any handler checks who sent it; the web app sends a few kB at most.
REQUEST_MAX_BYTES = 1024 * 1024


def main(argv: list[str]) -> None:
    settings = get_settings()
    require_secrets(settings, "rasa_token")
    os.environ.setdefault("TICKET_LOCK_LIFETIME", str(TICKET_LOCK_LIFETIME_S))
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(REQUEST_MAX_BYTES))
    sys.argv = ["rasa", *argv, f"--auth-token={settings.rasa_token}"]
    from rasa.__main__ import main as rasa_main  # imported late: TensorFlow takes seconds to load

    from components import rasa_patches

    rasa_patches.apply()
    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
