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
from slackapp.views.mrkdwn import escape, quote


def step_reminder_message(step: Step, plan: Plan) -> tuple[str, list[dict[str, Any]]]:
    text = f"Today's the day for a step of your plan: {escape(step.description, one_line=True)}"
    blocks: list[Block] = [
        SectionBlock(
            block_id="reminder",
            text=MarkdownTextObject(
                text=f":alarm_clock: *Today's the day* for this step of your plan "
                f"“{escape(plan.title, one_line=True)}”:\n{quote(step.description)}"
            ),
        ),
        ActionsBlock(
            block_id="reminder_actions",
            elements=[
                ButtonElement(
                    text="Mark as done",
                    action_id="plan_step_done_dm",
                    value=str(step.id),
                    style="primary",
                )
            ],
        ),
    ]
    return text[:3000], [b.to_dict() for b in blocks]


def step_done_message(step: Step) -> tuple[str, list[dict[str, Any]]]:
    text = f"Done: {escape(step.description, one_line=True)}"
    block = SectionBlock(
        block_id="reminder",
        text=MarkdownTextObject(
            text=f":white_check_mark: *Done.* Well done for following through:\n"
            f"{quote(step.description)}"
        ),
    )
    return text[:3000], [block.to_dict()]


def act_quickly_message(plan: Plan) -> tuple[str, list[dict[str, Any]]]:
    text = "A gentle nudge: now is a good time to ask your manager for a meeting."
    blocks: list[Block] = [
        SectionBlock(
            block_id="act_quickly",
            text=MarkdownTextObject(
                text="It's been a day since you made your plan "
                f"“{escape(plan.title, one_line=True)}”. When "
                "things are this serious, the advice is to talk to your boss soon: ask for a "
                "private meeting, bring your plan, and skip the excuses. Sooner usually goes "
                "better than later, and you don't have to have everything fixed first."
            ),
        ),
        ActionsBlock(
            block_id="act_quickly_actions",
            elements=[
                ButtonElement(
                    text="Ask for a meeting",
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
    return (
        f"You already have a plan in progress (“{escape(title, limit=60)}”). To replace "
        "it, use “Start a new plan” on your App Home."
    )
