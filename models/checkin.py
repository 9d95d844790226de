"""The private weekly check-in: how the person is holding up, for their eyes only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, WorkspaceScoped


class Checkin(Timestamped, WorkspaceScoped, Base):
    """One answer to "How are you holding up?". Never shown, sent or exported to anyone else."""

    __tablename__ = "checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    mood: Mapped[str] = mapped_column(String(16))  # services/checkins.py MOODS
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime]
