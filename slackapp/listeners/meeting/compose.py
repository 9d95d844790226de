"""Stage 3, the employee's side: compose, review (excuse check + preview), send; sent.py holds
what comes after (cancel, counter-proposals, resend)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingRequest
from slackapp.kernel import recurrence as rec
from slackapp.kernel.zones import zone
from slackapp.listeners.glue import (
    Actor,
    acked,
    actor,
    dm,
    entry,
    id_in,
    metadata,
    state_of,
    tell,
    words_for,
)
from slackapp.listeners.manager_check import ManagerCheck, check_manager, refusal_problem
from slackapp.listeners.meeting.common import both, read_moment
from slackapp.listeners.modals import OpenRequest, update_own_view
from slackapp.services import meetings, refusals
from slackapp.services.excuses import checked_language, find_excuses
from slackapp.services.meeting_draft import repeated_in_message
from slackapp.services.people import ensure_person
from slackapp.services.plan_queries import active_plan
from slackapp.services.working_time import next_working_day
from slackapp.views import meeting as views
from slackapp.views.i18n import _, current_locale, reading_as
from slackapp.views.meeting_draft import draft_message
from slackapp.views.meeting_messages import (
    manager_request_blocks,
    manager_request_text,
    sent_text,
)
from slackapp.views.meeting_review import review_modal
from slackapp.views.meeting_words import (
    CHOOSE_MANAGER,
    PROPOSE_A_TIME,
    TITLE,
    WRITE_A_MESSAGE,
    not_delivered_text,
)

logger = logging.getLogger(__name__)

# -- opening the modal -----------------------------------------------------------------------


def _new_form(
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
        check = check_manager(who, manager_user_id)
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
        day = next_working_day(who.clock.now(), form.manager_tz or who.person.tz)
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
    current = meetings.open_meeting_request(who.db, who.person, now=now)
    if current is not None:
        manager = meetings.request_manager(who.db, current)
        request.show(views.status_modal(current, employee=who.person, manager=manager, now=now))
        return
    remembered = who.person.manager.slack_user_id if who.person.manager else None
    request.show(views.compose_modal(_new_form(who, manager_user_id=remembered)))


def choose_manager(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The manager was picked: check them and name their time zone in the modal."""
    who = acked(ack, context, client)
    view = body["view"]
    chosen = action.get("selected_user")
    form = _form_from_state(body)
    if chosen:
        check = check_manager(who, chosen)
        form.manager_user_id = chosen
        form.manager_tz, form.manager_problem = check.tz, check.problem
        form.metadata["checked"] = check.as_metadata()
    try:
        update_own_view(who, view.get("id"), views.compose_modal(form), hash=view.get("hash"))
    except SlackApiError:
        # The employee changed something meanwhile (hash conflict); the submit checks again.
        logger.info("compose modal moved on before the manager check landed")
    who.save()


def _form_from_state(body: dict[str, Any]) -> views.ComposeForm:
    """The compose form as the employee has filled it in so far."""
    state, meta = state_of(body), metadata(body)
    check = ManagerCheck.from_metadata(meta.get("checked"))
    form = views.ComposeForm(
        manager_user_id=entry(state, views.MANAGER_BLOCK).get("selected_user"),
        message=entry(state, views.MESSAGE_BLOCK).get("value") or "",
        steps_count=id_in(meta.get("steps")) or 0,
        commitments_count=id_in(meta.get("commitments")) or 0,
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


# -- what is shared with the message --------------------------------------------------------


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def change_share(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    form = _form_from_state(body)
    chosen = action.get("selected_options")
    if isinstance(chosen, list):
        form.share = {str(o.get("value")) for o in chosen if isinstance(o, dict)}
    drafted = form.metadata.get("drafted_for")
    plan = active_plan(who.db, who.person)
    sharing = shared_choice(form)
    who.save()
    if plan is None or not isinstance(drafted, list) or sharing == drafted:
        return
    if not _same_words(form.message, draft_message(plan, shared=drafted)):
        return  # the employee's own words now: theirs to edit
    form.message = draft_message(plan, shared=sharing)
    form.metadata["drafted_for"] = sharing
    form.metadata["rev"] = views.draft_revision(form.metadata) + 1
    view = body["view"]
    try:
        update_own_view(who, view.get("id"), views.compose_modal(form), hash=view.get("hash"))
    except SlackApiError:
        # Changed meanwhile (hash conflict) or closed: the message stays as it was.
        logger.info("compose modal moved on before the new draft landed")


# -- compose -> review -> send ---------------------------------------------------------------


def submit_compose(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    now = who.clock.now()
    state, form = state_of(body), _form_from_state(body)
    errors: dict[str, str] = {}
    check = ManagerCheck.from_metadata(form.metadata.get("checked"))
    manager_user_id = form.manager_user_id
    if not manager_user_id:
        errors[views.MANAGER_BLOCK] = _(CHOOSE_MANAGER)
    elif check is None or check.user_id != manager_user_id:
        # The select's own check has not landed yet (a very quick submit): ask Slack now. One
        # users.info is a fast read; every other Slack call waits until after the ack.
        check = check_manager(who, manager_user_id)
    if check is not None and check.problem and manager_user_id:
        errors[views.MANAGER_BLOCK] = check.problem
    elif manager_user_id and (refused := refusal_problem(who, manager_user_id)):
        # Asked again here: they may have said so after the modal checked them.
        errors[views.MANAGER_BLOCK] = refused
    tz = (check.tz if check is not None else None) or who.person.tz
    times: list[datetime] = []
    for i in range(1, meetings.MAX_TIMES + 1):
        moment, problems = read_moment(
            state, views.date_block(i), views.time_block(i), tz=tz, now=now
        )
        errors.update(problems)
        if moment is not None and moment not in times:
            times.append(moment)
    if not times and not errors:
        errors[views.date_block(1)] = _(PROPOSE_A_TIME)
    if not form.message.strip():
        errors[views.MESSAGE_BLOCK] = _(WRITE_A_MESSAGE)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    assert manager_user_id and check is not None
    manager = ensure_person(
        who.db, workspace=who.workspace, slack_user_id=manager_user_id, tz=check.tz
    )
    plan = active_plan(who.db, who.person)
    has_share_block = form.steps_count or form.commitments_count
    draft = meetings.save_draft(
        session=who.db,
        employee=who.person,
        plan=plan,
        composed=meetings.Composed(
            manager=manager,
            times=times,
            message=form.message,
            share_steps=bool(has_share_block) and "steps" in form.share,
            share_commitments=bool(has_share_block) and "commitments" in form.share,
        ),
        submit_key=str(body["view"]["id"]),
    )
    review = review_modal(
        draft,
        employee=who.person,
        manager=manager,
        excuses=find_excuses(form.message, current_locale()),
        repeated=repeated_in_message(form.message, draft.shared or {}),
        checked_in=checked_language(current_locale()),
    )
    who.save()
    ack(response_action="push", view=review)


def submit_review(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Send: draft -> pending once, however many times the button is pressed."""
    who = actor(context, client)
    request_id = id_in(metadata(body).get("request"))
    sent = None
    if request_id is not None:
        try:
            sent = meetings.send(
                session=who.db, request_id=request_id, employee=who.person, now=who.clock.now()
            )
        except meetings.ManagerRefused as error:
            who.db.rollback()
            ack(
                response_action="update",
                view=views.notice_modal(_(TITLE), words_for(error)),
            )
            return
        except meetings.NotAllowed:
            sent = None
    who.save()
    ack(response_action="clear")
    if sent is None:
        return
    deliver(who, sent)


def deliver(who: Actor, request: MeetingRequest) -> None:
    """Post the request to the manager and remember where, so it can be updated in place."""
    manager = meetings.request_manager(who.db, request)
    ask = refusals.asks_if_manager(who.db, employee_id=who.person.id, manager_id=manager.id)
    with reading_as(manager.reads):  # the manager's DM, in their language
        blocks = manager_request_blocks(
            request, employee=who.person, manager=manager, ask_if_manager=ask
        )
        text = manager_request_text(who.person)
    where = dm(who, manager, text=text, blocks=blocks)
    if where is None:
        meetings.cancel(
            session=who.db, request_id=request.id, employee=who.person, now=who.clock.now()
        )
        who.save()
        dm(
            who,
            who.person,
            text=not_delivered_text(manager.slack_user_id),
        )
        return
    meetings.record_manager_dm(request, channel=where[0], ts=where[1])
    tell(who, posts=[(who.person, sent_text(manager), None)], homes=both(who.db, request))


def register(app: App) -> None:
    app.action("meeting_manager_select")(choose_manager)
    app.action(views.SHARE_CHANGED)(change_share)
    app.view(views.COMPOSE)(submit_compose)
    app.view(views.REVIEW)(submit_review)
