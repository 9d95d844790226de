"""Stage 4's messages: the manager's DM (and its answered / missed / reminder forms), the answer
modal, the feedback the employee receives, and the notes that tell the employee what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackapp.services.feedback_progress import Progress
from slackapp.views.feedback import day
from slackapp.views.i18n import N_, _, ngettext
from slackapp.views.mrkdwn import escape
from slackapp.views.refusal import not_manager_block
from slackapp.views.words import limit_hint
from slackapp.views.working_time import OPEN_AWAY

ANSWER_CALLBACK_ID = "feedback_answer"
GIVE_FEEDBACK = N_("Give feedback")
RATINGS = [
    ("not_yet_on_track", N_("Not yet on track")),
    ("on_track", N_("On track")),
    ("exceeding", N_("Exceeding expectations")),
]
RATING_LABELS = dict(RATINGS)
# The same scale, short, for each expectation both agreed on.
EXPECTATION_RATINGS = [
    ("not_yet_on_track", N_("Not yet on track")),
    ("on_track", N_("On track")),
    ("exceeding", N_("Exceeding")),
]
EXPECTATION_LABELS = dict(EXPECTATION_RATINGS)


def rating_words(rating: str) -> str:
    """A rating as the reader reads it ("On track"); an unknown one as it was stored."""
    label = RATING_LABELS.get(rating)
    return _(label) if label is not None else rating


DISCUSS = N_("I'd like to discuss this in person")
ANSWER_MAX = 3000


@dataclass
class ProgressLines:
    """Progress since the last request, as the manager reads it."""

    since: str | None  # "Tue 3 Mar", None for the first request
    plan_title: str | None = None
    steps_done_total: int = 0
    steps_total: int = 0
    steps_done: list[str] = field(default_factory=list)
    concerns_addressed: list[str] = field(default_factory=list)
    commitments: list[str] = field(default_factory=list)


def progress_lines(progress: Progress, tz: str) -> ProgressLines:
    """What the request shows of the employee's progress, its date in the manager's zone."""
    return ProgressLines(
        since=day(progress.since, tz) if progress.since else None,
        plan_title=progress.plan_title,
        steps_done_total=progress.steps_done_total,
        steps_total=progress.steps_total,
        steps_done=progress.steps_done,
        concerns_addressed=progress.concerns_addressed,
        commitments=progress.commitments,
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bullets(items: list[str], limit: int = 5) -> str:
    shown = [f"• {escape(item, limit=200, one_line=True)}" for item in items[:limit]]
    if len(items) > limit:
        shown.append(_("• …and {count} more").format(count=len(items) - limit))
    return "\n".join(shown)


def progress_text(progress: ProgressLines) -> str:
    heading = (
        _("*Progress since the last request* ({day})").format(day=progress.since)
        if progress.since
        else _("*Progress so far*")
    )
    parts = [heading]
    if progress.plan_title:
        parts.append(
            ngettext(
                "Repair plan “{title}”: {done} of {count} step done.",
                "Repair plan “{title}”: {done} of {count} steps done.",
                progress.steps_total,
            ).format(
                title=escape(progress.plan_title, one_line=True),
                done=progress.steps_done_total,
                count=progress.steps_total,
            )
        )
    if progress.steps_done:
        parts.append(_("*Steps done:*") + "\n" + _bullets(progress.steps_done))
    if progress.concerns_addressed:
        parts.append(_("*Concerns addressed:*") + "\n" + _bullets(progress.concerns_addressed))
    if progress.commitments:
        parts.append(_("*Commitments:*") + "\n" + _bullets(progress.commitments))
    if len(parts) == 1:
        parts.append(_("Nothing new recorded since then."))
    return _clip("\n".join(parts), 2900)


def questions_text(questions: list[str]) -> str:
    lines = "\n".join(
        f"{n}. {escape(q, limit=200, one_line=True)}" for n, q in enumerate(questions, start=1)
    )
    return _(
        "*Their questions*\n{lines}\nAnd a rating: Not yet on track, On track, or Exceeding expectations."
    ).format(lines=lines)


def expectations_text(expectations: list[str]) -> str:
    return (
        _("*What you both agreed they would do*")
        + "\n"
        + _bullets(expectations)
        + "\n"
        + _("You can rate each one: Not yet on track, On track, or Exceeding.")
    )


def asked_text(employee_user_id: str) -> str:
    return _("<@{employee}> asked for your feedback").format(employee=employee_user_id)


def request_dm(
    *,
    employee_user_id: str,
    request_id: int,
    questions: list[str],
    progress: ProgressLines | None,
    now_request: bool,
    ask_if_manager: bool = False,
    expectations: list[str] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """The manager's DM: who asks, their progress, the questions, and the Give feedback button."""
    headline = asked_text(employee_user_id)
    intro = (
        _("*<@{employee}> asked for your feedback* (a one-off request, outside their schedule).")
        if now_request
        else _("*<@{employee}> asked for your feedback*.")
    ).format(employee=employee_user_id)
    blocks: list[Block] = [
        SectionBlock(block_id="feedback_asked", text=MarkdownTextObject(text=intro))
    ]
    if progress is not None:
        blocks.append(
            SectionBlock(
                block_id="feedback_progress", text=MarkdownTextObject(text=progress_text(progress))
            )
        )
    if expectations:
        blocks.append(
            SectionBlock(
                block_id="feedback_expectations",
                text=MarkdownTextObject(text=expectations_text(expectations)),
            )
        )
    blocks += [
        SectionBlock(
            block_id="feedback_questions", text=MarkdownTextObject(text=questions_text(questions))
        ),
        ActionsBlock(
            block_id="feedback_actions",
            elements=[
                ButtonElement(
                    text=_(GIVE_FEEDBACK),
                    action_id="feedback_give",
                    value=str(request_id),
                    style="primary",
                ),
                # In a menu, so Give feedback stays the one button: away is the rarer answer.
                OverflowMenuElement(
                    action_id=OPEN_AWAY,
                    options=[Option(value="away", text=_("I'm away until…"))],
                ),
            ],
        ),
        ContextBlock(
            block_id="feedback_only_you",
            elements=[
                MarkdownTextObject(
                    text=_(
                        "Only you can answer. Your answer goes to them and into their private "
                        "feedback history."
                    )
                )
            ],
        ),
    ]
    if ask_if_manager:  # above the closing "Only you can answer" line
        blocks.insert(
            -1,
            not_manager_block(
                kind="feedback", request_id=request_id, employee_user_id=employee_user_id
            ),
        )
    return headline, [b.to_dict() for b in blocks]


def closed_dm(
    *, employee_user_id: str, note: str, questions: list[str] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """The DM after it is answered or missed: the same headline, a note, and no button."""
    headline = asked_text(employee_user_id)
    blocks: list[Block] = [
        SectionBlock(block_id="feedback_asked", text=MarkdownTextObject(text=f"*{headline}*."))
    ]
    if questions:
        blocks.append(
            SectionBlock(
                block_id="feedback_questions",
                text=MarkdownTextObject(text=questions_text(questions)),
            )
        )
    blocks.append(
        ContextBlock(block_id="feedback_status", elements=[MarkdownTextObject(text=note)])
    )
    return f"{headline}: {note}", [b.to_dict() for b in blocks]


def answered_note(rating_label: str, on: str, employee_user_id: str) -> str:
    return _(
        ":white_check_mark: You answered on {day}: *{rating}*. Your feedback has gone to "
        "<@{employee}>. Thank you."
    ).format(day=on, rating=rating_label, employee=employee_user_id)


MISSED_NOTE = N_(
    ":hourglass: Closed without an answer: a newer request replaced it, so there's nothing "
    "to answer here."
)


def nudge_dm(
    *, employee_user_id: str, request_id: int, asked_on: str
) -> tuple[str, list[dict[str, Any]]]:
    text = _(
        "A gentle reminder: <@{employee}> is still hoping for your feedback (asked on {day}). It takes a minute, and it means a lot to them."
    ).format(employee=employee_user_id, day=asked_on)
    blocks: list[Block] = [
        SectionBlock(block_id="feedback_nudge", text=MarkdownTextObject(text=text)),
        ActionsBlock(
            block_id="feedback_actions",
            elements=[
                ButtonElement(
                    text=_(GIVE_FEEDBACK),
                    action_id="feedback_give",
                    value=str(request_id),
                    style="primary",
                )
            ],
        ),
    ]
    return text, [b.to_dict() for b in blocks]


def expectation_block(number: int) -> str:
    return f"expectation_rating_{number}"


def answer_modal(
    *,
    request_id: int,
    employee_user_id: str,
    questions: list[str],
    expectations: list[str] | None = None,
) -> dict[str, Any]:
    options = [Option(value=value, text=_(label)) for value, label in RATINGS]
    short = [Option(value=value, text=_(label)) for value, label in EXPECTATION_RATINGS]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=_(
                    "<@{employee}> asked for your feedback. Your answer goes to them and into their feedback history; nobody else sees it."
                ).format(employee=employee_user_id)
            )
        ),
        InputBlock(
            block_id="rating",
            label=_("How are they doing?"),
            element=RadioButtonsElement(action_id="value", options=options),
        ),
    ]
    for number, expectation in enumerate(expectations or []):
        blocks.append(
            InputBlock(
                block_id=expectation_block(number),
                label=_clip(expectation, 2000),
                optional=True,
                hint=_("One of the expectations you both agreed on.") if number == 0 else None,
                element=RadioButtonsElement(action_id="value", options=short),
            )
        )
    for number, question in enumerate(questions):
        blocks.append(
            InputBlock(
                block_id=f"answer_{number}",
                label=_clip(question, 2000),
                optional=True,
                hint=limit_hint(ANSWER_MAX),
                element=PlainTextInputElement(
                    action_id="value", multiline=True, max_length=ANSWER_MAX
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id="discuss",
            label=_("In person"),
            optional=True,
            element=CheckboxesElement(
                action_id="value", options=[Option(value="yes", text=_(DISCUSS))]
            ),
        )
    )
    return View(
        type="modal",
        callback_id=ANSWER_CALLBACK_ID,
        title=_("Give feedback"),
        submit=_("Send feedback"),
        close=_("Cancel"),
        private_metadata=str(request_id),
        blocks=blocks,
    ).to_dict()


def read_answer_values(
    values: dict[str, Any], questions: list[str]
) -> tuple[str | None, list[dict[str, str]], bool]:
    def entry(block_id: str) -> dict[str, Any]:
        entries = values.get(block_id) or {}
        return next(iter(entries.values()), {}) if entries else {}

    rating = (entry("rating").get("selected_option") or {}).get("value")
    answers = [
        {"question": q, "answer": entry(f"answer_{n}").get("value") or ""}
        for n, q in enumerate(questions)
    ]
    discuss = any(o.get("value") == "yes" for o in entry("discuss").get("selected_options") or [])
    return rating, answers, discuss


def read_expectation_ratings(
    values: dict[str, Any], expectations: list[str]
) -> list[dict[str, str | None]]:
    """Each expectation with the rating picked for it, None where none was picked."""
    rated: list[dict[str, str | None]] = []
    for number, text in enumerate(expectations):
        entries = values.get(expectation_block(number))
        picked: Any = (
            next(iter(entries.values()), {}) if isinstance(entries, dict) and entries else {}
        )
        option = picked.get("selected_option") if isinstance(picked, dict) else None
        value = option.get("value") if isinstance(option, dict) else None
        rated.append(
            {"expectation": text, "rating": value if value in EXPECTATION_LABELS else None}
        )
    return rated


def expectation_ratings_text(rated: list[dict[str, str | None]]) -> str:
    """The employee's view of how each expectation was rated."""
    lines = []
    for item in rated:
        label = EXPECTATION_LABELS.get(item.get("rating") or "")
        lines.append(
            "• {text}: {rating}".format(
                text=escape(item.get("expectation"), limit=200, one_line=True),
                rating=f"*{_(label)}*" if label else _("_not rated_"),
            )
        )
    return _("*What you both agreed*") + "\n" + "\n".join(lines)


def feedback_for_employee(
    *,
    manager_user_id: str,
    rating_mark: str,
    rating_label: str,
    answers: list[dict[str, str]],
    discuss: bool,
    expectation_ratings: list[dict[str, str | None]] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    headline = _("<@{manager}> sent you feedback").format(manager=manager_user_id)
    blocks: list[Block] = [
        SectionBlock(
            block_id="feedback_received",
            text=MarkdownTextObject(text=f"*{headline}*\n{rating_mark} *{rating_label}*"),
        )
    ]
    if expectation_ratings:
        blocks.append(
            SectionBlock(
                block_id="feedback_expectations",
                text=MarkdownTextObject(text=expectation_ratings_text(expectation_ratings)),
            )
        )
    for qa in answers:
        typed = (qa.get("answer") or "").strip()
        answer = escape(typed, limit=2400) if typed else _("_No answer_")
        question = escape(qa.get("question"), limit=300, one_line=True)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{question}*\n{answer}")))
    if discuss:
        blocks.append(
            SectionBlock(
                text=MarkdownTextObject(
                    text=_(
                        ":speech_balloon: <@{manager}> would like to discuss this in person."
                    ).format(manager=manager_user_id)
                )
            )
        )
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(text=_("It's saved in your feedback history on the App Home."))
            ]
        )
    )
    return f"{headline}: {rating_label}", [b.to_dict() for b in blocks]


def unreachable_text(manager_user_id: str) -> str:
    return _(
        "I couldn't deliver your feedback request to <@{manager}>: Slack says their account is deactivated or no longer in this workspace. I've paused your feedback requests so nothing else gets lost. If you have a new manager, choose *Change* on the App Home and pick them: saving starts the requests again."
    ).format(manager=manager_user_id)


def missed_text(*, manager_user_id: str, dates: list[str], next_send: str | None) -> str:
    if len(dates) == 1:
        text = _(
            "Sorry: while Second Chance was offline, your feedback request to <@{manager}> due "
            "{day} couldn't go out on time. Rather than send it late, I've marked it missed."
        ).format(manager=manager_user_id, day=dates[0])
    else:
        text = ngettext(
            "Sorry: while Second Chance was offline, {count} feedback request to <@{manager}> "
            "({days}) couldn't go out on time. Rather than send it late, I've marked it missed.",
            "Sorry: while Second Chance was offline, {count} feedback requests to <@{manager}> "
            "({days}) couldn't go out on time. Rather than send them late, I've marked them "
            "missed.",
            len(dates),
        ).format(count=len(dates), manager=manager_user_id, days=", ".join(dates[:5]))
    if next_send:
        text += " " + _("Your next request goes out on {when}.").format(when=next_send)
    return text


def already_waiting_text(manager_user_id: str, asked_on: str | None, permalink: str | None) -> str:
    if asked_on is None:
        return _(
            "A feedback request to <@{manager}> is already on its way. I won't stack another on top of it."
        ).format(manager=manager_user_id)
    if permalink:
        return _(
            "<@{manager}> already has a feedback request from you waiting (sent {day}). "
            "<{link}|Here it is.> I won't stack another on top; once they answer, you can ask "
            "again."
        ).format(manager=manager_user_id, day=asked_on, link=permalink)
    return _(
        "<@{manager}> already has a feedback request from you waiting (sent {day}). I won't "
        "stack another on top; once they answer, you can ask again."
    ).format(manager=manager_user_id, day=asked_on)
