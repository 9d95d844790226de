"""What the feedback stage says when something can't be done or a field needs another look."""

from __future__ import annotations

from slackapp.services.feedback import Refusal
from slackapp.services.problems import Code, Problem, Problems
from slackapp.views.i18n import N_, _, ngettext
from slackapp.views.words import clock_time, zone_label

REFUSALS = {
    Refusal.SCHEDULE_STOPPED: N_("This schedule was stopped; set up a new one instead."),
    Refusal.NO_SCHEDULE: N_("Set up your feedback requests first, so I know who your manager is."),
    Refusal.NO_RATING: N_("Please choose a rating."),
    Refusal.REQUEST_GONE: N_("I can't find that feedback request any more."),
    Refusal.NOT_THE_MANAGER: N_(
        "This feedback request is for someone else, so only they can answer it."
    ),
    Refusal.ALREADY_ANSWERED: N_("You've already answered this one. Thank you!"),
    Refusal.REQUEST_CLOSED: N_(
        "This request has been closed (a newer one replaced it, or it was withdrawn)."
    ),
}


def refusal_text(refusal: Refusal) -> str:
    return _(REFUSALS[refusal])


def _schedule_problem(key: str, problem: Problem) -> str:
    code = problem.code
    if key == "manager":
        return _("That's you. Pick the person you report to: feedback requests go to them.")
    if key == "first_date":
        return _("That date has already passed in {zone}. Pick a later one.").format(
            zone=zone_label(problem.tz)
        )
    if key == "time":
        assert problem.at is not None
        return _(
            "That time has already passed today in {zone} (it is {time} there). Pick a later time or another day."
        ).format(zone=zone_label(problem.tz), time=clock_time(problem.at))
    if key == "end_count":
        if code is Code.OUT_OF_RANGE:
            return _("How many requests in all? A number from 1 to {limit}.").format(
                limit=problem.limit
            )
        sent = problem.count or 0
        return ngettext(
            "{count} request has gone out already; choose a larger number to send more.",
            "{count} requests have gone out already; choose a larger number to send more.",
            sent,
        ).format(count=sent)
    if key == "end_date":
        if code is Code.MISSING:
            return _("Pick the date of the last request.")
        return _("The last date must be on or after the first request's date.")
    if code is Code.NONE:
        return _("Add at least one question, one per line.")
    if code is Code.TOO_MANY:
        return _("Up to {limit} questions, one per line, please.").format(limit=problem.limit)
    return _("Please keep each question under {limit} characters.").format(limit=problem.limit)


def schedule_errors(problems: Problems) -> dict[str, str]:
    """The schedule modal's errors: its fields are its block ids."""
    return {key: _schedule_problem(key, problem) for key, problem in problems.items()}


NOT_YOURS = N_("That feedback schedule isn't yours, so I left it alone.")
NOT_YOURS_TO_CHANGE = N_("This schedule isn't yours to change.")
REQUEST_CLOSED = N_("This request is closed.")
CHOOSE_RATING = REFUSALS[Refusal.NO_RATING]
# The schedule modal's fields left empty, by block id.
MISSING = {
    "manager": N_("Pick your manager."),
    "first_date": N_("Pick the day of the first request."),
    "time": N_("Pick a time."),
    "repeat": N_("Choose how often."),
    "end": N_("Choose when to stop."),
}
PICK_MANAGER_AGAIN = N_("Please pick your manager again so I can check their time zone.")
