"""The private check-in: optional, off by default, a weekly "How are you holding up?" to the
person alone. What they answer is theirs: no query here ever joins it to anyone else."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Checkin, Person
from slackapp.kernel import due_work, kinds
from slackapp.kernel import recurrence as rec
from slackapp.kernel.zones import at_local_time, local
from slackapp.services.working_time import calendar_of

MOODS = ("good", "okay", "hard")
HARD = "hard"
EVERY = timedelta(days=7)
NOTE_MAX = 1000


class UnknownMood(ValueError):
    pass


def turn_on(*, session: Session, person: Person, now: datetime) -> None:
    """Weekly from a week today, at this time of day (within their working hours)."""
    if person.checkin_weekly:
        return
    person.checkin_weekly = True
    person.checkin_from = _working_hours(person, now + EVERY)
    _next_week(session, person, now)


def _working_hours(person: Person, when: datetime) -> datetime:
    """`when`, or on its day the nearest time within the person's working hours."""
    calendar = calendar_of(person)
    moment = local(when, calendar.tz)
    if calendar.start <= moment.time().replace(tzinfo=None) < calendar.end:
        return when
    return at_local_time(moment.date(), rec.DEFAULT_TIME, calendar.tz)


def next_time(person: Person, after: datetime) -> datetime:
    """The week's check-in after `after`: the weekly time from `checkin_from` in the person's
    zone, moved to their next working day at the same time when its day is off (a public
    holiday, their weekend). The following week is on its usual day again."""
    calendar = calendar_of(person)
    start = local(person.checkin_from or after + EVERY, calendar.tz)
    rule = rec.Rule(
        tz=calendar.tz,
        first_date=start.date(),
        time_of_day=start.time().replace(tzinfo=None),
        repeat=rec.WEEKLY,
    )
    for regular in rec.occurrences(rule, after=after - EVERY):
        moved = calendar.shift(regular).at
        if moved > after:
            return moved
    raise AssertionError("a weekly rule never ends")


def _next_week(session: Session, person: Person, now: datetime) -> None:
    due_work.schedule(
        session,
        workspace_id=person.workspace_id,
        kind=kinds.CHECKIN,
        subject_id=person.id,
        due_at=next_time(person, now),
    )


def turn_off(*, session: Session, person: Person, now: datetime) -> None:
    person.checkin_weekly = False
    person.checkin_from = None
    due_work.cancel(session, kind=kinds.CHECKIN, subject_id=person.id, now=now)


def asked(*, session: Session, person_id: int, now: datetime) -> None:
    """The week's question went out (or the week was skipped while they were away): the next
    one the following week, while it is still on."""
    person = session.get(Person, person_id)
    if person is not None and person.checkin_weekly:
        _next_week(session, person, now)


def record(
    *, session: Session, person: Person, mood: str, note: str | None, now: datetime
) -> Checkin:
    if mood not in MOODS:
        raise UnknownMood(mood)
    checkin = Checkin(
        workspace_id=person.workspace_id,
        person_id=person.id,
        mood=mood,
        note=(note or "").strip()[:NOTE_MAX] or None,
        answered_at=now,
    )
    session.add(checkin)
    session.flush()
    return checkin


def recent(session: Session, person: Person, *, limit: int = 4) -> list[Checkin]:
    """Their own latest answers, newest first."""
    return list(
        session.scalars(
            select(Checkin)
            .where(Checkin.person_id == person.id)
            .order_by(Checkin.answered_at.desc(), Checkin.id.desc())
            .limit(limit)
        )
    )
