"""The meeting in both calendars: the words of the .ics (summary, description), the message that
carries the file, and the card beside it with "Add to Google Calendar" / "Add to Outlook" and
what either person can still change.

The description holds only what the employee chose to send their manager (their message, and
the steps and commitments they chose to share); nothing private from the plan or reflection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement

from models import MeetingRequest, Person
from slackapp.services.calendar import Version
from slackapp.views.i18n import N_, _
from slackapp.views.meeting_messages import PROPOSE, context, mention, section, when
from slackapp.views.words import zone_label

GOOGLE_ACTION, OUTLOOK_ACTION = "calendar_google", "calendar_outlook"
MOVE_ACTION, CANCEL_ACTION = "meeting_move", "meeting_cancel"
# A button's url may be 3000 characters; the description in a link is cut well before that.
LINK_DETAILS_MAX = 1200
URL_MAX = 3000


@dataclass(frozen=True)
class Side:
    """One of the two people, as the calendar names them."""

    person: Person
    name: str | None  # their name in Slack, when Slack told us

    @property
    def called(self) -> str:
        return self.name or self.person.slack_user_id


def summary(*, other: Side) -> str:
    return _("Private conversation with {name}").format(name=other.called)


def _local(moment: datetime, tz: str) -> str:
    return _("{when} ({zone})").format(when=when(moment, tz), zone=zone_label(tz))


def description(request: MeetingRequest, version: Version, *, employee: Side, manager: Side) -> str:
    """Plain text for the calendar: the time in both zones, then only what was shared."""
    lines: list[str] = []
    if version.cancelled:
        lines += [_("This meeting was cancelled."), ""]
    for side in (employee, manager):
        lines.append(
            _("{name}: {local}").format(
                name=side.called, local=_local(version.start, side.person.tz)
            )
        )
    lines += ["", _("{name}'s message:").format(name=employee.called), request.message]
    shared = request.shared or {}
    steps = shared.get("steps") or []
    if steps:
        title = shared.get("plan_title") or _("Repair plan")
        lines += ["", _("Repair plan: {title}").format(title=title)]
        for step in steps:
            mark = "[x]" if step.get("done") else "[ ]"
            due = ""
            if step.get("due") and not step.get("done"):
                due_day = date.fromisoformat(step["due"])
                due = " " + _("(by {day})").format(day=f"{due_day:%a} {due_day.day} {due_day:%b}")
            lines.append(f"{mark} {step.get('text', '')}{due}")
    commitments = shared.get("commitments") or []
    if commitments:
        lines += ["", _("What I will do differently")]
        lines += [f"- {text}" for text in commitments]
    lines += ["", _("Sent with Second Chance, from Slack.")]
    return "\n".join(lines)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fit(base: str, fields: dict[str, str], details_key: str, details: str) -> str:
    """The link with as much of the description as fits a button's url."""
    cut = details if len(details) <= LINK_DETAILS_MAX else details[: LINK_DETAILS_MAX - 1] + "…"
    while True:
        url = base + urlencode({**fields, details_key: cut})
        if len(url) <= URL_MAX or not cut:
            return url
        cut = cut[: len(cut) // 2]


def google_link(version: Version, *, title: str, details: str) -> str:
    fields = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_stamp(version.start)}/{_stamp(version.end)}",
    }
    return _fit("https://calendar.google.com/calendar/render?", fields, "details", details)


def outlook_link(version: Version, *, title: str, details: str) -> str:
    iso = "%Y-%m-%dT%H:%M:%SZ"
    fields = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": version.start.astimezone(UTC).strftime(iso),
        "enddt": version.end.astimezone(UTC).strftime(iso),
    }
    return _fit("https://outlook.office.com/calendar/0/deeplink/compose?", fields, "body", details)


def card_line(version: Version, *, reader: Person, other: Person) -> str:
    """What the card says about this version; the .ics follows it in the DM."""
    at = when(version.start, reader.tz)
    if version.cancelled:
        return _(
            ":heavy_multiplication_x: Your meeting with {other} on *{at}* (your time) is "
            "cancelled. Open the file below to take it off your calendar."
        ).format(other=mention(other), at=at)
    if version.update:
        return _(
            ":calendar: Your meeting with {other} has a new time: *{at}* (your time). Open the "
            "file below to move it in your calendar, or use a button."
        ).format(other=mention(other), at=at)
    return _(
        ":calendar: Your meeting with {other}, *{at}* (your time), for your calendar: open the "
        "file below, or use a button."
    ).format(other=mention(other), at=at)


def file_title(version: Version) -> str:
    return _("Meeting cancelled") if version.cancelled else _("Meeting invitation")


def card_text(version: Version) -> str:
    """The card's notification text."""
    if version.cancelled:
        return _("Meeting cancelled")
    return _("New time for your calendar") if version.update else _("Add it to your calendar")


def card_blocks(
    request: MeetingRequest,
    version: Version,
    *,
    reader: Person,
    other: Person,
    title: str,
    details: str,
    by_employee: bool,
) -> list[Block]:
    """The card before the .ics: what this version is and, unless it is a cancellation, the
    calendar links and what can still change."""
    line = section(card_line(version, reader=reader, other=other), "calendar_card")
    if version.cancelled:
        return [line]
    rid = str(request.id)
    buttons = [
        ButtonElement(
            text=_("Add to Google Calendar"),
            action_id=GOOGLE_ACTION,
            url=google_link(version, title=title, details=details),
        ),
        ButtonElement(
            text=_("Add to Outlook"),
            action_id=OUTLOOK_ACTION,
            url=outlook_link(version, title=title, details=details),
        ),
        ButtonElement(text=_(PROPOSE), action_id=MOVE_ACTION, value=rid),
    ]
    if by_employee:
        buttons.append(
            ButtonElement(
                text=_("Cancel the meeting"), action_id=CANCEL_ACTION, value=rid, style="danger"
            )
        )
    return [
        line,
        ActionsBlock(block_id="calendar_actions", elements=buttons),
        context(
            _(
                "If the time no longer suits, propose another: the meeting stays where it is "
                "until you both agree."
            )
        ),
    ]


def retired_card_blocks(version: Version, *, reader: Person) -> list[Block]:
    """An older card once its time changed or the meeting was cancelled: no stale buttons."""
    if version.cancelled:
        text = _(":heavy_multiplication_x: This meeting was cancelled.")
    else:
        text = _(":arrows_counterclockwise: This meeting moved to *{at}* (your time).").format(
            at=when(version.start, reader.tz)
        )
    return [section(text, "calendar_card")]


def move_intro(request: MeetingRequest, *, reader: Person, other: Person) -> str:
    """The propose modal's intro when the meeting was already accepted."""
    assert request.accepted_time is not None
    return _(
        "You're meeting on *{at}* (your time). Propose a new time: {other} will see it in their "
        "own time zone and can accept it or propose another. Until then the meeting stays "
        "where it is."
    ).format(at=when(request.accepted_time, reader.tz), other=mention(other))


NOT_YOUR_MEETING = N_("That button belongs to someone else's meeting, so I left it alone.")
MEETING_CHANGED = N_(
    "This meeting has changed since that message; the newest one about it is further down."
)
MEETING_PASSED = N_("This meeting's time has already passed, so there is nothing left to move.")
