"""Which job runs for which kind of due work: the whole table, in the journey's order.

Kinds are declared in slackapp/kernel/kinds.py; a test checks each has exactly one entry here.
"""

from __future__ import annotations

from slackapp.jobs import checkin, feedback, leave, meeting, plan, retention, workflow
from slackapp.jobs.registry import BeforeClaim, Chore, Handler
from slackapp.kernel import kinds

HANDLERS: dict[str, Handler] = {
    # Stage 1, the repair plan.
    kinds.STEP_REMINDER: plan.remind_of_step,
    kinds.ACT_QUICKLY: plan.nudge_to_act_quickly,
    # Stage 3, the meeting request.
    kinds.MEETING_NUDGE: meeting.nudge_manager,
    kinds.MEETING_EXPIRY: meeting.expire_request,
    kinds.MEETING_EXPIRED_MANAGER: meeting.clear_expired_buttons,
    kinds.MEETING_REMINDER_EMPLOYEE: meeting.remind_employee,
    kinds.MEETING_REMINDER_MANAGER: meeting.remind_manager,
    kinds.MEETING_FOLLOWUP: meeting.ask_how_it_went,
    # Stage 4, feedback requests.
    kinds.FEEDBACK_REQUEST: feedback.send_request,
    kinds.FEEDBACK_NUDGE: feedback.nudge_manager,
    kinds.FEEDBACK_REQUEST_CLOSED: feedback.close_request_message,
    kinds.FEEDBACK_NUDGE_CLOSED: feedback.close_nudge_message,
    kinds.FEEDBACK_MANAGER_UNREACHABLE: feedback.tell_employee_manager_unreachable,
    kinds.FEEDBACK_MISSED_NOTICE: feedback.tell_employee_requests_missed,
    # The Workflow Builder step.
    kinds.WORKFLOW_STEP_ENDED: workflow.report_ending,
    kinds.WORKFLOW_STEP_DEADLINE: workflow.report_ending,
    kinds.FEEDBACK_HELD_NOTICE: feedback.tell_employee_request_held,
    kinds.FEEDBACK_ANSWER_NOTICE: feedback.tell_employee_of_answer,
    # The private check-in.
    kinds.CHECKIN: checkin.ask_how_they_are,
    # Leave.
    kinds.WELCOME_BACK: leave.welcome_back,
    # Retention.
    kinds.SCHEDULE_RESUME_NOTICE: retention.tell_how_to_resume,
}

CHORES: dict[str, Chore] = {
    kinds.WORKSPACE_PURGE: retention.purge_uninstalled_workspace,
    kinds.PERSON_PURGE: retention.purge_deactivated_person,
}

# Run in this order at every tick, before due work is claimed.
BEFORE_CLAIM: list[BeforeClaim] = [
    feedback.make_due_requests,
]
