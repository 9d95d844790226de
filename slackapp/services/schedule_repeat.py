"""How often a feedback schedule repeats, as the schedule modal offers it: weekly, every 2 weeks,
monthly on the nth weekday, or (when the first date allows both) on the other monthly weekday.

The modal's second monthly choice is its own repeat value, MONTHLY_WEEK; a saved schedule is
always MONTHLY with the week it chose."""

from __future__ import annotations

from datetime import date

from models import FeedbackSchedule
from slackapp.kernel import recurrence as rec

MONTHLY_WEEK = "monthly_week"
CHOICES = (rec.WEEKLY, rec.EVERY_2_WEEKS, rec.MONTHLY, MONTHLY_WEEK)


def modal_repeat(schedule: FeedbackSchedule, first: date) -> str:
    """The modal's choice for a saved schedule whose next request falls on `first`."""
    if schedule.repeat == rec.MONTHLY and rec.monthly_choices(first)[0] != (
        schedule.monthly_week or rec.default_monthly_week(first)
    ):
        return MONTHLY_WEEK
    return schedule.repeat


def offered(repeat: str, first: date | None) -> str:
    """The choice, if the modal still offers it for this first date: else plain monthly."""
    if repeat == MONTHLY_WEEK and (first is None or len(rec.monthly_choices(first)) < 2):
        return rec.MONTHLY
    return repeat


def rule_for(repeat: str, first: date) -> tuple[str, int | None]:
    """(repeat, monthly week) to save for the modal's choice."""
    if repeat not in (rec.MONTHLY, MONTHLY_WEEK):
        return repeat, None
    choices = rec.monthly_choices(first)
    week = choices[1] if repeat == MONTHLY_WEEK and len(choices) > 1 else choices[0]
    return rec.MONTHLY, week
