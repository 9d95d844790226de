"""Step 4: the schedule of feedback requests, each request, and the manager's answer."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, Timestamped, WorkspaceScoped


class Repeat(StrEnum):
    WEEKLY = "weekly"
    EVERY_2_WEEKS = "every_2_weeks"
    MONTHLY = "monthly"  # the same weekday of the month as the first date ("second Tuesday")


class ScheduleEnd(StrEnum):
    AFTER_COUNT = "after_count"
    ON_DATE = "on_date"
    PLAN_CLOSED = "plan_closed"


class ScheduleStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"  # by the employee
    ENDED = "ended"  # its end rule was reached


class FeedbackSchedule(Timestamped, WorkspaceScoped, Base):
    """How often the employee asks the manager for feedback; the rule is in the manager's zone."""

    __tablename__ = "feedback_schedule"
    __table_args__ = (
        Index("ix_schedule_status_next_run_at", "status", "next_run_at"),
        # The employee's current schedule (every App Home render, every request sent) and a
        # manager's reports' schedules, and the cascades when a person's row is purged: without
        # them, sequential scans of every schedule (bench/scale.py).
        Index("ix_schedule_employee_status", "employee_id", "status"),
        Index("ix_schedule_manager_id", "manager_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    tz: Mapped[str] = mapped_column(String(64))
    first_date: Mapped[date]
    time_of_day: Mapped[time]
    repeat: Mapped[str] = mapped_column(String(16))
    end_kind: Mapped[str] = mapped_column(String(16))
    end_count: Mapped[int | None]
    end_date: Mapped[date | None]
    # Monthly only: the week of the month (1..4) or -1 for the last such weekday.
    monthly_week: Mapped[int | None]
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The employee chose to show the manager their progress (steps, concerns, commitments).
    share_progress: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default=ScheduleStatus.ACTIVE.value)
    # The next send time in UTC; NULL when nothing more is due.
    next_run_at: Mapped[datetime | None]
    # Occurrences made so far (sent or missed): "end after N requests" counts these.
    occurrence_count: Mapped[int] = mapped_column(default=0)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    # When next_run_at was moved off the manager's holiday or day off: the rule's own time.
    moved_from: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]


class PausedReason(StrEnum):
    EMPLOYEE = "employee"
    EMPLOYEE_AWAY = "employee_away"  # "I'm away until ...": resumes by itself the day after
    MANAGER_UNREACHABLE = "manager_unreachable"
    UNINSTALLED = "uninstalled"  # the app was uninstalled from the workspace
    DEACTIVATED = "deactivated"  # the employee's Slack account was deactivated


class FeedbackRequestStatus(StrEnum):
    DUE = "due"  # waiting to be sent
    SENT = "sent"  # waiting on the manager
    ANSWERED = "answered"
    MISSED = "missed"  # never answered before the next one, or sent too late to make sense
    CANCELLED = "cancelled"


OPEN_STATUSES = (FeedbackRequestStatus.DUE.value, FeedbackRequestStatus.SENT.value)


class RequestSource(StrEnum):
    SCHEDULE = "schedule"
    NOW = "now"  # "Request feedback now", outside the schedule
    WORKFLOW = "workflow"  # the Workflow Builder step "Request feedback from a manager"


class FeedbackRequest(Timestamped, WorkspaceScoped, Base):
    """One occurrence of a schedule (or a one-off "request feedback now")."""

    __tablename__ = "feedback_request"
    # One occurrence per (schedule, due time): the guard against sending twice.
    __table_args__ = (
        UniqueConstraint("schedule_id", "due_at"),
        Index("ix_feedback_request_employee_status", "employee_id", "status"),
        # What waits on a manager (every App Home render): without it, a sequential scan of every
        # request ever made (bench/scale.py).
        Index("ix_feedback_request_manager_status", "manager_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback_schedule.id", ondelete="CASCADE")
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    due_at: Mapped[datetime]
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=FeedbackRequestStatus.DUE.value)
    source: Mapped[str] = mapped_column(String(16), default=RequestSource.SCHEDULE.value)
    # The employee's id while the request is open (due or sent), else NULL: unique, so at most
    # one request per employee waits on a manager ("nothing stacked", even on a double click).
    open_employee_id: Mapped[int | None] = mapped_column(unique=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    nudged_at: Mapped[datetime | None]
    nudge_channel: Mapped[str | None] = mapped_column(String(32))
    nudge_ts: Mapped[str | None] = mapped_column(String(32))
    closed_at: Mapped[datetime | None]
    # The expectations both agreed on, as the manager's DM listed them when it went out: the
    # answer rates each of these, so a change agreed later does not shift the questions.
    expectations: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Why it was missed or cancelled: superseded, late, manager_unreachable, stopped ...
    close_reason: Mapped[str | None] = mapped_column(String(32))
    # The manager is away: the request waits until this time (their first working morning back,
    # or the next working morning when their Slack status gives no end).
    held_until: Mapped[datetime | None]
    # When the manager is back, as the employee was told (NULL: no end known).
    held_return: Mapped[datetime | None]

    answer: Mapped[FeedbackAnswer | None] = relationship(
        back_populates="feedback_request", uselist=False, cascade="all, delete-orphan"
    )


class Rating(StrEnum):
    NOT_YET_ON_TRACK = "not_yet_on_track"
    ON_TRACK = "on_track"
    EXCEEDING = "exceeding"


class FeedbackAnswer(Timestamped, WorkspaceScoped, Base):
    __tablename__ = "feedback_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a double submit stores one answer.
    feedback_request_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_request.id", ondelete="CASCADE"), unique=True
    )
    rating: Mapped[str] = mapped_column(String(20))
    # [{"question": ..., "answer": ...}] so history survives later edits of the schedule's questions.
    answers: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    discuss_in_person: Mapped[bool] = mapped_column(Boolean, default=False)
    # One per expectation the request listed: {"expectation": text, "rating": value or None}.
    expectation_ratings: Mapped[list[dict[str, str | None]]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)

    feedback_request: Mapped[FeedbackRequest] = relationship(back_populates="answer")


class WorkflowStep(Timestamped, WorkspaceScoped, Base):
    """One run of the Workflow Builder step "Request feedback from a manager": the request it
    sent, and whether Slack has been told how it ended. No token is kept: the function's own
    token lasts minutes, so the ending is reported with the workspace's bot token."""

    __tablename__ = "workflow_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    function_execution_id: Mapped[str] = mapped_column(String(64), unique=True)
    # Unique: one run waits on one request (it goes with the request, and with the person).
    feedback_request_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_request.id", ondelete="CASCADE"), unique=True
    )
    deadline_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))  # completed | failed
