"""Workspaces and people: found or made on first contact."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import FeedbackSchedule, OpenedView, Person, ScheduleStatus, Workspace

# A modal left open longer than this is not redrawn any more (its person opens a fresh one).
VIEWS_KEPT = timedelta(days=7)


def ensure_workspace(
    session: Session, *, team_id: str, enterprise_id: str | None = None
) -> Workspace:
    enterprise = enterprise_id or ""
    query = select(Workspace).where(
        Workspace.team_id == team_id, Workspace.enterprise_id == enterprise
    )
    workspace = session.scalar(query)
    if workspace is not None:
        return workspace
    try:
        with session.begin_nested():
            workspace = Workspace(team_id=team_id, enterprise_id=enterprise)
            session.add(workspace)
    except IntegrityError:  # made by a concurrent request
        workspace = session.scalar(query)
        assert workspace is not None
    return workspace


def ensure_person(
    session: Session, *, workspace: Workspace, slack_user_id: str, tz: str | None = None
) -> Person:
    query = select(Person).where(
        Person.workspace_id == workspace.id, Person.slack_user_id == slack_user_id
    )
    person = session.scalar(query)
    if person is None:
        try:
            with session.begin_nested():
                person = Person(
                    workspace_id=workspace.id, slack_user_id=slack_user_id, tz=tz or "UTC"
                )
                session.add(person)
        except IntegrityError:
            person = session.scalar(query)
            assert person is not None
    if tz and person.tz != tz:
        person.tz = tz
    return person


def find_person(session: Session, *, workspace_id: int, slack_user_id: str) -> Person | None:
    return session.scalar(
        select(Person).where(
            Person.workspace_id == workspace_id, Person.slack_user_id == slack_user_id
        )
    )


def remember_view(session: Session, *, person: Person, view_id: str, now: datetime) -> None:
    """Slack opened this modal for this person; older ones are forgotten as we go."""
    session.execute(
        delete(OpenedView).where(
            OpenedView.person_id == person.id, OpenedView.opened_at < now - VIEWS_KEPT
        )
    )
    if not opened_for(session, person=person, view_id=view_id):
        session.add(
            OpenedView(
                workspace_id=person.workspace_id,
                person_id=person.id,
                view_id=view_id,
                opened_at=now,
            )
        )


def opened_for(session: Session, *, person: Person, view_id: str) -> bool:
    """True when the app opened this modal for this person."""
    found = session.scalar(
        select(OpenedView.id).where(
            OpenedView.person_id == person.id, OpenedView.view_id == view_id
        )
    )
    return found is not None


def reports_of(session: Session, manager: Person) -> list[tuple[Person, FeedbackSchedule | None]]:
    """The people who named this person as their manager (in a meeting request or a feedback
    schedule), each with their feedback schedule to them if one runs or is paused: one query."""
    rows = session.execute(
        select(Person, FeedbackSchedule)
        .outerjoin(
            FeedbackSchedule,
            and_(
                FeedbackSchedule.employee_id == Person.id,
                FeedbackSchedule.manager_id == manager.id,
                FeedbackSchedule.status.in_(
                    [ScheduleStatus.ACTIVE.value, ScheduleStatus.PAUSED.value]
                ),
            ),
        )
        .where(Person.manager_id == manager.id, Person.id != manager.id)
        .order_by(Person.id, FeedbackSchedule.id)
    )
    found: dict[int, tuple[Person, FeedbackSchedule | None]] = {}
    for person, schedule in rows:
        found.setdefault(person.id, (person, schedule))
    return list(found.values())
