"""The foundation, the way Slack talks to it: signed requests in, Web API calls out."""

from __future__ import annotations

import json
import time
import urllib.request

from sqlalchemy import select

from models import Person
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, SIGNING_SECRET, RunningApp


def test_healthz_answers_when_the_database_does(running_app: RunningApp) -> None:
    with urllib.request.urlopen(running_app.url + "/healthz") as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_down(running_app: RunningApp) -> None:
    running_app.runtime.engine.dispose()
    running_app.runtime.engine.url = running_app.runtime.engine.url.set(
        drivername="sqlite",
        database="/nonexistent/dir/x.db",
        query={},
        host=None,
        username=None,
        password=None,
        port=None,
    )
    from sqlalchemy import create_engine

    running_app.runtime.engine = create_engine("sqlite:////nonexistent/dir/x.db")
    try:
        urllib.request.urlopen(running_app.url + "/healthz")
        raise AssertionError("expected 503")
    except urllib.error.HTTPError as error:
        assert error.code == 503
        assert json.loads(error.read())["database"] == "down"


def test_secondchance_opens_the_journey_modal_quickly(running_app: RunningApp) -> None:
    started = time.monotonic()
    response = running_app.slack.command(EMPLOYEE, "")
    acked_in = time.monotonic() - started
    assert response.status == 200
    assert acked_in < 1.0
    view = running_app.slack.wait_for(
        lambda: running_app.fake.view_stack(EMPLOYEE), what="the journey modal"
    )[-1]
    assert view["title"]["text"] == "Your second chance"
    texts = json.dumps(view["blocks"])
    for title in (
        "Fix what went wrong",
        "Be introspective",
        "Talk to your boss",
        "Prepare to perform",
    ):
        assert title in texts
    buttons = [b["accessory"]["action_id"] for b in view["blocks"] if b.get("accessory")]
    assert buttons == [
        "journey_open_plan",
        "journey_open_reflect",
        "journey_open_meeting",
        "journey_open_feedback",
    ]
    assert not running_app.fake.rejections


def test_help_and_unknown_words_answer_with_the_subcommands(running_app: RunningApp) -> None:
    help_response = running_app.slack.command(EMPLOYEE, "help").json()
    assert help_response["response_type"] == "ephemeral"
    for word in ("plan", "reflect", "meeting", "feedback", "status", "help"):
        assert f"/secondchance {word}" in help_response["text"]
    unknown = running_app.slack.command(EMPLOYEE, "banana").json()
    assert "I don't know `banana`" in unknown["text"]
    assert "/secondchance plan" in unknown["text"]


def _welcomed(app: RunningApp) -> bool:
    with app.runtime.session_factory() as session:
        when = session.scalar(select(Person.welcomed_at).where(Person.slack_user_id == COLLEAGUE))
        return when is not None


def test_app_home_welcomes_on_the_first_visit_only(running_app: RunningApp) -> None:
    slack, fake = running_app.slack, running_app.fake
    assert slack.open_home(COLLEAGUE).status == 200
    home = slack.wait_for(lambda: fake.home(COLLEAGUE), what="the home tab")
    assert any(b.get("block_id") == "home_welcome" for b in home["blocks"])
    # The welcome is remembered when the first listener commits, just after its publish: a
    # person cannot open the tab again within those milliseconds, but a test can.
    slack.wait_for(lambda: _welcomed(running_app), what="the first visit remembered")
    count = fake.home_publishes()
    slack.open_home(COLLEAGUE)
    slack.wait_for(lambda: fake.home_publishes() > count, what="a second publish")
    assert not any(b.get("block_id") == "home_welcome" for b in fake.home(COLLEAGUE)["blocks"])
    assert "Prepare to perform" in json.dumps(fake.home(COLLEAGUE)["blocks"])


def test_forged_and_stale_signatures_get_401(running_app: RunningApp) -> None:
    body = payloads.slash_command(
        team_id="T0001",
        user_id=EMPLOYEE,
        user_name="emma",
        channel_id="D1",
        text="help",
        trigger_id="x",
    )
    url = running_app.url + "/slack/events"
    forged = payloads.post(
        url, body, secret="not-the-secret", content_type="application/x-www-form-urlencoded"
    )
    stale = payloads.post(
        url,
        body,
        secret=SIGNING_SECRET,
        content_type="application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 600,
    )
    assert (forged.status, stale.status) == (401, 401)
    assert not running_app.fake.calls_to("views.open")


def test_an_error_in_a_listener_is_told_kindly_and_logged_without_content(
    running_app: RunningApp, caplog, monkeypatch
) -> None:
    from slackapp.listeners import commands

    def explode(*_args: object, **_kwargs: object) -> list[object]:
        raise RuntimeError("database fell over")

    monkeypatch.setattr(commands, "journey", explode)
    response = running_app.slack.command(EMPLOYEE, "status")
    assert response.status == 200
    ephemeral = running_app.slack.wait_for(
        lambda: running_app.fake.ephemerals(EMPLOYEE), what="the apology"
    )
    assert "something went wrong" in ephemeral[-1]["text"]
    assert "database fell over" in caplog.text  # the traceback is logged ...
    assert "xoxb-fake" not in caplog.text  # ... but never the token


def test_slack_errors_are_retried_by_every_client(running_app: RunningApp) -> None:
    fake = running_app.fake
    fake.fail_next("views.open", status=429, retry_after=1)
    fake.fail_next("users.info", status=503)
    fake.fail_next("views.publish", reset=True)
    running_app.slack.command(EMPLOYEE, "")
    running_app.slack.wait_for(
        lambda: fake.view_stack(EMPLOYEE), timeout=8, what="the modal after a 429"
    )
    running_app.slack.open_home(EMPLOYEE)
    running_app.slack.wait_for(
        lambda: fake.home(EMPLOYEE), timeout=8, what="the home after a reset"
    )
    statuses = [
        (c.method, c.status) for c in fake.calls if c.method in ("views.open", "users.info")
    ]
    assert ("views.open", 429) in statuses and ("views.open", 200) in statuses
    assert ("users.info", 503) in statuses and ("users.info", 200) in statuses
