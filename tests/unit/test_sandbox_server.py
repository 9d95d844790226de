"""The sandbox server over HTTP, without a browser: one port for the page, the fake Slack and
the app; Slack-shaped, signed requests built from what the page reports."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from models import FeedbackAnswer, FeedbackSchedule, MeetingRequest, Plan
from slacksim.fakeslack.driver import SlackDriver
from slacksim.sandbox.guard import PAGE_HEADER
from slacksim.sandbox.main import RunningSandbox, banner, start_sandbox

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EMMA, MAX = "UEMPLOYEE", "UMANAGER"


def _start(tmp_path: Path, seed_demo: bool) -> RunningSandbox:
    return start_sandbox(
        port=0,
        data_dir=tmp_path / ("demo" if seed_demo else "plain"),
        seed_demo=seed_demo,
        start=START,
        scheduler=False,
    )


@pytest.fixture
def running(tmp_path: Path) -> Iterator[RunningSandbox]:
    sandbox = _start(tmp_path, seed_demo=False)
    yield sandbox
    sandbox.stop()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[RunningSandbox]:
    sandbox = _start(tmp_path, seed_demo=True)
    yield sandbox
    sandbox.stop()


def get(running: RunningSandbox, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(running.url + path) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post(
    running: RunningSandbox, path: str, body: Any, content_type: str = "application/json"
) -> tuple[int, Any]:
    data = json.dumps(body).encode()
    # What the page's own JavaScript sends (see slacksim/sandbox/guard.py).
    headers = {"Content-Type": content_type, "Origin": running.url, PAGE_HEADER: "1"}
    request = urllib.request.Request(running.url + path, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request) as response:
            raw = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read().decode(), error.code
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw


def act(running: RunningSandbox, **body: Any) -> dict[str, Any]:
    status, answer = post(running, "/sandbox/act", body)
    assert status == 200, answer
    return answer


def wait(check: Any, what: str) -> Any:
    return SlackDriver.wait_for(check, what=what)


def top(running: RunningSandbox, user: str, title: str) -> dict[str, Any]:
    fake = running.sandbox.fake
    return wait(
        lambda: next((v for v in fake.view_stack(user)[-1:] if v["title"]["text"] == title), None),
        what=title,
    )


def test_one_port_serves_the_page_the_fake_slack_and_the_app(running: RunningSandbox) -> None:
    status, html = get(running, "/")
    assert status == 200 and 'data-user="UEMPLOYEE"' in html and 'data-user="UMANAGER"' in html
    assert "Skip ahead to the next scheduled message" in html
    assert get(running, "/static/sandbox.js")[0] == 200
    assert get(running, "/static/sandbox.css")[0] == 200
    assert get(running, "/static/../core.py")[0] == 404
    assert get(running, "/healthz") == (200, '{"status": "ok", "database": "ok"}')
    token = running.sandbox.fake.bot_token
    request = urllib.request.Request(
        running.url + "/api/auth.test", data=b"", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request) as response:
        assert json.loads(response.read())["ok"] is True
    # The app reaches the fake Slack on the same port.
    assert running.sandbox.settings.slack_api_url == running.url + "/api/"


def test_the_page_must_post_json(running: RunningSandbox) -> None:
    status, _ = post(
        running, "/sandbox/act", {"kind": "command"}, "application/x-www-form-urlencoded"
    )
    assert status == 415
    assert act(running, kind="command", user="UNOBODY", text="/secondchance")["ok"] is False


def test_commands_reach_the_app_signed_and_their_answers_show_to_their_author(
    running: RunningSandbox,
) -> None:
    fake = running.sandbox.fake
    assert act(running, kind="command", user=EMMA, text="/secondchance help")["ok"]
    [help_text] = fake.ephemerals(EMMA)
    assert "/secondchance plan" in help_text["text"]
    assert fake.ephemerals(MAX) == []
    answer = act(running, kind="command", user=EMMA, text="/shrug")
    assert answer["ok"] is False and "/shrug is not a valid command" in answer["notice"]
    assert act(running, kind="command", user=EMMA, text="hello")["ok"] is False
    act(running, kind="command", user=EMMA, text="/secondchance")
    top(running, EMMA, "Your second chance")
    # `status` answers through the response_url, which the sandbox serves too.
    act(running, kind="command", user=EMMA, text="/secondchance status")
    wait(lambda: len(fake.ephemerals(EMMA)) == 2, "the status answer")
    assert "Fix what went wrong" in fake.ephemerals(EMMA)[-1]["text"]


def test_an_empty_dm_does_not_ask_for_the_command_just_typed(running: RunningSandbox) -> None:
    act(running, kind="command", user=EMMA, text="/secondchance")
    top(running, EMMA, "Your second chance")
    messages = json.loads(get(running, f"/sandbox/state?user={EMMA}")[1])["people"][EMMA]
    assert "No messages yet." in messages["messages"]["html"]
    assert "/secondchance" not in messages["messages"]["html"]


def test_a_submission_with_field_errors_keeps_the_modal_and_shows_them(
    running: RunningSandbox,
) -> None:
    act(running, kind="command", user=EMMA, text="/secondchance plan")
    plan = top(running, EMMA, "New repair plan")
    index = {b.get("block_id"): i for i, b in enumerate(plan["blocks"])}
    values = [
        {"b": index["plan_title"], "e": "element", "value": "   "},
        {"b": index["plan_step_0_text"], "e": "element", "value": "Apologise"},
    ]
    answer = act(running, kind="submit", user=EMMA, view_id=plan["id"], values=values)
    assert answer["ok"] is False and "plan_title" in answer["errors"]
    status, state = get(running, f"/sandbox/state?user={EMMA}")
    modal = json.loads(state)["people"][EMMA]["modal"]
    assert (
        "Give your plan a short title" in modal["html"] and 'aria-invalid="true"' in modal["html"]
    )

    values[0]["value"] = "Botched the order"
    answer = act(running, kind="submit", user=EMMA, view_id=plan["id"], values=values)
    assert answer == {"ok": True, "notice": None, "errors": None}
    top(running, EMMA, "Plan saved")  # response_action: update, applied like Slack does
    with running.sandbox.runtime.session_factory() as session:
        assert session.scalar(select(Plan.title)) == "Botched the order"
    assert act(running, kind="close", user=EMMA, view_id=plan["id"], all=False)["ok"]
    assert running.sandbox.fake.view_stack(EMMA) == []


def test_clicks_on_the_home_tab_carry_the_element_the_page_names(running: RunningSandbox) -> None:
    fake = running.sandbox.fake
    act(running, kind="open_home", user=EMMA)
    home = wait(lambda: fake.home(EMMA), "the home tab")
    index = next(i for i, b in enumerate(home["blocks"]) if b.get("block_id") == "journey_plan")
    act(running, kind="action", user=EMMA, surface="home", b=index, e="accessory", value=None)
    top(running, EMMA, "New repair plan")
    stale = act(running, kind="action", user=EMMA, surface="home", b=999, e="accessory")
    assert stale["ok"] is False


def test_skip_ahead_moves_the_clock_to_the_next_send_and_runs_the_scheduler(
    running: RunningSandbox, demo: RunningSandbox
) -> None:
    assert post(running, "/sandbox/skip", {})[1]["notice"] == "Nothing is scheduled right now."
    assert running.sandbox.clock.now() == START

    status, state = get(demo, f"/sandbox/state?user={EMMA}&user={MAX}")
    upcoming = json.loads(state)["clock"]["next"]
    # The demo starts the day before Max's next public holiday, Memorial Day (Monday 25 May),
    # and the weekly request due on it goes out on his next working day.
    assert demo.sandbox.clock.now() == datetime(2026, 5, 24, 12, 0, tzinfo=UTC)
    assert upcoming["what"] == "Feedback request"
    assert upcoming["people"] == {
        EMMA: "Tue 26 May, 16:00",
        MAX: "Tue 26 May, 10:00",
        "UCOLLEAGUE": "Tue 26 May, 19:30",
    }
    # Each person's clock names their zone as the app writes zones everywhere, not its IANA name.
    zones = {user: person["zone"] for user, person in json.loads(state)["clock"]["people"].items()}
    assert zones == {
        EMMA: "Berlin time (CEST)",
        MAX: "New York time (EDT)",
        "UCOLLEAGUE": "Kolkata time (IST)",
    }
    answer = post(demo, "/sandbox/skip", {})[1]
    assert answer["ok"] and answer["notice"] == "Skipped ahead; 1 scheduled message sent."
    assert demo.sandbox.clock.now() == datetime(2026, 5, 26, 14, 0, tzinfo=UTC)
    [asked] = demo.sandbox.fake.messages(MAX)
    assert "asked for your feedback" in asked["text"]
    assert not demo.sandbox.fake.rejections


def test_the_demo_fills_in_every_step(demo: RunningSandbox) -> None:
    with demo.sandbox.runtime.session_factory() as session:
        plan = session.scalars(select(Plan)).one()
        assert len(plan.steps) == 3 and sum(s.done_at is not None for s in plan.steps) == 1
        assert plan.reflection is not None and len(plan.reflection.commitments) == 2
        meeting = session.scalars(select(MeetingRequest)).one()
        assert meeting.status == "accepted" and len(meeting.concerns) == 1
        assert session.scalar(select(func.count()).select_from(FeedbackAnswer)) == 2
        assert session.scalars(select(FeedbackSchedule)).one().next_run_at > START
    act(demo, kind="open_home", user=EMMA)
    home = wait(lambda: demo.sandbox.fake.home(EMMA), "the home tab")
    text = json.dumps(home)
    assert "Henderson" in text and "The morning approvals are working" in text
    assert "Mon 25 May is Memorial Day in United States: moved to Tue 26 May" in text
    # What both agreed, and the trend against it, one square per request.
    assert "What your manager expects" in text and "Agreed with" in text
    assert "Every big order gets the second check before it ships." in text
    assert "Overall: :large_orange_square::large_green_square:" in text
    assert (
        "A short status to me every Monday morning.: :large_orange_square::large_green_square:"
        in text
    )
    status, state = get(demo, f"/sandbox/state?user={EMMA}")
    page_html = json.loads(state)["people"][EMMA]["home"]["html"]
    assert "data-unknown" not in page_html
    # Two rated answers: the trend chart, which the page shows from the fake's file.
    [chart] = [b for b in home["blocks"] if b["type"] == "image"]
    src = f"/sandbox/images/{chart['slack_file']['id']}"
    assert f'src="{src}"' in page_html and 'alt="A chart of your ratings' in page_html
    with urllib.request.urlopen(demo.url + src) as response:
        assert response.headers["Content-Type"] == "image/png"
        assert response.read().startswith(b"\x89PNG")
    assert get(demo, "/sandbox/images/FNOSUCH1234")[0] == 404


def test_the_banner_says_where_and_how_to_connect_a_real_workspace() -> None:
    text = banner("http://127.0.0.1:3000", Path(".sandbox"), seeded=False)
    assert "open http://127.0.0.1:3000 in your browser" in text
    assert "manifest.yml" in text and "SLACK_BOT_TOKEN" in text and ".env" in text


def test_a_shared_file_downloads_as_an_attachment_and_nothing_else_does(
    running: RunningSandbox,
) -> None:
    fake = running.sandbox.fake
    shared = fake.handle(
        "files.upload",
        {"channels": EMMA, "content": '{"a": 1}', "filename": 'x"\r\nSet-Cookie: y=1/../data.json'},
        fake.bot_token,
    )[2]["file"]
    with urllib.request.urlopen(f"{running.url}/sandbox/files/{shared['id']}") as response:
        assert response.read() == b'{"a": 1}'
        assert response.headers["Content-Type"] == "application/json"
        disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="x___Set-Cookie__y_1_.._data.json"'
    assert response.headers["Set-Cookie"] is None
    status, html = get(running, f"/sandbox/state?user={EMMA}")
    assert (
        f'href="/sandbox/files/{shared["id"]}"'
        in json.loads(html)["people"][EMMA]["messages"]["html"]
    )
    assert get(running, "/sandbox/files/FNOSUCH")[0] == 404
