"""Is this signed request shaped like something Slack sends? Checked before Bolt sees it.

Bolt trusts the shape of a correctly signed body: a field of the wrong type (an `event` that is a
number, `actions` holding strings, `user` a list) makes its authorization middleware, matchers or
logging raise, and the app answers 500, which Slack then retries. The fuzzing fault suite found
these; such a request is answered 400 here instead, before any listener runs. Only the fields
Bolt itself reads are checked; listeners still validate what they use.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import SignatureVerifier

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
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "not UTF-8 JSON or form data"
    return _problem(payload, PAYLOAD, "") or _missing(payload)


def correctly_signed(secret: str, raw: bytes, headers: dict[str, Any]) -> bool:
    """Only signed bodies are judged on their shape; Bolt answers the rest with 401."""
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return True  # no text to verify against; treated as signed so it is refused as malformed
    try:
        return SignatureVerifier(secret).is_valid(
            body=body,
            timestamp=str(headers.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""),
            signature=str(headers.get("HTTP_X_SLACK_SIGNATURE") or ""),
        )
    except ValueError:  # a timestamp that is not a number
        return False


def refuse_malformed(environ: dict[str, Any], length: int, secret: str | None) -> str | None:
    """Read the body (putting it back for Bolt); the reason to answer 400, or None to go on."""
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(raw)
    if not str(environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or "0").isdigit():
        # Bolt's verifier raises on a timestamp that is not a number (a 500); 0 is just stale (401).
        environ["HTTP_X_SLACK_REQUEST_TIMESTAMP"] = "0"
    if not secret or not correctly_signed(secret, raw, environ):
        return None
    reason = malformed(raw, content_type=str(environ.get("CONTENT_TYPE") or ""))
    if reason:
        logger.warning("refused a signed request that Slack would not send: %s", reason)
    return reason
