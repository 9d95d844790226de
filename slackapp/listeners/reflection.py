"""Stage 2, be introspective: `/secondchance reflect`, the reflection modal (hints follow the ticked factors),
and its App Home section."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from models import Person, Plan
from slackapp.listeners.glue import (
    acked,
    acked_in_view,
    refuse,
    submitter,
    view_of,
    words_for,
)
from slackapp.listeners.modals import OpenRequest, open_view, saved_in_modal, update_own_view
from slackapp.listeners.plan import own_plan, owned_active_plan, plan_modal_for
from slackapp.services import plans, reflections
from slackapp.services.plans import NotYours, PlanNotActive, active_plan
from slackapp.services.reflections import MAX_COMMITMENTS
from slackapp.views.i18n import _
from slackapp.views.plan import NOT_YOURS
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
    who, view = acked_in_view(ack, body, context, client)
    meta = ReflectionModalMeta.from_json(view.get("private_metadata"))
    if meta is None:
        refuse(who, _(NOT_YOURS), body)
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
    who = submitter(context, client)
    meta = ReflectionModalMeta.from_json(view.get("private_metadata"))
    plan: Plan | None = None
    if who is not None and meta is not None:
        try:
            plan = plans.plan_of(who.db, owner=who.person, plan_id=meta.plan_id)
        except NotYours:
            plan = None
    if who is None or meta is None or plan is None:
        ack(response_action="errors", errors={B_CAUSE: _(NOT_YOURS)})
        return
    draft = reflection_draft_from_state(state_values(view), meta)
    errors = reflections.validate_reflection(draft)
    if errors:
        ack(response_action="errors", errors=reflection_errors(errors, rows=meta.rows))
        return
    try:
        reflection = reflections.save_reflection(
            session=who.db, owner=who.person, plan=plan, draft=draft, now=who.clock.now()
        )
    except PlanNotActive as error:
        who.db.rollback()
        ack(response_action="errors", errors={B_CAUSE: words_for(error)})
        return
    who.save()
    ack(response_action="update", view=reflection_saved_modal(reflection))
    saved_in_modal(who, view)


def switch_modal(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """ "Reflect now" after saving a plan, or "Start my plan" when there is none yet: the modal
    turns into the other step's in place (no stacking, so the 3-view limit is never near)."""
    who = acked(ack, context, client)
    if action["action_id"] == "plan_next_reflect":
        view = reflect_modal_for(who.db, who.person)
    else:
        view = plan_modal_for(who.db, who.person)
    update_own_view(who, view_of(body).get("id"), view)


def open_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = own_plan(ack, body, action, context, client)
    if found is None:
        return
    who, plan = found
    open_view(who, trigger_id=body["trigger_id"], view=modal_for_plan(plan))
    who.save()


def register(app: App) -> None:
    app.view(REFLECTION_CALLBACK)(submit_reflection)
    for action_id in (FACTORS_CHANGED, "reflect_add_row", "reflect_remove_row"):
        app.action(action_id)(redraw)
    app.action("plan_next_reflect")(switch_modal)
    app.action("reflect_go_plan")(switch_modal)
    app.action("reflect_edit_open")(open_from_home)
