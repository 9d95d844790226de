"""Multi-workspace installs: /slack/install, /slack/oauth_redirect, tokens encrypted at rest."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Installation, Workspace
from slackapp.kernel.clock import ManualClock
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import (
    EMPLOYEE,
    SIGNING_SECRET,
    TEAM_ID,
)
from tests.support.oauth import get
from tests.support.oauth import oauth_app as running_oauth_app


@pytest.fixture
def oauth_app(
    fake_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[str]:
    with running_oauth_app(fake_slack, engine, database_url, clock) as running:
        yield running.url


def test_install_stores_an_encrypted_token_and_the_workspace_then_works(
    oauth_app: str, fake_slack: FakeSlack, db: Session
) -> None:
    status, page = get(oauth_app + "/slack/install")
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
    status, page = get(oauth_app + f"/slack/oauth_redirect?code=fake-oauth-code&state={state}")
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
