"""Opening a step: the same entry for `/secondchance <step>` and the journey's buttons.

Each step module puts its opener in STEP_OPENERS; until a step lands it answers "coming soon".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from models import Person
from slackapp.listeners.context import Actor
from slackapp.services.journey import journey
from slackapp.views.journey import journey_modal

logger = logging.getLogger(__name__)


@dataclass
class OpenRequest:
    actor: Actor
    trigger_id: str
    # True when the button was pressed inside a modal: the step's modal is pushed on top of it.
    in_modal: bool = False

    def show(self, view: dict[str, Any]) -> None:
        if self.in_modal:
            self.actor.client.views_push(trigger_id=self.trigger_id, view=view)
        else:
            self.actor.client.views_open(trigger_id=self.trigger_id, view=view)


StepOpener = Callable[[OpenRequest], None]


# Each step's listener module puts its opener here when it is imported.
STEP_OPENERS: dict[str, StepOpener] = {}


def refresh_journey(
    client: WebClient, session: Session, person: Person, view: dict[str, Any]
) -> None:
    """After a step is saved in a modal pushed over the journey, redraw the journey underneath
    (otherwise Back shows the old progress). Only the journey this person opened is touched."""
    root = view.get("root_view_id")
    if not root or root == view.get("id") or root != person.journey_view_id:
        return
    try:
        client.views_update(view_id=root, view=journey_modal(journey(session, person)))
    except SlackApiError:
        logger.info("the journey modal was already closed")
