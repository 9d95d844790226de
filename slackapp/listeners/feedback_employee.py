"""The employee's side of step 4: the schedule modal and the App Home controls."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import FeedbackSchedule, Person
from slackapp.ids import parse_id
from slackapp.kernel import recurrence as rec
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.feedback import modal_preview, person_of, refresh_home, tell
from slackapp.listeners.manager_refusal import refusal_problem
from slackapp.listeners.steps import (
    STEP_OPENERS,
    OpenRequest,
    refresh_journey,
    update_own_view,
)
from slackapp.services import feedback as svc
from slackapp.services.people import ensure_person, find_person
from slackapp.services.plan_queries import active_plan
from slackapp.views.feedback import (
    END_OPTIONS,
    PICK_FIRST_DATE,
    PICK_MANAGER,
    PICK_SHARE,
    SCHEDULE_CALLBACK_ID,
    ScheduleModal,
    confirmation_modal,
    day,
    in_both_zones,
    parse_time,
    read_schedule_values,
    schedule_modal,
)
from slackapp.views.feedback_messages import already_waiting_text
from slackapp.views.feedback_preview import REFRESH_PREVIEW
from slackapp.views.feedback_words import refusal_text, schedule_errors
from slackapp.views.words import zone_label

logger = logging.getLogger(__name__)

# What reading a payload that is not what our own views send can raise.
MALFORMED = (ValueError, TypeError, AttributeError, KeyError)


def check_manager(who: Actor, user_id: str) -> tuple[str | None, str | None]:
    """(time zone, problem) for the person picked as manager, asked of Slack (users.info)."""
    if user_id == who.user_id:
        return None, "That's you. Pick the person you report to: feedback requests go to them."
    try:
        user = who.client.users_info(user=user_id)["user"]
    except SlackApiError:
        return None, "I couldn't find that person in Slack. Please pick someone else."
    if user.get("is_bot") or user.get("is_app_user"):
        return None, "That's a bot. Please pick the person you report to."
    if user.get("deleted"):
        return None, "That account is deactivated. Please pick your current manager."
    tz = str(user.get("tz") or "UTC")
    ensure_person(who.db, workspace=who.workspace, slack_user_id=user_id, tz=tz)
    return tz, refusal_problem(who, user_id)


def _start_state(who: Actor) -> ScheduleModal:
    """The modal for a new schedule, or the current one to change."""
    schedule = svc.current_schedule(who.db, who.person)
    has_plan = active_plan(who.db, who.person) is not None
    if schedule is not None:
        manager = person_of(who.db, schedule.manager_id)
        tz, problem = check_manager(who, manager.slack_user_id)
        upcoming = schedule.next_run_at or rec.first_occurrence(svc.rule_of(schedule))
        first = upcoming.astimezone(ZoneInfo(schedule.tz)).date()
        repeat = schedule.repeat
        if repeat == rec.MONTHLY and rec.monthly_choices(first)[0] != (
            schedule.monthly_week or rec.default_monthly_week(first)
        ):
            repeat = "monthly_week"
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
        state.manager_tz, state.manager_problem = check_manager(who, remembered.slack_user_id)
    state.first_date = rec.next_working_day(who.clock.now(), state.manager_tz or who.person.tz)
    return state


def open_feedback(request: OpenRequest) -> None:
    """/secondchance feedback, and the journey's and App Home's feedback buttons."""
    state = _start_state(request.actor)
    request.show(schedule_modal(state, modal_preview(request.actor, state)))


def _state_from_view(body: dict[str, Any]) -> ScheduleModal:
    view = body.get("view") or {}
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
    if state.repeat == "monthly_week" and (
        state.first_date is None or len(rec.monthly_choices(state.first_date)) < 2
    ):
        state.repeat = rec.MONTHLY
    modal = schedule_modal(state, modal_preview(who, state))
    who.db.commit()  # the connection goes back to the pool before Slack's round trip
    try:
        update_own_view(who, view.get("id"), modal, hash=view.get("hash"))
    except SlackApiError:
        # Changed since (hash_conflict) or closed: the person's next pick updates it again.
        logger.warning("could not update the feedback modal")


def manager_picked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The modal names the manager's zone once they are picked (DESIGN.md, Decisions)."""
    ack()
    who = actor(context, client)
    try:
        state = _state_from_view(body)
    except MALFORMED:
        logger.warning("a manager pick could not be read")
        return
    picked = action.get("selected_user")
    state.manager_user_id = picked if isinstance(picked, str) else None
    state.manager_tz, state.manager_problem = (
        check_manager(who, state.manager_user_id) if state.manager_user_id else (None, None)
    )
    who.db.commit()
    _update_modal(who, body, state)


def first_date_picked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The repeat choices name the weekday ("Monthly, on the second Tuesday")."""
    ack()
    who = actor(context, client)
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
    ack()
    who = actor(context, client)
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
        return None, {"manager": "Pick your manager."}
    tz, problem = (state.manager_tz, state.manager_problem)
    if manager_id != state.manager_user_id:
        # Picked without the modal hearing of it: use what we know, ask again otherwise.
        known = find_person(who.db, workspace_id=who.workspace.id, slack_user_id=manager_id)
        tz, problem = (known.tz, None) if known is not None else (None, None)
        if known is None:
            return None, {
                "manager": "Please pick your manager again so I can check their time zone."
            }
    # Asked again here: they may have said they aren't the manager after the modal checked.
    problem = problem or refusal_problem(who, manager_id)
    if problem:
        return None, {"manager": problem}
    assert tz is not None
    errors: dict[str, str] = {}
    at = parse_time(values["time"])
    if values["first_date"] is None:
        errors["first_date"] = "Pick the day of the first request."
    if at is None:
        errors["time"] = "Pick a time."
    if errors:
        return None, errors
    if values["repeat"] not in (rec.WEEKLY, rec.EVERY_2_WEEKS, rec.MONTHLY, "monthly_week"):
        return None, {"repeat": "Choose how often."}
    if values["end"] not in END_OPTIONS:
        return None, {"end": "Choose when to stop."}
    first: date = values["first_date"]
    repeat, monthly_week = values["repeat"], None
    if repeat in (rec.MONTHLY, "monthly_week"):
        choices = rec.monthly_choices(first)
        monthly_week = choices[1] if repeat == "monthly_week" and len(choices) > 1 else choices[0]
        repeat = rec.MONTHLY
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
            ack(
                response_action="errors", errors={"manager": "This schedule isn't yours to change."}
            )
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
        ack(response_action="errors", errors={"manager": refusal_text(error.refusal)})
        return
    times = [in_both_zones(t, saved.tz, who.person.tz) for t in svc.upcoming(saved, 3)]
    summary = (
        f"{rec.describe(svc.rule_of(saved))} at {saved.time_of_day:%H:%M} {zone_label(saved.tz)}"
    )
    who.db.commit()
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
    refresh_home(client, who.db, who.person, now)
    refresh_journey(client, who.db, who.person, body.get("view") or {})
    who.db.commit()


def _own_schedule(who: Actor, action: dict[str, Any]) -> FeedbackSchedule | None:
    schedule_id = parse_id(action.get("value"))
    schedule = who.db.get(FeedbackSchedule, schedule_id) if schedule_id is not None else None
    if schedule is None or schedule.employee_id != who.person.id:
        tell(who.client, who.user_id, "That feedback schedule isn't yours, so I left it alone.")
        return None
    return schedule


def _control(change: Any) -> Any:
    def listener(ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        who = actor(context, client)
        schedule = _own_schedule(who, action)
        if schedule is None:
            return
        now = who.clock.now()
        change(session=who.db, schedule=schedule, now=now)
        who.db.commit()
        refresh_home(client, who.db, who.person, now)

    listener.__name__ = f"feedback_{change.__name__}"
    return listener


def change_schedule(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    if _own_schedule(who, action) is None:
        return
    in_modal = (body.get("view") or {}).get("type") == "modal"
    open_feedback(OpenRequest(actor=who, trigger_id=body["trigger_id"], in_modal=in_modal))
    who.db.commit()


def set_up(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    who = actor(context, client)
    open_feedback(OpenRequest(actor=who, trigger_id=body["trigger_id"]))
    who.db.commit()


def request_feedback_now(
    ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    now = who.clock.now()
    try:
        request, made = svc.request_now(session=who.db, employee=who.person, now=now)
    except svc.FeedbackError as error:
        tell(client, who.user_id, refusal_text(error.refusal))
        return
    who.db.commit()
    if not made:
        manager: Person = person_of(who.db, request.manager_id)
        permalink = None
        if request.channel and request.ts:
            try:
                permalink = client.chat_getPermalink(
                    channel=request.channel, message_ts=request.ts
                )["permalink"]
            except SlackApiError:
                logger.warning("no permalink for an open feedback request")
        asked_on = day(request.sent_at, who.person.tz) if request.sent_at else None
        tell(client, who.user_id, already_waiting_text(manager.slack_user_id, asked_on, permalink))
    refresh_home(client, who.db, who.person, now)


STEP_OPENERS["feedback"] = open_feedback


def register(app: App) -> None:
    app.action(PICK_MANAGER)(manager_picked)
    app.action(PICK_FIRST_DATE)(first_date_picked)
    app.action(PICK_SHARE)(redraw_preview)
    app.action(REFRESH_PREVIEW)(redraw_preview)
    app.view(SCHEDULE_CALLBACK_ID)(save_schedule)
    app.action("feedback_pause")(_control(svc.pause_schedule))
    app.action("feedback_resume")(_control(svc.resume_schedule))
    app.action("feedback_stop")(_control(svc.stop_schedule))
    app.action("feedback_change")(change_schedule)
    app.action("feedback_setup")(set_up)
    app.action("feedback_request_now")(request_feedback_now)
