"""A feedback schedule's rule in words: "Weekly on Tuesday", "Monthly on the last Friday".

Each ordinal is its own sentence, so that every language can place and inflect it as it needs.
"""

from __future__ import annotations

from datetime import date

from slackapp.kernel import recurrence as rec
from slackapp.views.i18n import N_, _
from slackapp.views.words import weekday_name

# "Monthly on the second Tuesday", by week of the month.
_MONTHLY = {
    1: N_("Monthly on the first {weekday}"),
    2: N_("Monthly on the second {weekday}"),
    3: N_("Monthly on the third {weekday}"),
    4: N_("Monthly on the fourth {weekday}"),
    rec.LAST: N_("Monthly on the last {weekday}"),
}
# The same, as a choice in the schedule modal.
_MONTHLY_CHOICE = {
    1: N_("Monthly, on the first {weekday}"),
    2: N_("Monthly, on the second {weekday}"),
    3: N_("Monthly, on the third {weekday}"),
    4: N_("Monthly, on the fourth {weekday}"),
    rec.LAST: N_("Monthly, on the last {weekday}"),
}


def describe(rule: rec.Rule) -> str:
    """ "Every 2 weeks on Tuesday", "Monthly on the last Friday" ..."""
    weekday = weekday_name(rule.first_date)
    if rule.repeat == rec.WEEKLY:
        return _("Weekly on {weekday}").format(weekday=weekday)
    if rule.repeat == rec.EVERY_2_WEEKS:
        return _("Every 2 weeks on {weekday}").format(weekday=weekday)
    week = rule.monthly_week or rec.default_monthly_week(rule.first_date)
    return _(_MONTHLY[week]).format(weekday=weekday)


def monthly_choice(week: int, first_date: date) -> str:
    """ "Monthly, on the second Tuesday": a monthly choice for the schedule modal."""
    return _(_MONTHLY_CHOICE[week]).format(weekday=weekday_name(first_date))
