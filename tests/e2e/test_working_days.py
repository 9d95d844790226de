"""Public holidays and leave end to end, with the injected clock: a request due on the manager's
holiday goes out the next working day; a manager on :palm_tree: gets it the morning they are
back; the employee's "away until" pauses and resumes; "Request feedback now" while the manager
is away is held and the employee told at once."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from slacksim.fakeslack import payloads
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.feedback import request_dms, requests_of, schedule_of, set_up_schedule, text_of

# Tuesday 3 March 2026, 09:00 in New York (the manager's zone), the schedule's first send.
FIRST_SEND = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
# Monday 9 March 09:00 in New York (EDT since 8 March).
MONDAY_MORNING = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)
HELD = f"<@{MANAGER}> is away until Mon 9 Mar; your feedback request will reach them then."


def texts(app: RunningApp, user: str) -> list[str]:
    return [m["text"] for m in app.fake.messages(user)]


def home_showing(app: RunningApp, user: str, *words: str) -> str:
    """The person's App Home as text, once it shows all of `words`."""
    return app.slack.wait_for(
        lambda: (
            (h := app.fake.home(user))
            and all(w in (shown := text_of(h["blocks"])) for w in words)
            and shown
        ),
        what=f"the App Home showing {words}",
    )


def test_a_weekly_request_due_on_a_public_holiday_arrives_the_next_working_day(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    # Mondays at 09:00 New York time, from Memorial Day (Monday 25 May 2026).
    ack = set_up_schedule(app, first_date="2026-05-25", repeat="weekly")
    confirmation = text_of(ack["view"]["blocks"])
    assert "Mon 25 May is Memorial Day in United States: moved to Tue 26 May" in confirmation
    assert "Tue 26 May 2026, 09:00 New York time" in confirmation
    assert "Mon 1 Jun 2026, 09:00 New York time" in confirmation  # the rule itself is unchanged

    app.clock.set(datetime(2026, 5, 25, 13, 0, tzinfo=UTC))  # the holiday, 09:00 in New York
    app.tick()
    assert request_dms(app) == []
    app.clock.set(datetime(2026, 5, 26, 13, 0, tzinfo=UTC))
    app.tick()
    app.tick()
    assert len(request_dms(app)) == 1
    [request] = requests_of(db)
    assert request.due_at == datetime(2026, 5, 26, 13, 0, tzinfo=UTC)
    assert schedule_of(db).next_run_at == datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
    app.slack.open_home(EMPLOYEE)
    home_showing(app, EMPLOYEE, "Mon 1 Jun", "Your working days")
    assert not app.fake.rejections


def test_a_manager_on_palm_tree_until_friday_gets_the_request_monday_morning(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)  # weekly on Tuesdays at 09:00 New York time, from 3 March
    friday_night = int(datetime(2026, 3, 7, 4, 0, tzinfo=UTC).timestamp())  # Fri 23:00 New York
    app.fake.set_user(
        MANAGER, status_emoji=":palm_tree:", status_text="", status_expiration=friday_night
    )
    app.clock.set(FIRST_SEND)
    app.tick()
    app.tick()  # the note to the employee is put on the clock by the first tick
    assert request_dms(app) == []
    told = app.slack.wait_for(
        lambda: [t for t in texts(app, EMPLOYEE) if "is away until" in t], what="the employee told"
    )
    assert told == [HELD]  # the return date, never why
    app.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    app.tick()
    assert request_dms(app) == [] and texts(app, EMPLOYEE).count(HELD) == 1

    app.clock.set(MONDAY_MORNING)
    app.tick()
    app.tick()
    [dm] = request_dms(app)
    assert dm["text"] == f"<@{EMPLOYEE}> asked for your feedback"
    [request] = requests_of(db)
    assert request.status == "sent" and request.sent_at == MONDAY_MORNING
    assert texts(app, EMPLOYEE).count(HELD) == 1
    assert not app.fake.rejections


def test_the_employees_away_until_pauses_and_resumes(running_app: RunningApp, db: Session) -> None:
    app = running_app
    set_up_schedule(app)
    app.slack.open_home(EMPLOYEE)
    app.slack.click_in_view(EMPLOYEE, "away_open", home=True)
    app.slack.wait_for_view(EMPLOYEE, "away_until")
    response = app.slack.submit(EMPLOYEE, {"until": "2026-03-12"})  # through Thursday
    assert response.status == 200
    home_showing(app, EMPLOYEE, "away until Thu 12 Mar")
    assert schedule_of(db).status == "paused"
    for moment in (FIRST_SEND, datetime(2026, 3, 10, 13, 0, tzinfo=UTC)):
        app.clock.set(moment)
        app.tick()
    assert request_dms(app) == []  # nothing falls due meanwhile

    app.clock.set(datetime(2026, 3, 13, 8, 0, tzinfo=UTC))  # Friday 09:00 in Berlin
    app.tick()
    welcome = app.slack.wait_for(
        lambda: [t for t in texts(app, EMPLOYEE) if t.startswith("Welcome back")],
        what="the welcome back",
    )
    assert len(welcome) == 1
    schedule = schedule_of(db)
    assert schedule.status == "active"
    assert schedule.next_run_at == datetime(2026, 3, 17, 13, 0, tzinfo=UTC)
    app.clock.set(datetime(2026, 3, 17, 13, 0, tzinfo=UTC))
    app.tick()
    app.tick()
    assert len(request_dms(app)) == 1  # nothing stacked afterwards
    assert not app.fake.rejections


def test_request_now_while_the_manager_is_away_is_held_and_the_employee_told(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)
    # Max says so in the app: away through Friday 6 March.
    app.slack.open_home(MANAGER)
    app.slack.click_in_view(MANAGER, "away_open", home=True)
    app.slack.wait_for_view(MANAGER, "away_until")
    assert app.slack.submit(MANAGER, {"until": "2026-03-06"}).status == 200
    home_showing(app, MANAGER, "away until Fri 6 Mar")
    app.slack.open_home(EMPLOYEE)
    app.slack.click_in_view(EMPLOYEE, "feedback_request_now", home=True)
    app.slack.wait_for(lambda: HELD in texts(app, EMPLOYEE), what="the employee told at once")
    home_showing(app, EMPLOYEE, f":palm_tree: {HELD}")  # and the App Home says so too
    app.tick()
    assert request_dms(app) == []
    # The scheduled Tuesday request meets the held one: it takes its place, nothing stacks.
    app.clock.set(FIRST_SEND)
    app.tick()
    app.tick()
    assert request_dms(app) == []
    assert texts(app, EMPLOYEE).count(HELD) == 1

    app.clock.set(MONDAY_MORNING)
    app.tick()
    app.tick()
    assert len(request_dms(app)) == 1
    open_ones = [r for r in requests_of(db) if r.status in ("due", "sent")]
    assert len(open_ones) == 1 and open_ones[0].status == "sent"
    assert not app.fake.rejections


def test_a_manager_changes_their_country_and_working_week_on_the_app_home(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    app.slack.open_home(MANAGER)
    # From New York's zone.
    home_showing(app, MANAGER, "Your working days", "Public holidays: *United States*")
    app.slack.click_in_view(MANAGER, "working_days_change", home=True)
    app.slack.wait_for_view(MANAGER, "working_days")
    app.slack.click_in_view(MANAGER, "working_days_country_pick", value="DE")

    # The modal redrawn for Germany: its regions are the Länder (no "CA" any more).
    def regions(view: dict) -> str:
        return json.dumps([b for b in view.get("blocks", []) if b.get("block_id") == "region"])

    view = app.slack.wait_for(
        lambda: next(
            (
                v
                for v in app.fake.view_stack(MANAGER)[-1:]
                if '"BY"' in regions(v) and '"CA"' not in regions(v)
            ),
            None,
        ),
        what="the working days modal with Germany's regions",
    )
    # A forged region (California with Germany), as no person could pick it.
    state = payloads.filled_state(view, {"country": "DE", "region": "BY", "week": ["0", "1"]})
    for action in state["region"].values():
        action["selected_option"]["value"] = "CA"
    forged = app.slack.interact(
        payloads.view_submission(
            team_id="T0001",
            user_id=MANAGER,
            user_name=MANAGER.lower(),
            view=view,
            state=state,
            trigger_id=app.fake.issue_trigger(MANAGER),
        )
    )
    assert forged.json()["errors"] == {"country": "Choose one of the options."}
    assert app.slack.submit(MANAGER, {"country": "DE", "week": []}).json()["errors"] == {
        "week": "Choose at least one working day."
    }
    response = app.slack.submit(
        MANAGER, {"country": "DE", "region": "BY", "week": ["0", "1", "2", "3"]}
    )
    assert response.status == 200
    home_showing(app, MANAGER, "Germany (Bayern)", "Monday, Tuesday, Wednesday, Thursday")
    db.expire_all()
    # A Friday request to a manager who works Monday to Thursday goes out on Monday.
    ack = set_up_schedule(app, first_date="2026-03-06")
    assert f"Fri 6 Mar is not a working day for <@{MANAGER}>: moved to Mon 9 Mar" in text_of(
        ack["view"]["blocks"]
    )
    assert schedule_of(db).next_run_at == MONDAY_MORNING


def test_the_manager_says_away_from_the_feedback_dm_and_the_next_request_waits(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    app.slack.click_in_message(MANAGER, dm, "away_open", value="away")
    app.slack.wait_for_view(MANAGER, "away_until")
    assert app.slack.submit(MANAGER, {"until": "2026-03-02"}).json()["errors"] == {
        "until": "Choose today or a day ahead."
    }
    assert app.slack.submit(MANAGER, {"until": "2026-03-13"}).status == 200  # through Friday
    app.clock.set(datetime(2026, 3, 10, 13, 0, tzinfo=UTC))  # Tuesday's request
    app.tick()
    app.tick()
    assert len(request_dms(app)) == 1
    back = f"<@{MANAGER}> is away until Mon 16 Mar; your feedback request will reach them then."
    app.slack.wait_for(lambda: back in texts(app, EMPLOYEE), what="the employee told")
    app.clock.set(datetime(2026, 3, 16, 13, 0, tzinfo=UTC))  # Monday 09:00 in New York
    app.tick()
    app.tick()
    assert len(request_dms(app)) == 2
    assert [t for t in texts(app, MANAGER) if t.startswith("Welcome back")]
    assert not app.fake.rejections
