"""Leave: "I'm away until <date>", said on the App Home or on a feedback DM.

While the person is away their own feedback requests are paused (nothing falls due, nothing is
stacked afterwards), and held for them as a manager (jobs/feedback.py). The working day after,
a welcome back DM resumes what was paused.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FeedbackSchedule, Person, ScheduleStatus
from models.feedback import PausedReason
from slackapp.kernel import due_work, kinds
from slackapp.services.feedback import pause_schedule, resume_schedule
from slackapp.services.working_time import calendar_of


def set_away(*, session: Session, person: Person, until: date | None, now: datetime) -> None:
    """ "I'm away until <date>" (None: back now). The person's own feedback requests pause until
    the working day after, when they resume by themselves with a short welcome back."""
    person.away_until = until
    schedules = list(
        session.scalars(
            select(FeedbackSchedule).where(
                FeedbackSchedule.employee_id == person.id,
                FeedbackSchedule.status.in_(
                    [ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value]
                ),
            )
        )
    )
    due_work.cancel(session, kind=kinds.WELCOME_BACK, subject_id=person.id, now=now)
    for schedule in schedules:
        if until is not None and schedule.status == ScheduleStatus.ACTIVE.value:
            pause_schedule(
                session=session, schedule=schedule, now=now, reason=PausedReason.EMPLOYEE_AWAY
            )
        elif until is None and schedule.paused_reason == PausedReason.EMPLOYEE_AWAY.value:
            resume_schedule(session=session, schedule=schedule, now=now)
    if until is not None:
        due_work.schedule_again(
            session,
            workspace_id=person.workspace_id,
            kind=kinds.WELCOME_BACK,
            subject_id=person.id,
            due_at=calendar_of(person).morning_after_day(until),
        )


def come_back(*, session: Session, person: Person, now: datetime) -> None:
    """The working day after "away until": the person's paused requests carry on."""
    set_away(session=session, person=person, until=None, now=now)
