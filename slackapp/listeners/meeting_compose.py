"""Step 3's compose modal: opening it (with a first draft), and what it redraws on its own.

The draft leaves out what is shared under it (services/meeting_draft.py), so a change of what
is shared drafts the message again, as long as the employee has not made it their own: words
they typed are never replaced. The manager picked names their time zone.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingRequest
from slackapp.listeners.context import Actor, actor
from slackapp.listeners.meeting import ManagerCheck, check_manager, entry, metadata, state_of
from slackapp.listeners.steps import STEP_OPENERS, OpenRequest
from slackapp.scheduling import recurrence as rec
from slackapp.services import meetings
from slackapp.services.journey import active_plan
from slackapp.services.meeting_clock import zone
from slackapp.services.meeting_draft import draft_message
from slackapp.services.people import ensure_person
from slackapp.views import meeting as views

logger = logging.getLogger(__name__)


# -- opening the modal -----------------------------------------------------------------------


def new_form(
    who: Actor, *, manager_user_id: str | None, like: MeetingRequest | None = None
) -> views.ComposeForm:
    plan = active_plan(who.db, who.person)
    steps = len(plan.steps) if plan is not None else 0
    commitments = len(plan.reflection.commitments) if plan and plan.reflection else 0
    form = views.ComposeForm(
        steps_count=steps,
        commitments_count=commitments,
        metadata={"steps": steps, "commitments": commitments},
    )
    if like is None:
        # Shared by default, so the draft points to what is shared instead of listing it.
        sharing = shared_choice(form)
        form.message = draft_message(plan, shared=sharing)
        form.metadata["drafted_for"] = sharing
    else:
        form.message = like.message
        form.share = {
            name
            for name, on in (("steps", like.share_steps), ("commitments", like.share_commitments))
            if on
        }
    if manager_user_id:
        # One users.info before views.open: fast, and the modal can name the manager's zone.
        check = check_manager(who.client, manager_user_id, employee_user_id=who.user_id)
        form.manager_user_id = manager_user_id
        form.manager_tz, form.manager_problem = check.tz, check.problem
        form.metadata["checked"] = check.as_metadata()
    if like is not None:
        form.metadata["resend"] = like.id
        now = who.clock.now()
        future = [m for m in meetings.proposed_times(like) if m > now]
        tz = zone(form.manager_tz)
        for i, moment in enumerate(future[: meetings.MAX_TIMES]):
            local = moment.astimezone(tz)
            form.dates[i], form.times[i] = f"{local:%Y-%m-%d}", f"{local:%H:%M}"
    if form.dates[0] is None:
        # A first choice to start from: the next working morning where the manager is.
        day = rec.next_working_day(who.clock.now(), form.manager_tz or who.person.tz)
        form.dates[0], form.times[0] = day.isoformat(), f"{rec.DEFAULT_TIME:%H:%M}"
    return form


def shared_choice(form: views.ComposeForm) -> list[str]:
    """What the form shares, among what the plan has to share."""
    has = {"steps": form.steps_count, "commitments": form.commitments_count}
    return sorted(name for name in form.share if has.get(name))


def open_meeting(request: OpenRequest) -> None:
    """`/secondchance meeting` and the journey's button: compose, or where a request stands."""
    who = request.actor
    now = who.clock.now()
    current = meetings.open_request(who.db, who.person, now=now)
    if current is not None:
        manager = meetings.request_manager(who.db, current)
        request.show(views.status_modal(current, employee=who.person, manager=manager, now=now))
        return
    remembered = who.person.manager.slack_user_id if who.person.manager else None
    request.show(views.compose_modal(new_form(who, manager_user_id=remembered)))


STEP_OPENERS["meeting"] = open_meeting


def choose_manager(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The manager was picked: check them and name their time zone in the modal."""
    ack()
    who = actor(context, client)
    view = body["view"]
    chosen = action.get("selected_user")
    form = form_from_state(body)
    if chosen:
        check = check_manager(client, chosen, employee_user_id=who.user_id)
        form.manager_user_id = chosen
        form.manager_tz, form.manager_problem = check.tz, check.problem
        form.metadata["checked"] = check.as_metadata()
        if check.tz is not None:
            ensure_person(who.db, workspace=who.workspace, slack_user_id=chosen, tz=check.tz)
    try:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=views.compose_modal(form)
        )
    except SlackApiError:
        # The employee changed something meanwhile (hash conflict); the submit checks again.
        logger.info("compose modal moved on before the manager check landed")
    who.db.commit()


def form_from_state(body: dict[str, Any]) -> views.ComposeForm:
    """The compose form as the employee has filled it in so far."""
    state, meta = state_of(body), metadata(body)
    check = ManagerCheck.from_metadata(meta.get("checked"))
    form = views.ComposeForm(
        manager_user_id=entry(state, views.MANAGER_BLOCK).get("selected_user"),
        message=entry(state, views.MESSAGE_BLOCK).get("value") or "",
        steps_count=int(meta.get("steps") or 0),
        commitments_count=int(meta.get("commitments") or 0),
        metadata=meta,
    )
    if check is not None and check.user_id == form.manager_user_id:
        form.manager_tz, form.manager_problem = check.tz, check.problem
    for i in range(1, meetings.MAX_TIMES + 1):
        form.dates[i - 1] = entry(state, views.date_block(i)).get("selected_date")
        form.times[i - 1] = entry(state, views.time_block(i)).get("selected_time")
    if views.SHARE_BLOCK in state:
        chosen = entry(state, views.SHARE_BLOCK).get("selected_options") or []
        form.share = {option["value"] for option in chosen}
    return form


# -- what is shared ------------------------------------------------------------------------


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def change_share(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    form = form_from_state(body)
    chosen = action.get("selected_options")
    if isinstance(chosen, list):
        form.share = {str(o.get("value")) for o in chosen if isinstance(o, dict)}
    drafted = form.metadata.get("drafted_for")
    plan = active_plan(who.db, who.person)
    sharing = shared_choice(form)
    who.db.commit()
    if plan is None or not isinstance(drafted, list) or sharing == drafted:
        return
    if not _same_words(form.message, draft_message(plan, shared=drafted)):
        return  # the employee's own words now: theirs to edit
    form.message = draft_message(plan, shared=sharing)
    form.metadata["drafted_for"] = sharing
    form.metadata["rev"] = int(form.metadata.get("rev") or 0) + 1
    view = body["view"]
    try:
        client.views_update(
            view_id=view["id"], hash=view.get("hash"), view=views.compose_modal(form)
        )
    except SlackApiError:
        # Changed meanwhile (hash conflict) or closed: the message stays as it was.
        logger.info("compose modal moved on before the new draft landed")


def register(app: App) -> None:
    app.action("meeting_manager_select")(choose_manager)
    app.action(views.SHARE_CHANGED)(change_share)
