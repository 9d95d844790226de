"""What the feedback stage says when something can't be done or a field needs another look."""

from __future__ import annotations

from slackapp.services.feedback import Refusal
from slackapp.services.problems import Code, Problem, Problems
from slackapp.views.words import plural, zone_label

REFUSALS = {
    Refusal.SCHEDULE_STOPPED: "This schedule was stopped; set up a new one instead.",
    Refusal.NO_SCHEDULE: "Set up your feedback requests first, so I know who your manager is.",
    Refusal.NO_RATING: "Please choose a rating.",
    Refusal.REQUEST_GONE: "I can't find that feedback request any more.",
    Refusal.NOT_THE_MANAGER: "This feedback request is for someone else, so only they can "
    "answer it.",
    Refusal.ALREADY_ANSWERED: "You've already answered this one. Thank you!",
    Refusal.REQUEST_CLOSED: "This request has been closed (a newer one replaced it, or it was "
    "withdrawn).",
}


def refusal_text(refusal: Refusal) -> str:
    return REFUSALS[refusal]


def _schedule_problem(key: str, problem: Problem) -> str:
    code = problem.code
    if key == "manager":
        return "That's you. Pick the person you report to: feedback requests go to them."
    if key == "first_date":
        return f"That date has already passed in {zone_label(problem.tz)}. Pick a later one."
    if key == "time":
        assert problem.at is not None
        return (
            f"That time has already passed today in {zone_label(problem.tz)} "
            f"(it is {problem.at:%H:%M} there). Pick a later time or another day."
        )
    if key == "end_count":
        if code is Code.OUT_OF_RANGE:
            return f"How many requests in all? A number from 1 to {problem.limit}."
        return (
            f"{plural(problem.count or 0, 'request has', 'requests have')} gone out already; "
            "choose a larger number to send more."
        )
    if key == "end_date":
        if code is Code.MISSING:
            return "Pick the date of the last request."
        return "The last date must be on or after the first request's date."
    if code is Code.NONE:
        return "Add at least one question, one per line."
    if code is Code.TOO_MANY:
        return f"Up to {problem.limit} questions, one per line, please."
    return f"Please keep each question under {problem.limit} characters."


def schedule_errors(problems: Problems) -> dict[str, str]:
    """The schedule modal's errors: its fields are its block ids."""
    return {key: _schedule_problem(key, problem) for key, problem in problems.items()}


NOT_YOURS = "That feedback schedule isn't yours, so I left it alone."
NOT_YOURS_TO_CHANGE = "This schedule isn't yours to change."
REQUEST_CLOSED = "This request is closed."
CHOOSE_RATING = REFUSALS[Refusal.NO_RATING]
# The schedule modal's fields left empty, by block id.
MISSING = {
    "manager": "Pick your manager.",
    "first_date": "Pick the day of the first request.",
    "time": "Pick a time.",
    "repeat": "Choose how often.",
    "end": "Choose when to stop.",
}
PICK_MANAGER_AGAIN = "Please pick your manager again so I can check their time zone."
