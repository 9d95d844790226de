"""Stage 3: the meeting request to the manager, its answers and its clock (the concerns raised
at the meeting: meeting_concerns).

Every change of state is a conditional UPDATE (... WHERE status IN (...)), so a double click, a
double submit or two workers racing produce one outcome: the loser gets None back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import MeetingRequest, MeetingStatus, Person, Plan
from slackapp.kernel import kinds
from slackapp.services import meeting_timeline
from slackapp.services.meeting_draft import shared_snapshot
from slackapp.services.refusals import has_refused

MAX_TIMES = 3

OPEN = (MeetingStatus.PENDING, MeetingStatus.COUNTER_PROPOSED, MeetingStatus.ACCEPTED)


class NotAllowed(Exception):
    """Someone other than the employee (or the named manager) tried to act on a request."""


class ManagerRefused(NotAllowed):
    """The person named has said they aren't the employee's manager: nothing goes to them."""


def proposed_times(request: MeetingRequest) -> list[datetime]:
    return [datetime.fromisoformat(value).astimezone(UTC) for value in request.proposed_times]


# -- reading -------------------------------------------------------------------------------


def get_request(session: Session, request_id: int) -> MeetingRequest | None:
    return session.get(MeetingRequest, request_id, populate_existing=True)


def latest_request(session: Session, employee: Person) -> MeetingRequest | None:
    """The employee's newest request that was actually sent (drafts don't count)."""
    return session.scalar(
        select(MeetingRequest)
        .where(
            MeetingRequest.employee_id == employee.id,
            MeetingRequest.status != MeetingStatus.DRAFT.value,
        )
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        .limit(1)
    )


def open_meeting_request(
    session: Session, employee: Person, *, now: datetime
) -> MeetingRequest | None:
    """A request still in play: waiting on someone, or accepted and not yet held."""
    return still_open(latest_request(session, employee))


def still_open(latest: MeetingRequest | None) -> MeetingRequest | None:
    """The employee's latest request if it is still in play (see open_meeting_request), else None."""
    if latest is None or MeetingStatus(latest.status) not in OPEN:
        return None
    if latest.status == MeetingStatus.ACCEPTED and latest.outcome_recorded_at is not None:
        return None
    return latest


def waiting_on(session: Session, manager: Person) -> list[tuple[MeetingRequest, Person]]:
    """Requests the manager has not answered yet, oldest first, each with its employee (in the
    same query: the App Home names them)."""
    rows = session.execute(
        select(MeetingRequest, Person)
        .join(Person, Person.id == MeetingRequest.employee_id)
        .where(
            MeetingRequest.manager_id == manager.id,
            MeetingRequest.status == MeetingStatus.PENDING.value,
        )
        .order_by(MeetingRequest.sent_at, MeetingRequest.id)
    )
    return [(request, employee) for request, employee in rows]


def request_manager(session: Session, request: MeetingRequest) -> Person:
    manager = session.get(Person, request.manager_id)
    assert manager is not None
    return manager


def request_employee(session: Session, request: MeetingRequest) -> Person:
    employee = session.get(Person, request.employee_id)
    assert employee is not None
    return employee


# -- the employee's side ---------------------------------------------------------------------


@dataclass(frozen=True)
class Composed:
    """What the employee filled in, checked by the listener."""

    manager: Person
    times: list[datetime]
    message: str
    share_steps: bool
    share_commitments: bool


def save_draft(
    *,
    session: Session,
    employee: Person,
    plan: Plan | None,
    composed: Composed,
    submit_key: str,
) -> MeetingRequest:
    """Store (or overwrite) the draft behind one compose modal; the review step reads it back.

    The compose modal's view id is the submit key, so one modal can only ever send one request.
    """
    values = {
        "manager_id": composed.manager.id,
        "plan_id": plan.id if plan is not None else None,
        "message": composed.message,
        "share_steps": composed.share_steps,
        "share_commitments": composed.share_commitments,
        "shared": shared_snapshot(
            plan, share_steps=composed.share_steps, share_commitments=composed.share_commitments
        ),
        "proposed_times": [when.astimezone(UTC).isoformat() for when in composed.times],
    }
    # Drafts of modals the employee abandoned are of no use to anyone.
    session.execute(
        delete(MeetingRequest).where(
            MeetingRequest.employee_id == employee.id,
            MeetingRequest.status == MeetingStatus.DRAFT.value,
            MeetingRequest.submit_key != submit_key,
        )
    )
    query = select(MeetingRequest).where(MeetingRequest.submit_key == submit_key)
    draft = session.scalar(query)
    if draft is None:
        try:
            with session.begin_nested():
                draft = MeetingRequest(
                    workspace_id=employee.workspace_id,
                    employee_id=employee.id,
                    submit_key=submit_key,
                    status=MeetingStatus.DRAFT.value,
                    **values,
                )
                session.add(draft)
        except IntegrityError:  # the same modal submitted twice at once
            draft = session.scalar(query)
            assert draft is not None
    if draft.employee_id != employee.id:
        raise NotAllowed("a draft of someone else")
    if draft.status == MeetingStatus.DRAFT:
        for key, value in values.items():
            setattr(draft, key, value)
    session.flush()
    return draft


def send(
    *, session: Session, request_id: int, employee: Person, now: datetime
) -> MeetingRequest | None:
    """The employee pressed Send: draft -> pending, once. None when it was already sent."""
    draft = get_request(session, request_id)
    if draft is None or draft.employee_id != employee.id:
        raise NotAllowed("not this employee's draft")
    if has_refused(session, employee_id=employee.id, person_id=draft.manager_id):
        raise ManagerRefused("the person named said they aren't this employee's manager")
    request = _transition(
        session, request_id, {MeetingStatus.DRAFT}, status=MeetingStatus.PENDING, sent_at=now
    )
    if request is None:
        return None
    # Remembered, and prefilled next time.
    employee.manager_id = request.manager_id
    meeting_timeline.wait_for_manager(
        session, request, manager_tz=request_manager(session, request).tz, now=now
    )
    return request


def record_manager_dm(request: MeetingRequest, *, channel: str, ts: str) -> None:
    request.manager_channel, request.manager_ts = channel, ts


def record_employee_dm(request: MeetingRequest, *, channel: str | None, ts: str | None) -> None:
    request.employee_channel, request.employee_ts = channel, ts


def _transition(
    session: Session, request_id: int, states: set[MeetingStatus], **values: Any
) -> MeetingRequest | None:
    result = session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.id == request_id,
            MeetingRequest.status.in_([state.value for state in states]),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        return None
    return get_request(session, request_id)


def _check_manager(request: MeetingRequest | None, manager: Person) -> MeetingRequest:
    if request is None or request.manager_id != manager.id:
        raise NotAllowed("only the named manager answers a meeting request")
    return request


def check_employee(request: MeetingRequest | None, employee: Person) -> MeetingRequest:
    if request is None or request.employee_id != employee.id:
        raise NotAllowed("only the employee acts on their own request")
    return request


def cancel(
    *, session: Session, request_id: int, employee: Person, now: datetime
) -> tuple[MeetingRequest, MeetingStatus] | None:
    """Only the employee cancels. Returns the request and the status it had, or None."""
    request = check_employee(get_request(session, request_id), employee)
    before = MeetingStatus(request.status)
    if before not in OPEN or request.outcome_recorded_at is not None:
        return None
    done = _transition(
        session, request_id, {before}, status=MeetingStatus.CANCELLED, answered_at=now
    )
    if done is None:
        return None
    meeting_timeline.cancel(
        session, done, meeting_timeline.WAITING_KINDS + meeting_timeline.MEETING_KINDS, now
    )
    return done, before


def accept_counter(
    *, session: Session, request_id: int, employee: Person, now: datetime
) -> MeetingRequest | None:
    """The employee takes the time the manager proposed."""
    request = check_employee(get_request(session, request_id), employee)
    done = _transition(
        session,
        request_id,
        {MeetingStatus.COUNTER_PROPOSED},
        status=MeetingStatus.ACCEPTED,
        accepted_time=request.counter_time,
    )
    if done is not None:
        meeting_timeline.meeting_on_the_clock(session, done, now=now)
    return done


def propose_back(
    *,
    session: Session,
    request_id: int,
    employee: Person,
    when: datetime,
    now: datetime,
    moving: bool = False,
) -> MeetingRequest | None:
    """The employee answers a counter-proposal with another time, or (`moving`) proposes a new
    time for the meeting already accepted: the manager's turn again. Until they accept it, the
    accepted time stays the one in both calendars."""
    check_employee(get_request(session, request_id), employee)
    done = _transition(
        session,
        request_id,
        {MeetingStatus.ACCEPTED if moving else MeetingStatus.COUNTER_PROPOSED},
        status=MeetingStatus.PENDING,
        proposed_times=[when.astimezone(UTC).isoformat()],
        answered_at=None,
    )
    if done is not None:
        meeting_timeline.wait_for_manager(
            session, done, manager_tz=request_manager(session, done).tz, now=now
        )
    return done


# -- the manager's side ----------------------------------------------------------------------


def accept(
    *, session: Session, request_id: int, manager: Person, choice: int, now: datetime
) -> MeetingRequest | None:
    request = _check_manager(get_request(session, request_id), manager)
    times = proposed_times(request)
    if not 0 <= choice < len(times):
        return None
    done = _transition(
        session,
        request_id,
        {MeetingStatus.PENDING},
        status=MeetingStatus.ACCEPTED,
        accepted_time=times[choice],
        answered_at=now,
    )
    if done is not None:
        meeting_timeline.meeting_on_the_clock(session, done, now=now)
    return done


def counter_propose(
    *,
    session: Session,
    request_id: int,
    manager: Person,
    when: datetime,
    note: str | None,
    now: datetime,
    moving: bool = False,
) -> MeetingRequest | None:
    """The manager proposes another time: for the request waiting on them, or (`moving`) for
    the meeting already accepted, which keeps its accepted time until the employee agrees."""
    _check_manager(get_request(session, request_id), manager)
    done = _transition(
        session,
        request_id,
        {MeetingStatus.ACCEPTED if moving else MeetingStatus.PENDING},
        status=MeetingStatus.COUNTER_PROPOSED,
        counter_time=when,
        counter_note=note,
        answered_at=now,
    )
    if done is not None:
        meeting_timeline.cancel(session, done, meeting_timeline.WAITING_KINDS, now)
    return done


def decline(
    *, session: Session, request_id: int, manager: Person, reason: str | None, now: datetime
) -> MeetingRequest | None:
    _check_manager(get_request(session, request_id), manager)
    done = _transition(
        session,
        request_id,
        {MeetingStatus.PENDING},
        status=MeetingStatus.DECLINED,
        decline_reason=reason,
        answered_at=now,
    )
    if done is not None:
        meeting_timeline.cancel(session, done, meeting_timeline.WAITING_KINDS, now)
    return done


def expire(*, session: Session, request_id: int, now: datetime) -> MeetingRequest | None:
    """No answer for a week: the request expires (the employee can send it again)."""
    done = _transition(
        session, request_id, {MeetingStatus.PENDING}, status=MeetingStatus.EXPIRED, answered_at=now
    )
    if done is not None:
        meeting_timeline.cancel(session, done, (kinds.MEETING_NUDGE,), now)
    return done
