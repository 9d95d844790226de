"""The App Home's sections, in the order people see them: each is
(session, person, now, data) -> blocks, where data is what several sections and the journey need,
loaded once per render (services/home_data.py): a section reads the plan, meeting request,
schedule or feedback history from there, not again.

HOME_SECTIONS follow the journey, then the person's data last, below every stage.
WAITING_SECTIONS are what waits on the person as someone's manager; the home leads with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import FeedbackSchedule, Person
from models.feedback import ScheduleStatus
from slackapp.kernel.working_days import country_of_zone, regions
from slackapp.services import checkins, expectations, meetings, plans, refusals
from slackapp.services import feedback as svc
from slackapp.services import feedback_answers as answers
from slackapp.services.feedback_progress import progress_from_loaded
from slackapp.services.home_data import HomeData
from slackapp.services.plan_reminders import local_today
from slackapp.services.working_time import calendar_of, said_away
from slackapp.views.checkin import home_blocks as checkin_home_blocks
from slackapp.views.expectations import home_blocks as expectation_home_blocks
from slackapp.views.feedback import day
from slackapp.views.feedback_cards import history_items, schedule_card, schedule_summary
from slackapp.views.feedback_home import (
    AskedBy,
    HistoryItem,
    asked_by_blocks,
    employee_home_blocks,
)
from slackapp.views.feedback_home import manager_home_blocks as feedback_waiting_blocks
from slackapp.views.feedback_preview import home_preview_blocks, next_request_preview
from slackapp.views.language import language_home_blocks
from slackapp.views.meeting_home import manager_home_blocks as meeting_waiting_blocks
from slackapp.views.meeting_section import meeting_section_blocks
from slackapp.views.plan import plan_home_blocks
from slackapp.views.privacy import data_home_blocks
from slackapp.views.reflection import reflection_home_blocks
from slackapp.views.refusal import home_blocks as refusal_home_blocks
from slackapp.views.trend_chart import chart_block, chart_key, chart_series
from slackapp.views.working_time import country_names, working_days_blocks

HomeSection = Callable[[Session, Person, datetime, HomeData], list[Block]]


def person_of(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    return person


def plan_section(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    plan = data.active_plan
    if plan is None:
        return []
    today = local_today(person, now)
    return plan_home_blocks(
        plan,
        plans.plan_summary(plan, today=today),
        today=today,
        tz=person.tz,
        archived=data.archived_plans,
    )


def reflection_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    plan = data.active_plan
    return [] if plan is None else reflection_home_blocks(plan)


def meeting_section(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    request = meetings.still_open(data.latest_meeting)
    manager = meetings.request_manager(session, request) if request is not None else None
    over = bool(request and request.accepted_time and request.accepted_time <= now)
    return meeting_section_blocks(
        request, employee=person, manager=manager, meeting_over=over, concerns=data.concerns
    )


def _feedback_preview(
    session: Session, person: Person, now: datetime, data: HomeData, schedule: FeedbackSchedule
) -> list[Block]:
    """The next request of this schedule as its manager will get it, built as the send builds it."""
    manager = person_of(session, schedule.manager_id)
    progress = (
        progress_from_loaded(
            session,
            schedule=schedule,
            now=now,
            history=data.history,
            concerns=data.concerns,
            active=data.active_plan,
        )
        if schedule.share_progress
        else None
    )
    preview = next_request_preview(
        employee_user_id=person.slack_user_id,
        questions=list(schedule.questions),
        progress=progress,
        manager_tz=manager.tz,
        manager_reads=manager.reads,
        ask_if_manager=refusals.asks_if_manager_loaded(
            manager_id=manager.id, history=data.history, latest_meeting=data.latest_meeting
        ),
        # The latest meeting is the one with the expectations (expectations_section reads it too).
        expectations=expectations.agreed_of(data.latest_meeting),
    )
    return home_preview_blocks(
        schedule_id=schedule.id,
        manager_user_id=manager.slack_user_id,
        share=schedule.share_progress,
        preview=preview,
    )


def feedback_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    """The employee's schedule, controls and history."""
    schedule = data.schedule
    card = (
        schedule_card(
            schedule,
            manager=person_of(session, schedule.manager_id),
            person=person,
            waiting=data.open_feedback,
        )
        if schedule is not None
        else None
    )
    history = history_items(person, data.history)
    if card is None and not history and svc.latest_schedule(session, person) is None:
        return []
    ratings = [item.rating for item in reversed(history) if item.rating]
    preview = _feedback_preview(session, person, now, data, schedule) if schedule else None
    return employee_home_blocks(
        card, history, answers.rating_trend(ratings), preview, chart=_chart(person, history)
    )


def _chart(person: Person, history: list[HistoryItem]) -> Block | None:
    """The trend chart uploaded for exactly these ratings (home_chart.py uploads it before the
    home is published); none while it is missing or out of date: the squares still show."""
    series = chart_series(history)
    if series is None or not person.trend_chart_file_id:
        return None
    if person.trend_chart_key != chart_key(series):
        return None
    return chart_block(person.trend_chart_file_id, history)


def expectations_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    """What the manager expects, under step 4: from the latest meeting, once written down."""
    request = data.latest_meeting
    if request is None or request.expectations_proposed_by is None:
        return []
    manager = meetings.request_manager(session, request)
    return expectation_home_blocks(
        request, viewer_id=person.id, manager_user_id=manager.slack_user_id
    )


def checkin_section(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    """The private check-in, offered once they have started their own second chance."""
    if not data.has_journey and not person.checkin_weekly:
        return []
    return checkin_home_blocks(
        person.checkin_weekly, checkins.recent(session, person), tz=person.tz
    )


def refusal_section(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    """Shown until the employee names someone else: saying no clears the manager they last
    named, and sending a request or saving a schedule sets it again. Gated so, a busy home
    (which has a manager) spends no statement on it (tests/unit/test_home_queries.py)."""
    if person.manager_id is not None:
        return []
    return refusal_home_blocks([p.slack_user_id for p in refusals.refused_by(session, person)])


def working_days_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    """Whose public holidays, which working week, and "I'm away until"."""
    cal = calendar_of(person)
    zone_country = country_of_zone(person.tz)
    return working_days_blocks(
        country=country_names().get(cal.country or ""),
        region=regions(cal.country or "").get(cal.region or ""),
        week=cal.week,
        hours=(cal.start, cal.end),
        away_until=person.away_until if said_away(person, now) else None,
        asks_country=cal.country is None and zone_country is None,
    )


def data_section(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    return data_home_blocks()


def language_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    return language_home_blocks(person.language)


def meeting_waiting(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    """For a manager: the meeting requests waiting on their answer."""
    return meeting_waiting_blocks(data.meetings_waiting, manager=person)


def feedback_waiting(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    """For a manager: the feedback requests waiting on their answer, then who asks them."""
    waiting = [
        (r.id, employee.slack_user_id, day(r.sent_at or r.due_at, person.tz))
        for r, employee in data.feedback_waiting
    ]
    asking = [AskedBy(employee.slack_user_id) for employee, schedule in data.reports]
    for item, (_employee, schedule) in zip(asking, data.reports, strict=True):
        if schedule is not None:
            item.schedule = schedule_summary(schedule)
            item.paused = schedule.status == ScheduleStatus.PAUSED.value
            if schedule.next_run_at is not None and not item.paused:
                item.next_request = day(schedule.next_run_at, person.tz)
    return feedback_waiting_blocks(waiting) + asked_by_blocks(asking)


HOME_SECTIONS: tuple[HomeSection, ...] = (
    plan_section,
    reflection_section,
    meeting_section,
    feedback_section,
    expectations_section,
    checkin_section,
    refusal_section,
    working_days_section,
    language_section,
    data_section,
)
WAITING_SECTIONS: tuple[HomeSection, ...] = (meeting_waiting, feedback_waiting)
