"""Stage 3's messages: the manager's DM, the employee's answers, reminders (App Home: meeting_home).

Times are always written out in the reader's own time zone, with the zone named.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from models import MeetingRequest, MeetingStatus, Person
from slackapp.services.meetings import proposed_times
from slackapp.views.i18n import N_, _, ngettext
from slackapp.views.mrkdwn import escape, quote
from slackapp.views.refusal import not_manager_block
from slackapp.views.words import moment_in_zone, short_date, zone_label

ACCEPT, PROPOSE, DECLINE = N_("Accept"), N_("Propose another time"), N_("Decline")
SECTION_MAX = 2900


def when(moment: datetime, tz: str) -> str:
    """'Tue 3 Mar, 10:00 EST': a moment as it reads in one time zone."""
    return moment_in_zone(moment, tz)


def mention(person: Person) -> str:
    return f"<@{person.slack_user_id}>"


def cut(text: str, limit: int = SECTION_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=cut(text)))


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=cut(text))])


def dicts(blocks: list[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


# -- the manager's DM ------------------------------------------------------------------------


def shared_blocks(request: MeetingRequest) -> list[Block]:
    shared = request.shared or {}
    blocks: list[Block] = []
    steps = shared.get("steps") or []
    if steps:
        lines = []
        for step in steps:
            mark = ":white_check_mark:" if step.get("done") else ":white_circle:"
            due = ""
            if step.get("due") and not step.get("done"):
                due_date = date.fromisoformat(step["due"])
                due = " " + _("_(by {day})_").format(day=short_date(due_date))
            lines.append(f"{mark} {escape(step['text'], one_line=True)}{due}")
        title = escape(shared.get("plan_title") or _("Repair plan"), one_line=True)
        blocks.append(
            section(
                _("*Repair plan: {title}*").format(title=title) + "\n" + "\n".join(lines),
                "meeting_shared_steps",
            )
        )
    commitments = shared.get("commitments") or []
    if commitments:
        lines = [f"• {escape(text, one_line=True)}" for text in commitments]
        blocks.append(
            section(
                _("*What I will do differently*") + "\n" + "\n".join(lines), "meeting_shared_commit"
            )
        )
    return blocks


def manager_request_blocks(
    request: MeetingRequest,
    *,
    employee: Person,
    manager: Person,
    outcome: str | None = None,
    with_actions: bool = True,
    ask_if_manager: bool = False,
) -> list[Block]:
    """What the manager receives. With an outcome, the buttons give way to what happened."""
    times = proposed_times(request)
    blocks: list[Block] = [
        section(
            _(":wave: {mention} would like a private conversation with you.").format(
                mention=mention(employee)
            )
        ),
        SectionBlock(block_id="meeting_message", text=PlainTextObject(text=cut(request.message))),
        *shared_blocks(request),
    ]
    time_lines = "\n".join(f"• {when(moment, manager.tz)}" for moment in times)
    blocks.append(
        section(
            _("*Proposed times* (in your time zone, {zone})\n{time_lines}").format(
                zone=zone_label(manager.tz), time_lines=time_lines
            ),
            "meeting_times",
        )
    )
    if outcome:
        blocks.append(section(outcome, "meeting_outcome"))
    elif with_actions:
        # One time: Accept takes it. Several: Accept opens a short chooser.
        blocks.append(
            ActionsBlock(
                block_id="meeting_answer",
                elements=[
                    ButtonElement(
                        text=_(ACCEPT),
                        action_id="meeting_accept",
                        value=str(request.id),
                        style="primary",
                    ),
                    ButtonElement(
                        text=_(PROPOSE), action_id="meeting_propose", value=str(request.id)
                    ),
                    ButtonElement(
                        text=_(DECLINE), action_id="meeting_decline", value=str(request.id)
                    ),
                ],
            )
        )
        if ask_if_manager:
            blocks.append(
                not_manager_block(
                    kind="meeting", request_id=request.id, employee_user_id=employee.slack_user_id
                )
            )
    # Once it is settled there is nothing left to answer.
    sent = (
        _("Sent privately to you with Second Chance.")
        if outcome
        else _("Sent privately to you with Second Chance. Only you can answer it.")
    )
    blocks.append(context(sent))
    return blocks


def manager_request_text(employee: Person) -> str:
    return _("{mention} would like a private conversation with you.").format(
        mention=mention(employee)
    )


def manager_outcome(request: MeetingRequest, *, employee: Person, manager: Person) -> str:
    """The line that replaces the manager's buttons once the request is settled."""
    status = MeetingStatus(request.status)
    if status is MeetingStatus.ACCEPTED and request.accepted_time is not None:
        return _(":white_check_mark: *Accepted.* You meet {mention} on *{when}*.").format(
            mention=mention(employee), when=when(request.accepted_time, manager.tz)
        )
    if status is MeetingStatus.COUNTER_PROPOSED and request.counter_time is not None:
        return _(
            ":arrows_counterclockwise: *You proposed another time:* {when}. Waiting for {mention}."
        ).format(when=when(request.counter_time, manager.tz), mention=mention(employee))
    if status is MeetingStatus.DECLINED:
        return _(":no_entry_sign: *You declined this request.*")
    if status is MeetingStatus.CANCELLED:
        return _(":heavy_multiplication_x: *{mention} cancelled this request.*").format(
            mention=mention(employee)
        )
    if status is MeetingStatus.EXPIRED:
        return _(":hourglass: *This request expired without an answer.*")
    if status is MeetingStatus.NOT_MANAGER:
        return _(":heavy_multiplication_x: *You said you aren't {mention}'s manager.*").format(
            mention=mention(employee)
        )
    return ""


# -- the employee's DMs ----------------------------------------------------------------------


def sent_text(manager: Person) -> str:
    return _(
        ":envelope_with_arrow: Your meeting request is on its way to {mention}. I'll tell you as soon as they answer. Asking was the hard part; well done."
    ).format(mention=mention(manager))


def accepted_blocks(
    request: MeetingRequest, *, reader: Person, other: Person, by_reader: bool
) -> list[Block]:
    assert request.accepted_time is not None
    text = (
        _(
            ":white_check_mark: *You accepted the meeting:* {when} (your time). I'll remind you "
            "15 minutes before."
        )
        if by_reader
        else _(
            ":white_check_mark: *{mention} accepted the meeting:* {when} (your time). I'll "
            "remind you 15 minutes before."
        )
    ).format(mention=mention(other), when=when(request.accepted_time, reader.tz))
    blocks: list[Block] = [section(text)]
    if not by_reader:
        blocks.append(
            context(
                _(
                    "Go in ready to listen: let them tell you their concerns, and note each one. "
                    "Afterwards I'll ask how it went, so they become items you can work on."
                )
            )
        )
    return blocks


def counter_blocks(
    request: MeetingRequest, *, employee: Person, manager: Person, with_actions: bool = True
) -> list[Block]:
    assert request.counter_time is not None
    text = _(
        ":arrows_counterclockwise: {mention} proposed another time: *{when}* (your time)."
    ).format(mention=mention(manager), when=when(request.counter_time, employee.tz))
    if request.counter_note:
        text += "\n" + quote(request.counter_note)
    blocks: list[Block] = [section(text, "meeting_counter")]
    if with_actions:
        blocks.append(
            ActionsBlock(
                block_id="meeting_counter_answer",
                elements=[
                    ButtonElement(
                        text=_(ACCEPT),
                        action_id="meeting_counter_accept",
                        value=str(request.id),
                        style="primary",
                    ),
                    ButtonElement(
                        text=_(PROPOSE), action_id="meeting_counter_propose", value=str(request.id)
                    ),
                ],
            )
        )
    return blocks


def counter_settled_blocks(request: MeetingRequest, *, employee: Person) -> list[Block]:
    status = MeetingStatus(request.status)
    if status is MeetingStatus.ACCEPTED and request.accepted_time is not None:
        line = _(":white_check_mark: You accepted: {when}.").format(
            when=when(request.accepted_time, employee.tz)
        )
    elif status is MeetingStatus.PENDING:
        line = _(":arrows_counterclockwise: You proposed another time.")
    elif status is MeetingStatus.CANCELLED:
        line = _(":heavy_multiplication_x: You cancelled this request.")
    else:
        line = _("This request is closed.")
    return [section(line, "meeting_counter")]


def declined_blocks(request: MeetingRequest, *, manager: Person) -> list[Block]:
    text = _("{mention} declined the meeting.").format(mention=mention(manager))
    if request.decline_reason:
        text += "\n" + quote(request.decline_reason)
    return [
        section(text),
        context(
            _(
                "That's hard to hear. Keep going with your plan and your commitments: steady work "
                "speaks for itself. You can ask again later, or ask for feedback in writing."
            )
        ),
    ]


def cancelled_text(employee: Person) -> str:
    return _("{mention} cancelled the meeting you had accepted.").format(mention=mention(employee))


def reminder_text(request: MeetingRequest, *, reader: Person, other: Person) -> str:
    assert request.accepted_time is not None
    return _(
        ":alarm_clock: Your private meeting with {mention} starts in 15 minutes, at {when}."
    ).format(mention=mention(other), when=when(request.accepted_time, reader.tz))


def nudge_text(request: MeetingRequest, *, employee: Person, manager: Person) -> str:
    assert request.sent_at is not None
    return _(
        ":wave: A gentle reminder: {mention} asked for a private conversation on {when} and is waiting for your answer. Their request is above in this conversation, with the times they proposed."
    ).format(mention=mention(employee), when=when(request.sent_at, manager.tz))


def expiry_blocks(request: MeetingRequest, *, manager: Person) -> list[Block]:
    return [
        section(
            _(
                ":hourglass: Your meeting request to {mention} had no answer for a week, so it has expired. Managers get busy; it says nothing about you. You can send it again, perhaps with new times."
            ).format(mention=mention(manager))
        ),
        ActionsBlock(
            block_id="meeting_expired",
            elements=[
                ButtonElement(
                    text=_("Send it again"), action_id="meeting_resend", value=str(request.id)
                )
            ],
        ),
    ]


def followup_blocks(request: MeetingRequest, *, manager: Person, done: bool = False) -> list[Block]:
    if done:
        count = len(request.concerns)
        return [
            section(
                ngettext(
                    ":memo: Thank you. {count} concern from your meeting with {mention} is on "
                    "your App Home to work through.",
                    ":memo: Thank you. {count} concerns from your meeting with {mention} are on "
                    "your App Home to work through.",
                    count,
                ).format(count=count, mention=mention(manager))
                if count
                else _(
                    ":memo: Thank you for telling me how your meeting with {mention} went."
                ).format(mention=mention(manager))
            )
        ]
    return [
        section(
            _(
                ":speech_balloon: How did it go with {mention}? Note the concerns they raised: each becomes an item to address, and you can tick them off as you go."
            ).format(mention=mention(manager))
        ),
        ActionsBlock(
            block_id="meeting_followup",
            elements=[
                ButtonElement(
                    text=_("How did it go?"),
                    action_id="meeting_outcome_open",
                    value=str(request.id),
                    style="primary",
                )
            ],
        ),
    ]
