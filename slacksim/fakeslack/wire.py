"""The fake Slack's wire: reading a Web API request, answering an injected fault, and the
threaded HTTP server that can drop a connection unanswered, as a failing network would."""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer
from wsgiref.types import WSGIEnvironment

from .state import Json


class ResetConnection(Exception):
    """Raised out of the WSGI app to make our server drop the connection unanswered."""


@dataclass
class Fault:
    status: int  # 500, 429, or 0 for a connection reset
    retry_after: int = 1


def fault_answer(fault: Fault) -> tuple[int, list[tuple[str, str]], Json]:
    if fault.status == 429:
        return 429, [("Retry-After", str(fault.retry_after))], {"ok": False, "error": "ratelimited"}
    if fault.status == 0:
        return 0, [], {}
    return fault.status, [], {"ok": False, "error": "fatal_error"}


def read_request(environ: WSGIEnvironment) -> tuple[Json, str | None]:
    """Args from the query string and a form or JSON body; the token from header or args."""
    args: Json = dict(parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True))
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    content_type = str(environ.get("CONTENT_TYPE", "")).lower()
    if raw and "json" in content_type:
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        # Slack ignores a body it cannot read; the missing args then produce errors.
        if isinstance(body, dict):
            args.update(body)
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    token = args.pop("token", None)
    auth = str(environ.get("HTTP_AUTHORIZATION", ""))
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
    return args, token if isinstance(token, str) and token else None


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 drops bursts of concurrent clients


class QuietServerHandler(ServerHandler):
    reset = False

    def handle_error(self) -> None:
        if isinstance(sys.exc_info()[1], ResetConnection):
            self.reset = True  # send nothing; RequestHandler drops the socket
            return
        super().handle_error()


class RequestHandler(WSGIRequestHandler):
    """wsgiref's handler, plus connection resets and no request logging."""

    def handle(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.send_error(414)
            return
        if not self.parse_request():
            return
        wfile: Any = self.wfile  # typeshed says BufferedIOBase, ServerHandler wants IO[bytes]
        handler = QuietServerHandler(
            self.rfile, wfile, self.get_stderr(), self.get_environ(), multithread=True
        )
        handler.request_handler = self  # type: ignore[attr-defined]  # wsgiref's back-pointer for logging
        handler.run(self.server.get_app())  # type: ignore[attr-defined]
        if handler.reset:
            # Linger 0 makes close() send RST, so the client sees "connection reset by peer".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        pass
