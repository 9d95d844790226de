"""Stage 4 on the App Home: the employee's schedule, controls and history; the manager's queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackapp.views.i18n import N_, _, ngettext
from slackapp.views.mrkdwn import escape
from slackapp.views.words import shortened, shortened_typed


@dataclass
class HistoryItem:
    asked: str  # the day it was due, in the employee's zone
    status: str
    rating: str | None = None
    rating_label: str | None = None
    answers: list[dict[str, str]] = field(default_factory=list)
    discuss: bool = False
    expectation_ratings: list[dict[str, str | None]] = field(default_factory=list)


# Where the whole of a shortened answer is: the DM it came in.
READ_ANSWER = N_("your messages from Second Chance have the whole answer")

# One coloured square per request in the trend row; white where there is no rating.
TREND_MARK = {
    "not_yet_on_track": ":large_orange_square:",
    "on_track": ":large_green_square:",
    "exceeding": ":large_blue_square:",
}
NO_MARK = ":white_large_square:"


GLANCE_ROWS = 6  # expectations shown at a glance (and in the chart), the first ones rated


def glance_rows(history: list[HistoryItem]) -> list[str]:
    """The expectations "At a glance" has a line for, in its order: each one rated in an
    answered request, oldest first, at most GLANCE_ROWS."""
    seen: dict[str, None] = {}
    for item in reversed(history):
        if item.status == "answered":
            for rated in item.expectation_ratings:
                seen.setdefault(rated.get("expectation") or "", None)
    return list(seen)[:GLANCE_ROWS]


def trend_text(history: list[HistoryItem]) -> str | None:
    """At a glance, oldest first: the overall rating of each request, then each expectation
    both agreed on, one square per request that listed it."""
    oldest_first = list(reversed(history))
    answered = [item for item in oldest_first if item.status == "answered"]
    if not answered:
        return None
    overall = "".join(TREND_MARK.get(item.rating or "", NO_MARK) for item in oldest_first)
    lines = [_("*At a glance* (oldest first)"), _("Overall: {marks}").format(marks=overall)]
    rows: dict[str, list[str]] = {}
    for item in answered:
        for rated in item.expectation_ratings:
            text = rated.get("expectation") or ""
            rows.setdefault(text, []).append(TREND_MARK.get(rated.get("rating") or "", NO_MARK))
    for text in glance_rows(history):
        lines.append(f"{escape(text, limit=300, one_line=True)}: {''.join(rows[text])}")
    lines.append(
        _(
            "{not_yet} Not yet on track · {on_track} On track · {exceeding} Exceeding · {none} No rating"
        ).format(
            not_yet=TREND_MARK["not_yet_on_track"],
            on_track=TREND_MARK["on_track"],
            exceeding=TREND_MARK["exceeding"],
            none=NO_MARK,
        )
    )
    return "\n".join(lines)


RATING_MARK = {
    "not_yet_on_track": ":large_orange_circle:",
    "on_track": ":large_green_circle:",
    "exceeding": ":star2:",
}


@dataclass
class ScheduleCard:
    schedule_id: int
    manager_user_id: str
    summary: str  # "Every 2 weeks on Tuesday at 09:00 (America/New_York)"
    status: str
    next_send: str | None
    ends: str
    paused_note: str | None = None
    waiting_note: str | None = None


def _controls(card: ScheduleCard) -> ActionsBlock:
    value = str(card.schedule_id)
    toggle = (
        ButtonElement(text=_("Resume"), action_id="feedback_resume", value=value, style="primary")
        if card.status == "paused"
        else ButtonElement(text=_("Pause"), action_id="feedback_pause", value=value)
    )
    return ActionsBlock(
        block_id="feedback_controls",
        elements=[
            toggle,
            ButtonElement(text=_("Change"), action_id="feedback_change", value=value),
            ButtonElement(
                text=_("Stop"),
                action_id="feedback_stop",
                value=value,
                style="danger",
                confirm=ConfirmObject(
                    title=_("Stop feedback requests?"),
                    text=_("No more requests will go out. Your history stays."),
                    confirm=_("Stop them"),
                    deny=_("Keep them"),
                ),
            ),
            ButtonElement(
                text=_("Request feedback now"), action_id="feedback_request_now", value=value
            ),
        ],
    )


def employee_home_blocks(
    card: ScheduleCard | None,
    history: list[HistoryItem],
    trend: str | None,
    preview: list[Block] | None = None,
    chart: Block | None = None,
) -> list[Block]:
    """preview (feedback_preview.home_preview_blocks) goes under the schedule's controls;
    chart (trend_chart.chart_block) under "At a glance", whose legend it shares."""
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text=_("Feedback requests"))]
    if card is None:
        blocks.append(
            SectionBlock(
                block_id="feedback_schedule",
                text=MarkdownTextObject(text=_("No feedback requests are scheduled.")),
                accessory=ButtonElement(
                    text=_("Set up"), action_id="feedback_setup", value="feedback", style="primary"
                ),
            )
        )
    else:
        lines = [
            _("*{summary}* to <@{manager}>").format(
                summary=card.summary, manager=card.manager_user_id
            )
        ]
        if card.paused_note:
            lines.append(_(":double_vertical_bar: *Paused.* {note}").format(note=card.paused_note))
        elif card.next_send:
            lines.append(_("Next request: {when}").format(when=card.next_send))
        lines.append(card.ends)
        if card.waiting_note:
            lines.append(card.waiting_note)
        blocks += [
            SectionBlock(
                block_id="feedback_schedule", text=MarkdownTextObject(text="\n".join(lines))
            ),
            _controls(card),
            *(preview or []),
        ]
    if history:
        ratings = [item.rating_label for item in reversed(history) if item.rating_label]
        title = _("*Your feedback history* (newest first)")
        if ratings:
            title += "\n" + _("Ratings over time: {ratings}").format(ratings=" → ".join(ratings))
            if trend:
                title += f" ({trend})"
        blocks.append(
            SectionBlock(block_id="feedback_history", text=MarkdownTextObject(text=title))
        )
        glance = trend_text(history)
        if glance:
            blocks.append(
                SectionBlock(block_id="feedback_trend", text=MarkdownTextObject(text=glance))
            )
            if chart is not None:
                blocks.append(chart)
        for item in history:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=_history_text(item))))
    return blocks


def _history_text(item: HistoryItem) -> str:
    if item.status == "answered":
        lines = [f"*{item.asked}* · {RATING_MARK.get(item.rating or '', '')} {item.rating_label}"]
        for qa in item.answers:
            typed = (qa.get("answer") or "").strip()
            answer = (
                shortened_typed(typed, 400, _(READ_ANSWER), quoted=True)
                if typed
                else _(">_No answer_")
            )
            lines.append(f"_{escape(qa.get('question'), limit=300, one_line=True)}_\n{answer}")
        if item.discuss:
            lines.append(_(":speech_balloon: Your manager would like to discuss this in person."))
        return shortened("\n".join(lines), 2900, _(READ_ANSWER))
    if item.status == "missed":
        return _("*{asked}* · Missed: no answer came before the next request.").format(
            asked=item.asked
        )
    return _("*{asked}* · Waiting for your manager's answer.").format(asked=item.asked)


def manager_home_blocks(waiting: list[tuple[int, str, str]], *, limit: int = 10) -> list[Block]:
    """(request id, employee user id, asked on) for each request waiting on this manager."""
    if not waiting:
        return []
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(block_id="feedback_waiting_header", text=_("Feedback to give")),
    ]
    for request_id, employee_user_id, asked in waiting[:limit]:
        blocks.append(
            SectionBlock(
                block_id=f"feedback_waiting_{request_id}",
                text=MarkdownTextObject(
                    text=_("<@{employee}> asked for your feedback on {asked}.").format(
                        employee=employee_user_id, asked=asked
                    )
                ),
                accessory=ButtonElement(
                    text=_("Give feedback"),
                    action_id="feedback_give",
                    value=str(request_id),
                    style="primary",
                ),
            )
        )
    if len(waiting) > limit:
        blocks.append(_more_in_messages(len(waiting) - limit))
    return blocks


def _more_in_messages(count: int) -> ContextBlock:
    return ContextBlock(
        elements=[
            MarkdownTextObject(
                text=ngettext(
                    "And {count} more feedback request: each is in your messages from Second "
                    "Chance.",
                    "And {count} more feedback requests: each is in your messages from Second "
                    "Chance.",
                    count,
                ).format(count=count)
            )
        ]
    )


@dataclass
class AskedBy:
    """Someone who named this manager, and their feedback schedule to them if they have one."""

    employee_user_id: str
    schedule: str | None = None  # "Weekly on Tuesday at 09:00 New York time"
    paused: bool = False
    next_request: str | None = None  # "Tue 10 Mar", in the manager's zone


def _asked_line(item: AskedBy) -> str:
    who = f"<@{item.employee_user_id}>"
    if item.schedule is None:
        return _("{who} named you as their manager.").format(who=who)
    if item.paused:
        return _("{who} asks for your feedback: *{schedule}* (paused for now).").format(
            who=who, schedule=item.schedule
        )
    if item.next_request:
        return _("{who} asks for your feedback: *{schedule}*. Next request: {next}.").format(
            who=who, schedule=item.schedule, next=item.next_request
        )
    return _("{who} asks for your feedback: *{schedule}*.").format(who=who, schedule=item.schedule)


def asked_by_blocks(people: list[AskedBy], *, limit: int = 20) -> list[Block]:
    """For a manager: who named them, so they know what will come and from whom."""
    if not people:
        return []
    lines = [_asked_line(item) for item in people[:limit]]
    if len(people) > limit:
        more = len(people) - limit
        lines.append(
            ngettext("And {count} more person.", "And {count} more people.", more).format(
                count=more
            )
        )
    return [
        DividerBlock(),
        HeaderBlock(block_id="feedback_asked_header", text=_("People who asked you")),
        SectionBlock(block_id="feedback_asked_by", text=MarkdownTextObject(text="\n".join(lines))),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_(
                        "You see only what each of them chose to send you. Their plan and "
                        "reflection stay private to them."
                    )
                )
            ]
        ),
    ]
