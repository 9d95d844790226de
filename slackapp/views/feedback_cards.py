"""Step 4's App Home as data: the employee's schedule card and feedback history, drawn by
feedback_home.employee_home_blocks, and the words for a schedule's rule."""

from __future__ import annotations

from models import FeedbackRequest, FeedbackSchedule, Person
from models.feedback import FeedbackRequestStatus, PausedReason, ScheduleEnd, ScheduleStatus
from slackapp.services import feedback as svc
from slackapp.services.working_time import calendar_of
from slackapp.views.feedback import day
from slackapp.views.feedback_home import HistoryItem, ScheduleCard
from slackapp.views.feedback_messages import rating_words
from slackapp.views.i18n import _, ngettext
from slackapp.views.recurrence_words import describe
from slackapp.views.words import clock_time, long_date, zone_label
from slackapp.views.working_time import away_paused_note, country_names, held_note, send_times

HISTORY_SHOWN = 8  # the newest requests listed on the App Home


def schedule_summary(schedule: FeedbackSchedule) -> str:
    """ "Every 2 weeks on Tuesday at 09:00 (America/New_York)" """
    return _("{rule} at {time} {zone}").format(
        rule=describe(svc.rule_of(schedule)),
        time=clock_time(schedule.time_of_day),
        zone=zone_label(schedule.tz),
    )


def _ends(schedule: FeedbackSchedule) -> str:
    if schedule.end_kind == ScheduleEnd.AFTER_COUNT.value:
        return ngettext(
            "Ends after {count} request ({sent} so far).",
            "Ends after {count} requests ({sent} so far).",
            schedule.end_count or 0,
        ).format(count=schedule.end_count or 0, sent=schedule.occurrence_count)
    if schedule.end_kind == ScheduleEnd.ON_DATE.value and schedule.end_date is not None:
        return _("Ends on {day}.").format(day=long_date(schedule.end_date))
    return _("Ends when your plan is closed.")


def _next_send(schedule: FeedbackSchedule, manager: Person, person: Person) -> str | None:
    """The next send time, and why it was moved when it was ("Fri 25 Dec is Christmas Day in
    Germany: moved to Mon 28 Dec")."""
    cal = svc.manager_calendar(schedule, manager)
    lines = send_times(
        svc.upcoming_sends(schedule, cal, 1),
        manager_tz=schedule.tz,
        employee_tz=person.tz,
        country=country_names().get(cal.country or ""),
        manager_user_id=manager.slack_user_id,
    )
    return lines[0] if lines else None


def schedule_card(
    schedule: FeedbackSchedule,
    *,
    manager: Person,
    person: Person,
    waiting: FeedbackRequest | None,
) -> ScheduleCard:
    """`waiting`: the person's request still open, if any."""
    paused_note = None
    if schedule.status == ScheduleStatus.PAUSED.value:
        paused_note = (
            _(
                "I couldn't reach <@{manager}> in Slack (deactivated, or no longer in the workspace). Choose *Change* to pick your manager; saving starts the requests again."
            ).format(manager=manager.slack_user_id)
            if schedule.paused_reason == PausedReason.MANAGER_UNREACHABLE.value
            else _("Resume to carry on; times that pass while paused are skipped.")
        )
        if schedule.paused_reason == PausedReason.EMPLOYEE_AWAY.value and person.away_until:
            back = calendar_of(person).morning_after_day(person.away_until)
            paused_note = away_paused_note(person.away_until, back, person.tz)
    waiting_note = None
    if (
        waiting is not None
        and waiting.status == FeedbackRequestStatus.DUE.value
        and (waiting.held_until is not None)
    ):
        waiting_note = held_note(
            manager_user_id=manager.slack_user_id,
            back=day(waiting.held_return, person.tz) if waiting.held_return else None,
        )
    elif waiting is not None and waiting.status == FeedbackRequestStatus.SENT.value:
        waiting_note = _(
            ":hourglass_flowing_sand: A request is waiting on <@{manager}> (sent {day})."
        ).format(
            manager=manager.slack_user_id, day=day(waiting.sent_at or waiting.due_at, person.tz)
        )
    elif waiting is not None:
        waiting_note = _(":outbox_tray: A request is on its way to <@{manager}>.").format(
            manager=manager.slack_user_id
        )
    return ScheduleCard(
        schedule_id=schedule.id,
        manager_user_id=manager.slack_user_id,
        summary=schedule_summary(schedule),
        status=schedule.status,
        next_send=_next_send(schedule, manager, person),
        ends=_ends(schedule),
        paused_note=paused_note,
        waiting_note=waiting_note,
    )


def history_items(person: Person, history: list[FeedbackRequest]) -> list[HistoryItem]:
    items = []
    for request in history[:HISTORY_SHOWN]:
        item = HistoryItem(asked=day(request.due_at, person.tz), status=request.status)
        if request.answer is not None:
            item.rating = request.answer.rating
            item.rating_label = rating_words(request.answer.rating)
            item.answers = list(request.answer.answers)
            item.discuss = request.answer.discuss_in_person
            item.expectation_ratings = list(request.answer.expectation_ratings or [])
        items.append(item)
    return items
