"""`--seed-demo`: a journey already under way, so every screen has something to show.

Written against the models, not the step services, so the demo does not wait on them: Emma has
a plan with one of three steps done, a reflection with two commitments, a meeting with Max that
he accepted (with a concern he raised), and weekly feedback requests with two answers so far.

The demo starts the day before one of Max's public holidays (the sandbox's clock is moved there),
and the weekly request falls on it: his App Home and Emma's say it moved to his next working day
and why, and Skip ahead goes past the holiday to that day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from models import (
    Commitment,
    Concern,
    Expectation,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRequestStatus,
    FeedbackSchedule,
    MeetingRequest,
    MeetingStatus,
    Person,
    Plan,
    Rating,
    Reflection,
    Repeat,
    ScheduleEnd,
    ScheduleStatus,
    Situation,
    Step,
    Workspace,
)
from slackapp.services.feedback import manager_calendar, place
from slackapp.services.working_time import calendar_of
from slacksim.sandbox.core import PEOPLE, TEAM_ID, Sandbox

QUESTIONS = [
    "What have I done well since last time?",
    "What should I do differently next?",
]


EXPECTED = [
    ("Every big order gets the second check before it ships.", None),
    ("A short status to me every Monday morning.", 21),
]


def _at(day: date, clock_time: time, tz: str) -> datetime:
    return datetime.combine(day, clock_time, ZoneInfo(tz)).astimezone(ZoneInfo("UTC"))


def _next_weekly(first: date, at: time, tz: str, now: datetime) -> datetime:
    run = _at(first, at, tz)
    while run <= now:
        first += timedelta(days=7)
        run = _at(first, at, tz)
    return run


def next_holiday(now: datetime, tz: str) -> date | None:
    """The next public holiday on a weekday in the zone's country, at least two days ahead,
    whose request moves by at most three days (so nothing else of the demo comes first)."""
    cal = calendar_of(None, tz=tz)
    day = now.astimezone(ZoneInfo(tz)).date() + timedelta(days=2)
    for _ in range(400):
        off = day.weekday() < 5 and cal.holiday(day) is not None
        if off and (cal.first_working_day(day) - day).days <= 3:
            return day
        day += timedelta(days=1)
    return None


def seed_demo(sandbox: Sandbox) -> None:
    holiday = next_holiday(sandbox.clock.now(), PEOPLE[1].tz)
    if holiday is not None:
        sandbox.clock.set(_at(holiday - timedelta(days=1), time(8, 0), PEOPLE[1].tz))
    with sandbox.runtime.session_factory() as session:
        fill_in(session, now=sandbox.clock.now(), holiday=holiday)
        session.commit()


def fill_in(session: Session, *, now: datetime, holiday: date | None = None) -> None:
    employee_p, manager_p, colleague_p = PEOPLE
    workspace = Workspace(team_id=TEAM_ID, name="Acme")
    session.add(workspace)
    session.flush()
    manager = Person(
        workspace_id=workspace.id, slack_user_id=manager_p.user_id, tz=manager_p.tz, welcomed_at=now
    )
    session.add(manager)
    session.flush()
    employee = Person(
        workspace_id=workspace.id,
        slack_user_id=employee_p.user_id,
        tz=employee_p.tz,
        manager_id=manager.id,
        welcomed_at=now,
    )
    colleague = Person(
        workspace_id=workspace.id, slack_user_id=colleague_p.user_id, tz=colleague_p.tz
    )
    session.add_all([employee, colleague])
    session.flush()

    today = now.astimezone(ZoneInfo(employee_p.tz)).date()
    plan = Plan(
        workspace_id=workspace.id,
        owner_id=employee.id,
        title="The Henderson order shipped with the wrong parts",
        what_happened=(
            "I approved the Henderson order without checking the parts list, and it shipped "
            "with the wrong fittings. The customer lost two days on site."
        ),
        affected_user_ids=[colleague_p.user_id],
        affected_others="Henderson & Co, the customer",
        situation=Situation.REMOVED_FROM_PROJECT.value,
        created_at=now - timedelta(days=15),
    )
    session.add(plan)
    session.flush()
    steps = [
        ("Call Henderson and apologise for the delay", True, -12, now - timedelta(days=13)),
        ("Ship the right fittings, express, at our cost", False, 5, None),
        ("Add a second check on parts lists before orders ship", False, 9, None),
    ]
    for position, (text, apology, due_in, done_at) in enumerate(steps):
        session.add(
            Step(
                workspace_id=workspace.id,
                plan_id=plan.id,
                position=position,
                description=text,
                due_date=today + timedelta(days=due_in),
                is_apology=apology,
                done_at=done_at,
            )
        )
    reflection = Reflection(
        workspace_id=workspace.id,
        plan_id=plan.id,
        factors=["attention_to_detail", "time_management"],
        root_cause="I rushed approvals at the end of the day to clear my queue.",
        private_notes="I was tired and didn't want to ask for help.",
        updated_at=now - timedelta(days=12),
    )
    session.add(reflection)
    session.flush()
    for position, text in enumerate(
        [
            "Approve orders only in the morning, with the parts list open.",
            "Ask a colleague to double-check any order over 10,000 EUR.",
        ]
    ):
        session.add(
            Commitment(
                workspace_id=workspace.id, reflection_id=reflection.id, position=position, text=text
            )
        )

    met = _at(today - timedelta(days=10), time(10, 0), manager_p.tz)
    meeting = MeetingRequest(
        workspace_id=workspace.id,
        employee_id=employee.id,
        manager_id=manager.id,
        plan_id=plan.id,
        message=(
            "I made a mistake with the Henderson order and I'd like to talk it through with you: "
            "what happened, what I've done to repair it, and what I'll do differently."
        ),
        proposed_times=[met.isoformat()],
        status=MeetingStatus.ACCEPTED.value,
        accepted_time=met,
        sent_at=met - timedelta(days=1),
        answered_at=met - timedelta(hours=20),
        outcome_recorded_at=met + timedelta(hours=2),
        # What the manager expects, written down by the employee and agreed by the manager.
        expectations_proposed_by=employee.id,
        expectations_agreed_at=met + timedelta(hours=4),
        expectations_agreed=[text for text, _by in EXPECTED],
        expectations_version=1,
        submit_key="sandbox-demo-meeting",
        created_at=met - timedelta(days=1),
    )
    session.add(meeting)
    session.flush()
    session.add(
        Concern(
            workspace_id=workspace.id,
            meeting_request_id=meeting.id,
            text="Keep the team posted on big orders until the new check is in place.",
        )
    )
    for position, (text, by) in enumerate(EXPECTED):
        session.add(
            Expectation(
                workspace_id=workspace.id,
                meeting_request_id=meeting.id,
                position=position,
                text=text,
                due_on=today + timedelta(days=by) if by is not None else None,
            )
        )

    # Weekly on the weekday of the manager's public holiday (tomorrow), so the next one moves.
    first = (holiday or today) - timedelta(days=14)
    at = time(10, 0)
    schedule = FeedbackSchedule(
        workspace_id=workspace.id,
        employee_id=employee.id,
        manager_id=manager.id,
        plan_id=plan.id,
        tz=manager_p.tz,
        first_date=first,
        time_of_day=at,
        repeat=Repeat.WEEKLY.value,
        end_kind=ScheduleEnd.PLAN_CLOSED.value,
        questions=QUESTIONS,
        status=ScheduleStatus.ACTIVE.value,
        occurrence_count=2,
        created_at=now - timedelta(days=15),
    )
    place(schedule, _next_weekly(first, at, manager_p.tz, now), manager_calendar(schedule, manager))
    session.add(schedule)
    session.flush()
    # Each week's rating of each expectation, beside the overall one: the App Home's trend.
    rated = [
        [Rating.ON_TRACK, Rating.NOT_YET_ON_TRACK],
        [Rating.EXCEEDING, Rating.ON_TRACK],
    ]
    answers = [
        (
            Rating.NOT_YET_ON_TRACK,
            "You called Henderson the same day. That mattered.",
            "Tell me sooner when something slips.",
        ),
        (
            Rating.ON_TRACK,
            "The morning approvals are working; no errors this week.",
            "Keep going, and show the team the new check.",
        ),
    ]
    for week, (rating, good, better) in enumerate(answers):
        expected = [text for text, _by in EXPECTED]
        due = _at(first + timedelta(days=7 * week), at, manager_p.tz)
        request = FeedbackRequest(
            workspace_id=workspace.id,
            schedule_id=schedule.id,
            employee_id=employee.id,
            manager_id=manager.id,
            due_at=due,
            questions=QUESTIONS,
            expectations=expected,
            status=FeedbackRequestStatus.ANSWERED.value,
            sent_at=due,
            answered_at=due + timedelta(hours=5),
        )
        session.add(request)
        session.flush()
        session.add(
            FeedbackAnswer(
                workspace_id=workspace.id,
                feedback_request_id=request.id,
                rating=rating.value,
                answers=[
                    {"question": QUESTIONS[0], "answer": good},
                    {"question": QUESTIONS[1], "answer": better},
                ],
                discuss_in_person=False,
                note=None,
                expectation_ratings=[
                    {"expectation": text, "rating": r.value}
                    for text, r in zip(expected, rated[week], strict=True)
                ],
            )
        )
