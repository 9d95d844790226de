"""What the manager expects, agreed by both: written down in "How did it go?", confirmed by the
manager in one click, changed later by either and agreed to by the other; on the App Home and in
the journey. Signed requests in, the fake Slack out; the clock is moved, never slept on."""

from __future__ import annotations

from datetime import date

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.expectations import after_the_meeting, home_text, stored
from tests.support.meeting import blocks_text, buttons, click, latest, refreshed, top


def test_expectations_are_the_employees_understanding_until_the_manager_agrees(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)
    after_the_meeting(app)
    request, items = stored(app)
    assert [(e.text, e.due_on) for e in items] == [
        ("A weekly status to you on Mondays", date(2026, 3, 16)),
        ("No quote leaves without the price check", None),
    ]
    assert request.expectations_agreed_at is None

    # Until the manager confirms, the employee's home says it is their understanding.
    text = home_text(app, EMPLOYEE, "What your manager expects")
    assert "A weekly status to you on Mondays" in text and "by Mon 16 Mar" in text
    assert "Your understanding, until" in text

    # The manager is asked, and agrees in one click.
    ask = latest(app, MANAGER, "wrote down what you expect of them")
    assert "No quote leaves without the price check" in blocks_text(ask["blocks"])
    assert buttons(ask) == ["That's what we agreed", "Edit"]
    click(app, MANAGER, ask, "expectations_agree")
    app.slack.wait_for(
        lambda: (
            "You agreed to these expectations"
            in blocks_text(refreshed(app, MANAGER, ask["ts"])["blocks"])
        ),
        what="the ask redrawn once agreed",
    )
    assert buttons(refreshed(app, MANAGER, ask["ts"])) == ["Propose a change"]
    latest(app, EMPLOYEE, "agreed: this is what you both expect now")
    assert stored(app)[0].expectations_agreed_at is not None
    text = home_text(app, EMPLOYEE, "Agreed with")
    assert "Your understanding" not in text

    # Agreed, the manager can still propose a change later.
    click(app, MANAGER, refreshed(app, MANAGER, ask["ts"]), "expectations_edit")
    top(app, MANAGER, "expectations_edit_modal")
    app.slack.close(MANAGER)

    # The journey shows them too.
    app.slack.command(EMPLOYEE, "")
    journey = top(app, EMPLOYEE, "journey")
    assert "A weekly status to you on Mondays" in blocks_text(journey["blocks"])
    assert not app.fake.rejections


def test_the_manager_edits_and_the_employee_agrees_to_the_change(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)
    after_the_meeting(app)
    ask = latest(app, MANAGER, "wrote down what you expect of them")
    click(app, MANAGER, ask, "expectations_edit")
    modal = top(app, MANAGER, "expectations_edit_modal")
    assert "A weekly status to you on Mondays" in blocks_text(modal["blocks"])  # prefilled
    app.slack.submit(
        MANAGER,
        {
            "expectation_0": "A written status to me every Monday",
            "expectation_1": "",
            "expectation_2": "Quotes over 10k go through me",
            "expectation_by_2": "2026-03-31",
        },
    )
    proposal = latest(app, EMPLOYEE, "proposes a change to the expectations")
    shown = blocks_text(proposal["blocks"])
    assert "A written status to me every Monday" in shown and "Quotes over 10k" in shown
    assert "No quote leaves" not in shown
    request, items = stored(app)
    assert [e.text for e in items] == [
        "A written status to me every Monday",
        "Quotes over 10k go through me",
    ]
    assert items[1].due_on == date(2026, 3, 31)
    assert request.expectations_agreed_at is None

    # The employee's home shows the manager's version waiting on them.
    text = home_text(app, EMPLOYEE, "proposed this version")
    assert "Quotes over 10k go through me" in text

    # The manager cannot agree to their own proposal.
    click(app, MANAGER, ask, "expectations_agree")
    assert stored(app)[0].expectations_agreed_at is None

    click(app, EMPLOYEE, proposal, "expectations_agree")
    latest(app, MANAGER, "agreed: this is what you both expect now")
    assert stored(app)[0].expectations_agreed_at is not None
    home_text(app, EMPLOYEE, "Agreed with")
    assert not app.fake.rejections
