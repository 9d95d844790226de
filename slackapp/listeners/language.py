"""The App Home's "Language" choice: saved on the person, and their next screen (the App Home
redrawn at once) is in it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.glue import acked, publish_homes
from slackapp.views.i18n import LANGUAGES, read_as
from slackapp.views.language import FROM_SLACK, LANGUAGE_ACTION


def choose_language(
    ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    value = str((action.get("selected_option") or {}).get("value") or "")
    if value != FROM_SLACK and value not in LANGUAGES:
        return  # a forged value: nothing changes
    who.person.language = None if value == FROM_SLACK else value
    read_as(who.person.reads)
    publish_homes(who.db, client, [who.person], now=who.clock.now())


def register(app: App) -> None:
    app.action(LANGUAGE_ACTION)(choose_language)
