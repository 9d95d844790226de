"""Every public view and message builder in slackapp/views, called with the same typed text in
every field a person can type into: tests/unit/test_typed_text_in_views.py renders each once with
hostile text and once with plain words, and compares.

A new public function in slackapp/views must be added to CASES (a builder) or to NOT_BUILDERS
(with the reason it puts no typed text on a Slack surface); the test fails until it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from models import Commitment, Concern, MeetingRequest, Person, Plan, Reflection, Step
from slackapp.services.excuses import find_excuses
from slackapp.services.feedback_progress import Progress
from slackapp.services.journey import TITLES, StepProgress, StepState
from slackapp.services.plans import PlanDraft, PlanSummary, StepDraft
from slackapp.services.reflections import ReflectionDraft
from slackapp.views import feedback as fb
from slackapp.views import feedback_home as fb_home
from slackapp.views import feedback_messages as fb_msg
from slackapp.views import feedback_preview as fb_preview
from slackapp.views import help as help_views
from slackapp.views import journey as journey_views
from slackapp.views import meeting as meeting_views
from slackapp.views import meeting_home, meeting_messages, plan_messages, privacy, reflection
from slackapp.views import plan as plan_views
from slackapp.views.plan_state import PlanModalMeta

NOW = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
TODAY = date(2026, 3, 5)
EMPLOYEE = Person(id=1, slack_user_id="UEMP", tz="Europe/Berlin")
MANAGER = Person(id=2, slack_user_id="UBOSS", tz="America/New_York")


@dataclass(frozen=True)
class Case:
    build: Callable[[str], Any]  # typed text -> whatever the builder returns
    surface: str = "message"  # where its blocks go: message, modal or home
    shows_typed: bool = True  # False: takes no typed text at all


def plan_of(t: str) -> Plan:
    plan = Plan(
        id=7,
        title=t,
        what_happened=t,
        affected_user_ids=["U1"],
        affected_others=t,
        situation="demoted",
    )
    plan.steps = [
        Step(id=10, description=t, due_date=TODAY - timedelta(days=1), is_apology=True),
        Step(id=11, description=t, done_at=NOW),
        Step(id=12, description=t, due_date=TODAY),
    ]
    plan.reflection = Reflection(id=3, root_cause=t, factors=["communication"], private_notes="x")
    plan.reflection.commitments = [Commitment(id=4, text=t), Commitment(id=5, text=t)]
    return plan


def meeting_of(t: str, status: str = "pending") -> MeetingRequest:
    request = MeetingRequest(
        id=5,
        employee_id=1,
        manager_id=2,
        message=t + " It wasn't my fault",
        status=status,
        proposed_times=[
            (NOW + timedelta(days=1)).isoformat(),
            (NOW + timedelta(days=2)).isoformat(),
        ],
        shared={
            "plan_title": t,
            "steps": [{"text": t, "done": False, "due": "2026-03-09"}, {"text": t, "done": True}],
            "commitments": [t, t],
        },
        counter_time=NOW + timedelta(days=3),
        counter_note=t,
        decline_reason=t,
        accepted_time=NOW + timedelta(days=1),
        sent_at=NOW - timedelta(days=1),
    )
    request.concerns = [Concern(id=8, text=t, addressed_at=NOW), Concern(id=9, text=t)]
    return request


def progress_of(t: str) -> Progress:
    return Progress(
        since=NOW - timedelta(days=7),
        plan_title=t,
        steps_done=[t, t],
        steps_done_total=2,
        steps_total=3,
        concerns_addressed=[t],
        commitments=[t],
    )


def lines_of(t: str) -> fb_msg.ProgressLines:
    return fb_msg.progress_lines(progress_of(t), MANAGER.tz)


def preview_of(t: str) -> list[dict[str, Any]]:
    return fb_preview.next_request_preview(
        employee_user_id="UEMP", questions=[t, t], progress=progress_of(t), manager_tz=MANAGER.tz
    )


def journey_of(t: str) -> list[StepProgress]:
    return [
        StepProgress(key, TITLES[key][0], TITLES[key][1], StepState.IN_PROGRESS, t)
        for key in TITLES
    ]


def summary_of(t: str) -> PlanSummary:
    return PlanSummary(title=t, done=1, total=3, overdue=1, serious=True)


def history_of(t: str) -> list[fb_home.HistoryItem]:
    answers = [{"question": t, "answer": t}, {"question": t, "answer": ""}]
    return [
        fb_home.HistoryItem("Tue 3 Mar", "answered", "on_track", "On track", answers, True),
        fb_home.HistoryItem("Tue 24 Feb", "missed"),
        fb_home.HistoryItem("Tue 10 Mar", "sent"),
    ]


CARD = fb_home.ScheduleCard(1, "UBOSS", "Weekly on Tuesday at 09:00", "active", "Tue 10 Mar", "")
MODAL = "modal"
HOME = "home"


def _all_outcomes(t: str) -> list[str]:
    statuses = ["accepted", "counter_proposed", "declined", "cancelled", "expired", "pending"]
    return [
        meeting_messages.manager_outcome(meeting_of(t, s), employee=EMPLOYEE, manager=MANAGER)
        for s in statuses
    ]


CASES: dict[str, Case] = {
    # -- step 1 ------------------------------------------------------------------------------
    "plan.step_rows": Case(lambda t: plan_views.step_rows([StepDraft(t, TODAY, True, 1)]), MODAL),
    "plan.start_new_button": Case(
        lambda t: plan_views.start_new_button(7, "plan_start_new"), shows_typed=False
    ),
    "plan.plan_modal": Case(
        lambda t: plan_views.plan_modal(
            PlanDraft(t, t, ["U1"], t, steps=[StepDraft(t), StepDraft(t)]),
            PlanModalMeta(plan_id=7, replacing=6, step_ids=[10, None]),
        ),
        MODAL,
    ),
    "plan.add_step_modal": Case(
        lambda t: plan_views.add_step_modal(plan_of(t), StepDraft(t)), MODAL
    ),
    "plan.plan_saved_modal": Case(
        lambda t: plan_views.plan_saved_modal(summary_of(t), dated_steps=2), MODAL
    ),
    "plan.close_plan_button": Case(lambda t: plan_views.close_plan_button(7), shows_typed=False),
    "plan.plan_home_blocks": Case(
        lambda t: plan_views.plan_home_blocks(
            plan_of(t), summary_of(t), today=TODAY, tz=EMPLOYEE.tz, archived=2
        ),
        HOME,
    ),
    "plan_messages.step_reminder_message": Case(
        lambda t: plan_messages.step_reminder_message(plan_of(t).steps[0], plan_of(t))
    ),
    "plan_messages.step_done_message": Case(
        lambda t: plan_messages.step_done_message(plan_of(t).steps[1])
    ),
    "plan_messages.act_quickly_message": Case(
        lambda t: plan_messages.act_quickly_message(plan_of(t))
    ),
    # -- step 2 ------------------------------------------------------------------------------
    "reflection.hints_text": Case(
        lambda t: reflection.hints_text(["communication", "temper"]), shows_typed=False
    ),
    "reflection.reflection_modal": Case(
        lambda t: reflection.reflection_modal(
            ReflectionDraft(["communication"], t, [t, t], t), reflection.ReflectModalMeta(7, 2)
        ),
        MODAL,
    ),
    "reflection.no_plan_modal": Case(lambda t: reflection.no_plan_modal(), MODAL, False),
    "reflection.reflection_saved_modal": Case(
        lambda t: reflection.reflection_saved_modal(plan_of(t).reflection), MODAL, False
    ),
    "reflection.reflection_home_blocks": Case(
        lambda t: reflection.reflection_home_blocks(plan_of(t)), HOME
    ),
    # -- step 3 ------------------------------------------------------------------------------
    "meeting.compose_modal": Case(
        lambda t: meeting_views.compose_modal(
            meeting_views.ComposeForm("UBOSS", MANAGER.tz, None, message=t, steps_count=2)
        ),
        MODAL,
    ),
    "meeting.review_modal": Case(
        lambda t: meeting_views.review_modal(
            meeting_of(t),
            employee=EMPLOYEE,
            manager=MANAGER,
            excuses=find_excuses(meeting_of(t).message),
        ),
        MODAL,
    ),
    "meeting.accept_chooser_modal": Case(
        lambda t: meeting_views.accept_chooser_modal(meeting_of(t), manager=MANAGER), MODAL, False
    ),
    "meeting.propose_modal": Case(
        lambda t: meeting_views.propose_modal(
            meeting_of(t), by="manager", tz=MANAGER.tz, intro="Hi"
        ),
        MODAL,
        False,
    ),
    "meeting.decline_modal": Case(
        lambda t: meeting_views.decline_modal(meeting_of(t), employee=EMPLOYEE), MODAL, False
    ),
    "meeting.outcome_modal": Case(
        lambda t: meeting_views.outcome_modal(
            meeting_of(t), manager=MANAGER, message=("D1", "1.2")
        ),
        MODAL,
        False,
    ),
    "meeting.status_modal": Case(
        lambda t: meeting_views.status_modal(
            meeting_of(t, "accepted"), employee=EMPLOYEE, manager=MANAGER, now=NOW
        ),
        MODAL,
        False,
    ),
    "meeting.notice_modal": Case(
        lambda t: meeting_views.notice_modal("Meeting request", "Already answered."), MODAL, False
    ),
    "meeting_home.status_line": Case(
        lambda t: meeting_home.status_line(meeting_of(t), employee=EMPLOYEE, manager=MANAGER),
        shows_typed=False,
    ),
    "meeting_home.employee_request_blocks": Case(
        lambda t: meeting_home.employee_request_blocks(
            meeting_of(t, "counter_proposed"),
            employee=EMPLOYEE,
            manager=MANAGER,
            meeting_over=False,
        ),
        HOME,
        False,
    ),
    "meeting_home.concern_blocks": Case(
        lambda t: meeting_home.concern_blocks(meeting_of(t).concerns), HOME
    ),
    "meeting_home.manager_home_blocks": Case(
        lambda t: meeting_home.manager_home_blocks([(meeting_of(t), EMPLOYEE)], manager=MANAGER),
        HOME,
        False,
    ),
    "meeting_messages.shared_blocks": Case(lambda t: meeting_messages.shared_blocks(meeting_of(t))),
    "meeting_messages.manager_request_blocks": Case(
        lambda t: meeting_messages.manager_request_blocks(
            meeting_of(t), employee=EMPLOYEE, manager=MANAGER
        )
    ),
    "meeting_messages.manager_request_text": Case(
        lambda t: meeting_messages.manager_request_text(EMPLOYEE), shows_typed=False
    ),
    "meeting_messages.manager_outcome": Case(_all_outcomes, shows_typed=False),
    "meeting_messages.sent_text": Case(
        lambda t: meeting_messages.sent_text(MANAGER), shows_typed=False
    ),
    "meeting_messages.accepted_blocks": Case(
        lambda t: meeting_messages.accepted_blocks(
            meeting_of(t, "accepted"), reader=EMPLOYEE, other=MANAGER, by_reader=False
        ),
        shows_typed=False,
    ),
    "meeting_messages.counter_blocks": Case(
        lambda t: meeting_messages.counter_blocks(
            meeting_of(t, "counter_proposed"), employee=EMPLOYEE, manager=MANAGER
        )
    ),
    "meeting_messages.counter_settled_blocks": Case(
        lambda t: meeting_messages.counter_settled_blocks(meeting_of(t), employee=EMPLOYEE),
        shows_typed=False,
    ),
    "meeting_messages.declined_blocks": Case(
        lambda t: meeting_messages.declined_blocks(meeting_of(t, "declined"), manager=MANAGER)
    ),
    "meeting_messages.cancelled_text": Case(
        lambda t: meeting_messages.cancelled_text(EMPLOYEE), shows_typed=False
    ),
    "meeting_messages.reminder_text": Case(
        lambda t: meeting_messages.reminder_text(meeting_of(t), reader=EMPLOYEE, other=MANAGER),
        shows_typed=False,
    ),
    "meeting_messages.nudge_text": Case(
        lambda t: meeting_messages.nudge_text(meeting_of(t), employee=EMPLOYEE, manager=MANAGER),
        shows_typed=False,
    ),
    "meeting_messages.expiry_blocks": Case(
        lambda t: meeting_messages.expiry_blocks(meeting_of(t), manager=MANAGER), shows_typed=False
    ),
    "meeting_messages.followup_blocks": Case(
        lambda t: [
            meeting_messages.followup_blocks(meeting_of(t), manager=MANAGER, done=done)
            for done in (False, True)
        ],
        shows_typed=False,
    ),
    # -- step 4 ------------------------------------------------------------------------------
    "feedback.repeat_options": Case(lambda t: fb.repeat_options(TODAY), shows_typed=False),
    "feedback.cadence_modal": Case(
        lambda t: fb.cadence_modal(
            fb.CadenceModal("UBOSS", MANAGER.tz, cadence_id=3, first_date=TODAY, questions=[t, t]),
            fb_preview.modal_preview_blocks("UBOSS", preview_of(t)),
        ),
        MODAL,
    ),
    "feedback.confirmation_modal": Case(
        lambda t: fb.confirmation_modal(
            manager_user_id="UBOSS", summary="Weekly", times=["Tue 10 Mar"], changed=True
        ),
        MODAL,
        False,
    ),
    "feedback_home.employee_home_blocks": Case(
        lambda t: fb_home.employee_home_blocks(
            CARD,
            history_of(t),
            "improving",
            fb_preview.home_preview_blocks(
                cadence_id=1, manager_user_id="UBOSS", share=True, preview=preview_of(t)
            ),
        ),
        HOME,
    ),
    "feedback_home.manager_home_blocks": Case(
        lambda t: fb_home.manager_home_blocks([(4, "UEMP", "Tue 3 Mar")]), HOME, False
    ),
    "feedback_messages.progress_text": Case(lambda t: fb_msg.progress_text(lines_of(t))),
    "feedback_messages.questions_text": Case(lambda t: fb_msg.questions_text([t, t])),
    "feedback_messages.asked_text": Case(lambda t: fb_msg.asked_text("UEMP"), shows_typed=False),
    "feedback_messages.request_dm": Case(
        lambda t: fb_msg.request_dm(
            employee_user_id="UEMP",
            request_id=4,
            questions=[t, t],
            progress=lines_of(t),
            now_request=True,
        )
    ),
    "feedback_messages.closed_dm": Case(
        lambda t: fb_msg.closed_dm(employee_user_id="UEMP", note=fb_msg.MISSED_NOTE, questions=[t])
    ),
    "feedback_messages.answered_note": Case(
        lambda t: fb_msg.answered_note("On track", "Tue 3 Mar", "UEMP"), shows_typed=False
    ),
    "feedback_messages.nudge_dm": Case(
        lambda t: fb_msg.nudge_dm(employee_user_id="UEMP", request_id=4, asked_on="Tue 3 Mar"),
        shows_typed=False,
    ),
    "feedback_messages.answer_modal": Case(
        lambda t: fb_msg.answer_modal(request_id=4, employee_user_id="UEMP", questions=[t, t]),
        MODAL,
    ),
    "feedback_messages.feedback_for_employee": Case(
        lambda t: fb_msg.feedback_for_employee(
            manager_user_id="UBOSS",
            rating_mark=":star2:",
            rating_label="Exceeding expectations",
            answers=[{"question": t, "answer": t}, {"question": t, "answer": "  "}],
            discuss=True,
        )
    ),
    "feedback_messages.unreachable_text": Case(
        lambda t: fb_msg.unreachable_text("UBOSS"), shows_typed=False
    ),
    "feedback_messages.missed_text": Case(
        lambda t: fb_msg.missed_text(manager_user_id="UBOSS", dates=["a", "b"], next_send="soon"),
        shows_typed=False,
    ),
    "feedback_messages.already_waiting_text": Case(
        lambda t: fb_msg.already_waiting_text("UBOSS", "Tue 3 Mar", "https://x.slack.com/p1"),
        shows_typed=False,
    ),
    "feedback_preview.as_preview": Case(
        lambda t: fb_preview.as_preview(
            fb_msg.request_dm(
                employee_user_id="UEMP",
                request_id=4,
                questions=[t],
                progress=lines_of(t),
                now_request=False,
            )[1]
        )
    ),
    "feedback_preview.next_request_preview": Case(preview_of),
    "feedback_preview.modal_preview_blocks": Case(
        lambda t: [
            fb_preview.modal_preview_blocks("UBOSS", preview_of(t)),
            fb_preview.modal_preview_blocks(None, None),
        ],
        MODAL,
    ),
    "feedback_preview.home_preview_blocks": Case(
        lambda t: [
            fb_preview.home_preview_blocks(
                cadence_id=1, manager_user_id="UBOSS", share=share, preview=preview_of(t)
            )
            for share in (True, False)
        ],
        HOME,
    ),
    # -- the journey, help, your data --------------------------------------------------------
    "journey.step_blocks": Case(lambda t: journey_views.step_blocks(journey_of(t)), HOME),
    "journey.status_text": Case(lambda t: journey_views.status_text(journey_of(t))),
    "journey.journey_modal": Case(lambda t: journey_views.journey_modal(journey_of(t)), MODAL),
    "journey.home_view": Case(
        lambda t: [
            journey_views.home_view(journey_of(t), first_visit=first, extra_blocks=None)
            for first in (True, False)
        ],
        HOME,
    ),
    # Only a word's first 40 characters are shown: test_mrkdwn checks a short hostile word.
    "help.help_text": Case(lambda t: help_views.help_text(t), shows_typed=False),
    "privacy.data_home_blocks": Case(lambda t: privacy.data_home_blocks(), HOME, False),
    "privacy.deleted_text": Case(lambda t: privacy.deleted_text(1, 2, 3), shows_typed=False),
}

NOT_BUILDERS: dict[str, str] = {
    "feedback.when": "formats a time",
    "feedback.day": "formats a date",
    "feedback.in_both_zones": "formats a time in two zones",
    "feedback.read_cadence_values": "reads a submission",
    "feedback.parse_time": "reads a submission",
    "feedback_messages.progress_lines": "gathers data for progress_text, which is covered",
    "feedback_messages.read_answer_values": "reads a submission",
    "meeting.date_block": "a block id",
    "meeting.time_block": "a block id",
    "meeting_messages.when": "formats a time",
    "meeting_messages.zone_name": "formats a time zone",
    "meeting_messages.mention": "a mention of a stored Slack user id",
    "meeting_messages.cut": "cuts mrkdwn its caller built",
    "meeting_messages.section": "wraps mrkdwn its caller built (the builders above)",
    "meeting_messages.context": "wraps mrkdwn its caller built (the builders above)",
    "meeting_messages.dicts": "turns blocks into dicts",
    "mrkdwn.escape": "the escape itself: tests/unit/test_mrkdwn.py",
    "mrkdwn.quote": "the escape itself: tests/unit/test_mrkdwn.py",
    "plan.day": "formats a date",
    "plan_state.step_block": "a block id",
    "plan_state.parse_id": "reads a submission",
    "plan_state.state_values": "reads a submission",
    "plan_state.state_entry": "reads a submission",
    "plan_state.state_text": "reads a submission",
    "plan_state.step_from_state": "reads a submission",
    "plan_state.plan_draft_from_state": "reads a submission",
    "plan_state.error_blocks": "maps field errors to block ids",
    "reflection.commitment_block": "a block id",
    "reflection.factors_from": "reads a submission",
    "reflection.reflection_draft_from_state": "reads a submission",
    "reflection.error_blocks": "maps field errors to block ids",
}
