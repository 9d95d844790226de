"""Issue 12, the first hour: the words people read. One way to write a zone, counts that read
right, limits said before they bite, and no internal names on screen."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from models import MeetingRequest, Person, Plan
from slackapp.services.plans import PlanDraft
from slackapp.services.reflections import ReflectionDraft, validate_reflection
from slackapp.views import meeting as meeting_views
from slackapp.views.feedback import ScheduleModal, schedule_modal
from slackapp.views.feedback_messages import answer_modal
from slackapp.views.meeting_home import status_line
from slackapp.views.meeting_messages import manager_request_blocks
from slackapp.views.plan import add_step_modal, plan_modal
from slackapp.views.plan_state import PlanModalMeta
from slackapp.views.reflection import ReflectionModalMeta, problem_text, reflection_modal
from slackapp.views.words import limit_hint, plural, shortened, shortened_typed, zone_label

WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
EMPLOYEE = Person(id=1, workspace_id=1, slack_user_id="UE", tz="Europe/Berlin")
MANAGER = Person(id=2, workspace_id=1, slack_user_id="UM", tz="America/New_York")


@pytest.mark.parametrize(
    ("tz", "at", "written"),
    [
        ("America/New_York", None, "New York time"),
        ("America/New_York", WINTER, "New York time (EST)"),
        ("America/New_York", SUMMER, "New York time (EDT)"),
        ("Europe/Berlin", SUMMER, "Berlin time (CEST)"),
        ("Asia/Kolkata", WINTER, "Kolkata time (IST)"),
        ("Asia/Dubai", WINTER, "Dubai time (UTC+4)"),
        ("Asia/Kathmandu", WINTER, "Kathmandu time (UTC+5:45)"),
        ("America/Argentina/Buenos_Aires", WINTER, "Buenos Aires time (UTC-3)"),
        ("UTC", WINTER, "UTC"),
        ("Not/A_Zone", None, "UTC"),
    ],
)
def test_a_zone_is_written_one_human_way(tz: str, at: datetime | None, written: str) -> None:
    assert zone_label(tz, at) == written


def test_counts_limits_and_shortened_texts_read_right() -> None:
    assert [plural(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    assert plural(1, "more person", "more people") == "1 more person"
    assert limit_hint(2800, "Make it yours.") == "Make it yours. Up to 2,800 characters."
    assert shortened("short", 10, "open the plan") == "short"
    cut = shortened("word " * 100, 120, "open the plan to read it all")
    assert len(cut) <= 120 and cut.endswith("_(shortened — open the plan to read it all)_")


def test_a_shortened_text_keeps_its_escapes_whole() -> None:
    """What the home shortens is typed text escaped for mrkdwn: the cut never leaves half an
    escape, and the note comes after the app's own marks, not inside them."""
    for pad in range(8):
        cut = shortened("x" * pad + "&amp;" * 40, 60, "read it elsewhere")
        assert len(cut) <= 60
        kept = cut.split("…")[0]
        assert kept.count("&") == kept.count("&amp;"), kept
    typed = "Be on time & say <early> *when* a date slips. " * 100
    struck = shortened_typed(typed, 300, "Download my data has it in full", wrap="~", one_line=True)
    assert len(struck) <= 300 and struck.startswith("~Be on time &amp; say &lt;early&gt;")
    assert struck.endswith("…~ _(shortened — Download my data has it in full)_")
    assert "*" not in struck and "<" not in struck
    quoted = shortened_typed("line one\n" + "two " * 200, 400, "see the DM", quoted=True)
    assert quoted.startswith(">line one\n>two") and quoted.endswith("… _(shortened — see the DM)_")
    assert shortened_typed("short & sweet", 400, "see the DM", quoted=True) == ">short &amp; sweet"


def _inputs(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in view["blocks"] if b.get("type") == "input"]


def _every_modal_with_text() -> list[dict[str, Any]]:
    plan = Plan(id=3, workspace_id=1, owner_id=1, title="Late delivery")
    request = MeetingRequest(id=7, workspace_id=1, employee_id=1, manager_id=2, message="Hi")
    form = meeting_views.ComposeForm(manager_user_id="UM", manager_tz="America/New_York")
    return [
        plan_modal(PlanDraft(), PlanModalMeta()),
        add_step_modal(plan),
        reflection_modal(ReflectionDraft(), ReflectionModalMeta(plan_id=3)),
        meeting_views.compose_modal(form),
        meeting_views.propose_modal(request, by="manager", tz="America/New_York", intro="Hi"),
        meeting_views.decline_modal(request, employee=EMPLOYEE),
        meeting_views.outcome_modal(request, manager=MANAGER, message=None),
        schedule_modal(ScheduleModal()),
        answer_modal(request_id=1, employee_user_id="UE", questions=["Am I on track?"]),
    ]


def test_every_text_input_says_its_limit_in_its_hint() -> None:
    checked = 0
    for view in _every_modal_with_text():
        for block in _inputs(view):
            element = block["element"]
            if element["type"] != "plain_text_input" or "max_length" not in element:
                continue
            hint = (block.get("hint") or {}).get("text", "")
            assert f"Up to {element['max_length']:,} characters." in hint, block["block_id"]
            checked += 1
    assert checked >= 12


def test_no_label_says_optional_twice_and_no_internal_name_is_shown() -> None:
    form = meeting_views.ComposeForm(manager_user_id="UM", manager_tz="America/New_York")
    labels = [b["label"]["text"] for b in _inputs(meeting_views.compose_modal(form))]
    # Slack adds "(optional)" to an optional input's label itself.
    assert not [label for label in labels if "optional" in label.lower()]
    assert "Second choice: day" in labels and "Third choice: time (New York time)" in labels
    shown = json.dumps([b["label"] for b in _inputs(meeting_views.compose_modal(form))])
    assert "America/" not in shown
    counter = MeetingRequest(id=7, status="counter_proposed", counter_time=None)
    line = status_line(counter, employee=EMPLOYEE, manager=MANAGER)
    assert "_" not in line.replace("<@UM>", "") and "they proposed another time" in line


def test_only_you_can_answer_it_goes_once_it_is_answered() -> None:
    request = MeetingRequest(id=7, message="Could we talk?", status="pending", shared={})
    request.proposed_times = [WINTER.isoformat()]
    waiting = json.dumps(
        [b.to_dict() for b in manager_request_blocks(request, employee=EMPLOYEE, manager=MANAGER)]
    )
    assert "Only you can answer it." in waiting
    answered = json.dumps(
        [
            b.to_dict()
            for b in manager_request_blocks(
                request, employee=EMPLOYEE, manager=MANAGER, outcome="*You declined this request.*"
            )
        ]
    )
    assert "Only you can answer it." not in answered
    assert "Sent privately to you with Second Chance." in answered


def test_the_reflection_asks_for_the_cause_in_plain_words() -> None:
    error = problem_text(
        "root_cause", validate_reflection(ReflectionDraft(root_cause=" "))["root_cause"]
    )
    assert "between you and you" not in error
    assert error == "In a sentence or two, name what really caused it. Only you will see it."


def test_a_long_waiting_list_says_how_many_more_are_in_the_messages() -> None:
    from slackapp.views import feedback_home, meeting_home

    waiting = [(n, f"U{n}", "Tue 3 Mar") for n in range(12)]
    shown = json.dumps([b.to_dict() for b in feedback_home.manager_home_blocks(waiting)])
    assert "U9>" in shown and "U10>" not in shown
    assert "And 2 more feedback requests: each is in your messages from Second Chance." in shown
    one_more = json.dumps([b.to_dict() for b in feedback_home.manager_home_blocks(waiting[:11])])
    assert "And 1 more feedback request:" in one_more
    requests = [
        (MeetingRequest(id=n, message="Hi", proposed_times=[], status="pending"), EMPLOYEE)
        for n in range(11)
    ]
    meetings = json.dumps(
        [b.to_dict() for b in meeting_home.manager_home_blocks(requests, manager=MANAGER)]
    )
    assert "And 1 more meeting request:" in meetings
