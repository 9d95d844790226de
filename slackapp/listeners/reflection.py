"""Step 2 glue: `/secondchance reflect`, the reflection modal (hints follow the ticked factors),
and its App Home section."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from models import Person, Plan
from slackapp.listeners.context import actor
from slackapp.listeners.home import HOME_SECTIONS, publish_home
from slackapp.listeners.plan import owned_active_plan, plan_modal_for, refuse, submitter
from slackapp.listeners.steps import (
    STEP_OPENERS,
    OpenRequest,
    open_view,
    refresh_journey,
    update_own_view,
)
from slackapp.services import plans, reflections
from slackapp.services.home_data import HomeData
from slackapp.services.plans import NotYours, PlanNotActive, active_plan
from slackapp.services.reflections import MAX_COMMITMENTS
from slackapp.views.plan import NOT_YOURS, REPLACED
from slackapp.views.plan_state import state_values
from slackapp.views.reflection import (
    B_CAUSE,
    FACTORS_CHANGED,
    REFLECTION_CALLBACK,
    ReflectionModalMeta,
    factors_from,
    no_plan_modal,
    reflection_draft_from_state,
    reflection_errors,
    reflection_home_blocks,
    reflection_modal,
    reflection_saved_modal,
)


def modal_for_plan(plan: Plan) -> dict[str, Any]:
    draft = reflections.draft_of(plan.reflection)
    return reflection_modal(draft, ReflectionModalMeta(plan.id, rows=len(draft.commitments)))


def reflect_modal_for(session: Session, person: Person) -> dict[str, Any]:
    """The reflection of the active plan (new or to edit); without a plan, the way to make one."""
    plan = active_plan(session, person)
    return no_plan_modal() if plan is None else modal_for_plan(plan)


def open_reflect(request: OpenRequest) -> None:
    request.show(reflect_modal_for(request.actor.db, request.actor.person))


def redraw(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Factors ticked (hints follow) or a commitment row added or removed; typing is kept."""
    ack()
    who = actor(context, client)
    view = body.get("view") or {}
    meta = ReflectionModalMeta.from_json(view.get("private_metadata"))
    if meta is None:
        refuse(who, body)
        return
    if owned_active_plan(who, body, meta.plan_id) is None:
        return
    draft = reflection_draft_from_state(state_values(view), meta)
    action_id = action["action_id"]
    if action_id == FACTORS_CHANGED:
        draft.factors = factors_from(action.get("selected_options"))
    elif action_id == "reflect_add_row" and meta.rows < MAX_COMMITMENTS:
        meta.rows += 1
        draft.commitments.append("")
    elif action_id == "reflect_remove_row" and meta.rows > 1:
        meta.rows -= 1
        draft.commitments.pop()
    update_own_view(who, view.get("id"), reflection_modal(draft, meta))


def submit_reflection(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    db, person = submitter(context)
    meta = ReflectionModalMeta.from_json(view.get("private_metadata"))
    plan: Plan | None = None
    if person is not None and meta is not None:
        try:
            plan = plans.plan_of(db, owner=person, plan_id=meta.plan_id)
        except NotYours:
            plan = None
    if person is None or meta is None or plan is None:
        ack(response_action="errors", errors={B_CAUSE: NOT_YOURS})
        return
    draft = reflection_draft_from_state(state_values(view), meta)
    errors = reflections.validate_reflection(draft)
    if errors:
        ack(response_action="errors", errors=reflection_errors(errors, rows=meta.rows))
        return
    now = context["clock"].now()
    try:
        reflection = reflections.save_reflection(
            session=db, owner=person, plan=plan, draft=draft, now=now
        )
    except PlanNotActive:
        db.rollback()
        ack(response_action="errors", errors={B_CAUSE: REPLACED})
        return
    db.commit()
    ack(response_action="update", view=reflection_saved_modal(reflection))
    publish_home(client, db, person, now=now)
    refresh_journey(client, db, person, view)
    db.commit()


def switch_modal(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """ "Reflect now" after saving a plan, or "Start my plan" when there is none yet: the modal
    turns into the other step's in place (no stacking, so the 3-view limit is never near)."""
    ack()
    who = actor(context, client)
    if action["action_id"] == "plan_next_reflect":
        view = reflect_modal_for(who.db, who.person)
    else:
        view = plan_modal_for(who.db, who.person)
    update_own_view(who, (body.get("view") or {}).get("id"), view)


def open_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    plan = owned_active_plan(who, body, action.get("value"))
    if plan is None:
        return
    open_view(who, trigger_id=body["trigger_id"], view=modal_for_plan(plan))
    who.db.commit()


def reflection_home_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    plan = data.active_plan
    return [] if plan is None else reflection_home_blocks(plan)


STEP_OPENERS["reflect"] = open_reflect
if reflection_home_section not in HOME_SECTIONS:
    HOME_SECTIONS.append(reflection_home_section)


def register(app: App) -> None:
    app.view(REFLECTION_CALLBACK)(submit_reflection)
    for action_id in (FACTORS_CHANGED, "reflect_add_row", "reflect_remove_row"):
        app.action(action_id)(redraw)
    app.action("plan_next_reflect")(switch_modal)
    app.action("reflect_go_plan")(switch_modal)
    app.action("reflect_edit_open")(open_from_home)
