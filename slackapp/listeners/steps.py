"""Opening a step: the same entry for `/secondchance <step>` and the journey's buttons.

Each step module puts its opener in STEP_OPENERS; until a step lands it answers "coming soon".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from slackapp.listeners.context import Actor
from slackapp.services.journey import TITLES


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


def coming_soon(key: str) -> StepOpener:
    def open_placeholder(request: OpenRequest) -> None:
        title = TITLES[key][0]
        request.show(
            View(
                type="modal",
                callback_id=f"coming_soon_{key}",
                title=title[:24],
                close="Back",
                blocks=[
                    SectionBlock(
                        text=MarkdownTextObject(
                            text=f"*{title}* is coming soon. Thank you for your patience."
                        )
                    )
                ],
            ).to_dict()
        )

    return open_placeholder


STEP_OPENERS: dict[str, StepOpener] = {key: coming_soon(key) for key in TITLES}
