"""Due work of leave: the welcome back the working morning after "I'm away until ..."."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Person
from slackapp.jobs.registry import Delivery, JobContext
from slackapp.services.leave import come_back
from slackapp.views.working_time import welcome_back_text


def welcome_back(ctx: JobContext) -> Delivery | None:
    person = ctx.session.get(Person, ctx.work.subject_id)
    if person is None or person.away_until is None:
        return None  # they said they were back already
    person_id, now = person.id, ctx.now

    def back(session: Session, _channel: str, _ts: str) -> None:
        returned = session.get(Person, person_id)
        if returned is not None:
            come_back(session=session, person=returned, now=now)

    return Delivery(user_id=person.slack_user_id, text=welcome_back_text(), on_sent=back)
