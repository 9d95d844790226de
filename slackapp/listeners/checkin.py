"""The private check-in: turned on or off on the App Home, answered in a modal from its DM.
Everything here goes to the acting person alone."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.glue import acked, actor, dm, entry, state_of, submitter, tell
from slackapp.listeners.modals import open_view
from slackapp.services import checkins
from slackapp.views import checkin as views
from slackapp.views.i18n import _, read_as


def toggle(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    now = who.clock.now()
    if action.get("value") == "on":
        checkins.turn_on(session=who.db, person=who.person, now=now)
    else:
        checkins.turn_off(session=who.db, person=who.person, now=now)
    tell(who, homes=[who.person], unseen_too=True)


def open_checkin(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    open_view(who, trigger_id=body["trigger_id"], view=views.modal(), push=False)


def submit_checkin(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = submitter(context, client)
    if who is None:
        ack()
        return
    state = state_of(body)
    mood = (entry(state, "checkin_mood").get("selected_option") or {}).get("value")
    if mood not in checkins.MOODS:
        ack(response_action="errors", errors={"checkin_mood": _(views.CHOOSE_MOOD)})
        return
    note = entry(state, "checkin_note").get("value")
    checkins.record(
        session=who.db,
        person=who.person,
        mood=str(mood),
        note=note if isinstance(note, str) else None,
        now=who.clock.now(),
    )
    read_as(who.person.reads)
    who.save()
    ack()  # once it is stored: a modal that closes has kept what it said
    dm(who, who.person, text=views.reply_text(str(mood)))
    tell(who, homes=[who.person])


def register(app: App) -> None:
    app.action(views.TOGGLE)(toggle)
    app.action(views.OPEN)(open_checkin)
    app.view(views.MODAL)(submit_checkin)
