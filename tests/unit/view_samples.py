"""Sample rows for tests/unit/view_cases*.py: each carries the same typed text in every field a
person can type into."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models import Commitment, Concern, Expectation, MeetingRequest, Person, Plan, Reflection, Step
from slackapp.services.feedback_progress import Progress
from slackapp.services.journey import STAGES, StageProgress, StageState, StageSummary
from slackapp.services.plans import PlanSummary
from slackapp.views import feedback_home as fb_home
from slackapp.views import feedback_messages as fb_msg
from slackapp.views import feedback_preview as fb_preview

NOW = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
TODAY = date(2026, 3, 5)
EMPLOYEE = Person(id=1, slack_user_id="UEMP", tz="Europe/Berlin")
MANAGER = Person(id=2, slack_user_id="UBOSS", tz="America/New_York")


@dataclass(frozen=True)
class Case:
    build: Callable[[str], Any]  # typed text -> whatever the builder returns
    surface: str = "message"  # where its blocks go: message, modal or home
    shows_typed: bool = True  # False: takes no typed text at all


# A message's permalink, as chat.getPermalink gives it (the message shortcut).
LINK = "https://acme.slack.com/archives/C0123/p1700000000000100"


def plan_of(t: str) -> Plan:
    plan = Plan(
        id=7,
        title=t,
        what_happened=t,
        affected_user_ids=["U1"],
        affected_others=t,
        situation="demoted",
        source_link=LINK,
    )
    plan.steps = [
        Step(
            id=10,
            description=t,
            due_date=TODAY - timedelta(days=1),
            is_apology=True,
            source_link=LINK,
        ),
        Step(id=11, description=t, done_at=NOW),
        Step(id=12, description=t, due_date=TODAY),
    ]
    plan.reflection = Reflection(id=3, root_cause=t, factors=["communication"], private_notes="x")
    plan.reflection.commitments = [Commitment(id=4, text=t), Commitment(id=5, text=t)]
    return plan


def meeting_of(t: str, status: str = "pending") -> MeetingRequest:
    request = MeetingRequest(
        id=5,
        employee_id=1,
        manager_id=2,
        message=t + " It wasn't my fault",
        status=status,
        proposed_times=[
            (NOW + timedelta(days=1)).isoformat(),
            (NOW + timedelta(days=2)).isoformat(),
        ],
        shared={
            "plan_title": t,
            "steps": [{"text": t, "done": False, "due": "2026-03-09"}, {"text": t, "done": True}],
            "commitments": [t, t],
        },
        counter_time=NOW + timedelta(days=3),
        counter_note=t,
        decline_reason=t,
        accepted_time=NOW + timedelta(days=1),
        sent_at=NOW - timedelta(days=1),
    )
    request.concerns = [Concern(id=8, text=t, addressed_at=NOW), Concern(id=9, text=t)]
    request.expectations = [
        Expectation(id=3, position=0, text=t, due_on=NOW.date()),
        Expectation(id=4, position=1, text=t),
    ]
    request.expectations_proposed_by = 1
    return request


def progress_of(t: str) -> Progress:
    return Progress(
        since=NOW - timedelta(days=7),
        plan_title=t,
        steps_done=[t, t],
        steps_done_total=2,
        steps_total=3,
        concerns_addressed=[t],
        commitments=[t],
    )


def lines_of(t: str) -> fb_msg.ProgressLines:
    return fb_msg.progress_lines(progress_of(t), MANAGER.tz)


def preview_of(t: str) -> list[dict[str, Any]]:
    return fb_preview.next_request_preview(
        employee_user_id="UEMP",
        questions=[t, t],
        progress=progress_of(t),
        manager_tz=MANAGER.tz,
        ask_if_manager=True,
    )


def journey_of(t: str) -> list[StageProgress]:
    # Every stage's summary carries the typed plan title, as the plan stage's does.
    return [
        StageProgress(
            key, StageState.IN_PROGRESS, StageSummary.PLAN_STEPS, plan_title=t, done=1, total=3
        )
        for key in STAGES
    ]


def summary_of(t: str) -> PlanSummary:
    return PlanSummary(title=t, done=1, total=3, overdue=1, serious=True)


def history_of(t: str) -> list[fb_home.HistoryItem]:
    answers = [{"question": t, "answer": t}, {"question": t, "answer": ""}]
    return [
        fb_home.HistoryItem(
            "Tue 3 Mar",
            "answered",
            "on_track",
            "On track",
            answers,
            True,
            [{"expectation": t, "rating": "exceeding"}, {"expectation": t, "rating": None}],
        ),
        fb_home.HistoryItem("Tue 24 Feb", "missed"),
        fb_home.HistoryItem("Tue 10 Mar", "sent"),
    ]


CARD = fb_home.ScheduleCard(1, "UBOSS", "Weekly on Tuesday at 09:00", "active", "Tue 10 Mar", "")
MODAL = "modal"
HOME = "home"
