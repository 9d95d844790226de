"""A person using Slack: types commands, clicks, fills in and submits modals, opens the App Home.

Drives the app over its real HTTP endpoint with signed requests, and reads what the app did from
the fake Slack. The end-to-end tests and the sandbox both use it.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from slacksim.fakeslack import payloads
from slacksim.fakeslack.payloads import AppResponse, Json

T = TypeVar("T")


class ActionNotFound(LookupError):
    pass


class SlackDriver:
    def __init__(self, fake: Any, *, app_url: str, signing_secret: str, team_id: str = "T0001"):
        self.fake = fake
        self.events_url = app_url.rstrip("/") + "/slack/events"
        self.secret = signing_secret
        self.team_id = team_id
        self._event_ids = itertools.count(1)

    # -- sending -------------------------------------------------------------------------------
    def _name(self, user_id: str) -> str:
        user = self.fake.users.get(user_id) if hasattr(self.fake, "users") else None
        return str(getattr(user, "name", None) or user_id.lower())

    def _post_form(self, body: str, headers: dict[str, str] | None = None) -> AppResponse:
        return payloads.post(
            self.events_url,
            body,
            secret=self.secret,
            content_type="application/x-www-form-urlencoded",
            headers=headers,
        )

    @property
    def _org(self) -> tuple[str | None, bool]:
        """The Enterprise Grid org of the fake, and whether the app is installed org-wide."""
        return getattr(self.fake, "enterprise_id", None), bool(
            getattr(self.fake, "enterprise_install", False)
        )

    def command(self, user_id: str, text: str = "") -> AppResponse:
        enterprise_id, enterprise_install = self._org
        body = payloads.slash_command(
            enterprise_id=enterprise_id,
            enterprise_install=enterprise_install,
            team_id=self.team_id,
            user_id=user_id,
            user_name=self._name(user_id),
            channel_id=self.fake.dm_channel(user_id),
            text=text,
            trigger_id=self.fake.issue_trigger(user_id),
        )
        return self._post_form(body)

    def event(
        self, event: Json, *, retry_num: int | None = None, event_id: str | None = None
    ) -> AppResponse:
        enterprise_id, enterprise_install = self._org
        body = json.dumps(
            payloads.event_callback(
                enterprise_id=enterprise_id,
                enterprise_install=enterprise_install,
                team_id=self.team_id,
                event=event,
                event_id=event_id or f"Ev{next(self._event_ids):08d}",
            )
        )
        headers = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            if retry_num
            else None
        )
        return payloads.post(
            self.events_url,
            body,
            secret=self.secret,
            content_type="application/json",
            headers=headers,
        )

    def message_shortcut(self, user_id: str, message: Json, callback_id: str) -> AppResponse:
        """Choose the app's shortcut in a message's "More actions" menu."""
        # Slack leaves out empty fields of the message; the fake keeps them as null.
        message = {key: value for key, value in message.items() if value is not None}
        channel = str(message.pop("channel", None) or self.fake.dm_channel(user_id))
        payload = payloads.message_action(
            team_id=self.team_id,
            user_id=user_id,
            user_name=self._name(user_id),
            callback_id=callback_id,
            trigger_id=self.fake.issue_trigger(user_id),
            channel_id=channel,
            message={"type": "message", **message},
        )
        return self.interact(payload)

    def global_shortcut(self, user_id: str, callback_id: str) -> AppResponse:
        payload = payloads.shortcut(
            team_id=self.team_id,
            user_id=user_id,
            user_name=self._name(user_id),
            callback_id=callback_id,
            trigger_id=self.fake.issue_trigger(user_id),
        )
        return self.interact(payload)

    def run_function(self, callback_id: str, inputs: Json) -> tuple[str, AppResponse]:
        """A workflow reaches the app's custom step: (the run's execution id, the app's answer
        to its function_executed event)."""
        event = self.fake.start_function(callback_id, inputs)
        return str(event["function_execution_id"]), self.event(event)

    def open_home(self, user_id: str) -> AppResponse:
        return self.event(
            payloads.app_home_opened(user_id=user_id, channel_id=self.fake.dm_channel(user_id))
        )

    def interact(self, payload: Json) -> AppResponse:
        payload = payloads.in_enterprise(payload, *self._org)
        return self._post_form(payloads.interactive_body(payload))

    # -- modals --------------------------------------------------------------------------------
    def top_view(self, user_id: str) -> Json:
        stack = self.fake.view_stack(user_id)
        if not stack:
            raise AssertionError(f"{user_id} has no modal open")
        return dict(stack[-1])

    def wait_for_view(
        self, user_id: str, callback_id: str, *, has_block: str | None = None
    ) -> Json:
        """The top modal once it is `callback_id` (holding `has_block`): what the person sees
        after the app's views.open, push or update has landed, not the modal before it."""

        def ready() -> Json | None:
            stack = self.fake.view_stack(user_id)
            if not stack or stack[-1].get("callback_id") != callback_id:
                return None
            ids = {b.get("block_id") for b in stack[-1].get("blocks") or []}
            return dict(stack[-1]) if has_block is None or has_block in ids else None

        return self.wait_for(ready, what=f"the {callback_id} modal")

    def _view_holding(self, user_id: str, block_ids: set[str]) -> Json:
        """The top modal once it has every block named: a person cannot fill in a field the
        app's next view (views.open or update, sent after its ack) has not shown them yet."""

        def ready() -> Json | None:
            stack = self.fake.view_stack(user_id)
            if not stack:
                return None
            ids = {b.get("block_id") for b in stack[-1].get("blocks") or []}
            return dict(stack[-1]) if block_ids <= ids else None

        return self.wait_for(ready, what=f"a modal for {user_id} with {sorted(block_ids)}")

    def submit(self, user_id: str, values: dict[str, Any] | None = None) -> AppResponse:
        """Fill in the top modal (block_id -> value) and press its submit button."""
        view = self._view_holding(user_id, set(values or {})) if values else self.top_view(user_id)
        state = payloads.filled_state(view, values or {})
        payload = payloads.view_submission(
            team_id=self.team_id,
            user_id=user_id,
            user_name=self._name(user_id),
            view=view,
            state=state,
            trigger_id=self.fake.issue_trigger(user_id),
        )
        response = self.interact(payload)
        if response.status == 200:
            ack = response.json()
            self.fake.apply_response_action(user_id, view["id"], ack or None)
        return response

    def close(self, user_id: str) -> AppResponse:
        """Press Close on the top modal (Slack then shows the one below, if any)."""
        view = self.top_view(user_id)
        response = AppResponse(200, "")
        if view.get("notify_on_close"):
            response = self.interact(
                payloads.view_closed(
                    team_id=self.team_id, user_id=user_id, user_name=self._name(user_id), view=view
                )
            )
        self.fake.close_top_view(user_id)
        return response

    # -- clicking ------------------------------------------------------------------------------
    @staticmethod
    def _locate(blocks: list[Json], action_id: str, value: str | None) -> tuple[str, Json]:
        for block in blocks:
            elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
            if block.get("accessory"):
                elements.append(block["accessory"])
            if block.get("type") == "input" and block.get("dispatch_action"):
                elements.append(block.get("element") or {})
            for element in elements:
                if element.get("action_id") != action_id:
                    continue
                if (
                    value is not None
                    and element.get("type") == "button"
                    and element.get("value") != value
                ):
                    continue
                return str(block.get("block_id")), element
        raise ActionNotFound(f"no {action_id!r} (value {value!r}) to click")

    def click_in_view(
        self,
        user_id: str,
        action_id: str,
        *,
        value: Any = None,
        home: bool = False,
        values: dict[str, Any] | None = None,
    ) -> AppResponse:
        """Click a button (or choose in a select) in the top modal, or on the App Home."""
        button_value = value if isinstance(value, str) else None

        def showing() -> tuple[Json, str, Json] | None:
            # Only once the surface shows the button: the app may still be drawing it.
            view = (
                self.fake.home(user_id) if home else (self.fake.view_stack(user_id) or [None])[-1]
            )
            if view is None:
                return None
            try:
                found = self._locate(view.get("blocks", []), action_id, button_value)
            except ActionNotFound:
                return None
            return view, *found

        view, block_id, element = self.wait_for(
            showing, what=f"{action_id} on {user_id}'s {'home' if home else 'modal'}"
        )
        state = (
            payloads.filled_state(view, values or {}) if not home else payloads.initial_state(view)
        )
        chosen = None if element.get("type") == "button" else value
        payload = payloads.block_actions(
            team_id=self.team_id,
            user_id=user_id,
            user_name=self._name(user_id),
            actions=[payloads.action_entry(element, block_id, chosen)],
            trigger_id=self.fake.issue_trigger(user_id),
            container={"type": "view", "view_id": view["id"]},
            view=view,
            state=state,
        )
        return self.interact(payload)

    def click_in_message(
        self, user_id: str, message: Json, action_id: str, *, value: Any = None
    ) -> AppResponse:
        button_value = value if isinstance(value, str) else None
        # Slack leaves out empty fields of the message in the payload; the fake keeps them as null.
        message = {key: field for key, field in message.items() if field is not None}
        block_id, element = self._locate(message.get("blocks") or [], action_id, button_value)
        chosen = None if element.get("type") == "button" else value
        channel = message.get("channel") or self.fake.dm_channel(user_id)
        payload = payloads.block_actions(
            team_id=self.team_id,
            user_id=user_id,
            user_name=self._name(user_id),
            actions=[payloads.action_entry(element, block_id, chosen)],
            trigger_id=self.fake.issue_trigger(user_id),
            container={
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": channel,
                "is_ephemeral": False,
            },
            message=message,
            channel_id=channel,
        )
        return self.interact(payload)

    # -- waiting for the app's work after ack ---------------------------------------------------
    @staticmethod
    def wait_for(
        check: Callable[[], T | None], *, timeout: float = 15.0, what: str = "the app"
    ) -> T:
        """Poll until `check()` is truthy: listeners keep working after they ack. The timeout
        only bounds a failing wait (a passing one returns at once), so it is generous: tests
        run in parallel on a busy machine."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.01)
