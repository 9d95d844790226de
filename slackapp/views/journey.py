"""The journey: the four steps with this person's progress, in a modal and on the App Home."""

from __future__ import annotations

from dataclasses import dataclass, field
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
from slackapp.views.privacy import DATA_HEADER

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


MANAGER_WELCOME = (
    "*Welcome to Second Chance.* Someone who reports to you is using it to put a mistake at "
    "work right and to earn back trust. What they ask of you waits here: a private meeting, "
    "feedback on how they're doing. You see only what they chose to send you."
)

JOURNEY_SHOW = "journey_show"  # opens the four steps in a modal


@dataclass
class Waiting:
    """What waits on this person as someone's manager, and where the home puts it."""

    blocks: list[Block] = field(default_factory=list)
    now: bool = False  # something waits on their answer (not only who asked them)
    own_journey: bool = True  # False: a manager with no second chance of their own


def _private_note() -> ContextBlock:
    return ContextBlock(
        elements=[
            MarkdownTextObject(text="Private to you. Type `/secondchance help` for commands.")
        ]
    )


def _without_leading_divider(blocks: list[Block]) -> list[Block]:
    return blocks[1:] if blocks and isinstance(blocks[0], DividerBlock) else blocks


def _own_journey_blocks(
    steps: list[StepProgress], *, first_visit: bool, extra_blocks: list[Block]
) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(block_id="home_journey_header", text="Your second chance")]
    if first_visit:
        blocks.append(SectionBlock(block_id="home_welcome", text=MarkdownTextObject(text=WELCOME)))
    else:
        blocks.append(_private_note())
    return [*blocks, DividerBlock(), *step_blocks(steps), *extra_blocks]


def _managers_home(
    waiting: Waiting, *, first_visit: bool, extra_blocks: list[Block]
) -> list[Block]:
    """What waits on them first; the four steps as one quiet line, for a day they may need it."""
    blocks: list[Block] = [HeaderBlock(block_id="home_manager_header", text="Second Chance")]
    if first_visit:
        blocks.append(
            SectionBlock(block_id="home_welcome", text=MarkdownTextObject(text=MANAGER_WELCOME))
        )
    else:
        blocks.append(_private_note())
    if not waiting.now:
        blocks.append(
            SectionBlock(
                block_id="home_nothing_waiting",
                text=MarkdownTextObject(
                    text="Nothing is waiting on you right now. A meeting request or a feedback "
                    "request sent to you appears here as soon as it arrives."
                ),
            )
        )
    blocks += _without_leading_divider(waiting.blocks)
    blocks += [
        DividerBlock(),
        SectionBlock(
            block_id="home_own_journey",
            text=MarkdownTextObject(
                text="_Made a mistake at work yourself one day? Second Chance walks you through "
                "putting it right, in four private steps._"
            ),
            accessory=ButtonElement(text="See the steps", action_id=JOURNEY_SHOW, value="show"),
        ),
    ]
    return blocks + extra_blocks


def home_view(
    steps: list[StepProgress],
    *,
    first_visit: bool,
    extra_blocks: list[Block] | None = None,
    waiting: Waiting | None = None,
) -> dict[str, Any]:
    """The App Home: a welcome on the first visit, the journey, then each step's own section.

    Someone who also has things waiting on their answer sees those first; someone who only
    manages sees what waits on them, and the four steps as one line.
    """
    waiting = waiting or Waiting()
    extra = extra_blocks or []
    if not waiting.own_journey:
        blocks = _managers_home(waiting, first_visit=first_visit, extra_blocks=extra)
    elif waiting.now:
        own = _own_journey_blocks(steps, first_visit=first_visit, extra_blocks=extra)
        blocks = [*_without_leading_divider(waiting.blocks), DividerBlock(), *own]
    else:
        # Only who asked them, nothing to answer: after their own journey, before their data.
        own = _own_journey_blocks(steps, first_visit=first_visit, extra_blocks=[])
        data = [i for i, b in enumerate(extra) if getattr(b, "block_id", None) == DATA_HEADER]
        cut = data[0] - 1 if data and data[0] > 0 else len(extra)
        blocks = [*own, *extra[:cut], *waiting.blocks, *extra[cut:]]
    return View(type="home", callback_id="home", blocks=blocks).to_dict()
