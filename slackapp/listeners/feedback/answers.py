"""Stage 4, the manager's side: Give feedback, and the answer going back to the employee."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from models import FeedbackRequest
from slackapp.kernel import due_work, kinds
from slackapp.listeners.glue import (
    Edit,
    acked,
    actor,
    id_in,
    private_metadata,
    refuse,
    tell,
    view_of,
)
from slackapp.listeners.home_sections import person_of
from slackapp.services import feedback_answers as answers
from slackapp.services.feedback import Refusal
from slackapp.views.feedback import day
from slackapp.views.feedback_messages import (
    ANSWER_CALLBACK_ID,
    answer_modal,
    answered_note,
    closed_dm,
    rating_words,
    read_answer_values,
    read_expectation_ratings,
)
from slackapp.views.feedback_words import CHOOSE_RATING, REQUEST_CLOSED, refusal_text
from slackapp.views.i18n import _

logger = logging.getLogger(__name__)


def request_of(session: Session, value: Any) -> FeedbackRequest | None:
    request_id = id_in(value)
    return session.get(FeedbackRequest, request_id) if request_id is not None else None


def _closed(refusal: Refusal | None) -> str:
    """Why this request can't be answered; a refusal is a code, its words are the view's."""
    return refusal_text(refusal) if refusal is not None else _(REQUEST_CLOSED)


def give_feedback(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The Give feedback button (in the DM, the reminder, or the App Home): only the named
    manager gets the form."""
    who = acked(ack, context, client)
    request = request_of(who.db, action.get("value"))
    refusal = answers.answerable(request, who.person)
    if refusal is not None or request is None:
        refuse(who, _closed(refusal), body)
        return
    employee = person_of(who.db, request.employee_id)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=answer_modal(
            request_id=request.id,
            employee_user_id=employee.slack_user_id,
            questions=list(request.questions),
            expectations=list(request.expectations or []),
        ),
    )


def submit_answer(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = actor(context, client)
    view = view_of(body)
    request = request_of(who.db, private_metadata(body))
    refusal = answers.answerable(request, who.person)
    if refusal is not None or request is None:
        ack(response_action="errors", errors={"rating": _closed(refusal)})
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
        ack(response_action="errors", errors={"rating": _(CHOOSE_RATING)})
        return
    rated = read_expectation_ratings(view["state"]["values"], list(request.expectations or []))
    now = who.clock.now()
    answer = answers.record_answer(
        session=who.db,
        request_id=request.id,
        manager=who.person,
        rating=rating,
        answers=given,
        discuss_in_person=discuss,
        now=now,
        expectation_ratings=rated,
    )
    # Stored before the ack: the modal closes only on an answer that is kept. (Acked first, a
    # process killed or a database restarted in between lost it; the soak run found that.)
    who.save()
    ack()
    if answer is None:
        return  # a double submit: the first one already did everything below
    request = who.db.get(FeedbackRequest, request.id)
    assert request is not None
    employee = person_of(who.db, request.employee_id)
    label = rating_words(rating)
    note = answered_note(label, day(now, who.person.tz), employee.slack_user_id)
    edits = []
    for channel, ts, questions in (
        (request.channel, request.ts, list(request.questions)),
        (request.nudge_channel, request.nudge_ts, None),
    ):
        text, blocks = closed_dm(
            employee_user_id=employee.slack_user_id, note=note, questions=questions
        )
        edits.append(Edit(channel, ts, text, blocks))
    # The employee's DM first (what they wait for): due work stored with the answer, sent now
    # by the dispatcher, or by a tick if this process goes before it is sent.
    notices = due_work.pending(who.db, kind=kinds.FEEDBACK_ANSWER_NOTICE, subject_id=request.id)
    ids = [notice.id for notice in notices]
    who.db.commit()  # nothing held while Slack answers
    for work_id in ids:
        context["send_now"](work_id)
    tell(who, edits=edits, homes=[employee, who.person], unseen_too=True)


def register(app: App) -> None:
    app.action("feedback_give")(give_feedback)
    app.view(ANSWER_CALLBACK_ID)(submit_answer)
