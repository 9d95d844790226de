"""Installs and uninstalls."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import Installation, Workspace
from slackapp.services.retention import restart_workspace, stop_workspace


def uninstall(
    session: Session,
    *,
    team_id: str,
    enterprise_id: str | None,
    now: datetime,
    retention: timedelta,
    org_wide: bool = False,
) -> None:
    """Uninstalling stops every schedule at once and drops the bot token; the data goes after
    the retention window, unless the app is installed again before. Uninstalled from a whole
    Enterprise Grid org (`org_wide`), it stops in every workspace of the org."""
    if org_wide and enterprise_id:
        where = Workspace.enterprise_id == enterprise_id
    else:
        where = (Workspace.team_id == team_id) & (Workspace.enterprise_id == (enterprise_id or ""))
    for workspace in session.scalars(select(Workspace).where(where)).all():
        # The bot token is dead once the app is uninstalled; keep nothing we no longer need.
        session.execute(delete(Installation).where(Installation.workspace_id == workspace.id))
        stop_workspace(session, workspace=workspace, now=now, retention=retention)


def reinstall(session: Session, *, workspace: Workspace, now: datetime) -> None:
    """An install through OAuth: if the workspace had uninstalled the app, its data is still
    here (within the window), and it carries on."""
    restart_workspace(session, workspace=workspace, now=now)
