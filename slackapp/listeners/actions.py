"""Buttons of the journey (modal and App Home). Each step registers its own actions too."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.context import actor
from slackapp.listeners.steps import STEP_OPENERS, OpenRequest


def open_step(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    key = str(action.get("value") or "")
    opener = STEP_OPENERS.get(key)
    if opener is None:
        return
    who = actor(context, client)
    in_modal = (body.get("view") or {}).get("type") == "modal"
    opener(OpenRequest(actor=who, trigger_id=body["trigger_id"], in_modal=in_modal))
    who.db.commit()


def register(app: App) -> None:
    app.action(re.compile(r"^journey_open_(plan|reflect|meeting|feedback)$"))(open_step)
