"""What stage 3 (talk to your boss) says in its notices, field errors and notification texts.

The listeners and jobs pick one of these; none of them holds words of its own. A mention is of a
Slack user id, never of anything typed."""

from __future__ import annotations

from models import MeetingStatus
from slackapp.views.i18n import N_, _

TITLE = N_("Talk to your boss")
REQUEST_TITLE = N_("Meeting request")

# -- refusals and notices --------------------------------------------------------------------

NOT_YOURS = N_("That button belongs to someone else's meeting request, so I left it alone.")
MOVED_ON = N_("This meeting request has already moved on.")
ONLY_MANAGER = N_(
    "Only the manager this meeting request was sent to can answer it, so I left it alone."
)
ALREADY = N_("You've already answered this meeting request; nothing has changed.")
NOT_PENDING = {
    MeetingStatus.EXPIRED: N_("This meeting request has expired."),
    MeetingStatus.CANCELLED: N_("This meeting request was cancelled."),
    MeetingStatus.NOT_MANAGER: N_("You said you aren't their manager; it's closed."),
}
YOU_CANCELLED = N_("You cancelled the meeting request.")

# -- field errors ------------------------------------------------------------------------------

CHOOSE_MANAGER = N_("Choose your manager.")
PROPOSE_A_TIME = N_("Propose at least one time.")
WRITE_A_MESSAGE = N_("Write a few words to your manager.")
CHOOSE_A_DAY = N_("Choose a day.")
ADD_A_TIME = N_("Add a time for this day.")
ADD_A_DAY = N_("Add a day for this time.")
TIME_PASSED = N_("That time has already passed. Choose one in the future.")

# -- notification texts (what a DM's notification and screen readers show) --------------------

ACCEPTED = N_("Your meeting was accepted")
COUNTER_ACCEPTED = N_("Meeting accepted")
CONFIRMED = N_("Meeting confirmed")
CANCELLED = N_("Cancelled")
YOU_PROPOSED = N_("You proposed another time")
THANKS = N_("Thank you")
HOW_DID_IT_GO = N_("How did your meeting go?")
EXPIRED = N_("Your meeting request expired")


def counter_text(manager_user_id: str) -> str:
    return _("<@{manager}> proposed another time for your meeting").format(manager=manager_user_id)


def declined_text(manager_user_id: str) -> str:
    return _("<@{manager}> declined the meeting").format(manager=manager_user_id)


def not_delivered_text(manager_user_id: str) -> str:
    return _(
        "Sorry, I couldn't deliver your meeting request to <@{manager}>. Please check you chose the right person and try again with `/secondchance meeting`."
    ).format(manager=manager_user_id)


# -- the propose modal's intro, for whichever side proposes ---------------------------------


def manager_propose_intro(employee_user_id: str) -> str:
    return _(
        "<@{employee}> will see it in their own time zone and can accept it or propose another."
    ).format(employee=employee_user_id)


def employee_propose_intro(manager_user_id: str) -> str:
    return _(
        "Propose a time that suits you both. It's read in <@{manager}>'s time zone, as they'll see it."
    ).format(manager=manager_user_id)
