"""Runs the action server (rasa_sdk) so that it answers Rasa only: `python -m components.action_server`.

Every call but the health check must carry `Authorization: Bearer <ILP_ACTION_TOKEN>`, which Rasa
sends from the endpoints file `ilp serve` writes; anyone else who reaches the port could otherwise
run any action for any student (read a plan, write to it, raise alerts). It binds
ILP_INTERNAL_HOST:ILP_ACTION_PORT.
"""
from __future__ import annotations

import asyncio
import logging

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request

from actions.common import plan_uow, use_plan_database
from bot.config import Settings, get_settings, require_secrets
from bot.plans.exploration import warm_up_career_vectors
from bot.service_auth import has_bearer_token

logger = logging.getLogger(__name__)
PUBLIC_PATHS = frozenset({"/health"})
# Rasa keeps idle connections to the action server for up to 15 s; Sanic closes them after 5 s by
# default, and a request sent in between fails and comes back to the student as an empty reply.
KEEP_ALIVE_TIMEOUT_S = 75
# Sanic reads a whole body before the token is checked. Rasa sends the conversation's events with
# every call, some tens of kB for a long advisory period: 16 MB leaves room and stops a flood.
REQUEST_MAX_BYTES = 16 * 1024 * 1024


def authenticated_app(token: str) -> Sanic:
    app = create_app("actions", cors_origins=None)
    app.config.KEEP_ALIVE_TIMEOUT = KEEP_ALIVE_TIMEOUT_S
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_BYTES

    @app.exception(PayloadTooLarge)  # rasa_sdk's catch-all would answer 500
    async def too_large(_request: Request, _error: PayloadTooLarge):
        return response.json({"error": "The request body is too large."}, status=413)

    @app.middleware("request")
    async def only_rasa(request: Request):
        if request.path not in PUBLIC_PATHS and not has_bearer_token(request.headers.get("authorization"), token):
            return response.json({"error": "The action server answers Rasa only."}, status=401)

    @app.after_server_start
    async def warm_up(_app: Sanic, _loop) -> None:
        # In the background: the server answers while the encoder works; a failure only costs the first reply time.
        try:
            count = await asyncio.to_thread(warm_up_career_vectors, plan_uow())
            logger.info("Career matching warmed up: %d careers encoded", count)
        except Exception:  # noqa: BLE001 - a database that is not up yet must not stop the action server
            logger.warning("Career matching warm-up failed; the first suggestion will be slower", exc_info=True)

    return app


def main(settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    require_secrets(settings, "action_token")
    use_plan_database(settings)
    utils.configure_colored_logging(logging.INFO)
    utils.update_sanic_log_level()
    app = authenticated_app(settings.action_token)
    app.run(settings.internal_host, settings.action_port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
