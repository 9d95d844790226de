"""The App Home reads what it shows in a handful of SQL statements, however much there is.

It used to run 132 for a person with 20 steps and 200 feedback answers (one query per answer,
per step reminder, and the plan, reflection, meeting request and schedule read again by each
section): bench/app_home.py. These tests count the statements of one render, so a section that
starts querying per row again fails here, not only in the benchmark.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    Commitment,
    Concern,
    DueWork,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackSchedule,
    MeetingRequest,
    Person,
    Plan,
    Reflection,
    Step,
    Workspace,
)
from slackapp.kernel.kinds import STEP_REMINDER
from slackapp.listeners.home import render_home
from slackapp.services.plan_reminders import sync_reminders

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
TARGET = 10  # statements per render (issue 7, benchmark 4)


def _seed(session: Session, *, steps: int, answers: int, reports: int = 0) -> None:
    """An employee with a plan, a reflection, a schedule and answered feedback requests, a
    meeting held with concerns raised; their manager with `reports` others waiting on them."""
    workspace = Workspace(team_id="T0HOME")
    session.add(workspace)
    session.flush()
    ws = workspace.id
    manager = Person(workspace_id=ws, slack_user_id="UBOSS", tz="America/New_York")
    session.add(manager)
    session.flush()
    employee = Person(
        workspace_id=ws,
        slack_user_id="UEMP",
        tz="Europe/Berlin",
        welcomed_at=NOW,
        manager_id=manager.id,
    )
    session.add(employee)
    session.flush()
    plan = Plan(workspace_id=ws, owner_id=employee.id, title="Missed the launch date")
    plan.steps = [
        Step(
            workspace_id=ws,
            position=n,
            description=f"Corrective step {n + 1}",
            due_date=date(2026, 9, 2) + timedelta(days=n),
            done_at=NOW - timedelta(days=1) if n % 2 else None,
        )
        for n in range(steps)
    ]
    plan.reflection = Reflection(workspace_id=ws, root_cause="Rushed.")
    plan.reflection.commitments = [
        Commitment(workspace_id=ws, position=n, text=f"Commitment {n + 1}") for n in range(3)
    ]
    session.add(Plan(workspace_id=ws, owner_id=employee.id, title="Older", status="archived"))
    session.add(plan)
    session.flush()
    meeting = MeetingRequest(
        workspace_id=ws,
        employee_id=employee.id,
        manager_id=manager.id,
        plan_id=plan.id,
        message="Could we talk?",
        status="accepted",
        sent_at=NOW - timedelta(days=3),
        accepted_time=NOW - timedelta(days=2),
        outcome_recorded_at=NOW - timedelta(days=1),
    )
    meeting.concerns = [
        Concern(workspace_id=ws, text="Be on time", addressed_at=NOW),
        Concern(workspace_id=ws, text="Say early when a date slips"),
    ]
    schedule = FeedbackSchedule(
        workspace_id=ws,
        employee_id=employee.id,
        manager_id=manager.id,
        plan_id=plan.id,
        tz="America/New_York",
        first_date=date(2025, 1, 7),
        time_of_day=clock_time(9, 0),
        repeat="weekly",
        end_kind="plan_closed",
        questions=["Am I on the right track?"],
        status="active",
        next_run_at=NOW + timedelta(days=7),
    )
    session.add_all([meeting, schedule])
    session.flush()
    for n in range(answers):
        due = NOW - timedelta(weeks=answers - n)
        request = FeedbackRequest(
            workspace_id=ws,
            schedule_id=schedule.id,
            employee_id=employee.id,
            manager_id=manager.id,
            due_at=due,
            questions=["Am I on the right track?"],
            status="answered",
            sent_at=due,
            answered_at=due + timedelta(hours=3),
        )
        request.answer = FeedbackAnswer(
            workspace_id=ws,
            rating=("not_yet_on_track", "on_track", "exceeding")[n % 3],
            answers=[{"question": "Am I on the right track?", "answer": f"Answer {n}"}],
        )
        session.add(request)
    for n in range(reports):
        report = Person(
            workspace_id=ws, slack_user_id=f"UREPORT{n}", tz="Asia/Kolkata", manager_id=manager.id
        )
        session.add(report)
        session.flush()
        session.add_all(
            [
                MeetingRequest(
                    workspace_id=ws,
                    employee_id=report.id,
                    manager_id=manager.id,
                    message="Could we talk?",
                    status="pending",
                    sent_at=NOW - timedelta(hours=n + 1),
                ),
                FeedbackRequest(
                    workspace_id=ws,
                    employee_id=report.id,
                    manager_id=manager.id,
                    due_at=NOW - timedelta(hours=n + 1),
                    status="sent",
                    open_employee_id=report.id,
                    sent_at=NOW - timedelta(hours=n + 1),
                ),
            ]
        )
    # The steps' reminders, as saving the plan puts them on the clock.
    sync_reminders(session, owner=employee, now=NOW)
    session.commit()


@contextmanager
def _counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        statements.append(sql)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _render(
    session_factory: sessionmaker[Session], engine: Engine, user_id: str, *, opened: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """One render in a fresh session (no Bolt app needed); `opened`: as the app_home_opened
    listener does it, which first moves the step reminders to a new time zone."""
    with session_factory() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == user_id))
        assert person is not None
        with _counting(engine) as statements:
            if opened:
                sync_reminders(session, owner=person, now=NOW)
            view = render_home(session, person, now=NOW)
        session.commit()
    return view, statements


def _text(view: dict[str, Any]) -> str:
    return str(view["blocks"])


def test_a_busy_home_renders_in_at_most_ten_statements(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory() as session:
        _seed(session, steps=20, answers=50)
    view, statements = _render(session_factory, engine, "UEMP")
    # Everything the person has is on it: the plan, reflection, concerns and feedback history.
    shown = _text(view)
    for text in ("Corrective step 20", "Commitment 3", "Be on time", "Answer 49", "10 of 20"):
        assert text in shown
    # And the next request as the manager will see it, from what the render already loaded.
    assert "will see next time" in shown and "Am I on the right track?" in shown
    assert len(statements) <= TARGET, "\n".join(statements)
    # Showing the home moves nothing on the clock when nothing changed.
    assert not [sql for sql in statements if not sql.lstrip().upper().startswith("SELECT")]


def test_the_statement_count_does_not_grow_with_steps_or_answers(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory() as session:
        _seed(session, steps=2, answers=2)
    _, small = _render(session_factory, engine, "UEMP")
    with session_factory() as session:
        employee = session.scalar(select(Person).where(Person.slack_user_id == "UEMP"))
        assert employee is not None
        plan = session.scalar(select(Plan).where(Plan.status == "active"))
        assert plan is not None
        for n in range(2, 20):
            plan.steps.append(
                Step(
                    workspace_id=plan.workspace_id,
                    position=n,
                    description=f"Corrective step {n + 1}",
                    due_date=date(2026, 9, 2) + timedelta(days=n),
                )
            )
        schedule = session.scalar(select(FeedbackSchedule))
        assert schedule is not None
        for n in range(48):
            due = NOW - timedelta(weeks=60 + n)
            request = FeedbackRequest(
                workspace_id=plan.workspace_id,
                schedule_id=schedule.id,
                employee_id=employee.id,
                manager_id=schedule.manager_id,
                due_at=due,
                status="answered",
                sent_at=due,
            )
            request.answer = FeedbackAnswer(
                workspace_id=plan.workspace_id, rating="on_track", answers=[]
            )
            session.add(request)
        session.flush()
        sync_reminders(session, owner=employee, now=NOW)
        session.commit()
    view, large = _render(session_factory, engine, "UEMP")
    assert "Corrective step 20" in _text(view)
    assert len(large) == len(small)


def test_a_new_time_zone_moves_the_reminders_in_one_read(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory() as session:
        _seed(session, steps=6, answers=0)
        employee = session.scalar(select(Person).where(Person.slack_user_id == "UEMP"))
        assert employee is not None
        employee.tz = "Asia/Tokyo"
        session.commit()
    _render(session_factory, engine, "UEMP", opened=True)
    with session_factory() as session:
        pending = session.scalars(
            select(DueWork).where(DueWork.kind == STEP_REMINDER, DueWork.status == "pending")
        ).all()
        # The three open steps: 09:00 in Tokyo is 00:00 UTC.
        assert sorted(w.due_at.hour for w in pending) == [0, 0, 0]
    _, again = _render(session_factory, engine, "UEMP", opened=True)
    assert len([sql for sql in again if "due_work" in sql]) == 1


def test_a_managers_home_does_not_grow_with_the_requests_waiting_on_them(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory() as session:
        _seed(session, steps=3, answers=3, reports=1)
    view, one = _render(session_factory, engine, "UBOSS")
    assert "UREPORT0" in _text(view)
    with session_factory() as session:
        session.execute(Workspace.__table__.delete())
        session.commit()
    with session_factory() as session:
        _seed(session, steps=3, answers=3, reports=6)
    view, six = _render(session_factory, engine, "UBOSS")
    assert "UREPORT5" in _text(view)
    assert _text(view).count("named you as their manager") == 6  # the people who asked
    assert len(six) == len(one) <= TARGET


def test_a_manager_with_a_schedule_of_their_own_sees_both_in_ten_statements(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    """Who asked them (issue 12) and the preview of their own next request (issue 11) share
    the one load: neither adds a statement of its own."""
    with session_factory() as session:
        _seed(session, steps=3, answers=3, reports=2)
        manager = session.scalar(select(Person).where(Person.slack_user_id == "UBOSS"))
        assert manager is not None
        director = Person(workspace_id=manager.workspace_id, slack_user_id="UDIRECTOR", tz="UTC")
        session.add(director)
        session.flush()
        manager.manager_id = director.id
        session.add(
            FeedbackSchedule(
                workspace_id=manager.workspace_id,
                employee_id=manager.id,
                manager_id=director.id,
                tz="UTC",
                first_date=date(2026, 9, 7),
                time_of_day=clock_time(10, 0),
                repeat="weekly",
                end_kind="after_count",
                end_count=4,
                questions=["Is the team better off?"],
                status="active",
                share_progress=True,
                next_run_at=NOW + timedelta(days=6),
            )
        )
        session.commit()
    view, statements = _render(session_factory, engine, "UBOSS")
    shown = _text(view)
    assert "People who asked you" in shown and "UREPORT1" in shown
    assert "What <@UDIRECTOR> will see next time" in shown and "Is the team better off?" in shown
    assert len(statements) <= TARGET, "\n".join(statements)
