"""The journey: the four steps with this person's progress, in a modal and on the App Home."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackapp.services.journey import StepProgress, StepState
from slackapp.views.mrkdwn import escape

STATE_MARK = {
    StepState.NOT_STARTED: ":white_circle: Not started",
    StepState.IN_PROGRESS: ":large_blue_circle: In progress",
    StepState.DONE: ":white_check_mark: Done",
}

JOURNEY_CALLBACK_ID = "journey"


def step_blocks(steps: list[StepProgress]) -> list[Block]:
    blocks: list[Block] = []
    for number, step in enumerate(steps, start=1):
        blocks.append(
            SectionBlock(
                block_id=f"journey_{step.key}",
                text=MarkdownTextObject(
                    text=f"*{number}. {step.title}*  ·  {STATE_MARK[step.state]}\n"
                    f"{escape(step.summary, one_line=True)}\n_{step.advice}_"
                ),
                accessory=ButtonElement(
                    text=step.button_label,
                    action_id=step.action_id,
                    value=step.key,
                    style="primary"
                    if step.state is StepState.NOT_STARTED and _is_next(steps, step)
                    else None,
                ),
            )
        )
    return blocks


def status_text(steps: list[StepProgress]) -> str:
    """/secondchance status: one line a step. A summary can carry the plan's typed title."""
    return "\n".join(
        f"{STATE_MARK[step.state]}: *{step.title}*. {escape(step.summary, one_line=True)}"
        for step in steps
    )


def _is_next(steps: list[StepProgress], step: StepProgress) -> bool:
    """The first step not yet done is the one to suggest."""
    for candidate in steps:
        if candidate.state is not StepState.DONE:
            return candidate is step
    return False


def journey_modal(steps: list[StepProgress]) -> dict[str, Any]:
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text="A mistake at work is not the end of the story. These four steps help you "
                "repair it and earn back trust. Take them one at a time."
            )
        ),
        DividerBlock(),
        *step_blocks(steps),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Everything here is private to you until you choose to send it."
                )
            ]
        ),
    ]
    return View(
        type="modal",
        callback_id=JOURNEY_CALLBACK_ID,
        title="Your second chance",
        close="Close",
        blocks=blocks,
    ).to_dict()


WELCOME = (
    "*Welcome to Second Chance.* Everyone gets things wrong at work sometimes. What matters is "
    "what you do next, and this app walks you through it in four steps:\n"
    "*1. Fix what went wrong*: make a repair plan and tick off each step.\n"
    "*2. Be introspective*: name the real causes and commit to concrete changes.\n"
    "*3. Talk to your boss*: ask for a private meeting, with no excuses and a plan.\n"
    "*4. Prepare to perform*: ask your manager for feedback regularly.\n"
    "Your plan and reflection are private to you. Your manager sees only what you send."
)


def home_view(
    steps: list[StepProgress], *, first_visit: bool, extra_blocks: list[Block] | None = None
) -> dict[str, Any]:
    """The App Home: a welcome on the first visit, the journey, then each step's own section."""
    blocks: list[Block] = [HeaderBlock(text="Your second chance")]
    if first_visit:
        blocks.append(SectionBlock(block_id="home_welcome", text=MarkdownTextObject(text=WELCOME)))
    else:
        blocks.append(
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text="Private to you. Type `/secondchance help` for commands."
                    )
                ]
            )
        )
    blocks += [DividerBlock(), *step_blocks(steps)]
    if extra_blocks:
        blocks += extra_blocks
    return View(type="home", callback_id="home", blocks=blocks).to_dict()
