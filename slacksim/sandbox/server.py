"""One port for everything: the page at /, the fake Slack Web API at /api/, the app's own
/slack/events and /healthz, and the page's endpoints under /sandbox/."""

from __future__ import annotations

import json
import logging
import mimetypes
import re
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from slackapp.views.i18n import _
from slacksim.sandbox import page
from slacksim.sandbox.core import PERSON, Outcome, Sandbox
from slacksim.sandbox.guard import Guard

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Environ = dict[str, Any]
MAX_BODY_BYTES = 1_000_000
STATIC_NAME = re.compile(r"^[a-z0-9_-]+\.(css|js|png|svg)$")


def _send(
    start_response: StartResponse,
    status: str,
    body: bytes,
    content_type: str,
    *extra: tuple[str, str],
) -> list[bytes]:
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
            # No other site may frame the page and trick a click out of someone.
            ("X-Frame-Options", "DENY"),
            ("Content-Security-Policy", "frame-ancestors 'none'"),
            *extra,
        ],
    )
    return [body]


def _json(start_response: StartResponse, body: Any, status: str = "200 OK") -> list[bytes]:
    return _send(start_response, status, json.dumps(body).encode(), "application/json")


def _read_json(environ: Environ) -> Any:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0 or length > MAX_BODY_BYTES:
        return {}
    raw = environ["wsgi.input"].read(length)
    try:
        return json.loads(raw)
    except ValueError:
        return {}


def _act(sandbox: Sandbox, body: dict[str, Any]) -> Outcome:
    user_id = str(body.get("user") or "")
    if user_id not in PERSON:
        return Outcome(ok=False, notice=_("Nobody by that name works here."))
    kind = body.get("kind")
    if kind == "command":
        return sandbox.command(user_id, str(body.get("text") or ""))
    if kind == "open_home":
        return sandbox.open_home(user_id)
    if kind == "message_shortcut":
        return sandbox.message_shortcut(user_id, str(body.get("ts") or ""))
    if kind == "language":
        return sandbox.set_language(user_id, str(body.get("language") or ""))
    if kind == "action":
        return sandbox.action(user_id, body)
    if kind == "submit":
        return sandbox.submit(user_id, str(body.get("view_id")), list(body.get("values") or []))
    if kind == "close":
        return sandbox.close(user_id, str(body.get("view_id")), everything=bool(body.get("all")))
    return Outcome(
        ok=False, notice=_("The sandbox doesn't know how to {action}.").format(action=repr(kind))
    )


def _file(sandbox: Sandbox, file_id: str, start_response: StartResponse) -> list[bytes]:
    """A file the app shared in a DM, downloaded as Slack's "Download" does."""
    shared = sandbox.fake.shared_file(file_id)
    if shared is None:
        return _json(start_response, {"error": "not found"}, "404 Not Found")
    name, content = shared
    # Only the characters a file name needs: nothing that could end the header or the quotes.
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).lstrip(".") or "file"
    content_type = mimetypes.guess_type(safe)[0] or "application/octet-stream"
    return _send(
        start_response,
        "200 OK",
        content,
        content_type,
        ("Content-Disposition", f'attachment; filename="{safe}"'),
    )


def _image(sandbox: Sandbox, file_id: str, start_response: StartResponse) -> list[bytes]:
    """An image an image block shows by its Slack file (the app's own upload), inline."""
    found = sandbox.fake.image_file(file_id)
    if found is None:
        return _json(start_response, {"error": "not found"}, "404 Not Found")
    name, content = found
    return _send(start_response, "200 OK", content, mimetypes.guess_type(name)[0] or "image/png")


def make_sandbox_app(
    sandbox: Sandbox, app_wsgi: Callable[..., Iterable[bytes]], guard: Guard
) -> Callable[..., Iterable[bytes]]:
    static = resources.files("slacksim.sandbox") / "static"

    def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO") or "/")
        method = str(environ.get("REQUEST_METHOD") or "GET")
        # Every path, the fake Slack and the app's included: a rebinding site reads nothing.
        if not guard.host_allowed(environ):
            return _json(
                start_response, {"ok": False, "notice": guard.wrong_host_notice()}, "403 Forbidden"
            )
        if path.startswith("/api/"):
            return sandbox.fake.wsgi_app(environ, start_response)
        if path in ("/slack/events", "/healthz"):
            return app_wsgi(environ, start_response)
        try:
            return _page_route(path, method, environ, start_response)
        except Exception:
            logger.exception("sandbox page request failed")
            return _json(
                start_response,
                {"ok": False, "notice": _("The sandbox failed; see its log.")},
                "500 Internal Server Error",
            )

    def _page_route(
        path: str, method: str, environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes]:
        if path == "/" and method in ("GET", "HEAD"):
            query = parse_qs(str(environ.get("QUERY_STRING") or ""))
            html = page.page_html(
                sandbox,
                left=(query.get("left") or ["UEMPLOYEE"])[0],
                right=(query.get("right") or ["UMANAGER"])[0],
            )
            return _send(start_response, "200 OK", html.encode(), "text/html; charset=utf-8")
        if path.startswith("/static/") and method in ("GET", "HEAD"):
            name = path.removeprefix("/static/")
            resource = static / name
            if not STATIC_NAME.match(name) or not resource.is_file():
                return _json(start_response, {"error": "not found"}, "404 Not Found")
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if content_type.startswith("text/") or content_type.endswith("javascript"):
                content_type += "; charset=utf-8"
            return _send(start_response, "200 OK", resource.read_bytes(), content_type)
        if path == "/sandbox/state" and method == "GET":
            users = parse_qs(str(environ.get("QUERY_STRING") or "")).get("user") or []
            return _json(start_response, page.state(sandbox, users))
        if path.startswith("/sandbox/files/") and method in ("GET", "HEAD"):
            return _file(sandbox, path.removeprefix("/sandbox/files/"), start_response)
        if path.startswith("/sandbox/images/") and method in ("GET", "HEAD"):
            return _image(sandbox, path.removeprefix("/sandbox/images/"), start_response)
        if path.startswith("/sandbox/respond/") and method == "POST":
            # The app's respond(): Slack accepts JSON (what slack_sdk sends) at a response_url.
            # The app posts with no Origin; a browser page from elsewhere has no business here.
            if guard.refuse_foreign_origin(environ):
                return _json(start_response, {"ok": False}, "403 Forbidden")
            done = sandbox.respond(path.rsplit("/", 1)[-1], _read_json(environ) or {})
            if not done:
                return _send(start_response, "404 Not Found", b"no_such_response_url", "text/plain")
            return _send(start_response, "200 OK", b"ok", "text/plain")
        if path in ("/sandbox/act", "/sandbox/skip") and method == "POST":
            refused = guard.refuse_page_call(environ)
            if refused is not None:
                status, notice = refused
                return _json(start_response, {"ok": False, "notice": notice}, status)
            body = _read_json(environ)
            outcome = (
                sandbox.skip_ahead()
                if path == "/sandbox/skip"
                else _act(sandbox, body if isinstance(body, dict) else {})
            )
            return _json(start_response, outcome.to_json())
        if path == "/favicon.ico":
            return _send(start_response, "204 No Content", b"", "image/x-icon")
        return _json(start_response, {"error": "not found"}, "404 Not Found")

    return application
