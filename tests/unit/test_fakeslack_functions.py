"""The fake Slack's custom steps: a run's function_executed event, its short-lived token, and
functions.completeSuccess / completeError as Slack documents them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from slacksim.fakeslack import FakeSlack
from tests.unit.test_fakeslack import START, Clock, error_of

DEFINITION = {
    "step": {
        "title": "A step",
        "description": "Does a thing",
        "input_parameters": {"who": {"type": "slack#/types/user_id", "is_required": True}},
        "output_parameters": {
            "rating": {"type": "string", "is_required": True},
            "note": {"type": "string"},
        },
    }
}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeSlack]:
    fake = FakeSlack(clock=clock)
    fake.add_user("U1", name="ada")
    fake.declare_functions(DEFINITION)
    fake.start()
    yield fake
    fake.stop()


def _client(fake: FakeSlack, token: str = "xoxb-fake") -> WebClient:
    return WebClient(token=token, base_url=fake.base_url, retry_handlers=[])


def test_the_event_is_in_slacks_shape(fake: FakeSlack) -> None:
    event = fake.start_function("step", {"who": "U1"})
    assert event["type"] == "function_executed"
    assert event["function"]["callback_id"] == "step"
    assert event["function"]["input_parameters"][0]["name"] == "who"
    assert event["inputs"] == {"who": "U1"}
    assert event["function_execution_id"].startswith("Fx")
    assert event["bot_access_token"].startswith("xwfp-")
    with pytest.raises(KeyError):
        fake.start_function("not_declared", {})
    with pytest.raises(ValueError):
        fake.start_function("step", {})  # a required input missing


def test_a_run_ends_once_with_outputs_that_match(fake: FakeSlack) -> None:
    run_id = fake.start_function("step", {"who": "U1"})["function_execution_id"]
    client = _client(fake)
    missing = error_of(
        lambda: client.functions_completeSuccess(function_execution_id=run_id, outputs={})
    )
    assert missing.response["error"] == "parameter_validation_failed"
    extra = error_of(
        lambda: client.functions_completeSuccess(
            function_execution_id=run_id, outputs={"rating": "ok", "other": "x"}
        )
    )
    assert extra.response["error"] == "parameter_validation_failed"
    client.functions_completeSuccess(function_execution_id=run_id, outputs={"rating": "ok"})
    run = fake.function_run(run_id)
    assert (run.state, run.outputs) == ("completed", {"rating": "ok"})
    again = error_of(
        lambda: client.functions_completeError(function_execution_id=run_id, error="x")
    )
    assert again.response["error"] == "execution_not_in_running_state"
    unknown = error_of(
        lambda: client.functions_completeError(function_execution_id="Fx9", error="x")
    )
    assert unknown.response["error"] == "function_execution_not_found"


def test_complete_error_needs_a_reason(fake: FakeSlack) -> None:
    run_id = fake.start_function("step", {"who": "U1"})["function_execution_id"]
    client = _client(fake)
    blank = error_of(
        lambda: client.functions_completeError(function_execution_id=run_id, error=" ")
    )
    assert blank.response["error"] == "invalid_arguments"
    client.functions_completeError(function_execution_id=run_id, error="No manager")
    assert fake.function_run(run_id).error == "No manager"


def test_the_runs_token_works_until_it_ends_or_15_minutes_pass(
    fake: FakeSlack, clock: Clock
) -> None:
    first = fake.start_function("step", {"who": "U1"})
    token_client = _client(fake, first["bot_access_token"])
    assert token_client.users_info(user="U1")["user"]["id"] == "U1"
    token_client.functions_completeError(
        function_execution_id=first["function_execution_id"], error="done"
    )
    assert error_of(lambda: token_client.users_info(user="U1")).response["error"] == "invalid_auth"

    second = fake.start_function("step", {"who": "U1"})
    late = _client(fake, second["bot_access_token"])
    clock.now = START + 15 * 60
    assert error_of(lambda: late.users_info(user="U1")).response["error"] == "invalid_auth"
    # The bot token can still end the run (what the app does after days).
    _client(fake).functions_completeSuccess(
        function_execution_id=second["function_execution_id"], outputs={"rating": "ok"}
    )


def test_a_persons_channel_message_is_theirs(fake: FakeSlack) -> None:
    said = fake.post_as("U1", "CGENERAL", "hello")
    assert said["user"] == "U1"
    link = _client(fake).chat_getPermalink(channel="CGENERAL", message_ts=said["ts"])
    assert link["permalink"].endswith(said["ts"].replace(".", ""))
    [history] = _client(fake).conversations_history(channel="CGENERAL")["messages"]
    assert history["user"] == "U1" and "bot_id" not in history
