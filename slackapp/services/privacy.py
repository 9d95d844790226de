"""An employee's own data: all of it exported, or all of it deleted.

Only what the person owns as the employee; requests other people sent them as a manager stay
with those people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, inspect, or_, select, update
from sqlalchemy.orm import Session

from models import (
    Cadence,
    DueWork,
    DueWorkStatus,
    FeedbackRequest,
    FeedbackRequestStatus,
    MeetingRequest,
    MeetingStatus,
    Person,
    Plan,
    Step,
)

# Bookkeeping that says nothing about the person: where rows live, leases, message ids.
INTERNAL = {
    "workspace_id", "owner_id", "employee_id", "manager_id", "plan_id", "reflection_id",
    "meeting_request_id", "cadence_id", "feedback_request_id", "open_employee_id", "submit_key",
    "manager_channel", "manager_ts", "employee_channel", "employee_ts", "channel", "ts",
    "nudge_channel", "nudge_ts",
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
    cadences = session.scalars(
        select(Cadence).where(Cadence.employee_id == person.id).order_by(Cadence.id)
    )
    requests = session.scalars(
        select(FeedbackRequest)
        .where(FeedbackRequest.employee_id == person.id)
        .order_by(FeedbackRequest.id)
    )
    return {
        "person": {
            "slack_user_id": person.slack_user_id,
            "time_zone": person.tz,
            "manager_slack_user_id": manager.slack_user_id if manager else None,
        },
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
            {**_row(m), "concerns": [_row(c) for c in m.concerns]} for m in meetings
        ],
        "feedback_cadences": [_row(c) for c in cadences],
        "feedback_requests": [
            {**_row(r), "answer": _row(r.answer) if r.answer else None} for r in requests
        ],
    }


@dataclass
class Deleted:
    plans: int
    meeting_requests: int
    feedback_requests: int
    # The manager's DMs that still offer buttons: updated to say the request was withdrawn.
    manager_messages: list[tuple[str, str]]


def delete_data(session: Session, *, person: Person, now: datetime) -> Deleted:
    plan_ids = list(session.scalars(select(Plan.id).where(Plan.owner_id == person.id)))
    step_ids = list(session.scalars(select(Step.id).where(Step.plan_id.in_(plan_ids))))
    meetings = list(
        session.scalars(select(MeetingRequest).where(MeetingRequest.employee_id == person.id))
    )
    requests = list(
        session.scalars(select(FeedbackRequest).where(FeedbackRequest.employee_id == person.id))
    )
    open_meeting = {MeetingStatus.PENDING.value, MeetingStatus.COUNTER_PROPOSED.value}
    messages = [
        (m.manager_channel, m.manager_ts)
        for m in meetings
        if m.status in open_meeting and m.manager_channel and m.manager_ts
    ] + [
        (r.channel, r.ts)
        for r in requests
        if r.status == FeedbackRequestStatus.SENT.value and r.channel and r.ts
    ]
    # Nothing more goes out about rows that are going away (ids may be reused on SQLite).
    meeting_ids = [m.id for m in meetings]
    request_ids = [r.id for r in requests]
    session.execute(
        update(DueWork)
        .where(
            DueWork.status == DueWorkStatus.PENDING.value,
            or_(
                (DueWork.kind == "step_reminder") & DueWork.subject_id.in_(step_ids),
                (DueWork.kind == "act_quickly") & DueWork.subject_id.in_(plan_ids),
                DueWork.kind.startswith("meeting_") & DueWork.subject_id.in_(meeting_ids),
                DueWork.kind.startswith("feedback_") & DueWork.subject_id.in_(request_ids),
            ),
        )
        .values(status=DueWorkStatus.SKIPPED.value, finished_at=now, last_error="data deleted"),
        execution_options={"synchronize_session": False},
    )
    for model, column in (
        (FeedbackRequest, FeedbackRequest.employee_id),
        (Cadence, Cadence.employee_id),
        (MeetingRequest, MeetingRequest.employee_id),
        (Plan, Plan.owner_id),
    ):
        session.execute(
            delete(model).where(column == person.id),
            execution_options={"synchronize_session": False},
        )
    person.manager_id = None
    session.flush()
    session.expire_all()  # the bulk deletes went around the identity map
    return Deleted(
        plans=len(plan_ids),
        meeting_requests=len(meetings),
        feedback_requests=len(requests),
        manager_messages=messages,
    )
