"""Due work of the private check-in: the weekly "How are you holding up?", to the person only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Person
from slackapp.jobs.away import away_now
from slackapp.jobs.registry import Delivery, Hold, JobContext
from slackapp.services import checkins
from slackapp.views.checkin import QUESTION, question_blocks
from slackapp.views.i18n import _, read_as


def ask_how_they_are(ctx: JobContext) -> Delivery | Hold | None:
    person = ctx.session.get(Person, ctx.work.subject_id)
    if person is None or not person.checkin_weekly:
        return None  # turned off since
    person_id, now = person.id, ctx.now

    def next_week(session: Session, *_sent: str) -> None:
        checkins.asked(session=session, person_id=person_id, now=now)

    if away_now(ctx, person) is not None:
        return Hold(on_held=next_week)  # on leave: this week is skipped, not saved up
    read_as(person.reads)

    return Delivery(
        user_id=person.slack_user_id, text=_(QUESTION), blocks=question_blocks(), on_sent=next_week
    )
