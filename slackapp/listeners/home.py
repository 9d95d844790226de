"""The App Home: the journey, then each stage's section that has something to show
(home_sections.py has them, in the order people see them).

What waits on the person as someone's manager (meeting requests, feedback to give, who asked)
leads the home when something waits on their answer, and a manager with no second chance of
their own sees the four stages as one line. Rendering needs a session and a person, no Bolt app.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import Person
from slackapp.listeners.home_chart import drop_chart, refresh_chart, shows_chart
from slackapp.listeners.home_sections import HOME_SECTIONS, WAITING_SECTIONS
from slackapp.services.home_data import load_home_data
from slackapp.services.journey import journey
from slackapp.views.i18n import reading_as
from slackapp.views.journey import Waiting, home_view


def render_home(session: Session, person: Person, *, now: datetime) -> dict[str, Any]:
    """The person's App Home, in their language (whoever's action redraws it)."""
    with reading_as(person.reads):
        return _render_home(session, person, now=now)


def _render_home(session: Session, person: Person, *, now: datetime) -> dict[str, Any]:
    first_visit = person.welcomed_at is None
    data = load_home_data(session, person)
    extra: list[Block] = []
    for section in HOME_SECTIONS:
        extra += section(session, person, now, data)
    waiting: list[Block] = []
    for section in WAITING_SECTIONS:
        waiting += section(session, person, now, data)
    view = home_view(
        journey(session, person, data),
        first_visit=first_visit,
        extra_blocks=extra,
        waiting=Waiting(
            waiting,
            now=data.waiting_now,
            # Someone new to the app sees the four steps in full; a manager, as one line.
            own_journey=data.has_journey or not waiting,
        ),
    )
    if first_visit:
        person.welcomed_at = now
    return view


PUBLISH_ATTEMPTS = 4


def publish_home(client: WebClient, session: Session, person: Person, *, now: datetime) -> None:
    """Show the person their App Home as it is now (after any change they made).

    Two requests can race: one renders before another's change and publishes after it, and the
    person would see the older state. Each publish names the hash of the home we last published;
    if someone published since, Slack answers hash_conflict and we render again from the newest
    data. The last attempt publishes without a hash, so a hash lost for good cannot lock it.

    First the trend chart is uploaded, if the ratings changed since the last one (home_chart.py).
    """
    refresh_chart(client, session, person, now=now)
    for attempt in range(PUBLISH_ATTEMPTS):
        last = attempt == PUBLISH_ATTEMPTS - 1
        view = render_home(session, person, now=now)
        try:
            response = _publish(
                client, session, person, view, now=now, hash=None if last else person.home_hash
            )
        except SlackApiError as error:
            if last or (error.response or {}).get("error") != "hash_conflict":
                raise
            # A new transaction sees what the other request committed, and nothing read before
            # is kept (sessions keep what they read across commits): the person, their plan,
            # their schedule are all read again for the next render.
            session.commit()
            session.expire_all()
            time.sleep(0.02 * (attempt + 1))
            continue
        person.home_hash = str(response["view"]["hash"])
        return


def _publish(
    client: WebClient,
    session: Session,
    person: Person,
    view: dict[str, Any],
    *,
    now: datetime,
    hash: str | None,
) -> Any:
    """views.publish; a home whose trend chart Slack refuses goes out again without it."""
    try:
        return client.views_publish(user_id=person.slack_user_id, view=view, hash=hash)
    except SlackApiError as error:
        if (error.response or {}).get("error") != "invalid_blocks" or not shows_chart(view):
            raise
    drop_chart(session, person, now=now)
    view = render_home(session, person, now=now)
    return client.views_publish(user_id=person.slack_user_id, view=view, hash=hash)
