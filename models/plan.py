"""Step 1 (the repair plan and its steps) and step 2 (the reflection and its commitments)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, WorkspaceScoped


class Situation(StrEnum):
    NOTHING_FORMAL = "nothing_formal"
    REMOVED_FROM_PROJECT = "removed_from_project"
    DEMOTED = "demoted"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"

    @property
    def serious(self) -> bool:
        return self is not Situation.NOTHING_FORMAL


class PlanStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"  # replaced by a newer plan; kept in history
    CLOSED = "closed"  # the employee finished with it


class Plan(Timestamped, WorkspaceScoped, Base):
    __tablename__ = "plan"
    __table_args__ = (Index("ix_plan_owner_status", "owner_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(150))
    what_happened: Mapped[str | None] = mapped_column(Text)
    affected_user_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    affected_others: Mapped[str | None] = mapped_column(Text)
    situation: Mapped[str] = mapped_column(String(32), default=Situation.NOTHING_FORMAL.value)
    # The Slack message the plan was started from (the message shortcut): its permalink.
    source_link: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default=PlanStatus.ACTIVE.value)
    archived_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The comeback summary written when the plan was closed (services/comeback.py): its text as
    # the employee previews it, the canvas (or, where canvases are unavailable, the Markdown
    # file) in their DM, and when they shared it with their manager (never, by default).
    summary_markdown: Mapped[str | None] = mapped_column(Text)
    summary_canvas_id: Mapped[str | None] = mapped_column(String(32))
    summary_file_id: Mapped[str | None] = mapped_column(String(32))
    summary_shared_at: Mapped[datetime | None]
    # The manager's copy, so "Delete my data" can replace it with the withdrawn note.
    summary_shared_channel: Mapped[str | None] = mapped_column(String(32))
    summary_shared_ts: Mapped[str | None] = mapped_column(String(32))

    steps: Mapped[list[Step]] = relationship(
        back_populates="plan", order_by="Step.position", cascade="all, delete-orphan"
    )
    reflection: Mapped[Reflection | None] = relationship(
        back_populates="plan", cascade="all, delete-orphan", uselist=False
    )


class Step(Timestamped, WorkspaceScoped, Base):
    """One corrective step of a plan, ticked off when done."""

    __tablename__ = "step"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    description: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date | None]
    is_apology: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None]
    # The Slack message the step was added from ("Add a step from this message"): its permalink.
    source_link: Mapped[str | None] = mapped_column(String(500))

    plan: Mapped[Plan] = relationship(back_populates="steps")


class Reflection(Timestamped, WorkspaceScoped, Base):
    __tablename__ = "reflection"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), unique=True)
    factors: Mapped[list[str]] = mapped_column(JSON, default=list)
    root_cause: Mapped[str | None] = mapped_column(Text)
    # Never shared with anyone, never put in a message to the manager.
    private_notes: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime | None]

    plan: Mapped[Plan] = relationship(back_populates="reflection")
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="reflection", order_by="Commitment.position", cascade="all, delete-orphan"
    )


class Commitment(Timestamped, WorkspaceScoped, Base):
    """What I will do differently: a concrete action, referred to by meeting and feedback requests."""

    __tablename__ = "commitment"
    __table_args__ = (UniqueConstraint("reflection_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflection.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)

    reflection: Mapped[Reflection] = relationship(back_populates="commitments")
