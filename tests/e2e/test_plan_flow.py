"""Step 1 end to end: signed requests in, the fake Slack out, rows in the database."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from models import Plan, PlanStatus, Step
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, RunningApp

Json = dict[str, Any]
TITLE = "Botched the Acme order 🙈 — <@UCOLLEAGUE> & “Ωmega” 日本語 <b>"


# -- helpers the reflection and reminder tests share --------------------------------------------


def top(app: RunningApp, user: str, callback_id: str, has_block: str | None = None) -> Json:
    """Wait until the user's top modal is `callback_id` (holding `has_block`, if given)."""

    def ready() -> Json | None:
        stack = app.fake.view_stack(user)
        if not stack or stack[-1].get("callback_id") != callback_id:
            return None
        ids = {b.get("block_id") for b in stack[-1]["blocks"]}
        return stack[-1] if has_block is None or has_block in ids else None

    return app.slack.wait_for(ready, what=f"{callback_id} with {has_block}")


def block(view: Json, block_id: str) -> Json:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def home_text(app: RunningApp, user: str, contains: str) -> str:
    return app.slack.wait_for(
        lambda: (
            (h := app.fake.home(user))
            and contains in json.dumps(h, ensure_ascii=False)
            and json.dumps(h, ensure_ascii=False)
        ),
        what=f"home with {contains!r}",
    )


def click_home(app: RunningApp, user: str, action_id: str, value: Any = None) -> str:
    """Click on the App Home and wait for the home the app publishes in answer."""
    published = app.fake.home_publishes()
    app.slack.click_in_view(user, action_id, home=True, value=value)
    app.slack.wait_for(lambda: app.fake.home_publishes() > published)
    return json.dumps(app.fake.home(user), ensure_ascii=False)


def plans_of(app: RunningApp) -> list[Plan]:
    with app.runtime.session_factory() as session:
        found = list(session.scalars(select(Plan).order_by(Plan.id)))
        for plan in found:
            _ = [s.description for s in plan.steps], plan.reflection
            if plan.reflection:
                _ = list(plan.reflection.commitments)
        session.expunge_all()
        return found


def step_values(steps: list[tuple[str, str | None, bool]]) -> Json:
    values: Json = {}
    for i, (text, due, apology) in enumerate(steps):
        values[f"plan_step_{i}_text"] = text
        values[f"plan_step_{i}_due"] = due
        values[f"plan_step_{i}_apology"] = ["apology"] if apology else []
    return values


def fill_plan(
    app: RunningApp, user: str, steps: list[tuple[str, str | None, bool]], base: Json
) -> Json:
    """Type into the open plan modal, pressing "Add another step" as often as needed."""
    view = top(app, user, "plan_modal")
    rows = sum(1 for b in view["blocks"] if str(b.get("block_id")).endswith("_text"))
    while rows < len(steps):
        typed = {**base, **step_values(steps[:rows])}
        app.slack.click_in_view(user, "plan_add_row", values=typed)
        view = top(app, user, "plan_modal", has_block=f"plan_step_{rows}_text")
        # What was typed before the click is still there.
        assert block(view, "plan_title")["element"].get("initial_value") == base.get("plan_title")
        rows += 1
    return {**base, **step_values(steps)}


def make_plan(
    app: RunningApp,
    user: str = EMPLOYEE,
    *,
    title: str = "Botched the Acme order",
    steps: list[tuple[str, str | None, bool]] | None = None,
    situation: str = "nothing_formal",
) -> Plan:
    app.slack.command(user, "plan")
    top(app, user, "plan_modal")
    values = fill_plan(
        app,
        user,
        steps or [("Call Acme and apologise", None, True)],
        {"plan_title": title, "plan_situation": situation},
    )
    response = app.slack.submit(user, values)
    assert response.json().get("response_action") == "update", response.body
    top(app, user, "plan_saved")
    home_text(app, user, "Your repair plan")
    return [p for p in plans_of(app) if p.status == PlanStatus.ACTIVE.value][-1]


def forge_click(app: RunningApp, user: str, view: Json, action_id: str, value: Any = None) -> None:
    """`user` sends a click on a view that is not theirs (a forged or replayed request)."""
    block_id, element = app.slack._locate(view["blocks"], action_id, None)
    payload = payloads.block_actions(
        team_id="T0001",
        user_id=user,
        user_name=user.lower(),
        actions=[payloads.action_entry(element, block_id, value)],
        trigger_id=app.fake.issue_trigger(user),
        container={"type": "view", "view_id": view["id"]},
        view=view,
        state=payloads.initial_state(view),
    )
    assert app.slack.interact(payload).status == 200


def forge_submit(app: RunningApp, user: str, view: Json, values: Json | None = None) -> Json:
    payload = payloads.view_submission(
        team_id="T0001",
        user_id=user,
        user_name=user.lower(),
        view=view,
        state=payloads.filled_state(view, values or {}),
        trigger_id=app.fake.issue_trigger(user),
    )
    return app.slack.interact(payload).json()


# -- the tests ----------------------------------------------------------------------------------


def test_a_plan_with_several_steps_is_saved_and_shown_on_the_app_home(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "plan")
    view = top(app, EMPLOYEE, "plan_modal")
    assert view["title"]["text"] == "New repair plan"
    base = {
        "plan_title": TITLE,
        "plan_what": "Sent 500 crates\ninstead of 50",
        "plan_people": [COLLEAGUE],
        "plan_others": "the buyer at Acme",
        "plan_situation": "removed_from_project",
    }
    steps = [
        ("Call the buyer & apologise <today>", "2026-03-02", True),
        ("Arrange the return of 450 crates", "2026-03-04", False),
        ("Say sorry to Chandra for the weekend work", None, True),
    ]
    response = app.slack.submit(EMPLOYEE, fill_plan(app, EMPLOYEE, steps, base))
    assert response.json()["response_action"] == "update"
    saved = top(app, EMPLOYEE, "plan_saved")
    assert "has 3 steps" in json.dumps(saved, ensure_ascii=False)

    (plan,) = plans_of(app)
    assert (plan.title, plan.what_happened, plan.affected_others) == (
        TITLE,
        "Sent 500 crates\ninstead of 50",
        "the buyer at Acme",
    )
    assert plan.affected_user_ids == [COLLEAGUE] and plan.situation == "removed_from_project"
    assert [(s.description, str(s.due_date), s.is_apology) for s in plan.steps] == [
        (text, str(due), apology) for text, due, apology in steps
    ]

    home = home_text(app, EMPLOYEE, "0 of 3 done")
    assert "Botched the Acme order 🙈 — &lt;@UCOLLEAGUE&gt; &amp; “Ωmega” 日本語 &lt;b&gt;" in home
    assert "Call the buyer &amp; apologise &lt;today&gt;" in home and "Due today" in home
    assert "Affected: <@UCOLLEAGUE>, the buyer at Acme" in home
    assert not app.fake.rejections


def test_a_step_is_ticked_done_and_unticked_on_the_app_home(running_app: RunningApp) -> None:
    app = running_app
    plan = make_plan(app, steps=[("Call Acme", "2026-03-03", True), ("Fix the order", None, False)])
    first, second = plan.steps
    app.clock.set(app.clock.now().replace(hour=10, minute=15))
    home = click_home(app, EMPLOYEE, f"plan_step_toggle_{first.id}", ["done"])
    assert "1 of 2 done" in home
    assert "Done Mon 2 Mar, 11:15" in home  # 10:15 UTC is 11:15 in Berlin
    step = block(app.fake.home(EMPLOYEE), f"home_step_{first.id}")
    assert step["accessory"]["initial_options"][0]["value"] == "done"
    done_at = next(s for s in plans_of(app)[0].steps if s.id == first.id).done_at
    assert done_at == app.clock.now()

    assert "0 of 2 done" in click_home(app, EMPLOYEE, f"plan_step_toggle_{first.id}", [])
    assert all(s.done_at is None for s in plans_of(app)[0].steps)

    assert "1 of 2 done" in click_home(app, EMPLOYEE, f"plan_step_toggle_{first.id}", ["done"])
    assert "2 of 2 done" in click_home(app, EMPLOYEE, f"plan_step_toggle_{second.id}", ["done"])
    # The journey reads the same rows: step 1 is done.
    app.slack.command(EMPLOYEE, "")
    journey = top(app, EMPLOYEE, "journey")
    assert ":white_check_mark: Done" in block(journey, "journey_plan")["text"]["text"]


def test_overdue_steps_are_marked(running_app: RunningApp) -> None:
    app = running_app
    make_plan(app, steps=[("Call Acme", "2026-03-03", False)])
    app.clock.set(app.clock.now().replace(day=4))
    app.slack.open_home(EMPLOYEE)
    home = home_text(app, EMPLOYEE, "Overdue")
    assert "was due Tue 3 Mar" in home and "1 overdue" in home


def test_invalid_input_is_refused_field_by_field_and_nothing_is_stored(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "plan")
    values = fill_plan(
        app,
        EMPLOYEE,
        [("x" * 501, None, False), ("   ", "2026-03-01", False)],
        {"plan_title": "   ", "plan_what": "w" * 3001, "plan_situation": "demoted"},
    )
    response = app.slack.submit(EMPLOYEE, values)
    body = response.json()
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {
        "plan_title",
        "plan_what",
        "plan_step_0_text",
        "plan_step_1_text",
        "plan_step_1_due",
    }
    assert "today or a later date" in body["errors"]["plan_step_1_due"]
    assert top(app, EMPLOYEE, "plan_modal")  # still open, nothing lost
    assert plans_of(app) == []

    too_long_title = {**values, "plan_title": "t" * 151, "plan_what": None}
    too_long_title |= step_values([("ok", None, False), ("ok too", "2026-03-02", False)])
    body = app.slack.submit(EMPLOYEE, too_long_title).json()
    assert set(body["errors"]) == {"plan_title"} and plans_of(app) == []


def test_editing_from_the_app_home_and_adding_a_step(running_app: RunningApp) -> None:
    app = running_app
    plan = make_plan(app, steps=[("Call Acme", "2026-03-03", True)])
    app.slack.click_in_view(EMPLOYEE, "plan_edit_open", home=True)
    view = top(app, EMPLOYEE, "plan_modal")
    assert view["title"]["text"] == "Your repair plan"
    assert block(view, "plan_step_0_text")["element"]["initial_value"] == "Call Acme"
    assert block(view, "plan_step_0_due")["element"]["initial_date"] == "2026-03-03"
    values = fill_plan(
        app,
        EMPLOYEE,
        [("Call Acme today", "2026-03-05", True), ("Refund the shipping", None, False)],
        {"plan_title": "Acme, take two", "plan_situation": "nothing_formal"},
    )
    assert app.slack.submit(EMPLOYEE, values).json()["response_action"] == "update"
    home_text(app, EMPLOYEE, "Acme, take two")
    (edited,) = plans_of(app)
    assert edited.id == plan.id and edited.steps[0].id == plan.steps[0].id
    assert [s.description for s in edited.steps] == ["Call Acme today", "Refund the shipping"]

    app.slack.click_in_view(EMPLOYEE, "plan_add_step_open", home=True)
    top(app, EMPLOYEE, "plan_add_step")
    bad = app.slack.submit(EMPLOYEE, {"plan_step_0_text": "", "plan_step_0_due": "2026-02-01"})
    assert set(bad.json()["errors"]) == {"plan_step_0_text", "plan_step_0_due"}
    app.slack.submit(EMPLOYEE, {"plan_step_0_text": "Write to the CFO", "plan_step_0_due": None})
    home_text(app, EMPLOYEE, "0 of 3 done")
    assert plans_of(app)[0].steps[-1].description == "Write to the CFO"


def test_starting_a_new_plan_asks_first_and_archives_the_old_one(running_app: RunningApp) -> None:
    app = running_app
    old = make_plan(app, title="The first mistake")
    home = app.fake.home(EMPLOYEE)
    button = next(
        e for e in block(home, "home_plan_actions")["elements"] if e["action_id"] == "plan_new_open"
    )
    assert button["confirm"]["confirm"]["text"] == "Start a new plan"
    assert "archived" in button["confirm"]["text"]["text"]

    # /secondchance plan opens the active plan (one at a time), with the same confirmed way out.
    app.slack.command(EMPLOYEE, "plan")
    edit = top(app, EMPLOYEE, "plan_modal")
    assert "confirm" in block(edit, "plan_replace")["elements"][0]
    app.slack.click_in_view(EMPLOYEE, "plan_start_new")
    app.slack.wait_for(
        lambda: top(app, EMPLOYEE, "plan_modal")["title"]["text"] == "New repair plan"
    )
    fresh = top(app, EMPLOYEE, "plan_modal")
    assert "archived" in block(fresh, "plan_intro")["text"]["text"]
    values = {"plan_title": "A fresh start", **step_values([("Begin again", None, False)])}
    app.slack.submit(EMPLOYEE, values)
    home = home_text(app, EMPLOYEE, "A fresh start")
    assert "1 earlier plan is kept in history." in home and "The first mistake" not in home
    first, second = plans_of(app)
    assert (first.id, first.status, second.status) == (old.id, "archived", "active")

    # The same "new plan" form sent again (a double submit) does not replace the new plan.
    again = forge_submit(app, EMPLOYEE, fresh, values)
    assert "already have a plan in progress" in again["errors"]["plan_title"]
    assert [p.status for p in plans_of(app)] == ["archived", "active"]


def test_the_journey_buttons_open_the_plan_modal(running_app: RunningApp) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "")
    top(app, EMPLOYEE, "journey")
    app.slack.click_in_view(EMPLOYEE, "journey_open_plan", value="plan")
    top(app, EMPLOYEE, "plan_modal")
    assert len(app.fake.view_stack(EMPLOYEE)) == 2  # pushed on the journey
    app.fake.close_views(EMPLOYEE)
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE))
    app.slack.click_in_view(EMPLOYEE, "journey_open_plan", home=True, value="plan")
    top(app, EMPLOYEE, "plan_modal")
    assert len(app.fake.view_stack(EMPLOYEE)) == 1


def test_another_user_is_refused_changes_nothing_and_learns_nothing(
    running_app: RunningApp,
) -> None:
    app = running_app
    plan = make_plan(app, title=TITLE, steps=[("Secret step text", "2026-03-05", True)])
    step_id = plan.steps[0].id
    home = app.fake.home(EMPLOYEE)
    app.slack.command(EMPLOYEE, "plan")
    edit_view = top(app, EMPLOYEE, "plan_modal")
    calls_before = len(app.fake.calls)

    forge_click(app, COLLEAGUE, home, f"plan_step_toggle_{step_id}", ["done"])
    for action_id in ("plan_edit_open", "plan_add_step_open", "plan_new_open"):
        forge_click(app, COLLEAGUE, home, action_id)
    forge_click(app, COLLEAGUE, edit_view, "plan_add_row")
    forge_click(app, COLLEAGUE, edit_view, "plan_start_new")
    answer = forge_submit(
        app, COLLEAGUE, edit_view, {"plan_title": "Hijacked", "plan_step_0_text": "gone"}
    )
    assert answer["response_action"] == "errors"
    assert "nothing was changed" in answer["errors"]["plan_title"]
    refusals = app.slack.wait_for(
        lambda: len(m := app.fake.messages(COLLEAGUE)) >= 6 and m, what="six refusals"
    )
    assert all("nothing was changed" in m["text"] for m in refusals)

    (unchanged,) = plans_of(app)
    assert (unchanged.title, unchanged.steps[0].description) == (TITLE, "Secret step text")
    assert unchanged.steps[0].done_at is None and unchanged.status == "active"
    later = app.fake.calls[calls_before:]
    assert not [c for c in later if c.method in ("views.open", "views.update", "views.push")]
    told = json.dumps([c.args for c in later], ensure_ascii=False)
    assert "Secret step text" not in told and "Acme" not in told
    assert app.fake.view_stack(COLLEAGUE) == []
    assert app.fake.view_stack(EMPLOYEE)[-1]["id"] == edit_view["id"]
    with app.runtime.session_factory() as session:
        assert session.scalar(select(Step.done_at).where(Step.id == step_id)) is None
