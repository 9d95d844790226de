"""Step 4, prepare to perform: register(), the App Home sections, and what both sides share.

feedback_employee.py holds the employee's side (the schedule modal, Pause / Resume / Change /
Stop, "Request feedback now"); feedback_manager.py the manager's (Give feedback and the answer).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import FeedbackRequest, FeedbackSchedule, Person
from models.feedback import FeedbackRequestStatus, PausedReason, ScheduleEnd, ScheduleStatus
from slackapp.ids import parse_id
from slackapp.kernel import recurrence as rec
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.home import HOME_SECTIONS, WAITING_SECTIONS, publish_home
from slackapp.services import feedback as svc
from slackapp.services import feedback_answers as answers
from slackapp.services import refusals
from slackapp.services.feedback_progress import progress_for_next, progress_from_loaded
from slackapp.services.home_data import HomeData
from slackapp.services.people import find_person
from slackapp.views.feedback import ScheduleModal, day, in_both_zones
from slackapp.views.feedback_home import (
    AskedBy,
    HistoryItem,
    ScheduleCard,
    asked_by_blocks,
    employee_home_blocks,
    manager_home_blocks,
)
from slackapp.views.feedback_messages import RATING_LABELS
from slackapp.views.feedback_preview import (
    SHARE_BLOCK_PREFIX,
    SHARE_TOGGLE,
    home_preview_blocks,
    modal_preview_blocks,
    next_request_preview,
)
from slackapp.views.words import plural, zone_label

logger = logging.getLogger(__name__)

HISTORY_SHOWN = 8  # the newest requests listed on the App Home


def tell(client: WebClient, user_id: str, text: str, *, channel: str | None = None) -> None:
    """A short note to one person: ephemeral where they clicked, else a DM."""
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text)
        else:
            client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError:
        logger.warning("could not tell a user about a feedback action")


def refresh_home(client: WebClient, session: Session, person: Person, now: datetime) -> None:
    """Show the change on the person's App Home; a failure here loses nothing."""
    try:
        publish_home(client, session, person, now=now)
        session.commit()  # keeps the home's new hash (and a first visit's welcome)
    except SlackApiError:
        logger.warning("could not refresh an App Home after a feedback change")


def person_of(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    return person


def _ends(schedule: Any, tz: str) -> str:
    if schedule.end_kind == ScheduleEnd.AFTER_COUNT.value:
        return f"Ends after {plural(schedule.end_count or 0, 'request')} ({schedule.occurrence_count} so far)."
    if schedule.end_kind == ScheduleEnd.ON_DATE.value and schedule.end_date is not None:
        return f"Ends on {schedule.end_date:%a} {schedule.end_date.day} {schedule.end_date:%b %Y}."
    return "Ends when your plan is closed."


def schedule_card(
    session: Session,
    person: Person,
    schedule: FeedbackSchedule | None,
    waiting: FeedbackRequest | None,
) -> ScheduleCard | None:
    """`waiting`: the person's request still open (HomeData has it), if any."""
    if schedule is None:
        return None
    manager = person_of(session, schedule.manager_id)
    summary = f"{rec.describe(svc.rule_of(schedule))} at {schedule.time_of_day:%H:%M} {zone_label(schedule.tz)}"
    paused_note = None
    if schedule.status == ScheduleStatus.PAUSED.value:
        paused_note = (
            f"I couldn't reach <@{manager.slack_user_id}> in Slack (deactivated, or no longer in "
            "the workspace). Choose *Change* to pick your manager; saving starts the requests again."
            if schedule.paused_reason == PausedReason.MANAGER_UNREACHABLE.value
            else "Resume to carry on; times that pass while paused are skipped."
        )
    waiting_note = None
    if waiting is not None and waiting.status == FeedbackRequestStatus.SENT.value:
        waiting_note = (
            f":hourglass_flowing_sand: A request is waiting on <@{manager.slack_user_id}> "
            f"(sent {day(waiting.sent_at or waiting.due_at, person.tz)})."
        )
    elif waiting is not None:
        waiting_note = f":outbox_tray: A request is on its way to <@{manager.slack_user_id}>."
    return ScheduleCard(
        schedule_id=schedule.id,
        manager_user_id=manager.slack_user_id,
        summary=summary,
        status=schedule.status,
        next_send=in_both_zones(schedule.next_run_at, schedule.tz, person.tz)
        if schedule.next_run_at
        else None,
        ends=_ends(schedule, person.tz),
        paused_note=paused_note,
        waiting_note=waiting_note,
    )


def history_items(person: Person, history: list[FeedbackRequest]) -> list[HistoryItem]:
    items = []
    for request in history[:HISTORY_SHOWN]:
        item = HistoryItem(asked=day(request.due_at, person.tz), status=request.status)
        if request.answer is not None:
            item.rating = request.answer.rating
            item.rating_label = RATING_LABELS.get(request.answer.rating)
            item.answers = list(request.answer.answers)
            item.discuss = request.answer.discuss_in_person
        items.append(item)
    return items


# -- what the manager will see next time ---------------------------------------------------------


def home_preview(
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
        ask_if_manager=refusals.asks_if_manager_loaded(
            manager_id=manager.id, history=data.history, latest_meeting=data.latest_meeting
        ),
    )
    return home_preview_blocks(
        schedule_id=schedule.id,
        manager_user_id=manager.slack_user_id,
        share=schedule.share_progress,
        preview=preview,
    )


def modal_preview(who: Actor, state: ScheduleModal) -> list[Block | dict[str, Any]]:
    """The bottom of the schedule modal: the next request, as the modal's choices would make it."""
    if state.manager_user_id is None or state.manager_problem or state.manager_tz is None:
        return modal_preview_blocks(None, None)
    schedule = who.db.get(FeedbackSchedule, state.schedule_id) if state.schedule_id else None
    if schedule is not None and schedule.employee_id != who.person.id:
        schedule = None  # the metadata is not trusted: never someone else's plan
    manager = find_person(
        who.db, workspace_id=who.workspace.id, slack_user_id=state.manager_user_id
    )
    now = who.clock.now()
    progress = (
        progress_for_next(who.db, employee=who.person, schedule=schedule, now=now)
        if state.share_progress
        else None
    )
    preview = next_request_preview(
        employee_user_id=who.user_id,
        questions=state.questions,
        progress=progress,
        manager_tz=manager.tz if manager is not None else state.manager_tz,
        ask_if_manager=manager is None
        or refusals.asks_if_manager(who.db, employee_id=who.person.id, manager_id=manager.id),
    )
    return modal_preview_blocks(state.manager_user_id, preview)


def share_toggled(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The App Home's "Include my progress": the choice the schedule modal also offers."""
    ack()
    who = actor(context, client)
    schedule_id = parse_id(str(action.get("block_id") or "").removeprefix(SHARE_BLOCK_PREFIX))
    schedule = who.db.get(FeedbackSchedule, schedule_id) if schedule_id else None
    if schedule is None or schedule.employee_id != who.person.id:
        tell(client, who.user_id, "That feedback schedule isn't yours, so I left it alone.")
        return
    selected = action.get("selected_options")
    share = isinstance(selected, list) and any(
        isinstance(option, dict) and option.get("value") == "share" for option in selected
    )
    now = who.clock.now()
    svc.set_share_progress(schedule=schedule, share=share, now=now)
    who.db.commit()
    refresh_home(client, who.db, who.person, now)


def feedback_home(session: Session, person: Person, now: datetime, data: HomeData) -> list[Block]:
    """The employee's schedule, controls and history."""
    card = schedule_card(session, person, data.schedule, data.open_feedback)
    history = history_items(person, data.history)
    if card is None and not history and svc.latest_schedule(session, person) is None:
        return []
    ratings = [item.rating for item in reversed(history) if item.rating]
    schedule = data.schedule
    preview = home_preview(session, person, now, data, schedule) if schedule else None
    return employee_home_blocks(card, history, answers.rating_trend(ratings), preview)


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
            item.schedule = (
                f"{rec.describe(svc.rule_of(schedule))} at {schedule.time_of_day:%H:%M} "
                f"{zone_label(schedule.tz)}"
            )
            item.paused = schedule.status == ScheduleStatus.PAUSED.value
            if schedule.next_run_at is not None and not item.paused:
                item.next_request = day(schedule.next_run_at, person.tz)
    return manager_home_blocks(waiting) + asked_by_blocks(asking)


def request_of(session: Session, value: Any) -> FeedbackRequest | None:
    request_id = parse_id(value)
    return session.get(FeedbackRequest, request_id) if request_id is not None else None


def register(app: App) -> None:
    from slackapp.listeners import feedback_employee, feedback_manager

    if feedback_home not in HOME_SECTIONS:
        HOME_SECTIONS.append(feedback_home)
    if feedback_waiting not in WAITING_SECTIONS:
        WAITING_SECTIONS.append(feedback_waiting)
    feedback_employee.register(app)
    feedback_manager.register(app)
    app.action(SHARE_TOGGLE)(share_toggled)
