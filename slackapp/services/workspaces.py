"""Installs and uninstalls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from models import Cadence, CadenceStatus, DueWork, DueWorkStatus, Installation, Workspace


def uninstall(session: Session, *, team_id: str, enterprise_id: str | None, now: datetime) -> None:
    """Uninstalling stops every schedule: cadences stop and pending due work is dropped."""
    workspace = session.scalar(
        select(Workspace).where(
            Workspace.team_id == team_id, Workspace.enterprise_id == (enterprise_id or "")
        )
    )
    if workspace is None:
        return
    workspace.uninstalled_at = now
    # The bot token is dead once the app is uninstalled; keep nothing we no longer need.
    session.execute(delete(Installation).where(Installation.workspace_id == workspace.id))
    session.execute(
        update(Cadence)
        .where(
            Cadence.workspace_id == workspace.id,
            Cadence.status.in_([CadenceStatus.ACTIVE.value, CadenceStatus.PAUSED.value]),
        )
        .values(status=CadenceStatus.STOPPED.value, next_run_at=None, paused_reason="uninstalled")
    )
    session.execute(
        update(DueWork)
        .where(DueWork.workspace_id == workspace.id, DueWork.status == DueWorkStatus.PENDING.value)
        .values(status=DueWorkStatus.SKIPPED.value, finished_at=now, last_error="uninstalled")
    )
