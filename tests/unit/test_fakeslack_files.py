"""Files the app uploads land in the DM as Slack shows them, with their bytes kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


# -- an image block showing a file the app uploaded (its Slack file object) ----------------------


def _png(width: int = 8, height: int = 4) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def _private_upload(client: WebClient, content: bytes, filename: str) -> dict[str, Any]:
    """Uploaded with no channel: private to the app, as Slack keeps it."""
    return dict(client.files_upload_v2(content=content, filename=filename, title="Chart")["file"])


def _home(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks}


def _image(**source: Any) -> dict[str, Any]:
    return {"type": "image", "alt_text": "Ratings over time", **source}


def _publish_error(client: WebClient, blocks: list[dict[str, Any]]) -> tuple[str, list[str]]:
    with pytest.raises(SlackApiError) as raised:
        client.views_publish(user_id="U1", view=_home(blocks))
    body = raised.value.response.data
    assert isinstance(body, dict)
    return str(body["error"]), list(body["response_metadata"]["messages"])


def test_an_image_block_shows_a_private_png_by_id_or_by_its_urls(
    fake: FakeSlack, client: WebClient
) -> None:
    uploaded = _private_upload(client, _png(), "trend.png")
    assert fake.messages("U1") == []  # private: shared nowhere
    assert fake.shared_file(uploaded["id"]) is None
    assert uploaded["mimetype"] == "image/png" and uploaded["filetype"] == "png"
    assert fake.image_file(uploaded["id"]) == ("trend.png", _png())
    blocks = [
        _image(slack_file={"id": uploaded["id"]}, title={"type": "plain_text", "text": "Trend"}),
        _image(slack_file={"url": uploaded["url_private"]}, block_id="by_url"),
        _image(slack_file={"url": uploaded["permalink"]}, block_id="by_link"),
    ]
    client.views_publish(user_id="U1", view=_home(blocks))
    home = fake.home("U1")
    assert home is not None
    assert home["blocks"][0]["slack_file"] == {"id": uploaded["id"]}


def test_the_image_blocks_source_is_exactly_one_of_image_url_or_slack_file(
    fake: FakeSlack, client: WebClient
) -> None:
    file_id = _private_upload(client, _png(), "trend.png")["id"]
    both = _image(image_url="https://example.com/a.png", slack_file={"id": file_id})
    assert _publish_error(client, [both]) == (
        "invalid_blocks",
        [
            "[ERROR] must provide exactly one of image_url or slack_file [json-pointer:/view/blocks/0]"
        ],
    )
    neither = _image()
    assert _publish_error(client, [neither])[1] == [
        "[ERROR] must provide either image_url or slack_file [json-pointer:/view/blocks/0]"
    ]
    id_and_url = _image(slack_file={"id": file_id, "url": "https://files.slack.com/x.png"})
    assert _publish_error(client, [id_and_url])[1] == [
        "[ERROR] must provide exactly one of id or url [json-pointer:/view/blocks/0/slack_file]"
    ]
    assert (
        "[json-pointer:/view/blocks/0/slack_file]"
        in _publish_error(client, [_image(slack_file={})])[1][0]
    )
    assert _publish_error(client, [_image(slack_file={"id": "not-a-file"})])[1] == [
        "[ERROR] input must match regex pattern: ^F[A-Z0-9]{8,}$ "
        "[json-pointer:/view/blocks/0/slack_file/id]"
    ]


def test_the_alt_text_and_title_have_slacks_limits(fake: FakeSlack, client: WebClient) -> None:
    file_id = _private_upload(client, _png(), "trend.png")["id"]
    no_alt = {"type": "image", "slack_file": {"id": file_id}}
    assert _publish_error(client, [no_alt])[0] == "invalid_blocks"
    long_alt = _image(slack_file={"id": file_id}, alt_text="x" * 2001)
    assert "[json-pointer:/view/blocks/0/alt_text]" in " ".join(
        _publish_error(client, [long_alt])[1]
    )
    mrkdwn_title = _image(slack_file={"id": file_id}, title={"type": "mrkdwn", "text": "*a*"})
    assert _publish_error(client, [mrkdwn_title])[0] == "invalid_blocks"
    client.views_publish(
        user_id="U1", view=_home([_image(slack_file={"id": file_id}, alt_text="x" * 2000)])
    )


@pytest.mark.parametrize("case", ["unknown", "not_an_image", "png_name_other_bytes", "deleted"])
def test_a_slack_file_must_be_an_image_this_workspace_holds(
    fake: FakeSlack, client: WebClient, case: str
) -> None:
    if case == "unknown":
        file_id = "F0123456789"
    elif case == "not_an_image":
        file_id = _private_upload(client, b"a,b\n1,2\n", "steps.csv")["id"]
    elif case == "png_name_other_bytes":
        file_id = _private_upload(client, b"not a picture", "trend.png")["id"]
    else:
        file_id = _private_upload(client, _png(), "trend.png")["id"]
        client.files_delete(file=file_id)
    assert _publish_error(client, [_image(slack_file={"id": file_id})]) == (
        "invalid_blocks",
        ["[ERROR] invalid slack file [json-pointer:/view/blocks/0/slack_file]"],
    )
    assert fake.image_file(file_id) is None


def test_an_upload_not_completed_is_not_a_file_yet(fake: FakeSlack, client: WebClient) -> None:
    """The bytes sent to the upload URL, but files.completeUploadExternal never called."""
    import urllib.request

    png = _png()
    ticket = client.files_getUploadURLExternal(filename="trend.png", length=len(png))
    urllib.request.urlopen(urllib.request.Request(ticket["upload_url"], data=png, method="POST"))
    blocks = [_image(slack_file={"id": ticket["file_id"]})]
    assert _publish_error(client, blocks)[0] == "invalid_blocks"
    client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}])
    client.views_publish(user_id="U1", view=_home(blocks))


def test_a_message_checks_its_slack_files_too(fake: FakeSlack, client: WebClient) -> None:
    """chat.postMessage, and image elements (a section's accessory, a context's)."""
    csv = _private_upload(client, b"a\n", "steps.csv")["id"]
    png = _private_upload(client, _png(), "trend.png")["id"]
    section = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": "Trend"},
        "accessory": {"type": "image", "slack_file": {"id": csv}, "alt_text": "chart"},
    }
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U1", text="Trend", blocks=[section])
    assert raised.value.response["errors"] == [
        "[ERROR] invalid slack file [json-pointer:/blocks/0/accessory/slack_file]"
    ]
    section["accessory"]["slack_file"] = {"id": png}
    client.chat_postMessage(channel="U1", text="Trend", blocks=[section])
    context = {
        "type": "context",
        "elements": [{"type": "image", "image_url": "https://example.com/a.png"}],
    }
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U1", text="Trend", blocks=[context])
    assert (
        "[ERROR] must be 1-2000 characters [json-pointer:/blocks/0/elements/0/alt_text]"
        in raised.value.response["errors"]
    )
