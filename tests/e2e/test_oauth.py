"""Multi-workspace installs: /slack/install, /slack/oauth_redirect, tokens encrypted at rest."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from wsgiref.simple_server import make_server

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Installation, Workspace
from slackapp.kernel.clock import ManualClock
from slackapp.runtime import build_runtime
from slackapp.server import make_wsgi_app
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import (
    EMPLOYEE,
    SIGNING_SECRET,
    TEAM_ID,
    _QuietHandler,
    _ThreadingWSGIServer,
    app_settings,
)


@pytest.fixture
def oauth_app(
    fake_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[str]:
    settings = replace(
        app_settings(fake_slack, database_url),
        slack_bot_token=None,
        slack_client_id="111.222",
        slack_client_secret="client-secret",
        encryption_key=Fernet.generate_key().decode(),
    )
    runtime = build_runtime(settings, clock=clock, engine=engine)
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi_app(runtime),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    runtime.app._listener_runner.listener_executor.shutdown(wait=True)


# Bolt ties the OAuth state to a cookie set by the install page. It is marked Secure (Slack
# requires https in production), so this browser keeps it by hand over the test's plain http.
_cookies: dict[str, str] = {}


def _get(url: str) -> tuple[int, str]:
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


def test_install_stores_an_encrypted_token_and_the_workspace_then_works(
    oauth_app: str, fake_slack: FakeSlack, db: Session
) -> None:
    status, page = _get(oauth_app + "/slack/install")
    assert status == 200
    authorize = re.search(r'href="([^"]+oauth/v2/authorize[^"]+)"', page)
    assert authorize, page
    query = urllib.parse.parse_qs(
        urllib.parse.urlparse(authorize.group(1).replace("&amp;", "&")).query
    )
    assert query["client_id"] == ["111.222"]
    assert set(query["scope"][0].split(",")) == {
        "commands",
        "chat:write",
        "im:write",
        "im:history",
        "users:read",
        "files:write",
        "canvases:write",
    }

    forged = oauth_app + "/slack/oauth_redirect?code=fake-oauth-code&state=forged"
    try:
        forged_status = urllib.request.urlopen(forged).status  # another browser, no cookie
    except urllib.error.HTTPError as error:
        forged_status = error.code
    assert forged_status >= 400
    assert db.scalar(select(Installation)) is None

    state = query["state"][0]
    status, page = _get(oauth_app + f"/slack/oauth_redirect?code=fake-oauth-code&state={state}")
    assert status == 200, page
    row = db.scalar(select(Installation))
    assert row is not None and row.bot_user_id == "UBOTSC"
    assert "xoxb" not in row.bot_token_encrypted  # encrypted at rest
    assert db.scalar(select(Workspace.team_id).where(Workspace.id == row.workspace_id)) == TEAM_ID

    slack = SlackDriver(
        fake_slack, app_url=oauth_app, signing_secret=SIGNING_SECRET, team_id=TEAM_ID
    )
    assert slack.command(EMPLOYEE, "").status == 200
    slack.wait_for(
        lambda: fake_slack.view_stack(EMPLOYEE), what="the journey modal via the stored token"
    )
    assert fake_slack.calls_to("views.open")[-1].token == "xoxb-fake"

    slack.event({"type": "app_uninstalled"})
    slack.wait_for(
        lambda: db.scalar(select(Installation)) is None or db.expire_all(),
        what="the token to be deleted",
    )
