"""Feedback against what both agreed: each feedback request lists the agreed expectations, the
manager rates each (or leaves it unrated) beside the overall rating, the employee gets the
ratings, and their App Home shows the trend as one coloured square per request."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.expectations import after_the_meeting, agreed, home_text, stored
from tests.support.feedback import request_dms, requests_of, set_up_schedule, text_of
from tests.support.meeting import blocks_text, buttons, click, latest, refreshed, top

WEEKLY = "A weekly status to you on Mondays"
PRICES = "No quote leaves without the price check"


def _answer(app: RunningApp, dm: dict, values: dict) -> None:
    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    modal = app.slack.wait_for_view(MANAGER, "feedback_answer")
    labels = [b["label"]["text"] for b in modal["blocks"] if b.get("type") == "input"]
    assert labels[1:3] == [WEEKLY, PRICES]  # after the overall rating, before the questions
    assert app.slack.submit(MANAGER, values).status == 200


def test_each_request_rates_the_agreed_expectations_and_the_home_shows_the_trend(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)
    after_the_meeting(app)
    agreed(app)
    set_up_schedule(app, first_date="2026-03-04", repeat="weekly")
    # The App Home's preview of the next request lists them as the request will.
    preview = home_text(app, EMPLOYEE, "What you both agreed they would do")
    assert PRICES in preview

    app.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))  # 09:00 New York
    app.tick()
    [first] = request_dms(app)
    shown = text_of(first["blocks"])
    assert "What you both agreed they would do" in shown and WEEKLY in shown and PRICES in shown
    _answer(
        app,
        first,
        {
            "rating": "on_track",
            "expectation_rating_0": "on_track",
            "expectation_rating_1": "not_yet_on_track",
        },
    )
    received = app.slack.wait_for(
        lambda: [m for m in app.fake.messages(EMPLOYEE) if "sent you feedback" in m["text"]],
        what="the employee's feedback",
    )[-1]
    got = text_of(received["blocks"])
    assert f"{WEEKLY}: *On track*" in got and f"{PRICES}: *Not yet on track*" in got
    [request] = requests_of(db)
    assert request.expectations == [WEEKLY, PRICES]
    assert request.answer is not None
    assert request.answer.expectation_ratings == [
        {"expectation": WEEKLY, "rating": "on_track"},
        {"expectation": PRICES, "rating": "not_yet_on_track"},
    ]

    # A week later: exceeding on one, nothing said on the other (nothing is required).
    app.clock.set(datetime(2026, 3, 11, 13, 0, tzinfo=UTC))  # 09:00 New York, on DST
    app.tick()
    second = app.slack.wait_for(
        lambda: len(request_dms(app)) == 2 and request_dms(app)[1], what="the second request"
    )
    _answer(app, second, {"rating": "exceeding", "expectation_rating_0": "exceeding"})
    text = home_text(app, EMPLOYEE, "Overall: :large_green_square::large_blue_square:")
    assert "At a glance" in text
    assert f"{WEEKLY}: :large_green_square::large_blue_square:" in text
    assert f"{PRICES}: :large_orange_square::white_large_square:" in text
    assert requests_of(db)[1].answer.expectation_ratings[1] == {  # type: ignore[union-attr]
        "expectation": PRICES,
        "rating": None,
    }
    assert not app.fake.rejections


def test_nothing_is_listed_until_the_manager_agrees(running_app: RunningApp, db: Session) -> None:
    app = running_app
    after_the_meeting(app)  # the employee's understanding only
    set_up_schedule(app, first_date="2026-03-04", repeat="weekly")
    app.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    app.tick()
    [dm] = request_dms(app)
    assert WEEKLY not in text_of(dm["blocks"])
    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    modal = app.slack.wait_for_view(MANAGER, "feedback_answer")
    assert WEEKLY not in text_of(modal["blocks"])
    assert requests_of(db)[0].expectations == []


def test_while_a_change_waits_requests_list_what_both_agreed_and_the_old_ask_is_retired(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    after_the_meeting(app)
    first_ask = latest(app, MANAGER, "wrote down what you expect of them")
    agreed(app)
    # The manager proposes a change; before the employee answers, the manager changes it again.
    asks = []
    for version in ("Status on Mondays, in writing", "Status on Mondays, by 10:00"):
        click(app, MANAGER, refreshed(app, MANAGER, first_ask["ts"]), "expectations_edit")
        top(app, MANAGER, "expectations_edit_modal")
        app.slack.submit(MANAGER, {"expectation_0": version, "expectation_1": PRICES})
        asks.append(
            app.slack.wait_for(
                lambda v=version: next(
                    (
                        m
                        for m in app.fake.messages(EMPLOYEE)
                        if "proposes a change" in m["text"] and v in blocks_text(m["blocks"])
                    ),
                    None,
                ),
                what="the change sent to the employee",
            )
        )
        # The app remembers where the ask went once Slack answered (the next edit redraws it).
        app.slack.wait_for(
            lambda: stored(app)[0].expectations_ask_ts == asks[-1]["ts"], what="the ask stored"
        )
    older, newer = asks
    # The older ask lost its buttons and says where the newest version is.
    app.slack.wait_for(
        lambda: buttons(refreshed(app, EMPLOYEE, older["ts"])) == [],
        what="the replaced ask redrawn",
    )
    assert "newest version is on your App Home" in blocks_text(
        refreshed(app, EMPLOYEE, older["ts"])["blocks"]
    )
    assert buttons(newer) == ["That's what we agreed", "Edit"]
    # Its button, pressed anyway (an old copy of the message), agrees to nothing.
    click(app, EMPLOYEE, older, "expectations_agree")
    app.slack.wait_for(
        lambda: any("newest version" in e.get("text", "") for e in app.fake.ephemerals(EMPLOYEE)),
        what="the kind note",
    )
    assert stored(app)[0].expectations_agreed_at is None

    # Meanwhile a feedback request lists what both agreed, not the change waiting.
    set_up_schedule(app, first_date="2026-03-04", repeat="weekly")
    app.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    app.tick()
    [dm] = request_dms(app)
    shown = text_of(dm["blocks"])
    assert WEEKLY in shown and PRICES in shown and "by 10:00" not in shown
    assert requests_of(db)[0].expectations == [WEEKLY, PRICES]

    click(app, EMPLOYEE, newer, "expectations_agree")
    latest(app, MANAGER, "agreed: this is what you both expect now")
    assert stored(app)[0].expectations_agreed == ["Status on Mondays, by 10:00", PRICES]
    assert not app.fake.rejections
