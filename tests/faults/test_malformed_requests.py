"""1,000 malformed or hostile requests, correctly signed: no 500, the server stays up, every stored
row intact. Forged or stale signatures: all 401."""

from __future__ import annotations

import collections
import json
import time
import traceback
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine, select

from models import Person
from slackapp.server import MAX_BODY_BYTES
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, SIGNING_SECRET, TEAM_ID, RunningApp
from tests.faults.fuzz import Case, Fuzzer, World, harvest_elements, registered_ids
from tests.faults.support import (
    UI_STATE,
    changed_rows,
    post_raw,
    seed_plan,
    sign_bytes,
    snapshot,
)

pytestmark = pytest.mark.faults

SEED = 20260302
REQUESTS = 1_000
# Where a person row's manager_id is in a snapshot (UI state columns are left out of it).
PERSON_MANAGER_COLUMN = [
    c.name for c in Person.__table__.columns if ("person", c.name) not in UI_STATE
].index("manager_id")


def _world(running_app: RunningApp, engine: Engine) -> World:
    """A workspace with a real plan owned by EMPLOYEE, and everything anyone could click."""
    slack, fake = running_app.slack, running_app.fake
    for user in (EMPLOYEE, MANAGER, COLLEAGUE, "UOTHERBOT"):
        slack.open_home(user)
        slack.wait_for(lambda user=user: fake.home(user), what=f"{user}'s first home")
    with running_app.runtime.session_factory() as session:
        seed_plan(session, team_id=TEAM_ID, owner=EMPLOYEE, manager=MANAGER)
    before = fake.home_publishes()
    slack.open_home(EMPLOYEE)  # the home now shows the plan, with its buttons
    slack.wait_for(lambda: fake.home_publishes() > before, what="home again")
    slack.command(EMPLOYEE, "")
    slack.wait_for(lambda: fake.view_stack(EMPLOYEE), what="the journey modal")
    views = [fake.home(EMPLOYEE) or {}, *fake.view_stack(EMPLOYEE)]
    views += fake.messages(EMPLOYEE) + fake.messages(MANAGER)
    actions, callbacks, patterns = registered_ids(running_app.runtime.app)
    elements = harvest_elements(views)
    actions += [
        e["action_id"] for _, e, _ in elements if any(p.match(e["action_id"]) for p in patterns)
    ]
    other_ids = sorted(
        {key[0] for rows in snapshot(engine).values() for key in rows if isinstance(key[0], int)}
    )
    return World(
        team_id=TEAM_ID,
        # Never EMPLOYEE: the data is theirs, so any change made by these requests is a leak.
        actors=[COLLEAGUE, MANAGER, "UOTHERBOT", "UGONE", "UNOBODY1", "W0ENTERPRISE"],
        elements=elements,
        action_ids=sorted(set(actions)),
        callback_ids=callbacks or ["journey"],
        other_ids=other_ids,
        trigger=running_app.fake.issue_trigger,
    )


def _unlinked_from(change: str, before: Any, after: Any, gone: set[int]) -> bool:
    """The owner's remembered manager is cleared when that manager deleted their data (the
    foreign key's SET NULL): the one change to the owner's row the deletion is meant to make."""
    for key, old in before["person"].items():
        new = after["person"].get(key)
        if new is None or not change.startswith(f"person {key} changed"):
            continue
        index = PERSON_MANAGER_COLUMN
        differs = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        return differs == [index] and old[index] in gone and new[index] is None
    return False


def _failed_listeners(caplog: pytest.LogCaptureFixture) -> dict[str, int]:
    """Where in our listeners each logged failure was raised, and how often."""
    places: collections.Counter[str] = collections.Counter()
    for record in caplog.records:
        if record.name != "slackapp.errors" or not record.exc_info:
            continue
        frames = traceback.extract_tb(record.exc_info[2])
        ours = [f for f in frames if "/slackapp/" in f.filename] or frames[-1:]
        places[f"{ours[0].filename.rsplit('/', 1)[-1]}:{ours[0].name}"] += 1
    return dict(places)


def test_a_thousand_malformed_signed_requests_break_nothing(
    running_app: RunningApp, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    world = _world(running_app, engine)
    before = snapshot(engine)
    with engine.connect() as connection:
        actors = set(
            connection.scalars(select(Person.id).where(Person.slack_user_id.in_(world.actors)))
        )
    assert actors
    cases = Fuzzer(world, SEED).cases()
    assert len(cases) == REQUESTS
    url = running_app.url + "/slack/events"

    def send(case: Case) -> tuple[str, int]:
        headers = {**sign_bytes(SIGNING_SECRET, case.body), **case.headers}
        try:
            status, _ = post_raw(url, case.body, content_type=case.content_type, headers=headers)
        except urllib.error.URLError:
            # A server that refuses a too-large body may close the socket before the client has
            # finished sending it; the client then sees a broken pipe instead of the 413.
            assert len(case.body) > MAX_BODY_BYTES, f"{case.kind}: connection dropped"
            status = 413
        return case.kind, status

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, cases))

    by_status = collections.Counter(status for _, status in results)
    server_errors = [(kind, status) for kind, status in results if status >= 500]
    assert not server_errors, (
        f"5xx answers: {collections.Counter(server_errors)}; a listener that raises before its "
        f"ack() answers 500. Listeners that failed: {_failed_listeners(caplog)}"
    )
    assert 401 not in by_status, "a correctly signed request was refused as unsigned"
    assert by_status[413] > 0 and by_status[200] > 0, by_status

    # Still up, and still useful: the journey opens for the owner as before.
    with urllib.request.urlopen(running_app.url + "/healthz", timeout=5) as response:
        assert json.loads(response.read())["status"] == "ok"
    running_app.fake.close_views(EMPLOYEE)
    assert running_app.slack.command(EMPLOYEE, "").status == 200
    running_app.slack.wait_for(
        lambda: running_app.fake.view_stack(EMPLOYEE), what="the journey after the storm"
    )
    # Let every listener still running after its ack finish before reading the database.
    running_app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)
    # "Delete my data" is among the buttons, and an actor pressing it deletes their own person
    # row, as it should; any other change to a row that was there is a leak.
    own = {f"person ({person_id},) was deleted" for person_id in actors}
    after = snapshot(engine)
    # MANAGER is the manager EMPLOYEE named, and may answer "I'm not their manager" (and undo
    # it) on a request naming them: by design that clears whom EMPLOYEE named, and only that.
    column = [c.name for c in Person.__table__.columns].index("manager_id")
    for key, row in before["person"].items():
        if row[1] == EMPLOYEE:
            cleared = list(row)
            cleared[column] = None
            own.add(f"person {key} changed: {row} -> {tuple(cleared)}")
    # The private check-in is a switch on each person's own App Home: an actor may turn theirs
    # (on, it also keeps the time of its first week).
    shown = [c.name for c in Person.__table__.columns if ("person", c.name) not in UI_STATE]
    switch = {shown.index("checkin_weekly"), shown.index("checkin_from")}

    def switched_own_checkin(change: str) -> bool:
        for key, old in before["person"].items():
            new = after["person"].get(key)
            if key[0] in actors and new is not None and change.startswith(f"person {key} "):
                return {
                    i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b
                } <= switch
        return False

    gone = {key[0] for key in before["person"] if key not in after["person"]} & actors
    assert [
        c
        for c in changed_rows(before, after)
        if c not in own
        and not _unlinked_from(c, before, after, gone)
        and not switched_own_checkin(c)
    ] == []
    # Nothing the fuzzer sent was shown to the owner or the manager as someone else's work.
    owner_texts = json.dumps(running_app.fake.messages(MANAGER))
    assert "Missed the Acme deadline" not in owner_texts
    for user in world.actors:
        seen = json.dumps(
            [running_app.fake.home(user), running_app.fake.view_stack(user)]
            + running_app.fake.ephemerals(user)
        )
        assert "Only for me." not in seen and "Missed the Acme deadline" not in seen, user
    assert "Only for me." not in caplog.text  # nobody's words in the logs


def _command_body() -> str:
    return payloads.slash_command(
        team_id=TEAM_ID,
        user_id=EMPLOYEE,
        user_name="emma",
        channel_id="DUEMPLOYEE",
        text="",
        trigger_id="1.2.x",
    )


def test_forged_or_stale_signatures_are_all_401(running_app: RunningApp) -> None:
    url = running_app.url + "/slack/events"
    body = _command_body().encode()
    now = int(time.time())
    good = sign_bytes(SIGNING_SECRET, body, now)
    other_body = sign_bytes(SIGNING_SECRET, body + b"&x=1", now)["X-Slack-Signature"]
    variants = {
        "wrong secret": sign_bytes("not-the-secret", body, now),
        "stale, 6 minutes": sign_bytes(SIGNING_SECRET, body, now - 360),
        "stale, a day": sign_bytes(SIGNING_SECRET, body, now - 86_400),
        "from the future": sign_bytes(SIGNING_SECRET, body, now + 3_600),
        "no signature": {"X-Slack-Request-Timestamp": str(now)},
        "no timestamp": {"X-Slack-Signature": good["X-Slack-Signature"]},
        "nothing": {},
        "another body's signature": {**good, "X-Slack-Signature": other_body},
        "v1 scheme": {**good, "X-Slack-Signature": good["X-Slack-Signature"].replace("v0", "v1")},
        "truncated": {**good, "X-Slack-Signature": good["X-Slack-Signature"][:-2]},
        "upper-cased": {**good, "X-Slack-Signature": good["X-Slack-Signature"].upper()},
        "timestamp not a number": {**good, "X-Slack-Request-Timestamp": "soon"},
        "empty signature": {**good, "X-Slack-Signature": ""},
        "signature of the empty body": sign_bytes(SIGNING_SECRET, b"", now),
    }
    statuses = {
        name: post_raw(
            url, body, content_type="application/x-www-form-urlencoded", headers=headers
        )[0]
        for name, headers in variants.items()
    }
    assert statuses == dict.fromkeys(variants, 401)
    # The same for an event and an interaction: nothing reaches a listener.
    event = json.dumps(
        payloads.event_callback(
            team_id=TEAM_ID,
            event=payloads.app_home_opened(user_id=EMPLOYEE, channel_id="DUEMPLOYEE"),
            event_id="EvFORGED",
        )
    ).encode()
    forged_event = post_raw(
        url,
        event,
        content_type="application/json",
        headers=sign_bytes("not-the-secret", event),
    )[0]
    assert forged_event == 401
    assert SignatureVerifier(SIGNING_SECRET).is_valid(
        body=body.decode(), timestamp=str(now), signature=good["X-Slack-Signature"]
    )
    assert not running_app.fake.calls_to("views.open")
    assert not running_app.fake.calls_to("views.publish")


def test_an_id_holding_a_nul_is_refused_before_any_listener(running_app: RunningApp) -> None:
    """PostgreSQL text cannot hold NUL: such an id failed the listener's first query before its
    ack (a 500, and Slack retries). Slack sends no NUL, so the request is refused instead."""
    payload = payloads.view_submission(
        team_id=TEAM_ID,
        user_id="UEMP\x00LOYEE",
        user_name="emma",
        view={"id": "V1", "type": "modal", "callback_id": "reflection", "private_metadata": ""},
        state={},
        trigger_id=running_app.fake.issue_trigger(EMPLOYEE),
    )
    body = payloads.interactive_body(payload).encode()
    status, _ = post_raw(
        running_app.url + "/slack/events",
        body,
        content_type="application/x-www-form-urlencoded",
        headers=sign_bytes(SIGNING_SECRET, body),
    )
    assert status == 400
