""" "I'm not their manager": the person an employee named can say so, and nothing more from that
employee reaches them until they undo it: the manager is whoever the employee says, so the
person named must be able to say it isn't them.

A request offers the button until its recipient has acted as the employee's manager (accepted a
meeting, proposed a time, or given feedback): the first request always carries it, and someone
who ignored the first one is not left without a way to stop the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    FeedbackRequest,
    FeedbackRequestStatus,
    FeedbackSchedule,
    ManagerRefusal,
    MeetingRequest,
    MeetingStatus,
    Person,
    ScheduleStatus,
)
from models.feedback import OPEN_STATUSES
from slackapp.kernel import due_work, kinds
from slackapp.services import feedback, meeting_timeline, workflow_steps

CLOSE_REASON = "not_manager"


def has_refused(session: Session, *, employee_id: int, person_id: int) -> bool:
    """Whether this person said they aren't this employee's manager (and hasn't undone it)."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    ManagerRefusal.employee_id == employee_id,
                    ManagerRefusal.person_id == person_id,
                )
            )
        )
    )


def refused_by(session: Session, employee: Person) -> list[Person]:
    """The people who said they aren't this employee's manager, earliest first."""
    return list(
        session.scalars(
            select(Person)
            .join(ManagerRefusal, ManagerRefusal.person_id == Person.id)
            .where(
                ManagerRefusal.workspace_id == employee.workspace_id,
                ManagerRefusal.employee_id == employee.id,
            )
            .order_by(ManagerRefusal.created_at, ManagerRefusal.id)
        )
    )


def asks_if_manager(session: Session, *, employee_id: int, manager_id: int) -> bool:
    """Whether a request from this employee to this person offers "I'm not their manager"."""
    acted_in_meeting = exists().where(
        MeetingRequest.employee_id == employee_id,
        MeetingRequest.manager_id == manager_id,
        or_(MeetingRequest.accepted_time.is_not(None), MeetingRequest.counter_time.is_not(None)),
    )
    gave_feedback = exists().where(
        FeedbackRequest.employee_id == employee_id,
        FeedbackRequest.manager_id == manager_id,
        FeedbackRequest.status == FeedbackRequestStatus.ANSWERED.value,
    )
    return not session.scalar(select(or_(acted_in_meeting, gave_feedback)))


def asks_if_manager_loaded(
    *, manager_id: int, history: list[FeedbackRequest], latest_meeting: MeetingRequest | None
) -> bool:
    """asks_if_manager from what the App Home already loaded (no statement of its own): the
    newest requests and meeting say whether this person has acted as the manager, since someone
    who answered once answers again long before 50 newer requests go unanswered."""
    gave_feedback = any(
        r.manager_id == manager_id and r.status == FeedbackRequestStatus.ANSWERED.value
        for r in history
    )
    met = latest_meeting is not None and (
        latest_meeting.manager_id == manager_id
        and (latest_meeting.accepted_time is not None or latest_meeting.counter_time is not None)
    )
    return not (gave_feedback or met)


def messages_to(session: Session, *, employee_id: int, person_id: int) -> set[tuple[str, str]]:
    """Where the app's request DMs from this employee to this person are (channel, ts): the only
    messages "I'm not their manager" and its undo may update in place."""
    found: set[tuple[str, str]] = set()
    for channel, ts in session.execute(
        select(MeetingRequest.manager_channel, MeetingRequest.manager_ts).where(
            MeetingRequest.employee_id == employee_id, MeetingRequest.manager_id == person_id
        )
    ):
        if channel and ts:
            found.add((channel, ts))
    for channel, ts, nudge_channel, nudge_ts in session.execute(
        select(
            FeedbackRequest.channel,
            FeedbackRequest.ts,
            FeedbackRequest.nudge_channel,
            FeedbackRequest.nudge_ts,
        ).where(FeedbackRequest.employee_id == employee_id, FeedbackRequest.manager_id == person_id)
    ):
        for where in ((channel, ts), (nudge_channel, nudge_ts)):
            if where[0] and where[1]:
                found.add((where[0], where[1]))
    return found


@dataclass
class Refused:
    """What saying "I'm not their manager" closed, so the listener can update the DMs in place."""

    employee: Person
    meetings: list[MeetingRequest] = field(default_factory=list)
    feedback_requests: list[FeedbackRequest] = field(default_factory=list)
    stopped_schedule: bool = False


def refuse(session: Session, *, employee: Person, person: Person, now: datetime) -> Refused | None:
    """Remember the refusal and stop everything from this employee to this person.

    None when it was already remembered (a double click): the first click did the rest.
    """
    try:
        with session.begin_nested():
            session.add(
                ManagerRefusal(
                    workspace_id=employee.workspace_id, employee_id=employee.id, person_id=person.id
                )
            )
    except IntegrityError:
        return None
    done = Refused(employee=employee)
    open_meetings = [
        MeetingStatus.PENDING.value,
        MeetingStatus.COUNTER_PROPOSED.value,
        MeetingStatus.ACCEPTED.value,
    ]
    for request in session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.employee_id == employee.id,
            MeetingRequest.manager_id == person.id,
            MeetingRequest.status.in_(open_meetings),
            MeetingRequest.outcome_recorded_at.is_(None),
        )
    ):
        request.status = MeetingStatus.NOT_MANAGER.value
        request.answered_at = now
        meeting_timeline.cancel(
            session, request, meeting_timeline.WAITING_KINDS + meeting_timeline.MEETING_KINDS, now
        )
        done.meetings.append(request)
    for sent in session.scalars(
        select(FeedbackRequest).where(
            FeedbackRequest.employee_id == employee.id,
            FeedbackRequest.manager_id == person.id,
            FeedbackRequest.status.in_(OPEN_STATUSES),
        )
    ):
        feedback.close_request(sent, FeedbackRequestStatus.CANCELLED, reason=CLOSE_REASON, now=now)
        workflow_steps.settle_soon(session, request_id=sent.id, now=now)
        for kind in (kinds.FEEDBACK_REQUEST, kinds.FEEDBACK_NUDGE):
            due_work.cancel(session, kind=kind, subject_id=sent.id, now=now)
        done.feedback_requests.append(sent)
    for schedule in session.scalars(
        select(FeedbackSchedule).where(
            FeedbackSchedule.employee_id == employee.id,
            FeedbackSchedule.manager_id == person.id,
            FeedbackSchedule.status.in_([ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value]),
        )
    ):
        feedback.stop_schedule(session=session, schedule=schedule, now=now)
        done.stopped_schedule = True
    if employee.manager_id == person.id:
        employee.manager_id = None  # not prefilled in the modals any more
    session.flush()
    return done


def undo(session: Session, *, employee_id: int, person: Person) -> Person | None:
    """ "I am their manager after all": only the person who refused can undo it. Returns the
    employee, or None when there was nothing of theirs to undo. Nothing stopped restarts: the
    employee chooses again."""
    result = session.execute(
        delete(ManagerRefusal)
        .where(
            ManagerRefusal.workspace_id == person.workspace_id,
            ManagerRefusal.employee_id == employee_id,
            ManagerRefusal.person_id == person.id,
        )
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return session.get(Person, employee_id)
