"""Step 1 glue: `/secondchance plan`, the plan modal and its buttons, the step checkboxes on the
App Home, and the "Mark as done" button of a reminder.

Importing this module makes the journey's plan buttons open the plan modal and adds the plan
to the App Home.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import Person, Plan, PlanStatus
from slackapp.ids import parse_id
from slackapp.kernel import due_work
from slackapp.listeners.context import Actor, actor, known_person
from slackapp.listeners.home import HOME_SECTIONS, publish_home
from slackapp.listeners.steps import (
    STEP_OPENERS,
    OpenRequest,
    open_view,
    refresh_journey,
    update_own_view,
)
from slackapp.services import plans
from slackapp.services.home_data import HomeData
from slackapp.services.plan_reminders import STEP_REMINDER, local_today, sync_reminders
from slackapp.services.plans import (
    MAX_STEPS,
    NotYours,
    PlanAlreadyActive,
    PlanDraft,
    PlanNotActive,
    StepDraft,
    active_plan,
)
from slackapp.views.plan import (
    ADD_STEP_CALLBACK,
    NOT_YOURS,
    PLAN_CALLBACK,
    REPLACED,
    STEP_TOGGLE_PREFIX,
    add_step_modal,
    plan_home_blocks,
    plan_modal,
    plan_saved_modal,
)
from slackapp.views.plan_messages import step_done_message
from slackapp.views.plan_state import (
    B_TITLE,
    PlanModalMeta,
    plan_draft_from_state,
    plan_errors,
    state_values,
    step_block,
    step_from_state,
)

logger = logging.getLogger(__name__)


# -- shared with the reflection listeners ------------------------------------------------------


def submitter(context: BoltContext) -> tuple[Session, Person | None]:
    """Who submitted a view, found without calling Slack: a submission must be acked fast."""
    return context["db"], known_person(context)


def refuse(who: Actor, body: dict[str, Any], text: str = NOT_YOURS) -> None:
    """Tell the person kindly that nothing changed; say nothing about whose it was."""
    who.db.rollback()
    channel = body.get("channel")
    channel_id = channel.get("id") if isinstance(channel, dict) else None
    try:
        if isinstance(channel_id, str) and channel_id:
            who.client.chat_postEphemeral(channel=channel_id, user=who.user_id, text=text)
        else:
            who.client.chat_postMessage(channel=who.user_id, text=text)
    except SlackApiError:
        # Nobody to tell (a deleted user, a forged id); nothing changed either way.
        logger.warning("could not tell a user their action was refused")


def owned_active_plan(who: Actor, body: dict[str, Any], raw_id: Any) -> Plan | None:
    """The acting person's active plan with this id; otherwise (someone else's, or replaced)
    the person is told kindly that nothing changed, and None."""
    plan_id = parse_id(raw_id)
    plan = None
    if plan_id is not None:
        try:
            plan = plans.plan_of(who.db, owner=who.person, plan_id=plan_id)
        except NotYours:
            plan = None
    if plan is None or plan.status != PlanStatus.ACTIVE.value:
        refuse(who, body)
        return None
    return plan


def refresh_home(who: Actor) -> None:
    publish_home(who.client, who.db, who.person, now=who.clock.now())
    who.db.commit()


# -- opening -----------------------------------------------------------------------------------


def edit_modal(plan: Plan) -> dict[str, Any]:
    draft = plans.draft_of(plan)
    if not draft.steps:
        draft.steps = [StepDraft("")]
    meta = PlanModalMeta(plan_id=plan.id, step_ids=[s.step_id for s in draft.steps])
    done = frozenset(s.id for s in plan.steps if s.done_at is not None)
    return plan_modal(draft, meta, done_ids=done)


def plan_modal_for(session: Session, person: Person) -> dict[str, Any]:
    """A new plan, or the active one to edit: one active plan per person."""
    plan = active_plan(session, person)
    return plan_modal(PlanDraft(), PlanModalMeta()) if plan is None else edit_modal(plan)


def open_plan(request: OpenRequest) -> None:
    request.show(plan_modal_for(request.actor.db, request.actor.person))


# -- the plan modal ----------------------------------------------------------------------------


def submit_plan(ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    db, person = submitter(context)
    meta = PlanModalMeta.from_json(view.get("private_metadata"))
    if person is None:
        ack(response_action="errors", errors={B_TITLE: NOT_YOURS})
        return
    now = context["clock"].now()
    draft = plan_draft_from_state(state_values(view), meta)
    plan: Plan | None = None
    if meta.plan_id is not None:
        try:
            plan = plans.plan_of(db, owner=person, plan_id=meta.plan_id)
        except NotYours:
            ack(response_action="errors", errors={B_TITLE: NOT_YOURS})
            return
    errors = plans.validate_plan(draft, today=local_today(person, now), plan=plan)
    if errors:
        ack(response_action="errors", errors=plan_errors(errors, rows=len(meta.step_ids)))
        return
    try:
        if plan is None:
            plan = plans.create_plan(
                session=db, owner=person, draft=draft, now=now, replacing=meta.replacing
            )
        else:
            plans.update_plan(session=db, owner=person, plan=plan, draft=draft, now=now)
    except PlanAlreadyActive as already:
        db.rollback()
        message = (
            f"You already have a plan in progress (“{already.plan.title[:60]}”). To replace "
            "it, use “Start a new plan” on your App Home."
        )
        ack(response_action="errors", errors={B_TITLE: message})
        return
    except PlanNotActive:
        db.rollback()
        ack(response_action="errors", errors={B_TITLE: REPLACED})
        return
    db.commit()
    summary = plans.plan_summary(plan, today=local_today(person, now))
    dated = sum(1 for s in plan.steps if s.due_date is not None and s.done_at is None)
    ack(response_action="update", view=plan_saved_modal(summary, dated_steps=dated))
    publish_home(client, db, person, now=now)
    refresh_journey(client, db, person, view)
    db.commit()


def change_rows(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Add or remove a step row, keeping everything typed so far."""
    ack()
    who = actor(context, client)
    view = body.get("view") or {}
    meta = PlanModalMeta.from_json(view.get("private_metadata"))
    done: frozenset[int] = frozenset()
    if meta.plan_id is not None:
        plan = owned_active_plan(who, body, meta.plan_id)
        if plan is None:
            return
        done = frozenset(s.id for s in plan.steps if s.done_at is not None)
    draft = plan_draft_from_state(state_values(view), meta)
    if action["action_id"] == "plan_add_row" and len(draft.steps) < MAX_STEPS:
        draft.steps.append(StepDraft(""))
        meta.step_ids.append(None)
    elif action["action_id"] == "plan_remove_row" and len(draft.steps) > 1:
        draft.steps.pop()
        meta.step_ids.pop()
    update_own_view(who, view.get("id"), plan_modal(draft, meta, done_ids=done))


def start_new_in_modal(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Confirmed in the dialog: the edit modal becomes a blank plan that replaces this one."""
    ack()
    who = actor(context, client)
    plan = owned_active_plan(who, body, action.get("value"))
    if plan is None:
        return
    update_own_view(
        who,
        (body.get("view") or {}).get("id"),
        plan_modal(PlanDraft(), PlanModalMeta(replacing=plan.id)),
    )


# -- App Home buttons ---------------------------------------------------------------------------


def open_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    plan = owned_active_plan(who, body, action.get("value"))
    if plan is None:
        return
    if action["action_id"] == "plan_edit_open":
        view = edit_modal(plan)
    elif action["action_id"] == "plan_add_step_open":
        view = add_step_modal(plan)
    else:  # plan_new_open, after the confirm dialog
        view = plan_modal(PlanDraft(), PlanModalMeta(replacing=plan.id))
    open_view(who, trigger_id=body["trigger_id"], view=view)
    who.db.commit()


def close_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """ "Close plan" on the App Home, after its confirm dialog."""
    ack()
    who = actor(context, client)
    plan = owned_active_plan(who, body, action.get("value"))
    if plan is None:
        return
    plans.close_plan(session=who.db, owner=who.person, plan=plan, now=who.clock.now())
    who.db.commit()
    refresh_home(who)


def toggle_step(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """A step's checkbox on the App Home: ticked is done (with its time), unticked undoes it."""
    ack()
    who = actor(context, client)
    selected = action.get("selected_options")
    done = isinstance(selected, list) and any(
        isinstance(o, dict) and o.get("value") == "done" for o in selected
    )
    step_id = parse_id(str(action.get("action_id", "")).removeprefix(STEP_TOGGLE_PREFIX))
    try:
        if step_id is None:
            raise NotYours
        plans.set_step_done(
            session=who.db, owner=who.person, step_id=step_id, done=done, now=who.clock.now()
        )
    except NotYours:
        refuse(who, body)
        return
    except PlanNotActive:
        refuse(who, body, REPLACED)
        return
    who.db.commit()
    refresh_home(who)


def done_from_reminder(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    step_id = parse_id(action.get("value"))
    try:
        if step_id is None:
            raise NotYours
        step = plans.set_step_done(
            session=who.db, owner=who.person, step_id=step_id, done=True, now=who.clock.now()
        )
    except NotYours:
        refuse(who, body)
        return
    except PlanNotActive:
        refuse(who, body, REPLACED)
        return
    who.db.commit()
    text, blocks = step_done_message(step)
    # Only the reminder the app sent for this step: the payload names a message, not whose.
    sent = due_work.sent_as(
        who.db,
        kind=STEP_REMINDER,
        subject_id=step.id,
        channel=(body.get("channel") or {}).get("id"),
        ts=(body.get("message") or {}).get("ts"),
    )
    if sent is not None:
        client.chat_update(channel=sent[0], ts=sent[1], text=text, blocks=blocks)
    refresh_home(who)


# -- the add-step modal -------------------------------------------------------------------------


def submit_add_step(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    db, person = submitter(context)
    field = step_block(0, "text")
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        plan_id = parse_id(meta.get("plan")) if isinstance(meta, dict) else None
        if person is None or plan_id is None:
            raise NotYours
        plan = plans.plan_of(db, owner=person, plan_id=plan_id)
    except (NotYours, ValueError, TypeError):
        ack(response_action="errors", errors={field: NOT_YOURS})
        return
    if plan.status != PlanStatus.ACTIVE.value:
        ack(response_action="errors", errors={field: REPLACED})
        return
    now = context["clock"].now()
    row = step_from_state(state_values(view), 0)
    errors = plans.validate_added_step(row, plan=plan, today=local_today(person, now))
    if errors:
        ack(response_action="errors", errors=plan_errors(errors, rows=1))
        return
    plans.add_step(session=db, owner=person, plan=plan, row=row, now=now)
    db.commit()
    ack()
    publish_home(client, db, person, now=now)
    db.commit()


# -- App Home section ---------------------------------------------------------------------------


def plan_home_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    plan = data.active_plan
    if plan is None:
        return []
    # The home tab is where a changed time zone arrives (app_home_opened refreshes it), so the
    # reminders move to 09:00 in the new zone here (one read when nothing changed).
    sync_reminders(session, owner=person, now=now, plan=plan)
    today = local_today(person, now)
    return plan_home_blocks(
        plan,
        plans.plan_summary(plan, today=today),
        today=today,
        tz=person.tz,
        archived=data.archived_plans,
    )


STEP_OPENERS["plan"] = open_plan
if plan_home_section not in HOME_SECTIONS:
    HOME_SECTIONS.append(plan_home_section)


def register(app: App) -> None:
    app.view(PLAN_CALLBACK)(submit_plan)
    app.view(ADD_STEP_CALLBACK)(submit_add_step)
    app.action("plan_add_row")(change_rows)
    app.action("plan_remove_row")(change_rows)
    app.action("plan_close")(close_from_home)
    app.action("plan_start_new")(start_new_in_modal)
    for action_id in ("plan_edit_open", "plan_add_step_open", "plan_new_open"):
        app.action(action_id)(open_from_home)
    app.action(re.compile(rf"^{STEP_TOGGLE_PREFIX}\d+$"))(toggle_step)
    app.action("plan_step_done_dm")(done_from_reminder)
