"""The app in many-workspaces mode (OAuth installs) on a real port, and the install itself,
done the way an admin's browser does it: /slack/install, then Slack's redirect back."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from wsgiref.simple_server import make_server

from cryptography.fernet import Fernet
from sqlalchemy import Engine

from slackapp.config import Settings
from slackapp.kernel.clock import ManualClock
from slackapp.runtime import Runtime, build_runtime
from slackapp.server import make_wsgi_app
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import (
    COLLEAGUE,
    EMPLOYEE,
    MANAGER,
    SIGNING_SECRET,
    TEAM_ID,
    RunningApp,
    _QuietHandler,
    _ThreadingWSGIServer,
    app_settings,
)


@contextmanager
def people_slack(fake: FakeSlack) -> Iterator[FakeSlack]:
    """The fake Slack with Emma (Berlin), Max (New York) and Chandra (Kolkata), started."""
    fake.add_user(EMPLOYEE, name="emma", real_name="Emma Employee", tz="Europe/Berlin")
    fake.add_user(MANAGER, name="max", real_name="Max Manager", tz="America/New_York")
    fake.add_user(COLLEAGUE, name="chandra", real_name="Chandra Colleague", tz="Asia/Kolkata")
    with fake:
        yield fake


@contextmanager
def installed_app(
    fake: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[RunningApp]:
    """oauth_app(), installed by an admin already."""
    with oauth_app(fake, engine, database_url, clock) as running:
        install(running.url)
        yield running


def oauth_settings(fake: FakeSlack, database_url: str, key: str | None = None) -> Settings:
    """The app for many workspaces: no bot token, a client id and secret, tokens encrypted
    with this SECONDCHANCE_ENCRYPTION_KEY (a new one when none is given)."""
    return replace(
        app_settings(fake, database_url),
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        encryption_key=key or Fernet.generate_key().decode(),
    )


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    """The runtime's WSGI app on a real port, as Slack reaches it; yields its URL."""
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi_app(runtime),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        runtime.app._listener_runner.listener_executor.shutdown(wait=True)


@contextmanager
def oauth_app(
    fake: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[RunningApp]:
    runtime = build_runtime(oauth_settings(fake, database_url), clock=clock, engine=engine)
    runtime.dispatcher.rate_limiter.per_channel_seconds = 0.0
    with serving(runtime) as url:
        slack = SlackDriver(fake, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)
        yield RunningApp(url=url, runtime=runtime, slack=slack, fake=fake, clock=clock)


# Bolt ties the OAuth state to a cookie set by the install page. It is marked Secure (Slack
# requires https in production), so this browser keeps it by hand over the test's plain http.
_cookies: dict[str, str] = {}


def get(url: str) -> tuple[int, str]:
    """A GET as the admin's browser makes it (keeping cookies): the status and the page."""
    request = urllib.request.Request(
        url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in _cookies.items())}
    )
    try:
        with urllib.request.urlopen(request) as response:
            status, body, headers = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read().decode(), error.headers
    for cookie in headers.get_all("Set-Cookie") or []:
        name, _, value = cookie.split(";", 1)[0].partition("=")
        _cookies[name.strip()] = value.strip()
    return status, body


def install(app_url: str) -> None:
    """An admin installs the app: the install page, Slack's consent, the redirect back."""
    status, page = get(app_url + "/slack/install")
    assert status == 200, page
    authorize = re.search(r'href="([^"]+oauth/v2/authorize[^"]+)"', page)
    assert authorize, page
    query = urllib.parse.parse_qs(
        urllib.parse.urlparse(authorize.group(1).replace("&amp;", "&")).query
    )
    state = query["state"][0]
    status, page = get(app_url + f"/slack/oauth_redirect?code=fake-oauth-code&state={state}")
    assert status == 200, page


def quiet(app: RunningApp, *, for_seconds: float = 0.3, at_most: float = 10.0) -> None:
    """Wait until the app has made no Web API call for a moment: its listeners keep working
    after they ack, and a test that moves the clock should not move it under them."""
    deadline = time.monotonic() + at_most
    seen, since = len(app.fake.calls), time.monotonic()
    while time.monotonic() - since < for_seconds:
        assert time.monotonic() < deadline, "the app never went quiet"
        time.sleep(0.02)
        if len(app.fake.calls) != seen:
            seen, since = len(app.fake.calls), time.monotonic()


def in_team(app: RunningApp, team_id: str) -> RunningApp:
    """The same app, talked to from another workspace (of the same Enterprise Grid org)."""
    slack = SlackDriver(app.fake, app_url=app.url, signing_secret=SIGNING_SECRET, team_id=team_id)
    return replace(app, slack=slack)
