"""The HTTP face of the app: a WSGI application, served by gunicorn in production.

Each request to POST /slack/events gets a request id (in every log line it causes, the
listener's too), one log line when answered (team id, kind, status, outcome, latency; never the
body), and is counted for GET /metrics, served when METRICS_ENABLED=true.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler

from models.db import database_answers
from slackapp.kernel import due_work
from slackapp.logging_setup import REQUEST_ID
from slackapp.metrics import ACK_SECONDS, REQUESTS, DueWorkBacklog, exposition
from slackapp.request_shape import (
    RefusalLog,
    kind_and_team,
    read_body,
    refuse_malformed,
    signature_problem,
)
from slackapp.runtime import Runtime

logger = logging.getLogger(__name__)
# One line per request answered at /slack/events.
request_log = logging.getLogger("slackapp.requests")

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


def _outcome(status: int) -> str:
    if status < 400:
        return "ok"
    if status == 404:
        return "unhandled"  # signed, but no listener for it
    return "refused" if status < 500 else "error"


def backlog_reader(runtime: Runtime) -> Callable[[], tuple[float, int]]:
    def read() -> tuple[float, int]:
        now = runtime.clock.now()
        with runtime.session_factory() as session:
            oldest, count = due_work.backlog(session, now=now)
        return (max(0.0, (now - oldest).total_seconds()) if oldest else 0.0), count

    return read


def make_wsgi_app(runtime: Runtime) -> WSGIApp:
    slack_handler = SlackRequestHandler(runtime.app)
    refusals = RefusalLog()
    secret = runtime.settings.slack_signing_secret
    backlog = DueWorkBacklog(backlog_reader(runtime))

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
            return observed(environ, start_response)
        if path == "/metrics" and method == "GET" and runtime.settings.metrics_enabled:
            body, content_type = exposition(backlog)
            start_response(
                "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            )
            return [body]
        if runtime.settings.oauth and path in ("/slack/install", "/slack/oauth_redirect"):
            return slack_handler(environ, start_response)
        return _json(start_response, "404 Not Found", {"error": "not found"})

    def observed(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """events(), with its request id, its line in the log and its metrics."""
        started = time.monotonic()
        token = REQUEST_ID.set(uuid.uuid4().hex[:16])
        answered: list[int] = []

        def recording(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            answered.append(int(status.split(" ", 1)[0]))
            return start_response(status, headers, *rest)

        raw: list[bytes] = []
        try:
            return events(environ, recording, raw)
        finally:
            seconds = time.monotonic() - started
            status = answered[0] if answered else 500
            outcome = _outcome(status)
            # A refused body is not read again, and has its own, rate-limited line (RefusalLog).
            kind, team = (
                kind_and_team(raw[0], str(environ.get("CONTENT_TYPE") or ""))
                if raw and outcome != "refused"
                else ("unverified", None)
            )
            REQUESTS.labels(kind=kind, outcome=outcome).inc()
            ACK_SECONDS.labels(kind=kind).observe(seconds)
            if outcome != "refused":
                request_log.info(
                    "%s from %s: %d %s in %.1f ms",
                    kind,
                    team or "an unknown team",
                    status,
                    outcome,
                    seconds * 1000,
                    extra={
                        "team_id": team,
                        "kind": kind,
                        "status": status,
                        "outcome": outcome,
                        "latency_ms": round(seconds * 1000, 1),
                    },
                )
            REQUEST_ID.reset(token)

    def events(
        environ: dict[str, Any], start_response: StartResponse, raw_out: list[bytes]
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
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
        raw_out.append(raw)
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

    return application
