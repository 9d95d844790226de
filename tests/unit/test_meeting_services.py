"""Step 3's services: the draft, the clock (working days, reminders), and one outcome per answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Commitment, DueWork, MeetingStatus, Person, Plan, Reflection, Step
from slackapp.kernel import kinds
from slackapp.services import meeting_concerns, meeting_draft, meeting_timeline, meetings
from slackapp.services.journey import meeting_progress
from slackapp.services.people import ensure_person, ensure_workspace
from slackapp.views import meeting_draft as draft_views
from slackapp.views.journey import summary_text

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday
SECRET = "my private notes"


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("sent", "tz", "nudge"),
    [
        # Monday 10:00 New York -> Wednesday 10:00 New York.
        (_utc(2026, 3, 2, 15, 0), "America/New_York", _utc(2026, 3, 4, 15, 0)),
        # Friday 10:00 -> Tuesday 10:00, across the weekend and the DST change (EST -> EDT).
        (_utc(2026, 3, 6, 15, 0), "America/New_York", _utc(2026, 3, 10, 14, 0)),
        # Saturday: counting starts Monday 09:00 -> Wednesday 09:00.
        (_utc(2026, 3, 7, 12, 0), "Europe/Berlin", _utc(2026, 3, 11, 8, 0)),
        # Sent at 03:00 in New York: Wednesday 03:00 waits for the working morning.
        (_utc(2026, 3, 2, 8, 0), "America/New_York", _utc(2026, 3, 4, 14, 0)),
        # Sent in the evening: Wednesday 20:00 becomes Thursday 09:00.
        (_utc(2026, 3, 2, 19, 0), "Europe/Berlin", _utc(2026, 3, 5, 8, 0)),
        # Thursday in Kolkata -> Monday, skipping the weekend.
        (_utc(2026, 3, 5, 6, 30), "Asia/Kolkata", _utc(2026, 3, 9, 6, 30)),
    ],
)
def test_the_nudge_waits_two_working_days_in_the_managers_zone(
    sent: datetime, tz: str, nudge: datetime
) -> None:
    assert meeting_timeline.nudge_at(sent, tz) == nudge


def _people(db: Session) -> tuple[Person, Person, Person]:
    workspace = ensure_workspace(db, team_id="T0001")
    employee = ensure_person(db, workspace=workspace, slack_user_id="UE", tz="Europe/Berlin")
    manager = ensure_person(db, workspace=workspace, slack_user_id="UM", tz="America/New_York")
    other = ensure_person(db, workspace=workspace, slack_user_id="UO", tz="Asia/Kolkata")
    db.flush()
    return employee, manager, other


def _plan(db: Session, owner: Person) -> Plan:
    plan = Plan(workspace_id=owner.workspace_id, owner_id=owner.id, title="Missed the launch")
    plan.steps = [
        Step(workspace_id=owner.workspace_id, position=0, description="Apologised", done_at=NOW),
        Step(
            workspace_id=owner.workspace_id,
            position=1,
            description="Ship the fix",
            due_date=date(2026, 3, 6),
        ),
    ]
    plan.reflection = Reflection(workspace_id=owner.workspace_id, private_notes=SECRET)
    plan.reflection.commitments = [
        Commitment(workspace_id=owner.workspace_id, position=0, text="Plan buffers")
    ]
    db.add(plan)
    db.flush()
    return plan


def _sent(db: Session, *, times: list[datetime] | None = None):
    employee, manager, other = _people(db)
    plan = _plan(db, employee)
    draft = meetings.save_draft(
        session=db,
        employee=employee,
        plan=plan,
        composed=meetings.Composed(
            manager=manager,
            times=times or [_utc(2026, 3, 3, 15, 0)],
            message="Hello",
            share_steps=True,
            share_commitments=True,
        ),
        submit_key="V1",
    )
    request = meetings.send(session=db, request_id=draft.id, employee=employee, now=NOW)
    assert request is not None
    return request, employee, manager, other


def _pending_kinds(db: Session) -> dict[str, datetime]:
    rows = db.scalars(select(DueWork).where(DueWork.status == "pending"))
    return {row.kind: row.due_at for row in rows}


def test_the_draft_follows_the_advice_and_never_holds_private_notes(db: Session) -> None:
    employee, _manager, _other = _people(db)
    plan = _plan(db, employee)
    text = draft_views.draft_message(plan)  # nothing shared: the draft lists it all
    assert "Missed the launch" in text
    assert "my colleagues and the company" in text
    assert "• Apologised" in text and "• Ship the fix (by Fri 6 Mar)" in text
    assert "• Plan buffers" in text
    assert "private conversation" in text
    assert SECRET not in text
    shared = meeting_draft.shared_snapshot(plan, share_steps=True, share_commitments=True)
    assert SECRET not in str(shared)
    assert meeting_draft.shared_snapshot(plan, share_steps=False, share_commitments=False) == {
        "plan_title": "Missed the launch"
    }
    assert "private conversation" in draft_views.draft_message(None)


def test_a_long_plan_still_fits_the_message_box(db: Session) -> None:
    employee, _manager, _other = _people(db)
    plan = _plan(db, employee)
    plan.steps = [
        Step(workspace_id=employee.workspace_id, position=i, description="x" * 300)
        for i in range(10)
    ]
    assert len(draft_views.draft_message(plan)) <= meeting_draft.MESSAGE_MAX


def test_sending_is_once_and_puts_the_nudge_and_expiry_on_the_clock(db: Session) -> None:
    request, employee, manager, _other = _sent(db)
    assert request.status == MeetingStatus.PENDING and employee.manager_id == manager.id
    assert meetings.send(session=db, request_id=request.id, employee=employee, now=NOW) is None
    assert _pending_kinds(db) == {
        kinds.MEETING_NUDGE: _utc(2026, 3, 4, 14, 0),
        kinds.MEETING_EXPIRY: NOW + timedelta(days=7),
    }
    assert summary_text(meeting_progress(db, employee)).startswith("Meeting requested")


def test_only_the_named_manager_answers_and_only_once(db: Session) -> None:
    request, employee, manager, other = _sent(db)
    for someone_else in (employee, other):
        with pytest.raises(meetings.NotAllowed):
            meetings.accept(
                session=db, request_id=request.id, manager=someone_else, choice=0, now=NOW
            )
    accepted = meetings.accept(
        session=db, request_id=request.id, manager=manager, choice=0, now=NOW
    )
    assert accepted is not None and accepted.accepted_time == _utc(2026, 3, 3, 15, 0)
    assert (
        meetings.accept(session=db, request_id=request.id, manager=manager, choice=0, now=NOW)
        is None
    )
    assert (
        meetings.decline(session=db, request_id=request.id, manager=manager, reason=None, now=NOW)
        is None
    )
    assert _pending_kinds(db) == {
        kinds.MEETING_REMINDER_EMPLOYEE: _utc(2026, 3, 3, 14, 45),
        kinds.MEETING_REMINDER_MANAGER: _utc(2026, 3, 3, 14, 45),
        kinds.MEETING_FOLLOWUP: _utc(2026, 3, 3, 16, 0),
    }
    assert (
        summary_text(meeting_progress(db, employee))
        == "Meeting with your manager on Tue 3 Mar, 16:00."
    )


def test_a_reminder_already_past_is_not_scheduled(db: Session) -> None:
    request, _employee, manager, _other = _sent(db, times=[NOW + timedelta(minutes=10)])
    meetings.accept(session=db, request_id=request.id, manager=manager, choice=0, now=NOW)
    assert set(_pending_kinds(db)) == {kinds.MEETING_FOLLOWUP}


def test_only_the_employee_cancels(db: Session) -> None:
    request, employee, manager, _other = _sent(db)
    with pytest.raises(meetings.NotAllowed):
        meetings.cancel(session=db, request_id=request.id, employee=manager, now=NOW)
    done = meetings.cancel(session=db, request_id=request.id, employee=employee, now=NOW)
    assert done is not None and done[1] is MeetingStatus.PENDING
    assert meetings.cancel(session=db, request_id=request.id, employee=employee, now=NOW) is None
    assert _pending_kinds(db) == {}


def test_counter_proposals_go_back_and_forth(db: Session) -> None:
    request, employee, manager, _other = _sent(db)
    later = _utc(2026, 3, 4, 13, 30)
    meetings.counter_propose(
        session=db, request_id=request.id, manager=manager, when=later, note=None, now=NOW
    )
    assert _pending_kinds(db) == {}  # the manager answered: no nudge, no expiry
    back = meetings.propose_back(
        session=db, request_id=request.id, employee=employee, when=later, now=NOW
    )
    assert back is not None and back.status == MeetingStatus.PENDING
    assert set(_pending_kinds(db)) == {kinds.MEETING_NUDGE, kinds.MEETING_EXPIRY}


def test_concerns_are_recorded_once_and_ticked_by_their_employee(db: Session) -> None:
    request, employee, manager, other = _sent(db)
    meetings.accept(session=db, request_id=request.id, manager=manager, choice=0, now=NOW)
    concerns = meeting_concerns.parse_concerns("• Quality first\n\n - Talk to me sooner ")
    assert concerns == ["Quality first", "Talk to me sooner"]
    meeting_concerns.record_outcome(
        session=db, request_id=request.id, employee=employee, concerns=concerns, now=NOW
    )
    assert (
        meeting_concerns.record_outcome(
            session=db, request_id=request.id, employee=employee, concerns=concerns, now=NOW
        )
        is None
    )
    first = meeting_concerns.open_concerns(db, employee)[0]
    with pytest.raises(meetings.NotAllowed):
        meeting_concerns.set_concern_addressed(
            session=db, employee=other, concern_id=first.id, addressed=True, now=NOW
        )
    meeting_concerns.set_concern_addressed(
        session=db, employee=employee, concern_id=first.id, addressed=True, now=NOW
    )
    assert [c.text for c in meeting_concerns.open_concerns(db, employee)] == ["Talk to me sooner"]
    assert "1 of 2 concerns still to address" in summary_text(meeting_progress(db, employee))
