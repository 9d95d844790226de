"""The meeting in both calendars: which version of the event goes out, and the .ics that carries
it (RFC 5545, written with the icalendar package).

One meeting request is one event: its UID is chosen when the first invitation goes and never
changes; each later version (a new time agreed, a cancellation) has a higher SEQUENCE, so a
calendar replaces the event it already holds rather than adding another. Times are written in
UTC; the words around them (summary, description) come from the views, in the reader's language.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from models import CalendarFile, MeetingRequest, MeetingStatus, Person

# The request has a start, not an end: half an hour is what a private conversation asks for.
MEETING_LENGTH = timedelta(minutes=30)
REQUEST, CANCEL = "REQUEST", "CANCEL"
PRODID = "-//Second Chance//Meeting request//EN"


@dataclass(frozen=True)
class Version:
    """One version of the event, the same for both people."""

    uid: str
    sequence: int
    method: str  # REQUEST (an invitation or an update) or CANCEL
    start: datetime
    end: datetime

    @property
    def cancelled(self) -> bool:
        return self.method == CANCEL

    @property
    def update(self) -> bool:
        return self.sequence > 0 and not self.cancelled


@dataclass(frozen=True)
class Attendee:
    """A person as the .ics names them: a Slack user, with the name Slack gave (if any)."""

    slack_user_id: str
    name: str | None


def next_version(request: MeetingRequest, *, cancelled: bool, now: datetime) -> Version | None:
    """The version to send now, counted on the request; None when nothing is to go: the
    meeting's time has passed, a cancellation of a meeting that never reached a calendar, or
    an invitation for a meeting that is not (or no longer) accepted."""
    start = request.accepted_time
    if start is None or start.astimezone(UTC) <= now:
        return None
    if cancelled and request.calendar_sequence is None:
        return None
    if not cancelled and request.status != MeetingStatus.ACCEPTED:
        return None
    uid = request.calendar_uid or f"{uuid.uuid4()}@second-chance"
    sequence = 0 if request.calendar_sequence is None else request.calendar_sequence + 1
    request.calendar_uid, request.calendar_sequence = uid, sequence
    start = start.astimezone(UTC)
    return Version(
        uid=uid,
        sequence=sequence,
        method=CANCEL if cancelled else REQUEST,
        start=start,
        end=start + MEETING_LENGTH,
    )


def _address(person: Attendee, team_id: str, **params: str) -> vCalAddress:
    # The app may not read email addresses (no users:read.email scope), so each person is named
    # by Slack's own link to them.
    address = vCalAddress(f"slack://user?team={team_id}&id={person.slack_user_id}")
    if person.name:
        address.params["CN"] = person.name
    for key, value in params.items():
        address.params[key] = value
    return address


def ics(
    version: Version,
    *,
    team_id: str,
    organizer: Attendee,
    attendee: Attendee,
    reader_tz: str,
    summary: str,
    description: str,
    now: datetime,
) -> bytes:
    """The .ics file of one version for one reader (whose zone it names for their calendar)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", version.method)
    calendar.add("x-wr-timezone", reader_tz)
    event = Event()
    event.add("uid", version.uid)
    event.add("sequence", version.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", version.start)
    event.add("dtend", version.end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if version.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer, team_id))
    event.add(
        "attendee",
        _address(
            attendee,
            team_id,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="DECLINED" if version.cancelled else "ACCEPTED",
            RSVP="FALSE",
        ),
    )
    calendar.add_component(event)
    return calendar.to_ical()


def filename(version: Version) -> str:
    return "meeting-cancelled.ics" if version.cancelled else "meeting.ics"


# -- what was sent, for deletion and for taking stale buttons off ---------------------------------


def record(
    session: Session,
    request: MeetingRequest,
    *,
    person: Person,
    version: Version,
    file_id: str | None,
    card: tuple[str, str] | None,
    now: datetime,
) -> None:
    session.add(
        CalendarFile(
            workspace_id=request.workspace_id,
            meeting_request_id=request.id,
            person_id=person.id,
            file_id=file_id,
            sequence=version.sequence,
            method=version.method,
            card_channel=card[0] if card else None,
            card_ts=card[1] if card else None,
            sent_at=now,
        )
    )


def older_cards(session: Session, request: MeetingRequest, version: Version) -> list[CalendarFile]:
    """The cards of earlier invitations and updates, whose buttons go when a new version does."""
    rows = session.scalars(
        select(CalendarFile).where(
            CalendarFile.meeting_request_id == request.id,
            CalendarFile.method == REQUEST,
            CalendarFile.sequence < version.sequence,
            CalendarFile.card_ts.is_not(None),
        )
    )
    return list(rows)


def cards_in_others_dms(
    session: Session, *, person_id: int, meeting_ids: list[int]
) -> list[tuple[str, str]]:
    """Where the cards of this person's meetings sit in the other person's DM: their links
    carry what this person shared, so deleting their data withdraws those too."""
    rows = session.execute(
        select(CalendarFile.card_channel, CalendarFile.card_ts)
        .where(
            CalendarFile.meeting_request_id.in_(meeting_ids),
            CalendarFile.person_id != person_id,
            CalendarFile.card_ts.is_not(None),
        )
        .order_by(CalendarFile.id)
    )
    return [(str(channel), str(ts)) for channel, ts in rows if channel and ts]


def ics_file_ids(session: Session, *, person_id: int, meeting_ids: list[int]) -> list[str]:
    """Every .ics in Slack that is about this person: in their DM, or of their meetings."""
    return [
        file_id
        for file_id in session.scalars(
            select(CalendarFile.file_id)
            .where(_about(person_id, meeting_ids), CalendarFile.file_id.is_not(None))
            .order_by(CalendarFile.id)
        )
        if file_id
    ]


def forget_files(session: Session, *, person_id: int, meeting_ids: list[int]) -> None:
    session.execute(
        delete(CalendarFile).where(_about(person_id, meeting_ids)),
        execution_options={"synchronize_session": False},
    )


def _about(person_id: int, meeting_ids: list[int]) -> ColumnElement[bool]:
    return or_(
        CalendarFile.person_id == person_id, CalendarFile.meeting_request_id.in_(meeting_ids)
    )
