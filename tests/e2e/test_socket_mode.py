"""Socket Mode over a real socket: the app's own Socket Mode handler (Bolt's, on slack_sdk's
built-in client) asks the fake Slack's apps.connections.open for a ws:// URL, connects, and
acks every envelope within 3 s; the journey's main path works as in HTTP mode; after the
connection drops, or Slack asks it to move, it reconnects by itself; nothing is handled twice."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from slackapp.kernel.clock import ManualClock
from slackapp.runtime import build_runtime
from slackapp.serve import socket_mode_handler
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.socket_mode import SocketModeDriver, SocketModeServer
from tests.conftest import EMPLOYEE, MANAGER, TEAM_ID, RunningApp, app_settings
from tests.e2e.test_meeting_calendar import wait_for_files
from tests.e2e.test_plan_flow import make_plan
from tests.support.meeting import choose_manager, click, latest, open_compose, review, send, top


@dataclasses.dataclass
class SocketApp:
    app: RunningApp
    server: SocketModeServer
    handler: Any


@pytest.fixture
def socket_app(
    fake_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[SocketApp]:
    """The real app in Socket Mode (SLACK_APP_TOKEN set, no signing secret, no HTTP server)."""
    settings = dataclasses.replace(
        app_settings(fake_slack, database_url),
        slack_app_token=fake_slack.app_token,
        slack_signing_secret=None,
    )
    assert settings.socket_mode
    runtime = build_runtime(settings, clock=clock, engine=engine)
    runtime.dispatcher.rate_limiter.per_channel_seconds = 0.0
    # Pings every half second, so a connection that silently died is noticed in a few seconds.
    handler = socket_mode_handler(runtime, ping_interval=0.5)
    handler.connect()
    server: SocketModeServer = fake_slack.socket_mode
    server.wait_connected(1)
    driver = SocketModeDriver(fake_slack, server, team_id=TEAM_ID)
    app = RunningApp(url="", runtime=runtime, slack=driver, fake=fake_slack, clock=clock)
    yield SocketApp(app, server, handler)
    handler.close()
    runtime.app._listener_runner.listener_executor.shutdown(wait=True)


def _each_acked_once(server: SocketModeServer) -> None:
    ids = [envelope["envelope_id"] for envelope in server.envelopes]
    assert ids and all(server.ack_counts[i] == 1 for i in ids), server.ack_counts
    assert server.late == []


def test_the_journey_works_over_socket_mode_as_over_http(socket_app: SocketApp) -> None:
    app, server = socket_app.app, socket_app.server
    connect = app.fake.calls_to("apps.connections.open")
    assert connect and connect[0].token == app.fake.app_token  # the app-level token, not the bot's
    app.slack.open_home(EMPLOYEE)  # an event
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="Emma's App Home")
    # Slash commands, block actions (choosing the manager), view submissions (plan, review,
    # send), each answered in its ack as over HTTP.
    plan = make_plan(app)
    assert plan.title == "Botched the Acme order"
    open_compose(app)
    choose_manager(app)
    review(app)
    dm = send(app)
    click(app, MANAGER, dm, "meeting_accept")  # a block action from a message
    latest(app, EMPLOYEE, "accepted the meeting")
    wait_for_files(app, EMPLOYEE, 1)
    wait_for_files(app, MANAGER, 1)
    kinds = {envelope["type"] for envelope in server.envelopes}
    assert kinds == {"events_api", "slash_commands", "interactive"}
    interactive = {e["payload"]["type"] for e in server.envelopes if e["type"] == "interactive"}
    assert {"block_actions", "view_submission"} <= interactive
    _each_acked_once(server)
    assert not app.fake.rejections


def test_apps_connections_open_takes_the_app_token_only(socket_app: SocketApp) -> None:
    fake = socket_app.app.fake
    assert fake.handle("apps.connections.open", {}, fake.bot_token)[2]["error"] == "invalid_auth"
    assert fake.handle("apps.connections.open", {}, None)[2]["error"] == "not_authed"
    url = fake.handle("apps.connections.open", {}, fake.app_token)[2]["url"]
    assert url.startswith("ws://127.0.0.1:") and "ticket=" in url


def test_a_view_submission_error_comes_back_in_the_ack(socket_app: SocketApp) -> None:
    app = socket_app.app
    app.slack.command(EMPLOYEE, "meeting")
    top(app, EMPLOYEE, "meeting_compose")
    response = app.slack.submit(EMPLOYEE, {"meeting_manager": EMPLOYEE})  # herself
    answer = response.json()
    assert answer["response_action"] == "errors" and answer["errors"]


@pytest.mark.parametrize("abrupt", [True, False], ids=["socket-shut", "close-frame"])
def test_after_the_connection_drops_the_app_reconnects_by_itself(
    socket_app: SocketApp, abrupt: bool
) -> None:
    app, server = socket_app.app, socket_app.server
    server.drop(abrupt=abrupt)
    assert server.open_connections == 0
    server.wait_connected(2, timeout=15)  # the client notices, and opens a new connection
    assert len(app.fake.calls_to("apps.connections.open")) == 2
    app.slack.command(EMPLOYEE, "plan")
    top(app, EMPLOYEE, "plan_modal")
    assert len(app.fake.calls_to("views.open")) == 1
    _each_acked_once(server)


def test_a_disconnect_message_moves_the_app_to_a_new_connection(socket_app: SocketApp) -> None:
    app, server = socket_app.app, socket_app.server
    server.disconnect("refresh_requested")
    server.wait_connected(2)
    app.slack.wait_for(lambda: server.open_connections == 1, what="the old connection closed")
    app.slack.command(EMPLOYEE, "plan")
    top(app, EMPLOYEE, "plan_modal")
    assert len(app.fake.calls_to("views.open")) == 1
    _each_acked_once(server)
    assert server.refused == 0  # each URL was used once


def test_an_event_delivered_again_after_a_reconnection_is_handled_once(
    socket_app: SocketApp,
) -> None:
    app, server = socket_app.app, socket_app.server
    first = app.slack.event(
        {"type": "app_home_opened", "user": EMPLOYEE, "tab": "home", "channel": "DUEMPLOYEE"},
        event_id="EvSOCKET01",
    )
    assert first.status == 200
    app.slack.wait_for(lambda: app.fake.home_publishes(EMPLOYEE) == 1, what="the App Home")
    # The connection drops as the ack is on its way: Slack sends the event again, as a retry,
    # down the new connection.
    server.drop()
    server.wait_connected(2, timeout=15)
    again = app.slack.event(
        {"type": "app_home_opened", "user": EMPLOYEE, "tab": "home", "channel": "DUEMPLOYEE"},
        event_id="EvSOCKET01",
        retry_num=1,
    )
    assert again.status == 200
    assert server.envelopes[-1]["retry_attempt"] == 1
    # A command sent after it is handled, and the retried event was not.
    app.slack.command(EMPLOYEE, "plan")
    top(app, EMPLOYEE, "plan_modal")
    assert app.fake.home_publishes(EMPLOYEE) == 1
    _each_acked_once(server)
