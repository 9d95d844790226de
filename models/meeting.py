"""Step 3: the meeting request to the manager, and the concerns raised in the meeting."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, WorkspaceScoped


class MeetingStatus(StrEnum):
    # Composed and previewed but not sent yet: the review step reads it back from here, because
    # a pushed modal cannot see the state of the one below it.
    DRAFT = "draft"
    PENDING = "pending"  # waiting on the manager
    COUNTER_PROPOSED = (
        "counter_proposed"  # the manager proposed another time; waiting on the employee
    )
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    # The person it was sent to said they aren't the employee's manager: closed, not answered.
    NOT_MANAGER = "not_manager"


class MeetingRequest(Timestamped, WorkspaceScoped, Base):
    __tablename__ = "meeting_request"
    __table_args__ = (
        Index("ix_meeting_request_employee_status", "employee_id", "status"),
        # The meeting requests waiting on a manager, read at every App Home render.
        Index("ix_meeting_request_manager_status", "manager_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    share_steps: Mapped[bool] = mapped_column(Boolean, default=True)
    share_commitments: Mapped[bool] = mapped_column(Boolean, default=True)
    # What the employee chose to share, copied at preview time so the manager gets exactly what
    # the employee saw: {"plan_title", "steps": [{"text", "done", "due"}], "commitments": [...]}.
    # Built field by field from the plan; the reflection's private notes are never copied.
    shared: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Proposed times as ISO-8601 UTC strings, in the order the employee gave them.
    proposed_times: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.PENDING.value)
    accepted_time: Mapped[datetime | None]
    counter_time: Mapped[datetime | None]
    counter_note: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # Where the manager's DM lives, so it can be updated in place.
    manager_channel: Mapped[str | None] = mapped_column(String(32))
    manager_ts: Mapped[str | None] = mapped_column(String(32))
    # The employee's DM that has buttons waiting on them (a counter-proposal), updated in place.
    employee_channel: Mapped[str | None] = mapped_column(String(32))
    employee_ts: Mapped[str | None] = mapped_column(String(32))
    # One submit, one request: the modal's view id, unique so a double submit stores once.
    submit_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    outcome_recorded_at: Mapped[datetime | None]
    # The meeting in both calendars (slackapp/services/calendar.py): the event's UID, the same
    # for every version of it, and the SEQUENCE of the last .ics sent (None: nothing sent yet).
    calendar_uid: Mapped[str | None] = mapped_column(String(64))
    calendar_sequence: Mapped[int | None]

    # What the manager expects, agreed by both (services/expectations.py): whoever wrote the
    # current version proposed it, and the other one agrees to it; until then it is only the
    # proposer's understanding. The DM asking the other one, updated in place once answered.
    expectations_proposed_by: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL")
    )
    expectations_agreed_at: Mapped[datetime | None]
    # The texts as both last agreed them: what feedback requests list, also while a change
    # proposed since waits for the other one.
    expectations_agreed: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Counts the versions proposed: an agree button carries the one it showed.
    expectations_version: Mapped[int] = mapped_column(default=0)
    expectations_ask_channel: Mapped[str | None] = mapped_column(String(32))
    expectations_ask_ts: Mapped[str | None] = mapped_column(String(32))

    concerns: Mapped[list[Concern]] = relationship(
        back_populates="meeting_request", order_by="Concern.id", cascade="all, delete-orphan"
    )
    expectations: Mapped[list[Expectation]] = relationship(
        back_populates="meeting_request",
        order_by="Expectation.position",
        cascade="all, delete-orphan",
    )


class CalendarFile(WorkspaceScoped, Base):
    """An .ics file the app uploaded into someone's DM for a meeting, and the message beside it
    with the calendar links. Kept so "Delete my data" can delete the file from Slack, and so a
    newer version of the meeting can take the buttons off the older message."""

    __tablename__ = "calendar_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_request.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[str | None] = mapped_column(String(32))
    sequence: Mapped[int]
    method: Mapped[str] = mapped_column(String(16))
    card_channel: Mapped[str | None] = mapped_column(String(32))
    card_ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime]


class Concern(Timestamped, WorkspaceScoped, Base):
    """A concern the manager raised in the meeting: an item for the employee to address."""

    __tablename__ = "concern"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_request.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    addressed_at: Mapped[datetime | None]

    meeting_request: Mapped[MeetingRequest] = relationship(back_populates="concerns")


class Expectation(Timestamped, WorkspaceScoped, Base):
    """Something concrete the manager expects after the meeting, with an optional "by" date."""

    __tablename__ = "expectation"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_request_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_request.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None]

    meeting_request: Mapped[MeetingRequest] = relationship(back_populates="expectations")
