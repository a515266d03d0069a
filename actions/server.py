"""The action server: rasa-sdk's, refusing every call without the shared secret.

rasa-sdk answers anyone who reaches its port: a forged call to `/webhook` runs any action with
a made-up tracker (it filed a contact request in another user's name). `python -m
actions.server` takes rasa-sdk's arguments (`--actions actions --port 5055 …`) and serves the
same Sanic app, built by rasa-sdk's own factory, with one request middleware: a request
without `X-Parcours-Secret: <ACTION_SERVER_SECRET>` gets 403 and runs nothing. Rasa sends the
header from its endpoints file (parcours/rasa_endpoints.py). `/health` stays open (no data).
"""

from __future__ import annotations

import hmac
import logging
import os
import sys
from functools import partial
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app_for_serve, create_argument_parser, create_ssl_config
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader

from parcours.settings import SECRET_HEADER, get_settings

#: Paths served without the secret: a liveness probe only.
OPEN_PATHS = frozenset({"/health"})


def authorised(given: str | None, secret: str) -> bool:
    """True when `given` is the secret (constant time); an empty secret admits no one."""
    if not secret or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


def require_secret(app: Sanic[Any, Any], secret: str) -> None:
    """Answer 403, before any route runs, to a request without the shared secret."""

    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or authorised(request.headers.get(SECRET_HEADER), secret):
            return None
        return response.json({"error": "forbidden"}, status=403)

    app.register_middleware(check, "request")


def create_app(action_executor: ActionExecutor, secret: str, **kwargs: Any) -> Sanic[Any, Any]:
    """rasa-sdk's app (`create_app_for_serve`: routes, tracing, plugins) behind the secret.
    Module-level: Sanic's worker processes rebuild the app from it."""
    app: Sanic[Any, Any] = create_app_for_serve(action_executor, **kwargs)
    require_secret(app, secret)
    return app


def main(argv: list[str] | None = None) -> None:
    """`python -m rasa_sdk` (rasa_sdk.__main__ and endpoint.run, HTTP only) with `create_app`."""
    args = create_argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions)
    loader = AppLoader(
        factory=partial(
            create_app,
            executor,
            get_settings().action_server_secret,
            cors_origins=args.cors,
            auto_reload=args.auto_reload,
            endpoints=args.endpoints,
        )
    )
    app = loader.load()
    app.prepare(
        host=os.environ.get("SANIC_HOST", "127.0.0.1"),
        port=args.port,
        ssl=create_ssl_config(args.ssl_certificate, args.ssl_keyfile, args.ssl_password),
        workers=utils.number_of_sanic_workers(),
    )
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main(sys.argv[1:])
