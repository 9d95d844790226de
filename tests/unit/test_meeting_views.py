"""Step 3's views are valid Block Kit at their limits, and show times in the reader's zone."""

from __future__ import annotations

from datetime import UTC, datetime

from models import Concern, MeetingRequest, Person
from slackapp.services.excuses import find_excuses
from slackapp.views import meeting as views
from slackapp.views.meeting_home import concern_blocks, manager_home_blocks
from slackapp.views.meeting_messages import (
    dicts,
    manager_request_blocks,
    when,
)
from slackapp.views.meeting_review import review_modal
from slacksim.fakeslack.validation import validate_blocks, validate_view

EMPLOYEE = Person(id=1, workspace_id=1, slack_user_id="UE", tz="Europe/Berlin")
MANAGER = Person(id=2, workspace_id=1, slack_user_id="UM", tz="America/New_York")


def _request(**changes: object) -> MeetingRequest:
    request = MeetingRequest(
        id=7,
        workspace_id=1,
        employee_id=1,
        manager_id=2,
        message="Sorry. " * 400,  # near the 2800-character cap
        proposed_times=[
            datetime(2026, 3, 3, 15, 0, tzinfo=UTC).isoformat(),
            datetime(2026, 3, 4, 19, 30, tzinfo=UTC).isoformat(),
            datetime(2026, 3, 5, 13, 0, tzinfo=UTC).isoformat(),
        ],
        shared={
            "plan_title": "A <plan> & more",
            "steps": [
                {"text": "s" * 500, "done": i % 2 == 0, "due": "2026-03-06"} for i in range(10)
            ],
            "commitments": ["c" * 500 for _ in range(10)],
        },
        status="pending",
    )
    for key, value in changes.items():
        setattr(request, key, value)
    return request


def test_times_read_in_each_zone() -> None:
    moment = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    assert when(moment, "America/New_York") == "Tue 3 Mar, 10:00 EST"
    assert when(moment, "Europe/Berlin") == "Tue 3 Mar, 16:00 CET"
    assert when(moment, "Asia/Kolkata") == "Tue 3 Mar, 20:30 IST"
    assert when(moment, "Not/AZone") == "Tue 3 Mar, 15:00 UTC"


def test_compose_modal_is_valid_before_and_after_the_manager_is_known() -> None:
    blank = views.compose_modal(views.ComposeForm(message="Hi", steps_count=2))
    assert validate_view(blank, "modal") == (None, [])
    assert "Choose your manager first" in str(blank["blocks"])
    known = views.compose_modal(
        views.ComposeForm(
            manager_user_id="UM",
            manager_tz="America/New_York",
            message="Hi",
            dates=["2026-03-03", None, None],
            times=["10:00", None, None],
            steps_count=2,
            commitments_count=1,
            share={"commitments"},
        )
    )
    assert validate_view(known, "modal") == (None, [])
    pickers = [
        b["element"] for b in known["blocks"] if b.get("block_id", "").startswith("meeting_time_")
    ]
    assert {p["timezone"] for p in pickers} == {"America/New_York"}
    share = next(b for b in known["blocks"] if b.get("block_id") == views.SHARE_BLOCK)
    assert [o["value"] for o in share["element"]["initial_options"]] == ["commitments"]
    assert "private notes are never shared" in share["hint"]["text"]


def test_the_manager_dm_at_its_largest_is_a_valid_message() -> None:
    request = _request()
    blocks = dicts(manager_request_blocks(request, employee=EMPLOYEE, manager=MANAGER))
    assert validate_blocks(blocks, "message") == []
    text = str(blocks)
    assert "A &lt;plan&gt; &amp; more" in text  # typed text cannot become mentions or links
    assert "Wed 4 Mar, 14:30 EST" in text


def test_review_modal_with_many_excuses_stays_within_slack_limits() -> None:
    request = _request(message="To be fair, not my fault. " * 100)
    review = review_modal(
        request, employee=EMPLOYEE, manager=MANAGER, excuses=find_excuses(request.message)
    )
    assert validate_view(review, "modal") == (None, [])
    assert review["submit"]["text"] == "Send anyway"
    # No live buttons in the preview: the employee cannot press the manager's Accept.
    assert not [b for b in review["blocks"] if b["type"] == "actions"]


def test_answer_modals_are_valid() -> None:
    request = _request()
    for view in (
        views.accept_chooser_modal(request, manager=MANAGER),
        views.propose_modal(request, by="manager", tz=MANAGER.tz, intro="Hi"),
        views.decline_modal(request, employee=EMPLOYEE),
        views.outcome_modal(request, manager=MANAGER, message=("D1", "1.0")),
        views.status_modal(
            _request(status="counter_proposed", counter_time=datetime(2026, 3, 4, tzinfo=UTC)),
            employee=EMPLOYEE,
            manager=MANAGER,
            now=datetime(2026, 3, 2, tzinfo=UTC),
        ),
    ):
        assert validate_view(view, "modal") == (None, []), view["callback_id"]


def test_home_sections_are_valid_with_many_items() -> None:
    concerns = [
        Concern(id=i, workspace_id=1, meeting_request_id=7, text="worry " * 100)
        for i in range(1, 30)
    ]
    blocks = dicts(concern_blocks(concerns))
    blocks += dicts(
        manager_home_blocks([(_request(id=i), EMPLOYEE) for i in range(1, 15)], manager=MANAGER)
    )
    assert validate_blocks(blocks, "home") == []
    assert len(blocks) < 60
