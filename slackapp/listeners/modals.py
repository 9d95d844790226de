"""Modals: opening a stage's modal (the same entry for `/secondchance <stage>` and the
journey's buttons), and redrawing modals the app opened.

Modals a person may later redraw by clicking in them are opened with open_view(), which remembers
the view id Slack gave; update_own_view() redraws only those, for the person acting. The id in a
payload names a view, not whose it is: a forged one would redraw someone else's modal with this
person's data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from models import Person
from slackapp.listeners.glue import Actor, refresh_homes
from slackapp.services import expectations, meetings
from slackapp.services.journey import journey
from slackapp.services.people import opened_for, remember_view
from slackapp.views.expectations import journey_blocks as expectation_journey_blocks
from slackapp.views.journey import journey_modal

logger = logging.getLogger(__name__)


@dataclass
class OpenRequest:
    actor: Actor
    trigger_id: str
    # True when the button was pressed inside a modal: the step's modal is pushed on top of it.
    in_modal: bool = False

    def show(self, view: dict[str, Any]) -> None:
        open_view(self.actor, trigger_id=self.trigger_id, view=view, push=self.in_modal)


Opener = Callable[[OpenRequest], None]

# The modal is on the person's screen as soon as Slack has it, a moment before we hear its id and
# save it; a click in that moment waits for the save rather than being taken for a forgery.
SAVE_WAIT_SECONDS = 1.0


def open_view(who: Actor, *, trigger_id: str, view: dict[str, Any], push: bool = False) -> None:
    """views.open (or views.push over the modal clicked in), remembering the view for `who`."""
    call = who.client.views_push if push else who.client.views_open
    opened = call(trigger_id=trigger_id, view=view)
    view_id = (opened.get("view") or {}).get("id")
    if isinstance(view_id, str) and view_id:
        remember_view(who.db, person=who.person, view_id=view_id, now=who.clock.now())
        who.db.commit()


def update_own_view(
    who: Actor, view_id: Any, view: dict[str, Any], *, hash: str | None = None
) -> bool:
    """views.update, only on a modal the app opened for the person acting; otherwise nothing is
    sent and False. A SlackApiError (closed, hash_conflict) is the caller's to handle."""
    if not isinstance(view_id, str) or not view_id or len(view_id) > 32:
        logger.info("left alone a view update with no usable view id")
        return False
    deadline = time.monotonic() + SAVE_WAIT_SECONDS
    while not opened_for(who.db, person=who.person, view_id=view_id):
        if time.monotonic() >= deadline:
            logger.info("left alone a view that was not opened for the person acting")
            return False
        who.db.commit()  # ends this read, so the next one sees a save made meanwhile
        time.sleep(0.02)
    if hash:
        who.client.views_update(view_id=view_id, hash=hash, view=view)
    else:
        who.client.views_update(view_id=view_id, view=view)
    return True


def journey_view(session: Session, person: Person | None) -> dict[str, Any]:
    """The journey modal, with what the manager expects under the four stages once written."""
    request = expectations.latest_with_expectations(session, person) if person else None
    extra = (
        expectation_journey_blocks(
            request,
            viewer_id=person.id,
            manager_user_id=meetings.request_manager(session, request).slack_user_id,
        )
        if request is not None and person is not None
        else []
    )
    return journey_modal(journey(session, person), extra=extra)


def refresh_journey(
    client: WebClient, session: Session, person: Person, view: dict[str, Any]
) -> None:
    """After a stage is saved in a modal pushed over the journey, redraw the journey underneath
    (otherwise Back shows the old progress). Only the journey this person opened is touched."""
    root = view.get("root_view_id")
    if not root or root == view.get("id") or root != person.journey_view_id:
        return
    try:
        client.views_update(view_id=root, view=journey_view(session, person))
    except SlackApiError:
        logger.info("the journey modal was already closed")


def saved_in_modal(who: Actor, view: dict[str, Any]) -> None:
    """After a stage's modal was saved: the person's home, and the journey under the modal."""
    refresh_homes(who, who.person, unseen_too=True)
    refresh_journey(who.client, who.db, who.person, view)
    who.save()
