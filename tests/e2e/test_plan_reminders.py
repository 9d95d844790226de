"""Step 1's clock, end to end: reminders at 09:00 local, and the "act quickly" nudge.

The clock is moved by hand and the scheduler ticked; nothing sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import DueWork, MeetingRequest, MeetingStatus
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.e2e.test_plan_flow import (
    click_home,
    home_text,
    make_plan,
    plans_of,
    step_values,
    top,
)


def at(hour: int, minute: int = 0, day: int = 4) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def reminders(app: RunningApp, user: str) -> list[dict]:
    return [m for m in app.fake.messages(user) if "Today's the day" in str(m.get("blocks"))]


def nudges(app: RunningApp, user: str) -> list[dict]:
    """Only this step's nudge: other steps may have their own reasons to write."""
    return [m for m in app.fake.messages(user) if "ask your manager for a meeting" in m["text"]]


def tick_at(app: RunningApp, when: datetime) -> None:
    app.clock.set(when)
    app.tick()


def test_the_due_date_reminder_arrives_at_nine_local_in_two_time_zones(
    running_app: RunningApp,
) -> None:
    app = running_app
    # Thursday 5 March: a working day in both zones (4 March 2026 is Holi, a holiday in India).
    berlin = make_plan(
        app,
        EMPLOYEE,
        steps=[("Call the buyer", "2026-03-05", True), ("Already handled", "2026-03-05", False)],
    )
    make_plan(
        app, COLLEAGUE, title="Missed the Pune deadline", steps=[("Ring Pune", "2026-03-05", False)]
    )
    # Ticked done before its day: that step's reminder never goes out.
    click_home(app, EMPLOYEE, f"plan_step_toggle_{berlin.steps[1].id}", ["done"])

    tick_at(app, at(3, 29, day=5))  # 08:59 in Kolkata
    assert reminders(app, COLLEAGUE) == []
    tick_at(app, at(3, 30, day=5))  # 09:00 in Kolkata, 04:30 in Berlin
    (kolkata,) = reminders(app, COLLEAGUE)
    assert "Ring Pune" in str(kolkata["blocks"]) and reminders(app, EMPLOYEE) == []

    tick_at(app, at(7, 59, day=5))  # 08:59 in Berlin
    assert reminders(app, EMPLOYEE) == []
    tick_at(app, at(8, 0, day=5))  # 09:00 in Berlin
    (reminder,) = reminders(app, EMPLOYEE)
    assert "Call the buyer" in str(reminder["blocks"]) and "Already handled" not in str(reminder)
    assert reminder["metadata"]["event_payload"]["step_id"] == berlin.steps[0].id

    tick_at(app, at(12, 0, day=5))
    assert len(reminders(app, EMPLOYEE)) == 1 and len(reminders(app, COLLEAGUE)) == 1

    # "Mark as done" in the reminder ticks the step and says so in place.
    app.slack.click_in_message(EMPLOYEE, reminder, "plan_step_done_dm")
    app.slack.wait_for(
        lambda: "Done." in str(app.fake.messages(EMPLOYEE)[-1]["blocks"]), what="the updated DM"
    )
    home_text(app, EMPLOYEE, "2 of 2 done")
    assert all(s.done_at for s in plans_of(app)[0].steps)
    assert not app.fake.rejections


def test_nine_oclock_holds_across_a_dst_change(running_app: RunningApp) -> None:
    app = running_app
    # New York moves to summer time on Sunday 8 March: 09:00 on Monday 9 March is 13:00 UTC.
    make_plan(app, MANAGER, title="Mine too", steps=[("Own it", "2026-03-09", False)])
    tick_at(app, at(12, 59, day=9))
    assert reminders(app, MANAGER) == []
    tick_at(app, at(13, 0, day=9))
    assert len(reminders(app, MANAGER)) == 1


def test_a_changed_due_date_moves_the_reminder(running_app: RunningApp) -> None:
    app = running_app
    make_plan(app, steps=[("Call the buyer", "2026-03-04", False)])
    app.slack.click_in_view(EMPLOYEE, "plan_edit_open", home=True)
    top(app, EMPLOYEE, "plan_modal")
    app.slack.submit(
        EMPLOYEE,
        {"plan_title": "Acme", **step_values([("Call the buyer", "2026-03-05", False)])},
    )
    home_text(app, EMPLOYEE, "Due Thu 5 Mar")
    tick_at(app, at(8, 0))
    assert reminders(app, EMPLOYEE) == []
    tick_at(app, at(8, 0, day=5))
    assert len(reminders(app, EMPLOYEE)) == 1


def test_a_new_time_zone_moves_the_reminder_when_the_home_is_opened(
    running_app: RunningApp,
) -> None:
    app = running_app
    # Not 4 March: that is Holi, a public holiday in India, and the reminder would wait a day.
    make_plan(app, steps=[("Call the buyer", "2026-03-05", False)])
    app.fake.set_user(EMPLOYEE, tz="Asia/Kolkata")
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: _pending(app) == [at(3, 30, day=5)], what="the reminder to move")
    tick_at(app, at(3, 30, day=5))  # 09:00 in Kolkata
    assert len(reminders(app, EMPLOYEE)) == 1


def _pending(app: RunningApp) -> list[datetime]:
    with app.runtime.session_factory() as session:
        return list(
            session.scalars(
                select(DueWork.due_at).where(
                    DueWork.kind == "step_reminder", DueWork.status == "pending"
                )
            )
        )


def test_act_quickly_nudges_once_when_serious_and_no_meeting_was_asked(
    running_app: RunningApp,
) -> None:
    app = running_app
    created = app.clock.now()
    make_plan(app, situation="suspended")
    tick_at(app, created + timedelta(hours=23, minutes=59))
    assert nudges(app, EMPLOYEE) == []
    tick_at(app, created + timedelta(hours=24))
    (nudge,) = nudges(app, EMPLOYEE)
    button = nudge["blocks"][-1]["elements"][0]
    assert (button["action_id"], button["text"]["text"]) == (
        "journey_open_meeting",
        "Ask for a meeting",
    )
    tick_at(app, created + timedelta(days=3))
    assert len(nudges(app, EMPLOYEE)) == 1


def test_act_quickly_stays_quiet_when_a_meeting_was_requested_or_it_is_not_serious(
    running_app: RunningApp,
) -> None:
    app = running_app
    created = app.clock.now()
    serious = make_plan(app, situation="demoted")
    make_plan(app, COLLEAGUE, situation="nothing_formal")
    with app.runtime.session_factory() as session:
        # Any meeting request counts, even one taken back: they already reached out.
        session.add(
            MeetingRequest(
                workspace_id=serious.workspace_id,
                employee_id=serious.owner_id,
                manager_id=plans_of(app)[1].owner_id,
                message="Could we talk?",
                status=MeetingStatus.CANCELLED.value,
            )
        )
        session.commit()
    tick_at(app, created + timedelta(hours=25))
    assert nudges(app, EMPLOYEE) == [] and nudges(app, COLLEAGUE) == []
