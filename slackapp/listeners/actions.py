"""Buttons of the journey (modal and App Home). Each stage registers its own actions too."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.glue import acked, actor, in_modal
from slackapp.listeners.modals import OpenRequest, journey_view
from slackapp.listeners.openers import STAGE_OPENERS
from slackapp.views.journey import JOURNEY_SHOW


def open_step(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    key = str(action.get("value") or "")
    opener = STAGE_OPENERS.get(key)
    if opener is None:
        return
    who = actor(context, client)
    opener(OpenRequest(actor=who, trigger_id=body["trigger_id"], in_modal=in_modal(body)))
    who.save()


def show_journey(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """A manager's home shows the four steps as one line; its button opens them in full."""
    who = acked(ack, context, client)
    view = journey_view(who.db, who.person)
    who.save()  # the connection goes back to the pool before Slack's round trip
    opened = client.views_open(trigger_id=body["trigger_id"], view=view)
    # Remembered so that a stage saved over the journey can redraw it (modals.refresh_journey).
    who.person.journey_view_id = str(opened["view"]["id"])
    who.save()


def register(app: App) -> None:
    app.action(re.compile(r"^journey_open_(plan|reflect|meeting|feedback)$"))(open_step)
    app.action(JOURNEY_SHOW)(show_journey)
