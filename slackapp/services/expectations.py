"""Stage 3 after the meeting, agreed by both: what the manager expects, each with an optional date.

The employee writes down their understanding in "How did it go?"; the manager agrees to it in
one click or edits it. Either may propose a change later, and the other one agrees to it: the
current version always has a proposer, and it is agreed once the other one says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Expectation, MeetingRequest, Person
from slackapp.services.meetings import NotAllowed, get_request, latest_request

# A few concrete expectations: the modal has this many rows.
ROWS = 3


class Outdated(Exception):
    """An agree button of a version changed since: agreeing would agree to words not shown."""


@dataclass(frozen=True)
class WaitingAsk:
    """The DM that asks someone to agree to a version, while it still waits on them."""

    channel: str
    ts: str
    reader_id: int


@dataclass(frozen=True)
class Proposed:
    text: str
    due_on: date | None


def from_rows(rows: list[tuple[str | None, date | None]]) -> list[Proposed]:
    """The rows someone filled in; a date with no words is dropped with its empty row."""
    return [Proposed(text.strip(), due) for text, due in rows if text and text.strip()]


def party_of(request: MeetingRequest, person: Person) -> str | None:
    """ "employee", "manager", or None for anyone else."""
    if request.employee_id == person.id:
        return "employee"
    if request.manager_id == person.id:
        return "manager"
    return None


def other_party_id(request: MeetingRequest, person: Person) -> int:
    return request.manager_id if request.employee_id == person.id else request.employee_id


def _own(session: Session, request_id: int, person: Person) -> MeetingRequest:
    request = get_request(session, request_id)
    if request is None or party_of(request, person) is None:
        raise NotAllowed("only the employee and their manager agree on expectations")
    return request


def propose(
    *,
    session: Session,
    request_id: int,
    by: Person,
    items: list[Proposed],
    now: datetime,
) -> MeetingRequest:
    """Replace the expectations with `items`, proposed by `by`: waiting on the other one."""
    request = _own(session, request_id, by)
    if by.id == request.employee_id and request.outcome_recorded_at is None:
        raise NotAllowed("expectations follow the meeting")
    request.expectations.clear()
    session.flush()
    for position, item in enumerate(items):
        request.expectations.append(
            Expectation(
                workspace_id=request.workspace_id,
                position=position,
                text=item.text,
                due_on=item.due_on,
            )
        )
    request.expectations_proposed_by = by.id if items else None
    request.expectations_agreed_at = None
    request.expectations_version = (request.expectations_version or 0) + 1
    session.flush()
    return request


def waiting_ask(request: MeetingRequest) -> WaitingAsk | None:
    """The ask still waiting to be agreed, if there is one (to redraw without its button once
    a newer version replaces it)."""
    channel, ts, proposer = (
        request.expectations_ask_channel,
        request.expectations_ask_ts,
        request.expectations_proposed_by,
    )
    if request.expectations_agreed_at is not None or not (channel and ts and proposer):
        return None
    reader = request.manager_id if proposer == request.employee_id else request.employee_id
    return WaitingAsk(channel, ts, reader)


def agree(
    *,
    session: Session,
    request_id: int,
    by: Person,
    now: datetime,
    version: int | None = None,
) -> MeetingRequest | None:
    """The other one agrees to the current version; None when there is nothing left to agree
    to (already agreed, or the proposer pressing their own button). Outdated when the button
    showed an earlier `version` than the current one."""
    request = _own(session, request_id, by)
    if version is not None and version != (request.expectations_version or 0):
        raise Outdated(request_id)
    if (
        not request.expectations
        or request.expectations_agreed_at is not None
        or request.expectations_proposed_by == by.id
    ):
        return None
    request.expectations_agreed_at = now
    request.expectations_agreed = [e.text for e in request.expectations]
    return request


def remember_ask(request: MeetingRequest, *, channel: str | None, ts: str | None) -> None:
    """The DM that asks the other one to agree, so it can be redrawn once answered."""
    request.expectations_ask_channel, request.expectations_ask_ts = channel, ts


def agreed_texts(session: Session, employee: Person) -> list[str]:
    """What both agreed on, for a feedback request to list; while a change waits, the version
    they agreed before it."""
    # The latest meeting request, as the App Home reads it (services/home_data.py), so the
    # home's preview of the next feedback request lists what the request will.
    return agreed_of(latest_request(session, employee))


def agreed_of(request: MeetingRequest | None) -> list[str]:
    """The expectations of this meeting request as both last agreed them; none before."""
    if request is None:
        return []
    return list(request.expectations_agreed or [])


def latest_with_expectations(session: Session, employee: Person) -> MeetingRequest | None:
    """The employee's newest meeting request whose expectations were written down."""
    return session.scalar(
        select(MeetingRequest)
        .where(
            MeetingRequest.employee_id == employee.id,
            MeetingRequest.expectations_proposed_by.is_not(None),
        )
        .order_by(MeetingRequest.id.desc())
        .limit(1)
    )
