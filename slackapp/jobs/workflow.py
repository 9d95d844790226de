"""Due work of the Workflow Builder step: telling Slack how a run of "Request feedback from a
manager" ended (functions.completeSuccess with the manager's answer, or completeError)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models import FeedbackRequest, Person
from models.feedback import FeedbackRequestStatus
from slackapp.jobs.registry import Delivery, JobContext, StepEnding
from slackapp.services import workflow_steps
from slackapp.services.feedback import close_request, retire_messages
from slackapp.services.workflow_steps import StepRefusal
from slackapp.views.workflow import step_error, step_outputs


def _expire(session: Session, request_id: int, now: datetime) -> None:
    """No answer in time: the request is missed, and the manager's DM loses its button."""
    request = session.get(FeedbackRequest, request_id)
    if request is None or request.status not in (
        FeedbackRequestStatus.DUE.value,
        FeedbackRequestStatus.SENT.value,
    ):
        return
    close_request(request, FeedbackRequestStatus.MISSED, reason="workflow_deadline", now=now)
    retire_messages(session, request, now)


def report_ending(ctx: JobContext) -> Delivery | None:
    """For both kinds: the request was answered or closed (WORKFLOW_STEP_ENDED), or its 7 days
    are up (WORKFLOW_STEP_DEADLINE). Whichever comes first reports; the other finds it done."""
    request_id, now = ctx.work.subject_id, ctx.now
    end = workflow_steps.ending(ctx.session, request_id=request_id, now=now)
    request = ctx.session.get(FeedbackRequest, request_id)
    employee = ctx.session.get(Person, request.employee_id) if request is not None else None
    if end is None or employee is None:
        return None
    if end.refusal is None:
        ending = StepEnding(
            end.execution_id, outputs=step_outputs(end.rating or "", end.answers or [])
        )
    else:
        ending = StepEnding(end.execution_id, error=step_error(end.refusal))
    step_id, failed = end.step_id, end.refusal is not None
    timed_out = end.refusal is StepRefusal.NO_ANSWER

    def reported(session: Session, _channel: str, _ts: str) -> None:
        if timed_out:
            _expire(session, request_id, now)
        workflow_steps.finish(session, step_id=step_id, failed=failed, now=now)

    return Delivery(
        user_id=employee.slack_user_id,
        text=ending.error or "",
        step_ending=ending,
        on_sent=reported,
    )
