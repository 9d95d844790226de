"""Due work: every message the app sends on its own clock (reminders, nudges, feedback requests).

The database holds the work and APScheduler only ticks (see DESIGN.md § Scheduling): a row per
(kind, subject, due time) under a unique constraint, claimed with a lease, sent, then marked sent.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, Index, String, Text, UniqueConstraint, or_
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, WorkspaceScoped


class DueWorkStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"  # sent (or found already sent in the DM history)
    SKIPPED = "skipped"  # nothing to send any more (step done, request answered, ...)
    MISSED = "missed"  # too late to send
    FAILED = "failed"  # gave up after repeated errors


class DueWork(Timestamped, WorkspaceScoped, Base):
    __tablename__ = "due_work"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "due_at"),
        Index("ix_due_work_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default=DueWorkStatus.PENDING.value)
    # While a worker holds the lease, nobody else sends this work.
    lease_until: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    # When a worker first took it: lateness is judged from here, so a retry after a crash makes
    # the same send-or-skip decision as the attempt that may already have sent.
    first_claimed_at: Mapped[datetime | None]
    # Not before this time (after a failure or a 429), so a failing channel waits its turn.
    retry_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class SendPace(Base):
    """The next free send slot of one pace (a workspace's rate, or one channel's ~1/s), shared
    by every process on PostgreSQL and taken atomically (slackapp/jobs/rate_limit.py), so any
    number of processes keep Slack's limits together. The scope names no one: "w:<workspace id>",
    or "c:<workspace id>:" and a hash of the channel."""

    __tablename__ = "send_pace"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    free_at: Mapped[datetime]

    @staticmethod
    def of_workspace(workspace_id: int) -> ColumnElement[bool]:
        """One workspace's rows: its own pace and its channels'."""
        return or_(
            SendPace.scope == f"w:{workspace_id}", SendPace.scope.like(f"c:{workspace_id}:%")
        )
