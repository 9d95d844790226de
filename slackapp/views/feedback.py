"""Stage 4 for the employee: the schedule modal, its confirmation, and the App Home section."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    TimePickerElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from slackapp.ids import parse_id
from slackapp.kernel import recurrence as rec
from slackapp.kernel.zones import exact, is_known
from slackapp.views.i18n import N_, _
from slackapp.views.recurrence_words import monthly_choice
from slackapp.views.words import (
    clock_time,
    limit_hint,
    long_date,
    short_date,
    weekday_name,
    zone_label,
)

SCHEDULE_CALLBACK_ID = "feedback_schedule"
PICK_MANAGER = "feedback_manager_pick"
PICK_FIRST_DATE = "feedback_first_date_pick"
PICK_SHARE = "feedback_share_pick"
QUESTIONS_MAX = 1200
RATING_NOTE = N_(
    "Your manager also picks a rating each time: Not yet on track, On track, or Exceeding "
    "expectations."
)


def when(moment: datetime, tz: str) -> str:
    """ "Tue 10 Mar 2026, 09:00" in the given zone."""
    local = moment.astimezone(exact(tz))
    return f"{long_date(local)}, {clock_time(local)}"


def day(moment: datetime, tz: str) -> str:
    return day_of(moment.astimezone(exact(tz)).date())


def day_of(value: date) -> str:
    """ "Fri 25 Dec": a calendar day (a holiday, the last day away), as day() writes one."""
    return short_date(value)


def in_both_zones(moment: datetime, manager_tz: str, employee_tz: str) -> str:
    """A send time as the manager gets it and as it is for the employee."""
    theirs = f"{when(moment, manager_tz)} {zone_label(manager_tz, moment)}"
    if (
        moment.astimezone(exact(manager_tz)).utcoffset()
        == moment.astimezone(exact(employee_tz)).utcoffset()
    ):
        return theirs
    return _("{theirs}, which is {when} {zone} for you").format(
        theirs=theirs, when=when(moment, employee_tz), zone=zone_label(employee_tz, moment)
    )


@dataclass
class ScheduleModal:
    """Everything the schedule modal shows; also what its private_metadata carries."""

    manager_user_id: str | None = None
    manager_tz: str | None = None
    manager_problem: str | None = None  # why this person cannot be the manager
    schedule_id: int | None = None
    first_date: date | None = None
    time_of_day: str = f"{rec.DEFAULT_TIME:%H:%M}"
    repeat: str = rec.WEEKLY
    end_kind: str = "plan_closed"
    end_count: int | None = None
    end_date: date | None = None
    questions: list[str] = field(default_factory=list)
    share_progress: bool = True
    has_plan: bool = False

    def metadata(self) -> str:
        return json.dumps(
            {
                "schedule_id": self.schedule_id,
                "manager": self.manager_user_id,
                "tz": self.manager_tz,
                "problem": self.manager_problem,
                "has_plan": self.has_plan,
            }
        )

    @classmethod
    def from_metadata(cls, raw: str) -> ScheduleModal:
        """What we put in private_metadata; anything else read as empty, never trusted."""
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        tz = text("tz")
        if tz and not is_known(tz):
            tz = None
        return cls(
            schedule_id=parse_id(data.get("schedule_id")),
            manager_user_id=text("manager"),
            manager_tz=tz,
            manager_problem=text("problem"),
            has_plan=bool(data.get("has_plan")),
        )


def repeat_options(first_date: date | None) -> list[Option]:
    """The repeat choices; the monthly ones name the weekday of the first date when known."""
    if first_date is None:
        return [
            Option(value=rec.WEEKLY, text=_("Weekly")),
            Option(value=rec.EVERY_2_WEEKS, text=_("Every 2 weeks")),
            Option(value=rec.MONTHLY, text=_("Monthly, on the same weekday (e.g. second Tuesday)")),
        ]
    weekday = weekday_name(first_date)
    choices = rec.monthly_choices(first_date)
    options = [
        Option(value=rec.WEEKLY, text=_("Weekly, on {weekday}s").format(weekday=weekday)),
        Option(
            value=rec.EVERY_2_WEEKS, text=_("Every 2 weeks, on {weekday}s").format(weekday=weekday)
        ),
        Option(value=rec.MONTHLY, text=monthly_choice(choices[0], first_date)),
    ]
    if len(choices) > 1:  # the fourth that is also the last: both readings are offered
        options.append(
            Option(
                value="monthly_week",
                text=monthly_choice(choices[1], first_date),
            )
        )
    return options


END_OPTIONS = {
    "plan_closed": N_("When my plan is closed"),
    "after_count": N_("After a number of requests"),
    "on_date": N_("On a date"),
}


def _option(options: list[Option], value: str | None) -> Option | None:
    return next((o for o in options if o.value == value), None)


def schedule_modal(
    state: ScheduleModal, preview: Sequence[Block | dict[str, Any]] = ()
) -> dict[str, Any]:
    """The schedule modal; preview (feedback_preview.modal_preview_blocks) goes at the bottom."""
    editing = state.schedule_id is not None
    tz_text = (
        f":warning: {state.manager_problem}"
        if state.manager_problem
        else _(":earth_africa: Times are in your manager's time zone: *{zone}*.").format(
            zone=zone_label(state.manager_tz)
        )
        if state.manager_tz
        else _("Pick your manager first: the date and time are read in their time zone.")
    )
    repeats = repeat_options(state.first_date)
    ends = [Option(value=k, text=_(v)) for k, v in END_OPTIONS.items()]
    if not state.has_plan:
        ends = [o for o in ends if o.value != "plan_closed"]
    end_kind = state.end_kind if _option(ends, state.end_kind) else "after_count"
    blocks: list[Block | dict[str, Any]] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=_(
                    "Ask your manager for feedback on a regular schedule, so you always know "
                    "whether you're on the right track. Each request shows them your progress since "
                    "the last one."
                )
            )
        ),
        InputBlock(
            block_id="manager",
            label=_("Your manager"),
            dispatch_action=True,
            element=UserSelectElement(
                action_id=PICK_MANAGER,
                placeholder=_("Choose your manager"),
                initial_user=state.manager_user_id,
            ),
        ),
        ContextBlock(block_id="tz_note", elements=[MarkdownTextObject(text=tz_text)]),
        InputBlock(
            block_id="first_date",
            label=_("First request on"),
            dispatch_action=True,
            hint=_("Later requests go out on the same weekday."),
            element=DatePickerElement(
                action_id=PICK_FIRST_DATE,
                initial_date=state.first_date.isoformat() if state.first_date else None,
            ),
        ),
        InputBlock(
            block_id="time",
            label=_("At ({zone})").format(zone=zone_label(state.manager_tz))
            if state.manager_tz
            else _("At"),
            element=TimePickerElement(
                action_id="value",
                initial_time=state.time_of_day,
                timezone=state.manager_tz,
            ),
        ),
        InputBlock(
            block_id="repeat",
            label=_("Repeat"),
            element=StaticSelectElement(
                action_id="value",
                options=repeats,
                initial_option=_option(repeats, state.repeat) or repeats[0],
            ),
        ),
        InputBlock(
            block_id="end",
            label=_("Stop sending"),
            element=RadioButtonsElement(
                action_id="value", options=ends, initial_option=_option(ends, end_kind)
            ),
        ),
        InputBlock(
            block_id="end_count",
            label=_("Number of requests (if ending after a number)"),
            optional=True,
            element=NumberInputElement(
                action_id="value",
                is_decimal_allowed=False,
                min_value=1,
                max_value=52,
                initial_value=state.end_count,
            ),
        ),
        InputBlock(
            block_id="end_date",
            label=_("Last date (if ending on a date)"),
            optional=True,
            element=DatePickerElement(
                action_id="value",
                initial_date=state.end_date.isoformat() if state.end_date else None,
            ),
        ),
        InputBlock(
            block_id="questions",
            label=_("Your questions (one per line, up to 5)"),
            hint=limit_hint(QUESTIONS_MAX, _("All of them together.")),
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                initial_value="\n".join(state.questions),
                max_length=QUESTIONS_MAX,
            ),
        ),
        ContextBlock(block_id="rating_note", elements=[MarkdownTextObject(text=_(RATING_NOTE))]),
        InputBlock(
            block_id="share",
            label=_("What your manager sees"),
            optional=True,
            dispatch_action=True,  # the preview below follows the choice
            element=CheckboxesElement(
                action_id=PICK_SHARE,
                options=[_share_option()],
                initial_options=[_share_option()] if state.share_progress else None,
            ),
        ),
        *preview,
    ]
    return View(
        type="modal",
        callback_id=SCHEDULE_CALLBACK_ID,
        title=_("Change feedback") if editing else _("Ask for feedback"),
        submit=_("Save") if editing else _("Schedule"),
        close=_("Cancel"),
        private_metadata=state.metadata(),
        blocks=blocks,
    ).to_dict()


def _share_option() -> Option:
    return Option(
        value="share",
        text=_("My progress since the last request"),
        description=_("Steps done, concerns addressed, and my commitments"),
    )


def _value(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    entries = values.get(block_id) or {}
    return next(iter(entries.values()), {}) if entries else {}


def read_schedule_values(values: dict[str, Any]) -> dict[str, Any]:
    """The modal's state as plain values (None where left empty)."""
    manager = _value(values, "manager").get("selected_user")
    raw_date = _value(values, "first_date").get("selected_date")
    raw_end_date = _value(values, "end_date").get("selected_date")
    raw_count = _value(values, "end_count").get("value")
    repeat = (_value(values, "repeat").get("selected_option") or {}).get("value")
    end = (_value(values, "end").get("selected_option") or {}).get("value")
    share = _value(values, "share").get("selected_options")
    try:
        count = int(raw_count) if raw_count not in (None, "") else None
    except ValueError:
        count = None
    return {
        "manager": manager,
        "first_date": date.fromisoformat(raw_date) if raw_date else None,
        "time": _value(values, "time").get("selected_time"),
        "repeat": repeat,
        "end": end,
        "end_count": count,
        "end_date": date.fromisoformat(raw_end_date) if raw_end_date else None,
        "questions": _value(values, "questions").get("value"),
        "share": share is None or any(o.get("value") == "share" for o in share),
    }


def parse_time(raw: str | None) -> time | None:
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def confirmation_modal(
    *, manager_user_id: str, summary: str, times: list[str], changed: bool, paused: bool = False
) -> dict[str, Any]:
    lines = "\n".join(f"• {t}" for t in times) or (
        _("• Nothing while paused: resume from the App Home.")
        if paused
        else _("• Nothing more is scheduled.")
    )
    return View(
        type="modal",
        callback_id="feedback_schedule_done",
        title=_("Feedback scheduled") if not changed else _("Schedule changed"),
        close=_("Done"),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=(
                        _(
                            ":white_check_mark: Your feedback requests to <@{manager}> are "
                            "changed: *{summary}*."
                        )
                        if changed
                        else _(
                            ":white_check_mark: Your feedback requests to <@{manager}> are "
                            "scheduled: *{summary}*."
                        )
                    ).format(manager=manager_user_id, summary=summary)
                )
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text=_("*The next requests go out:*\n{lines}").format(lines=lines)
                )
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=_(
                            "Pause, change or stop them, or ask for feedback right away, from "
                            "the Second Chance App Home."
                        )
                    )
                ]
            ),
        ],
    ).to_dict()
