"""The progress a feedback request carries is the same whichever way it is built: as the request
goes out (from the database), in the schedule modal's preview (from the database, for now), and
on the App Home's preview (from what the home already loaded, with no statement of its own)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from models import (
    Commitment,
    Concern,
    FeedbackRequest,
    FeedbackSchedule,
    MeetingRequest,
    Person,
    Plan,
    Reflection,
    Step,
    Workspace,
)
from slackapp.services.feedback_progress import (
    progress_for_next,
    progress_from_loaded,
    progress_since_last,
)
from slackapp.services.home_data import load_home_data

NOW = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
LAST_SENT = NOW - timedelta(days=7)


def _seed(db: Session) -> tuple[Person, FeedbackSchedule]:
    """An employee whose last request went out a week ago, with progress on both sides of it."""
    workspace = Workspace(team_id="T0PROG")
    db.add(workspace)
    db.flush()
    ws = workspace.id
    employee = Person(workspace_id=ws, slack_user_id="UEMP", tz="Europe/Berlin")
    manager = Person(workspace_id=ws, slack_user_id="UMGR", tz="America/New_York")
    db.add_all([employee, manager])
    db.flush()
    plan = Plan(workspace_id=ws, owner_id=employee.id, title="Fix the order")
    plan.steps = [
        Step(workspace_id=ws, description="Before", done_at=LAST_SENT - timedelta(days=1)),
        Step(workspace_id=ws, description="After", done_at=NOW - timedelta(days=1)),
        Step(workspace_id=ws, description="Not yet"),
    ]
    plan.reflection = Reflection(workspace_id=ws)
    plan.reflection.commitments = [Commitment(workspace_id=ws, text="Check every order")]
    db.add(plan)
    db.flush()
    meeting = MeetingRequest(
        workspace_id=ws,
        employee_id=employee.id,
        manager_id=manager.id,
        message="Can we talk?",
        status="accepted",
        accepted_time=LAST_SENT - timedelta(days=2),
    )
    same_moment = NOW - timedelta(hours=3)
    meeting.concerns = [
        Concern(workspace_id=ws, text="Old one", addressed_at=LAST_SENT - timedelta(hours=1)),
        Concern(workspace_id=ws, text="Second", addressed_at=same_moment),
        Concern(workspace_id=ws, text="First", addressed_at=NOW - timedelta(days=2)),
        Concern(workspace_id=ws, text="Third", addressed_at=same_moment),
        Concern(workspace_id=ws, text="Still open"),
    ]
    schedule = FeedbackSchedule(
        workspace_id=ws,
        employee_id=employee.id,
        manager_id=manager.id,
        plan_id=plan.id,
        tz="America/New_York",
        first_date=date(2026, 3, 3),
        time_of_day=time(9, 0),
        repeat="weekly",
        end_kind="plan_closed",
        questions=["How am I doing?"],
        share_progress=True,
        status="active",
        occurrence_count=1,
    )
    db.add_all([meeting, schedule])
    db.flush()
    db.add(
        FeedbackRequest(
            workspace_id=ws,
            schedule_id=schedule.id,
            employee_id=employee.id,
            manager_id=manager.id,
            due_at=LAST_SENT,
            sent_at=LAST_SENT,
            status="answered",
            questions=["How am I doing?"],
        )
    )
    db.commit()
    return employee, schedule


def test_the_previews_and_the_send_agree(db: Session) -> None:
    employee, schedule = _seed(db)
    data = load_home_data(db, employee)
    on_home = progress_from_loaded(
        db,
        schedule=schedule,
        now=NOW,
        history=data.history,
        concerns=data.concerns,
        active=data.active_plan,
    )
    in_modal = progress_for_next(db, employee=employee, schedule=schedule, now=NOW)
    going_out = FeedbackRequest(
        workspace_id=employee.workspace_id,
        schedule_id=schedule.id,
        employee_id=employee.id,
        manager_id=schedule.manager_id,
        due_at=NOW,
        status="due",
        questions=["How am I doing?"],
    )
    db.add(going_out)
    db.flush()
    sent = progress_since_last(db, going_out)
    assert on_home == in_modal == sent
    assert sent.since == LAST_SENT
    assert sent.steps_done == ["After"] and (sent.steps_done_total, sent.steps_total) == (2, 3)
    # Since the last request, in the order they were addressed (ties in the order raised).
    assert sent.concerns_addressed == ["First", "Second", "Third"]
    assert sent.commitments == ["Check every order"] and sent.plan_title == "Fix the order"
