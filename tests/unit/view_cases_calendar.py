"""The meeting-in-calendars builders (slackapp/views/calendar.py) for view_cases.CASES."""

from __future__ import annotations

from datetime import timedelta

from slackapp.services.calendar import CANCEL, REQUEST, Version
from slackapp.views import calendar as cal
from tests.unit.view_samples import EMPLOYEE, MANAGER, MODAL, NOW, Case, meeting_of


def version(*, sequence: int = 0, method: str = REQUEST) -> Version:
    start = NOW + timedelta(days=1)
    return Version("uid@x", sequence, method, start, start + timedelta(minutes=30))


CALENDAR_CASES: dict[str, Case] = {
    "calendar.card_blocks": Case(
        lambda t: [
            cal.card_blocks(
                meeting_of(t, "accepted"),
                version(sequence=s, method=CANCEL if s == 2 else REQUEST),
                reader=EMPLOYEE,
                other=MANAGER,
                # Typed text goes only into the links' urls (url-encoded), never shown as text.
                title="Meeting",
                details="Details",
                by_employee=by,
            )
            for s, by in ((0, True), (1, False), (2, True))
        ],
        shows_typed=False,
    ),
    "calendar.retired_card_blocks": Case(
        lambda t: [
            cal.retired_card_blocks(version(method=m), reader=MANAGER) for m in (REQUEST, CANCEL)
        ],
        shows_typed=False,
    ),
    "calendar.card_line": Case(
        lambda t: [
            cal.card_line(v, reader=EMPLOYEE, other=MANAGER)
            for v in (version(), version(sequence=1), version(sequence=2, method=CANCEL))
        ],
        shows_typed=False,
    ),
    "calendar.move_intro": Case(
        lambda t: cal.move_intro(meeting_of(t, "accepted"), reader=EMPLOYEE, other=MANAGER),
        MODAL,
        False,
    ),
}

CALENDAR_NOT_BUILDERS: dict[str, str] = {
    "calendar.summary": "plain text for the .ics file and the links, not a Slack surface",
    "calendar.description": "plain text for the .ics file and the links, not a Slack surface",
    "calendar.google_link": "a url for a link button (card_blocks is covered)",
    "calendar.outlook_link": "a url for a link button (card_blocks is covered)",
    "calendar.file_title": "the app's own title for the file",
    "calendar.card_text": "the app's own notification text",
}
