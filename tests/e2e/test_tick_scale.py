"""A scheduler tick costs what is due, not what exists (bench/scale.py measures it up to a
million schedules on PostgreSQL): the same SQL statements with 10 schedules as with 300, each
with its history, both when nothing is due and when 3 are."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from models import DueWork, FeedbackAnswer, FeedbackRequest, FeedbackSchedule, Person, Workspace
from tests.conftest import MANAGER, TEAM_ID, RunningApp

HISTORY = 6  # past weekly occurrences of each schedule, answered
DUE = 3


def _seed(session: Session, now: datetime, schedules: int, first: int = 0) -> list[int]:
    """`schedules` more employees asking the same manager weekly, due over the next week;
    returns the new schedule ids."""
    ws = session.scalar(select(Workspace.id).where(Workspace.team_id == TEAM_ID))
    if ws is None:
        workspace = Workspace(team_id=TEAM_ID)
        session.add(workspace)
        session.flush()
        ws = workspace.id
        session.add(Person(workspace_id=ws, slack_user_id=MANAGER, tz="America/New_York"))
        session.flush()
    manager = session.scalars(select(Person).where(Person.slack_user_id == MANAGER)).one()
    employees = list(
        session.scalars(
            insert(Person).returning(Person.id),
            [
                {
                    "workspace_id": ws,
                    "slack_user_id": f"UE{first + n:04d}",
                    "tz": "Europe/Berlin",
                    "manager_id": manager.id,
                    "welcomed_at": now - timedelta(days=60),
                }
                for n in range(schedules)
            ],
        )
    )
    schedule_ids = list(
        session.scalars(
            insert(FeedbackSchedule).returning(FeedbackSchedule.id),
            [
                {
                    "workspace_id": ws,
                    "employee_id": employee,
                    "manager_id": manager.id,
                    "tz": "America/New_York",
                    "first_date": (now - timedelta(weeks=HISTORY)).date() + timedelta(days=1),
                    "time_of_day": clock_time(9, 30),
                    "repeat": "weekly",
                    "end_kind": "after_count",
                    "end_count": 50,
                    "questions": ["Am I on the right track?"],
                    "occurrence_count": HISTORY,
                    "next_run_at": now + timedelta(hours=1 + n % 160),
                }
                for n, employee in enumerate(employees)
            ],
        )
    )
    history = [
        {
            "workspace_id": ws,
            "schedule_id": schedule_id,
            "employee_id": employee,
            "manager_id": manager.id,
            "due_at": now - timedelta(weeks=HISTORY - k, hours=1),
            "questions": ["Am I on the right track?"],
            "status": "answered",
            "channel": "DMANAGER",
            "ts": f"{k}.{schedule_id:06d}",
            "sent_at": now - timedelta(weeks=HISTORY - k, hours=1),
            "answered_at": now - timedelta(weeks=HISTORY - k),
            "closed_at": now - timedelta(weeks=HISTORY - k),
        }
        for schedule_id, employee in zip(schedule_ids, employees, strict=True)
        for k in range(HISTORY)
    ]
    requests = list(
        session.execute(
            insert(FeedbackRequest).returning(FeedbackRequest.id, FeedbackRequest.due_at),
            history,
        )
    )
    session.execute(
        insert(FeedbackAnswer),
        [
            {"workspace_id": ws, "feedback_request_id": request_id, "rating": "on_track"}
            for request_id, _due in requests
        ],
    )
    session.execute(
        insert(DueWork),
        [
            {
                "workspace_id": ws,
                "kind": kind,
                "subject_id": request_id,
                "due_at": due + offset,
                "status": status,
                "finished_at": due + offset,
            }
            for request_id, due in requests
            for kind, offset, status in (
                ("feedback_request", timedelta(0), "done"),
                ("feedback_nudge", timedelta(days=2), "skipped"),
            )
        ],
    )
    session.commit()
    return schedule_ids


def _is_claim_poll(sql: str) -> bool:
    return " ".join(sql.split()).startswith(
        "SELECT due_work.id FROM due_work WHERE due_work.status = "
    )


@contextmanager
def _counting(app: RunningApp) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        # On PostgreSQL the send loop looks for new due work every 0.2 s while the planner
        # runs beside it (Dispatcher._drain): how many looks is timing, not size; counted apart.
        if not _is_claim_poll(sql):
            statements.append(sql)

    event.listen(app.runtime.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(app.runtime.engine, "before_cursor_execute", count)


def _tick_statements(app: RunningApp, ids: list[int]) -> tuple[int, int]:
    """(statements of an idle tick, statements of a tick with DUE of these schedules due),
    the looks for claimable work left out."""
    now = app.clock.now()
    app.tick()  # the first tick learns the dialect and warms the pool: not counted
    with _counting(app) as idle:
        assert app.tick() == 0
    due_ids = ids[:: len(ids) // DUE][:DUE]
    with app.runtime.session_factory() as session:
        session.execute(
            update(FeedbackSchedule)
            .where(FeedbackSchedule.id.in_(due_ids))
            .values(next_run_at=now - timedelta(minutes=1))
        )
        session.commit()
    before = len(app.fake.messages(MANAGER))
    with _counting(app) as due:
        assert app.tick() == DUE
    with app.runtime.session_factory() as session:
        sent = session.scalars(
            select(FeedbackRequest.schedule_id).where(FeedbackRequest.status == "sent")
        ).all()
    assert set(due_ids) <= set(sent)  # their requests went out, the manager has the DMs
    assert len(app.fake.messages(MANAGER)) == before + DUE
    return len(idle), len(due)


def test_a_tick_costs_the_same_with_10_or_300_schedules(running_app: RunningApp) -> None:
    with running_app.runtime.session_factory() as session:
        few = _seed(session, running_app.clock.now(), 10)
    small = _tick_statements(running_app, few)
    with running_app.runtime.session_factory() as session:
        many = _seed(session, running_app.clock.now(), 290, first=10)
    large = _tick_statements(running_app, many)
    assert small[0] <= 4, small  # the database answers, nothing due, no due work
    assert small[1] <= 20 * DUE, small
    assert large == small, (small, large)
