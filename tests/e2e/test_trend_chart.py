"""The feedback trend as a picture: after two rated answers the employee's App Home shows a small
PNG the app uploaded to Slack (privately), through an image block's Slack file object, under
"At a glance". It is uploaded once per set of ratings, never shown to the manager, dropped
quietly when the upload fails, and deleted with the rest of her data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from PIL import Image
from sqlalchemy.orm import Session

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.e2e.test_comeback_summary import _close_plan
from tests.support.expectations import after_the_meeting, agreed, home_text
from tests.support.feedback import request_dms, set_up_schedule
from tests.support.meeting import latest

WEEKLY = "A weekly status to you on Mondays"


def _answer(app: RunningApp, dm: dict[str, Any], values: dict[str, str]) -> None:
    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    app.slack.wait_for_view(MANAGER, "feedback_answer")
    assert app.slack.submit(MANAGER, values).status == 200


def _two_answers(app: RunningApp) -> None:
    """Two weekly requests, answered On track then Exceeding; the home checked in between."""
    app.slack.open_home(EMPLOYEE)
    after_the_meeting(app)
    agreed(app)
    set_up_schedule(app, first_date="2026-03-04", repeat="weekly")
    app.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    app.tick()
    [first] = request_dms(app)
    _answer(app, first, {"rating": "on_track", "expectation_rating_0": "not_yet_on_track"})
    home_text(app, EMPLOYEE, "Overall: :large_green_square:")
    # One rating is no trend: the squares, no picture.
    assert _chart(app) is None
    app.clock.set(datetime(2026, 3, 11, 13, 0, tzinfo=UTC))
    app.tick()
    second = app.slack.wait_for(
        lambda: len(request_dms(app)) == 2 and request_dms(app)[1], what="the second request"
    )
    _answer(app, second, {"rating": "exceeding", "expectation_rating_0": "exceeding"})
    home_text(app, EMPLOYEE, "Overall: :large_green_square::large_blue_square:")


def _chart(app: RunningApp, user_id: str = EMPLOYEE) -> dict[str, Any] | None:
    blocks = (app.fake.home(user_id) or {}).get("blocks") or []
    return next((b for b in blocks if b.get("type") == "image"), None)


def _charted(app: RunningApp) -> dict[str, Any]:
    """Two rated answers, and the chart they bring to her home."""
    _two_answers(app)
    return app.slack.wait_for(lambda: _chart(app), what="the trend chart on her home")


def test_two_rated_answers_show_a_chart_of_the_trend_the_fake_holds_as_a_png(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    chart = _charted(app)
    blocks = app.fake.home(EMPLOYEE)["blocks"]  # type: ignore[index]
    at = [b.get("block_id") for b in blocks].index("feedback_trend")
    assert blocks[at + 1] is not None and blocks[at + 1]["type"] == "image"  # under the squares
    assert set(chart["slack_file"]) == {"id"} and "image_url" not in chart
    assert chart["title"]["text"] == "Your ratings over time (oldest first)"
    alt = chart["alt_text"]
    assert "Overall: On track (" in alt and "Exceeding expectations (" in alt
    assert f"{WEEKLY}: Not yet on track, Exceeding expectations." in alt

    held = app.fake.image_file(chart["slack_file"]["id"])
    assert held is not None
    name, content = held
    assert name.endswith(".png") and content.startswith(b"\x89PNG")
    assert len(content) < 50_000  # small
    image = Image.open(BytesIO(content))
    assert image.format == "PNG"
    assert image.width == 480 and 100 <= image.height <= 400  # two strips: overall, the expectation
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 10  # not blank: lines and marks on the strips
    # Private to the app: the file is shared in no channel, the manager's DM included.
    assert app.fake.shared_file(chart["slack_file"]["id"]) is None
    uploads = app.fake.calls_to("files.completeUploadExternal")
    assert len(uploads) == 1 and not uploads[0].args.get("channel_id")

    # Opening her home again draws from the stored file: nothing uploaded again.
    published = app.fake.home_publishes(EMPLOYEE)
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: app.fake.home_publishes(EMPLOYEE) > published, what="a new publish")
    assert _chart(app) == chart
    assert len(app.fake.calls_to("files.getUploadURLExternal")) == 1

    # Never anyone else's to see: the manager's home and everything sent to him.
    assert _chart(app, MANAGER) is None
    sent_to_manager = json.dumps(
        [app.fake.home(MANAGER), app.fake.messages(MANAGER)], ensure_ascii=False
    )
    assert chart["slack_file"]["id"] not in sent_to_manager and "slack_file" not in sent_to_manager
    assert app.fake.rejections == []


def test_a_failed_upload_leaves_the_squares_and_tells_nobody(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    # One upload's every attempt (the client retries a 500 three times) fails.
    app.fake.fail_next("files.getUploadURLExternal", status=500, count=4)
    _two_answers(app)
    text = home_text(app, EMPLOYEE, "Overall: :large_green_square::large_blue_square:")
    assert "At a glance" in text and _chart(app) is None
    assert app.fake.calls_to("files.getUploadURLExternal")  # it was tried
    assert not [m for m in app.fake.messages(EMPLOYEE) if "wrong" in m["text"].lower()]
    # The next home soon after does not try again at once (no upload on every render) ...
    tried = len(app.fake.calls_to("files.getUploadURLExternal"))
    published = app.fake.home_publishes(EMPLOYEE)
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: app.fake.home_publishes(EMPLOYEE) > published, what="a publish")
    assert len(app.fake.calls_to("files.getUploadURLExternal")) == tried
    # ... an hour on it does, and the chart appears.
    app.clock.set(datetime(2026, 3, 11, 15, 0, tzinfo=UTC))
    app.slack.open_home(EMPLOYEE)
    chart = app.slack.wait_for(lambda: _chart(app), what="the chart, uploaded again")
    assert app.fake.image_file(chart["slack_file"]["id"]) is not None


def test_a_chart_slack_refuses_is_left_out_and_her_data_deletion_deletes_it(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    chart = _charted(app)
    file_id = chart["slack_file"]["id"]
    # Someone deleted the file in Slack: the image block would be refused, so it goes.
    assert app.fake.handle("files.delete", {"file": file_id}, app.fake.bot_token)[0] == 200
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: _chart(app) is None, what="the home without the chart")
    assert "At a glance" in home_text(app, EMPLOYEE, "At a glance")

    # An hour on, a new one; deleting her data deletes it from Slack too.
    app.clock.set(datetime(2026, 3, 11, 15, 0, tzinfo=UTC))
    app.slack.open_home(EMPLOYEE)
    fresh = app.slack.wait_for(lambda: _chart(app), what="a new chart")["slack_file"]["id"]
    assert fresh != file_id
    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    app.slack.wait_for(
        lambda: any("Your data is deleted" in m["text"] for m in app.fake.messages(EMPLOYEE)),
        what="the confirmation DM",
    )
    assert fresh in [c.args["file"] for c in app.fake.calls_to("files.delete")]
    assert app.fake.image_file(fresh) is None


def test_the_comeback_summary_message_in_her_dm_carries_the_chart(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    chart = _charted(app)
    _close_plan(app)
    ready = latest(app, EMPLOYEE, "I wrote your comeback summary")
    images = [b for b in ready["blocks"] if b["type"] == "image"]
    assert images == [chart]  # the same file: nothing uploaded again
    assert len(app.fake.calls_to("files.completeUploadExternal")) == 1
    # Nothing shared by default: the manager has no chart anywhere.
    sent_to_manager = json.dumps([app.fake.home(MANAGER), app.fake.messages(MANAGER)])
    assert chart["slack_file"]["id"] not in sent_to_manager
