"""The sandbox's world: the real app, a fake Slack workspace with three people, and a clock.

Everything a person does on the page arrives here as "who did what where"; this module builds
the payload Slack would send, signs it, and POSTs it to the app's real /slack/events endpoint.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from models import DueWork, DueWorkStatus, FeedbackSchedule, ScheduleStatus
from models.db import migrate
from slackapp.config import Settings
from slackapp.kernel import due_work
from slackapp.kernel.clock import ManualClock
from slackapp.runtime import Runtime, build_runtime
from slackapp.views.i18n import LANGUAGES, N_, SOURCE_LOCALE, _, ngettext
from slacksim.fakeslack import FakeSlack, payloads
from slacksim.fakeslack.driver import SlackDriver
from slacksim.fakeslack.payloads import AppResponse
from slacksim.sandbox import upcoming
from slacksim.sandbox.state import UnknownElement, action_entry, build_state, element_at

logger = logging.getLogger(__name__)

Json = dict[str, Any]
TEAM_ID = "T0SANDBOX"
COMMAND = "/secondchance"
# Slack's own words when an app does not answer a modal in time.
TROUBLE = N_("We had some trouble connecting. Try again?")


@dataclass(frozen=True)
class SandboxPerson:
    user_id: str
    name: str  # Slack handle
    real_name: str
    tz: str
    role: str  # what they play in the demo


PEOPLE = (
    SandboxPerson("UEMPLOYEE", "emma", "Emma Employee", "Europe/Berlin", N_("employee")),
    SandboxPerson("UMANAGER", "max", "Max Manager", "America/New_York", N_("manager")),
    SandboxPerson("UCOLLEAGUE", "chandra", "Chandra Colleague", "Asia/Kolkata", N_("colleague")),
)
PERSON = {p.user_id: p for p in PEOPLE}
# A channel everyone is in, with a message the message shortcut can be tried on.
CHANNEL, CHANNEL_NAME = "CORDERS", "orders"
CHANNEL_MESSAGE = (
    "UCOLLEAGUE",
    "The Acme order went out with the wrong parts again, and the customer called me twice "
    "about it. Can someone sort this out today?",
)
MESSAGE_SHORTCUT = "plan_from_message"
# The Slack locale for each language the app speaks, as users.info gives it.
SLACK_LOCALES = {
    "en": "en-US",
    "de": "de-DE",
    "es": "es-ES",
    "fr": "fr-FR",
    "pt_BR": "pt-BR",
    "ja": "ja-JP",
}


@dataclass
class Outcome:
    """What the page is told after an interaction."""

    ok: bool = True
    notice: str | None = None
    errors: dict[str, str] | None = None

    def to_json(self) -> Json:
        return {"ok": self.ok, "notice": self.notice, "errors": self.errors}


def _fresh_database(data_dir: Path) -> str:
    """Each run starts afresh: the fake Slack's messages live in memory, so old rows would point
    at messages that no longer exist."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "sandbox.db"
    for leftover in (path, path.with_name("sandbox.db-wal"), path.with_name("sandbox.db-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrate(url)
    return url


class Sandbox:
    def __init__(self, *, data_dir: Path, base_url: str, start: datetime | None = None) -> None:
        start = start or datetime.now(UTC).replace(second=0, microsecond=0)
        self.base_url = base_url.rstrip("/")
        self.clock = ManualClock(start)
        bot_token = f"xoxb-sandbox-{secrets.token_hex(8)}"
        # The fake's clock is the app's clock, so message times move with "skip ahead".
        self.fake = FakeSlack(
            team_id=TEAM_ID,
            team_name="Acme",
            bot_token=bot_token,
            clock=lambda: self.clock.now().timestamp(),
        )
        for person in PEOPLE:
            self.fake.add_user(
                person.user_id, name=person.name, real_name=person.real_name, tz=person.tz
            )
        self.signing_secret = secrets.token_hex(20)
        self.settings = Settings(
            slack_bot_token=bot_token,
            slack_signing_secret=self.signing_secret,
            slack_api_url=self.base_url + "/api/",
            database_url=_fresh_database(data_dir),
            scheduler_tick_seconds=1.0,
        )
        self.runtime: Runtime = build_runtime(self.settings, clock=self.clock)
        self.driver = SlackDriver(
            self.fake, app_url=self.base_url, signing_secret=self.signing_secret, team_id=TEAM_ID
        )
        self._lock = threading.Lock()
        self._response_urls: dict[str, tuple[str, str, str | None]] = {}
        self.fake.post_as(CHANNEL_MESSAGE[0], CHANNEL, CHANNEL_MESSAGE[1])
        # Each person's Slack language, as the page's language picker sets it.
        self.languages: dict[str, str] = {p.user_id: SOURCE_LOCALE for p in PEOPLE}

    # -- languages ---------------------------------------------------------------------------------
    def language_of(self, user_id: str) -> str:
        return self.languages.get(user_id, SOURCE_LOCALE)

    def set_language(self, user_id: str, language: str) -> Outcome:
        """Set the person's Slack locale, as changing it in Slack would; the app learns it the
        next time they open its Home tab, which the page does at once."""
        if language not in LANGUAGES:
            return Outcome(ok=False, notice=_("That language isn't one the app speaks."))
        self.languages[user_id] = language
        self.fake.set_user(user_id, locale=SLACK_LOCALES[language])
        return self.open_home(user_id)

    # -- what the page reads --------------------------------------------------------------------
    def field_errors(self, user_id: str, view_id: str) -> dict[str, str]:
        # The fake keeps them as Slack does: until the next submit, or the app redraws the field.
        return self.fake.field_errors(view_id)

    def people_names(self) -> list[tuple[str, str]]:
        users = self.fake.users
        return [
            (uid, u.real_name or u.name)
            for uid, u in users.items()
            if not u.is_bot and not u.deleted
        ]

    def next_scheduled(self) -> tuple[datetime, str] | None:
        """The earliest pending due work or active schedule run, and what it is."""
        with self.runtime.session_factory() as session:
            found: list[tuple[datetime, str]] = []
            work_at = due_work.next_due_at(session)
            if work_at is not None:
                kind = session.scalar(
                    select(DueWork.kind)
                    .where(DueWork.due_at == work_at, DueWork.status == DueWorkStatus.PENDING.value)
                    .limit(1)
                )
                found.append((work_at, upcoming.describe(kind)))
            schedule_at = session.scalar(
                select(func.min(FeedbackSchedule.next_run_at)).where(
                    FeedbackSchedule.status == ScheduleStatus.ACTIVE.value
                )
            )
            if schedule_at is not None:
                if schedule_at.tzinfo is None:  # func.min bypasses the column type on SQLite
                    schedule_at = datetime.fromisoformat(str(schedule_at)).replace(tzinfo=UTC)
                found.append((schedule_at, upcoming.SCHEDULE))
        return min(found, key=lambda item: item[0]) if found else None

    # -- doing ----------------------------------------------------------------------------------
    def _response_url(self, user_id: str, channel: str, ts: str | None) -> str:
        token = secrets.token_urlsafe(12)
        with self._lock:
            self._response_urls[token] = (user_id, channel, ts)
        return f"{self.base_url}/sandbox/respond/{token}"

    def _slack(self, method: str, **args: Any) -> Json:
        """Call the fake Web API as the app would (responses to response_url land here)."""
        return self.fake.handle(method, args, self.fake.bot_token)[2]

    def command(self, user_id: str, text: str) -> Outcome:
        text = text.strip()
        if not text.startswith("/"):
            return Outcome(
                ok=False,
                notice=_(
                    "The app answers commands here: try `{command}` or `{command} help`."
                ).format(command=COMMAND),
            )
        word, _space, rest = text.partition(" ")
        if word != COMMAND:
            return Outcome(
                ok=False,
                notice=_("{word} is not a valid command. Try {command} help.").format(
                    word=word, command=COMMAND
                ),
            )
        channel = self.fake.dm_channel(user_id)
        trigger = self.fake.issue_trigger(user_id)
        fields = dict(
            urllib.parse.parse_qsl(
                payloads.slash_command(
                    team_id=TEAM_ID,
                    user_id=user_id,
                    user_name=PERSON[user_id].name if user_id in PERSON else user_id,
                    channel_id=channel,
                    text=rest.strip(),
                    trigger_id=trigger,
                ),
                keep_blank_values=True,
            )
        )
        fields["response_url"] = self._response_url(user_id, channel, None)
        response = payloads.post(
            self.driver.events_url,
            urllib.parse.urlencode(fields),
            secret=self.signing_secret,
            content_type="application/x-www-form-urlencoded",
        )
        if response.status != 200:
            return Outcome(ok=False, notice=f'{COMMAND} failed with the error "dispatch_failed"')
        self._show_ack(user_id, channel, response)
        return Outcome()

    def _show_ack(self, user_id: str, channel: str, response: AppResponse) -> None:
        """A command's ack body is a message only its author sees (or everyone, in_channel)."""
        body = response.json()
        if not body and response.body.strip():
            body = {"text": response.body.strip()}
        if not body.get("text") and not body.get("blocks"):
            return
        message = {k: body[k] for k in ("text", "blocks") if body.get(k)}
        if body.get("response_type") == "in_channel":
            self._slack("chat.postMessage", channel=channel, **message)
        else:
            self._slack("chat.postEphemeral", channel=channel, user=user_id, **message)

    def respond(self, token: str, body: Json) -> bool:
        """What Slack does with a POST to a response_url."""
        with self._lock:
            target = self._response_urls.get(token)
        if target is None:
            return False
        user_id, channel, ts = target
        message = {k: body[k] for k in ("text", "blocks") if body.get(k) is not None}
        if ts and body.get("delete_original"):
            self._slack(
                "chat.update",
                channel=channel,
                ts=ts,
                text=_("This message was deleted."),
                blocks=[],
            )
        elif ts and body.get("replace_original"):
            self._slack("chat.update", channel=channel, ts=ts, **message)
        elif body.get("response_type") == "in_channel":
            self._slack("chat.postMessage", channel=channel, **message)
        else:
            self._slack("chat.postEphemeral", channel=channel, user=user_id, **message)
        return True

    def channel_messages(self) -> list[Json]:
        return self.fake.messages(CHANNEL)

    def message_shortcut(self, user_id: str, ts: str) -> Outcome:
        """The message's "More actions" menu: "Start a repair plan"."""
        message = next((m for m in self.channel_messages() if m["ts"] == ts), None)
        if message is None:
            return Outcome(ok=False, notice="That message is gone.")
        response = self.driver.message_shortcut(user_id, message, MESSAGE_SHORTCUT)
        return Outcome(ok=response.status == 200)

    def open_home(self, user_id: str) -> Outcome:
        response = self.driver.open_home(user_id)
        return Outcome(ok=response.status == 200)

    def _top_view(self, user_id: str, view_id: str) -> Json | None:
        stack = self.fake.view_stack(user_id)
        return stack[-1] if stack and stack[-1]["id"] == view_id else None

    def action(self, user_id: str, request: Json) -> Outcome:
        """A click or a choice on a modal, the App Home, or a message."""
        surface = request.get("surface")
        tz = PERSON[user_id].tz if user_id in PERSON else "UTC"
        reported = list(request.get("values") or [])
        common: dict[str, Any] = {
            "team_id": TEAM_ID,
            "user_id": user_id,
            "user_name": PERSON[user_id].name if user_id in PERSON else user_id,
            "trigger_id": self.fake.issue_trigger(user_id),
        }
        if surface in ("modal", "home"):
            view = (
                self._top_view(user_id, str(request.get("view_id")))
                if surface == "modal"
                else self.fake.home(user_id)
            )
            if view is None:
                return Outcome(ok=False, notice=_("That has changed in the meantime; look again."))
            blocks = view.get("blocks") or []
            try:
                block, element = element_at(blocks, request.get("b"), request.get("e"))
            except UnknownElement:
                return Outcome(ok=False, notice=_("That has changed in the meantime; look again."))
            payload = payloads.block_actions(
                **common,
                actions=[
                    action_entry(
                        block, element, request["b"], request["e"], request.get("value"), tz
                    )
                ],
                container={"type": "view", "view_id": view["id"]},
                view=view,
                state=build_state(blocks, reported, tz),
            )
        else:
            ts, ephemeral = str(request.get("ts")), surface == "ephemeral"
            found = self.fake.ephemerals(user_id) if ephemeral else self.fake.messages(user_id)
            message = next((m for m in found if m.get("ts") == ts), None)
            if message is None:
                return Outcome(ok=False, notice=_("That message is gone."))
            blocks = message.get("blocks") or []
            try:
                block, element = element_at(blocks, request.get("b"), request.get("e"))
            except UnknownElement:
                return Outcome(ok=False, notice=_("That has changed in the meantime; look again."))
            channel = str(message.get("channel") or self.fake.dm_channel(user_id))
            payload = payloads.block_actions(
                **common,
                actions=[
                    action_entry(
                        block, element, request["b"], request["e"], request.get("value"), tz
                    )
                ],
                container={
                    "type": "message",
                    "message_ts": ts,
                    "channel_id": channel,
                    "is_ephemeral": ephemeral,
                },
                message=None if ephemeral else _as_sent(message),
                channel_id=channel,
                state=build_state(blocks, reported, tz),
            )
            payload["channel"] = {"id": channel, "name": "directmessage"}
            payload["response_url"] = self._response_url(
                user_id, channel, None if ephemeral else ts
            )
            if ephemeral:
                payload["state"] = {"values": build_state(blocks, reported, tz)}
        response = self.driver.interact(payload)
        if response.status != 200:
            return Outcome(
                ok=False,
                notice=_("The app answered with HTTP {status}.").format(status=response.status),
            )
        return Outcome()

    def submit(self, user_id: str, view_id: str, reported: list[Json]) -> Outcome:
        view = self._top_view(user_id, view_id)
        if view is None:
            return Outcome(ok=False, notice=_("This modal has changed in the meantime."))
        tz = PERSON[user_id].tz if user_id in PERSON else "UTC"
        payload = payloads.view_submission(
            team_id=TEAM_ID,
            user_id=user_id,
            user_name=PERSON[user_id].name if user_id in PERSON else user_id,
            view=view,
            state=build_state(view.get("blocks") or [], reported, tz),
            trigger_id=self.fake.issue_trigger(user_id),
        )
        started = time.monotonic()
        response = self.driver.interact(payload)
        if response.status != 200 or time.monotonic() - started > 3.0:
            # Slack gives up after 3 seconds and leaves the modal open.
            return Outcome(ok=False, notice=_(TROUBLE))
        rejected = len(self.fake.rejections)
        try:
            errors = self.fake.apply_response_action(user_id, view_id, response.json() or None)
        except ValueError:
            return Outcome(ok=False, notice=_("This modal has changed in the meantime."))
        if len(self.fake.rejections) > rejected:
            reason = self.fake.rejections[-1].get("details") or self.fake.rejections[-1]["error"]
            logger.warning("Slack would refuse the app's answer to a submission: %s", reason)
            return Outcome(ok=False, notice=_(TROUBLE))
        return Outcome(ok=not errors, errors=errors)

    def close(self, user_id: str, view_id: str, *, everything: bool) -> Outcome:
        view = self._top_view(user_id, view_id)
        if view is None:
            return Outcome(ok=False, notice=_("This modal has changed in the meantime."))
        if view.get("notify_on_close"):
            payload = payloads.view_closed(
                team_id=TEAM_ID,
                user_id=user_id,
                user_name=PERSON[user_id].name if user_id in PERSON else user_id,
                view=view,
            )
            payload["is_cleared"] = everything and len(self.fake.view_stack(user_id)) > 1
            self.driver.interact(payload)
        if everything:
            self.fake.close_views(user_id)
        else:
            with contextlib.suppress(ValueError):
                self.fake.apply_response_action(user_id, view_id, None)  # Slack pops the top view
        return Outcome()

    def skip_ahead(self) -> Outcome:
        """Move the app's clock to the next scheduled message and run the scheduler."""
        found = self.next_scheduled()
        if found is None:
            return Outcome(ok=False, notice=_("Nothing is scheduled right now."))
        when, _what = found
        if when > self.clock.now():
            self.clock.set(when)
        sent = 0
        for _attempt in range(15):
            sent += self.runtime.dispatcher.tick()
            upcoming = self.next_scheduled()
            if sent or upcoming is None or upcoming[0] > self.clock.now():
                break
            # The background tick holds the dispatcher's lock; it is sending this work already.
            time.sleep(0.2)
        return Outcome(
            notice=ngettext(
                "Skipped ahead; {count} scheduled message sent.",
                "Skipped ahead; {count} scheduled messages sent.",
                sent,
            ).format(count=sent)
        )


def _as_sent(message: Json) -> Json:
    """A message as Slack puts it in a block_actions payload."""
    # Slack leaves out what a message doesn't have (no "metadata": null, no "thread_ts": null).
    sent = {k: v for k, v in message.items() if k not in ("channel", "edited") and v is not None}
    sent["type"] = "message"
    return json.loads(json.dumps(sent))
