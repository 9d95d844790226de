"""Shortcuts: "Start a repair plan" on a message (the complaint, the angry thread, the missed
deadline), and "Second Chance" from anywhere in Slack.

The message shortcut opens the plan modal with the message linked as what happened and its
author suggested as affected; someone with a plan already gets "Add a step from this message".
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.listeners.commands import open_journey
from slackapp.listeners.glue import acked
from slackapp.listeners.modals import open_view
from slackapp.services.plans import PlanDraft, active_plan, clean_link
from slackapp.views.plan import add_step_modal, plan_modal
from slackapp.views.plan_state import SLACK_USER_ID, PlanModalMeta

logger = logging.getLogger(__name__)

MESSAGE_SHORTCUT = "plan_from_message"
GLOBAL_SHORTCUT = "open_journey"


def _permalink(client: WebClient, channel: Any, ts: Any) -> str | None:
    """The message's permalink, or None (a channel the app cannot see): the modal opens anyway."""
    if not (isinstance(channel, str) and isinstance(ts, str) and channel and ts):
        return None
    try:
        return clean_link(client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
    except SlackApiError:
        logger.info("no permalink for the message a shortcut was used on")
        return None


def _author(message: dict[str, Any], user_id: str | None) -> str | None:
    """Who wrote the message, when that is a person other than the one using the shortcut."""
    author = message.get("user")
    if message.get("bot_id") or not isinstance(author, str) or not SLACK_USER_ID.match(author):
        return None
    return None if author == user_id else author


def plan_from_message(
    ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    # Someone new is met before the modal opens (unlike the journey): the plan modal can be
    # submitted at once, and a submission is only taken from someone the app knows.
    who = acked(ack, context, client)
    message = shortcut.get("message")
    message = message if isinstance(message, dict) else {}
    channel = (shortcut.get("channel") or {}).get("id")
    link = _permalink(client, channel, message.get("ts") or shortcut.get("message_ts"))
    plan = active_plan(who.db, who.person)
    if plan is not None:
        view = add_step_modal(plan, link=link)
    else:
        author = _author(message, who.user_id)
        draft = PlanDraft(affected_user_ids=[author] if author else [], source_link=link)
        view = plan_modal(draft, PlanModalMeta(link=link))
    who.save()  # nothing held while Slack answers; the trigger lasts 3 s
    # Remembered for the person: its buttons (add a step row) redraw only their own modal.
    open_view(who, trigger_id=shortcut["trigger_id"], view=view)


def journey_from_anywhere(
    ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    open_journey(context, client, shortcut["trigger_id"])


def register(app: App) -> None:
    app.message_shortcut(MESSAGE_SHORTCUT)(plan_from_message)
    app.global_shortcut(GLOBAL_SHORTCUT)(journey_from_anywhere)
