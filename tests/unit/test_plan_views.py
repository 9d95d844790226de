"""The plan and reflection views as pure functions: Slack's limits, and reading them back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from slack_sdk.models.blocks import Block

from models import Plan, Reflection, Situation, Step
from models.plan import Commitment
from slackapp.services.plans import MAX_STEPS, PlanDraft, StepDraft, plan_summary
from slackapp.services.reflections import MAX_COMMITMENTS, ReflectionDraft
from slackapp.views import plan as views
from slackapp.views import plan_messages, plan_state
from slackapp.views import reflection as rviews
from slackapp.views.reflection_hints import FACTOR_LABELS
from slacksim.fakeslack.payloads import filled_state
from slacksim.fakeslack.validation import validate_blocks, validate_view

TODAY = date(2026, 3, 5)


def valid(view: dict) -> dict:
    assert validate_view(view) == (None, []), validate_view(view)
    return view


def full_draft(rows: int) -> PlanDraft:
    return PlanDraft(
        title="t" * 150,
        what_happened="w" * 3000,
        affected_user_ids=["U1", "U2"],
        affected_others="o" * 500,
        situation=Situation.TERMINATED,
        steps=[StepDraft("s" * 500, date(2026, 3, 9), True, step_id=i) for i in range(rows)],
    )


def test_the_fullest_plan_modal_stays_inside_slack_limits() -> None:
    meta = plan_state.PlanModalMeta(plan_id=2**31, step_ids=[2**31] * MAX_STEPS)
    view = valid(views.plan_modal(full_draft(MAX_STEPS), meta))
    assert len(view["blocks"]) <= 100
    actions = [b for b in view["blocks"] if b.get("block_id") == "plan_rows"][0]["elements"]
    assert [a["action_id"] for a in actions] == ["plan_remove_row"]  # no "add" at the maximum
    assert "plan_replace" in [b.get("block_id") for b in view["blocks"]]


def test_a_new_plan_modal_offers_adding_a_step_but_not_removing_the_only_one() -> None:
    view = valid(views.plan_modal(PlanDraft(), plan_state.PlanModalMeta()))
    assert view["title"]["text"] == "New repair plan"
    actions = [b for b in view["blocks"] if b.get("block_id") == "plan_rows"][0]["elements"]
    assert [a["action_id"] for a in actions] == ["plan_add_row"]
    assert "plan_replace" not in [b.get("block_id") for b in view["blocks"]]


def test_what_the_modal_shows_reads_back_as_the_same_draft() -> None:
    draft = PlanDraft(
        title="Sorry 🙏 <@U123> & “Ωmega”",
        what_happened="line one\nline two",
        affected_user_ids=["U1"],
        affected_others=None,
        situation=Situation.DEMOTED,
        steps=[StepDraft("a", date(2026, 3, 9), True, step_id=7), StepDraft("b", step_id=None)],
    )
    meta = plan_state.PlanModalMeta(plan_id=3, step_ids=[7, None])
    view = valid(views.plan_modal(draft, meta))
    back = plan_state.PlanModalMeta.from_json(view["private_metadata"])
    assert back == meta
    assert plan_state.plan_draft_from_state(filled_state(view, {}), back) == draft


def test_errors_land_on_existing_blocks() -> None:
    errors = {"title": "a", "step_1_due_date": "b", "step_0_description": "c", "step_9_x": "d"}
    assert plan_state.error_blocks(errors, rows=2) == {
        "plan_title": "a",
        "plan_step_1_due": "b",
        "plan_step_0_text": "c",
    }


def test_tampered_metadata_reads_as_a_new_plan() -> None:
    assert plan_state.PlanModalMeta.from_json("not json") == plan_state.PlanModalMeta()
    meta = plan_state.PlanModalMeta.from_json(
        '{"plan":true,"steps":["x",4,1e400,99999999999999999999]}'
    )
    assert meta.plan_id is None and meta.step_ids == [None, 4, None, None]


def home(blocks: list[Block]) -> list[dict]:
    raw = [b.to_dict() for b in blocks]
    assert validate_blocks(raw, "home") == []
    return raw


def test_home_section_marks_overdue_done_and_escapes_what_was_typed() -> None:
    plan = Plan(id=1, title="<Acme> & co", affected_user_ids=["U1", "bad<id>"], situation="demoted")
    plan.steps = [
        Step(id=10, description="Call <@U9>", due_date=date(2026, 3, 4), is_apology=True),
        Step(id=11, description="Fix", done_at=datetime(2026, 3, 5, 9, 30, tzinfo=UTC)),
        Step(id=12, description="Later", due_date=date(2026, 3, 9)),
    ]
    blocks = home(
        views.plan_home_blocks(
            plan, plan_summary(plan, today=TODAY), today=TODAY, tz="Europe/Berlin", archived=2
        )
    )
    text = str(blocks)
    assert "&lt;Acme&gt; &amp; co" in text and "1 of 3 done" in text and "1 overdue" in text
    assert "<@U1>" in text and "bad<id>" not in text
    steps = {b["block_id"]: b for b in blocks if b.get("block_id", "").startswith("home_step_")}
    assert "Overdue" in steps["home_step_10"]["text"]["text"]
    assert "Call &lt;@U9&gt;" in steps["home_step_10"]["text"]["text"]
    assert "Done Thu 5 Mar, 10:30" in steps["home_step_11"]["text"]["text"]
    assert steps["home_step_11"]["accessory"]["initial_options"][0]["value"] == "done"
    assert "initial_options" not in steps["home_step_12"]["accessory"]
    assert "2 earlier plans are kept in history." in text


def test_reflection_modal_shows_hints_for_ticked_factors_and_reads_back() -> None:
    draft = ReflectionDraft(
        factors=["communication", "time_management"],
        root_cause="Rushed <it>",
        commitments=["one", "two"],
        private_notes="just me",
    )
    meta = rviews.ReflectionModalMeta(plan_id=5, rows=2)
    view = valid(rviews.reflection_modal(draft, meta))
    hints = next(b for b in view["blocks"] if b.get("block_id") == rviews.B_HINTS)["text"]["text"]
    assert "Block 30 minutes each morning to plan the day" in hints
    assert "Temper" not in hints
    assert rviews.reflection_draft_from_state(filled_state(view, {}), meta) == ReflectionDraft(
        factors=["time_management", "communication"],
        root_cause="Rushed <it>",
        commitments=["one", "two"],
        private_notes="just me",
    )
    widest = rviews.ReflectionModalMeta(plan_id=5, rows=MAX_COMMITMENTS)
    all_factors = ReflectionDraft(factors=list(FACTOR_LABELS), commitments=["x" * 300] * 8)
    valid(rviews.reflection_modal(all_factors, widest))


def test_reflection_on_the_home_never_shows_private_notes() -> None:
    plan = Plan(id=1, title="t")
    plan.reflection = Reflection(
        factors=["temper"], root_cause="cause", private_notes="SECRET NOTE"
    )
    plan.reflection.commitments = [Commitment(text="Walk <first>", position=0)]
    text = str(home(rviews.reflection_home_blocks(plan)))
    assert "Walk &lt;first&gt;" in text and "Temper" in text and "cause" in text
    assert "SECRET NOTE" not in text
    assert valid(rviews.no_plan_modal()) and valid(rviews.reflection_saved_modal(plan.reflection))


def test_dms_are_valid_messages() -> None:
    plan = Plan(id=1, title="t")
    step = Step(id=3, description="Call\nthem")
    for _text, blocks in (
        plan_messages.step_reminder_message(step, plan),
        plan_messages.step_done_message(step),
        plan_messages.act_quickly_message(plan),
    ):
        assert validate_blocks(blocks, "message") == []
    assert ">Call\n>them" in plan_messages.step_reminder_message(step, plan)[1][0]["text"]["text"]
