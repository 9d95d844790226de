"""Shared steps of the expectations tests: a meeting held and "How did it go?" filled in with
two expectations, what is stored, and the App Home once it says something."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from models import Expectation, MeetingRequest
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.meeting import blocks_text, click, latest, sent_request, top


def after_the_meeting(app: RunningApp) -> None:
    """The meeting accepted, held, and "How did it go?" filled in with two expectations."""
    dm = sent_request(app)  # Tue 3 Mar 10:00 New York
    click(app, MANAGER, dm, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")
    app.clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
    app.tick()
    followup = latest(app, EMPLOYEE, "How did it go")
    click(app, EMPLOYEE, followup, "meeting_outcome_open")
    top(app, EMPLOYEE, "meeting_outcome")
    response = app.slack.submit(
        EMPLOYEE,
        {
            "outcome_concerns": "Quotes need a second pair of eyes",
            "expectation_0": "A weekly status to you on Mondays",
            "expectation_by_0": "2026-03-16",
            "expectation_1": "No quote leaves without the price check",
        },
    )
    assert response.status == 200


def stored(app: RunningApp) -> tuple[MeetingRequest, list[Expectation]]:
    with app.runtime.session_factory() as session:
        request = session.scalars(
            select(MeetingRequest).where(MeetingRequest.status != "draft")
        ).one()
        items = list(request.expectations)
        session.expunge_all()
        return request, items


def home_text(app: RunningApp, user_id: str, contains: str) -> str:
    home = app.slack.wait_for(
        lambda: (
            contains in blocks_text((app.fake.home(user_id) or {}).get("blocks"))
            and app.fake.home(user_id)
        ),
        what=f"{contains!r} on the home tab",
    )
    return blocks_text(home["blocks"])


def agreed(app: RunningApp) -> None:
    """The manager agrees to the employee's version in one click."""
    ask = latest(app, MANAGER, "wrote down what you expect of them")
    click(app, MANAGER, ask, "expectations_agree")
    latest(app, EMPLOYEE, "agreed: this is what you both expect now")
