"""The HTTP face of the app: a WSGI application, served by gunicorn in production."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from models.db import database_answers
from slackapp.request_shape import RefusalLog, read_body, refuse_malformed, signature_problem
from slackapp.runtime import Runtime

logger = logging.getLogger(__name__)

# Slack's own payloads are far smaller; a larger body is not from Slack.
MAX_BODY_BYTES = 1_000_000

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def make_wsgi_app(runtime: Runtime) -> WSGIApp:
    slack_handler = SlackRequestHandler(runtime.app)
    refusals = RefusalLog()
    secret = runtime.settings.slack_signing_secret

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method in ("GET", "HEAD"):
            if database_answers(runtime.engine):
                return _json(start_response, "200 OK", {"status": "ok", "database": "ok"})
            return _json(
                start_response, "503 Service Unavailable", {"status": "down", "database": "down"}
            )
        if path == "/slack/events":
            if method != "POST":
                return _json(start_response, "405 Method Not Allowed", {"error": "POST only"})
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = -1
            if length < 0 or length > MAX_BODY_BYTES:
                refusals.refused(
                    "body too large" if length > 0 else "Content-Length not a number",
                    max(length, 0),
                )
                return _json(start_response, "413 Content Too Large", {"error": "body too large"})
            raw = read_body(environ, length)
            if secret:
                # Bolt would log the whole body of a request it refuses: it is refused here.
                problem = signature_problem(secret, raw, environ)
                if problem:
                    refusals.refused(problem, len(raw))
                    return _json(start_response, "401 Unauthorized", {"error": "invalid request"})
                problem = refuse_malformed(environ, raw)
                if problem:
                    refusals.refused(f"signed, but {problem}", len(raw))
                    return _json(start_response, "400 Bad Request", {"error": "bad request"})
            try:
                return slack_handler(environ, start_response)
            except Exception:
                logger.exception("request to /slack/events failed")
                return _json(start_response, "400 Bad Request", {"error": "bad request"})
        if runtime.settings.oauth and path in ("/slack/install", "/slack/oauth_redirect"):
            return slack_handler(environ, start_response)
        return _json(start_response, "404 Not Found", {"error": "not found"})

    return application
