"""The trend chart on the employee's App Home: a PNG of their ratings (views/trend_chart.py),
uploaded to Slack privately (shared in no channel: the app's own file, which an image block
shows by its id) and kept on their person row with the key of the ratings it draws.

It is uploaded only when that key changes (a new answer, a rating more), not on every render;
the old file is deleted then. When the upload fails, or Slack will not show the file, the home
goes out without it (the squares of "At a glance" say the same) and nobody is told of an error;
it is tried again after RETRY_AFTER. It is the employee's own: only their home shows it, and
the message in their own DM that brings their comeback summary (listeners/comeback.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import Person
from slackapp.services import feedback_answers
from slackapp.views.feedback_cards import HISTORY_SHOWN, history_items
from slackapp.views.trend_chart import Series, chart_block, chart_key, chart_png, chart_series

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(hours=1)
FILE_NAME = "feedback-trend.png"
CHART_BLOCK_ID = "feedback_trend_chart"


def refresh_chart(
    client: WebClient, session: Session, person: Person, *, now: datetime
) -> Block | None:
    """Upload the chart of the person's ratings if the one on file draws others (or failed
    more than RETRY_AFTER ago), committing before each Slack call; then the image block
    showing it (None when there is none), in the language being read."""
    history = history_items(person, feedback_answers.history(session, person, limit=HISTORY_SHOWN))
    series = chart_series(history)
    if series is None:
        return None
    _upload_if_stale(client, session, person, series, now=now)
    if person.trend_chart_file_id and person.trend_chart_key == chart_key(series):
        return chart_block(person.trend_chart_file_id, history)
    return None


def _upload_if_stale(
    client: WebClient, session: Session, person: Person, series: list[Series], *, now: datetime
) -> None:
    key = chart_key(series)
    if person.trend_chart_key == key and (
        person.trend_chart_file_id
        or (person.trend_chart_at is not None and now - person.trend_chart_at < RETRY_AFTER)
    ):
        return
    stale = person.trend_chart_file_id if person.trend_chart_key != key else None
    png = chart_png(series)
    session.commit()  # nothing held while Slack answers
    file_id = _upload(client, png)
    session.refresh(person)
    if person.trend_chart_key == key and person.trend_chart_file_id:
        # Another request uploaded the same chart meanwhile: theirs stays, ours goes.
        _delete(client, file_id)
        return
    person.trend_chart_key, person.trend_chart_file_id, person.trend_chart_at = key, file_id, now
    session.commit()
    _delete(client, stale)


def drop_chart(session: Session, person: Person, *, now: datetime) -> None:
    """Slack would not show the file (still being processed, or deleted): the home goes out
    without it, and a new one is uploaded after RETRY_AFTER."""
    logger.warning("Slack refused the feedback trend chart; the App Home goes out without it")
    person.trend_chart_file_id, person.trend_chart_at = None, now
    session.commit()


def shows_chart(view: dict[str, Any]) -> bool:
    return any(block.get("block_id") == CHART_BLOCK_ID for block in view.get("blocks") or [])


def _upload(client: WebClient, png: bytes) -> str | None:
    try:
        uploaded = client.files_upload_v2(content=png, filename=FILE_NAME, title=FILE_NAME)
        return str(uploaded["file"]["id"])
    except (SlackApiError, OSError, KeyError):
        logger.warning("could not upload the feedback trend chart; the App Home shows the squares")
        return None


def _delete(client: WebClient, file_id: str | None) -> None:
    if not file_id:
        return
    try:
        client.files_delete(file=file_id)
    except SlackApiError:
        logger.info("an old feedback trend chart could not be deleted from Slack")
