"""Step 2 end to end: the reflection modal, its hints, saving, editing, and who may."""

from __future__ import annotations

import json

from tests.conftest import COLLEAGUE, EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import (
    block,
    forge_click,
    forge_submit,
    home_text,
    make_plan,
    plans_of,
    top,
)

CAUSE = "I said yes to three deadlines 😬 and cut corners <again> & again"


def hints(view: dict) -> str:
    return str(block(view, "reflect_hints")["text"]["text"])


def test_a_reflection_with_factors_hints_and_commitments_is_made_then_edited(
    running_app: RunningApp,
) -> None:
    app = running_app
    make_plan(app)
    app.slack.command(EMPLOYEE, "reflect")
    view = top(app, EMPLOYEE, "reflect_modal")
    intro = json.dumps(view["blocks"], ensure_ascii=False)
    assert "Acknowledge the cause to yourself first" in intro
    assert "A commitment is an action, not a promise" in intro
    assert "Tick the factors" in hints(view)

    # Ticking factors brings their example commitments; what was typed stays.
    typed = {"reflect_cause": CAUSE, "reflect_factors": ["time_management", "temper"]}
    app.slack.click_in_view(
        EMPLOYEE, "reflect_factors_changed", value=["time_management", "temper"], values=typed
    )
    view = app.slack.wait_for(
        lambda: "Block 30 minutes" in hints(v := top(app, EMPLOYEE, "reflect_modal")) and v,
        what="the hints",
    )
    assert "Take a ten-minute walk" in hints(view) and "Communication" not in hints(view)
    assert block(view, "reflect_cause")["element"]["initial_value"] == CAUSE
    assert len(block(view, "reflect_factors")["element"]["initial_options"]) == 2

    app.slack.click_in_view(EMPLOYEE, "reflect_add_row", values=typed)
    top(app, EMPLOYEE, "reflect_modal", has_block="reflect_commitment_1")
    response = app.slack.submit(
        EMPLOYEE,
        {
            **typed,
            "reflect_commitment_0": "Block 30 minutes each morning to plan the day",
            "reflect_commitment_1": "Walk round the block before answering <anyone> angry",
            "reflect_notes": "PRIVATE: I was scared of losing the account",
        },
    )
    assert response.json()["response_action"] == "update"
    assert "Saved, with 2 commitments" in json.dumps(top(app, EMPLOYEE, "reflect_saved"))

    reflection = plans_of(app)[0].reflection
    assert reflection is not None
    assert (reflection.root_cause, reflection.factors) == (CAUSE, ["time_management", "temper"])
    assert reflection.private_notes == "PRIVATE: I was scared of losing the account"
    assert [c.text for c in reflection.commitments] == [
        "Block 30 minutes each morning to plan the day",
        "Walk round the block before answering <anyone> angry",
    ]
    home = home_text(app, EMPLOYEE, "What I'll do differently")
    assert "answering &lt;anyone&gt; angry" in home and "PRIVATE" not in home
    assert "Factors: Time management, Temper / reacting under stress" in home
    app.slack.command(EMPLOYEE, "")
    journey = top(app, EMPLOYEE, "journey")
    assert "Done" in block(journey, "journey_reflect")["text"]["text"]

    # Edit from the App Home: the modal comes back filled in; one commitment goes, one changes.
    app.slack.click_in_view(EMPLOYEE, "reflect_edit_open", home=True)
    view = top(app, EMPLOYEE, "reflect_modal")
    assert block(view, "reflect_notes")["element"]["initial_value"].startswith("PRIVATE")
    assert "Block 30 minutes" in hints(view)
    app.slack.click_in_view(EMPLOYEE, "reflect_remove_row")
    app.slack.wait_for(
        lambda: (
            "reflect_commitment_1"
            not in [b.get("block_id") for b in top(app, EMPLOYEE, "reflect_modal")["blocks"]]
        ),
        what="one commitment row",
    )
    app.slack.submit(EMPLOYEE, {"reflect_commitment_0": "Plan the day at 8:30, every day"})
    top(app, EMPLOYEE, "reflect_saved")
    edited = plans_of(app)[0].reflection
    assert edited is not None and edited.id == reflection.id
    assert [(c.id, c.text) for c in edited.commitments] == [
        (reflection.commitments[0].id, "Plan the day at 8:30, every day")
    ]
    assert not app.fake.rejections


def test_invalid_reflection_is_refused_field_by_field_and_nothing_is_stored(
    running_app: RunningApp,
) -> None:
    app = running_app
    make_plan(app)
    app.slack.command(EMPLOYEE, "reflect")
    top(app, EMPLOYEE, "reflect_modal")
    app.slack.click_in_view(EMPLOYEE, "reflect_add_row")
    top(app, EMPLOYEE, "reflect_modal", has_block="reflect_commitment_1")
    body = app.slack.submit(
        EMPLOYEE,
        {
            "reflect_cause": "  ",
            "reflect_commitment_0": "x" * 301,
            "reflect_commitment_1": " ",
            "reflect_notes": "n" * 3001,
        },
    ).json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        "reflect_cause",
        "reflect_commitment_0",
        "reflect_commitment_1",
        "reflect_notes",
    }
    assert plans_of(app)[0].reflection is None


def test_reflecting_before_a_plan_leads_to_the_plan_and_saving_a_plan_leads_here(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "reflect")
    top(app, EMPLOYEE, "reflect_no_plan")
    app.slack.click_in_view(EMPLOYEE, "reflect_go_plan")
    top(app, EMPLOYEE, "plan_modal")
    assert len(app.fake.view_stack(EMPLOYEE)) == 1
    app.slack.submit(
        EMPLOYEE, {"plan_title": "Acme", "plan_step_0_text": "Call Acme", "plan_step_0_due": None}
    )
    top(app, EMPLOYEE, "plan_saved")
    app.slack.click_in_view(EMPLOYEE, "plan_next_reflect")
    top(app, EMPLOYEE, "reflect_modal")
    # The journey's step 2 button opens the same modal.
    app.slack.command(EMPLOYEE, "")
    top(app, EMPLOYEE, "journey")
    app.slack.click_in_view(EMPLOYEE, "journey_open_reflect", value="reflect")
    top(app, EMPLOYEE, "reflect_modal")
    assert len(app.fake.view_stack(EMPLOYEE)) == 2


def test_another_user_cannot_read_or_change_a_reflection(running_app: RunningApp) -> None:
    app = running_app
    make_plan(app)
    app.slack.command(EMPLOYEE, "reflect")
    view = top(app, EMPLOYEE, "reflect_modal")
    app.slack.submit(
        EMPLOYEE,
        {
            "reflect_cause": "Secret cause",
            "reflect_commitment_0": "Secret commitment",
            "reflect_notes": "Secret notes",
        },
    )
    top(app, EMPLOYEE, "reflect_saved")
    home_text(app, EMPLOYEE, "Secret commitment")
    calls_before = len(app.fake.calls)

    forge_click(app, COLLEAGUE, app.fake.home(EMPLOYEE), "reflect_edit_open")
    forge_click(app, COLLEAGUE, view, "reflect_factors_changed", ["temper"])
    forge_click(app, COLLEAGUE, view, "reflect_add_row")
    answer = forge_submit(
        app,
        COLLEAGUE,
        view,
        {"reflect_cause": "Overwritten", "reflect_commitment_0": "Overwritten"},
    )
    assert "nothing was changed" in answer["errors"]["reflect_cause"]
    app.slack.wait_for(lambda: len(app.fake.messages(COLLEAGUE)) >= 3, what="three refusals")

    reflection = plans_of(app)[0].reflection
    assert reflection is not None and reflection.root_cause == "Secret cause"
    assert [c.text for c in reflection.commitments] == ["Secret commitment"]
    later = app.fake.calls[calls_before:]
    assert not [c for c in later if c.method.startswith("views.")]
    assert "Secret" not in json.dumps([c.args for c in later])
