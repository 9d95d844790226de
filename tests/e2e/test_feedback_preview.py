"""Issue 11, "Trust", end to end: what an employee typed reaches their manager's scheduled DM as
typed, never as a live mention or link; and the employee sees, in the schedule modal and on the
App Home, exactly the request their manager then gets."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.e2e.test_plan_flow import click_home, forge_click, home_text, make_plan
from tests.support.feedback import (
    buttons,
    open_schedule_modal,
    pick,
    request_dms,
    schedule_of,
    set_up_schedule,
)

Json = dict[str, Any]
HOSTILE_STEP = (
    "Called the buyer <!channel> <@U123> <https://evil.example/login|Open Second Chance to answer>"
    " *and* _said_ ~sorry~ `twice` &amp; more"
)
HOSTILE_TITLE = "Acme <!here> *order*"
FIRST_SEND = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # Tue 3 Mar, 09:00 in New York
MODAL_VALUES = {
    "time": "09:00",
    "repeat": "weekly",
    "end": "plan_closed",
    "first_date": "2026-03-03",
}


def text_of(anything: Any) -> str:
    """As JSON, the lookalike characters kept as they are."""
    return json.dumps(anything, ensure_ascii=False)


def plan_with_a_hostile_step_done(app: RunningApp) -> None:
    """The employee makes a plan and ticks its first step on the App Home, as they would."""
    plan = make_plan(
        app, title=HOSTILE_TITLE, steps=[(HOSTILE_STEP, None, False), ("Refund it", None, False)]
    )
    click_home(app, EMPLOYEE, f"plan_step_toggle_{plan.steps[0].id}", ["done"])


def mrkdwn_of(blocks: list[Json]) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return found


def preview_in_modal(view: Json) -> list[Json]:
    ids = [b.get("block_id") for b in view["blocks"]]
    return view["blocks"][
        ids.index("feedback_preview_intro") + 1 : ids.index("feedback_preview_actions")
    ]


def preview_on_home(home: Json) -> list[Json]:
    ids = [str(b.get("block_id")) for b in home["blocks"]]
    start = next(i for i, block_id in enumerate(ids) if block_id.startswith("feedback_share_"))
    return home["blocks"][start + 1 : ids.index("feedback_preview_note")]


def same_but_the_buttons(preview: list[Json], dm: Json) -> None:
    """The preview is the DM block for block, its row of buttons shown as a line naming them."""
    labels = next(b for b in preview if b["block_id"] == "feedback_preview_buttons")
    assert all(f"*{label}*" in text_of(labels) for label in buttons(dm))
    assert [b for b in preview if b["block_id"] != "feedback_preview_buttons"] == [
        {k: v for k, v in b.items() if k != "accessory"}
        for b in dm["blocks"]
        if b["type"] != "actions"
    ]


def test_a_hostile_step_reaches_the_managers_scheduled_request_as_typed(
    running_app: RunningApp,
) -> None:
    app = running_app
    plan_with_a_hostile_step_done(app)
    set_up_schedule(app, end="plan_closed", end_count=None, questions="Did I fix it <!everyone>?")
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    marked = mrkdwn_of(dm["blocks"])
    # The only live markup in the manager's DM is the app's own mention of the employee.
    assert {t for text in marked for t in re.findall(r"<[^<>]*>", text)} == {f"<@{EMPLOYEE}>"}
    shown = "\n".join(marked)
    assert "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example/login|Open" in shown
    assert (
        "\u2217and\u2217 \u02cdsaid\u02cd \u223csorry\u223c \u02cbtwice\u02cb &amp;amp; more"
        in shown
    )
    assert "“Acme &lt;!here&gt; \u2217order\u2217”: 1 of 2 steps done." in shown
    assert "Did I fix it &lt;!everyone&gt;?" in shown
    assert "<!" not in dm["text"]
    assert not app.fake.rejections


def test_the_schedule_modal_previews_exactly_what_the_manager_then_gets(
    running_app: RunningApp,
) -> None:
    app = running_app
    plan_with_a_hostile_step_done(app)
    view = open_schedule_modal(app)
    pick(app, "feedback_manager_pick", MANAGER)
    view = pick(app, "feedback_first_date_pick", "2026-03-03")
    preview = preview_in_modal(view)
    assert f"What <@{MANAGER}> will see next time" in text_of(view["blocks"])
    assert "Progress so far" in text_of(preview) and "&lt;!channel&gt;" in text_of(preview)
    assert app.slack.submit(EMPLOYEE, {**MODAL_VALUES, "manager": MANAGER}).status == 200
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    same_but_the_buttons(preview, dm)
    assert not app.fake.rejections


def test_the_modal_preview_follows_the_share_choice_and_edited_questions(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    plan_with_a_hostile_step_done(app)
    open_schedule_modal(app)
    view = pick(app, "feedback_manager_pick", MANAGER)
    assert "feedback_progress" in [b["block_id"] for b in preview_in_modal(view)]
    # Untick "My progress since the last request": the preview drops it.
    view = pick_with(app, "feedback_share_pick", [], {"share": []})
    assert "feedback_progress" not in [b["block_id"] for b in preview_in_modal(view)]
    # Edit the questions, then "Update the preview".
    typed = {"share": [], "questions": "How is my *follow-up*?\nAnything else?"}
    view = pick_with(app, "feedback_preview_refresh", "preview", typed)
    preview = preview_in_modal(view)
    assert "1. How is my \u2217follow-up\u2217?\\n2. Anything else?" in text_of(preview)
    response = app.slack.submit(EMPLOYEE, {**MODAL_VALUES, **typed, "manager": MANAGER})
    assert response.status == 200 and response.json()["response_action"] == "update"
    assert schedule_of(db).share_progress is False
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    same_but_the_buttons(preview, dm)
    assert "Progress" not in text_of(dm["blocks"]) and HOSTILE_STEP[:10] not in text_of(dm)
    assert not app.fake.rejections


def pick_with(app: RunningApp, action_id: str, value: Any, values: Json) -> Json:
    before = app.slack.top_view(EMPLOYEE)["hash"]
    app.slack.click_in_view(EMPLOYEE, action_id, value=value, values=values)
    return app.slack.wait_for(
        lambda: (v := app.fake.view_stack(EMPLOYEE)[-1]) and v["hash"] != before and v,
        what=f"the modal redrawn after {action_id}",
    )


def test_the_app_home_shows_what_the_manager_will_see_next_time(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    plan_with_a_hostile_step_done(app)
    set_up_schedule(app, end="plan_closed", end_count=None)
    home_text(app, EMPLOYEE, "will see next time")
    home = app.fake.home(EMPLOYEE)
    assert home is not None
    assert f"What <@{MANAGER}> will see next time" in text_of(home["blocks"])
    first_preview = preview_on_home(home)
    app.clock.set(FIRST_SEND)
    app.tick()
    [first] = request_dms(app)
    same_but_the_buttons(first_preview, first)

    # After it went out, the home previews the next one: progress since then, none yet.
    app.slack.open_home(EMPLOYEE)
    home_text(app, EMPLOYEE, "Progress since the last request")
    # The share choice, on the home: untick it, and the next request leaves progress out.
    shown = json.loads(click_home(app, EMPLOYEE, "feedback_share_toggle", []))
    assert schedule_of(db).share_progress is False
    second_preview = preview_on_home(shown)
    assert "feedback_progress" not in [b["block_id"] for b in second_preview]
    assert "Your progress is left out" in text_of(shown["blocks"])
    app.clock.set(FIRST_SEND + timedelta(days=7) - timedelta(hours=1))  # New York is on DST
    app.tick()
    second = request_dms(app)[-1]
    same_but_the_buttons(second_preview, second)
    assert not app.fake.rejections


def test_only_the_employee_changes_what_their_manager_sees(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    plan_with_a_hostile_step_done(app)
    set_up_schedule(app, end="plan_closed", end_count=None)
    home_text(app, EMPLOYEE, "will see next time")
    home = app.fake.home(EMPLOYEE)
    assert home is not None
    forge_click(app, COLLEAGUE, home, "feedback_share_toggle", [])
    refusal = app.slack.wait_for(lambda: app.fake.messages(COLLEAGUE), what="a refusal")[-1]
    assert "isn't yours" in refusal["text"]
    assert schedule_of(db).share_progress is True

    # A colleague's own modal, its metadata forged to name the employee's schedule: their
    # preview never shows the employee's plan.
    open_schedule_modal(app, user=COLLEAGUE)
    pick(app, "feedback_manager_pick", MANAGER, user=COLLEAGUE)
    view = app.slack.top_view(COLLEAGUE)
    metadata = json.loads(view["private_metadata"]) | {"schedule_id": schedule_of(db).id}
    forged = {**view, "private_metadata": json.dumps(metadata)}
    block_id, element = app.slack._locate(forged["blocks"], "feedback_preview_refresh", None)
    payload = payloads.block_actions(
        team_id="T0001",
        user_id=COLLEAGUE,
        user_name="chandra",
        actions=[payloads.action_entry(element, block_id)],
        trigger_id=app.fake.issue_trigger(COLLEAGUE),
        container={"type": "view", "view_id": view["id"]},
        view=forged,
        state=payloads.initial_state(forged),
    )
    assert app.slack.interact(payload).status == 200
    redrawn = app.slack.wait_for(
        lambda: (v := app.fake.view_stack(COLLEAGUE)[-1]) and v["hash"] != view["hash"] and v,
        what="the colleague's modal redrawn",
    )
    assert "feedback_preview_intro" in text_of(redrawn["blocks"])
    assert "Called the buyer" not in text_of(redrawn) and "Acme" not in text_of(redrawn)
    assert not app.fake.rejections
