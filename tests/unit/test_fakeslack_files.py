"""Files the app uploads land in the DM as Slack shows them, with their bytes kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slacksim.fakeslack import FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack(clock=lambda: 1_700_000_000.0)
    fake.add_user("U1", name="ada", real_name="Ada Lovelace")
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-fake", base_url=fake.base_url, retry_handlers=[])


def test_files_upload_v2_shares_a_file_slack_describes(fake: FakeSlack, client: WebClient) -> None:
    channel = client.conversations_open(users="U1")["channel"]["id"]
    client.files_upload_v2(
        channel=channel,
        content='{"plans": []}',
        filename="export.json",
        title="Your data",
        initial_comment="Here it is.",
    )
    [message] = fake.messages("U1")
    assert message["text"] == "Here it is."
    [shared] = message["files"]
    assert {k: shared[k] for k in ("name", "title", "filetype", "pretty_type", "size")} == {
        "name": "export.json",
        "title": "Your data",
        "filetype": "json",
        "pretty_type": "JSON",
        "size": 13,
    }
    assert shared["mimetype"] == "application/json"
    assert fake.shared_file(shared["id"]) == ("export.json", b'{"plans": []}')
    # What Slack's API returns carries no content, in history too.
    history = client.conversations_history(channel=channel)["messages"]
    assert "content" not in history[0]["files"][0]


def test_the_one_call_files_upload_shares_into_each_channel(
    fake: FakeSlack, client: WebClient
) -> None:
    answer = client.api_call(
        "files.upload",
        data={"channels": "U1", "content": "a,b\n1,2\n", "filename": "steps.csv"},
    )
    assert answer["file"]["pretty_type"] == "CSV" and "content" not in answer["file"]
    [message] = fake.messages("U1")
    assert fake.shared_file(message["files"][0]["id"]) == ("steps.csv", b"a,b\n1,2\n")
    with pytest.raises(SlackApiError) as refused:
        client.api_call("files.upload", data={"channels": "U1"})
    assert refused.value.response["error"] == "no_file_data"


def test_a_file_never_shared_is_not_served(fake: FakeSlack, client: WebClient) -> None:
    ticket = client.files_getUploadURLExternal(filename="draft.txt", length=5)
    assert fake.shared_file(ticket["file_id"]) is None
    assert fake.shared_file("FNOSUCH") is None


def test_files_delete_leaves_a_tombstone_and_refuses_a_second_time(
    fake: FakeSlack, client: WebClient
) -> None:
    channel = client.conversations_open(users="U1")["channel"]["id"]
    file_id = client.files_upload_v2(channel=channel, content="{}", filename="export.json")["file"][
        "id"
    ]
    assert client.files_delete(file=file_id)["ok"]
    [message] = fake.messages("U1")
    assert message["files"] == [{"id": file_id, "mode": "tombstone"}]
    history = client.conversations_history(channel=channel)["messages"]
    assert history[0]["files"] == [{"id": file_id, "mode": "tombstone"}]
    assert fake.shared_file(file_id) is None
    for file, error in ((file_id, "file_deleted"), ("FNOSUCH", "file_not_found")):
        with pytest.raises(SlackApiError) as refused:
            client.files_delete(file=file)
        assert refused.value.response["error"] == error
