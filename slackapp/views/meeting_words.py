"""What stage 3 (talk to your boss) says in its notices, field errors and notification texts.

The listeners and jobs pick one of these; none of them holds words of its own. A mention is of a
Slack user id, never of anything typed."""

from __future__ import annotations

from models import MeetingStatus

TITLE = "Talk to your boss"
REQUEST_TITLE = "Meeting request"

# -- refusals and notices --------------------------------------------------------------------

NOT_YOURS = "That button belongs to someone else's meeting request, so I left it alone."
MOVED_ON = "This meeting request has already moved on."
ONLY_MANAGER = (
    "Only the manager this meeting request was sent to can answer it, so I left it alone."
)
ALREADY = "You've already answered this meeting request; nothing has changed."
NOT_PENDING = {
    MeetingStatus.EXPIRED: "This meeting request has expired.",
    MeetingStatus.CANCELLED: "This meeting request was cancelled.",
    MeetingStatus.NOT_MANAGER: "You said you aren't their manager; it's closed.",
}
YOU_CANCELLED = "You cancelled the meeting request."

# -- field errors ------------------------------------------------------------------------------

CHOOSE_MANAGER = "Choose your manager."
PROPOSE_A_TIME = "Propose at least one time."
WRITE_A_MESSAGE = "Write a few words to your manager."
CHOOSE_A_DAY = "Choose a day."
ADD_A_TIME = "Add a time for this day."
ADD_A_DAY = "Add a day for this time."
TIME_PASSED = "That time has already passed. Choose one in the future."

# -- notification texts (what a DM's notification and screen readers show) --------------------

ACCEPTED = "Your meeting was accepted"
COUNTER_ACCEPTED = "Meeting accepted"
CONFIRMED = "Meeting confirmed"
CANCELLED = "Cancelled"
YOU_PROPOSED = "You proposed another time"
THANKS = "Thank you"
HOW_DID_IT_GO = "How did your meeting go?"
EXPIRED = "Your meeting request expired"


def counter_text(manager_user_id: str) -> str:
    return f"<@{manager_user_id}> proposed another time for your meeting"


def declined_text(manager_user_id: str) -> str:
    return f"<@{manager_user_id}> declined the meeting"


def not_delivered_text(manager_user_id: str) -> str:
    return (
        f"Sorry, I couldn't deliver your meeting request to <@{manager_user_id}>. "
        "Please check you chose the right person and try again with `/secondchance meeting`."
    )


# -- the propose modal's intro, for whichever side proposes ---------------------------------


def manager_propose_intro(employee_user_id: str) -> str:
    return (
        f"<@{employee_user_id}> will see it in their own time zone and can accept it "
        "or propose another."
    )


def employee_propose_intro(manager_user_id: str) -> str:
    return (
        f"Propose a time that suits you both. It's read in <@{manager_user_id}>'s "
        "time zone, as they'll see it."
    )
