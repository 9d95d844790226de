"""Stage 3's modals: compose, review (the excuse check and the preview), and the answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    TimePickerElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from models import MeetingRequest, Person
from slackapp.kernel.recurrence import DEFAULT_TIME
from slackapp.services.meeting_draft import MESSAGE_MAX
from slackapp.services.meetings import MAX_TIMES, proposed_times
from slackapp.views import expectations
from slackapp.views.i18n import N_, _
from slackapp.views.meeting_home import employee_request_blocks
from slackapp.views.meeting_messages import when
from slackapp.views.words import limit_hint, zone_label

COMPOSE = "meeting_compose"
REVIEW = "meeting_review"
ACCEPT_CHOOSER = "meeting_accept_choose"
PROPOSE_MODAL = "meeting_propose"
DECLINE_MODAL = "meeting_decline"
OUTCOME = "meeting_outcome"
STATUS = "meeting_status"
MANAGER_BLOCK = "meeting_manager"
MESSAGE_BLOCK = "meeting_message"
SHARE_BLOCK = "meeting_share"
SHARE_CHANGED = "meeting_share_changed"
NOTE_MAX = 1000  # a counter-proposal's note, or a decline's reason
CONCERNS_MAX = 3000


# The labels of the proposed times, one per time (MAX_TIMES of them).
CHOICES = (N_("First choice"), N_("Second choice"), N_("Third choice"))


def draft_revision(metadata: dict[str, Any]) -> int:
    """How many times the message was drafted again in this modal (its metadata counts)."""
    rev = metadata.get("rev")
    return rev if isinstance(rev, int) and not isinstance(rev, bool) and 0 <= rev < 1000 else 0


def date_block(i: int) -> str:
    return f"meeting_date_{i}"


def time_block(i: int) -> str:
    return f"meeting_time_{i}"


def _modal(**kwargs: Any) -> dict[str, Any]:
    return View(type="modal", **kwargs).to_dict()


def _section(text: str, block_id: str | None = None) -> SectionBlock:
    return SectionBlock(block_id=block_id, text=MarkdownTextObject(text=text))


def _context(text: str, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(block_id=block_id, elements=[MarkdownTextObject(text=text)])


@dataclass
class ComposeForm:
    """Everything the compose modal shows; rebuilt from the view state when the manager changes."""

    manager_user_id: str | None = None
    manager_tz: str | None = None  # known once the manager is checked
    manager_problem: str | None = None  # why the chosen person cannot receive the request
    dates: list[str | None] = field(default_factory=lambda: [None] * MAX_TIMES)
    times: list[str | None] = field(default_factory=lambda: [None] * MAX_TIMES)
    message: str = ""
    steps_count: int = 0
    commitments_count: int = 0
    share: set[str] = field(default_factory=lambda: {"steps", "commitments"})
    metadata: dict[str, Any] = field(default_factory=dict)


def compose_modal(form: ComposeForm) -> dict[str, Any]:
    tz = form.manager_tz
    if form.manager_problem:
        zone_line = f":warning: {form.manager_problem}"
    elif tz and form.manager_user_id:
        zone_line = _(
            ":globe_with_meridians: Times are in <@{manager}>'s time zone: *{zone}*. They'll see them exactly as you pick them."
        ).format(manager=form.manager_user_id, zone=zone_label(tz))
    else:
        zone_line = _(
            "Choose your manager first: the times you propose are read in their time zone."
        )
    blocks: list[Block] = [
        _section(
            _(
                "Ask for a private conversation, and soon. Own the mistake and its impact, make no "
                "excuses, bring your plan, and be ready to listen. Nothing is sent until you've "
                "seen exactly what your manager will get."
            )
        ),
        InputBlock(
            block_id=MANAGER_BLOCK,
            label=_("Your manager"),
            dispatch_action=True,
            element=UserSelectElement(
                action_id="meeting_manager_select",
                placeholder=_("Choose the person you report to"),
                initial_user=form.manager_user_id,
            ),
        ),
        _context(zone_line, "meeting_zone"),
    ]
    for i in range(1, MAX_TIMES + 1):
        # Slack adds "(optional)" to the label of an optional input itself.
        choice = _(CHOICES[i - 1])
        blocks.append(
            InputBlock(
                block_id=date_block(i),
                label=_("{choice}: day").format(choice=choice),
                optional=i > 1,
                element=DatePickerElement(action_id="date", initial_date=form.dates[i - 1]),
            )
        )
        blocks.append(
            InputBlock(
                block_id=time_block(i),
                label=(
                    _("{choice}: time ({zone})").format(choice=choice, zone=zone_label(tz))
                    if tz
                    else _("{choice}: time").format(choice=choice)
                ),
                optional=i > 1,
                element=TimePickerElement(
                    action_id="time", initial_time=form.times[i - 1], timezone=tz
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=MESSAGE_BLOCK,
            label=_("Your message"),
            hint=limit_hint(
                MESSAGE_MAX,
                _("A draft from your plan and reflection. Make it yours: own it, no excuses."),
            ),
            element=PlainTextInputElement(
                # A new draft needs a new action_id: Slack keeps what an input held across an
                # update while its block_id and action_id stay the same.
                action_id=f"message_{draft_revision(form.metadata)}",
                multiline=True,
                max_length=MESSAGE_MAX,
                initial_value=form.message or None,
            ),
        )
    )
    options = []
    if form.steps_count:
        options.append(
            Option(
                text=_("My repair steps ({count})").format(count=form.steps_count), value="steps"
            )
        )
    if form.commitments_count:
        options.append(
            Option(
                text=_("My commitments ({count})").format(count=form.commitments_count),
                value="commitments",
            )
        )
    if options:
        chosen = [option for option in options if option.value in form.share]
        blocks.append(
            InputBlock(
                block_id=SHARE_BLOCK,
                label=_("Share with it"),
                optional=True,
                dispatch_action=True,
                hint=_(
                    "Shared just under your message, so the draft doesn't list it twice. "
                    "Your reflection's private notes are never shared."
                ),
                element=CheckboxesElement(
                    action_id=SHARE_CHANGED, options=options, initial_options=chosen or None
                ),
            )
        )
    return _modal(
        callback_id=COMPOSE,
        title=_("Talk to your boss"),
        submit=_("Review"),
        close=_("Cancel"),
        private_metadata=json.dumps(form.metadata),
        blocks=blocks,
    )


def accept_chooser_modal(request: MeetingRequest, *, manager: Person) -> dict[str, Any]:
    options = [
        Option(text=when(moment, manager.tz), value=str(index))
        for index, moment in enumerate(proposed_times(request))
    ]
    return _modal(
        callback_id=ACCEPT_CHOOSER,
        title=_("Accept the meeting"),
        submit=_("Accept"),
        close=_("Cancel"),
        private_metadata=json.dumps({"request": request.id}),
        blocks=[
            InputBlock(
                block_id="meeting_choice",
                label=_("Which time suits you? ({zone})").format(zone=zone_label(manager.tz)),
                element=RadioButtonsElement(
                    action_id="choice", options=options, initial_option=options[0]
                ),
            )
        ],
    )


def propose_modal(
    request: MeetingRequest,
    *,
    by: str,
    tz: str,
    intro: str,
    day: date | None = None,
    moving: bool = False,
) -> dict[str, Any]:
    """Propose another time: read in the manager's zone, whoever proposes. `day` starts the
    picker on a working day, at the working-hours time that goes with it. `moving`: for a
    meeting already accepted (a new time for it)."""
    meta: dict[str, Any] = {"request": request.id, "by": by}
    if moving:
        meta["move"] = True
    return _modal(
        callback_id=PROPOSE_MODAL,
        title=_("Propose another time"),
        submit=_("Propose"),
        close=_("Cancel"),
        private_metadata=json.dumps(meta),
        blocks=[
            _section(intro),
            InputBlock(
                block_id="propose_date",
                label=_("Day"),
                element=DatePickerElement(
                    action_id="date", initial_date=day.isoformat() if day else None
                ),
            ),
            InputBlock(
                block_id="propose_time",
                label=_("Time ({zone})").format(zone=zone_label(tz)),
                element=TimePickerElement(
                    action_id="time",
                    timezone=tz,
                    initial_time=f"{DEFAULT_TIME:%H:%M}" if day else None,
                ),
            ),
            InputBlock(
                block_id="propose_note",
                label=_("A note"),
                optional=True,
                hint=limit_hint(NOTE_MAX),
                element=PlainTextInputElement(
                    action_id="note", multiline=True, max_length=NOTE_MAX
                ),
            ),
        ],
    )


def decline_modal(request: MeetingRequest, *, employee: Person) -> dict[str, Any]:
    return _modal(
        callback_id=DECLINE_MODAL,
        title=_("Decline the meeting"),
        submit=_("Decline"),
        close=_("Cancel"),
        private_metadata=json.dumps({"request": request.id}),
        blocks=[
            _section(
                _(
                    "<@{employee}> will be told you declined. A reason helps them know what to do "
                    "next."
                ).format(employee=employee.slack_user_id)
            ),
            InputBlock(
                block_id="decline_reason",
                label=_("Reason"),
                optional=True,
                hint=limit_hint(NOTE_MAX),
                element=PlainTextInputElement(
                    action_id="reason", multiline=True, max_length=NOTE_MAX
                ),
            ),
        ],
    )


def outcome_modal(
    request: MeetingRequest, *, manager: Person, message: tuple[str, str] | None
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"request": request.id}
    if message:
        metadata["channel"], metadata["ts"] = message
    return _modal(
        callback_id=OUTCOME,
        title=_("How did it go?"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=json.dumps(metadata),
        blocks=[
            _section(
                _(
                    "Listening to <@{manager}>'s concerns is part of earning back trust. Write "
                    "down each concern they raised; each becomes an item you can tick off on your "
                    "App Home."
                ).format(manager=manager.slack_user_id)
            ),
            InputBlock(
                block_id="outcome_concerns",
                label=_("Concerns they raised (one per line)"),
                optional=True,
                hint=limit_hint(CONCERNS_MAX, _("All of them together.")),
                element=PlainTextInputElement(
                    action_id="concerns", multiline=True, max_length=CONCERNS_MAX
                ),
            ),
            _section(expectations.outcome_intro(manager.slack_user_id)),
            *expectations.input_blocks([]),
        ],
    )


def status_modal(
    request: MeetingRequest, *, employee: Person, manager: Person, now: datetime
) -> dict[str, Any]:
    """/secondchance meeting while a request is still open: where it stands, what to do."""
    meeting_over = request.accepted_time is not None and request.accepted_time <= now
    return _modal(
        callback_id=STATUS,
        title=_("Talk to your boss"),
        close=_("Close"),
        private_metadata=json.dumps({"request": request.id}),
        blocks=employee_request_blocks(
            request, employee=employee, manager=manager, meeting_over=meeting_over
        ),
    )


def notice_modal(title: str, text: str) -> dict[str, Any]:
    return _modal(
        callback_id="meeting_notice", title=title, close=_("Close"), blocks=[_section(text)]
    )
