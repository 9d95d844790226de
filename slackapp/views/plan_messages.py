"""Stage 1's DMs: the 09:00 reminder of a step, its "done" update, and the act-quickly nudge."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    MarkdownTextObject,
    SectionBlock,
)

from models import Plan, Step
from slackapp.views.i18n import _
from slackapp.views.mrkdwn import escape, quote


def step_reminder_message(step: Step, plan: Plan) -> tuple[str, list[dict[str, Any]]]:
    text = _("Today's the day for a step of your plan: {step}").format(
        step=escape(step.description, one_line=True)
    )
    blocks: list[Block] = [
        SectionBlock(
            block_id="reminder",
            text=MarkdownTextObject(
                text=_(
                    ":alarm_clock: *Today's the day* for this step of your plan “{title}”:\n{step}"
                ).format(title=escape(plan.title, one_line=True), step=quote(step.description))
            ),
        ),
        ActionsBlock(
            block_id="reminder_actions",
            elements=[
                ButtonElement(
                    text=_("Mark as done"),
                    action_id="plan_step_done_dm",
                    value=str(step.id),
                    style="primary",
                )
            ],
        ),
    ]
    return text[:3000], [b.to_dict() for b in blocks]


def step_done_message(step: Step) -> tuple[str, list[dict[str, Any]]]:
    text = _("Done: {step}").format(step=escape(step.description, one_line=True))
    block = SectionBlock(
        block_id="reminder",
        text=MarkdownTextObject(
            text=_(":white_check_mark: *Done.* Well done for following through:\n{step}").format(
                step=quote(step.description)
            )
        ),
    )
    return text[:3000], [block.to_dict()]


def act_quickly_message(plan: Plan) -> tuple[str, list[dict[str, Any]]]:
    text = _("A gentle nudge: now is a good time to ask your manager for a meeting.")
    blocks: list[Block] = [
        SectionBlock(
            block_id="act_quickly",
            text=MarkdownTextObject(
                text=_(
                    "It's been a day since you made your plan “{title}”. When things are this serious, the advice is to talk to your boss soon: ask for a private meeting, bring your plan, and skip the excuses. Sooner usually goes better than later, and you don't have to have everything fixed first."
                ).format(title=escape(plan.title, one_line=True))
            ),
        ),
        ActionsBlock(
            block_id="act_quickly_actions",
            elements=[
                ButtonElement(
                    text=_("Ask for a meeting"),
                    action_id="journey_open_meeting",
                    value="meeting",
                    style="primary",
                )
            ],
        ),
    ]
    return text, [b.to_dict() for b in blocks]


def already_active_text(title: str) -> str:
    """Why a second plan can't start: the first one's title, as typed, is named."""
    return _(
        "You already have a plan in progress (“{title}”). To replace it, use “Start a new plan” on your App Home."
    ).format(title=escape(title, limit=60))
