"""Stage 3, talk to your boss: what the employee's and the manager's listeners share."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import MeetingRequest, Person
from slackapp.kernel.zones import zone
from slackapp.listeners.glue import Edit, State, entry
from slackapp.services import meetings, refusals
from slackapp.views.i18n import _, reading_as
from slackapp.views.meeting_messages import (
    manager_outcome,
    manager_request_blocks,
    manager_request_text,
)
from slackapp.views.meeting_words import ADD_A_DAY, ADD_A_TIME, TIME_PASSED


def read_moment(
    state: State, date_block: str, time_block: str, *, tz: str, now: datetime
) -> tuple[datetime | None, dict[str, str]]:
    """A day and a time read in `tz` (the manager's zone). Errors name the block to fix."""
    day = entry(state, date_block).get("selected_date")
    at = entry(state, time_block)
    clock_time = at.get("selected_time")
    if not day and not clock_time:
        return None, {}
    if not clock_time:
        return None, {time_block: _(ADD_A_TIME)}
    if not day:
        return None, {date_block: _(ADD_A_DAY)}
    # The picker says which zone it was read in; it is the one the modal named.
    picker_zone = zone(at.get("timezone") or tz)
    moment = datetime.combine(
        date.fromisoformat(day), time.fromisoformat(clock_time), tzinfo=picker_zone
    ).astimezone(UTC)
    if moment <= now:
        return None, {time_block: _(TIME_PASSED)}
    return moment, {}


def both(session: Session, request: MeetingRequest) -> tuple[Person, Person]:
    """The employee and the manager of a request: whose App Homes follow its changes."""
    return meetings.request_employee(session, request), meetings.request_manager(session, request)


def manager_dm(session: Session, request: MeetingRequest) -> Edit:
    """The manager's DM as it now stands: the request and, once settled, its outcome (no
    buttons)."""
    employee, manager = both(session, request)
    with reading_as(manager.reads):
        outcome = manager_outcome(request, employee=employee, manager=manager) or None
        ask = outcome is None and refusals.asks_if_manager(
            session, employee_id=employee.id, manager_id=manager.id
        )
        blocks = manager_request_blocks(
            request, employee=employee, manager=manager, outcome=outcome, ask_if_manager=ask
        )
        text = manager_request_text(employee)
    return Edit(request.manager_channel, request.manager_ts, text, blocks)


def employee_dm(request: MeetingRequest, blocks: list[Block], text: str) -> Edit:
    return Edit(request.employee_channel, request.employee_ts, text, blocks)
