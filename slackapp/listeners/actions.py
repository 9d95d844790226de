"""Buttons of the journey (modal and App Home). Each step registers its own actions too."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.context import actor
from slackapp.listeners.steps import STEP_OPENERS, OpenRequest
from slackapp.services.journey import journey
from slackapp.views.journey import JOURNEY_SHOW, journey_modal


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


def show_journey(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A manager's home shows the four steps as one line; its button opens them in full."""
    ack()
    who = actor(context, client)
    view = journey_modal(journey(who.db, who.person))
    who.db.commit()  # the connection goes back to the pool before Slack's round trip
    opened = client.views_open(trigger_id=body["trigger_id"], view=view)
    # Remembered so that a step saved over the journey can redraw it (steps.refresh_journey).
    who.person.journey_view_id = str(opened["view"]["id"])
    who.db.commit()


def register(app: App) -> None:
    app.action(re.compile(r"^journey_open_(plan|reflect|meeting|feedback)$"))(open_step)
    app.action(JOURNEY_SHOW)(show_journey)
