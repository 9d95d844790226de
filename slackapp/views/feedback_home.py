"""Step 4 on the App Home: the employee's schedule, controls and history; the manager's queue."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from slackapp.views.mrkdwn import escape, quote


@dataclass
class HistoryItem:
    asked: str  # the day it was due, in the employee's zone
    status: str
    rating: str | None = None
    rating_label: str | None = None
    answers: list[dict[str, str]] = field(default_factory=list)
    discuss: bool = False


RATING_MARK = {
    "not_yet_on_track": ":large_orange_circle:",
    "on_track": ":large_green_circle:",
    "exceeding": ":star2:",
}


@dataclass
class ScheduleCard:
    cadence_id: int
    manager_user_id: str
    summary: str  # "Every 2 weeks on Tuesday at 09:00 (America/New_York)"
    status: str
    next_send: str | None
    ends: str
    paused_note: str | None = None
    waiting_note: str | None = None


def _controls(card: ScheduleCard) -> ActionsBlock:
    value = str(card.cadence_id)
    toggle = (
        ButtonElement(text="Resume", action_id="feedback_resume", value=value, style="primary")
        if card.status == "paused"
        else ButtonElement(text="Pause", action_id="feedback_pause", value=value)
    )
    return ActionsBlock(
        block_id="feedback_controls",
        elements=[
            toggle,
            ButtonElement(text="Change", action_id="feedback_change", value=value),
            ButtonElement(
                text="Stop",
                action_id="feedback_stop",
                value=value,
                style="danger",
                confirm=ConfirmObject(
                    title="Stop feedback requests?",
                    text="No more requests will go out. Your history stays.",
                    confirm="Stop them",
                    deny="Keep them",
                ),
            ),
            ButtonElement(
                text="Request feedback now", action_id="feedback_request_now", value=value
            ),
        ],
    )


def employee_home_blocks(
    card: ScheduleCard | None,
    history: list[HistoryItem],
    trend: str | None,
    preview: list[Block] | None = None,
) -> list[Block]:
    """preview (feedback_preview.home_preview_blocks) goes under the schedule's controls."""
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text="Feedback requests")]
    if card is None:
        blocks.append(
            SectionBlock(
                block_id="feedback_schedule",
                text=MarkdownTextObject(text="No feedback requests are scheduled."),
                accessory=ButtonElement(
                    text="Set up", action_id="feedback_setup", value="feedback", style="primary"
                ),
            )
        )
    else:
        lines = [f"*{card.summary}* to <@{card.manager_user_id}>"]
        if card.paused_note:
            lines.append(f":double_vertical_bar: *Paused.* {card.paused_note}")
        elif card.next_send:
            lines.append(f"Next request: {card.next_send}")
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
        title = "*Your feedback history* (newest first)"
        if ratings:
            title += "\nRatings over time: " + " → ".join(ratings)
            if trend:
                title += f" ({trend})"
        blocks.append(
            SectionBlock(block_id="feedback_history", text=MarkdownTextObject(text=title))
        )
        for item in history:
            blocks.append(SectionBlock(text=MarkdownTextObject(text=_history_text(item))))
    return blocks


def _history_text(item: HistoryItem) -> str:
    if item.status == "answered":
        lines = [f"*{item.asked}* · {RATING_MARK.get(item.rating or '', '')} {item.rating_label}"]
        for qa in item.answers:
            typed = (qa.get("answer") or "").strip()
            answer = quote(typed, limit=400) if typed else ">_No answer_"
            lines.append(f"_{escape(qa.get('question'), limit=300, one_line=True)}_\n{answer}")
        if item.discuss:
            lines.append(":speech_balloon: Your manager would like to discuss this in person.")
        return _clip("\n".join(lines), 2900)
    if item.status == "missed":
        return f"*{item.asked}* · Missed: no answer came before the next request."
    return f"*{item.asked}* · Waiting for your manager's answer."


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def manager_home_blocks(waiting: list[tuple[int, str, str]]) -> list[Block]:
    """(request id, employee user id, asked on) for each request waiting on this manager."""
    if not waiting:
        return []
    blocks: list[Block] = [DividerBlock(), HeaderBlock(text="Feedback waiting on you")]
    for request_id, employee_user_id, asked in waiting[:10]:
        blocks.append(
            SectionBlock(
                block_id=f"feedback_waiting_{request_id}",
                text=MarkdownTextObject(
                    text=f"<@{employee_user_id}> asked for your feedback on {asked}."
                ),
                accessory=ButtonElement(
                    text="Give feedback",
                    action_id="feedback_give",
                    value=str(request_id),
                    style="primary",
                ),
            )
        )
    return blocks
