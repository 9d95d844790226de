"""Stage 4, prepare to perform: the employee's schedule modal (`/secondchance feedback`)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from models import FeedbackSchedule
from slackapp.kernel import recurrence as rec
from slackapp.kernel.zones import exact
from slackapp.listeners.glue import (
    Actor,
    acked,
    actor,
    view_of,
    words_for,
)
from slackapp.listeners.home_sections import person_of
from slackapp.listeners.manager_check import check_manager, refusal_problem
from slackapp.listeners.modals import OpenRequest, saved_in_modal, update_own_view
from slackapp.services import feedback as svc
from slackapp.services import refusals
from slackapp.services.feedback_progress import progress_for_next
from slackapp.services.people import find_person
from slackapp.services.plan_queries import active_plan
from slackapp.services.schedule_repeat import CHOICES, modal_repeat, offered, rule_for
from slackapp.services.working_time import next_working_day
from slackapp.views.feedback import (
    END_OPTIONS,
    PICK_FIRST_DATE,
    PICK_MANAGER,
    PICK_SHARE,
    SCHEDULE_CALLBACK_ID,
    ScheduleModal,
    confirmation_modal,
    parse_time,
    read_schedule_values,
    schedule_modal,
)
from slackapp.views.feedback_cards import schedule_summary
from slackapp.views.feedback_preview import (
    REFRESH_PREVIEW,
    modal_preview_blocks,
    next_request_preview,
)
from slackapp.views.feedback_words import (
    MISSING,
    NOT_YOURS_TO_CHANGE,
    PICK_MANAGER_AGAIN,
    schedule_errors,
)
from slackapp.views.i18n import _
from slackapp.views.working_time import country_names, send_times

logger = logging.getLogger(__name__)

# What reading a payload that is not what our own views send can raise.
MALFORMED = (ValueError, TypeError, AttributeError, KeyError)


def _checked(who: Actor, user_id: str) -> tuple[str | None, str | None]:
    """(time zone, problem) for the person picked as manager."""
    check = check_manager(who, user_id)
    return check.tz, check.problem


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
        manager_reads=manager.reads if manager is not None else None,
        ask_if_manager=manager is None
        or refusals.asks_if_manager(who.db, employee_id=who.person.id, manager_id=manager.id),
    )
    return modal_preview_blocks(state.manager_user_id, preview)


def _start_state(who: Actor) -> ScheduleModal:
    """The modal for a new schedule, or the current one to change."""
    schedule = svc.current_schedule(who.db, who.person)
    has_plan = active_plan(who.db, who.person) is not None
    if schedule is not None:
        manager = person_of(who.db, schedule.manager_id)
        tz, problem = _checked(who, manager.slack_user_id)
        upcoming = (
            schedule.moved_from
            or schedule.next_run_at
            or rec.first_occurrence(svc.rule_of(schedule))
        )
        first = upcoming.astimezone(exact(schedule.tz)).date()
        repeat = modal_repeat(schedule, first)
        return ScheduleModal(
            manager_user_id=manager.slack_user_id,
            manager_tz=tz or schedule.tz,
            manager_problem=problem,
            schedule_id=schedule.id,
            first_date=first,
            time_of_day=f"{schedule.time_of_day:%H:%M}",
            repeat=repeat,
            end_kind=schedule.end_kind,
            end_count=schedule.end_count,
            end_date=schedule.end_date,
            questions=list(schedule.questions),
            share_progress=schedule.share_progress,
            has_plan=has_plan or schedule.end_kind == "plan_closed",
        )
    state = ScheduleModal(
        questions=list(svc.DEFAULT_QUESTIONS),
        has_plan=has_plan,
        end_kind="plan_closed" if has_plan else "after_count",
        end_count=None if has_plan else 6,
    )
    remembered = who.person.manager
    if remembered is not None:
        state.manager_user_id = remembered.slack_user_id
        state.manager_tz, state.manager_problem = _checked(who, remembered.slack_user_id)
    state.first_date = next_working_day(
        who.clock.now(), state.manager_tz or who.person.tz, remembered
    )
    return state


def open_feedback(request: OpenRequest) -> None:
    """/secondchance feedback, and the journey's and App Home's feedback buttons."""
    state = _start_state(request.actor)
    request.show(schedule_modal(state, modal_preview(request.actor, state)))


def _state_from_view(body: dict[str, Any]) -> ScheduleModal:
    view = view_of(body)
    state = ScheduleModal.from_metadata(view.get("private_metadata") or "")
    values = read_schedule_values((view.get("state") or {}).get("values") or {})
    state.first_date = values["first_date"]
    state.time_of_day = values["time"] or state.time_of_day
    state.repeat = values["repeat"] or state.repeat
    state.end_kind = values["end"] or state.end_kind
    state.end_count = values["end_count"]
    state.end_date = values["end_date"]
    state.questions = svc.parse_questions(values["questions"]) if values["questions"] else []
    state.share_progress = values["share"]
    return state


def _update_modal(who: Actor, body: dict[str, Any], state: ScheduleModal) -> None:
    view = body["view"]
    state.repeat = offered(state.repeat, state.first_date)
    modal = schedule_modal(state, modal_preview(who, state))
    who.save()  # the connection goes back to the pool before Slack's round trip
    try:
        update_own_view(who, view.get("id"), modal, hash=view.get("hash"))
    except SlackApiError:
        # Changed since (hash_conflict) or closed: the person's next pick updates it again.
        logger.warning("could not update the feedback modal")


def manager_picked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The modal names the manager's zone once they are picked (DESIGN.md, Decisions)."""
    who = acked(ack, context, client)
    try:
        state = _state_from_view(body)
    except MALFORMED:
        logger.warning("a manager pick could not be read")
        return
    picked = action.get("selected_user")
    state.manager_user_id = picked if isinstance(picked, str) else None
    state.manager_tz, state.manager_problem = (
        _checked(who, state.manager_user_id) if state.manager_user_id else (None, None)
    )
    who.save()
    _update_modal(who, body, state)


def first_date_picked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The repeat choices name the weekday ("Monthly, on the second Tuesday")."""
    who = acked(ack, context, client)
    try:
        state = _state_from_view(body)
        picked = action.get("selected_date")
        state.first_date = date.fromisoformat(picked) if picked else None
    except MALFORMED:
        logger.warning("a date pick could not be read")
        return
    _update_modal(who, body, state)


def redraw_preview(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The share choice, or "Update the preview" after editing the questions."""
    who = acked(ack, context, client)
    try:
        state = _state_from_view(body)
    except MALFORMED:
        logger.warning("a feedback modal redraw could not be read")
        return
    _update_modal(who, body, state)


def _form(
    who: Actor, state: ScheduleModal, values: dict[str, Any]
) -> tuple[svc.ScheduleForm | None, dict[str, str]]:
    manager_id = values["manager"]
    if not manager_id:
        return None, {"manager": _(MISSING["manager"])}
    tz, problem = (state.manager_tz, state.manager_problem)
    if manager_id != state.manager_user_id:
        # Picked without the modal hearing of it: use what we know, ask again otherwise.
        known = find_person(who.db, workspace_id=who.workspace.id, slack_user_id=manager_id)
        tz, problem = (known.tz, None) if known is not None else (None, None)
        if known is None:
            return None, {"manager": _(PICK_MANAGER_AGAIN)}
    # Asked again here: they may have said they aren't the manager after the modal checked.
    problem = problem or refusal_problem(who, manager_id)
    if problem:
        return None, {"manager": problem}
    assert tz is not None
    errors: dict[str, str] = {}
    at = parse_time(values["time"])
    if values["first_date"] is None:
        errors["first_date"] = _(MISSING["first_date"])
    if at is None:
        errors["time"] = _(MISSING["time"])
    if errors:
        return None, errors
    if values["repeat"] not in CHOICES:
        return None, {"repeat": _(MISSING["repeat"])}
    if values["end"] not in END_OPTIONS:
        return None, {"end": _(MISSING["end"])}
    first: date = values["first_date"]
    repeat, monthly_week = rule_for(values["repeat"], first)
    manager = find_person(who.db, workspace_id=who.workspace.id, slack_user_id=manager_id)
    assert manager is not None
    return (
        svc.ScheduleForm(
            manager=manager,
            tz=tz,
            first_date=first,
            time_of_day=at,  # type: ignore[arg-type]
            repeat=repeat,
            monthly_week=monthly_week,
            end_kind=values["end"],
            end_count=values["end_count"],
            end_date=values["end_date"],
            questions=svc.parse_questions(values["questions"]),
            share_progress=values["share"],
        ),
        {},
    )


def save_schedule(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    now = who.clock.now()
    try:
        view = body["view"]
        state = ScheduleModal.from_metadata(view.get("private_metadata") or "")
        values = read_schedule_values(view["state"]["values"])
        schedule = who.db.get(FeedbackSchedule, state.schedule_id) if state.schedule_id else None
        if state.schedule_id and (schedule is None or schedule.employee_id != who.person.id):
            ack(response_action="errors", errors={"manager": _(NOT_YOURS_TO_CHANGE)})
            return
        form, errors = _form(who, state, values)
        if form is not None:
            errors = schedule_errors(
                svc.check_schedule(form, employee=who.person, now=now, schedule=schedule)
            )
    except MALFORMED:
        # Not what our modal sends: close it, change nothing.
        logger.warning("a feedback schedule submission could not be read")
        ack()
        return
    if errors or form is None:
        ack(response_action="errors", errors=errors)
        return
    try:
        saved = svc.save_schedule(
            session=who.db, employee=who.person, form=form, now=now, schedule=schedule
        )
    except svc.FeedbackError as error:
        ack(response_action="errors", errors={"manager": words_for(error)})
        return
    cal = svc.manager_calendar(saved, form.manager)
    times = send_times(
        svc.upcoming_sends(saved, cal, 3),
        manager_tz=saved.tz,
        employee_tz=who.person.tz,
        country=country_names().get(cal.country or ""),
        manager_user_id=form.manager.slack_user_id,
    )
    summary = schedule_summary(saved)
    who.save()
    ack(
        response_action="update",
        view=confirmation_modal(
            manager_user_id=form.manager.slack_user_id,
            summary=summary,
            times=times,
            changed=schedule is not None,
            paused=saved.status == "paused",
        ),
    )
    saved_in_modal(who, view_of(body))


def register(app: App) -> None:
    app.action(PICK_MANAGER)(manager_picked)
    app.action(PICK_FIRST_DATE)(first_date_picked)
    app.action(PICK_SHARE)(redraw_preview)
    app.action(REFRESH_PREVIEW)(redraw_preview)
    app.view(SCHEDULE_CALLBACK_ID)(save_schedule)
