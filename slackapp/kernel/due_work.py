"""Putting work on the clock, taking it off, and claiming what is due."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import DueWork, DueWorkStatus
from models.base import UTCDateTime


def schedule(
    session: Session, *, workspace_id: int, kind: str, subject_id: int, due_at: datetime
) -> DueWork:
    """Add work unless the same (kind, subject, due time) is already there; returns the row."""
    existing = session.scalar(
        select(DueWork).where(
            DueWork.kind == kind, DueWork.subject_id == subject_id, DueWork.due_at == due_at
        )
    )
    if existing is not None:
        return existing
    work = DueWork(workspace_id=workspace_id, kind=kind, subject_id=subject_id, due_at=due_at)
    try:
        with session.begin_nested():
            session.add(work)
    except IntegrityError:
        # Another worker scheduled the same work between our look and our insert.
        found = session.scalar(
            select(DueWork).where(
                DueWork.kind == kind, DueWork.subject_id == subject_id, DueWork.due_at == due_at
            )
        )
        assert found is not None
        return found
    return work


def schedule_new(
    session: Session, *, workspace_id: int, kind: str, subject_id: int, due_at: datetime
) -> None:
    """schedule() in one statement (INSERT ... ON CONFLICT DO NOTHING), for callers that need no
    row back; the dispatcher's record path uses it (bench/dispatch.py)."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        schedule(
            session, workspace_id=workspace_id, kind=kind, subject_id=subject_id, due_at=due_at
        )
        return
    values = {"workspace_id": workspace_id, "kind": kind, "subject_id": subject_id}
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(DueWork)
    session.execute(
        statement.values(**values, due_at=due_at).on_conflict_do_nothing(
            index_elements=["kind", "subject_id", "due_at"]
        )
    )


def cancel(session: Session, *, kind: str, subject_id: int, now: datetime) -> int:
    """Take pending work of this kind for this subject off the clock; returns how many rows."""
    result = session.execute(
        update(DueWork)
        .where(
            DueWork.kind == kind,
            DueWork.subject_id == subject_id,
            DueWork.status == DueWorkStatus.PENDING.value,
        )
        .values(status=DueWorkStatus.SKIPPED.value, finished_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def pending(session: Session, *, kind: str, subject_id: int) -> list[DueWork]:
    return list(
        session.scalars(
            select(DueWork).where(
                DueWork.kind == kind,
                DueWork.subject_id == subject_id,
                DueWork.status == DueWorkStatus.PENDING.value,
            )
        )
    )


def sent_as(
    session: Session, *, kind: str, subject_id: int, channel: Any, ts: Any
) -> tuple[str, str] | None:
    """The stored (channel, ts) when work of this kind for this subject went out as exactly this
    message, else None: a message a payload names is updated only if the app sent it for that
    record, and then at the place stored, not the one the payload says."""
    if not (isinstance(channel, str) and channel and isinstance(ts, str) and ts):
        return None
    found = session.execute(
        select(DueWork.channel, DueWork.ts).where(
            DueWork.kind == kind,
            DueWork.subject_id == subject_id,
            DueWork.channel == channel,
            DueWork.ts == ts,
            DueWork.status == DueWorkStatus.DONE.value,
        )
    ).first()
    return (str(found[0]), str(found[1])) if found is not None else None


def claim(
    session: Session, *, now: datetime, lease: timedelta, limit: int
) -> tuple[str, list[int]]:
    """Lease up to `limit` due rows to this caller; returns (lease token, ids).

    On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED so workers never wait on
    each other; the conditional UPDATE makes the claim safe on SQLite too.
    """
    free = or_(DueWork.lease_until.is_(None), DueWork.lease_until < now)
    ready = or_(DueWork.retry_at.is_(None), DueWork.retry_at <= now)
    candidates = (
        select(DueWork.id)
        .where(DueWork.status == DueWorkStatus.PENDING.value, DueWork.due_at <= now, free, ready)
        .order_by(DueWork.due_at, DueWork.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    token = uuid.uuid4().hex
    if ids:
        session.execute(
            update(DueWork)
            .where(DueWork.id.in_(ids), DueWork.status == DueWorkStatus.PENDING.value, free)
            .values(
                lease_owner=token,
                lease_until=now + lease,
                attempts=DueWork.attempts + 1,
                first_claimed_at=func.coalesce(
                    DueWork.first_claimed_at, literal(now, UTCDateTime())
                ),
            )
            .execution_options(synchronize_session=False)
        )
    session.commit()
    if not ids:
        return token, []
    claimed = session.scalars(
        select(DueWork.id).where(DueWork.lease_owner == token).order_by(DueWork.due_at, DueWork.id)
    )
    return token, list(claimed)


def workspaces_of(session: Session, ids: list[int]) -> dict[int, int]:
    """Work id -> workspace id, so the dispatcher can pace each workspace."""
    rows = session.execute(select(DueWork.id, DueWork.workspace_id).where(DueWork.id.in_(ids)))
    return {work_id: workspace_id for work_id, workspace_id in rows}


def next_due_at(session: Session) -> datetime | None:
    """When the earliest pending work falls due (the sandbox's "skip ahead" uses it)."""
    return session.scalar(
        select(DueWork.due_at)
        .where(DueWork.status == DueWorkStatus.PENDING.value)
        .order_by(DueWork.due_at)
        .limit(1)
    )
