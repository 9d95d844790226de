"""Events the app has already handled, so Slack's retries of one event have one effect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, WorkspaceScoped


class ProcessedEvent(WorkspaceScoped, Base):
    """One row per Events API delivery handled; Slack retries the same event_id up to 3 times.

    Rows are only needed for the retry window (minutes), so old ones are pruned as new arrive.
    """

    __tablename__ = "processed_event"
    __table_args__ = (
        UniqueConstraint("workspace_id", "event_id"),
        Index("ix_processed_event_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
