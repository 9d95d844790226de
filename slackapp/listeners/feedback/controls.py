"""Stage 4 on the employee's App Home: Pause / Resume / Stop / Change, set up, "Include my
progress", and "Request feedback now"."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import FeedbackSchedule
from slackapp.listeners.feedback.schedule import open_feedback
from slackapp.listeners.glue import (
    Actor,
    acked,
    actor,
    dm,
    id_in,
    in_modal,
    refuse,
    tell,
    user_profile,
    words_for,
)
from slackapp.listeners.home_sections import person_of
from slackapp.listeners.modals import OpenRequest
from slackapp.services import feedback as svc
from slackapp.services.working_time import away
from slackapp.views.feedback import day
from slackapp.views.feedback_messages import already_waiting_text
from slackapp.views.feedback_preview import SHARE_BLOCK_PREFIX, SHARE_TOGGLE
from slackapp.views.feedback_words import NOT_YOURS
from slackapp.views.i18n import _
from slackapp.views.working_time import held_text

logger = logging.getLogger(__name__)


def _own_schedule(who: Actor, raw_id: Any) -> FeedbackSchedule | None:
    """The person's own schedule; anyone else's is refused kindly (in their DM)."""
    schedule_id = id_in(raw_id)
    schedule = who.db.get(FeedbackSchedule, schedule_id) if schedule_id is not None else None
    if schedule is None or schedule.employee_id != who.person.id:
        refuse(who, _(NOT_YOURS))
        return None
    return schedule


def _control(change: Callable[..., object]) -> Callable[..., None]:
    """Pause, Resume and Stop: the schedule changes and the App Home follows."""

    def listener(ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        ack()
        who = actor(context, client)
        schedule = _own_schedule(who, action.get("value"))
        if schedule is None:
            return
        change(session=who.db, schedule=schedule, now=who.clock.now())
        tell(who, homes=[who.person], unseen_too=True)

    listener.__name__ = f"feedback_{getattr(change, '__name__', 'change')}"
    return listener


def share_toggled(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The App Home's "Include my progress": the choice the schedule modal also offers."""
    who = acked(ack, context, client)
    schedule = _own_schedule(who, id_in(action.get("block_id"), prefix=SHARE_BLOCK_PREFIX))
    if schedule is None:
        return
    selected = action.get("selected_options")
    share = isinstance(selected, list) and any(
        isinstance(option, dict) and option.get("value") == "share" for option in selected
    )
    svc.set_share_progress(schedule=schedule, share=share, now=who.clock.now())
    tell(who, homes=[who.person], unseen_too=True)


def change_schedule(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    if _own_schedule(who, action.get("value")) is None:
        return
    open_feedback(OpenRequest(actor=who, trigger_id=body["trigger_id"], in_modal=in_modal(body)))
    who.save()


def set_up(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = acked(ack, context, client)
    open_feedback(OpenRequest(actor=who, trigger_id=body["trigger_id"]))
    who.save()


def request_feedback_now(
    ack: Ack, action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    now = who.clock.now()
    schedule = svc.current_schedule(who.db, who.person)
    manager = person_of(who.db, schedule.manager_id) if schedule is not None else None
    gone = None
    if manager is not None and svc.open_feedback_request(who.db, who.person.id) is None:
        who.save()  # nothing held while Slack answers users.info
        gone = away(manager, now, user_profile(client, manager.slack_user_id))
    try:
        request, made = svc.request_now(session=who.db, employee=who.person, now=now, away=gone)
    except svc.FeedbackError as error:
        refuse(who, words_for(error))
        return
    who.save()
    if made and gone is not None and manager is not None:
        back = day(gone.back, who.person.tz) if gone.back else None
        dm(who, who.person, text=held_text(manager_user_id=manager.slack_user_id, back=back))
    if not made:
        manager = person_of(who.db, request.manager_id)
        permalink = None
        if request.channel and request.ts:
            try:
                permalink = client.chat_getPermalink(
                    channel=request.channel, message_ts=request.ts
                )["permalink"]
            except SlackApiError:
                logger.warning("no permalink for an open feedback request")
        asked_on = day(request.sent_at, who.person.tz) if request.sent_at else None
        refuse(who, already_waiting_text(manager.slack_user_id, asked_on, permalink))
    tell(who, homes=[who.person], unseen_too=True)


def register(app: App) -> None:
    app.action("feedback_pause")(_control(svc.pause_schedule))
    app.action("feedback_resume")(_control(svc.resume_schedule))
    app.action("feedback_stop")(_control(svc.stop_schedule))
    app.action("feedback_change")(change_schedule)
    app.action("feedback_setup")(set_up)
    app.action("feedback_request_now")(request_feedback_now)
    app.action(SHARE_TOGGLE)(share_toggled)
