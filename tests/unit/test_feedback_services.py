"""Step 4's services without Slack: checking the form, the end rules, the planner, answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import DueWork, FeedbackRequest, FeedbackSchedule, Person, Plan, Workspace
from slackapp.kernel import recurrence as rec
from slackapp.services import feedback as svc
from slackapp.services import feedback_answers as answers
from slackapp.services.feedback_schedule import plan_due_requests

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday; 03:00 in New York


@pytest.fixture
def people(db: Session) -> tuple[Person, Person]:
    workspace = Workspace(team_id="T0001")
    db.add(workspace)
    db.flush()
    employee = Person(workspace_id=workspace.id, slack_user_id="UEMP", tz="Europe/Berlin")
    manager = Person(workspace_id=workspace.id, slack_user_id="UMGR", tz="America/New_York")
    db.add_all([employee, manager])
    db.flush()
    return employee, manager


def form(manager: Person, **changes: object) -> svc.ScheduleForm:
    values: dict[str, object] = {
        "manager": manager,
        "tz": "America/New_York",
        "first_date": date(2026, 3, 3),
        "time_of_day": time(9, 0),
        "repeat": rec.WEEKLY,
        "monthly_week": None,
        "end_kind": "after_count",
        "end_count": 3,
        "end_date": None,
        "questions": list(svc.DEFAULT_QUESTIONS),
    }
    values.update(changes)
    return svc.ScheduleForm(**values)  # type: ignore[arg-type]


def test_the_form_is_checked_field_by_field(people: tuple[Person, Person]) -> None:
    employee, manager = people
    assert svc.check_schedule(form(manager), employee=employee, now=NOW) == {}
    assert svc.check_schedule(form(employee), employee=employee, now=NOW).keys() == {"manager"}
    past_day = form(manager, first_date=date(2026, 3, 1))
    assert svc.check_schedule(past_day, employee=employee, now=NOW).keys() == {"first_date"}
    past_time = form(manager, first_date=date(2026, 3, 2), time_of_day=time(2, 59))
    assert svc.check_schedule(past_time, employee=employee, now=NOW).keys() == {"time"}
    too_many = form(manager, questions=[f"Q{n}?" for n in range(6)], end_count=None)
    assert svc.check_schedule(too_many, employee=employee, now=NOW).keys() == {
        "questions",
        "end_count",
    }
    early_end = form(manager, end_kind="on_date", end_date=date(2026, 3, 1))
    assert svc.check_schedule(early_end, employee=employee, now=NOW).keys() == {"end_date"}
    assert svc.parse_questions("  Am I on track?  \n\n Anything else?\n") == [
        "Am I on track?",
        "Anything else?",
    ]


def test_upcoming_honours_the_end_rules(db: Session, people: tuple[Person, Person]) -> None:
    employee, manager = people
    schedule = svc.save_schedule(session=db, employee=employee, form=form(manager), now=NOW)
    assert [t.date() for t in svc.upcoming(schedule, 5)] == [
        date(2026, 3, 3),
        date(2026, 3, 10),
        date(2026, 3, 17),
    ]
    on_date = form(manager, end_kind="on_date", end_date=date(2026, 3, 10), end_count=None)
    schedule = svc.save_schedule(
        session=db, employee=employee, form=on_date, now=NOW, schedule=schedule
    )
    assert len(svc.upcoming(schedule, 5)) == 2
    assert employee.manager_id == manager.id  # remembered for next time


def test_the_planner_makes_each_occurrence_once_and_ends_after_n(
    db: Session, people: tuple[Person, Person]
) -> None:
    employee, manager = people
    schedule = svc.save_schedule(session=db, employee=employee, form=form(manager), now=NOW)
    db.commit()
    for day in (3, 10, 17, 24):
        moment = datetime(2026, 3, day, 14, 0, tzinfo=UTC) + timedelta(hours=1)
        plan_due_requests(db, moment)
        plan_due_requests(db, moment)  # a second worker, or a second tick: nothing new
    requests = list(db.scalars(select(FeedbackRequest).order_by(FeedbackRequest.due_at)))
    assert len(requests) == 3
    # Each new one supersedes the one before (never sent here): missed, not stacked.
    assert [r.status for r in requests] == ["missed", "missed", "due"]
    assert (
        db.scalar(
            select(func.count()).select_from(DueWork).where(DueWork.kind == "feedback_request")
        )
        == 3
    )
    db.refresh(schedule)
    assert schedule.status == "ended" and schedule.next_run_at is None


def test_a_closed_plan_ends_the_schedule(db: Session, people: tuple[Person, Person]) -> None:
    employee, manager = people
    plan = Plan(workspace_id=employee.workspace_id, owner_id=employee.id, title="Fix the order")
    db.add(plan)
    db.flush()
    schedule = svc.save_schedule(
        session=db, employee=employee, form=form(manager, end_kind="plan_closed"), now=NOW
    )
    assert schedule.plan_id == plan.id
    plan.status = "closed"
    db.commit()
    plan_due_requests(db, datetime(2026, 3, 3, 14, 1, tzinfo=UTC))
    db.refresh(schedule)
    assert schedule.status == "ended"
    assert db.scalar(select(func.count()).select_from(FeedbackRequest)) == 0


def test_request_now_never_stacks_and_an_answer_is_stored_once(
    db: Session, people: tuple[Person, Person]
) -> None:
    employee, manager = people
    with pytest.raises(svc.FeedbackError):
        svc.request_now(session=db, employee=employee, now=NOW)
    svc.save_schedule(session=db, employee=employee, form=form(manager), now=NOW)
    first, made = svc.request_now(session=db, employee=employee, now=NOW)
    again, made_again = svc.request_now(session=db, employee=employee, now=NOW)
    assert made and not made_again and again.id == first.id
    assert answers.answerable(first, manager) is not None  # not sent yet
    first.status = "sent"
    db.flush()
    assert answers.answerable(first, employee) is not None  # only the named manager
    assert answers.answerable(first, manager) is None
    given = dict(rating="on_track", answers=[], discuss_in_person=False, now=NOW)
    assert answers.record_answer(session=db, request_id=first.id, manager=manager, **given)
    assert answers.record_answer(session=db, request_id=first.id, manager=manager, **given) is None
    db.refresh(first)
    assert first.status == "answered" and first.open_employee_id is None


def test_pause_skips_the_times_that_pass_and_resume_carries_on(
    db: Session, people: tuple[Person, Person]
) -> None:
    employee, manager = people
    schedule = svc.save_schedule(session=db, employee=employee, form=form(manager), now=NOW)
    svc.pause_schedule(session=db, schedule=schedule, now=NOW)
    assert schedule.next_run_at is None
    # A change while paused keeps it paused: the employee resumes when they are ready.
    later = form(manager, first_date=date(2026, 3, 5))
    svc.save_schedule(session=db, employee=employee, form=later, now=NOW, schedule=schedule)
    assert schedule.status == "paused" and schedule.next_run_at is None
    svc.resume_schedule(session=db, schedule=schedule, now=datetime(2026, 3, 4, tzinfo=UTC))
    assert schedule.status == "active"
    assert schedule.next_run_at == datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
    svc.stop_schedule(session=db, schedule=schedule, now=NOW)
    assert schedule.status == "stopped" and svc.current_schedule(db, employee) is None
    assert isinstance(schedule, FeedbackSchedule)


def test_the_trend_of_ratings() -> None:
    assert answers.rating_trend(["on_track"]) is None
    assert answers.rating_trend(["not_yet_on_track", "on_track"]) == "improving"
    assert answers.rating_trend(["exceeding", "on_track"]) == "slipping"
    assert answers.rating_trend(["on_track", "on_track"]) == "steady"
