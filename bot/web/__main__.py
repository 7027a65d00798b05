"""Runs the web app on ILP_HOST:ILP_WEB_PORT: `python -m bot.web` (what `ilp serve` runs).

One command, so that nothing has to be remembered: the websockets release Rasa pins is too old for
uvicorn's websocket support, and the app serves no websockets, so that support stays off; and
uvicorn's own X-Forwarded-For handling (which believes any loopback peer) stays off too, because
the app believes that header only from ILP_TRUSTED_PROXIES (bot/web/client_address.py).
"""
import sys

import uvicorn

from bot.config import get_settings
from bot.db.unit_of_work import units_of_work
from bot.demo import DEMO_ACCOUNTS_IN_PRODUCTION, holds_demo_accounts


def main() -> None:
    settings = get_settings()
    if settings.environment == "production" and holds_demo_accounts(units_of_work(settings)()):
        sys.exit(f"error: {DEMO_ACCOUNTS_IN_PRODUCTION}")  # started on its own host, without `ilp serve` and its checks
    uvicorn.run("bot.web.app:create_app", factory=True, host=settings.host, port=settings.web_port,
                access_log=False, ws="none", proxy_headers=False)


if __name__ == "__main__":
    main()
