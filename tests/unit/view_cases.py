"""Every public view and message builder in slackapp/views, called with the same typed text in
every field a person can type into: tests/unit/test_typed_text_in_views.py renders each once with
hostile text and once with plain words, and compares. Steps 1 to 3 here, the rest in
view_cases_feedback.py; the sample rows they are built from in view_samples.py.

A new public function in slackapp/views must be added to CASES (a builder) or to NOT_BUILDERS
(with the reason it puts no typed text on a Slack surface); the test fails until it is.
"""

from __future__ import annotations

from slackapp.services.excuses import find_excuses
from slackapp.services.plans import PlanDraft, StepDraft
from slackapp.services.reflections import ReflectionDraft
from slackapp.views import language as language_views
from slackapp.views import meeting as meeting_views
from slackapp.views import (
    meeting_home,
    meeting_messages,
    meeting_review,
    meeting_section,
    plan_messages,
    reflection,
)
from slackapp.views import plan as plan_views
from slackapp.views.plan_state import PlanModalMeta
from tests.unit.view_cases_calendar import CALENDAR_CASES, CALENDAR_NOT_BUILDERS
from tests.unit.view_cases_expectations import EXPECTATION_CASES, EXPECTATION_NOT_BUILDERS
from tests.unit.view_cases_feedback import FEEDBACK_CASES
from tests.unit.view_cases_trust import TRUST_CASES
from tests.unit.view_cases_working_days import WORKING_DAYS_CASES, WORKING_DAYS_NOT_BUILDERS
from tests.unit.view_samples import (
    EMPLOYEE,
    HOME,
    LINK,
    MANAGER,
    MODAL,
    NOW,
    TODAY,
    Case,
    meeting_of,
    plan_of,
    summary_of,
)


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
            PlanDraft(t, t, ["U1"], t, steps=[StepDraft(t), StepDraft(t)], source_link=LINK),
            PlanModalMeta(plan_id=7, replacing=6, step_ids=[10, None], link=LINK),
        ),
        MODAL,
    ),
    "plan.add_step_modal": Case(
        lambda t: plan_views.add_step_modal(plan_of(t), StepDraft(t), link=LINK), MODAL
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
            ReflectionDraft(["communication"], t, [t, t], t), reflection.ReflectionModalMeta(7, 2)
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
    "meeting_review.review_modal": Case(
        lambda t: meeting_review.review_modal(
            meeting_of(t),
            employee=EMPLOYEE,
            manager=MANAGER,
            excuses=find_excuses(meeting_of(t).message),
            repeated=[t, t],
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
    "meeting_section.meeting_section_blocks": Case(
        lambda t: meeting_section.meeting_section_blocks(
            meeting_of(t, "counter_proposed"),
            employee=EMPLOYEE,
            manager=MANAGER,
            meeting_over=False,
            concerns=meeting_of(t).concerns,
        ),
        HOME,
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
}
CASES["language.language_home_blocks"] = Case(
    lambda t: language_views.language_home_blocks("de"),
    HOME,
    shows_typed=False,
)
CASES.update(FEEDBACK_CASES)
CASES.update(TRUST_CASES)
CASES.update(CALENDAR_CASES)
CASES.update(WORKING_DAYS_CASES)
CASES.update(EXPECTATION_CASES)

NOT_BUILDERS: dict[str, str] = {
    "workflow.step_error": "the app's own sentences, for the workflow's activity log",
    "workflow.step_outputs": "a Workflow Builder step's outputs: plain values, no Block Kit",
    "feedback_cards.schedule_summary": "words for a schedule's rule, none of them typed",
    "feedback_cards.schedule_card": "data for employee_home_blocks, which is covered",
    "feedback_cards.history_items": "data for employee_home_blocks, which is covered",
    "feedback_home.glance_rows": "which expectations trend_text lists (covered)",
    "trend_chart.chart_series": "the ratings to draw: data, no text",
    "trend_chart.chart_key": "a hash of the ratings",
    "trend_chart.chart_png": "a PNG with no words drawn in it",
    "trend_chart.chart_alt_text": "the alt text of chart_block, which is covered",
    "journey.summary_text": "a stage's line, escaped by stage_blocks and status_text (covered)",
    "journey.button_label": "the app's own label",
    "meeting_draft.draft_message": "plain text for the compose modal's input (the modal is covered)",
    "plan.progress_text": "the app's own count of steps done",
    "plan_state.problem_text": "the app's own sentences about a field",
    "plan_state.plan_errors": "the app's own sentences, on block ids",
    "reflection.problem_text": "the app's own sentences about a field",
    "reflection.reflection_errors": "the app's own sentences, on block ids",
    "reflection_hints.hints_for": "the app's own labels and examples",
    "feedback_words.refusal_text": "the app's own sentences",
    "feedback_words.schedule_errors": "the app's own sentences about the schedule's fields",
    "feedback.when": "formats a time",
    "feedback.day": "formats a date",
    "feedback.day_of": "formats a date",
    "feedback.in_both_zones": "formats a time in two zones",
    "feedback.read_schedule_values": "reads a submission",
    "feedback.parse_time": "reads a submission",
    "feedback_messages.progress_lines": "gathers data for progress_text, which is covered",
    "feedback_messages.read_answer_values": "reads a submission",
    "meeting.date_block": "a block id",
    "meeting.time_block": "a block id",
    "meeting.draft_revision": "reads the modal's metadata",
    "meeting_messages.when": "formats a time",
    "meeting_messages.mention": "a mention of a stored Slack user id",
    "meeting_messages.cut": "cuts mrkdwn its caller built",
    "meeting_messages.section": "wraps mrkdwn its caller built (the builders above)",
    "meeting_messages.context": "wraps mrkdwn its caller built (the builders above)",
    "meeting_messages.dicts": "turns blocks into dicts",
    "mrkdwn.escape": "the escape itself: tests/unit/test_mrkdwn.py",
    "mrkdwn.quote": "the escape itself: tests/unit/test_mrkdwn.py",
    "plan.day": "formats a date",
    "plan_state.step_block": "a block id",
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
    "refusal.request_value": "a button value",
    "refusal.field_error": "a modal field error: plain text, never mrkdwn",
    "refusal.undone_text": "a mention of a stored Slack user id",
    "plan_messages.already_active_text": "escapes the plan's title (mrkdwn.escape) and cuts it at "
    "60 characters on purpose, so it cannot read in full as the cases require",
    "meeting_words.counter_text": "a mention of a stored Slack user id",
    "meeting_words.declined_text": "a mention of a stored Slack user id",
    "meeting_words.not_delivered_text": "a mention of a stored Slack user id",
    "meeting_words.manager_propose_intro": "a mention of a stored Slack user id",
    "meeting_words.employee_propose_intro": "a mention of a stored Slack user id",
    "words.zone_label": "formats a time zone",
    "words.zone_abbreviation": "formats a time zone",
    "words.plural": "a count and a noun the app wrote",
    "words.limit_hint": "an input's hint: plain text, never mrkdwn",
    "words.shortened": "cuts mrkdwn its caller built (the builders above)",
    "words.short_date": "formats a date",
    "words.long_date": "formats a date",
    "words.weekday_name": "formats a weekday",
    "words.clock_time": "formats a time",
    "words.moment_in_zone": "formats a time in a zone",
    "words.format_list": "joins words its caller wrote",
    "excuse_words.reason_text": "the app's own sentence about an excuse",
    "excuse_words.language_name": "a language's name",
    "feedback_messages.rating_words": "the app's own label for a rating",
    "recurrence_words.describe": "words for a schedule's rule, none of them typed",
    "recurrence_words.monthly_choice": "words for a schedule's rule, none of them typed",
    "i18n.N_": "marks a sentence for translation",
    "i18n.babel_locale": "the reader's locale",
    "i18n.current_locale": "the reader's locale",
    "i18n.ngettext": "translates a counted sentence",
    "i18n.reading_as": "sets the reader's locale",
    "i18n.supported": "maps a Slack locale to a language",
    "i18n.read_as": "sets the reader's locale",
}
NOT_BUILDERS.update(CALENDAR_NOT_BUILDERS)
NOT_BUILDERS.update(WORKING_DAYS_NOT_BUILDERS)
NOT_BUILDERS.update(EXPECTATION_NOT_BUILDERS)
