"""What Slack sends to an app: slash commands, block_actions, view_submission, view_closed and
events, built in Slack's own shapes and signed with the app's signing secret.

Shared by the end-to-end tests and the sandbox page, so that what works there works in Slack.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from slack_sdk.signature import SignatureVerifier

Json = dict[str, Any]


@dataclass
class AppResponse:
    status: int
    body: str

    def json(self) -> Json:
        return json.loads(self.body) if self.body.strip().startswith("{") else {}


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": str(signature)}


def post(
    url: str,
    body: str,
    *,
    secret: str,
    content_type: str,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> AppResponse:
    """POST a signed body the way Slack does; never raises on an HTTP error status."""
    all_headers = {"Content-Type": content_type, **sign(secret, body, timestamp), **(headers or {})}
    request = urllib.request.Request(url, data=body.encode(), headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return AppResponse(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return AppResponse(error.code, error.read().decode())


def _form(fields: Json) -> str:
    return urllib.parse.urlencode(fields)


def interactive_body(payload: Json) -> str:
    return _form({"payload": json.dumps(payload)})


def slash_command(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    text: str,
    trigger_id: str,
    command: str = "/secondchance",
    api_app_id: str = "A0SECONDCH",
    enterprise_id: str | None = None,
    enterprise_install: bool = False,
) -> str:
    org = {"enterprise_id": enterprise_id, "enterprise_name": "Acme Org"} if enterprise_id else {}
    return _form(
        {
            **org,
            "token": "legacy-verification-token-unused",
            "team_id": team_id,
            "team_domain": "acme",
            "channel_id": channel_id,
            "channel_name": "directmessage",
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": api_app_id,
            "is_enterprise_install": "true" if enterprise_install else "false",
            "response_url": f"https://hooks.slack.invalid/commands/{team_id}/{trigger_id}",
            "trigger_id": trigger_id,
        }
    )


def _find_element(view: Json, block_id: str, action_id: str) -> Json:
    for block in view.get("blocks", []):
        if block.get("block_id") != block_id:
            continue
        if block.get("type") == "input":
            return dict(block.get("element") or {})
        for element in block.get("elements", []) or [block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return dict(element)
    raise KeyError(f"no element {block_id}/{action_id} in the view")


def _option(element: Json, value: str) -> Json:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    for option in options:
        if option.get("value") == value:
            return {"text": option["text"], "value": value}
    raise KeyError(f"no option {value!r} in {element.get('action_id')}")


def state_value(element: Json, value: Any) -> Json:
    """An element's entry in view.state.values for the given natural value (None = left empty)."""
    kind = element.get("type", "plain_text_input")
    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        return {"type": kind, "value": value}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "timepicker":
        entry = {"type": kind, "selected_time": value}
        if element.get("timezone"):
            entry["timezone"] = element["timezone"]
        return entry
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind == "conversations_select":
        return {"type": kind, "selected_conversation": value}
    if kind == "channels_select":
        return {"type": kind, "selected_channel": value}
    if kind in ("static_select", "radio_buttons", "external_select"):
        return {"type": kind, "selected_option": _option(element, value) if value else None}
    if kind in ("checkboxes", "multi_static_select"):
        return {"type": kind, "selected_options": [_option(element, v) for v in value or []]}
    raise ValueError(f"don't know how to fill a {kind}")


def initial_state(view: Json) -> dict[str, dict[str, Json]]:
    """The state Slack reports for a view nobody has touched: the elements' initial values."""
    values: dict[str, dict[str, Json]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block.get("element") or {}
        kind = element.get("type")
        initial: Any = None
        if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
            initial = element.get("initial_value")
        elif kind == "datepicker":
            initial = element.get("initial_date")
        elif kind == "timepicker":
            initial = element.get("initial_time")
        elif kind == "datetimepicker":
            initial = element.get("initial_date_time")
        elif kind == "users_select":
            initial = element.get("initial_user")
        elif kind == "multi_users_select":
            initial = element.get("initial_users")
        elif kind in ("static_select", "radio_buttons"):
            initial = (element.get("initial_option") or {}).get("value")
        elif kind in ("checkboxes", "multi_static_select"):
            initial = [o["value"] for o in element.get("initial_options") or []]
        elif kind is None:
            continue
        values.setdefault(block["block_id"], {})[element["action_id"]] = state_value(
            element, initial
        )
    return values


def filled_state(view: Json, values: dict[str, Any]) -> dict[str, dict[str, Json]]:
    """The view's state after a person filled it in. `values` maps block_id to a natural value
    (or block_id to {action_id: value}); anything not named keeps its initial value."""
    state = initial_state(view)
    for block_id, given in values.items():
        block = next((b for b in view.get("blocks", []) if b.get("block_id") == block_id), None)
        if block is None:
            raise KeyError(f"no block {block_id!r} in the view")
        element = block.get("element") or {}
        action_id = str(element.get("action_id"))
        if isinstance(given, dict) and action_id in given:
            given = given[action_id]
        state.setdefault(block_id, {})[action_id] = state_value(element, given)
    return state


def _user(user_id: str, team_id: str, name: str) -> Json:
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def view_payload(view: Json, state: dict[str, dict[str, Json]], team_id: str) -> Json:
    return {**view, "team_id": team_id, "state": {"values": state}}


def view_submission(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    view: Json,
    state: dict[str, dict[str, Json]],
    trigger_id: str,
    api_app_id: str = "A0SECONDCH",
) -> Json:
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "acme"},
        "user": _user(user_id, team_id, user_name),
        "api_app_id": api_app_id,
        "token": "legacy-verification-token-unused",
        "trigger_id": trigger_id,
        "view": view_payload(view, state, team_id),
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(*, team_id: str, user_id: str, user_name: str, view: Json) -> Json:
    return {
        "type": "view_closed",
        "team": {"id": team_id, "domain": "acme"},
        "user": _user(user_id, team_id, user_name),
        "api_app_id": "A0SECONDCH",
        "view": view_payload(view, initial_state(view), team_id),
        "is_cleared": False,
        "is_enterprise_install": False,
    }


def action_entry(element: Json, block_id: str, value: Any = None) -> Json:
    """One entry of block_actions' `actions`: what was clicked or chosen."""
    kind = element.get("type")
    entry: Json = {
        "type": kind,
        "block_id": block_id,
        "action_id": element.get("action_id"),
        "action_ts": f"{time.time():.6f}",
    }
    if kind == "button":
        entry["text"] = element.get("text")
        if "value" in element:
            entry["value"] = element["value"]
        if element.get("style"):
            entry["style"] = element["style"]
    elif kind == "overflow":
        entry["selected_option"] = _option(element, value)
    else:
        entry.update({k: v for k, v in state_value(element, value).items() if k != "type"})
    return entry


def block_actions(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    actions: list[Json],
    trigger_id: str,
    container: Json,
    view: Json | None = None,
    state: dict[str, dict[str, Json]] | None = None,
    message: Json | None = None,
    channel_id: str | None = None,
) -> Json:
    """block_actions from a modal or home tab (view given) or from a message (message given)."""
    payload: Json = {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "acme"},
        "user": _user(user_id, team_id, user_name),
        "api_app_id": "A0SECONDCH",
        "token": "legacy-verification-token-unused",
        "container": container,
        "trigger_id": trigger_id,
        "actions": actions,
        "is_enterprise_install": False,
        "enterprise": None,
    }
    if view is not None:
        payload["view"] = view_payload(
            view, state if state is not None else initial_state(view), team_id
        )
    if message is not None:
        payload["message"] = message
        payload["channel"] = {"id": channel_id, "name": "directmessage"}
        payload["response_url"] = f"https://hooks.slack.invalid/actions/{team_id}/{trigger_id}"
        if state is not None:
            payload["state"] = {"values": state}
    return payload


def message_action(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    callback_id: str,
    trigger_id: str,
    channel_id: str,
    message: Json,
) -> Json:
    """A message shortcut: someone chose the app's action in a message's "More actions" menu."""
    return {
        "type": "message_action",
        "token": "legacy-verification-token-unused",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "acme"},
        "user": _user(user_id, team_id, user_name),
        "channel": {"id": channel_id, "name": "general"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": f"https://hooks.slack.invalid/actions/{team_id}/{trigger_id}",
        "message_ts": message.get("ts"),
        "message": message,
        "api_app_id": "A0SECONDCH",
    }


def shortcut(
    *, team_id: str, user_id: str, user_name: str, callback_id: str, trigger_id: str
) -> Json:
    """A global shortcut: chosen from Slack's shortcuts menu, anywhere."""
    return {
        "type": "shortcut",
        "token": "legacy-verification-token-unused",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": team_id, "domain": "acme"},
        "user": _user(user_id, team_id, user_name),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }


def event_callback(
    *,
    team_id: str,
    event: Json,
    event_id: str,
    api_app_id: str = "A0SECONDCH",
    enterprise_id: str | None = None,
    enterprise_install: bool = False,
) -> Json:
    body: Json = {
        "token": "legacy-verification-token-unused",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": enterprise_id,
                # An org-wide install is authorized for the org, not for one workspace.
                "team_id": None if enterprise_install else team_id,
                "user_id": "UBOTSC",
                "is_bot": True,
                "is_enterprise_install": enterprise_install,
            }
        ],
        "is_ext_shared_channel": False,
    }
    if enterprise_id:
        body["enterprise_id"] = enterprise_id
    return body


def in_enterprise(payload: Json, enterprise_id: str | None, enterprise_install: bool) -> Json:
    """An interactive payload as Slack sends it from a workspace of an Enterprise Grid org."""
    if not enterprise_id:
        return payload
    return {
        **payload,
        "enterprise": {"id": enterprise_id, "name": "Acme Org"},
        "is_enterprise_install": enterprise_install,
    }


def app_home_opened(*, user_id: str, channel_id: str) -> Json:
    return {
        "type": "app_home_opened",
        "user": user_id,
        "channel": channel_id,
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }


def app_uninstalled() -> Json:
    return {"type": "app_uninstalled", "event_ts": f"{time.time():.6f}"}


def tokens_revoked(*, bot: list[str] | None = None, oauth: list[str] | None = None) -> Json:
    """Slack lists the user ids whose tokens went, by kind: `bot` for the app's bot user,
    `oauth` for user tokens; a kind with none is left out."""
    tokens: Json = {}
    if oauth:
        tokens["oauth"] = list(oauth)
    if bot:
        tokens["bot"] = list(bot)
    return {"type": "tokens_revoked", "tokens": tokens, "event_ts": f"{time.time():.6f}"}


def user_change(user: Json) -> Json:
    """A member's data changed; `user` is the whole user object, `deleted` when deactivated."""
    now = time.time()
    return {"type": "user_change", "user": user, "cache_ts": int(now), "event_ts": f"{now:.6f}"}
