"""Step 3, the meeting in both calendars: an accepted meeting sends both people an .ics in their
DM (parsed back here with icalendar) and calendar links; a new time agreed later sends an update
(same UID, higher SEQUENCE); a cancellation sends METHOD:CANCEL; nothing goes for a meeting whose
time has passed; deleting one's data deletes the files from Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CalendarFile, Person
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.support.meeting import (
    SECRET,
    blocks_text,
    buttons,
    click,
    latest,
    refreshed,
    request_row,
    sent_request,
    top,
)

Json = dict[str, Any]
# The time proposed by sent_request: Tue 3 Mar, 10:00 in New York.
AGREED = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def ics_files(app: RunningApp, user_id: str) -> list[tuple[Json, Calendar, bytes]]:
    """Each .ics shared in the person's DM: the message, the calendar parsed back, the bytes."""
    found = []
    for message in app.fake.messages(user_id):
        for shared in message.get("files") or []:
            got = app.fake.shared_file(shared["id"])
            if got is not None and got[0].endswith(".ics"):
                found.append((message, Calendar.from_ical(got[1]), got[1]))
    return found


def wait_for_files(app: RunningApp, user_id: str, count: int) -> list[tuple[Json, Calendar, bytes]]:
    return app.slack.wait_for(
        lambda: (files := ics_files(app, user_id)) and len(files) >= count and files,
        what=f"{count} .ics files in {user_id}'s DM",
    )


def event_of(calendar: Calendar) -> Any:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def cards(app: RunningApp, user_id: str) -> list[Json]:
    return [
        m
        for m in app.fake.messages(user_id)
        if any(b.get("block_id") == "calendar_card" for b in m.get("blocks") or [])
    ]


def wait_for_cards(app: RunningApp, user_id: str, count: int) -> list[Json]:
    return app.slack.wait_for(
        lambda: (found := cards(app, user_id)) and len(found) >= count and found,
        what=f"{count} calendar cards in {user_id}'s DM",
    )


def link(message: Json, action_id: str) -> str:
    return next(
        element["url"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
    )


def told(app: RunningApp, user_id: str, words: str) -> None:
    """The person was told, where they pressed (ephemeral) or in their DM."""
    app.slack.wait_for(
        lambda: any(
            words in m["text"] for m in app.fake.ephemerals(user_id) + app.fake.messages(user_id)
        ),
        what=f"{user_id} told {words!r}",
    )


def accepted(app: RunningApp) -> None:
    """The employee's request sent, and the manager accepts its one time."""
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_accept")
    for user_id in (EMPLOYEE, MANAGER):
        wait_for_files(app, user_id, 1)
        wait_for_cards(app, user_id, 1)


def employee_moves_it(app: RunningApp) -> list[Json]:
    """The meeting accepted, then she proposes a new time on her card (read in the manager's
    zone, as the modal says: Thu 5 Mar, 11:00 New York); returns the manager's new requests."""
    accepted(app)
    click(app, EMPLOYEE, cards(app, EMPLOYEE)[-1], "meeting_move")
    top(app, EMPLOYEE, "meeting_propose")
    app.slack.submit(EMPLOYEE, {"propose_date": "2026-03-05", "propose_time": "11:00"})
    return app.slack.wait_for(
        lambda: [
            m
            for m in app.fake.messages(MANAGER)
            if "would like a private conversation" in m["text"]
        ][1:],
        what="the manager's new request",
    )


def test_an_accepted_meeting_reaches_both_calendars(running_app: RunningApp) -> None:
    app = running_app
    accepted(app)
    row = request_row(app)
    assert row.accepted_time == AGREED
    uids = set()
    for user_id, zone in ((EMPLOYEE, "Europe/Berlin"), (MANAGER, "America/New_York")):
        [(message, calendar, raw)] = ics_files(app, user_id)
        event = event_of(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(calendar["X-WR-TIMEZONE"]) == zone
        # The same instant as the accepted time, written in UTC.
        assert event.decoded("DTSTART") == row.accepted_time
        assert b"DTSTART:20260303T150000Z" in raw
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
        assert int(event["SEQUENCE"]) == 0
        assert event["ORGANIZER"].params["CN"] == "Emma Employee"
        assert event["ATTENDEE"].params["CN"] == "Max Manager"
        assert "UEMPLOYEE" in str(event["ORGANIZER"]) and "UMANAGER" in str(event["ATTENDEE"])
        uids.add(str(event["UID"]))
        description = str(event["DESCRIPTION"])
        # Each person's zone named, with the time as it reads there.
        assert "Emma Employee: Tue 3 Mar, 16:00 CET (Berlin time)" in description
        assert "Max Manager: Tue 3 Mar, 10:00 EST (New York time)" in description
        # What she chose to share, and nothing private.
        assert "Called Acme and apologised" in description
        assert "Double-check quotes before sending" in description
        assert SECRET not in description and SECRET.encode() not in raw
        assert "Rushing" not in description  # the root cause stays in her reflection
        # The file comes with no words of its own: the card before it says what it is.
        assert message["text"] == ""
    assert len(uids) == 1

    employee_card, manager_card = cards(app, EMPLOYEE)[-1], cards(app, MANAGER)[-1]
    assert buttons(employee_card) == [
        "Add to Google Calendar",
        "Add to Outlook",
        "Propose another time",
        "Cancel the meeting",
    ]
    assert buttons(manager_card) == [
        "Add to Google Calendar",
        "Add to Outlook",
        "Propose another time",
    ]
    assert "Tue 3 Mar, 16:00 CET" in blocks_text(employee_card["blocks"])
    assert "Tue 3 Mar, 10:00 EST" in blocks_text(manager_card["blocks"])
    google = parse_qs(urlparse(link(employee_card, "calendar_google")).query)
    assert google["dates"] == ["20260303T150000Z/20260303T153000Z"]
    assert google["text"] == ["Private conversation with Max Manager"]
    assert "Called Acme and apologised" in google["details"][0]
    outlook = parse_qs(urlparse(link(manager_card, "calendar_outlook")).query)
    assert outlook["startdt"] == ["2026-03-03T15:00:00Z"]
    assert outlook["subject"] == ["Private conversation with Emma Employee"]
    # Slack tells the app a link button was pressed; it is acked, nothing else happens.
    assert app.slack.click_in_message(EMPLOYEE, employee_card, "calendar_google").status == 200
    assert not app.fake.rejections


def test_a_new_time_agreed_later_sends_an_update_and_a_cancel_sends_a_cancel(
    running_app: RunningApp,
) -> None:
    app = running_app
    accepted(app)
    [(_, first, _)] = ics_files(app, MANAGER)
    uid = str(event_of(first)["UID"])
    first_card = cards(app, MANAGER)[-1]

    # The manager can't make it and proposes another time, on the card; she accepts it.
    click(app, MANAGER, first_card, "meeting_move")
    modal = top(app, MANAGER, "meeting_propose")
    assert "Tue 3 Mar, 10:00 EST" in blocks_text(modal["blocks"])
    app.slack.submit(MANAGER, {"propose_date": "2026-03-04", "propose_time": "08:30"})
    counter = latest(app, EMPLOYEE, "proposed another time")
    # Until she agrees, the meeting stays where it is: no update yet.
    assert len(ics_files(app, EMPLOYEE)) == 1
    click(app, EMPLOYEE, counter, "meeting_counter_accept")
    moved = datetime(2026, 3, 4, 13, 30, tzinfo=UTC)  # 08:30 New York
    for user_id in (EMPLOYEE, MANAGER):
        files = wait_for_files(app, user_id, 2)
        _, calendar, raw = files[-1]
        event = event_of(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == moved
        assert b"DTSTART:20260304T133000Z" in raw
    assert request_row(app).accepted_time == moved
    # The older card gives way: no links to the old time, no stale buttons.
    retired = app.slack.wait_for(
        lambda: (m := refreshed(app, MANAGER, first_card["ts"])) and not buttons(m) and m,
        what="the first card without its buttons",
    )
    assert "moved to *Wed 4 Mar, 08:30 EST*" in blocks_text(retired["blocks"])
    new_card = wait_for_cards(app, EMPLOYEE, 2)[-1]
    assert "20260304T133000Z" in link(new_card, "calendar_google")

    # Then she cancels it from the new card: both calendars get the cancellation.
    click(app, EMPLOYEE, new_card, "meeting_cancel")
    for user_id in (EMPLOYEE, MANAGER):
        files = wait_for_files(app, user_id, 3)
        _, calendar, _ = files[-1]
        event = event_of(calendar)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == 2
        assert str(event["STATUS"]) == "CANCELLED"
        assert event.decoded("DTSTART") == moved
        said = wait_for_cards(app, user_id, 3)[-1]
        assert "is cancelled" in blocks_text(said["blocks"]) and buttons(said) == []
    assert request_row(app).status == "cancelled"
    app.slack.wait_for(
        lambda: not buttons(refreshed(app, EMPLOYEE, new_card["ts"])),
        what="the last card without its buttons",
    )
    assert not app.fake.rejections


def test_the_employee_can_move_it_and_the_manager_accepts_the_new_time(
    running_app: RunningApp,
) -> None:
    app = running_app
    again = employee_moves_it(app)
    click(app, MANAGER, again[-1], "meeting_accept")
    for user_id in (EMPLOYEE, MANAGER):
        _, calendar, _ = wait_for_files(app, user_id, 2)[-1]
        event = event_of(calendar)
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == datetime(2026, 3, 5, 16, 0, tzinfo=UTC)


def test_a_declined_new_time_takes_the_meeting_off_both_calendars(
    running_app: RunningApp,
) -> None:
    app = running_app
    again = employee_moves_it(app)
    click(app, MANAGER, again[-1], "meeting_decline")
    top(app, MANAGER, "meeting_decline")
    app.slack.submit(MANAGER)
    for user_id in (EMPLOYEE, MANAGER):
        _, calendar, _ = wait_for_files(app, user_id, 2)[-1]
        assert str(calendar["METHOD"]) == "CANCEL"
        # The time in their calendars was the one accepted first.
        assert event_of(calendar).decoded("DTSTART") == AGREED


def test_nothing_is_sent_for_a_meeting_whose_time_has_passed(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    app.clock.set(AGREED + timedelta(minutes=5))  # the manager answers too late
    click(app, MANAGER, dm, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")
    app.slack.wait_for(lambda: request_row(app).status == "accepted", what="the acceptance stored")
    assert ics_files(app, EMPLOYEE) == [] and ics_files(app, MANAGER) == []
    assert cards(app, EMPLOYEE) == []


def test_a_cancel_after_the_meeting_time_sends_nothing(running_app: RunningApp) -> None:
    app = running_app
    accepted(app)
    card = cards(app, EMPLOYEE)[-1]
    app.clock.set(AGREED + timedelta(minutes=10))
    click(app, EMPLOYEE, card, "meeting_cancel")
    app.slack.wait_for(lambda: request_row(app).status == "cancelled", what="the cancellation")
    assert len(ics_files(app, EMPLOYEE)) == 1 and len(ics_files(app, MANAGER)) == 1
    # And moving a meeting that has already happened is refused kindly.
    click(app, MANAGER, cards(app, MANAGER)[-1], "meeting_move")
    told(app, MANAGER, "changed since")


def test_only_the_two_people_can_move_the_meeting(running_app: RunningApp) -> None:
    app = running_app
    accepted(app)
    card = cards(app, EMPLOYEE)[-1]
    sent = {key: value for key, value in card.items() if value is not None}
    assert app.slack.click_in_message(COLLEAGUE, sent, "meeting_move").status == 200
    told(app, COLLEAGUE, "someone else's meeting,")
    assert app.fake.view_stack(COLLEAGUE) == []
    assert request_row(app).status == "accepted"
    # Cancelling is the employee's alone: the manager's press changes nothing.
    assert app.slack.click_in_message(MANAGER, sent, "meeting_cancel").status == 200
    told(app, MANAGER, "someone else's meeting request")
    assert request_row(app).status == "accepted"
    assert len(ics_files(app, MANAGER)) == 1


def test_delete_my_data_deletes_the_meeting_files_from_both_dms(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    accepted(app)
    ids = [
        shared["id"]
        for m, _, _ in ics_files(app, EMPLOYEE) + ics_files(app, MANAGER)
        for shared in m["files"]
    ]
    assert len(ids) == 2
    app.slack.open_home(EMPLOYEE)
    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    app.slack.wait_for(
        lambda: any("Your data is deleted" in m["text"] for m in app.fake.messages(EMPLOYEE)),
        what="the confirmation DM",
    )
    assert sorted(c.args["file"] for c in app.fake.calls_to("files.delete")) == sorted(ids)
    assert all(app.fake.shared_file(file_id) is None for file_id in ids)
    assert list(db.scalars(select(CalendarFile))) == []


def test_moving_it_proposes_the_managers_next_working_day(
    running_app: RunningApp, db: Session
) -> None:
    """Max doesn't work on Tuesdays: moving the meeting on Monday proposes Wednesday, by his
    own working week (and public holidays), not the first weekday."""
    app = running_app
    accepted(app)
    max_ = db.scalar(select(Person).where(Person.slack_user_id == MANAGER))
    assert max_ is not None
    max_.working_week = "0234"  # Monday, Wednesday, Thursday, Friday
    db.commit()
    click(app, MANAGER, cards(app, MANAGER)[-1], "meeting_move")
    modal = top(app, MANAGER, "meeting_propose")
    [picker] = [b for b in modal["blocks"] if b.get("block_id") == "propose_date"]
    assert picker["element"]["initial_date"] == "2026-03-04"
