"""Issue 12, the first hour, on the App Home: a manager is not the one who made a mistake, and
a text the home shortens says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from models import FeedbackAnswer, FeedbackRequest, Person, Plan
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, START, RunningApp
from tests.support.feedback import set_up_schedule
from tests.support.meeting import (
    blocks_text,
    choose_manager,
    compose_values,
    open_compose,
    review,
    seed_plan,
    send,
    top,
)

Json = dict[str, Any]


def home_with(app: RunningApp, user_id: str, words: str) -> Json:
    app.slack.open_home(user_id)
    return app.slack.wait_for(
        lambda: (h := app.fake.home(user_id)) and words in blocks_text(h["blocks"]) and h,
        what=f"{words!r} on {user_id}'s home",
    )


def order(home: Json) -> list[str]:
    return [str(b.get("block_id")) for b in home["blocks"]]


def test_a_managers_home_leads_with_what_waits_on_them(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    review(app)
    send(app)

    home = home_with(app, MANAGER, "Meeting requests waiting on you")
    ids = order(home)
    text = blocks_text(home["blocks"])
    assert home["blocks"][0]["text"]["text"] == "Second Chance"
    assert "Your second chance" not in text
    # What waits on Max comes first: the request, with its buttons, then who asked him.
    assert ids.index("meeting_waiting_header") < ids.index("feedback_asked_header")
    assert f"<@{EMPLOYEE}> named you as their manager." in text
    # The four steps are one quiet line now, with a way in, not four "Not started" rows.
    assert "Not started" not in text and "journey_open_plan" not in text
    quiet = next(b for b in home["blocks"] if b.get("block_id") == "home_own_journey")
    assert quiet["accessory"]["text"]["text"] == "See the steps"
    assert ids.index("feedback_asked_header") < ids.index("home_own_journey")
    assert ids[-3:] == ["home_data_header", "home_data", "home_data_actions"]
    assert "Someone who reports to you" in text  # a first visit's welcome, for a manager

    app.slack.click_in_view(MANAGER, "journey_show", home=True)
    journey = top(app, MANAGER, "journey")
    assert "Fix what went wrong" in blocks_text(journey["blocks"])
    assert not app.fake.rejections


def test_with_nothing_to_answer_the_manager_sees_who_asks_and_when(
    running_app: RunningApp,
) -> None:
    app = running_app
    set_up_schedule(app, first_date="2026-03-03", at="09:00", repeat="weekly")
    home = home_with(app, MANAGER, "People who asked you")
    text = blocks_text(home["blocks"])
    assert "Nothing is waiting on you right now." in text
    assert (
        f"<@{EMPLOYEE}> asks for your feedback: *Weekly on Tuesday at 09:00 New York time*. "
        "Next request: Tue 3 Mar." in text
    )
    assert "Not started" not in text
    assert not app.fake.rejections


def test_someone_with_both_sees_what_waits_on_them_first(running_app: RunningApp) -> None:
    app = running_app
    # Emma has a plan of her own; Chandra, who reports to her, asks her for a meeting.
    seed_plan(app)
    seed_plan(app, user_id=COLLEAGUE, tz="Asia/Kolkata")
    open_compose(app, COLLEAGUE)
    choose_manager(app, manager=EMPLOYEE, user_id=COLLEAGUE)
    values = compose_values(times=[("2026-03-03", "10:00")], manager=EMPLOYEE)
    assert app.slack.submit(COLLEAGUE, values).json()["response_action"] == "push"
    send(app, user_id=COLLEAGUE, manager=EMPLOYEE)

    home = home_with(app, EMPLOYEE, "Meeting requests waiting on you")
    ids = order(home)
    assert ids[0] == "meeting_waiting_header"
    assert ids.index("meeting_waiting_header") < ids.index("home_journey_header")
    assert ids.index("home_journey_header") < ids.index("home_plan_header")
    assert "home_own_journey" not in ids  # her own journey is there in full

    # Once she has answered, her own journey leads again; who asked her sits before her data.
    app.slack.click_in_view(EMPLOYEE, "meeting_decline", home=True)
    top(app, EMPLOYEE, "meeting_decline")
    app.slack.submit(EMPLOYEE, {})
    home = app.slack.wait_for(
        lambda: (
            (h := app.fake.home(EMPLOYEE))
            and "meeting_waiting_header" not in order(h)
            and "feedback_asked_header" in order(h)
            and h
        ),
        what="Emma's home after she answered",
    )
    ids = order(home)
    assert ids[0] == "home_journey_header"
    assert ids.index("home_plan_header") < ids.index("feedback_asked_header")
    assert ids.index("feedback_asked_header") < ids.index("home_data_header")
    assert not app.fake.rejections


def test_someone_new_still_sees_the_four_steps(running_app: RunningApp) -> None:
    home = home_with(running_app, EMPLOYEE, "Fix what went wrong")
    ids = order(home)
    assert home["blocks"][0]["text"]["text"] == "Your second chance"
    assert "journey_plan" in ids and "home_own_journey" not in ids


def test_the_home_says_when_it_shortens_a_text(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    cause = "I rushed. " * 300  # 3,000 characters, more than a section holds with its title
    answer = "Keep checking every quote twice before it goes out. " * 20
    with app.runtime.session_factory() as session:
        plan = session.scalar(select(Plan))
        employee = session.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE))
        assert plan is not None and plan.reflection is not None and employee is not None
        plan.reflection.root_cause = cause
        manager = Person(workspace_id=employee.workspace_id, slack_user_id=MANAGER)
        session.add(manager)
        session.flush()
        request = FeedbackRequest(
            workspace_id=employee.workspace_id,
            employee_id=employee.id,
            manager_id=manager.id,
            due_at=START - timedelta(days=1),
            questions=["Am I on the right track?"],
            status="answered",
            sent_at=START - timedelta(days=1),
            answered_at=START - timedelta(hours=20),
        )
        request.answer = FeedbackAnswer(
            workspace_id=employee.workspace_id,
            rating="on_track",
            answers=[{"question": "Am I on the right track?", "answer": answer}],
        )
        session.add(request)
        session.commit()
    home = home_with(app, EMPLOYEE, "What really caused it")
    by_id = {b.get("block_id"): b for b in home["blocks"]}
    shown_cause = by_id["home_reflect_cause"]["text"]["text"]
    assert len(shown_cause) <= 3000
    assert shown_cause.endswith("_(shortened — choose Edit reflection to read it all)_")
    history = blocks_text(home["blocks"])
    assert "(shortened — your messages from Second Chance have the whole answer)" in history
    assert not app.fake.rejections
