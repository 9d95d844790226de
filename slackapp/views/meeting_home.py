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
from slackapp.views.i18n import N_, _, ngettext
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
from slackapp.views.words import shortened_typed

# A request's status in words: the enum's own names are not for people.
STATUS_WORDS = {
    MeetingStatus.DRAFT: N_("not sent yet"),
    MeetingStatus.PENDING: N_("waiting for their answer"),
    MeetingStatus.COUNTER_PROPOSED: N_("they proposed another time"),
    MeetingStatus.ACCEPTED: "accepted",
    MeetingStatus.DECLINED: "declined",
    MeetingStatus.CANCELLED: "cancelled",
    MeetingStatus.EXPIRED: N_("expired without an answer"),
    MeetingStatus.NOT_MANAGER: N_("they said they aren't your manager"),
}


def status_line(request: MeetingRequest, *, employee: Person, manager: Person) -> str:
    status = MeetingStatus(request.status)
    if status is MeetingStatus.PENDING:
        return _("Waiting for {mention} to answer your meeting request.").format(
            mention=mention(manager)
        )
    if status is MeetingStatus.COUNTER_PROPOSED and request.counter_time is not None:
        return _(
            "{mention} proposed {when} (your time). Accept it or propose another time."
        ).format(mention=mention(manager), when=when(request.counter_time, employee.tz))
    if status is MeetingStatus.ACCEPTED and request.accepted_time is not None:
        return _("Meeting with {mention}: {when} (your time).").format(
            mention=mention(manager), when=when(request.accepted_time, employee.tz)
        )
    # Never an empty section (Slack refuses it), whatever state the row is in.
    return _("Your meeting request to {mention}: {status}.").format(
        mention=mention(manager), status=_(STATUS_WORDS.get(status, N_("closed")))
    )


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
                text=_(ACCEPT), action_id="meeting_counter_accept", value=rid, style="primary"
            ),
            ButtonElement(text=_(PROPOSE), action_id="meeting_counter_propose", value=rid),
        ]
    if request.status == MeetingStatus.ACCEPTED and meeting_over:
        buttons.append(
            ButtonElement(
                text=_("How did it go?"),
                action_id="meeting_outcome_open",
                value=rid,
                style="primary",
            )
        )
    else:
        buttons.append(
            ButtonElement(text=_("Cancel request"), action_id="meeting_cancel", value=rid)
        )
    blocks.append(ActionsBlock(block_id="meeting_status_actions", elements=buttons))
    return blocks


def concern_blocks(concerns: list[Concern], *, limit: int = 20) -> list[Block]:
    """Concerns as tickable items; ticked ones are addressed."""
    if not concerns:
        return []
    open_count = sum(1 for concern in concerns if concern.addressed_at is None)
    blocks: list[Block] = [
        HeaderBlock(block_id="meeting_concerns_header", text=_("Concerns to address")),
        context(
            _(
                "{open} of {count} still open. Raised by your manager; tick each one off when "
                "you've addressed it."
            ).format(open=open_count, count=len(concerns))
            + (
                " " + _("Showing the latest {limit}.").format(limit=limit)
                if len(concerns) > limit
                else ""
            )
        ),
    ]
    for concern in concerns[-limit:]:
        addressed = Option(text=_("Addressed"), value=str(concern.id))
        blocks.append(
            SectionBlock(
                block_id=f"meeting_concern_{concern.id}",
                text=MarkdownTextObject(
                    text=shortened_typed(
                        concern.text,
                        SECTION_MAX,
                        _("Download my data has it in full"),
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
        HeaderBlock(block_id="meeting_waiting_header", text=_("Meeting requests waiting on you")),
    ]
    for request, employee in requests[:limit]:
        times = ", ".join(when(moment, manager.tz) for moment in proposed_times(request))
        blocks.append(
            section(
                _("{mention} asked for a private conversation. Proposed: {times}.").format(
                    mention=mention(employee), times=times
                ),
                f"meeting_waiting_{request.id}",
            )
        )
        blocks.append(
            ActionsBlock(
                block_id=f"meeting_waiting_actions_{request.id}",
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
    if len(requests) > limit:
        more = len(requests) - limit
        blocks.append(
            context(
                ngettext(
                    "And {count} more meeting request: each is in your messages from Second "
                    "Chance.",
                    "And {count} more meeting requests: each is in your messages from Second "
                    "Chance.",
                    more,
                ).format(count=more)
            )
        )
    return blocks
