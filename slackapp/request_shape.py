"""Is this request from Slack, and shaped like something Slack sends? Checked before Bolt sees it.

Signatures first: Bolt logs the whole body of a request whose signature fails, at INFO (a genuine
reflection arriving late put its private notes in the log; a newline in a forged body forged a
log line). So such a request is refused here, with one short line that names the reason and the
size, and never the body; a flood of them is summarised rather than logged line by line.

Then the shape: Bolt trusts the shape of a correctly signed body: a field of the wrong type (an
`event` that is a number, `actions` holding strings, `user` a list) makes its authorization
middleware, matchers or logging raise, and the app answers 500, which Slack then retries. The
fuzzing fault suite found these; such a request is answered 400 here instead, before any listener
runs. Only the fields Bolt itself reads are checked; listeners still validate what they use.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

logger = logging.getLogger(__name__)

Spec = dict[str, Any]

STR = (str, type(None))
FLAG = (bool, str, type(None))
_ID: Spec = {"id": STR, "team_id": STR, "enterprise_id": STR, "name": STR, "username": STR}

# Objects Slack may send as null; Bolt reads any other one without checking (`view: null` fails).
NULLABLE = {"enterprise", "team", "channel", "state"}

# field -> allowed types, or a nested spec (the field must then be an object),
# or a one-element list holding a spec (a list of such dicts, or null).
PAYLOAD: Spec = {
    "type": STR,
    "token": STR,
    "team_id": STR,
    "user_id": STR,
    "channel_id": STR,
    "enterprise_id": STR,
    "api_app_id": STR,
    "trigger_id": STR,
    "callback_id": STR,
    "action_id": STR,
    "block_id": STR,
    "command": STR,
    "text": STR,
    "response_url": STR,
    "event_id": STR,
    "is_enterprise_install": FLAG,
    "is_ext_shared_channel": FLAG,
    "team": _ID,
    "user": _ID,
    "enterprise": {"id": STR},
    "channel": _ID,
    "container": {"type": STR, "view_id": STR, "message_ts": STR, "channel_id": STR},
    "view": {
        "id": STR,
        "type": STR,
        "callback_id": STR,
        "private_metadata": STR,
        "external_id": STR,
        "hash": STR,
        "state": {"values": (dict, type(None))},
    },
    "message": {"ts": STR, "thread_ts": STR, "bot_id": STR, "subtype": STR, "metadata": {}},
    "state": {"values": (dict, type(None))},
    "actions": [{"type": STR, "action_id": STR, "block_id": STR, "value": STR}],
    "response_urls": [{"response_url": STR, "channel_id": STR, "block_id": STR}],
    "authorizations": [
        {"team_id": STR, "user_id": STR, "enterprise_id": STR, "is_enterprise_install": FLAG}
    ],
    "event": {
        "type": STR,
        "subtype": STR,
        "channel_type": STR,
        "tab": STR,
        "bot_id": STR,
        "thread_ts": STR,
        "team": STR,
        "user": (str, dict, type(None)),
        "channel": (str, dict, type(None)),
        "message": (dict, type(None)),
        "previous_message": (dict, type(None)),
    },
}


def _problem(value: Any, spec: Spec, where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where or 'the body'} is not an object"
    for key, rule in spec.items():
        if key not in value:
            continue
        item = value[key]
        path = f"{where}.{key}" if where else key
        if isinstance(rule, tuple):
            if not isinstance(item, rule):
                return f"{path} has the wrong type"
            # Slack never sends one, and PostgreSQL refuses it in a query (500 on any lookup).
            if isinstance(item, str) and "\x00" in item:
                return f"{path} holds a NUL character"
        elif isinstance(rule, list):
            if item is None:
                continue
            if not isinstance(item, list):
                return f"{path} is not a list"
            for index, entry in enumerate(item):
                if found := _problem(entry, rule[0], f"{path}[{index}]"):
                    return found
        elif (item is not None or key not in NULLABLE) and (found := _problem(item, rule, path)):
            return found
    return None


def _missing(payload: dict[str, Any]) -> str | None:
    """Fields Bolt reads without looking first, when the payload's type promises them."""
    event = payload.get("event")
    if isinstance(event, dict) and not isinstance(event.get("type"), str):
        return "event.type is missing"
    if len(payload.get("response_urls") or []) > 1:
        return "response_urls has more than one"  # Bolt 1.30 fails logging that case
    if payload.get("type") in ("block_actions", "interactive_message"):
        actions = payload.get("actions")
        if not isinstance(actions, list) or not actions:
            return "actions is missing"  # Bolt reads actions[0]
        if payload["type"] == "block_actions" and not all(
            isinstance(action.get("action_id"), str) for action in actions
        ):
            return "actions[].action_id is missing"
    return None


def _holds_nul(value: Any) -> bool:
    """A NUL character anywhere: Slack sends none, and PostgreSQL text cannot hold one (an id
    with one failed the listener's first query, before its ack: a 500)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def parsed(body: str, content_type: str) -> Any:
    """The body as Bolt will read it (see slack_bolt.request.internals.parse_body)."""
    if not body:
        return {}
    if content_type.split(";")[0].strip() == "application/json" or body.startswith("{"):
        return json.loads(body)
    params = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in body:
        payload = params.get("payload")
        return json.loads(payload) if payload is not None else {}
    return params


def malformed(raw: bytes, *, content_type: str) -> str | None:
    """Why this body cannot be a Slack request, or None when it may be one."""
    try:
        body = raw.decode("utf-8")
        payload = parsed(body, content_type)
        nul = _holds_nul(payload)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "not UTF-8 JSON or form data"
    if nul:
        return "a NUL character"
    return _problem(payload, PAYLOAD, "") or _missing(payload)


# Slack's window for a request's timestamp; Bolt's verifier uses the same five minutes.
MAX_AGE_SECONDS = 300


def signature_problem(
    secret: str, raw: bytes, headers: dict[str, Any], *, now: float | None = None
) -> str | None:
    """Why this request is not signed by Slack with this secret, or None when it is.

    Slack signs the raw bytes. slack_sdk's SignatureVerifier takes text, so it cannot judge a body
    that is not UTF-8; the same v0 scheme is checked here on the bytes, in constant time."""
    timestamp = str(headers.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "")
    signature = str(headers.get("HTTP_X_SLACK_SIGNATURE") or "")
    if not timestamp or not signature:
        return "unsigned"
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return "timestamp not a number"
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return "stale timestamp"
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
    # As bytes: compare_digest refuses a str that is not ASCII, and a header may hold anything.
    if not hmac.compare_digest(
        f"v0={digest.hexdigest()}".encode(), signature.encode("utf-8", "replace")
    ):
        return "bad signature"
    return None


def read_body(environ: dict[str, Any], length: int) -> bytes:
    """The request body, put back for Bolt to read again."""
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


def refuse_malformed(environ: dict[str, Any], raw: bytes) -> str | None:
    """The reason to answer this correctly signed request 400, or None to hand it to Bolt."""
    return malformed(raw, content_type=str(environ.get("CONTENT_TYPE") or ""))


class RefusalLog:
    """One short line per refused request (why, and how big; never the body), and at most
    `per_minute` of them: past that, one line a minute says how many more there were, so a flood
    of refused requests cannot fill the disk."""

    def __init__(self, *, per_minute: int = 20, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self.clock = clock
        self._lock = threading.Lock()
        self._window_start = -math.inf
        self._logged = 0
        self._unlogged = 0

    def refused(self, reason: str, size: int) -> None:
        with self._lock:
            now = self.clock()
            if now - self._window_start >= 60:
                if self._unlogged:
                    logger.warning(
                        "refused %d more requests to /slack/events in the last minute",
                        self._unlogged,
                    )
                self._window_start, self._logged, self._unlogged = now, 0, 0
            if self._logged >= self.per_minute:
                self._unlogged += 1
                return
            self._logged += 1
        logger.warning(
            "refused a request to /slack/events: %s (%d bytes; the body is not logged)",
            reason,
            size,
        )


# A request's kind for metrics and the request log: words from this table only, never the
# payload's own (a forged body must not make new label values).
KINDS = {
    "block_actions": "action",
    "interactive_message": "action",
    "view_submission": "view_submission",
    "view_closed": "view_closed",
    "shortcut": "shortcut",
    "message_action": "shortcut",
    "block_suggestion": "options",
    "event_callback": "event",
    "url_verification": "url_verification",
    "app_rate_limited": "app_rate_limited",
}
TEAM_ID = re.compile(r"^[TE][A-Z0-9]{1,20}$")


def kind_and_team(raw: bytes, content_type: str) -> tuple[str, str | None]:
    """What this request is (command, action, event, ...) and the team it says it is from."""
    try:
        payload = parsed(raw.decode("utf-8"), content_type)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "unreadable", None
    if not isinstance(payload, dict):
        return "unreadable", None
    if isinstance(payload.get("command"), str):
        kind = "command"
    else:
        kind = KINDS.get(str(payload.get("type")), "other")
    team = payload.get("team_id")
    if not isinstance(team, str) and isinstance(payload.get("team"), dict):
        team = payload["team"].get("id")
    return kind, team if isinstance(team, str) and TEAM_ID.match(team) else None
