"""The journey: the four stages with this person's progress, in a modal and on the App Home."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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

from slackapp.services.journey import StageProgress, StageState, StageSummary
from slackapp.views.i18n import N_, _, ngettext
from slackapp.views.mrkdwn import escape
from slackapp.views.privacy import DATA_HEADER
from slackapp.views.words import clock_time, short_date

STATE_MARK = {
    StageState.NOT_STARTED: N_(":white_circle: Not started"),
    StageState.IN_PROGRESS: N_(":large_blue_circle: In progress"),
    StageState.DONE: N_(":white_check_mark: Done"),
}

# Each stage's title and the advice it follows, by stage key.
TITLES = {
    "plan": (
        N_("Fix what went wrong"),
        N_("Repair the damage first, and fast: apologise, correct the problem."),
    ),
    "reflect": (
        N_("Be introspective"),
        N_("Name what really caused it, and the changes you will make."),
    ),
    "meeting": (
        N_("Talk to your boss"),
        N_("Ask for a private meeting soon. No excuses; bring your plan."),
    ),
    "feedback": (
        N_("Prepare to perform"),
        N_("Ask for feedback regularly to make sure you're on track."),
    ),
}

_SAID = {
    StageSummary.NO_PLAN: N_("No repair plan yet."),
    StageSummary.NO_REFLECTION: N_("No reflection yet."),
    StageSummary.REFLECTION_STARTED: N_("Reflection started, no commitments yet."),
    StageSummary.NO_MEETING: N_("No meeting requested yet."),
    StageSummary.MEETING_PENDING: N_("Meeting requested; waiting for your manager's answer."),
    StageSummary.MEETING_COUNTER_PROPOSED: N_(
        "Your manager proposed another time; it's your turn."
    ),
    StageSummary.MEETING_DECLINED: N_(
        "Your manager declined the meeting. You can ask again later."
    ),
    StageSummary.MEETING_CANCELLED: N_("You cancelled the meeting request."),
    StageSummary.MEETING_EXPIRED: N_(
        "The meeting request expired without an answer. Send it again?"
    ),
    StageSummary.MEETING_NOT_MANAGER: N_(
        "The person you asked said they aren't your manager. Choose the person you report to."
    ),
    StageSummary.NO_FEEDBACK: N_("No feedback requests scheduled yet."),
}


def _when(at: datetime | None) -> str:
    assert at is not None
    return f"{short_date(at)}, {clock_time(at)}"


def summary_text(stage: StageProgress) -> str:
    """The one line on where this person is with the stage (it may carry the plan's title)."""
    said = _SAID.get(stage.summary)
    if said is not None:
        return _(said)
    answers = ngettext("{count} answer so far", "{count} answers so far", stage.answers).format(
        count=stage.answers
    )
    match stage.summary:
        case StageSummary.PLAN_CLOSED:
            return _("{title}: plan closed.").format(title=stage.plan_title)
        case StageSummary.PLAN_STEPS:
            return ngettext(
                "{title}: {done} of {count} step done.",
                "{title}: {done} of {count} steps done.",
                stage.total,
            ).format(title=stage.plan_title, done=stage.done, count=stage.total)
        case StageSummary.REFLECTION_COMMITTED:
            return ngettext(
                "Reflection written, {count} commitment.",
                "Reflection written, {count} commitments.",
                stage.commitments,
            ).format(count=stage.commitments)
        case StageSummary.MEETING_ON:
            return _("Meeting with your manager on {when}.").format(when=_when(stage.at))
        case StageSummary.MEETING_HELD:
            return _("Meeting held on {when}.").format(when=_when(stage.at))
        case StageSummary.MEETING_HELD_CONCERNS:
            return ngettext(
                "Meeting held on {when}; {open} of {count} concern still to address.",
                "Meeting held on {when}; {open} of {count} concerns still to address.",
                stage.concerns,
            ).format(when=_when(stage.at), open=stage.concerns_open, count=stage.concerns)
        case StageSummary.FEEDBACK_ENDED:
            return _("Your feedback schedule has ended; {answers}.").format(answers=answers)
        case StageSummary.FEEDBACK_PAUSED:
            return _("Feedback requests are paused; {answers}.").format(answers=answers)
        case StageSummary.FEEDBACK_SCHEDULED:
            return _("Feedback requests scheduled; {answers}.").format(answers=answers)
        case StageSummary.FEEDBACK_NEXT:
            return _("Next feedback request {when}; {answers}.").format(
                when=_when(stage.at), answers=answers
            )
    raise ValueError(f"no words for {stage.summary}")


def button_label(stage: StageProgress) -> str:
    return _("Start") if stage.state is StageState.NOT_STARTED else _("Continue")


JOURNEY_CALLBACK_ID = "journey"


def stage_blocks(stages: list[StageProgress]) -> list[Block]:
    blocks: list[Block] = []
    for number, stage in enumerate(stages, start=1):
        title, advice = (_(words) for words in TITLES[stage.key])
        blocks.append(
            SectionBlock(
                block_id=f"journey_{stage.key}",
                text=MarkdownTextObject(
                    text=f"*{number}. {title}*  ·  {_(STATE_MARK[stage.state])}\n"
                    f"{escape(summary_text(stage), one_line=True)}\n_{advice}_"
                ),
                accessory=ButtonElement(
                    text=button_label(stage),
                    action_id=stage.action_id,
                    value=stage.key,
                    style="primary"
                    if stage.state is StageState.NOT_STARTED and _is_next(stages, stage)
                    else None,
                ),
            )
        )
    return blocks


def status_text(stages: list[StageProgress]) -> str:
    """/secondchance status: one line a stage. A summary can carry the plan's typed title."""
    return "\n".join(
        f"{_(STATE_MARK[stage.state])}: *{_(TITLES[stage.key][0])}*. "
        f"{escape(summary_text(stage), one_line=True)}"
        for stage in stages
    )


def _is_next(stages: list[StageProgress], stage: StageProgress) -> bool:
    """The first stage not yet done is the one to suggest."""
    for candidate in stages:
        if candidate.state is not StageState.DONE:
            return candidate is stage
    return False


def journey_modal(
    stages: list[StageProgress], *, extra: list[Block] | None = None
) -> dict[str, Any]:
    """extra (what the manager expects) goes under the stages."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=_(
                    "A mistake at work is not the end of the story. These four steps help you "
                    "repair it and earn back trust. Take them one at a time."
                )
            )
        ),
        DividerBlock(),
        *stage_blocks(stages),
        *(extra or []),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_("Everything here is private to you until you choose to send it.")
                )
            ]
        ),
    ]
    return View(
        type="modal",
        callback_id=JOURNEY_CALLBACK_ID,
        title=_("Your second chance"),
        close=_("Close"),
        blocks=blocks,
    ).to_dict()


WELCOME = N_(
    "*Welcome to Second Chance.* Everyone gets things wrong at work sometimes. What matters is "
    "what you do next, and this app walks you through it in four steps:\n"
    "*1. Fix what went wrong*: make a repair plan and tick off each step.\n"
    "*2. Be introspective*: name the real causes and commit to concrete changes.\n"
    "*3. Talk to your boss*: ask for a private meeting, with no excuses and a plan.\n"
    "*4. Prepare to perform*: ask your manager for feedback regularly.\n"
    "Your plan and reflection are private to you. Your manager sees only what you send."
)


MANAGER_WELCOME = N_(
    "*Welcome to Second Chance.* Someone who reports to you is using it to put a mistake at "
    "work right and to earn back trust. What they ask of you waits here: a private meeting, "
    "feedback on how they're doing. You see only what they chose to send you."
)

JOURNEY_SHOW = "journey_show"  # opens the four stages in a modal


@dataclass
class Waiting:
    """What waits on this person as someone's manager, and where the home puts it."""

    blocks: list[Block] = field(default_factory=list)
    now: bool = False  # something waits on their answer (not only who asked them)
    own_journey: bool = True  # False: a manager with no second chance of their own


def _private_note() -> ContextBlock:
    return ContextBlock(
        elements=[
            MarkdownTextObject(text=_("Private to you. Type `/secondchance help` for commands."))
        ]
    )


def _without_leading_divider(blocks: list[Block]) -> list[Block]:
    return blocks[1:] if blocks and isinstance(blocks[0], DividerBlock) else blocks


def _own_journey_blocks(
    stages: list[StageProgress], *, first_visit: bool, extra_blocks: list[Block]
) -> list[Block]:
    blocks: list[Block] = [
        HeaderBlock(block_id="home_journey_header", text=_("Your second chance"))
    ]
    if first_visit:
        blocks.append(
            SectionBlock(block_id="home_welcome", text=MarkdownTextObject(text=_(WELCOME)))
        )
    else:
        blocks.append(_private_note())
    return [*blocks, DividerBlock(), *stage_blocks(stages), *extra_blocks]


def _managers_home(
    waiting: Waiting, *, first_visit: bool, extra_blocks: list[Block]
) -> list[Block]:
    """What waits on them first; the four stages as one quiet line, for a day they may need it."""
    blocks: list[Block] = [HeaderBlock(block_id="home_manager_header", text=_("Second Chance"))]
    if first_visit:
        blocks.append(
            SectionBlock(block_id="home_welcome", text=MarkdownTextObject(text=_(MANAGER_WELCOME)))
        )
    else:
        blocks.append(_private_note())
    if not waiting.now:
        blocks.append(
            SectionBlock(
                block_id="home_nothing_waiting",
                text=MarkdownTextObject(
                    text=_(
                        "Nothing is waiting on you right now. A meeting request or a feedback "
                        "request sent to you appears here as soon as it arrives."
                    )
                ),
            )
        )
    blocks += _without_leading_divider(waiting.blocks)
    blocks += [
        DividerBlock(),
        SectionBlock(
            block_id="home_own_journey",
            text=MarkdownTextObject(
                text=_(
                    "_Made a mistake at work yourself one day? Second Chance walks you through "
                    "putting it right, in four private steps._"
                )
            ),
            accessory=ButtonElement(text=_("See the steps"), action_id=JOURNEY_SHOW, value="show"),
        ),
    ]
    return blocks + extra_blocks


def home_view(
    stages: list[StageProgress],
    *,
    first_visit: bool,
    extra_blocks: list[Block] | None = None,
    waiting: Waiting | None = None,
) -> dict[str, Any]:
    """The App Home: a welcome on the first visit, the journey, then each stage's own section.

    Someone who also has things waiting on their answer sees those first; someone who only
    manages sees what waits on them, and the four stages as one line.
    """
    waiting = waiting or Waiting()
    extra = extra_blocks or []
    if not waiting.own_journey:
        blocks = _managers_home(waiting, first_visit=first_visit, extra_blocks=extra)
    elif waiting.now:
        own = _own_journey_blocks(stages, first_visit=first_visit, extra_blocks=extra)
        blocks = [*_without_leading_divider(waiting.blocks), DividerBlock(), *own]
    else:
        # Only who asked them, nothing to answer: after their own journey, before their data.
        own = _own_journey_blocks(stages, first_visit=first_visit, extra_blocks=[])
        data = [i for i, b in enumerate(extra) if getattr(b, "block_id", None) == DATA_HEADER]
        cut = data[0] - 1 if data and data[0] > 0 else len(extra)
        blocks = [*own, *extra[:cut], *waiting.blocks, *extra[cut:]]
    return View(type="home", callback_id="home", blocks=fit_home(blocks)).to_dict()


HOME_BLOCKS = 100  # Slack's most for a home tab


def _block_id(block: Any) -> Any:
    return block.get("block_id") if isinstance(block, dict) else getattr(block, "block_id", None)


def fit_home(blocks: list[Any]) -> list[Any]:
    """At most HOME_BLOCKS blocks (Slack refuses more): when it runs over, what comes last
    before "Your data" is left out with a note, and "Your data" itself always stays."""
    if len(blocks) <= HOME_BLOCKS:
        return blocks
    ids = [_block_id(b) for b in blocks]
    data_at = ids.index(DATA_HEADER) if DATA_HEADER in ids else len(blocks)
    tail_at = (
        data_at - 1 if data_at > 0 and isinstance(blocks[data_at - 1], DividerBlock) else data_at
    )
    tail = blocks[tail_at:]
    head = blocks[: HOME_BLOCKS - len(tail) - 1]
    while head and (
        isinstance(head[-1], (DividerBlock, HeaderBlock))
        or (isinstance(head[-1], dict) and head[-1].get("type") in ("divider", "header"))
    ):
        head.pop()  # no heading left without what it heads
    note = ContextBlock(
        block_id="home_more",
        elements=[
            MarkdownTextObject(
                text=_(
                    ":information_source: Not everything fits on your App Home: the older parts "
                    "are left out here. *Download my data* has all of it."
                )
            )
        ],
    )
    return [*head, note, *tail]
