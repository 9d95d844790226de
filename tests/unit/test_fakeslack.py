"""Tests of the fake Slack Web API itself, driven by a real slack_sdk WebClient over HTTP."""

from __future__ import annotations

import contextlib
import io
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from slacksim.fakeslack import FakeSlack

START = 1_700_000_000.0  # 2023-11-14, winter time in Berlin


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeSlack]:
    fake = FakeSlack(clock=clock)
    fake.add_user("U1", name="ada", real_name="Ada Lovelace")
    fake.add_user("U2", name="bob", tz="America/New_York")
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    # No retry handlers: tests see each answer as it is.
    return WebClient(token="xoxb-fake", base_url=fake.base_url, retry_handlers=[])


def error_of(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call()
    return info.value


def section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def modal(title: str = "Reflect", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("hello")],
        **extra,
    }


def text_input(block_id: str = "b1") -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "What happened?"},
        "element": {"type": "plain_text_input", "action_id": "a1"},
    }


# --- basics -------------------------------------------------------------------------


def test_auth_test_and_auth_errors(fake: FakeSlack, client: WebClient) -> None:
    resp = client.auth_test()
    assert resp["user_id"] == "UBOTSC"
    assert resp["team_id"] == "T0001"
    assert resp["enterprise_id"] is None
    bad = WebClient(token="xoxb-wrong", base_url=fake.base_url)
    assert error_of(bad.auth_test).response["error"] == "invalid_auth"
    assert error_of(lambda: client.api_call("nope.method")).response["error"] == "unknown_method"
    assert [c.status for c in fake.calls] == [200, 200, 200]
    assert [r["error"] for r in fake.rejections] == ["invalid_auth", "unknown_method"]


def test_wsgi_app_works_at_any_prefix(fake: FakeSlack) -> None:
    body = b"token=xoxb-fake&user=U1"
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/sandbox/slack/api/users.info",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        statuses.append(status)
        return lambda data: None

    out = fake.wsgi_app(environ, start_response)
    assert statuses == ["200 OK"]
    assert json.loads(b"".join(out))["user"]["name"] == "ada"
    assert fake.calls[-1].token == "xoxb-fake" and "token" not in fake.calls[-1].args


def test_users_info_timezone(fake: FakeSlack, client: WebClient) -> None:
    ada = client.users_info(user="U1")["user"]
    assert ada["tz"] == "Europe/Berlin"
    assert ada["tz_offset"] == 3600
    assert ada["tz_label"] == "Central European Time"
    assert ada["profile"]["real_name"] == "Ada Lovelace"
    assert client.users_info(user="U2")["user"]["tz_offset"] == -5 * 3600
    assert fake.users["U1"].name == "ada" and fake.users["UBOTSC"].is_bot
    assert error_of(lambda: client.users_info(user="U404")).response["error"] == "user_not_found"


def test_deleted_user(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="U1", text="hi")
    fake.set_user("U1", deleted=True)
    assert client.users_info(user="U1")["user"]["deleted"] is True
    assert error_of(lambda: client.conversations_open(users="U1")).response["error"] == (
        "user_disabled"
    )
    error = error_of(lambda: client.chat_postMessage(channel="DU1", text="hi"))
    assert error.response["error"] == "is_archived"


def test_an_uninstalled_app_is_refused_until_installed_again(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.uninstall_app()
    assert not fake.installed
    error = error_of(lambda: client.chat_postMessage(channel="U1", text="hi"))
    assert error.response["error"] == "token_revoked"  # Slack: "the app has been removed"
    assert fake.messages("U1") == []
    access = client.oauth_v2_access(client_id="1.2", client_secret="s", code="fake-oauth-code")
    assert access["access_token"] == "xoxb-fake" and fake.installed
    assert client.chat_postMessage(channel="U1", text="hi")["ok"]


def test_user_change_carries_the_user_as_users_info_shows_them(fake: FakeSlack) -> None:
    from slacksim.fakeslack import payloads

    fake.set_user("U1", deleted=True)
    event = payloads.user_change(fake.user_api("U1"))
    assert event["type"] == "user_change"
    assert event["user"]["id"] == "U1" and event["user"]["deleted"] is True
    assert payloads.tokens_revoked(oauth=["U1"])["tokens"] == {"oauth": ["U1"]}
    assert payloads.tokens_revoked(bot=["UBOTSC"])["tokens"] == {"bot": ["UBOTSC"]}


# --- messages -----------------------------------------------------------------------


def test_post_update_history_with_metadata(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "repair_started", "event_payload": {"repair_id": 7}}
    first = client.chat_postMessage(channel="U1", text="first", metadata=metadata)
    assert first["channel"] == fake.dm_channel("U1") == "DU1"
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    second = client.chat_postMessage(channel="DU1", text="second", blocks=[section("*two*")])
    assert float(second["ts"]) > float(first["ts"])
    assert first["ts"].startswith("1700000000.")

    client.chat_update(channel="DU1", ts=first["ts"], text="first, edited")
    error = error_of(lambda: client.chat_update(channel="DU1", ts="1.000000", text="x"))
    assert error.response["error"] == "message_not_found"

    plain = client.conversations_history(channel="DU1")["messages"]
    assert [m["text"] for m in plain] == ["second", "first, edited"]  # newest first
    assert all("metadata" not in m for m in plain)
    full = client.conversations_history(channel="DU1", include_all_metadata=True)["messages"]
    assert full[1]["metadata"] == metadata
    assert full[1]["edited"]["user"] == "UBOTSC"
    limited = client.conversations_history(channel="DU1", limit=1, oldest=first["ts"])
    assert [m["ts"] for m in limited["messages"]] == [second["ts"]]

    stored = fake.messages("U1")
    assert [m["text"] for m in stored] == ["first, edited", "second"]  # oldest first
    assert stored[0]["edited"] is True and stored[1]["edited"] is False
    assert stored[0]["metadata"] == metadata and stored[0]["user"] == "UBOTSC"
    assert stored[1]["blocks"] == [section("*two*")]


def test_form_encoded_metadata_and_blocks_are_parsed(fake: FakeSlack, client: WebClient) -> None:
    metadata = {"event_type": "e", "event_payload": {"k": "v"}}
    client.api_call(
        "chat.postMessage",
        data={
            "channel": "U1",
            "text": "form",
            "metadata": json.dumps(metadata),
            "blocks": json.dumps([section("x")]),
        },
    )
    assert fake.messages("U1")[0]["metadata"] == metadata
    assert fake.calls_to("chat.postMessage")[0].args["blocks"] == [section("x")]


def test_post_needs_text_or_blocks_and_known_channel(client: WebClient) -> None:
    no_text = error_of(lambda: client.api_call("chat.postMessage", json={"channel": "U1"}))
    assert no_text.response["error"] == "no_text"
    error = error_of(lambda: client.chat_postMessage(channel="C404", text="x"))
    assert error.response["error"] == "channel_not_found"


def test_ephemeral_permalink_and_threads(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="U1", text="parent")
    client.chat_postMessage(channel="U1", text="reply", thread_ts=parent["ts"])
    client.chat_postEphemeral(channel="DU1", user="U1", text="only you")
    assert [e["text"] for e in fake.ephemerals("U1")] == ["only you"]
    link = client.chat_getPermalink(channel="DU1", message_ts=parent["ts"])["permalink"]
    assert link == f"https://acme.slack.com/archives/DU1/p{parent['ts'].replace('.', '')}"
    history = client.conversations_history(channel="DU1")["messages"]
    assert [m["text"] for m in history] == ["parent"]  # replies stay in the thread
    replies = client.conversations_replies(channel="DU1", ts=parent["ts"])["messages"]
    assert [m["text"] for m in replies] == ["parent", "reply"]


def test_concurrent_posts_get_unique_timestamps(fake: FakeSlack, client: WebClient) -> None:
    def post(i: int) -> None:
        client.chat_postMessage(channel="U1", text=str(i))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stamps = [m["ts"] for m in fake.messages("U1")]
    assert len(set(stamps)) == 20 and stamps == sorted(stamps, key=float)


# --- validation ---------------------------------------------------------------------


def test_invalid_message_blocks_are_refused(fake: FakeSlack, client: WebClient) -> None:
    cases = [
        [section(str(i)) for i in range(51)],
        [{"type": "fancy_new_block", "text": "x"}],
        [section("a", block_id="same"), section("b", block_id="same")],
        [text_input()],
        [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        [{"type": "actions", "elements": [{"type": "mystery", "action_id": "a"}]}],
        [section("x") | {"acessory": {}}],
    ]
    for blocks in cases:
        error = error_of(lambda b=blocks: client.chat_postMessage(channel="U1", text="t", blocks=b))
        assert error.response["error"] == "invalid_blocks", blocks
        assert error.response["errors"]
    assert fake.messages("U1") == []
    assert len(fake.rejections) == len(cases)
    assert "duplicate block_id" in fake.rejections[2]["details"]
    client.chat_postMessage(channel="U1", text="t", blocks=[section(str(i)) for i in range(50)])


def test_invalid_views_are_refused(fake: FakeSlack, client: WebClient) -> None:
    def open_view(view: dict[str, Any]) -> SlackApiError:
        return error_of(lambda: client.views_open(trigger_id=fake.issue_trigger("U1"), view=view))

    assert open_view(modal("x" * 25)).response["error"] == "invalid_arguments"
    no_submit = modal(blocks=[text_input()])
    assert "submit" in open_view(no_submit).response["errors"][0]
    bad_option = modal(
        blocks=[
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "pick"},
                "accessory": {
                    "type": "static_select",
                    "action_id": "pick",
                    "options": [
                        {"text": {"type": "plain_text", "text": "o" * 76}, "value": "1"},
                    ],
                },
            }
        ]
    )
    assert open_view(bad_option).response["error"] == "invalid_blocks"
    assert open_view(modal(private_metadata="m" * 3001)).response["error"] == "invalid_arguments"
    assert open_view({"type": "home", "blocks": [section("x")]}).response["error"] == (
        "invalid_arguments"
    )
    assert fake.view_stack("U1") == []
    ok = modal(blocks=[text_input()], submit={"type": "plain_text", "text": "Save"})
    client.views_open(trigger_id=fake.issue_trigger("U1"), view=ok)
    assert len(fake.view_stack("U1")) == 1


# --- views --------------------------------------------------------------------------


def test_views_open_trigger_rules(fake: FakeSlack, client: WebClient, clock: Clock) -> None:
    trigger = fake.issue_trigger("U1")
    view = client.views_open(trigger_id=trigger, view=modal(callback_id="reflect"))["view"]
    assert view["id"] and view["hash"] and view["root_view_id"] == view["id"]
    assert view["previous_view_id"] is None and view["callback_id"] == "reflect"
    stack = fake.view_stack("U1")
    assert [v["id"] for v in stack] == [view["id"]]
    assert stack[0]["title"]["text"] == "Reflect"

    reused = error_of(lambda: client.views_open(trigger_id=trigger, view=modal()))
    assert reused.response["error"] == "expired_trigger_id"
    stale = fake.issue_trigger("U1")
    clock.now += 3.5
    expired = error_of(lambda: client.views_open(trigger_id=stale, view=modal()))
    assert expired.response["error"] == "expired_trigger_id"
    unknown = error_of(lambda: client.views_open(trigger_id="123.456.abc", view=modal()))
    assert unknown.response["error"] == "invalid_trigger_id"
    missing = error_of(lambda: client.api_call("views.open", json={"view": modal()}))
    assert missing.response["error"] == "invalid_trigger_id"


def test_push_limit_and_response_actions(fake: FakeSlack, client: WebClient) -> None:
    root = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal("One"))["view"]
    second = client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Two"))["view"]
    third = client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Three"))["view"]
    assert second["previous_view_id"] == root["id"] and third["root_view_id"] == root["id"]
    error = error_of(
        lambda: client.views_push(trigger_id=fake.issue_trigger("U1"), view=modal("Four"))
    )
    assert error.response["error"] == "push_limit_reached"
    assert [v["title"]["text"] for v in fake.view_stack("U1")] == ["One", "Two", "Three"]

    fake.apply_response_action("U1", third["id"], {})  # plain ack closes the top view
    assert [v["id"] for v in fake.view_stack("U1")] == [root["id"], second["id"]]
    form = modal("Form", blocks=[text_input("why")], submit={"type": "plain_text", "text": "Go"})
    fake.apply_response_action("U1", second["id"], {"response_action": "update", "view": form})
    top = fake.view_stack("U1")[-1]
    assert top["id"] == second["id"] and top["title"]["text"] == "Form"
    errors = {"why": "Please say more"}
    assert (
        fake.apply_response_action("U1", top["id"], {"response_action": "errors", "errors": errors})
        == errors
    )
    assert (
        fake.apply_response_action(
            "U1", top["id"], {"response_action": "errors", "errors": {"nope": "x"}}
        )
        is None
    )
    assert fake.rejections[-1]["method"] == "view_submission"
    fake.apply_response_action("U1", top["id"], {"response_action": "push", "view": modal("Done")})
    assert len(fake.view_stack("U1")) == 3
    with pytest.raises(ValueError):
        fake.apply_response_action("U1", root["id"], {})  # not the top view
    fake.apply_response_action("U1", fake.view_stack("U1")[-1]["id"], {"response_action": "clear"})
    assert fake.view_stack("U1") == []


def test_a_field_error_shows_until_the_next_submit_or_the_field_is_drawn_again(
    fake: FakeSlack, client: WebClient
) -> None:
    submit = {"type": "plain_text", "text": "Go"}
    form = modal("Form", blocks=[text_input("why"), text_input("who")], submit=submit)
    view = client.views_open(trigger_id=fake.issue_trigger("U1"), view=form)["view"]
    errors = {"why": "Please say more", "who": "That's you"}
    fake.apply_response_action("U1", view["id"], {"response_action": "errors", "errors": errors})
    assert fake.field_errors(view["id"]) == errors
    # The app draws "who" again (a dispatched choice); "why" it leaves exactly as it was.
    who = {**text_input("who"), "hint": {"type": "plain_text", "text": "Someone else"}}
    redrawn = modal("Form", blocks=[text_input("why"), who], submit=submit)
    client.views_update(view_id=view["id"], view=redrawn)
    assert fake.field_errors(view["id"]) == {"why": "Please say more"}
    fake.apply_response_action("U1", view["id"], {"response_action": "update", "view": redrawn})
    assert fake.field_errors(view["id"]) == {}
    fake.apply_response_action("U1", view["id"], {"response_action": "errors", "errors": errors})
    fake.close_top_view("U1")
    assert fake.field_errors(view["id"]) == {}


def test_views_update_and_hash(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal(external_id="ext-1"))[
        "view"
    ]
    updated = client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Two"))["view"]
    assert updated["id"] == view["id"] and updated["hash"] != view["hash"]
    assert updated["external_id"] == "ext-1"
    stale = error_of(
        lambda: client.views_update(view_id=view["id"], hash=view["hash"], view=modal())
    )
    assert stale.response["error"] == "hash_conflict"
    by_external = client.views_update(external_id="ext-1", view=modal("Three"))["view"]
    assert by_external["id"] == view["id"]
    assert fake.view_stack("U1")[0]["title"]["text"] == "Three"
    missing = error_of(lambda: client.views_update(view_id="V404", view=modal()))
    assert missing.response["error"] == "not_found"
    fake.close_views("U1")
    assert fake.view_stack("U1") == []


def test_updating_a_modal_the_person_closed_is_a_race_not_a_mistake(
    fake: FakeSlack, client: WebClient
) -> None:
    # The app redraws a modal just after the person closed it (or submitted it away): Slack
    # answers not_found, which the app expects; only an id that never was is its mistake.
    first = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal())["view"]
    fake.close_top_view("U1")
    second = client.views_open(trigger_id=fake.issue_trigger("U1"), view=modal())["view"]
    fake.apply_response_action("U1", second["id"], None)  # submitted: the modal closes
    for gone in (first["id"], second["id"], "V404"):
        assert (
            error_of(lambda g=gone: client.views_update(view_id=g, view=modal())).response["error"]
            == "not_found"
        )
    assert [c["details"] for c in fake.conflicts] == [first["id"], second["id"]]
    assert [r["details"] for r in fake.rejections] == ["V404"]


def test_views_publish_home(fake: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [section("Welcome"), text_input()]}
    first = client.views_publish(user_id="U1", view=home)["view"]
    again = client.views_publish(user_id="U1", view=home, hash=first["hash"])["view"]
    assert again["id"] == first["id"]
    stale = error_of(lambda: client.views_publish(user_id="U1", view=home, hash=first["hash"]))
    assert stale.response["error"] == "hash_conflict"
    stored = fake.home("U1")
    assert stored is not None and stored["blocks"][0]["text"]["text"] == "Welcome"
    # Like Slack, blocks without a block_id get one; given ids are kept.
    assert stored["blocks"][0]["block_id"] and stored["blocks"][1]["block_id"] == "b1"
    assert fake.home("U2") is None
    assert error_of(lambda: client.views_publish(user_id="U1", view=modal())).response["error"] == (
        "invalid_arguments"
    )


# --- faults and limits --------------------------------------------------------------


def test_fail_next_429_is_retried_after_retry_after(fake: FakeSlack) -> None:
    client = WebClient(
        token="xoxb-fake",
        base_url=fake.base_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    client.chat_postMessage(channel="U1", text="eventually")
    assert time.monotonic() - started >= 1.0
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(fake.messages("U1")) == 1  # the refused attempt had no effect
    assert fake.rejections == []  # injected faults are not the app's fault


def test_fail_next_500_and_reset(fake: FakeSlack, client: WebClient) -> None:
    quick = FixedValueRetryIntervalCalculator(0.01)
    fake.fail_next("users.info", status=500)
    assert error_of(lambda: client.users_info(user="U1")).response.status_code == 500
    fake.fail_next("users.info", reset=True)
    with pytest.raises((ConnectionError, OSError)):
        client.users_info(user="U1")
    retrying = WebClient(
        token="xoxb-fake",
        base_url=fake.base_url,
        retry_handlers=[ConnectionErrorRetryHandler(interval_calculator=quick)],
    )
    fake.fail_next("users.info", reset=True)
    assert retrying.users_info(user="U1")["user"]["id"] == "U1"
    assert [c.status for c in fake.calls_to("users.info")] == [500, 0, 0, 200]


def test_per_channel_rate_limit(fake: FakeSlack, client: WebClient, clock: Clock) -> None:
    fake.per_channel_per_second = 1
    client.chat_postMessage(channel="U1", text="one")
    error = error_of(lambda: client.chat_postMessage(channel="DU1", text="two"))
    assert error.response.status_code == 429
    assert error.response["error"] == "ratelimited"
    assert int(error.response.headers["Retry-After"]) >= 1
    client.chat_postMessage(channel="U2", text="other channel is fine")
    clock.now += 1
    client.chat_postMessage(channel="U1", text="later is fine")
    assert [m["text"] for m in fake.messages("U1")] == ["one", "later is fine"]
    assert fake.rejections[-1]["error"] == "ratelimited"


def test_workspace_rate_limit(fake: FakeSlack, client: WebClient) -> None:
    fake.workspace_per_second = 2
    client.chat_postMessage(channel="U1", text="1")
    client.chat_postMessage(channel="U2", text="2")
    error = error_of(lambda: client.chat_postMessage(channel="U1", text="3"))
    assert error.response.status_code == 429


def test_failure_rate_is_seeded(fake: FakeSlack) -> None:
    def run() -> list[int]:
        fake.calls.clear()
        fake.failure_seed = 42
        client = WebClient(token="xoxb-fake", base_url=fake.base_url, retry_handlers=[])
        for _ in range(30):
            with contextlib.suppress(SlackApiError, OSError):
                client.auth_test()
        return [c.status for c in fake.calls]

    fake.failure_rate = 0.5
    first = run()
    assert first == run()
    assert {200, 500, 429, 0} <= set(first)


# --- tokens: granted scopes, rotation, orgs -------------------------------------------------


def test_every_answer_names_the_granted_scopes_and_a_missing_one_is_refused(
    fake: FakeSlack,
) -> None:
    client = WebClient(token="xoxb-fake", base_url=fake.base_url)
    answer = client.auth_test()
    assert answer.headers["x-oauth-scopes"] == (
        "commands,chat:write,im:write,im:history,users:read,files:write,canvases:write"
    )
    fake.granted_scopes = ["commands", "chat:write"]
    assert client.auth_test().headers["x-oauth-scopes"] == "commands,chat:write"
    with pytest.raises(SlackApiError) as refused:
        client.users_info(user="U1")
    assert refused.value.response["error"] == "missing_scope"
    assert refused.value.response["needed"] == "users:read"
    assert refused.value.response["provided"] == "commands,chat:write"
    client.chat_postMessage(channel="U1", text="still allowed")


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
