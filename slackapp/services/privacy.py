"""A person's own data: all of it exported, or all of it deleted.

The export is what they own as the employee. Deletion goes further: nothing left in any table
may name them, so the requests between them and anyone else go too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, inspect, or_, select, update
from sqlalchemy.orm import Session

from models import (
    Checkin,
    DueWork,
    ExportFile,
    FeedbackRequest,
    FeedbackSchedule,
    Installation,
    MeetingRequest,
    MeetingStatus,
    OpenedView,
    Person,
    Plan,
    Step,
    WorkflowStep,
)
from slackapp.services import calendar
from slackapp.services.retention import work_about

# Bookkeeping that says nothing about the person: where rows live, leases, message ids.
INTERNAL = {
    "workspace_id", "owner_id", "employee_id", "manager_id", "plan_id", "reflection_id",
    "meeting_request_id", "schedule_id", "feedback_request_id", "open_employee_id", "submit_key",
    "manager_channel", "manager_ts", "employee_channel", "employee_ts", "channel", "ts",
    "nudge_channel", "nudge_ts", "file_id",
}  # fmt: skip


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _row(obj: Any) -> dict[str, Any]:
    return {
        column.key: _value(getattr(obj, column.key))
        for column in inspect(obj).mapper.column_attrs
        if column.key not in INTERNAL
    }


def export_data(session: Session, *, person: Person) -> dict[str, Any]:
    """Everything the app keeps about this person as an employee, private notes included."""
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    plans = session.scalars(select(Plan).where(Plan.owner_id == person.id).order_by(Plan.id))
    meetings = session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.employee_id == person.id)
        .order_by(MeetingRequest.id)
    )
    feedback_schedules = session.scalars(
        select(FeedbackSchedule)
        .where(FeedbackSchedule.employee_id == person.id)
        .order_by(FeedbackSchedule.id)
    )
    requests = session.scalars(
        select(FeedbackRequest)
        .where(FeedbackRequest.employee_id == person.id)
        .order_by(FeedbackRequest.id)
    )
    # Their own check-ins, and only theirs: the query is by this person alone.
    checkins = session.scalars(
        select(Checkin).where(Checkin.person_id == person.id).order_by(Checkin.id)
    )
    return {
        "person": {
            "slack_user_id": person.slack_user_id,
            "time_zone": person.tz,
            "manager_slack_user_id": manager.slack_user_id if manager else None,
            "holiday_country": person.holiday_country,
            "holiday_region": person.holiday_region,
            "working_week": person.working_week,
            "away_until": person.away_until.isoformat() if person.away_until else None,
            "checkin_weekly": person.checkin_weekly,
        },
        "checkins": [_row(c) for c in checkins],
        "plans": [
            {
                **_row(plan),
                "steps": [_row(step) for step in plan.steps],
                "reflection": (
                    {
                        **_row(plan.reflection),
                        "commitments": [c.text for c in plan.reflection.commitments],
                    }
                    if plan.reflection
                    else None
                ),
            }
            for plan in plans
        ],
        "meeting_requests": [
            {
                **_row(m),
                "concerns": [_row(c) for c in m.concerns],
                "expectations": [_row(e) for e in m.expectations],
            }
            for m in meetings
        ],
        "feedback_schedules": [_row(c) for c in feedback_schedules],
        "feedback_requests": [
            {**_row(r), "answer": _row(r.answer) if r.answer else None} for r in requests
        ],
    }


def remember_export(session: Session, *, person: Person, file_id: str, now: datetime) -> None:
    """The export file just uploaded into their DM, so that deleting their data deletes it too."""
    session.add(
        ExportFile(
            workspace_id=person.workspace_id, person_id=person.id, file_id=file_id, uploaded_at=now
        )
    )


@dataclass
class Deleted:
    plans: int
    meeting_requests: int
    feedback_requests: int
    # (channel, ts) of every message the app sent a manager for this person (meeting and feedback
    # requests in any state, their reminders and nudges): each is replaced by a withdrawn note.
    withdrawn: list[tuple[str, str]] = field(default_factory=list)
    # People whose App Home showed something of this person's, to be shown it again without.
    homes_to_refresh: list[int] = field(default_factory=list)
    # Slack ids of employees whose requests to this person (as their manager) were removed.
    requests_ended_for: list[str] = field(default_factory=list)
    # Slack ids of the files the app uploaded for them (exports, comeback summaries, their
    # trend chart), to delete from Slack.
    export_files: list[str] = field(default_factory=list)
    # The comeback summaries' canvases in their DM, to delete from Slack.
    canvases: list[str] = field(default_factory=list)
    # Workflow Builder runs that waited on a deleted request: Slack is told they ended.
    workflow_runs: list[str] = field(default_factory=list)
    # Slack ids of the meeting .ics files about them (in their DM, or of their meetings in the
    # other person's), to delete from Slack too.
    calendar_files: list[str] = field(default_factory=list)
    # The locale each one reads (Person.reads), by DM channel (a manager's) or Slack id (an
    # employee's), so the withdrawn note and the ended notice are in the reader's language.
    reads: dict[str, str | None] = field(default_factory=dict)


def _ids(rows: list[Any]) -> list[int]:
    return [row.id for row in rows]


def _manager_messages(
    meetings: list[MeetingRequest], requests: list[FeedbackRequest], work: list[DueWork]
) -> list[tuple[str, str]]:
    """Where the app wrote to the manager for the employee: the requests' own DMs, and the
    reminders and nudges the scheduler sent into those same DMs."""
    found = [(m.manager_channel, m.manager_ts) for m in meetings] + [
        where for r in requests for where in ((r.channel, r.ts), (r.nudge_channel, r.nudge_ts))
    ]
    manager_dms = {channel for channel, ts in found if channel and ts}
    found += [(w.channel, w.ts) for w in work if w.channel in manager_dms]
    return list(dict.fromkeys((channel, ts) for channel, ts in found if channel and ts))


def _reads(
    session: Session,
    meetings: list[MeetingRequest],
    requests: list[FeedbackRequest],
    employees: set[int],
) -> dict[str, str | None]:
    by_channel = [(m.manager_channel, m.manager_id) for m in meetings]
    by_channel += [(c, r.manager_id) for r in requests for c in (r.channel, r.nudge_channel)]
    people = {
        p.id: p
        for p in session.scalars(
            select(Person).where(Person.id.in_({pid for _, pid in by_channel} | employees))
        )
    }
    reads: dict[str, str | None] = {
        channel: people[pid].reads for channel, pid in by_channel if channel and pid in people
    }
    reads.update(
        {people[pid].slack_user_id: people[pid].reads for pid in employees if pid in people}
    )
    return reads


def delete_person(
    session: Session, *, person: Person, keep_others_history: bool = False
) -> Deleted:
    """Every row about this person, and every row linking them with someone else, goes.

    What they own as an employee goes with them, and so do the requests and schedules between
    them and anyone else (as either side), so nothing left names them. The person row goes
    last, and the foreign keys cascade from it. The bulk deletes bypass the session, so
    `person` must not be used afterwards.

    `keep_others_history` is for someone who did not ask (a deactivated account): what other
    employees sent them as their manager is those employees' history and stays, with a bare
    person row (their Slack id) that it needs to name them.
    """
    pid, workspace_id, slack_user_id = person.id, person.workspace_id, person.slack_user_id

    def theirs(employee: Any, manager: Any) -> ColumnElement[bool]:
        return employee == pid if keep_others_history else or_(employee == pid, manager == pid)

    plan_ids = list(session.scalars(select(Plan.id).where(Plan.owner_id == pid)))
    step_ids = list(session.scalars(select(Step.id).where(Step.plan_id.in_(plan_ids))))
    meetings = list(
        session.scalars(
            select(MeetingRequest).where(
                theirs(MeetingRequest.employee_id, MeetingRequest.manager_id)
            )
        )
    )
    requests = list(
        session.scalars(
            select(FeedbackRequest).where(
                theirs(FeedbackRequest.employee_id, FeedbackRequest.manager_id)
            )
        )
    )
    feedback_schedules = list(
        session.scalars(
            select(FeedbackSchedule).where(
                theirs(FeedbackSchedule.employee_id, FeedbackSchedule.manager_id)
            )
        )
    )
    work = list(
        session.scalars(
            select(DueWork).where(
                DueWork.workspace_id == workspace_id,
                work_about(
                    person_id=pid,
                    plan_ids=plan_ids,
                    step_ids=step_ids,
                    meeting_ids=_ids(meetings),
                    request_ids=_ids(requests),
                    schedule_ids=_ids(feedback_schedules),
                ),
            )
        )
    )
    own_meetings = [m for m in meetings if m.employee_id == pid]
    summaries = list(
        session.scalars(
            select(Plan).where(Plan.id.in_(plan_ids), Plan.summary_markdown.is_not(None))
        )
    )
    own_requests = [r for r in requests if r.employee_id == pid]
    links = [(m.employee_id, m.manager_id) for m in meetings]
    links += [(r.employee_id, r.manager_id) for r in requests]
    links += [(c.employee_id, c.manager_id) for c in feedback_schedules]
    their_managers = {manager for employee, manager in links if employee == pid} - {pid}
    their_employees = {employee for employee, manager in links if manager == pid} - {pid}
    deleted = Deleted(
        plans=len(plan_ids),
        meeting_requests=len([m for m in own_meetings if m.status != MeetingStatus.DRAFT.value]),
        feedback_requests=len(own_requests),
        withdrawn=_manager_messages(own_meetings, own_requests, work)
        + calendar.cards_in_others_dms(session, person_id=pid, meeting_ids=_ids(own_meetings))
        + [
            (p.summary_shared_channel, p.summary_shared_ts)
            for p in summaries
            if p.summary_shared_ts and p.summary_shared_channel
        ],
        workflow_runs=list(
            session.scalars(
                select(WorkflowStep.function_execution_id).where(
                    WorkflowStep.feedback_request_id.in_(_ids(requests)),
                    WorkflowStep.finished_at.is_(None),
                )
            )
        ),
        homes_to_refresh=list(
            session.scalars(
                select(Person.id).where(
                    Person.id.in_(their_managers | their_employees),
                    Person.home_hash.is_not(None),
                )
            )
        ),
        requests_ended_for=list(
            session.scalars(select(Person.slack_user_id).where(Person.id.in_(their_employees)))
        ),
        export_files=list(
            session.scalars(
                select(ExportFile.file_id)
                .where(ExportFile.person_id == pid)
                .order_by(ExportFile.id)
            )
        )
        + [p.summary_file_id for p in summaries if p.summary_file_id]
        + ([person.trend_chart_file_id] if person.trend_chart_file_id else []),
        canvases=[p.summary_canvas_id for p in summaries if p.summary_canvas_id],
        calendar_files=calendar.ics_file_ids(session, person_id=pid, meeting_ids=_ids(meetings)),
        reads=_reads(session, own_meetings, own_requests, their_employees),
    )
    calendar.forget_files(session, person_id=pid, meeting_ids=_ids(meetings))

    session.execute(
        delete(DueWork).where(DueWork.id.in_(_ids(work))),
        execution_options={"synchronize_session": False},
    )
    _unlink(session, workspace_id=workspace_id, person_id=pid, slack_user_id=slack_user_id)
    # The modals opened for them and their export files: gone in both cases (the person row may
    # stay, below).
    for model in (OpenedView, ExportFile):
        session.execute(
            delete(model).where(model.person_id == pid),
            execution_options={"synchronize_session": False},
        )
    if keep_others_history and _named_by_others(session, pid):
        _delete_own_rows(session, pid)
        # What their history shows of them is their Slack id; the rest of the row goes.
        session.execute(
            update(Person)
            .where(Person.id == pid)
            .values(
                tz="UTC",
                manager_id=None,
                welcomed_at=None,
                journey_view_id=None,
                home_hash=None,
                holiday_country=None,
                holiday_region=None,
                working_week=None,
                away_until=None,
                trend_chart_key=None,
                trend_chart_file_id=None,
                trend_chart_at=None,
            )
        )
    else:
        session.execute(
            delete(Person).where(Person.id == pid),
            execution_options={"synchronize_session": False},
        )
    session.expire_all()
    return deleted


def _unlink(session: Session, *, workspace_id: int, person_id: int, slack_user_id: str) -> None:
    """Other people's rows that name this person without being about them lose the name."""
    for plan in session.scalars(
        select(Plan).where(
            Plan.workspace_id == workspace_id,
            Plan.owner_id != person_id,
            cast(Plan.affected_user_ids, String).contains(slack_user_id),
        )
    ):
        plan.affected_user_ids = [u for u in plan.affected_user_ids if u != slack_user_id]
    session.execute(
        update(Installation)
        .where(
            Installation.workspace_id == workspace_id,
            Installation.installer_user_id == slack_user_id,
        )
        .values(installer_user_id=None)
    )
    session.flush()


def _named_by_others(session: Session, person_id: int) -> bool:
    return any(
        session.scalar(select(model.id).where(model.manager_id == person_id).limit(1))
        for model in (MeetingRequest, FeedbackRequest, FeedbackSchedule)
    )


def _delete_own_rows(session: Session, person_id: int) -> None:
    """What they own as an employee; steps, reflections, concerns and answers cascade."""
    for statement in (
        delete(FeedbackRequest).where(FeedbackRequest.employee_id == person_id),
        delete(FeedbackSchedule).where(FeedbackSchedule.employee_id == person_id),
        delete(MeetingRequest).where(MeetingRequest.employee_id == person_id),
        delete(Plan).where(Plan.owner_id == person_id),
        delete(Checkin).where(Checkin.person_id == person_id),
        # Kept as someone's manager: no more check-ins (a waiting one then sends nothing).
        update(Person).where(Person.id == person_id).values(checkin_weekly=False),
    ):
        session.execute(statement, execution_options={"synchronize_session": False})
