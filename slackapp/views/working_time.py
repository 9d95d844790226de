"""Working days and leave in words: moved send times, held requests, "I'm away until ...", the
App Home's "Your working days" section and its two modals."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from babel import Locale
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OptionGroup,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from slackapp.kernel import working_days as wd
from slackapp.views.feedback import day, day_of, in_both_zones
from slackapp.views.i18n import N_, _, current_locale

CALENDAR_CALLBACK_ID = "working_days"
AWAY_CALLBACK_ID = "away_until"
OPEN_CALENDAR = "working_days_change"
OPEN_AWAY = "away_open"
BACK_NOW = "away_back"


# The reader's language as the holidays package names its translations.
HOLIDAY_LANGUAGES = {
    "en": "en_US",
    "de": "de",
    "es": "es",
    "fr": "fr",
    "pt_BR": "pt_BR",
    "ja": "ja",
}


def country_names() -> dict[str, str]:
    """Every country the app knows holidays for, code -> its name in the reader's language
    (Babel's territory names), sorted by that name."""
    territories = Locale.parse(current_locale()).territories
    names = {code: territories.get(code, name) for code, name in wd.countries().items()}
    return dict(sorted(names.items(), key=lambda item: item[1]))


PICK_COUNTRY = "working_days_country_pick"
ZONE_COUNTRY = "zone"  # the country select's value for "the one of my Slack time zone"

WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def week_words(week: frozenset[int]) -> str:
    return ", ".join(_(WEEKDAYS[d]) for d in sorted(week))


def day_off_words(off: wd.DayOff, tz_day: str, *, country: str | None, who: str) -> str:
    """ "Fri 25 Dec is Christmas Day in Germany", "Fri 2 Oct is a day off for <@U>" """
    # The holiday's own name in the reader's language, where the holidays package has it.
    holiday = off.holiday_in(HOLIDAY_LANGUAGES.get(current_locale(), "en_US"))
    if holiday is not None and country:
        return _("{day} is {holiday} in {country}").format(
            day=tz_day, holiday=holiday, country=country
        )
    if holiday is not None:
        return _("{day} is {holiday}").format(day=tz_day, holiday=holiday)
    return _("{day} is not a working day for {who}").format(day=tz_day, who=who)


def moved_words(
    shift: wd.Shift, *, tz: str, country: str | None, manager_user_id: str
) -> str | None:
    """Why a send time was moved: "Fri 25 Dec is Christmas Day in Germany: moved to Mon 28 Dec"."""
    if shift.off is None:
        return None
    why = day_off_words(
        shift.off, day_of(shift.off.day), country=country, who=f"<@{manager_user_id}>"
    )
    return _("{why}: moved to {day}").format(why=why, day=day(shift.at, tz))


def send_times(
    shifts: list[wd.Shift],
    *,
    manager_tz: str,
    employee_tz: str,
    country: str | None,
    manager_user_id: str,
) -> list[str]:
    """The "next requests go out" lines, each moved one with its reason."""
    lines = []
    for shift in shifts:
        line = in_both_zones(shift.at, manager_tz, employee_tz)
        why = moved_words(shift, tz=manager_tz, country=country, manager_user_id=manager_user_id)
        lines.append(f"{line} ({why})" if why else line)
    return lines


def held_text(*, manager_user_id: str, back: str | None) -> str:
    """Told to the employee: when the manager is back, never why they are away."""
    if back is None:
        return _(
            "<@{manager}> is away for now; your feedback request will reach them on their first "
            "working morning back."
        ).format(manager=manager_user_id)
    return _(
        "<@{manager}> is away until {day}; your feedback request will reach them then."
    ).format(manager=manager_user_id, day=back)


def held_note(*, manager_user_id: str, back: str | None) -> str:
    """The App Home's line for a request held while the manager is away."""
    return ":palm_tree: " + held_text(manager_user_id=manager_user_id, back=back)


def welcome_back_text() -> str:
    return _(
        "Welcome back. Your reminders and feedback requests carry on from today; nothing that "
        "would have come while you were away is waiting for you."
    )


def away_paused_note(until: date, back: datetime, tz: str) -> str:
    return _(
        "You're away until {until}: your requests pause and carry on by themselves on {back}."
    ).format(until=day_of(until), back=day(back, tz))


# -- the App Home ----------------------------------------------------------------------------------


def working_days_blocks(
    *,
    country: str | None,
    region: str | None,
    week: frozenset[int],
    hours: tuple[time, time],
    away_until: date | None,
    asks_country: bool,
) -> list[Block]:
    """ "Your working days": holidays of which country, the working week, and leave."""
    if country:
        where = f"{country} ({region})" if region else country
        holidays_line = _("Public holidays: *{where}*").format(where=where)
    else:
        holidays_line = _("Public holidays: *none chosen*")
    lines = [
        holidays_line,
        _("Working days: {days}, {start}–{end}").format(
            days=week_words(week), start=f"{hours[0]:%H:%M}", end=f"{hours[1]:%H:%M}"
        ),
    ]
    if asks_country:
        lines.append(
            _(
                "Your time zone is shared by several countries: choose yours, so nothing "
                "reaches you on a public holiday."
            )
        )
    if away_until is not None:
        lines.append(_(":palm_tree: You're away until {day}.").format(day=day_of(away_until)))
    away_button = (
        ButtonElement(text=_("I'm back"), action_id=BACK_NOW, value="back")
        if away_until is not None
        else ButtonElement(text=_("I'm away until…"), action_id=OPEN_AWAY, value="away")
    )
    return [
        DividerBlock(),
        HeaderBlock(text=_("Your working days")),
        SectionBlock(block_id="working_days", text=MarkdownTextObject(text="\n".join(lines))),
        ActionsBlock(
            block_id="working_days_controls",
            elements=[
                ButtonElement(text=_("Change"), action_id=OPEN_CALENDAR, value="calendar"),
                away_button,
            ],
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_(
                        "Nothing from Second Chance reaches you on a public holiday or a day "
                        "off; requests to your manager wait for their working days too."
                    )
                )
            ]
        ),
    ]


def _country_options(countries: dict[str, str]) -> list[OptionGroup]:
    groups: dict[str, list[Option]] = {}
    for code, name in countries.items():
        groups.setdefault(name[:1].upper(), []).append(Option(value=code, text=name[:75]))
    return [OptionGroup(label=letter, options=opts) for letter, opts in groups.items()]


def calendar_modal(
    *,
    countries: dict[str, str],
    country: str | None,
    zone_country: str | None,
    regions: dict[str, str],
    region: str | None,
    week: frozenset[int],
) -> dict[str, Any]:
    """Country (for public holidays), region where holidays differ, and the working week."""
    groups = _country_options(countries)
    initial = None
    if country in countries:
        initial = Option(value=country, text=countries[country][:75])
    blocks: list[Block] = [
        InputBlock(
            block_id="country",
            label=_("Country for public holidays"),
            dispatch_action=True,
            element=StaticSelectElement(
                action_id=PICK_COUNTRY,
                placeholder=_("Choose a country"),
                option_groups=groups,
                initial_option=initial,
            ),
            hint=_("From your Slack time zone: {country}").format(country=zone_country)
            if zone_country
            else None,
        )
    ]
    if regions:
        region_options = [Option(value=code, text=name[:75]) for code, name in regions.items()]
        blocks.append(
            InputBlock(
                block_id="region",
                label=_("Region"),
                optional=True,
                element=StaticSelectElement(
                    action_id="region",
                    placeholder=_("Holidays differ by region"),
                    options=region_options[:100],
                    initial_option=next(
                        (o for o in region_options[:100] if o.value == region), None
                    ),
                ),
                hint=_(
                    "Public holidays differ by region here; leave it empty for the national ones."
                ),
            )
        )
    week_options = [Option(value=str(d), text=_(WEEKDAYS[d])) for d in range(7)]
    blocks.append(
        InputBlock(
            block_id="week",
            label=_("Your working days"),
            element=CheckboxesElement(
                action_id="week",
                options=week_options,
                initial_options=[week_options[d] for d in sorted(week)] or None,
            ),
        )
    )
    return View(
        type="modal",
        callback_id=CALENDAR_CALLBACK_ID,
        title=_("Your working days"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=blocks,
    ).to_dict()


def away_modal(*, today: date) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=AWAY_CALLBACK_ID,
        title=_("Away"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=[
            InputBlock(
                block_id="until",
                label=_("I'm away until (the last day away)"),
                element=DatePickerElement(action_id="until", initial_date=today.isoformat()),
            ),
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=_(
                            "While you're away, your reminders and feedback requests pause, and "
                            "requests to you wait for your first working morning back. Only the "
                            "date is shown to others, never why."
                        )
                    )
                ]
            ),
        ],
    ).to_dict()


AWAY_IN_PAST = N_("Choose today or a day ahead.")
AWAY_TOO_FAR = N_("Choose a day within a year.")
WEEK_EMPTY = N_("Choose at least one working day.")
NOT_A_CHOICE = N_("Choose one of the options.")
