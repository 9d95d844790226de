"""Stage 3 after the meeting: the concerns the manager raised, each an item to address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Concern, MeetingRequest, MeetingStatus, Person
from slackapp.kernel import due_work, kinds
from slackapp.services import expectations
from slackapp.services.expectations import Proposed
from slackapp.services.meetings import NotAllowed, check_employee, get_request


def concerns_of(session: Session, employee: Person, *, only_open: bool = False) -> list[Concern]:
    """The concerns managers raised with this employee; open ones are still to address.

    Stage 4 includes the open ones in feedback requests.
    """
    query = (
        select(Concern)
        .join(MeetingRequest, Concern.meeting_request_id == MeetingRequest.id)
        .where(MeetingRequest.employee_id == employee.id)
        .order_by(Concern.created_at, Concern.id)
    )
    if only_open:
        query = query.where(Concern.addressed_at.is_(None))
    return list(session.scalars(query))


def open_concerns(session: Session, employee: Person) -> list[Concern]:
    return concerns_of(session, employee, only_open=True)


def record_outcome(
    *,
    session: Session,
    request_id: int,
    employee: Person,
    concerns: list[str],
    now: datetime,
    expected: list[Proposed] | None = None,
) -> MeetingRequest | None:
    """How the meeting went: each concern the manager raised becomes an item to address, and
    what they expect is the employee's understanding until the manager agrees to it."""
    check_employee(get_request(session, request_id), employee)
    result = session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.id == request_id,
            MeetingRequest.status == MeetingStatus.ACCEPTED.value,
            MeetingRequest.outcome_recorded_at.is_(None),
        )
        .values(outcome_recorded_at=now)
        .execution_options(synchronize_session=False)
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        return None
    request = get_request(session, request_id)
    assert request is not None
    for text in concerns:
        session.add(
            Concern(workspace_id=request.workspace_id, meeting_request_id=request.id, text=text)
        )
    due_work.cancel(session, kind=kinds.MEETING_FOLLOWUP, subject_id=request.id, now=now)
    session.flush()
    if expected:
        expectations.propose(
            session=session, request_id=request.id, by=employee, items=expected, now=now
        )
    return request


def set_concern_addressed(
    *, session: Session, employee: Person, concern_id: int, addressed: bool, now: datetime
) -> Concern:
    concern = session.get(Concern, concern_id)
    if concern is None or concern.meeting_request.employee_id != employee.id:
        raise NotAllowed("only the employee ticks their own concerns")
    if addressed and concern.addressed_at is None:
        concern.addressed_at = now
    elif not addressed:
        concern.addressed_at = None
    return concern


def parse_concerns(text: str | None) -> list[str]:
    """One concern per line; bullets people paste are dropped, the words are kept as typed."""
    concerns = []
    for line in (text or "").splitlines():
        stripped = line.strip().lstrip("•*-–").strip()
        if stripped:
            concerns.append(stripped)
    return concerns
