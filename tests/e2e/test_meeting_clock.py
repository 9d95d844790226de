"""Step 3 on the clock: the reminder, the nudge, the expiry, and "How did it go?".

The employee is in Berlin, the manager in New York; the clock is moved, never slept on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.meeting import (
    blocks_text,
    buttons,
    choose_manager,
    click,
    latest,
    open_compose,
    refreshed,
    request_row,
    review,
    seed_plan,
    send,
    sent_request,
    top,
)


def _at(app: RunningApp, when: datetime) -> int:
    app.clock.set(when)
    return app.tick()


def _texts(app: RunningApp, user_id: str) -> list[str]:
    return [m["text"] + blocks_text(m["blocks"]) for m in app.fake.messages(user_id)]


def _count(app: RunningApp, user_id: str, words: str) -> int:
    return sum(words in text for text in _texts(app, user_id))


def test_reminders_fifteen_minutes_before_in_each_zone_then_how_did_it_go(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)  # the home tab is open: it follows every change
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the home tab")
    dm = sent_request(app)  # Tue 3 Mar 10:00 New York = 15:00 UTC = 16:00 Berlin
    click(app, MANAGER, dm, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")

    _at(app, datetime(2026, 3, 3, 14, 44, tzinfo=UTC))
    assert _count(app, EMPLOYEE, "starts in 15 minutes") == 0
    _at(app, datetime(2026, 3, 3, 14, 45, tzinfo=UTC))
    assert _count(app, EMPLOYEE, "starts in 15 minutes, at Tue 3 Mar, 16:00 CET") == 1
    assert _count(app, MANAGER, "starts in 15 minutes, at Tue 3 Mar, 10:00 EST") == 1
    _at(app, datetime(2026, 3, 3, 14, 50, tzinfo=UTC))
    assert _count(app, EMPLOYEE, "starts in 15 minutes") == 1  # once

    _at(app, datetime(2026, 3, 3, 15, 30, tzinfo=UTC))
    assert _count(app, EMPLOYEE, "How did it go") == 0  # not while they are still talking
    _at(app, datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
    followup = latest(app, EMPLOYEE, "How did it go")
    assert buttons(followup) == ["How did it go?"]

    click(app, EMPLOYEE, followup, "meeting_outcome_open")
    top(app, EMPLOYEE, "meeting_outcome")
    app.slack.submit(
        EMPLOYEE,
        {"outcome_concerns": "• Quotes need a second pair of eyes\n\n- Tell me sooner next time"},
    )
    app.slack.wait_for(
        lambda: "Thank you" in blocks_text(refreshed(app, EMPLOYEE, followup["ts"])["blocks"]),
        what="the follow-up updated in place",
    )
    assert buttons(refreshed(app, EMPLOYEE, followup["ts"])) == []

    # The concerns are tickable items on the App Home, and the journey counts them.
    home = app.slack.wait_for(
        lambda: (
            "Concerns to address" in blocks_text((app.fake.home(EMPLOYEE) or {}).get("blocks"))
            and app.fake.home(EMPLOYEE)
        ),
        what="the concerns on the home tab",
    )
    text = blocks_text(home["blocks"])
    assert "Quotes need a second pair of eyes" in text and "Tell me sooner next time" in text
    assert "0 of 2 concerns still" not in text and "2 of 2 concerns still to address" in text
    first = next(b for b in home["blocks"] if b.get("block_id", "").startswith("meeting_concern_"))
    app.slack.click_in_view(
        EMPLOYEE,
        "meeting_concern_tick",
        home=True,
        value=[first["accessory"]["options"][0]["value"]],
    )
    home = app.slack.wait_for(
        lambda: (
            "1 of 2 concerns still to address"
            in blocks_text((app.fake.home(EMPLOYEE) or {}).get("blocks"))
            and app.fake.home(EMPLOYEE)
        ),
        what="the ticked concern",
    )
    ticked = next(b for b in home["blocks"] if b.get("block_id") == first["block_id"])
    assert ticked["accessory"]["initial_options"]
    assert not app.fake.rejections


def test_a_reminder_whose_time_has_passed_is_not_sent(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    review(app, times=[("2026-03-02", "03:10")])  # 08:10 UTC: ten minutes from now
    dm = send(app)
    click(app, MANAGER, dm, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")
    _at(app, datetime(2026, 3, 2, 8, 9, tzinfo=UTC))
    assert _count(app, EMPLOYEE, "starts in 15 minutes") == 0
    assert _count(app, MANAGER, "starts in 15 minutes") == 0


def test_one_polite_nudge_after_two_working_days_in_the_managers_zone(
    running_app: RunningApp,
) -> None:
    app = running_app
    # Friday 6 March, 10:00 in New York. The weekend does not count, and New York moves to
    # summer time on Sunday 8 March: two working days later is Tuesday 10:00 EDT = 14:00 UTC.
    app.clock.set(datetime(2026, 3, 6, 15, 0, tzinfo=UTC))
    sent_request(app, times=[("2026-03-12", "10:00")])
    _at(app, datetime(2026, 3, 9, 15, 0, tzinfo=UTC))  # Monday: one working day
    _at(app, datetime(2026, 3, 10, 13, 59, tzinfo=UTC))
    assert _count(app, MANAGER, "gentle reminder") == 0
    _at(app, datetime(2026, 3, 10, 14, 0, tzinfo=UTC))
    assert _count(app, MANAGER, "gentle reminder") == 1
    _at(app, datetime(2026, 3, 12, 14, 0, tzinfo=UTC))
    assert _count(app, MANAGER, "gentle reminder") == 1  # one nudge, not one a day
    assert _count(app, EMPLOYEE, "gentle reminder") == 0


def test_no_nudge_once_the_manager_has_answered(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app, times=[("2026-03-12", "10:00")])
    click(app, MANAGER, dm, "meeting_decline")
    top(app, MANAGER, "meeting_decline")
    app.slack.submit(MANAGER)
    latest(app, EMPLOYEE, "declined")
    _at(app, datetime(2026, 3, 20, tzinfo=UTC))
    assert _count(app, MANAGER, "gentle reminder") == 0
    assert _count(app, EMPLOYEE, "expired") == 0


def test_after_seven_days_the_request_expires_and_can_be_sent_again(
    running_app: RunningApp,
) -> None:
    app = running_app
    dm = sent_request(app, times=[("2026-03-03", "10:00"), ("2026-03-12", "10:00")])
    sent_at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    _at(app, sent_at + timedelta(days=7) - timedelta(minutes=1))
    assert _count(app, EMPLOYEE, "expired") == 0
    assert request_row(app).status == "pending"
    _at(app, sent_at + timedelta(days=7))
    expiry = latest(app, EMPLOYEE, "has expired")
    assert buttons(expiry) == ["Send it again"]
    assert request_row(app).status == "expired"
    app.tick()  # the manager's buttons are cleared by an update in place
    app.slack.wait_for(
        lambda: buttons(refreshed(app, MANAGER, dm["ts"])) == [], what="the stale buttons gone"
    )
    assert "expired" in blocks_text(refreshed(app, MANAGER, dm["ts"])["blocks"])

    # Send it again: the compose modal, prefilled, with only the times still ahead.
    click(app, EMPLOYEE, expiry, "meeting_resend")
    compose = top(app, EMPLOYEE, "meeting_compose")
    by_id = {b.get("block_id"): b for b in compose["blocks"]}
    assert by_id["meeting_manager"]["element"]["initial_user"] == MANAGER
    assert by_id["meeting_date_1"]["element"]["initial_date"] == "2026-03-12"
    assert "initial_date" not in by_id["meeting_date_2"]["element"]
    assert "Wrong prices sent to Acme" in by_id["meeting_message"]["element"]["initial_value"]
    response = app.slack.submit(EMPLOYEE)
    assert response.json()["response_action"] == "push"
    app.slack.submit(EMPLOYEE)
    app.slack.wait_for(
        lambda: (
            len(
                [
                    m
                    for m in app.fake.messages(MANAGER)
                    if "would like a private conversation" in m["text"]
                ]
            )
            == 2
        ),
        what="the request sent again",
    )
