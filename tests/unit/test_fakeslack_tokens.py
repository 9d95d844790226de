"""The fake Slack's tokens as Slack handles them: the granted scopes in every answer's
x-oauth-scopes header, missing_scope for the rest, expiring tokens and one-time refresh tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slacksim.fakeslack import FakeSlack


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeSlack]:
    with FakeSlack(clock=clock) as running:
        running.add_user("UEMMA", name="emma")
        yield running


def test_every_answer_names_the_granted_scopes_and_a_missing_one_is_refused(
    fake: FakeSlack,
) -> None:
    client = WebClient(token="xoxb-fake", base_url=fake.base_url)
    answer = client.auth_test()
    assert answer.headers["x-oauth-scopes"] == (
        "commands,chat:write,im:write,im:history,users:read,files:write"
    )
    fake.granted_scopes = ["commands", "chat:write"]
    assert client.auth_test().headers["x-oauth-scopes"] == "commands,chat:write"
    with pytest.raises(SlackApiError) as refused:
        client.users_info(user="UEMMA")
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "users:read"
    assert refused.value.response["provided"] == "commands,chat:write"
    client.chat_postMessage(channel="UEMMA", text="still allowed")


def test_rotation_hands_out_expiring_tokens_and_one_time_refresh_tokens(
    fake: FakeSlack, clock: Clock
) -> None:
    fake.rotate_tokens(lifetime_seconds=3600)
    oauth = WebClient(base_url=fake.base_url)
    first = oauth.oauth_v2_access(client_id="1", client_secret="s", code="fake-oauth-code")
    assert first["token_type"] == "bot" and first["expires_in"] == 3600
    token, refresh = first["access_token"], first["refresh_token"]
    assert token.startswith("xoxe.xoxb-") and refresh.startswith("xoxe-")
    assert WebClient(token=token, base_url=fake.base_url).auth_test()["ok"]

    clock.now += 3600
    with pytest.raises(SlackApiError) as expired:
        WebClient(token=token, base_url=fake.base_url).auth_test()
    assert expired.value.response["error"] == "token_expired"

    second = oauth.oauth_v2_access(
        client_id="1", client_secret="s", grant_type="refresh_token", refresh_token=refresh
    )
    assert second["access_token"] != token and second["refresh_token"] != refresh
    assert fake.bot_token == second["access_token"]
    assert WebClient(token=fake.bot_token, base_url=fake.base_url).auth_test()["ok"]
    with pytest.raises(SlackApiError) as spent:
        oauth.oauth_v2_access(
            client_id="1", client_secret="s", grant_type="refresh_token", refresh_token=refresh
        )
    assert spent.value.response["error"] == "invalid_refresh_token"


def test_an_org_wide_install_belongs_to_the_org(fake: FakeSlack) -> None:
    fake.join_enterprise("E0ACME")
    answer = WebClient(base_url=fake.base_url).oauth_v2_access(
        client_id="1", client_secret="s", code="fake-oauth-code"
    )
    assert answer["is_enterprise_install"] is True
    assert answer["team"] is None and answer["enterprise"]["id"] == "E0ACME"
    me = WebClient(token=answer["access_token"], base_url=fake.base_url).auth_test()
    assert me["enterprise_id"] == "E0ACME" and me["is_enterprise_install"] is True
