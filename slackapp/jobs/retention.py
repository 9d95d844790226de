"""Due work of the retention window: the purges once it has passed, and the DM that tells an
employee how to resume a schedule paused while the app (or their account) was away; and a
deactivated account a send found, which goes the way of the user_change event."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models import FeedbackSchedule, Person, ScheduleStatus, Workspace
from models.feedback import PausedReason
from slackapp.jobs.registry import Delivery, JobContext
from slackapp.services.privacy import delete_person
from slackapp.services.retention import account_changed, purge_workspace
from slackapp.views.i18n import read_as
from slackapp.views.privacy import resume_notice

PAUSED_WHILE_AWAY = (PausedReason.UNINSTALLED.value, PausedReason.DEACTIVATED.value)


def recipient_deactivated(
    session: Session,
    *,
    workspace_id: int,
    slack_user_id: str,
    now: datetime,
    retention: timedelta,
) -> None:
    """A send found the account deactivated (users.info says `deleted: true`): the same path as
    Slack's user_change event, which the app may have missed."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None:
        account_changed(
            session,
            workspace=workspace,
            slack_user_id=slack_user_id,
            deactivated=True,
            now=now,
            retention=retention,
        )


def purge_uninstalled_workspace(ctx: JobContext) -> None:
    purge_workspace(ctx.session, workspace_id=ctx.work.subject_id)


def purge_deactivated_person(ctx: JobContext) -> None:
    # They did not ask for this: their manager's DMs are left as they are (a deactivated
    # account's messages are the workspace's to keep or remove), and the history of the people
    # they managed stays with those people.
    person = ctx.session.get(Person, ctx.work.subject_id)
    if person is not None:
        delete_person(ctx.session, person=person, keep_others_history=True)


def tell_how_to_resume(ctx: JobContext) -> Delivery | None:
    schedule = ctx.session.get(FeedbackSchedule, ctx.work.subject_id)
    if (
        schedule is None
        or schedule.status != ScheduleStatus.PAUSED.value
        or schedule.paused_reason not in PAUSED_WHILE_AWAY
    ):
        return None  # resumed, changed or stopped already
    employee = ctx.session.get(Person, schedule.employee_id)
    manager = ctx.session.get(Person, schedule.manager_id)
    if employee is None or manager is None:
        return None
    read_as(employee.reads)
    text, blocks = resume_notice(
        manager_user_id=manager.slack_user_id,
        schedule_id=schedule.id,
        after_uninstall=schedule.paused_reason == PausedReason.UNINSTALLED.value,
    )
    return Delivery(user_id=employee.slack_user_id, text=text, blocks=blocks)
