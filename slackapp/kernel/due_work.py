"""A due-work row's whole life: put on the clock, taken off, claimed, finished, given back, failed.

Every change of a row's state is a function here, so the rules that make a send happen exactly
once (a lease, and no write by anyone who no longer holds it) are in one place. The dispatcher
(slackapp/jobs/dispatcher.py) decides when; this module says how. Nothing here commits except
claim(), whose lease must be visible to other workers before any sending starts.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, insert, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import DueWork, DueWorkStatus
from models.base import UTCDateTime

# A send that keeps failing for a reason of its own (refused blocks, a bug) stops after this many
# tries; one that fails only because Slack or the network is having trouble keeps trying (with a
# capped back-off) until it is this late, the same 12 hours after which a missed occurrence is
# no longer sent.
MAX_ATTEMPTS = 8
GIVE_UP_AFTER = timedelta(hours=12)
LONGEST_BACK_OFF = timedelta(minutes=5)


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


def schedule_again(
    session: Session, *, workspace_id: int, kind: str, subject_id: int, due_at: datetime
) -> DueWork:
    """schedule(), and the same (kind, subject, due time) taken off the clock earlier (a step
    unticked, a date changed back, a nudge cancelled by a counter-proposal and due again at the
    same working-morning time) goes back on it. Work that was sent stays sent: one send per time.
    """
    work = schedule(
        session, workspace_id=workspace_id, kind=kind, subject_id=subject_id, due_at=due_at
    )
    if work.status == DueWorkStatus.SKIPPED.value:
        work.status = DueWorkStatus.PENDING.value
        work.finished_at = work.lease_owner = work.lease_until = work.retry_at = None
        work.attempts = 0
        session.flush()
    return work


def schedule_all(session: Session, rows: list[dict[str, Any]]) -> None:
    """Add many rows (workspace_id, kind, subject_id, due_at) in one INSERT, for a caller that
    made their subjects in the same transaction, so none of them can be on the clock yet."""
    if rows:
        session.execute(insert(DueWork), rows)


def skip(work: DueWork, *, now: datetime) -> None:
    """Take one pending row the caller has loaded off the clock."""
    work.status = DueWorkStatus.SKIPPED.value
    work.finished_at = now


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


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(DueWork.lease_until.is_(None), DueWork.lease_until < now)


def _claimable(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Pending, due, no live lease, not waiting out a retry."""
    return (
        DueWork.status == DueWorkStatus.PENDING.value,
        DueWork.due_at <= now,
        _free(now),
        or_(DueWork.retry_at.is_(None), DueWork.retry_at <= now),
    )


def _leased(token: str, now: datetime, lease: timedelta) -> dict[Any, Any]:
    """What a claim writes: whose lease, until when, one more attempt, when first claimed."""
    return {
        DueWork.lease_owner: token,
        DueWork.lease_until: now + lease,
        DueWork.attempts: DueWork.attempts + 1,
        DueWork.first_claimed_at: func.coalesce(
            DueWork.first_claimed_at, literal(now, UTCDateTime())
        ),
    }


def claim(
    session: Session, *, now: datetime, lease: timedelta, limit: int
) -> tuple[str, list[int]]:
    """Lease up to `limit` due rows to this caller; returns (lease token, ids).

    On PostgreSQL the candidates are locked with FOR UPDATE SKIP LOCKED so workers never wait on
    each other; the conditional UPDATE makes the claim safe on SQLite too.
    """
    candidates = (
        select(DueWork.id).where(*_claimable(now)).order_by(DueWork.due_at, DueWork.id).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    token = uuid.uuid4().hex
    if ids:
        session.execute(
            update(DueWork)
            .where(DueWork.id.in_(ids), DueWork.status == DueWorkStatus.PENDING.value, _free(now))
            .values(_leased(token, now, lease))
            .execution_options(synchronize_session=False)
        )
    session.commit()
    if not ids:
        return token, []
    # Among the candidates (by primary key): lease_owner has no index, and due_work keeps every
    # send ever made (bench/scale.py: a sequential scan of millions of rows at each claim).
    claimed = session.scalars(
        select(DueWork.id)
        .where(DueWork.id.in_(ids), DueWork.lease_owner == token)
        .order_by(DueWork.due_at, DueWork.id)
    )
    return token, list(claimed)


def claim_one(session: Session, *, work_id: int, now: datetime, lease: timedelta) -> str | None:
    """Lease one due row to this caller, if it is still pending, due and free; its lease token,
    or None when a worker has it (or had it: sent, given up). Commits."""
    token = uuid.uuid4().hex
    claimed = session.execute(
        update(DueWork)
        .where(DueWork.id == work_id, *_claimable(now))
        .values(_leased(token, now, lease))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return token if claimed.rowcount == 1 else None  # type: ignore[attr-defined]


def workspaces_of(session: Session, ids: list[int]) -> dict[int, tuple[int, str]]:
    """Work id -> (workspace id, kind), so the dispatcher can pace each workspace and count."""
    rows = session.execute(
        select(DueWork.id, DueWork.workspace_id, DueWork.kind).where(DueWork.id.in_(ids))
    )
    return {work_id: (workspace_id, kind) for work_id, workspace_id, kind in rows}


def backlog(session: Session, *, now: datetime) -> tuple[datetime | None, int]:
    """When the oldest pending work that is due now fell due, and how many such pieces wait."""
    oldest, count = session.execute(
        select(func.min(DueWork.due_at), func.count()).where(
            DueWork.status == DueWorkStatus.PENDING.value, DueWork.due_at <= now
        )
    ).one()
    return oldest, int(count)


def next_due_at(session: Session) -> datetime | None:
    """When the earliest pending work falls due (the sandbox's "skip ahead" uses it)."""
    return session.scalar(
        select(DueWork.due_at)
        .where(DueWork.status == DueWorkStatus.PENDING.value)
        .order_by(DueWork.due_at)
        .limit(1)
    )


def set_aside(session: Session, where: ColumnElement[bool], *, reason: str, now: datetime) -> None:
    """Take the pending work `where` says off the clock, marked with why, so that rearm() can put
    it back (an uninstall, a deactivated account)."""
    session.execute(
        update(DueWork)
        .where(where, DueWork.status == DueWorkStatus.PENDING.value)
        .values(
            status=DueWorkStatus.SKIPPED.value,
            finished_at=now,
            last_error=reason,
            lease_owner=None,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )


def rearm(session: Session, where: ColumnElement[bool], *, reason: str, now: datetime) -> None:
    """Put back the work set aside for `reason` that is still ahead; what fell due meanwhile
    stays unsent (a reminder for a day gone by helps nobody)."""
    session.execute(
        update(DueWork)
        .where(
            where,
            DueWork.status == DueWorkStatus.SKIPPED.value,
            DueWork.last_error == reason,
            DueWork.due_at > now,
        )
        .values(status=DueWorkStatus.PENDING.value, finished_at=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


# -- the claimed row: only the holder of its lease may change it ---------------------------------


def held(work: DueWork | None, *, token: str, now: datetime) -> bool:
    """Whether this claimed row is still pending and ours: a lease that ran out while the work
    waited in a queue makes it someone else's."""
    return (
        work is not None
        and work.lease_owner == token
        and work.status == DueWorkStatus.PENDING.value
        and (work.lease_until is None or work.lease_until > now)
    )


def renew(session: Session, *, work_id: int, token: str, now: datetime, lease: timedelta) -> bool:
    """Extend our lease from now, if the work is still ours; False when another worker has
    claimed it since. A lease that ran out but that nobody took over is still ours: renewing it
    is the same as claiming it again, and the update is atomic against another worker's claim."""
    result = session.execute(
        update(DueWork)
        .where(
            DueWork.id == work_id,
            DueWork.lease_owner == token,
            DueWork.status == DueWorkStatus.PENDING.value,
        )
        .values(lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def finish(
    session: Session,
    *,
    work_id: int,
    token: str,
    status: DueWorkStatus,
    now: datetime,
    channel: str | None = None,
    ts: str | None = None,
    error: str | None = None,
) -> bool:
    """Mark the work finished if we still hold its lease; False when someone else does."""
    values: dict[str, Any] = {
        "status": status.value,
        "finished_at": now,
        "lease_owner": None,
        "lease_until": None,
    }
    if channel is not None:
        values.update(channel=channel, ts=ts)
    if error is not None:
        values["last_error"] = error[:500]
    result = session.execute(
        update(DueWork)
        .where(
            DueWork.id == work_id,
            DueWork.lease_owner == token,
            DueWork.status == DueWorkStatus.PENDING.value,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def release(session: Session, *, work_id: int, token: str, retry_at: datetime) -> None:
    """Give the work back to the database, due again at `retry_at` (a long Retry-After)."""
    session.execute(
        update(DueWork)
        .where(DueWork.id == work_id, DueWork.lease_owner == token)
        .values(lease_owner=None, lease_until=None, retry_at=retry_at)
    )


def give_back(session: Session, *, work_ids: list[int], token: str) -> int:
    """Give claimed work that was never sent back at once (the worker is stopping): free for the
    next claim, with the attempt it never made taken back, so no history check is needed."""
    if not work_ids:
        return 0
    result = session.execute(
        update(DueWork)
        .where(
            DueWork.id.in_(work_ids),
            DueWork.lease_owner == token,
            DueWork.status == DueWorkStatus.PENDING.value,
        )
        .values(lease_owner=None, lease_until=None, attempts=DueWork.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def fail(
    session: Session, *, work_id: int, token: str, reason: str, now: datetime, transient: bool
) -> DueWork | None:
    """Give the work back to be tried again after a back-off, or give up on it (too many tries
    failing for a reason of its own, or too late for any reason). Returns the row when it gave
    up, None otherwise (also when the lease is no longer ours)."""
    work = session.get(DueWork, work_id)
    if work is None or work.lease_owner != token:
        return None
    work.last_error = reason[:500]
    work.lease_owner = None
    work.lease_until = None
    too_late = now - work.due_at > GIVE_UP_AFTER
    if too_late or (work.attempts >= MAX_ATTEMPTS and not transient):
        work.status = DueWorkStatus.FAILED.value
        work.finished_at = now
        return work
    seconds = min(LONGEST_BACK_OFF.total_seconds(), 5 * 2 ** (work.attempts - 1))
    work.retry_at = now + timedelta(seconds=seconds)
    return None
