"""Due work of the private check-in: the weekly "How are you holding up?", to the person only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Person
from slackapp.jobs.registry import Delivery, JobContext
from slackapp.services import checkins
from slackapp.views.checkin import QUESTION, question_blocks
from slackapp.views.i18n import _, read_as


def ask_how_they_are(ctx: JobContext) -> Delivery | None:
    person = ctx.session.get(Person, ctx.work.subject_id)
    if person is None or not person.checkin_weekly:
        return None  # turned off since
    read_as(person.reads)
    person_id, now = person.id, ctx.now

    def sent(session: Session, _channel: str, _ts: str) -> None:
        checkins.asked(session=session, person_id=person_id, now=now)

    return Delivery(
        user_id=person.slack_user_id, text=_(QUESTION), blocks=question_blocks(), on_sent=sent
    )
