"""Download or delete my data, from the App Home."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import Person
from slackapp.listeners.context import actor
from slackapp.listeners.home import HOME_SECTIONS, publish_home
from slackapp.services.home_data import HomeData
from slackapp.services.privacy import delete_data, export_data
from slackapp.views.privacy import (
    DELETE_ACTION,
    EXPORT_ACTION,
    EXPORT_COMMENT,
    WITHDRAWN,
    data_home_blocks,
    deleted_text,
)

logger = logging.getLogger(__name__)


def download_my_data(ack: Ack, context: BoltContext, client: WebClient) -> None:
    """Only ever the acting person's own data, sent only to them."""
    ack()
    who = actor(context, client)
    data = export_data(who.db, person=who.person)
    who.db.commit()
    channel = client.conversations_open(users=who.user_id)["channel"]["id"]
    stamp = who.clock.now().strftime("%Y-%m-%d")
    client.files_upload_v2(
        channel=channel,
        content=json.dumps(data, ensure_ascii=False, indent=2),
        filename=f"secondchance-{stamp}.json",
        title="Your Second Chance data",
        initial_comment=EXPORT_COMMENT,
    )


def delete_my_data(ack: Ack, context: BoltContext, client: WebClient) -> None:
    """After the confirm dialog: delete the acting person's data, and withdraw open requests."""
    ack()
    who = actor(context, client)
    deleted = delete_data(who.db, person=who.person, now=who.clock.now())
    who.db.commit()
    for channel, ts in deleted.manager_messages:
        try:
            client.chat_update(channel=channel, ts=ts, text=WITHDRAWN, blocks=[])
        except SlackApiError:
            logger.warning("could not mark a withdrawn request in a manager's DM")
    client.chat_postMessage(
        channel=who.user_id,
        text=deleted_text(deleted.plans, deleted.meeting_requests, deleted.feedback_requests),
    )
    publish_home(client, who.db, who.person, now=who.clock.now())
    who.db.commit()


def data_home_section(
    _session: Session, _person: Person, _now: datetime, _data: HomeData
) -> list[Block]:
    return data_home_blocks()


def register(app: App) -> None:
    app.action(EXPORT_ACTION)(download_my_data)
    app.action(DELETE_ACTION)(delete_my_data)
    # Last on the App Home, below every step.
    if data_home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(data_home_section)
