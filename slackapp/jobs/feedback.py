"""Due work of step 4: feedback requests, the nudge, missed requests and notes to the employee."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from models import FeedbackRequest, FeedbackSchedule, ManagerRefusal, Person
from models.feedback import FeedbackRequestStatus, RequestSource, ScheduleStatus
from slackapp.jobs.away import away_now, hold_while_away
from slackapp.jobs.registry import Delivery, Hold, JobContext
from slackapp.services import expectations, refusals
from slackapp.services import feedback as svc
from slackapp.services.feedback_progress import progress_since_last
from slackapp.services.feedback_schedule import (
    hold_request,
    mark_sent,
    missed_together,
    plan_due_requests,
)
from slackapp.services.working_time import Away
from slackapp.views.feedback import day, in_both_zones
from slackapp.views.feedback_home import RATING_MARK
from slackapp.views.feedback_messages import (
    MISSED_NOTE,
    ProgressLines,
    answered_note,
    closed_dm,
    feedback_for_employee,
    missed_text,
    nudge_dm,
    progress_lines,
    rating_words,
    request_dm,
    unreachable_text,
)
from slackapp.views.i18n import _, read_as
from slackapp.views.working_time import held_text


def make_due_requests(session: Session, now: datetime) -> None:
    """Every feedback schedule that has come round gets its request, and the due work that
    sends it."""
    plan_due_requests(session, now)


Loaded = tuple[FeedbackRequest, Person, Person, FeedbackSchedule | None, bool]


def _request_and_people(session: Session, request_id: int) -> Loaded | None:
    """The request with its employee, manager and schedule in one query, and whether the manager
    said they aren't the employee's manager. The caller keeps all four objects: the session's
    identity map holds them weakly, and while they are referenced the session.get()s of them
    further on cost no query (bench/dispatch.py)."""
    employee, manager = aliased(Person), aliased(Person)
    row = session.execute(
        select(FeedbackRequest, employee, manager, FeedbackSchedule, ManagerRefusal.id)
        .join(employee, employee.id == FeedbackRequest.employee_id)
        .join(manager, manager.id == FeedbackRequest.manager_id)
        .outerjoin(FeedbackSchedule, FeedbackSchedule.id == FeedbackRequest.schedule_id)
        .outerjoin(
            ManagerRefusal,
            and_(
                ManagerRefusal.employee_id == FeedbackRequest.employee_id,
                ManagerRefusal.person_id == FeedbackRequest.manager_id,
            ),
        )
        .where(FeedbackRequest.id == request_id)
    ).first()
    return (row[0], row[1], row[2], row[3], row[4] is not None) if row is not None else None


def _people(session: Session, request: FeedbackRequest) -> tuple[Person, Person]:
    employee = session.get(Person, request.employee_id)
    manager = session.get(Person, request.manager_id)
    assert employee is not None and manager is not None
    return employee, manager


def _next_send(session: Session, request: FeedbackRequest, employee: Person) -> str | None:
    schedule = session.get(FeedbackSchedule, request.schedule_id) if request.schedule_id else None
    if schedule is None or schedule.next_run_at is None:
        return None
    return in_both_zones(schedule.next_run_at, schedule.tz, employee.tz)


def _progress_lines(session: Session, request: FeedbackRequest, tz: str) -> ProgressLines | None:
    schedule = session.get(FeedbackSchedule, request.schedule_id) if request.schedule_id else None
    if request.source == RequestSource.WORKFLOW.value:
        # A workflow's request has no schedule of its own: the employee's choice on theirs
        # holds, and with no schedule (no choice made) their progress is not shown.
        employee = session.get(Person, request.employee_id)
        schedule = svc.current_schedule(session, employee) if employee is not None else None
        if schedule is None:
            return None
    if schedule is not None and not schedule.share_progress:
        return None
    return progress_lines(progress_since_last(session, request), tz)


def send_request(ctx: JobContext) -> Delivery | Hold | None:
    loaded = _request_and_people(ctx.session, ctx.work.subject_id)
    if loaded is None or loaded[0].status != FeedbackRequestStatus.DUE.value:
        return None
    request, employee, manager, schedule, refused = loaded
    read_as(manager.reads)  # the request is theirs to read; the employee's notice says below
    request_id, now = request.id, ctx.now
    if refused:  # they said they aren't the employee's manager: nothing more reaches them
        svc.close_request(
            request, FeedbackRequestStatus.CANCELLED, reason=refusals.CLOSE_REASON, now=now
        )
        return None
    if (
        request.source == RequestSource.SCHEDULE.value
        and schedule is not None
        and schedule.status != ScheduleStatus.ACTIVE.value
        and schedule.status != ScheduleStatus.ENDED.value
    ):
        svc.close_request(request, FeedbackRequestStatus.CANCELLED, reason=schedule.status, now=now)
        return None
    # Judged from the first claim, so a retry after a crash decides as the first attempt did.
    started = ctx.work.first_claimed_at or now
    if started - (request.held_until or request.due_at) > svc.LATE_LIMIT:

        def missed(session: Session, _channel: str, _ts: str) -> None:
            late = session.get(FeedbackRequest, request_id)
            if late is not None and late.status == FeedbackRequestStatus.DUE.value:
                svc.close_request(late, FeedbackRequestStatus.MISSED, reason="late", now=now)

        read_as(employee.reads)
        text = missed_text(
            manager_user_id=manager.slack_user_id,
            dates=[day(request.due_at, employee.tz)],
            next_send=_next_send(ctx.session, request, employee),
        )
        return Delivery(user_id=employee.slack_user_id, text=text, on_sent=missed)
    gone = away_now(ctx, manager)  # said in the app, or their Slack status read now
    if gone is not None:
        return Hold(on_held=partial(_hold, request_id=request_id, away=gone, now=now))

    agreed = expectations.agreed_texts(ctx.session, employee)

    def sent(session: Session, channel: str, ts: str) -> None:
        # Run in the handler's session: the request and manager loaded above, no query.
        done = request if session is ctx.session else session.get(FeedbackRequest, request_id)
        if done is not None and done.status == FeedbackRequestStatus.DUE.value:
            mark_sent(session, done, channel=channel, ts=ts, now=now, manager=manager)
            done.expectations = agreed

    def unreachable(session: Session, _code: str) -> None:
        svc.manager_unreachable(session=session, request_id=request_id, now=now)

    text, blocks = request_dm(
        employee_user_id=employee.slack_user_id,
        request_id=request.id,
        questions=list(request.questions),
        progress=_progress_lines(ctx.session, request, manager.tz),
        expectations=agreed,
        now_request=request.source in (RequestSource.NOW.value, RequestSource.WORKFLOW.value),
        ask_if_manager=refusals.asks_if_manager(
            ctx.session, employee_id=employee.id, manager_id=manager.id
        ),
    )
    return Delivery(
        user_id=manager.slack_user_id,
        text=text,
        blocks=blocks,
        on_sent=sent,
        on_unreachable=unreachable,
        extra_metadata={"feedback_request_id": request.id},
    )


def _hold(session: Session, *, request_id: int, away: Away, now: datetime) -> None:
    hold_request(session, request_id=request_id, away=away, now=now)


def tell_employee_request_held(ctx: JobContext) -> Delivery | None:
    """ "Max is away until Mon 5 Jan; your request will reach them then" (never why)."""
    request = ctx.session.get(FeedbackRequest, ctx.work.subject_id)
    if request is None or request.status != FeedbackRequestStatus.DUE.value:
        return None
    employee, manager = _people(ctx.session, request)
    back = day(request.held_return, employee.tz) if request.held_return else None
    return Delivery(
        user_id=employee.slack_user_id,
        text=held_text(manager_user_id=manager.slack_user_id, back=back),
    )


def nudge_manager(ctx: JobContext) -> Delivery | Hold | None:
    loaded = _request_and_people(ctx.session, ctx.work.subject_id)
    if loaded is None:
        return None
    request, employee, manager, _schedule, refused = loaded
    read_as(manager.reads)
    if refused or request.status != FeedbackRequestStatus.SENT.value or request.nudged_at:
        return None
    held = hold_while_away(ctx, manager)
    if held is not None:
        return held
    request_id, now = request.id, ctx.now

    def sent(session: Session, channel: str, ts: str) -> None:
        nudged = session.get(FeedbackRequest, request_id)
        if nudged is not None:
            nudged.nudged_at, nudged.nudge_channel, nudged.nudge_ts = now, channel, ts

    def unreachable(session: Session, _code: str) -> None:
        svc.manager_unreachable(session=session, request_id=request_id, now=now)

    text, blocks = nudge_dm(
        employee_user_id=employee.slack_user_id,
        request_id=request.id,
        asked_on=day(request.sent_at or request.due_at, manager.tz),
    )
    return Delivery(
        user_id=manager.slack_user_id,
        text=text,
        blocks=blocks,
        on_sent=sent,
        on_unreachable=unreachable,
    )


def _closed_note(session: Session, request: FeedbackRequest, manager: Person) -> str:
    if request.status == FeedbackRequestStatus.ANSWERED.value and request.answer is not None:
        employee = session.get(Person, request.employee_id)
        return answered_note(
            rating_words(request.answer.rating),
            day(request.answered_at or request.due_at, manager.tz),
            employee.slack_user_id if employee else "",
        )
    return _(MISSED_NOTE)


def close_request_message(ctx: JobContext) -> Delivery | None:
    """A missed request's DM is updated in place: no button left that leads nowhere."""
    request = ctx.session.get(FeedbackRequest, ctx.work.subject_id)
    if request is None or not (request.channel and request.ts):
        return None
    employee, manager = _people(ctx.session, request)
    read_as(manager.reads)
    text, blocks = closed_dm(
        employee_user_id=employee.slack_user_id,
        note=_closed_note(ctx.session, request, manager),
        questions=list(request.questions),
    )
    return Delivery(
        user_id=manager.slack_user_id,
        text=text,
        blocks=blocks,
        replace=(request.channel, request.ts),
    )


def close_nudge_message(ctx: JobContext) -> Delivery | None:
    request = ctx.session.get(FeedbackRequest, ctx.work.subject_id)
    if request is None or not (request.nudge_channel and request.nudge_ts):
        return None
    employee, manager = _people(ctx.session, request)
    read_as(manager.reads)
    text, blocks = closed_dm(
        employee_user_id=employee.slack_user_id, note=_closed_note(ctx.session, request, manager)
    )
    return Delivery(
        user_id=manager.slack_user_id,
        text=text,
        blocks=blocks,
        replace=(request.nudge_channel, request.nudge_ts),
    )


def tell_employee_manager_unreachable(ctx: JobContext) -> Delivery | None:
    request = ctx.session.get(FeedbackRequest, ctx.work.subject_id)
    if request is None:
        return None
    employee, manager = _people(ctx.session, request)
    read_as(employee.reads)
    return Delivery(user_id=employee.slack_user_id, text=unreachable_text(manager.slack_user_id))


def tell_employee_of_answer(ctx: JobContext) -> Delivery | None:
    """The manager's answer, in the employee's DM and language."""
    request = ctx.session.get(FeedbackRequest, ctx.work.subject_id)
    if request is None or request.answer is None:
        return None
    employee, manager = _people(ctx.session, request)
    answer = request.answer
    read_as(employee.reads)
    text, blocks = feedback_for_employee(
        manager_user_id=manager.slack_user_id,
        rating_mark=RATING_MARK[answer.rating],
        rating_label=rating_words(answer.rating),
        answers=list(answer.answers),
        discuss=answer.discuss_in_person,
        expectation_ratings=list(answer.expectation_ratings or []),
    )
    return Delivery(user_id=employee.slack_user_id, text=text, blocks=blocks)


def tell_employee_requests_missed(ctx: JobContext) -> Delivery | None:
    request = ctx.session.get(FeedbackRequest, ctx.work.subject_id)
    if request is None:
        return None
    employee, manager = _people(ctx.session, request)
    read_as(employee.reads)
    missed = missed_together(ctx.session, request) or [request]
    return Delivery(
        user_id=employee.slack_user_id,
        text=missed_text(
            manager_user_id=manager.slack_user_id,
            dates=[day(r.due_at, employee.tz) for r in missed],
            next_send=_next_send(ctx.session, request, employee),
        ),
    )
