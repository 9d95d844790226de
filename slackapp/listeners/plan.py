"""Stage 1, fix what went wrong: `/secondchance plan`, the plan modal and its buttons, the step
checkboxes on the App Home, and the "Mark as done" button of a reminder."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from models import Person, Plan, PlanStatus, Step
from slackapp.kernel import due_work
from slackapp.kernel.kinds import STEP_REMINDER
from slackapp.listeners.comeback import write_summary
from slackapp.listeners.glue import (
    Actor,
    Edit,
    acked,
    acked_in_view,
    id_in,
    metadata,
    refresh_homes,
    refuse,
    submitter,
    tell,
    view_of,
    words_for,
)
from slackapp.listeners.modals import OpenRequest, open_view, saved_in_modal, update_own_view
from slackapp.services import plans
from slackapp.services.plan_reminders import local_today
from slackapp.services.plans import (
    MAX_STEPS,
    NotYours,
    PlanAlreadyActive,
    PlanDraft,
    PlanNotActive,
    StepDraft,
    active_plan,
    clean_link,
)
from slackapp.views.i18n import _
from slackapp.views.plan import (
    ADD_STEP_CALLBACK,
    NOT_YOURS,
    PLAN_CALLBACK,
    REPLACED,
    STEP_TOGGLE_PREFIX,
    add_step_modal,
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


def owned_active_plan(who: Actor, body: dict[str, Any], raw_id: Any) -> Plan | None:
    """The acting person's active plan with this id; otherwise (someone else's, or replaced)
    the person is told kindly that nothing changed, and None."""
    plan_id = id_in(raw_id)
    plan = None
    if plan_id is not None:
        try:
            plan = plans.plan_of(who.db, owner=who.person, plan_id=plan_id)
        except NotYours:
            plan = None
    if plan is None or plan.status != PlanStatus.ACTIVE.value:
        refuse(who, _(NOT_YOURS), body)
        return None
    return plan


def own_plan(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Actor, Plan] | None:
    """Ack, then the acting person's active plan the button names (refused kindly if not)."""
    who = acked(ack, context, client)
    plan = owned_active_plan(who, body, action.get("value"))
    return None if plan is None else (who, plan)


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
    who = submitter(context, client)
    meta = PlanModalMeta.from_json(view.get("private_metadata"))
    if who is None:
        ack(response_action="errors", errors={B_TITLE: _(NOT_YOURS)})
        return
    db, person, now = who.db, who.person, who.clock.now()
    draft = plan_draft_from_state(state_values(view), meta)
    plan: Plan | None = None
    if meta.plan_id is not None:
        try:
            plan = plans.plan_of(db, owner=person, plan_id=meta.plan_id)
        except NotYours:
            ack(response_action="errors", errors={B_TITLE: _(NOT_YOURS)})
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
    except (PlanAlreadyActive, PlanNotActive) as error:
        db.rollback()
        ack(response_action="errors", errors={B_TITLE: words_for(error)})
        return
    who.save()
    summary = plans.plan_summary(plan, today=local_today(person, now))
    dated = sum(1 for s in plan.steps if s.due_date is not None and s.done_at is None)
    ack(response_action="update", view=plan_saved_modal(summary, dated_steps=dated))
    saved_in_modal(who, view)


def change_rows(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Add or remove a step row, keeping everything typed so far."""
    who, view = acked_in_view(ack, body, context, client)
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
    found = own_plan(ack, body, action, context, client)
    if found is None:
        return
    who, plan = found
    update_own_view(
        who, view_of(body).get("id"), plan_modal(PlanDraft(), PlanModalMeta(replacing=plan.id))
    )


# -- App Home buttons ---------------------------------------------------------------------------


def open_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    found = own_plan(ack, body, action, context, client)
    if found is None:
        return
    who, plan = found
    if action["action_id"] == "plan_edit_open":
        view = edit_modal(plan)
    elif action["action_id"] == "plan_add_step_open":
        view = add_step_modal(plan)
    else:  # plan_new_open, after the confirm dialog
        view = plan_modal(PlanDraft(), PlanModalMeta(replacing=plan.id))
    open_view(who, trigger_id=body["trigger_id"], view=view)
    who.save()


def close_from_home(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """ "Close plan" on the App Home, after its confirm dialog."""
    found = own_plan(ack, body, action, context, client)
    if found is None:
        return
    who, plan = found
    plans.close_plan(session=who.db, owner=who.person, plan=plan, now=who.clock.now())
    tell(who, homes=[who.person], unseen_too=True)
    write_summary(who, plan)


def _set_done(who: Actor, body: dict[str, Any], step_id: int | None, done: bool) -> Step | None:
    """Tick or untick one of the person's own steps; anyone else's is refused kindly."""
    try:
        if step_id is None:
            raise NotYours
        return plans.set_step_done(
            session=who.db, owner=who.person, step_id=step_id, done=done, now=who.clock.now()
        )
    except (NotYours, PlanNotActive) as error:
        refuse(who, words_for(error), body)
        return None


def toggle_step(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """A step's checkbox on the App Home: ticked is done (with its time), unticked undoes it."""
    who = acked(ack, context, client)
    selected = action.get("selected_options")
    done = isinstance(selected, list) and any(
        isinstance(o, dict) and o.get("value") == "done" for o in selected
    )
    step_id = id_in(action.get("action_id"), prefix=STEP_TOGGLE_PREFIX)
    if _set_done(who, body, step_id, done) is not None:
        tell(who, homes=[who.person], unseen_too=True)


def done_from_reminder(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    step = _set_done(who, body, id_in(action.get("value")), True)
    if step is None:
        return
    who.save()
    # Only the reminder the app sent for this step: the payload names a message, not whose.
    sent = due_work.sent_as(
        who.db,
        kind=STEP_REMINDER,
        subject_id=step.id,
        channel=(body.get("channel") or {}).get("id"),
        ts=(body.get("message") or {}).get("ts"),
    )
    text, blocks = step_done_message(step)
    edit = Edit(sent[0], sent[1], text, blocks) if sent is not None else None
    tell(who, edits=[edit], homes=[who.person], unseen_too=True)


# -- the add-step modal -------------------------------------------------------------------------


def submit_add_step(
    ack: Ack, view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = submitter(context, client)
    field = step_block(0, "text")
    try:
        plan_id = id_in(metadata({"view": view}).get("plan"))
        if who is None or plan_id is None:
            raise NotYours
        plan = plans.plan_of(who.db, owner=who.person, plan_id=plan_id)
    except NotYours:
        ack(response_action="errors", errors={field: _(NOT_YOURS)})
        return
    db, person = who.db, who.person
    if plan.status != PlanStatus.ACTIVE.value:
        ack(response_action="errors", errors={field: _(REPLACED)})
        return
    now = context["clock"].now()
    row = step_from_state(state_values(view), 0)
    row.source_link = clean_link(metadata({"view": view}).get("link"))
    errors = plans.validate_added_step(row, plan=plan, today=local_today(person, now))
    if errors:
        ack(response_action="errors", errors=plan_errors(errors, rows=1))
        return
    plans.add_step(session=db, owner=person, plan=plan, row=row, now=now)
    who.save()
    ack()
    refresh_homes(who, person, unseen_too=True)
    who.save()


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
