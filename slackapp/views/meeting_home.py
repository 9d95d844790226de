"""Stage 3 on the App Home: the employee's open request and concerns; what waits on a manager."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from models import Concern, MeetingRequest, MeetingStatus, Person
from slackapp.services.meetings import proposed_times
from slackapp.views.meeting_messages import (
    ACCEPT,
    DECLINE,
    PROPOSE,
    SECTION_MAX,
    context,
    mention,
    section,
    when,
)
from slackapp.views.words import plural, shortened_typed

# A request's status in words: the enum's own names are not for people.
STATUS_WORDS = {
    MeetingStatus.DRAFT: "not sent yet",
    MeetingStatus.PENDING: "waiting for their answer",
    MeetingStatus.COUNTER_PROPOSED: "they proposed another time",
    MeetingStatus.ACCEPTED: "accepted",
    MeetingStatus.DECLINED: "declined",
    MeetingStatus.CANCELLED: "cancelled",
    MeetingStatus.EXPIRED: "expired without an answer",
    MeetingStatus.NOT_MANAGER: "they said they aren't your manager",
}


def status_line(request: MeetingRequest, *, employee: Person, manager: Person) -> str:
    status = MeetingStatus(request.status)
    if status is MeetingStatus.PENDING:
        return f"Waiting for {mention(manager)} to answer your meeting request."
    if status is MeetingStatus.COUNTER_PROPOSED and request.counter_time is not None:
        return (
            f"{mention(manager)} proposed {when(request.counter_time, employee.tz)} "
            "(your time). Accept it or propose another time."
        )
    if status is MeetingStatus.ACCEPTED and request.accepted_time is not None:
        return f"Meeting with {mention(manager)}: {when(request.accepted_time, employee.tz)} (your time)."
    # Never an empty section (Slack refuses it), whatever state the row is in.
    return f"Your meeting request to {mention(manager)}: {STATUS_WORDS.get(status, 'closed')}."


def employee_request_blocks(
    request: MeetingRequest, *, employee: Person, manager: Person, meeting_over: bool
) -> list[Block]:
    """The open request with what the employee can do with it (home and status modal)."""
    blocks: list[Block] = [
        section(status_line(request, employee=employee, manager=manager), "meeting_status")
    ]
    buttons: list[ButtonElement] = []
    rid = str(request.id)
    if request.status == MeetingStatus.COUNTER_PROPOSED:
        buttons += [
            ButtonElement(
                text=ACCEPT, action_id="meeting_counter_accept", value=rid, style="primary"
            ),
            ButtonElement(text=PROPOSE, action_id="meeting_counter_propose", value=rid),
        ]
    if request.status == MeetingStatus.ACCEPTED and meeting_over:
        buttons.append(
            ButtonElement(
                text="How did it go?",
                action_id="meeting_outcome_open",
                value=rid,
                style="primary",
            )
        )
    else:
        buttons.append(ButtonElement(text="Cancel request", action_id="meeting_cancel", value=rid))
    blocks.append(ActionsBlock(block_id="meeting_status_actions", elements=buttons))
    return blocks


def concern_blocks(concerns: list[Concern], *, limit: int = 20) -> list[Block]:
    """Concerns as tickable items; ticked ones are addressed."""
    if not concerns:
        return []
    open_count = sum(1 for concern in concerns if concern.addressed_at is None)
    blocks: list[Block] = [
        HeaderBlock(block_id="meeting_concerns_header", text="Concerns to address"),
        context(
            f"{open_count} of {len(concerns)} still open. Raised by your manager; tick each "
            "one off when you've addressed it."
            + (f" Showing the latest {limit}." if len(concerns) > limit else "")
        ),
    ]
    for concern in concerns[-limit:]:
        addressed = Option(text="Addressed", value=str(concern.id))
        blocks.append(
            SectionBlock(
                block_id=f"meeting_concern_{concern.id}",
                text=MarkdownTextObject(
                    text=shortened_typed(
                        concern.text,
                        SECTION_MAX,
                        "Download my data has it in full",
                        one_line=True,
                        wrap="~" if concern.addressed_at is not None else "",
                    )
                ),
                accessory=CheckboxesElement(
                    action_id="meeting_concern_tick",
                    options=[addressed],
                    initial_options=[addressed] if concern.addressed_at is not None else None,
                ),
            )
        )
    return blocks


def manager_home_blocks(
    requests: list[tuple[MeetingRequest, Person]], *, manager: Person, limit: int = 10
) -> list[Block]:
    """For a manager: the meeting requests waiting on them, with the same buttons as the DM."""
    if not requests:
        return []
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(block_id="meeting_waiting_header", text="Meeting requests waiting on you"),
    ]
    for request, employee in requests[:limit]:
        times = ", ".join(when(moment, manager.tz) for moment in proposed_times(request))
        blocks.append(
            section(
                f"{mention(employee)} asked for a private conversation. Proposed: {times}.",
                f"meeting_waiting_{request.id}",
            )
        )
        blocks.append(
            ActionsBlock(
                block_id=f"meeting_waiting_actions_{request.id}",
                elements=[
                    ButtonElement(
                        text=ACCEPT,
                        action_id="meeting_accept",
                        value=str(request.id),
                        style="primary",
                    ),
                    ButtonElement(text=PROPOSE, action_id="meeting_propose", value=str(request.id)),
                    ButtonElement(text=DECLINE, action_id="meeting_decline", value=str(request.id)),
                ],
            )
        )
    if len(requests) > limit:
        more = plural(len(requests) - limit, "more meeting request")
        blocks.append(context(f"And {more}: each is in your messages from Second Chance."))
    return blocks
