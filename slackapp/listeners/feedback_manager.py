"""The manager's side of step 4: Give feedback, and the answer going back to the employee."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import FeedbackRequest
from slackapp.listeners.context import actor
from slackapp.listeners.feedback import person_of, refresh_home, request_of, tell
from slackapp.services import feedback_answers as answers
from slackapp.views.feedback import day
from slackapp.views.feedback_home import RATING_MARK
from slackapp.views.feedback_messages import (
    ANSWER_CALLBACK_ID,
    RATING_LABELS,
    answer_modal,
    answered_note,
    closed_dm,
    feedback_for_employee,
    read_answer_values,
)
from slackapp.views.feedback_words import refusal_text

logger = logging.getLogger(__name__)


def give_feedback(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Give feedback button (in the DM, the reminder, or the App Home): only the named
    manager gets the form."""
    ack()
    who = actor(context, client)
    request = request_of(who.db, action.get("value"))
    refusal = answers.answerable(request, who.person)
    channel = (body.get("channel") or {}).get("id")
    if refusal is not None or request is None:
        tell(client, who.user_id, refusal_text(refusal) if refusal else "", channel=channel)
        return
    employee = person_of(who.db, request.employee_id)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=answer_modal(
            request_id=request.id,
            employee_user_id=employee.slack_user_id,
            questions=list(request.questions),
        ),
    )


def submit_answer(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    view = body.get("view") or {}
    request = request_of(who.db, view.get("private_metadata"))
    refusal = answers.answerable(request, who.person)
    if refusal is not None or request is None:
        closed = refusal_text(refusal) if refusal else "This request is closed."
        ack(response_action="errors", errors={"rating": closed})
        return
    try:
        rating, given, discuss = read_answer_values(
            view["state"]["values"], list(request.questions)
        )
    except (ValueError, TypeError, AttributeError, KeyError):
        logger.warning("a feedback answer could not be read")
        ack()
        return
    if rating is None:
        ack(response_action="errors", errors={"rating": "Please choose a rating."})
        return
    ack()
    now = who.clock.now()
    answer = answers.record_answer(
        session=who.db,
        request_id=request.id,
        manager=who.person,
        rating=rating,
        answers=given,
        discuss_in_person=discuss,
        now=now,
    )
    who.db.commit()
    if answer is None:
        return  # a double submit: the first one already did everything below
    request = who.db.get(FeedbackRequest, request.id)
    assert request is not None
    employee = person_of(who.db, request.employee_id)
    label = RATING_LABELS[rating]
    note = answered_note(label, day(now, who.person.tz), employee.slack_user_id)
    for channel, ts, questions in (
        (request.channel, request.ts, list(request.questions)),
        (request.nudge_channel, request.nudge_ts, None),
    ):
        if not (channel and ts):
            continue
        text, blocks = closed_dm(
            employee_user_id=employee.slack_user_id, note=note, questions=questions
        )
        try:
            client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError:
            logger.warning("could not update a feedback request DM in place")
    text, blocks = feedback_for_employee(
        manager_user_id=who.user_id,
        rating_mark=RATING_MARK[rating],
        rating_label=label,
        answers=given,
        discuss=discuss,
    )
    client.chat_postMessage(channel=employee.slack_user_id, text=text, blocks=blocks)
    refresh_home(client, who.db, employee, now)
    refresh_home(client, who.db, who.person, now)


def register(app: App) -> None:
    app.action("feedback_give")(give_feedback)
    app.view(ANSWER_CALLBACK_ID)(submit_answer)
