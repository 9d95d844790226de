"""The App Home's "Your working days": country, region and working week, and "I'm away until"
(also on the feedback DM the manager gets)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from slackapp.kernel import working_days as wd
from slackapp.kernel.zones import local
from slackapp.listeners.glue import Actor, acked, submitter, tell, view_of
from slackapp.listeners.modals import open_view, update_own_view
from slackapp.services import leave
from slackapp.services.working_time import CalendarChoice, calendar_of, choose_calendar
from slackapp.views.i18n import _
from slackapp.views.working_time import (
    AWAY_CALLBACK_ID,
    AWAY_IN_PAST,
    AWAY_TOO_FAR,
    BACK_NOW,
    CALENDAR_CALLBACK_ID,
    NOT_A_CHOICE,
    OPEN_AWAY,
    OPEN_CALENDAR,
    PICK_COUNTRY,
    WEEK_EMPTY,
    away_modal,
    calendar_modal,
    country_names,
)

logger = logging.getLogger(__name__)
LONGEST_AWAY = timedelta(days=366)


def _calendar_view(who: Actor, country: str | None) -> dict[str, Any]:
    cal = calendar_of(who.person)
    zone_country = wd.country_of_zone(who.person.tz)
    chosen = country or cal.country
    return calendar_modal(
        countries=country_names(),
        country=chosen,
        zone_country=country_names().get(zone_country or ""),
        regions=wd.regions(chosen or ""),
        region=cal.region if chosen == cal.country else None,
        week=cal.week if chosen == cal.country else wd.week_of_country(chosen),
    )


def open_calendar(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = acked(ack, context, client)
    open_view(who, trigger_id=body["trigger_id"], view=_calendar_view(who, None))


def country_picked(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """A country was picked: its regions and working week come into the modal."""
    who = acked(ack, context, client)
    picked = (action.get("selected_option") or {}).get("value")
    country = picked if picked in wd.countries() else None
    view = view_of(body)
    update_own_view(who, view.get("id"), _calendar_view(who, country))


def _selected(values: dict[str, Any], block: str) -> Any:
    entry: Any = next(iter((values.get(block) or {}).values()), {})
    return entry if isinstance(entry, dict) else {}


def save_calendar(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = submitter(context, client)
    values = view_of(body).get("state", {}).get("values", {})
    country = (_selected(values, "country").get("selected_option") or {}).get("value")
    region = (_selected(values, "region").get("selected_option") or {}).get("value")
    week_options = _selected(values, "week").get("selected_options") or []
    week = frozenset(
        int(o["value"])
        for o in week_options
        if isinstance(o, dict) and str(o.get("value", "")).isdigit()
    )
    if who is None:
        ack()
        return
    if not week:
        ack(response_action="errors", errors={"week": _(WEEK_EMPTY)})
        return
    # Their zone's country is stored as no choice: it follows their zone, as before they chose.
    country_choice = None if country == wd.country_of_zone(who.person.tz) else country
    if not choose_calendar(
        person=who.person, choice=CalendarChoice(country_choice, region or None, week)
    ):
        ack(response_action="errors", errors={"country": _(NOT_A_CHOICE)})
        return
    who.save()
    ack()
    tell(who, homes=[who.person], unseen_too=True)


def open_away(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """ "I'm away until…", from the App Home or the feedback DM."""
    who = acked(ack, context, client)
    today = local(who.clock.now(), who.person.tz).date()
    open_view(who, trigger_id=body["trigger_id"], view=away_modal(today=today))


def save_away(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = submitter(context, client)
    raw = _selected(view_of(body).get("state", {}).get("values", {}), "until").get("selected_date")
    if who is None:
        ack()
        return
    try:
        until = date.fromisoformat(str(raw))
    except ValueError:
        ack(response_action="errors", errors={"until": _(NOT_A_CHOICE)})
        return
    today = local(who.clock.now(), who.person.tz).date()
    if until < today:
        ack(response_action="errors", errors={"until": _(AWAY_IN_PAST)})
        return
    if until > today + LONGEST_AWAY:
        ack(response_action="errors", errors={"until": _(AWAY_TOO_FAR)})
        return
    leave.set_away(session=who.db, person=who.person, until=until, now=who.clock.now())
    who.save()
    ack()  # once it is stored: a modal that closes has kept what it said
    tell(who, homes=[who.person], unseen_too=True)


def back_now(ack: Ack, context: BoltContext, client: WebClient) -> None:
    who = acked(ack, context, client)
    leave.set_away(session=who.db, person=who.person, until=None, now=who.clock.now())
    tell(who, homes=[who.person], unseen_too=True)


def register(app: App) -> None:
    app.action(OPEN_CALENDAR)(open_calendar)
    app.action(PICK_COUNTRY)(country_picked)
    app.view(CALENDAR_CALLBACK_ID)(save_calendar)
    app.action(OPEN_AWAY)(open_away)
    app.view(AWAY_CALLBACK_ID)(save_away)
    app.action(BACK_NOW)(back_now)
