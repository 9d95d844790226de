"""The reflection: its rules, its hints, and edits that keep commitments in place."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from slackapp.services import plans, reflections
from slackapp.services.plans import NotYours, PlanDraft, PlanNotActive, StepDraft
from slackapp.services.reflections import ReflectionDraft
from slackapp.views.reflection_hints import HINTS, hints_for
from tests.unit.test_plan_services import person

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_every_factor_has_two_or_three_example_commitments() -> None:
    assert list(HINTS) == list(reflections.FACTORS)
    assert all(2 <= len(examples) <= 3 for examples in HINTS.values())
    assert HINTS["time_management"][0] == "Block 30 minutes each morning to plan the day"
    assert hints_for(["communication", "bogus", "time_management"]) == [
        ("Time management", HINTS["time_management"]),
        ("Communication", HINTS["communication"]),
    ]


def test_validation_wants_a_cause_and_at_least_one_concrete_commitment() -> None:
    errors = reflections.validate_reflection(
        ReflectionDraft(root_cause="  ", commitments=["", "x" * 301], private_notes="n" * 3001)
    )
    assert set(errors) == {"root_cause", "commitment_0", "commitment_1", "private_notes"}
    assert reflections.validate_reflection(ReflectionDraft(root_cause="c", commitments=[]))
    ok = ReflectionDraft(root_cause="Rushed 😬 <&>", commitments=["Check the order twice"])
    assert reflections.validate_reflection(ok) == {}


def test_save_then_edit_keeps_commitment_rows_by_position(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db, owner=owner, draft=PlanDraft(title="t", steps=[StepDraft("s")]), now=NOW
    )
    first = reflections.save_reflection(
        session=db,
        owner=owner,
        plan=plan,
        draft=ReflectionDraft(
            factors=["temper", "nonsense"],
            root_cause="I snapped",
            commitments=["Walk first", "Sleep on replies"],
            private_notes="only me",
        ),
        now=NOW,
    )
    ids = [c.id for c in first.commitments]
    assert first.factors == ["temper"] and first.private_notes == "only me"
    later = NOW + timedelta(hours=1)
    again = reflections.save_reflection(
        session=db,
        owner=owner,
        plan=plan,
        draft=ReflectionDraft(factors=[], root_cause="I snapped", commitments=["Walk, always"]),
        now=later,
    )
    assert again.id == first.id and again.updated_at == later
    assert [(c.id, c.text) for c in again.commitments] == [(ids[0], "Walk, always")]
    assert plans.commitments_of(plan) == ["Walk, always"]
    assert reflections.draft_of(again).commitments == ["Walk, always"]


def test_only_the_owner_of_an_active_plan_reflects(db: Session) -> None:
    owner, other = person(db), person(db, "UOTHER")
    plan = plans.create_plan(
        session=db, owner=owner, draft=PlanDraft(title="t", steps=[StepDraft("s")]), now=NOW
    )
    good = ReflectionDraft(root_cause="c", commitments=["do"])
    with pytest.raises(NotYours):
        reflections.save_reflection(session=db, owner=other, plan=plan, draft=good, now=NOW)
    plans.archive_plan(session=db, owner=owner, plan=plan, now=NOW)
    with pytest.raises(PlanNotActive):
        reflections.save_reflection(session=db, owner=owner, plan=plan, draft=good, now=NOW)
    assert plan.reflection is None
