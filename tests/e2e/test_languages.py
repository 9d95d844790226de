"""Each person reads the app in their own language (issue 15).

The employee's Slack locale is de-DE: the journey, the modals and the DMs are in German. Their
manager's is es-ES: the meeting request and the feedback request reach him in Spanish, with the
dates as Spanish writes them, in his own zone; the employee's preview shows them so. Changing the
language on the App Home takes effect on the next screen.

What each language should read is taken from its catalog, and must differ from the English: so
until a catalog is complete (tests/unit/test_catalogs.py) its case fails here. The manager's
language is a parameter: es-ES is the issue's case; de-DE runs the same path with the German
catalog, which is complete.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from babel.dates import format_skeleton

from slackapp.views.i18n import _, reading_as, supported
from slackapp.views.language import LANGUAGE_ACTION
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.feedback import request_dms, set_up_schedule
from tests.support.meeting import choose_manager, review, seed_plan, top

Json = dict[str, Any]


def said(locale: str, english: str, **fields: Any) -> str:
    """`english` as the catalog of `locale` says it, which must not be the English."""
    with reading_as(locale):
        words = _(english)
    assert words != english, f"{english!r} is not translated for {locale}"
    return words.format(**fields) if fields else words


def text(blocks: Any) -> str:
    return json.dumps(blocks or [], ensure_ascii=False)


def home_of(app: RunningApp, user_id: str) -> str:
    return text(app.fake.home(user_id))


def open_home(app: RunningApp, user_id: str, contains: str) -> str:
    app.slack.open_home(user_id)
    return app.slack.wait_for(
        lambda: home_of(app, user_id) if contains in home_of(app, user_id) else None,
        what=f"{user_id}'s App Home with {contains!r}",
    )


@pytest.mark.parametrize("manager_locale", ["es-ES", "de-DE"])
def test_employee_in_german_manager_in_his_language(
    running_app: RunningApp, manager_locale: str
) -> None:
    app = running_app
    app.fake.set_user(EMPLOYEE, locale="de-DE")
    app.fake.set_user(MANAGER, locale=manager_locale)
    seed_plan(app)
    boss = supported(manager_locale)

    # The App Home is where Slack's locale arrives (users.info include_locale), like the zone.
    home = open_home(app, EMPLOYEE, said("de", "Your second chance"))
    assert "Your second chance" not in home
    assert said("de", "Your repair plan") in home

    app.slack.command(EMPLOYEE, "meeting")
    compose = top(app, EMPLOYEE, "meeting_compose")
    assert compose["title"]["text"] == said("de", "Talk to your boss")
    assert compose["submit"]["text"] == said("de", "Review")
    choose_manager(app)

    preview = review(app, times=[("2026-03-03", "10:00")])
    shown = text(preview["blocks"])
    assert preview["title"]["text"] == said("de", "Review and send")
    assert said("de", "I looked for excuses written in {language}.", language="Deutsch") in shown
    # The preview is the manager's DM, in the manager's language, his time in his zone.
    his_day = format_skeleton("MMMEd", date(2026, 3, 3), locale=boss)
    assert f"{his_day}, 10:00 EST" in shown
    assert said(boss, "Accept") in shown

    assert app.slack.submit(EMPLOYEE).status == 200
    dm = app.slack.wait_for(
        lambda: next(iter(app.fake.messages(MANAGER)), None), what="the manager's DM"
    )
    body = text(dm["blocks"])
    assert dm["text"] == said(
        boss, "{mention} would like a private conversation with you.", mention=f"<@{EMPLOYEE}>"
    )
    assert f"{his_day}, 10:00 EST" in body and "Tue 3 Mar" not in body
    labels = [
        e["text"]["text"] for b in dm["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert labels[:1] == [said(boss, "Accept")]
    assert said(boss, "Decline") in labels
    # What the employee typed is sent as typed (the German draft stays German).
    assert (
        said(
            "de",
            "I'd like to talk with you privately about the mistake I made: {title}.",
            title="Wrong prices sent to Acme",
        )
        in body
    )
    # And the employee is told, in German.
    note = app.slack.wait_for(
        lambda: next((m for m in app.fake.messages(EMPLOYEE) if "<@UMANAGER>" in m["text"]), None),
        what="the employee's note that it went",
    )
    assert note["text"] == said(
        "de",
        ":envelope_with_arrow: Your meeting request is on its way to {mention}. I'll tell you as "
        "soon as they answer. Asking was the hard part; well done.",
        mention=f"<@{MANAGER}>",
    )

    # The feedback request reaches him in his language too, dated as he reads dates.
    set_up_schedule(app, first_date="2026-03-03", at="09:00")
    app.clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))  # 09:00 in New York
    app.tick()
    (request,) = app.slack.wait_for(lambda: request_dms(app) or None, what="the feedback DM")
    assert request["text"] == said(boss, "<@{employee}> asked for your feedback", employee=EMPLOYEE)
    feedback_labels = [
        e["text"]["text"]
        for b in request["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if "text" in e  # the overflow menu ("I'm away until…") has options, not a label
    ]
    assert said(boss, "Give feedback") in feedback_labels


def test_changing_the_language_on_the_app_home_takes_effect_on_the_next_screen(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.fake.set_user(EMPLOYEE, locale="de-DE")
    open_home(app, EMPLOYEE, said("de", "Your second chance"))

    # English chosen on the App Home, over Slack's German: the home is redrawn in English...
    assert app.slack.click_in_view(EMPLOYEE, LANGUAGE_ACTION, value="en", home=True).status == 200
    app.slack.wait_for(
        lambda: "Your second chance" in home_of(app, EMPLOYEE) or None, what="the home in English"
    )
    # ...and so is the next screen.
    app.slack.command(EMPLOYEE, "")
    journey = top(app, EMPLOYEE, "journey")
    assert journey["title"]["text"] == "Your second chance"

    # Back to Slack's language: German again.
    assert (
        app.slack.click_in_view(EMPLOYEE, LANGUAGE_ACTION, value="slack", home=True).status == 200
    )
    app.slack.wait_for(
        lambda: said("de", "Your second chance") in home_of(app, EMPLOYEE) or None,
        what="the home in German",
    )


def test_what_the_manager_does_reaches_the_employee_in_the_employees_language(
    running_app: RunningApp,
) -> None:
    """The manager acts in German; the employee, whose Slack is English, is told in English, and
    the manager's own DM is redrawn in German."""
    app = running_app
    app.fake.set_user(MANAGER, locale="de-DE")
    seed_plan(app)
    app.slack.command(EMPLOYEE, "meeting")
    top(app, EMPLOYEE, "meeting_compose")
    choose_manager(app)
    review(app, times=[("2026-03-03", "10:00")])
    assert app.slack.submit(EMPLOYEE).status == 200
    dm = app.slack.wait_for(
        lambda: next(iter(app.fake.messages(MANAGER)), None), what="the manager's DM"
    )
    assert said("de", "Accept") in text(dm["blocks"])

    sent = {key: value for key, value in dm.items() if value is not None}
    assert app.slack.click_in_message(MANAGER, sent, "meeting_accept").status == 200
    confirmed = app.slack.wait_for(
        lambda: next(
            (m for m in app.fake.messages(EMPLOYEE) if "accepted the meeting" in text(m["blocks"])),
            None,
        ),
        what="the employee's confirmation, in English",
    )
    assert "Tue 3 Mar, 16:00 CET" in text(confirmed["blocks"])
    redrawn = app.slack.wait_for(
        lambda: next(
            (
                m
                for m in app.fake.messages(MANAGER)
                if m["ts"] == dm["ts"] and "meeting_outcome" in text(m["blocks"])
            ),
            None,
        ),
        what="the manager's DM redrawn with the outcome",
    )
    outcome = next(b for b in redrawn["blocks"] if b.get("block_id") == "meeting_outcome")
    assert outcome["text"]["text"].startswith(":white_check_mark: *Angenommen.*")
