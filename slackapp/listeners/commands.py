"""/secondchance and its subcommands."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from slackapp.listeners.glue import actor, lookup, reads_only, save
from slackapp.listeners.modals import OpenRequest, journey_view
from slackapp.listeners.openers import STAGE_OPENERS
from slackapp.services.journey import journey
from slackapp.views.help import help_text
from slackapp.views.journey import status_text


def open_journey(context: BoltContext, client: WebClient, trigger_id: str) -> None:
    """The journey modal: the four steps with progress and what to do next (`/secondchance`,
    and the "Second Chance" global shortcut)."""
    # The modal first: a trigger_id lasts 3 s, and meeting someone new costs a users.info call.
    db = context["db"]
    reads_only(db)
    workspace, person = lookup(context, with_manager=False)
    view = journey_view(db, person)
    save(db)  # the connection goes back to the pool before Slack's round trip
    opened = client.views_open(trigger_id=trigger_id, view=view)
    # Remembered so that a stage saved over the journey can redraw it (modals.refresh_journey).
    view_id = str(opened["view"]["id"])
    if person is None:  # someone new: met (users.info, a person row) after the modal is open
        meeting = {"journey_view_id": view_id}
        person = actor(context, client, found=(workspace, person), meeting=meeting).person
    if person.journey_view_id != view_id:  # not when the person row was just made with it
        person.journey_view_id = view_id
        save(db)


def handle_secondchance(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    word = (command.get("text") or "").strip().split(maxsplit=1)
    subcommand = word[0].lower() if word else ""
    if subcommand in ("help", "?") or (subcommand and subcommand not in (*STAGE_OPENERS, "status")):
        ack(
            response_type="ephemeral",
            text=help_text(None if subcommand in ("help", "?") else subcommand),
        )
        return
    ack()
    if not subcommand:
        open_journey(context, client, command["trigger_id"])
        return
    who = actor(context, client)
    if subcommand == "status":
        text = status_text(journey(who.db, who.person))
        who.save()
        respond(response_type="ephemeral", text=text, replace_original=False)
    else:
        STAGE_OPENERS[subcommand](OpenRequest(actor=who, trigger_id=command["trigger_id"]))
    who.save()


def register(app: App) -> None:
    app.command("/secondchance")(handle_secondchance)
