"""Every kind of due work, in one place.

A due-work row names its subject by id alone, so its kind also says which table the subject is
in. The values are stored in due_work.kind: changing one strands the rows already waiting.
What each kind sends is in slackapp/jobs/handlers.py; a test checks every kind here has a job.
"""

from __future__ import annotations

# Stage 1, the repair plan (subject: a step, or the plan).
STEP_REMINDER = "step_reminder"  # 09:00 on a step's due date
ACT_QUICKLY = "act_quickly"  # a serious situation and no meeting requested after a day

# Stage 3, the meeting request (subject: the meeting request).
MEETING_NUDGE = "meeting_nudge"  # the manager has not answered after 2 working days
MEETING_EXPIRY = "meeting_expiry"  # a week without an answer
MEETING_EXPIRED_MANAGER = "meeting_expired_manager"  # the manager's DM loses its buttons
MEETING_REMINDER_EMPLOYEE = "meeting_reminder_employee"  # shortly before the meeting
MEETING_REMINDER_MANAGER = "meeting_reminder_manager"
MEETING_FOLLOWUP = "meeting_followup"  # "How did it go?"

# Stage 4, feedback requests (subject: the feedback request).
FEEDBACK_REQUEST = "feedback_request"  # the manager's DM
FEEDBACK_NUDGE = "feedback_nudge"  # one reminder after 2 working days
FEEDBACK_REQUEST_CLOSED = "feedback_request_closed"  # a missed request's DM, updated in place
FEEDBACK_NUDGE_CLOSED = "feedback_nudge_closed"  # ... and its reminder
FEEDBACK_MANAGER_UNREACHABLE = "feedback_manager_unreachable"  # the employee learns why
FEEDBACK_MISSED_NOTICE = "feedback_missed_notice"  # the employee learns requests were missed
# The Workflow Builder step (subject: its feedback request): Slack is told how the step ended.
WORKFLOW_STEP_ENDED = "workflow_step_ended"  # answered, or closed without an answer
WORKFLOW_STEP_DEADLINE = "workflow_step_deadline"  # 7 days without an answer
FEEDBACK_HELD_NOTICE = "feedback_held_notice"  # the manager is away: when the request reaches them
FEEDBACK_ANSWER_NOTICE = "feedback_answer_notice"  # the employee gets the manager's answer

# The private check-in (subject: the person): "How are you holding up?", weekly, if they asked.
CHECKIN = "checkin"

# Leave (subject: the person who said "I'm away until ...").
WELCOME_BACK = "welcome_back"  # the working morning after: paused requests resume

# Retention (subject: the workspace, the person, or the paused feedback schedule).
WORKSPACE_PURGE = "workspace_purge"
PERSON_PURGE = "person_purge"
SCHEDULE_RESUME_NOTICE = "schedule_resume_notice"  # how to resume a schedule paused while away

# The kinds whose subject is a meeting request, and those whose subject is a feedback request.
MEETING = (
    MEETING_NUDGE,
    MEETING_EXPIRY,
    MEETING_EXPIRED_MANAGER,
    MEETING_REMINDER_EMPLOYEE,
    MEETING_REMINDER_MANAGER,
    MEETING_FOLLOWUP,
)
FEEDBACK = (
    FEEDBACK_REQUEST,
    FEEDBACK_NUDGE,
    FEEDBACK_REQUEST_CLOSED,
    FEEDBACK_NUDGE_CLOSED,
    FEEDBACK_MANAGER_UNREACHABLE,
    FEEDBACK_MISSED_NOTICE,
    WORKFLOW_STEP_ENDED,
    WORKFLOW_STEP_DEADLINE,
    FEEDBACK_HELD_NOTICE,
    FEEDBACK_ANSWER_NOTICE,
)
ALL = (
    STEP_REMINDER,
    ACT_QUICKLY,
    *MEETING,
    *FEEDBACK,
    CHECKIN,
    WELCOME_BACK,
    WORKSPACE_PURGE,
    PERSON_PURGE,
    SCHEDULE_RESUME_NOTICE,
)
