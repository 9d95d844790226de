"""The private check-in: optional, off by default, a weekly "How are you holding up?" to the
person alone. What they answer is theirs: no query here ever joins it to anyone else."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Checkin, Person
from slackapp.kernel import due_work, kinds

MOODS = ("good", "okay", "hard")
HARD = "hard"
EVERY = timedelta(days=7)
NOTE_MAX = 1000


class UnknownMood(ValueError):
    pass


def turn_on(*, session: Session, person: Person, now: datetime) -> None:
    """Weekly from a week today, at this time of day."""
    if person.checkin_weekly:
        return
    person.checkin_weekly = True
    _next_week(session, person, now)


def _next_week(session: Session, person: Person, now: datetime) -> None:
    due_work.schedule(
        session,
        workspace_id=person.workspace_id,
        kind=kinds.CHECKIN,
        subject_id=person.id,
        due_at=now + EVERY,
    )


def turn_off(*, session: Session, person: Person, now: datetime) -> None:
    person.checkin_weekly = False
    due_work.cancel(session, kind=kinds.CHECKIN, subject_id=person.id, now=now)


def asked(*, session: Session, person_id: int, now: datetime) -> None:
    """The week's question went out: the next one a week later, while it is still on."""
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
