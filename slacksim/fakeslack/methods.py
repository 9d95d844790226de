"""Web API methods: each takes the workspace and the request args, returns the ok body.

Errors are raised as ApiError; the server turns them into ``{"ok": false, ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from . import files
from .state import MAX_VIEW_STACK, ApiError, Json, Message, Workspace
from .validation import MESSAGE_TEXT_MAX, validate_blocks, validate_view

Handler = Callable[[Workspace, Json], Json]

# Params that arrive as JSON strings in form bodies, with Slack's error for bad JSON.
JSON_PARAMS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "metadata": "invalid_metadata_format",
    "view": "invalid_arguments",
    "outputs": "invalid_arguments",  # functions.completeSuccess
}


def normalize_args(args: Json) -> Json:
    out = dict(args)
    for key, error in JSON_PARAMS.items():
        value = out.get(key)
        if isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except ValueError:
                raise ApiError(error, details=f"{key} is not valid JSON") from None
    return out


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, (str, int)) and str(value).lower() in ("1", "true"))


def _check_message_content(ws: Workspace, args: Json, *, required: bool) -> None:
    text, blocks = args.get("text"), args.get("blocks")
    if text is not None and not isinstance(text, str):
        raise ApiError("invalid_arguments", ["[ERROR] text must be a string [json-pointer:/text]"])
    if required and not text and not blocks and not args.get("attachments"):
        raise ApiError("no_text")
    if text and len(text) > MESSAGE_TEXT_MAX:
        raise ApiError("msg_too_long")
    if blocks is not None:
        errors = validate_blocks(blocks, "message") or files.slack_file_errors(ws, blocks)
        if errors:
            raise ApiError("invalid_blocks", errors)
    metadata = args.get("metadata")
    if metadata is not None and not (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and isinstance(metadata.get("event_payload"), dict)
    ):
        raise ApiError("invalid_metadata_format", details="needs event_type and event_payload")


def auth_test(ws: Workspace, args: Json) -> Json:
    return {
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.team_name,
        "user": ws.users[ws.bot_user_id].name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ws.app_id,
        "enterprise_id": ws.enterprise_id,
        "is_enterprise_install": ws.enterprise_install,
    }


def users_info(ws: Workspace, args: Json) -> Json:
    include_locale = str(args.get("include_locale", "")).lower() in ("true", "1")
    user = ws.user(str(args.get("user", "")))
    return {"user": user.to_api(ws.team_id, ws.clock(), include_locale=include_locale)}


def conversations_open(ws: Workspace, args: Json) -> Json:
    if args.get("channel"):
        return {
            "channel": {"id": ws.existing_channel(args["channel"])},
            "no_op": True,
            "already_open": True,
        }
    users = [u for u in str(args.get("users", "")).split(",") if u]
    if len(users) != 1:
        # Group DMs are not part of this fake.
        raise ApiError("invalid_arguments" if users else "users_list_not_supplied")
    known = "D" + users[0] in ws.channels
    channel = ws.open_dm(users[0])
    return {"channel": {"id": channel}, "no_op": known, "already_open": known}


def chat_post_message(ws: Workspace, args: Json) -> Json:
    channel = ws.channel_for_post(args.get("channel"))
    _check_message_content(ws, args, required=True)
    thread_ts = args.get("thread_ts") or None
    message = Message(
        ts=ws.next_ts(),
        channel=channel,
        text=args.get("text") or "",
        blocks=args.get("blocks"),
        metadata=args.get("metadata"),
        thread_ts=str(thread_ts) if thread_ts else None,
    )
    ws.messages.setdefault(channel, []).append(message)
    return {"channel": channel, "ts": message.ts, "message": ws.message_api(message)}


def chat_update(ws: Workspace, args: Json) -> Json:
    channel = ws.existing_channel(args.get("channel"))
    message = ws.find_message(channel, args.get("ts"))
    _check_message_content(ws, args, required=False)
    if args.get("text") is None and args.get("blocks") is None and args.get("attachments") is None:
        raise ApiError("no_text")
    # Like Slack: fields left out keep their previous value; blocks=[] removes blocks.
    if args.get("text") is not None:
        message.text = args["text"]
    if args.get("blocks") is not None:
        message.blocks = args["blocks"] or None
    if args.get("metadata") is not None:
        message.metadata = args["metadata"]
    message.edited_ts = ws.next_ts()
    return {
        "channel": channel,
        "ts": message.ts,
        "text": message.text,
        "message": ws.message_api(message),
    }


def chat_post_ephemeral(ws: Workspace, args: Json) -> Json:
    channel = ws.channel_for_post(args.get("channel"))
    user = ws.user(str(args.get("user", "")))
    _check_message_content(ws, args, required=True)
    ts = ws.next_ts()
    ws.ephemerals.append(
        {
            "ts": ts,
            "channel": channel,
            "user": user.id,
            "text": args.get("text") or "",
            "blocks": args.get("blocks"),
            "thread_ts": args.get("thread_ts") or None,
        }
    )
    return {"message_ts": ts}


def chat_get_permalink(ws: Workspace, args: Json) -> Json:
    channel = ws.existing_channel(args.get("channel"))
    message = ws.find_message(channel, args.get("message_ts"))
    link = f"https://{ws.domain}.slack.com/archives/{channel}/p{message.ts.replace('.', '')}"
    return {"channel": channel, "permalink": link}


def _page(items: list[Json], args: Json) -> Json:
    try:
        limit = min(max(int(args.get("limit") or 100), 1), 999)
        cursor = str(args.get("cursor") or "")
        start = int(cursor.removeprefix("offset:")) if cursor else 0
    except ValueError:
        raise ApiError("invalid_cursor" if args.get("cursor") else "invalid_limit") from None
    page = items[start : start + limit]
    more = start + limit < len(items)
    return {
        "messages": page,
        "has_more": more,
        "response_metadata": {"next_cursor": f"offset:{start + limit}" if more else ""},
    }


def _in_range(ts: str, args: Json) -> bool:
    """Slack's oldest/latest window, exclusive unless inclusive=true."""
    inclusive = _truthy(args.get("inclusive"))
    value = Decimal(ts)
    for key, sign in (("oldest", 1), ("latest", -1)):
        if not args.get(key):
            continue
        try:
            bound = Decimal(str(args[key]))
        except ArithmeticError:
            raise ApiError(f"invalid_ts_{key}") from None
        if (value - bound) * sign < 0 or (value == bound and not inclusive):
            return False
    return True


def conversations_history(ws: Workspace, args: Json) -> Json:
    channel = ws.existing_channel(args.get("channel"))
    with_metadata = _truthy(args.get("include_all_metadata"))
    # Thread replies stay out of history, as in Slack; newest first.
    found = [
        ws.message_api(m, with_metadata=with_metadata)
        for m in reversed(ws.messages.get(channel, []))
        if (m.thread_ts in (None, m.ts)) and _in_range(m.ts, args)
    ]
    return _page(found, args)


def conversations_replies(ws: Workspace, args: Json) -> Json:
    channel = ws.existing_channel(args.get("channel"))
    ts = args.get("ts")
    thread = [m for m in ws.messages.get(channel, []) if ts in (m.ts, m.thread_ts)]
    if not thread:
        raise ApiError("thread_not_found")
    with_metadata = _truthy(args.get("include_all_metadata"))
    return _page(
        [ws.message_api(m, with_metadata=with_metadata) for m in thread if _in_range(m.ts, args)],
        args,
    )


def _checked_view(ws: Workspace, args: Json, expected_type: str | None) -> Json:
    view = args.get("view")
    code, errors = validate_view(view, expected_type)
    if code is not None:
        raise ApiError(code, errors)
    assert isinstance(view, dict)
    errors = files.slack_file_errors(ws, view.get("blocks"), "/view/blocks")
    if errors:
        raise ApiError("invalid_blocks", errors)
    return view


def views_open(ws: Workspace, args: Json) -> Json:
    trigger = ws.check_trigger(args.get("trigger_id"))
    payload = _checked_view(ws, args, "modal")
    ws.check_external_id(payload)
    view = ws.make_view(payload)
    # A new root replaces whatever modal the user had open.
    ws.stacks[trigger.user_id] = [view]
    trigger.used = True
    return {"view": view}


def push_view(ws: Workspace, user_id: str, payload: Json) -> Json:
    stack = ws.stacks.setdefault(user_id, [])
    if len(stack) >= MAX_VIEW_STACK:
        raise ApiError("push_limit_reached")
    ws.check_external_id(payload)
    top = stack[-1] if stack else None
    view = ws.make_view(
        payload, root=top["root_view_id"] if top else None, previous=top["id"] if top else None
    )
    stack.append(view)
    return view


def views_push(ws: Workspace, args: Json) -> Json:
    trigger = ws.check_trigger(args.get("trigger_id"))
    view = push_view(ws, trigger.user_id, _checked_view(ws, args, "modal"))
    trigger.used = True
    return {"view": view}


def views_update(ws: Workspace, args: Json) -> Json:
    view_id, external_id = args.get("view_id"), args.get("external_id")
    if bool(view_id) == bool(external_id):
        raise ApiError(
            "invalid_arguments", ["[ERROR] exactly one of view_id or external_id is required"]
        )
    found = [
        (user_id, view)
        for user_id, view in ws.all_views()
        if (view_id and view["id"] == view_id)
        or (external_id and view.get("external_id") == external_id)
    ]
    if not found:
        error = ApiError("not_found", details=str(view_id or external_id))
        # A modal closed while the app was redrawing it: Slack says not_found, and the app
        # expects that race; an id that never was is the app's mistake.
        error.race = bool(view_id) and view_id in ws.closed_views
        raise error
    user_id, old = found[0]
    if args.get("hash") and args["hash"] != old["hash"]:
        raise ApiError("hash_conflict")
    payload = _checked_view(ws, args, old["type"])
    ws.check_external_id(payload, ignore_view_id=old["id"])
    new = ws.replace_view(old, payload)
    ws.redraw_errors(old, new)
    if old["type"] == "home":
        ws.homes[user_id] = new
    else:
        stack = ws.stacks[user_id]
        stack[stack.index(old)] = new
    return {"view": new}


def views_publish(ws: Workspace, args: Json) -> Json:
    user = ws.user(str(args.get("user_id", "")))
    payload = _checked_view(ws, args, "home")
    old = ws.homes.get(user.id)
    if old is not None and args.get("hash") and args["hash"] != old["hash"]:
        raise ApiError("hash_conflict")
    ws.check_external_id(payload, ignore_view_id=old["id"] if old else None)
    # The home tab keeps its view id across publishes.
    ws.homes[user.id] = ws.replace_view(old, payload) if old else ws.make_view(payload)
    return {"view": ws.homes[user.id]}


def apply_response_action(
    ws: Workspace, user_id: str, view_id: str, response: Json | None
) -> dict[str, str] | None:
    """What Slack does with the app's ack body for a view_submission."""
    stack = ws.stacks.get(user_id) or []
    if not stack or stack[-1]["id"] != view_id:
        raise ValueError(f"{view_id} is not the top view of {user_id}'s modal stack")
    response = response or {}
    action = response.get("response_action")
    if action != "errors":
        ws.field_errors.pop(view_id, None)  # submitted: the last errors are answered
    if action is None:
        ws.closed_views.add(stack.pop()["id"])
    elif action == "clear":
        ws.closed_views.update(view["id"] for view in stack)
        stack.clear()
    elif action == "update":
        payload = _checked_view(ws, response, "modal")
        ws.check_external_id(payload, ignore_view_id=view_id)
        stack[-1] = ws.replace_view(stack[-1], payload)
    elif action == "push":
        push_view(ws, user_id, _checked_view(ws, response, "modal"))
    elif action == "errors":
        errors = response.get("errors")
        input_ids = {
            b.get("block_id") for b in stack[-1].get("blocks", []) if b.get("type") == "input"
        }
        if not isinstance(errors, dict) or not errors:
            raise ApiError("invalid_arguments", ["[ERROR] errors must be a non-empty object"])
        unknown = [k for k in errors if k not in input_ids]
        if unknown or not all(isinstance(v, str) for v in errors.values()):
            raise ApiError(
                "invalid_arguments",
                [f"[ERROR] errors must map input block_ids to strings: {unknown}"],
            )
        ws.field_errors[view_id] = dict(errors)
        return dict(errors)
    else:
        raise ApiError("invalid_arguments", [f"[ERROR] unknown response_action: {action}"])
    if not stack:
        ws.stacks.pop(user_id, None)
    return None


# Codes the fake's OAuth page hands out; oauth.v2.access exchanges one for the bot token.
OAUTH_CODE = "fake-oauth-code"


def oauth_v2_access(ws: Workspace, args: Json) -> Json:
    """The OAuth code exchange, and with token rotation on, the refresh of an expiring token:
    authenticated by client id and secret, not by a token."""
    if args.get("grant_type") == "refresh_token":
        refresh = args.get("refresh_token")
        if ws.token_lifetime is None or refresh not in ws.refresh_tokens:
            raise ApiError("invalid_refresh_token")
        ws.refresh_tokens.discard(refresh)  # a refresh token works once
    elif args.get("code") != OAUTH_CODE:
        raise ApiError("invalid_code")
    else:
        ws.installed = True  # an install after an uninstall makes the token good again
    # slack_sdk sends the client id and secret as HTTP Basic auth, which the fake does not check.
    token, refresh_token = ws.issue_tokens()
    org = {"id": ws.enterprise_id, "name": f"{ws.team_name} Org"} if ws.enterprise_id else None
    body: Json = {
        "access_token": token,
        "token_type": "bot",
        "scope": ",".join(ws.granted_scopes),
        "bot_user_id": ws.bot_user_id,
        "app_id": ws.app_id,
        # An org-wide install belongs to the org, not to one of its workspaces.
        "team": None if ws.enterprise_install else {"id": ws.team_id, "name": ws.team_name},
        "enterprise": org,
        "authed_user": {"id": str(args.get("installer", "UINSTALLER"))},
        "is_enterprise_install": ws.enterprise_install,
    }
    if refresh_token is not None:
        body.update(refresh_token=refresh_token, expires_in=ws.token_lifetime)
    return body


# The bot scope each method needs (none listed: none needed), as Slack's method pages say.
SCOPE_OF = {
    "chat.postMessage": "chat:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "conversations.open": "im:write",
    "conversations.history": "im:history",
    "conversations.replies": "im:history",
    "users.info": "users:read",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
    "files.upload": "files:write",
    "files.delete": "files:write",
    "canvases.create": "canvases:write",
    "canvases.delete": "canvases:write",
}


def canvases_create(ws: Workspace, args: Json) -> Json:
    """A standalone canvas, as https://docs.slack.dev/reference/methods/canvases.create has
    it: optional title, optional document_content {"type": "markdown", "markdown": ...} of at
    most 1 MiB, and an optional channel_id to tab it in (one the app can see)."""
    content = args.get("document_content")
    if isinstance(content, str):  # form-encoded: a JSON string
        try:
            content = json.loads(content)
        except ValueError:
            raise ApiError("invalid_arguments") from None
    markdown = ""
    if content is not None:
        if not isinstance(content, dict) or content.get("type") != "markdown":
            raise ApiError("invalid_arguments")
        markdown = str(content.get("markdown") or "")
        if len(markdown) > 1_048_576:
            raise ApiError("canvas_creation_failed")
    channel = args.get("channel_id")
    if channel:
        channel = ws.existing_channel(str(channel))
    canvas_id = f"F{ws.next_ts().replace('.', '')[-10:]}C"
    ws.canvases[canvas_id] = {
        "title": str(args.get("title") or ""),
        "markdown": markdown,
        "channel_id": channel,
    }
    return {"canvas_id": canvas_id}


def canvases_delete(ws: Workspace, args: Json) -> Json:
    """https://docs.slack.dev/reference/methods/canvases.delete: canvas_id, required."""
    if ws.canvases.pop(str(args.get("canvas_id") or ""), None) is None:
        raise ApiError("canvas_not_found")
    return {}


def apps_connections_open(ws: Workspace, args: Json) -> Json:
    """Socket Mode: a WebSocket URL for one connection (the server injects it; see
    socket_mode.py)."""
    return {"url": str(args["_socket_url"])}


# Methods answered without a bot token.
UNAUTHENTICATED = {"oauth.v2.access"}
# Methods that take the app-level token (xapp-) instead of the bot token.
APP_TOKEN_METHODS = {"apps.connections.open"}

METHODS: dict[str, Handler] = {
    "files.getUploadURLExternal": files.get_upload_url_external,
    "files.completeUploadExternal": files.complete_upload_external,
    "files.upload": files.files_upload,
    "files.delete": files.files_delete,
    "oauth.v2.access": oauth_v2_access,
    "auth.test": auth_test,
    "users.info": users_info,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "chat.postMessage": chat_post_message,
    "chat.update": chat_update,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.getPermalink": chat_get_permalink,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "canvases.create": canvases_create,
    "canvases.delete": canvases_delete,
    "apps.connections.open": apps_connections_open,
}
