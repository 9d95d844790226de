"""slackapp/services/calendar.py: which version of the meeting goes out, and its .ics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from models import MeetingRequest
from slackapp.services import calendar

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
AT = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def meeting(status: str = "accepted", at: datetime | None = AT) -> MeetingRequest:
    return MeetingRequest(id=5, status=status, accepted_time=at, message="m", shared={})


def test_versions_count_up_on_one_uid_and_a_cancel_ends_it() -> None:
    request = meeting()
    first = calendar.next_version(request, cancelled=False, now=NOW)
    assert first is not None and (first.sequence, first.method) == (0, "REQUEST")
    assert (first.start, first.end) == (AT, AT + timedelta(minutes=30)) and not first.update
    request.accepted_time = AT + timedelta(days=1)
    second = calendar.next_version(request, cancelled=False, now=NOW)
    assert second is not None and second.uid == first.uid and second.sequence == 1
    assert second.update and second.start == AT + timedelta(days=1)
    request.status = "cancelled"
    cancel = calendar.next_version(request, cancelled=True, now=NOW)
    assert cancel is not None and (cancel.uid, cancel.sequence) == (first.uid, 2)
    assert cancel.cancelled and not cancel.update


def test_nothing_goes_for_a_past_time_an_unsent_cancel_or_a_meeting_not_accepted() -> None:
    assert calendar.next_version(meeting(), cancelled=False, now=AT) is None
    assert calendar.next_version(meeting(), cancelled=True, now=NOW) is None
    assert calendar.next_version(meeting("pending"), cancelled=False, now=NOW) is None
    assert calendar.next_version(meeting(at=None), cancelled=False, now=NOW) is None
    request = meeting()
    assert calendar.next_version(request, cancelled=False, now=NOW) is not None
    assert calendar.next_version(request, cancelled=True, now=AT + timedelta(seconds=1)) is None
    assert request.calendar_sequence == 0  # a version not sent is not counted


def test_the_ics_is_utc_with_organizer_attendee_and_the_words_given() -> None:
    version = calendar.next_version(meeting(), cancelled=False, now=NOW)
    assert version is not None
    raw = calendar.ics(
        version,
        team_id="T1",
        organizer=calendar.Attendee("UEMP", "Emma"),
        attendee=calendar.Attendee("UBOSS", None),
        reader_tz="Europe/Berlin",
        summary="Private conversation",
        description="Line one\nLine, two; three",
        now=NOW,
    )
    parsed = Calendar.from_ical(raw)
    [event] = parsed.walk("VEVENT")
    assert b"DTSTART:20260303T150000Z" in raw and b"DTEND:20260303T153000Z" in raw
    assert str(event["DESCRIPTION"]) == "Line one\nLine, two; three"
    assert event["ORGANIZER"].params["CN"] == "Emma" and "CN" not in event["ATTENDEE"].params
    assert str(event["ATTENDEE"]) == "slack://user?team=T1&id=UBOSS"
    assert str(parsed["METHOD"]) == "REQUEST" and str(event["STATUS"]) == "CONFIRMED"
