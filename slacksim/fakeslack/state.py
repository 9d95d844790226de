"""The fake workspace's data: users, channels, messages, views and trigger ids.

Not thread-safe by itself; FakeSlack holds one lock around every use.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

Json = dict[str, Any]


@dataclass
class Upload:
    """A file someone uploaded: its name and bytes (files.py turns it into Slack's file object)."""

    name: str
    content: bytes = b""
    received: bool = False
    completed: bool = False  # files.completeUploadExternal (or files.upload): a file in Slack
    deleted: bool = False  # files.delete: the bytes are gone, messages show a tombstone


# The bot scopes an install grants unless a test grants fewer (the app's manifest.yml asks for these).
DEFAULT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "users:read",
    "files:write",
    "canvases:write",
)

TRIGGER_TTL_SECONDS = 3.0
MAX_VIEW_STACK = 3

# zoneinfo only knows abbreviations; Slack shows long names for the common ones.
_TZ_LABELS = {
    "CET": "Central European Time",
    "CEST": "Central European Summer Time",
    "GMT": "Greenwich Mean Time",
    "BST": "British Summer Time",
    "UTC": "Coordinated Universal Time",
    "EET": "Eastern European Time",
    "EEST": "Eastern European Summer Time",
    "EST": "Eastern Standard Time",
    "EDT": "Eastern Daylight Time",
    "CST": "Central Standard Time",
    "CDT": "Central Daylight Time",
    "MST": "Mountain Standard Time",
    "MDT": "Mountain Daylight Time",
    "PST": "Pacific Standard Time",
    "PDT": "Pacific Daylight Time",
    "JST": "Japan Standard Time",
}


def _fill_ids(blocks: Any) -> None:
    """Like Slack, give view blocks and their elements ids when the app left them out."""
    if not isinstance(blocks, list):
        return
    for i, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", f"auto_b{i}")
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        elements += [block[k] for k in ("element", "accessory") if isinstance(block.get(k), dict)]
        for j, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") != "image":
                element.setdefault("action_id", f"auto_a{i}_{j}")


@dataclass
class Call:
    """One request the fake received, as tests read it."""

    method: str
    args: Json
    token: str | None
    at: float
    status: int  # HTTP status answered; 0 when the connection was reset
    response: Json


class ApiError(Exception):
    """An ``{"ok": false, "error": ...}`` answer."""

    def __init__(
        self,
        error: str,
        errors: list[str] | None = None,
        details: str = "",
        extra: Json | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.errors = errors or []
        self.details = details or "; ".join(self.errors)
        self.extra = extra or {}  # more fields of the answer (missing_scope: needed, provided)
        # True for an answer to a race the app expects and handles (a stale hash, an update of
        # a modal the person closed meanwhile), not to a malformed call.
        self.race = False

    def body(self) -> Json:
        body: Json = {"ok": False, "error": self.error, **self.extra}
        if self.errors:
            body["errors"] = list(self.errors)
            body["response_metadata"] = {"messages": list(self.errors)}
        return body


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str
    is_bot: bool = False
    deleted: bool = False
    display_name: str = ""
    # The custom status, as users.info's profile shows it: status_expiration is a Unix time,
    # 0 when the status does not expire.
    status_emoji: str = ""
    status_text: str = ""
    status_expiration: int = 0
    locale: str = "en-US"  # Slack sends it only when asked (users.info include_locale=true)

    def to_api(self, team_id: str, now: float, *, include_locale: bool = False) -> Json:
        local = datetime.fromtimestamp(now, ZoneInfo(self.tz))
        offset = local.utcoffset()
        abbreviation = local.tzname() or self.tz
        shown: Json = {"locale": self.locale} if include_locale else {}
        return {
            **shown,
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "tz": self.tz,
            "tz_label": _TZ_LABELS.get(abbreviation, abbreviation),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "profile": {
                "display_name": self.display_name,
                "real_name": self.real_name,
                "team": team_id,
                "status_emoji": self.status_emoji,
                "status_text": self.status_text,
                "status_expiration": self.status_expiration,
            },
        }


@dataclass
class Message:
    ts: str
    channel: str
    text: str
    blocks: list[Any] | None
    metadata: Json | None
    thread_ts: str | None
    edited_ts: str | None = None
    files: list[Json] | None = None
    user: str | None = None  # a person's message (post_as); None: the app's own

    def public(self, bot_user_id: str) -> Json:
        return {
            "files": copy.deepcopy(self.files),
            "ts": self.ts,
            "channel": self.channel,
            "text": self.text,
            "blocks": copy.deepcopy(self.blocks),
            "metadata": copy.deepcopy(self.metadata),
            "user": self.user or bot_user_id,
            "thread_ts": self.thread_ts,
            "edited": self.edited_ts is not None,
        }


@dataclass
class Trigger:
    user_id: str
    issued_at: float
    used: bool = False


@dataclass
class Workspace:
    team_id: str
    team_name: str
    bot_user_id: str
    bot_id: str
    app_id: str
    clock: Callable[[], float]
    bot_token: str = "xoxb-fake"
    # How long a trigger_id may be used: Slack's 3 seconds unless a test says otherwise.
    trigger_ttl: float = TRIGGER_TTL_SECONDS
    # False once the app is uninstalled: its bot token is revoked until an OAuth install.
    installed: bool = True
    # What the bot token may do: every response says so in its x-oauth-scopes header, and a
    # method that needs another scope answers missing_scope, as Slack does.
    granted_scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    # Enterprise Grid: the org this workspace is part of, and whether the app is installed
    # org-wide (one bot token for every workspace of the org).
    enterprise_id: str | None = None
    enterprise_install: bool = False
    # Token rotation: seconds an access token lives (None: tokens never expire), the access
    # tokens handed out with the time each expires, and the refresh tokens not used yet.
    token_lifetime: int | None = None
    token_expiry: dict[str, float] = field(default_factory=dict)
    refresh_tokens: set[str] = field(default_factory=set)
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, str | None] = field(default_factory=dict)  # id -> DM user or None
    messages: dict[str, list[Message]] = field(default_factory=dict)
    ephemerals: list[Json] = field(default_factory=list)
    stacks: dict[str, list[Json]] = field(default_factory=dict)  # user -> open modals
    homes: dict[str, Json] = field(default_factory=dict)
    # canvases.create: id -> {"title", "markdown", "channel_id"} (the channel it is tabbed in).
    canvases: dict[str, Json] = field(default_factory=dict)
    triggers: dict[str, Trigger] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)  # file id -> name and content
    # view id -> block_id -> the error shown under that field (response_action: errors)
    field_errors: dict[str, dict[str, str]] = field(default_factory=dict)
    closed_views: set[str] = field(default_factory=set)  # ids of modals the person closed
    _last_ts_micros: int = 0
    _counter: int = 0

    @property
    def domain(self) -> str:
        return re.sub(r"[^a-z0-9-]", "", self.team_name.lower()) or "workspace"

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def next_ts(self) -> str:
        # Unique and strictly increasing even when the clock stands still.
        micros = max(self._last_ts_micros + 1, int(self.clock() * 1_000_000))
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # --- tokens ---------------------------------------------------------------

    def token_problem(self, token: str) -> str | None:
        """Slack's error for a bot token it would refuse, or None when the token is good."""
        if self.token_lifetime is None:
            return None if token == self.bot_token else "invalid_auth"
        expires_at = self.token_expiry.get(token)
        if expires_at is None:
            return "invalid_auth"
        return "token_expired" if self.clock() >= expires_at else None

    def issue_tokens(self) -> tuple[str, str | None]:
        """A new bot token (and with rotation on, its refresh token); the newest is bot_token."""
        if self.token_lifetime is None:
            return self.bot_token, None
        serial = self._next()
        self.bot_token = f"xoxe.xoxb-1-{self.team_id}-{serial}"
        self.token_expiry[self.bot_token] = self.clock() + self.token_lifetime
        refresh = f"xoxe-1-{self.team_id}-{serial}"
        self.refresh_tokens.add(refresh)
        return self.bot_token, refresh

    # --- users and channels -------------------------------------------------

    def user(self, user_id: str) -> User:
        if user_id not in self.users:
            raise ApiError("user_not_found", details=user_id)
        return self.users[user_id]

    def dm_channel(self, user_id: str) -> str:
        channel = "D" + user_id
        self.channels.setdefault(channel, user_id)
        return channel

    def open_dm(self, user_id: str) -> str:
        """conversations.open rules: only active humans can be DMed."""
        user = self.user(user_id)
        if user.deleted:
            raise ApiError("user_disabled", details=user_id)
        if user.is_bot:
            raise ApiError("cannot_dm_bot", details=user_id)
        return self.dm_channel(user_id)

    def channel_for_post(self, channel: Any) -> str:
        """chat.postMessage target: a channel id, or a user id meaning that user's DM."""
        if not isinstance(channel, str) or not channel:
            raise ApiError("channel_not_found")
        if channel in self.users:
            return self.open_dm(channel)
        self.existing_channel(channel)
        dm_user = self.channels[channel]
        if dm_user is not None and dm_user in self.users and self.users[dm_user].deleted:
            # Slack archives the DM of a deactivated user.
            raise ApiError("is_archived", details=channel)
        return channel

    def existing_channel(self, channel: Any) -> str:
        if not isinstance(channel, str) or channel not in self.channels:
            raise ApiError("channel_not_found", details=str(channel))
        return channel

    def resolve(self, channel_or_user_id: str) -> str:
        """For test helpers: user id -> DM id, anything else unchanged."""
        if channel_or_user_id in self.users:
            return self.dm_channel(channel_or_user_id)
        return channel_or_user_id

    # --- messages -----------------------------------------------------------

    def find_message(self, channel: str, ts: Any) -> Message:
        for message in self.messages.get(channel, []):
            if message.ts == ts:
                return message
        raise ApiError("message_not_found", details=f"{channel} {ts}")

    def message_api(self, message: Message, *, with_metadata: bool = True) -> Json:
        """A message as Slack's API renders it."""
        out: Json = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": message.text,
            "ts": message.ts,
        }
        if message.user is not None:  # a person's message carries no bot or app id
            out = {"type": "message", "user": message.user, "team": self.team_id}
            out |= {"text": message.text, "ts": message.ts}
        if message.blocks:
            out["blocks"] = copy.deepcopy(message.blocks)
        if message.thread_ts:
            out["thread_ts"] = message.thread_ts
        if message.edited_ts:
            out["edited"] = {"user": self.bot_user_id, "ts": message.edited_ts}
        if message.files:
            out["files"] = [{k: v for k, v in f.items() if k != "content"} for f in message.files]
        if with_metadata and message.metadata is not None:
            out["metadata"] = copy.deepcopy(message.metadata)
        return out

    # --- views and triggers -------------------------------------------------

    def issue_trigger(self, user_id: str) -> str:
        n = self._next()
        trigger_id = f"{n}.{int(self.clock())}.{n * 7919:012x}"
        self.triggers[trigger_id] = Trigger(user_id, self.clock())
        return trigger_id

    def check_trigger(self, trigger_id: Any) -> Trigger:
        """Valid, unused and fresh; marked used only once the call succeeds."""
        trigger = self.triggers.get(trigger_id) if isinstance(trigger_id, str) else None
        if trigger is None:
            raise ApiError("invalid_trigger_id", details=str(trigger_id))
        if trigger.used or self.clock() - trigger.issued_at > self.trigger_ttl:
            raise ApiError("expired_trigger_id", details=str(trigger_id))
        return trigger

    def new_hash(self) -> str:
        return f"{int(self.clock())}.{self._next():08d}"

    def make_view(
        self, payload: Json, *, root: str | None = None, previous: str | None = None
    ) -> Json:
        """A stored view: the app's payload plus the fields Slack adds."""
        view_id = f"V{self._next():08d}"
        view: Json = {
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            # Installed org-wide, the app is installed in the org, not in one workspace.
            "app_installed_team_id": (
                self.enterprise_id if self.enterprise_install else self.team_id
            ),
            "callback_id": "",
            "external_id": "",
            "private_metadata": "",
            "state": {"values": {}},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": None,
            "submit": None,
            "title": None,
        }
        view.update(copy.deepcopy(payload))
        _fill_ids(view.get("blocks"))
        view.update(
            id=view_id,
            hash=self.new_hash(),
            root_view_id=root or view_id,
            previous_view_id=previous,
        )
        return view

    def replace_view(self, old: Json, payload: Json) -> Json:
        """views.update / response_action update: same id and stack links, new content."""
        new = self.make_view(payload, root=old["root_view_id"], previous=old["previous_view_id"])
        new["id"] = old["id"]
        if not payload.get("external_id"):
            new["external_id"] = old.get("external_id", "")
        return new

    def redraw_errors(self, old: Json, new: Json) -> None:
        """views.update: an error stays under a field the update left exactly as it was, until
        the next submit; a field the app drew again (or took away) no longer shows it."""
        shown = self.field_errors.get(old["id"])
        if not shown:
            return
        before = {b.get("block_id"): b for b in old.get("blocks") or []}
        after = {b.get("block_id"): b for b in new.get("blocks") or []}
        kept = {k: v for k, v in shown.items() if k in after and after[k] == before.get(k)}
        if kept:
            self.field_errors[old["id"]] = kept
        else:
            self.field_errors.pop(old["id"], None)

    def all_views(self) -> list[tuple[str, Json]]:
        """Every view the workspace knows, with the user it belongs to."""
        views = [(user, view) for user, stack in self.stacks.items() for view in stack]
        return views + list(self.homes.items())

    def check_external_id(self, payload: Json, ignore_view_id: str | None = None) -> None:
        external_id = payload.get("external_id")
        if not external_id:
            return
        for _, view in self.all_views():
            if view.get("external_id") == external_id and view["id"] != ignore_view_id:
                raise ApiError("duplicate_external_id", details=str(external_id))


@dataclass
class RateBuckets:
    """Token buckets (capacity max(1, rate), refilled at rate/s) keyed by scope."""

    state: dict[str, tuple[float, float]] = field(default_factory=dict)

    def peek(self, key: str, rate: float, now: float) -> float:
        capacity = max(1.0, rate)
        tokens, last = self.state.get(key, (capacity, now))
        return min(capacity, tokens + max(0.0, now - last) * rate)

    def take(self, key: str, rate: float, now: float) -> None:
        self.state[key] = (self.peek(key, rate, now) - 1.0, now)
