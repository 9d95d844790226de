"""The data model: SQLAlchemy 2 typed models, engine and sessions, Alembic migrations."""

from models.base import Base, utcnow
from models.checkin import Checkin
from models.due_work import DueWork, DueWorkStatus, SendPace
from models.events import ProcessedEvent
from models.feedback import (
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackRequestStatus,
    FeedbackSchedule,
    Rating,
    Repeat,
    ScheduleEnd,
    ScheduleStatus,
    WorkflowStep,
)
from models.meeting import CalendarFile, Concern, Expectation, MeetingRequest, MeetingStatus
from models.plan import Commitment, Plan, PlanStatus, Reflection, Situation, Step
from models.refusal import ManagerRefusal
from models.workspace import ExportFile, Installation, OAuthState, OpenedView, Person, Workspace

__all__ = [
    "Base",
    "FeedbackSchedule",
    "ScheduleEnd",
    "ScheduleStatus",
    "CalendarFile",
    "Checkin",
    "Commitment",
    "Concern",
    "Expectation",
    "DueWork",
    "DueWorkStatus",
    "ExportFile",
    "FeedbackAnswer",
    "FeedbackRequest",
    "FeedbackRequestStatus",
    "Installation",
    "ManagerRefusal",
    "MeetingRequest",
    "MeetingStatus",
    "OAuthState",
    "OpenedView",
    "Person",
    "Plan",
    "PlanStatus",
    "ProcessedEvent",
    "Rating",
    "SendPace",
    "Reflection",
    "Repeat",
    "Situation",
    "Step",
    "WorkflowStep",
    "Workspace",
    "utcnow",
]
