"""What happens to data when someone can no longer use the app: the app is uninstalled, or a
person's Slack account is deactivated. Their schedules stop at once; the data itself is kept for
the retention window (SECONDCHANCE_RETENTION_DAYS), so coming back within it finds everything as
it was, then purged through the due-work path.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from models import (
    DueWork,
    FeedbackRequest,
    FeedbackSchedule,
    MeetingRequest,
    Person,
    Plan,
    ScheduleStatus,
    SendPace,
    Step,
    Workspace,
)
from models.feedback import PausedReason
from slackapp.kernel import due_work, kinds
from slackapp.services.feedback import OPEN_STATUSES, manager_unreachable, pause_schedule
from slackapp.services.people import find_person

logger = logging.getLogger(__name__)

UNINSTALLED = "uninstalled"
DEACTIVATED = "deactivated"


def work_about(
    *,
    person_id: int,
    plan_ids: list[int],
    step_ids: list[int],
    meeting_ids: list[int],
    request_ids: list[int],
    schedule_ids: list[int],
) -> ColumnElement[bool]:
    """Due work whose subject is one of these rows. A due work row names its subject by id
    alone, so the kind says which table."""
    return or_(
        (DueWork.kind == kinds.STEP_REMINDER) & DueWork.subject_id.in_(step_ids),
        (DueWork.kind == kinds.ACT_QUICKLY) & DueWork.subject_id.in_(plan_ids),
        DueWork.kind.in_(kinds.MEETING) & DueWork.subject_id.in_(meeting_ids),
        DueWork.kind.in_(kinds.FEEDBACK) & DueWork.subject_id.in_(request_ids),
        (DueWork.kind == kinds.SCHEDULE_RESUME_NOTICE) & DueWork.subject_id.in_(schedule_ids),
        DueWork.kind.in_((kinds.PERSON_PURGE, kinds.WELCOME_BACK))
        & (DueWork.subject_id == person_id),
    )


# A Workflow Builder run waiting on a feedback request is the workflow's, not the person's: it
# still ends (answered, closed, or its 7 days up) and Slack is told, whoever was deactivated.
_WORKFLOW_RUN = (kinds.WORKFLOW_STEP_ENDED, kinds.WORKFLOW_STEP_DEADLINE)


def own_work(session: Session, person: Person) -> ColumnElement[bool]:
    """Due work about what this person does as an employee (their plans, their requests), to
    set aside while their account is deactivated."""
    plan_ids = list(session.scalars(select(Plan.id).where(Plan.owner_id == person.id)))
    return DueWork.kind.not_in(_WORKFLOW_RUN) & work_about(
        person_id=person.id,
        plan_ids=plan_ids,
        step_ids=list(session.scalars(select(Step.id).where(Step.plan_id.in_(plan_ids)))),
        meeting_ids=list(
            session.scalars(
                select(MeetingRequest.id).where(MeetingRequest.employee_id == person.id)
            )
        ),
        request_ids=list(
            session.scalars(
                select(FeedbackRequest.id).where(FeedbackRequest.employee_id == person.id)
            )
        ),
        schedule_ids=list(
            session.scalars(
                select(FeedbackSchedule.id).where(FeedbackSchedule.employee_id == person.id)
            )
        ),
    )


def _pause(
    session: Session,
    feedback_schedules: list[FeedbackSchedule],
    reason: PausedReason,
    now: datetime,
) -> None:
    for schedule in feedback_schedules:
        pause_schedule(session=session, schedule=schedule, now=now, reason=reason)


def _tell_how_to_resume(
    session: Session,
    feedback_schedules: list[FeedbackSchedule],
    reason: PausedReason,
    now: datetime,
) -> None:
    for schedule in feedback_schedules:
        if (
            schedule.status == ScheduleStatus.PAUSED.value
            and schedule.paused_reason == reason.value
        ):
            due_work.schedule(
                session,
                workspace_id=schedule.workspace_id,
                kind=kinds.SCHEDULE_RESUME_NOTICE,
                subject_id=schedule.id,
                due_at=now,
            )


# -- a workspace ----------------------------------------------------------------------------


def stop_workspace(
    session: Session, *, workspace: Workspace, now: datetime, retention: timedelta
) -> None:
    """The app was uninstalled: nothing more is sent, and the purge is put on the clock."""
    if workspace.uninstalled_at is None:
        workspace.uninstalled_at = now
    feedback_schedules = list(
        session.scalars(
            select(FeedbackSchedule).where(
                FeedbackSchedule.workspace_id == workspace.id,
                FeedbackSchedule.status == ScheduleStatus.ACTIVE.value,
            )
        )
    )
    _pause(session, feedback_schedules, PausedReason.UNINSTALLED, now)
    session.flush()
    due_work.set_aside(session, DueWork.workspace_id == workspace.id, reason=UNINSTALLED, now=now)
    if not due_work.pending(session, kind=kinds.WORKSPACE_PURGE, subject_id=workspace.id):
        due_work.schedule(
            session,
            workspace_id=workspace.id,
            kind=kinds.WORKSPACE_PURGE,
            subject_id=workspace.id,
            due_at=now + retention,
        )


def restart_workspace(session: Session, *, workspace: Workspace, now: datetime) -> None:
    """Installed again within the window: the purge is called off, reminders still ahead come
    back, and each employee whose schedule was paused is told how to resume it."""
    if workspace.uninstalled_at is None:
        return
    workspace.uninstalled_at = None
    due_work.cancel(session, kind=kinds.WORKSPACE_PURGE, subject_id=workspace.id, now=now)
    due_work.rearm(session, DueWork.workspace_id == workspace.id, reason=UNINSTALLED, now=now)
    paused = list(
        session.scalars(
            select(FeedbackSchedule).where(
                FeedbackSchedule.workspace_id == workspace.id,
                FeedbackSchedule.status == ScheduleStatus.PAUSED.value,
                FeedbackSchedule.paused_reason == PausedReason.UNINSTALLED.value,
            )
        )
    )
    _tell_how_to_resume(session, paused, PausedReason.UNINSTALLED, now)


def purge_workspace(session: Session, *, workspace_id: int) -> bool:
    """Everything the app keeps about a workspace: every table's rows are scoped to it and go
    with it (ON DELETE CASCADE). Not if it was installed again meanwhile."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or workspace.uninstalled_at is None:
        return False
    session.execute(
        delete(Workspace).where(Workspace.id == workspace_id),
        execution_options={"synchronize_session": False},
    )
    # Its send pace (not a row about anyone, and keyed by name, not by a foreign key).
    session.execute(delete(SendPace).where(SendPace.of_workspace(workspace_id)))
    session.expire_all()
    logger.info("purged workspace %s after the retention window", workspace_id)
    return True


# -- a person -------------------------------------------------------------------------------


def _employee_schedules(session: Session, person: Person, *statuses: str) -> list[FeedbackSchedule]:
    return list(
        session.scalars(
            select(FeedbackSchedule).where(
                FeedbackSchedule.employee_id == person.id, FeedbackSchedule.status.in_(statuses)
            )
        )
    )


def account_changed(
    session: Session,
    *,
    workspace: Workspace,
    slack_user_id: str,
    deactivated: bool,
    now: datetime,
    retention: timedelta,
) -> None:
    """Slack says a person's account was deactivated (or active again). Only people the app
    has met matter; everyone else's changes are none of its business."""
    person = find_person(session, workspace_id=workspace.id, slack_user_id=slack_user_id)
    if person is None:
        return
    waiting = due_work.pending(session, kind=kinds.PERSON_PURGE, subject_id=person.id)
    if deactivated and not waiting:
        _pause(
            session,
            _employee_schedules(session, person, ScheduleStatus.ACTIVE.value),
            PausedReason.DEACTIVATED,
            now,
        )
        session.flush()
        due_work.set_aside(session, own_work(session, person), reason=DEACTIVATED, now=now)
        # Requests waiting on them as a manager will not be answered: each employee is told,
        # their schedule pauses, and a workflow run waiting on one ends with the reason.
        waiting_on_them = session.scalars(
            select(FeedbackRequest.id).where(
                FeedbackRequest.manager_id == person.id,
                FeedbackRequest.status.in_(OPEN_STATUSES),
            )
        ).all()
        for request_id in waiting_on_them:
            manager_unreachable(session=session, request_id=request_id, now=now)
        due_work.schedule(
            session,
            workspace_id=workspace.id,
            kind=kinds.PERSON_PURGE,
            subject_id=person.id,
            due_at=now + retention,
        )
    elif not deactivated and waiting:
        due_work.cancel(session, kind=kinds.PERSON_PURGE, subject_id=person.id, now=now)
        due_work.rearm(session, own_work(session, person), reason=DEACTIVATED, now=now)
        _tell_how_to_resume(
            session,
            _employee_schedules(session, person, ScheduleStatus.PAUSED.value),
            PausedReason.DEACTIVATED,
            now,
        )
