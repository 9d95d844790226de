"""Socket Mode as Slack speaks it, over a real WebSocket (the websockets package).

`apps.connections.open` (with the app-level token) hands out a one-use `ws://` URL to this
server. On connecting, the app is greeted with `hello`; then envelopes arrive,
`{"envelope_id", "type": "slash_commands" | "interactive" | "events_api", "payload",
"accepts_response_payload", "retry_attempt", "retry_reason"}`, and the app must ack each by
sending back `{"envelope_id"}` (with a `payload` for a response: a view submission's
`response_action`) within 3 seconds. Slack may also say `{"type": "disconnect", "reason":
"refresh_requested" | "warning" | "link_disabled"}` (the app should open a new connection), or
simply drop the socket (the app should notice, and reconnect by itself).

`SocketModeDriver` is the person using Slack (fakeslack.driver.SlackDriver), with every command,
click, submission and event delivered over this socket instead of signed HTTP.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import uuid
from collections import Counter
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlparse

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from slacksim.fakeslack import payloads
from slacksim.fakeslack.driver import SlackDriver
from slacksim.fakeslack.payloads import AppResponse

Json = dict[str, Any]

ACK_SECONDS = 3.0
DISCONNECT_REASONS = ("refresh_requested", "warning", "link_disabled")
# Envelopes whose ack may carry a response (Slack's accepts_response_payload).
_RESPONDS = ("slash_commands", "interactive")


class NotAcked(AssertionError):
    """The app did not ack an envelope in time (Slack would retry it, and show an error)."""


class SocketModeServer:
    def __init__(self, *, app_id: str, ack_seconds: float = ACK_SECONDS) -> None:
        self.app_id = app_id
        self.ack_seconds = ack_seconds
        self._changed = threading.Condition()
        self._tickets: set[str] = set()
        self._live: list[ServerConnection] = []
        self._acks: dict[str, Json] = {}
        self.ack_counts: Counter[str] = Counter()  # envelope id -> acks received for it
        self.hellos = 0  # connections greeted so far
        self.refused = 0  # connections with a ticket that was not (or no longer) valid
        self.envelopes: list[Json] = []  # every envelope sent, in order
        self.late: list[str] = []  # envelope ids acked after their 3 seconds
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._address = ("127.0.0.1", 0)

    # -- serving -----------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1") -> None:
        # The app pings us (and we answer); we do not ping it, as Slack's own pings are rare.
        self._server = serve(self._serve, host, 0, ping_interval=None)
        self._address = self._server.socket.getsockname()[:2]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fakeslack-socket-mode", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def issue_url(self) -> str:
        """What apps.connections.open answers: a URL that works for one connection."""
        ticket = uuid.uuid4().hex
        with self._changed:
            self._tickets.add(ticket)
        host, port = self._address
        return f"ws://{host}:{port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _serve(self, connection: ServerConnection) -> None:
        request = connection.request
        query = parse_qs(urlparse(request.path if request else "").query)
        ticket = (query.get("ticket") or [""])[0]
        with self._changed:
            valid = ticket in self._tickets
            self._tickets.discard(ticket)
            if not valid:
                self.refused += 1
        if not valid:
            connection.close(code=1008, reason="invalid ticket")
            return
        connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": len(self._live) + 1,
                    "debug_info": {"host": "fakeslack", "approximate_connection_time": 3600},
                    "connection_info": {"app_id": self.app_id},
                }
            )
        )
        with self._changed:
            self._live.append(connection)
            self.hellos += 1
            self._changed.notify_all()
        try:
            for raw in connection:
                self._received(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                if connection in self._live:
                    self._live.remove(connection)
                self._changed.notify_all()

    def _received(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        envelope_id = message.get("envelope_id") if isinstance(message, dict) else None
        if not isinstance(envelope_id, str):
            return
        with self._changed:
            self._acks.setdefault(envelope_id, message)
            self.ack_counts[envelope_id] += 1
            self._changed.notify_all()

    # -- what Slack does -------------------------------------------------------------------------
    def wait_connected(self, hellos: int = 1, timeout: float = 10.0) -> None:
        """Until `hellos` connections have been greeted and one is open."""
        with self._changed:
            if not self._changed.wait_for(
                lambda: self.hellos >= hellos and bool(self._live), timeout
            ):
                raise AssertionError(f"the app did not connect ({self.hellos} hellos)")

    def _current(self, timeout: float = 10.0) -> ServerConnection:
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._live), timeout):
                raise AssertionError("no Socket Mode connection open")
            return self._live[-1]  # the newest: Slack sends each envelope down one connection

    def deliver(
        self,
        kind: str,
        payload: Json,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        envelope_id: str | None = None,
    ) -> Json:
        """Send one envelope and wait for its ack; returns the ack's payload ({} if none).
        Raises NotAcked when no ack comes within the 3 seconds."""
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind in _RESPONDS,
            "retry_attempt": retry_attempt,
            "retry_reason": retry_reason,
        }
        connection = self._current()
        sent_at = time.monotonic()
        with self._changed:
            self.envelopes.append(envelope)
        connection.send(json.dumps(envelope))
        with self._changed:
            acked = self._changed.wait_for(lambda: envelope_id in self._acks, self.ack_seconds)
            if not acked:
                raise NotAcked(f"{kind} envelope not acked within {self.ack_seconds}s")
            if time.monotonic() - sent_at > self.ack_seconds:
                self.late.append(envelope_id)
            answer = self._acks[envelope_id].get("payload")
        return answer if isinstance(answer, dict) else {}

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Slack asks the app to move to a new connection; the old one stays open meanwhile."""
        if reason not in DISCONNECT_REASONS:
            raise ValueError(f"not a disconnect reason Slack sends: {reason}")
        self._current().send(
            json.dumps(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": "fakeslack"}}
            )
        )

    def drop(self, *, abrupt: bool = True) -> None:
        """The connection goes with no `disconnect` message first: abruptly (the socket is shut,
        as a network failure would), or with a WebSocket close frame (1001, going away)."""
        connection = self._current()
        with self._changed:  # nothing more goes down it, whenever its thread notices
            self._live.remove(connection)
        if abrupt:
            with contextlib.suppress(OSError):
                connection.socket.shutdown(socket.SHUT_RDWR)
            connection.socket.close()
        else:
            connection.close(code=1001, reason="going away")

    @property
    def open_connections(self) -> int:
        with self._changed:
            return len(self._live)


class SocketModeDriver(SlackDriver):
    """A person using Slack, with everything they do delivered over Socket Mode."""

    def __init__(self, fake: Any, server: SocketModeServer, *, team_id: str = "T0001") -> None:
        super().__init__(
            fake, app_url="http://socket-mode.invalid", signing_secret="", team_id=team_id
        )
        self.server = server

    def _post_form(self, body: str, headers: dict[str, str] | None = None) -> AppResponse:
        fields = dict(parse_qsl(body, keep_blank_values=True))
        if set(fields) == {"payload"}:
            return self._send("interactive", json.loads(fields["payload"]))
        return self._send("slash_commands", fields)

    def event(
        self, event: Json, *, retry_num: int | None = None, event_id: str | None = None
    ) -> AppResponse:
        body = payloads.event_callback(
            team_id=self.team_id,
            event=event,
            event_id=event_id or f"Ev{next(self._event_ids):08d}",
        )
        reason = "timeout" if retry_num else ""
        return self._send("events_api", body, retry_attempt=retry_num or 0, retry_reason=reason)

    def _send(self, kind: str, payload: Json, **retry: Any) -> AppResponse:
        answer = self.server.deliver(kind, payload, **retry)
        return AppResponse(200, json.dumps(answer) if answer else "")
