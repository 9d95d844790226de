"""Malformed and hostile requests, correctly signed, built from a seeded random generator.

Each case is what a buggy proxy, a confused client or someone holding the signing secret could
send: broken JSON, missing and wrong-typed fields, huge bodies, unknown action ids, and real
buttons pressed by someone they were not meant for, carrying other people's ids.
"""

from __future__ import annotations

import copy
import json
import random
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from slack_bolt import App

from slacksim.fakeslack import payloads

Json = dict[str, Any]

# Values of the wrong type, or the right type with hostile content.
ODD_VALUES: list[Any] = [
    None,
    0,
    -1,
    2**63,
    1e308,
    True,
    [],
    {},
    "",
    " ",
    "x" * 5000,
    "🙂" * 300,
    "\x00\x01\x02",
    "<script>alert(1)</script>",
    "'; DROP TABLE plan; --",
    "../../etc/passwd",
    [1, 2, 3],
    {"id": 1},
    "null",
    "NaN",
]


@dataclass
class Case:
    kind: str
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    """What the fuzzer knows about the workspace: who acts, what can be clicked, whose ids."""

    team_id: str
    actors: list[str]  # never the owner of the seeded data: every effect here would be a leak
    elements: list[tuple[Json, Json, Json]]  # (block, element, view or message) seen in Slack
    action_ids: list[str]
    callback_ids: list[str]
    other_ids: list[int]  # row ids that belong to someone else
    trigger: Any  # user_id -> a fresh trigger id from the fake


def registered_ids(app: App) -> tuple[list[str], list[str], list[re.Pattern[str]]]:
    """Action ids, callback ids and id patterns the app's listeners answer to."""
    actions: list[str] = []
    callbacks: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for listener in app._listeners:
        for matcher in listener.matchers:
            func = getattr(matcher, "func", None)
            name = getattr(func, "__qualname__", "")
            for cell in getattr(func, "__closure__", None) or []:
                try:
                    value = cell.cell_contents
                except ValueError:
                    continue
                values = list(value.values()) if isinstance(value, dict) else [value]
                for item in values:
                    if isinstance(item, re.Pattern):
                        patterns.append(item)
                    elif isinstance(item, str) and item:
                        (callbacks if name.startswith("view") else actions).append(item)
    return sorted(set(actions)), sorted(set(callbacks)), patterns


def harvest_elements(views: list[Json]) -> list[tuple[Json, Json, Json]]:
    """Every clickable element in the given views and messages."""
    found: list[tuple[Json, Json, Json]] = []
    for view in views:
        for block in view.get("blocks") or []:
            elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
            for key in ("accessory", "element"):
                if isinstance(block.get(key), dict):
                    elements.append(block[key])
            for element in elements:
                if element.get("action_id"):
                    found.append((block, element, view))
    return found


class Fuzzer:
    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)

    # -- generic mutations ---------------------------------------------------------------------
    def odd(self) -> Any:
        return copy.deepcopy(self.rng.choice(ODD_VALUES))

    def mutate(self, payload: Any, times: int = 2) -> Any:
        """Drop keys, change their types, or give them someone else's id, at random depth."""
        payload = copy.deepcopy(payload)
        for _ in range(times):
            target, key = self._pick(payload)
            if target is None:
                continue
            roll = self.rng.random()
            if roll < 0.35 and isinstance(target, dict):
                target.pop(key, None)
            elif roll < 0.55 and self.world.other_ids:
                target[key] = self._someone_elses_id()
            else:
                target[key] = self.odd()
        return payload

    def _pick(self, payload: Any) -> tuple[Any, Any]:
        node, parent, key = payload, None, None
        for _ in range(self.rng.randint(1, 4)):
            if isinstance(node, dict) and node:
                parent, key = node, self.rng.choice(sorted(node, key=str))
            elif isinstance(node, list) and node:
                parent, key = node, self.rng.randrange(len(node))
            else:
                break
            node = parent[key]
        return parent, key

    def _someone_elses_id(self) -> Any:
        some_id = self.rng.choice(self.world.other_ids)
        return self.rng.choice([some_id, str(some_id), json.dumps({"id": some_id})])

    def actor(self) -> str:
        return self.rng.choice(self.world.actors)

    def trigger(self, user: str) -> str:
        return str(self.world.trigger(user)) if self.rng.random() < 0.7 else "1.2.bogus"

    # -- bodies --------------------------------------------------------------------------------
    @staticmethod
    def form(payload: Any) -> Case:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return Case("", body, "application/x-www-form-urlencoded")

    def broken_form(self) -> Case:
        rng = self.rng
        choices = [
            lambda: bytes(rng.randrange(256) for _ in range(rng.randint(0, 300))),
            lambda: b"payload=" + urllib.parse.quote('{"type": "block_actions", "user": ').encode(),
            lambda: b"payload=" + urllib.parse.quote(json.dumps(self.odd())).encode(),
            lambda: b"payload=%7B%7D&payload=%5B%5D",
            lambda: b"",
            lambda: b"command=/secondchance",
            lambda: b"%%%%%&&&===",
            lambda: b"payload=" + b"%FF%FE" * 50,
        ]
        return Case("broken_form", rng.choice(choices)(), "application/x-www-form-urlencoded")

    def broken_json(self) -> Case:
        rng = self.rng
        valid = json.dumps(self.event_payload())
        choices = [
            lambda: valid[: rng.randrange(1, len(valid))].encode(),
            lambda: json.dumps(self.odd()).encode(),
            lambda: b"[" * 5000 + b"]" * 5000,
            lambda: b"\xff\xfe\x00garbage",
            lambda: json.dumps({"type": self.odd()}).encode(),
            lambda: json.dumps({"type": "url_verification", "challenge": self.odd()}).encode(),
            lambda: b'{"type": "event_callback", "event": NaN}',
        ]
        return Case("broken_json", rng.choice(choices)(), "application/json")

    def command(self) -> Case:
        user = self.actor()
        words = ["", "plan", "reflect", "meeting", "feedback", "status", "help", "PLAN", "?"]
        text = self.rng.choice(
            [*words, "x" * 4000, "🙂 plan", "\x00", "plan extra words", "meeting <@UEMPLOYEE>"]
        )
        fields = dict(
            urllib.parse.parse_qsl(
                payloads.slash_command(
                    team_id=self.world.team_id,
                    user_id=user,
                    user_name=user.lower(),
                    channel_id="D" + user,
                    text=text,
                    trigger_id=self.trigger(user),
                )
            )
        )
        for _ in range(self.rng.randint(0, 2)):
            key = self.rng.choice(sorted(fields))
            if self.rng.random() < 0.5:
                del fields[key]
            else:
                fields[key] = str(self.odd())
        if self.rng.random() < 0.1:
            fields["command"] = "/somebody-else"
        body = urllib.parse.urlencode(fields).encode()
        return Case("command", body, "application/x-www-form-urlencoded")

    def block_actions(self) -> Case:
        user = self.actor()
        if self.world.elements and self.rng.random() < 0.7:
            block, element, where = self.rng.choice(self.world.elements)
            element = copy.deepcopy(element)
        else:
            block, where = {"block_id": "b"}, {"id": "V0000", "blocks": []}
            action_id = self.rng.choice(self.world.action_ids + ["no_such_action", "🙂", ""])
            element = {"type": "button", "action_id": action_id, "value": "1"}
        if self.rng.random() < 0.5 and self.world.other_ids:
            element["value"] = str(self._someone_elses_id())
        entry = {
            "type": element.get("type", "button"),
            "block_id": block.get("block_id", "b"),
            "action_id": element.get("action_id"),
            "value": element.get("value"),
            "action_ts": "1.0",
        }
        is_message = "ts" in where
        payload = payloads.block_actions(
            team_id=self.world.team_id,
            user_id=user,
            user_name=user.lower(),
            actions=[entry],
            trigger_id=self.trigger(user),
            container={"type": "message", "message_ts": where["ts"], "channel_id": "D1"}
            if is_message
            else {"type": "view", "view_id": where.get("id", "V0")},
            view=None if is_message else {**where, "private_metadata": self._metadata(where)},
            message=where if is_message else None,
            channel_id="D" + user if is_message else None,
        )
        if self.rng.random() < 0.6:
            payload = self.mutate(payload, times=self.rng.randint(1, 3))
        case = self.form(payload)
        case.kind = "block_actions"
        return case

    def _metadata(self, view: Json) -> Any:
        roll = self.rng.random()
        if roll < 0.4:
            return view.get("private_metadata", "")
        if roll < 0.7 and self.world.other_ids:
            return json.dumps({"plan_id": self._someone_elses_id(), "id": self._someone_elses_id()})
        return self.rng.choice(["{", "[]", "null", "x" * 3000, str(self.odd())])

    def view_submission(self) -> Case:
        user = self.actor()
        callback = self.rng.choice(self.world.callback_ids + ["no_such_view"])
        state: dict[str, Any] = {}
        for i in range(self.rng.randint(0, 4)):
            state[f"b{i}"] = {f"a{i}": {"type": "plain_text_input", "value": self.odd()}}
        view = {
            "id": "V" + str(self.rng.randrange(10**6)),
            "type": "modal",
            "callback_id": callback,
            "private_metadata": self._metadata({}),
            "blocks": [],
        }
        payload = payloads.view_submission(
            team_id=self.world.team_id,
            user_id=user,
            user_name=user.lower(),
            view=view,
            state=state,
            trigger_id=self.trigger(user),
        )
        if self.rng.random() < 0.5:
            payload = self.mutate(payload, times=self.rng.randint(1, 3))
        case = self.form(payload)
        case.kind = "view_submission"
        return case

    def event_payload(self) -> Json:
        user = self.actor()
        event: Json = self.rng.choice(
            [
                payloads.app_home_opened(user_id=user, channel_id="D" + user),
                {"type": "app_home_opened", "user": user, "tab": "messages"},
                {"type": "message", "channel": "D" + user, "user": user, "text": "hi"},
                {"type": "app_mention", "user": user, "text": "<@UBOTSC> help"},
                {"type": "no_such_event"},
                {},
            ]
        )
        return payloads.event_callback(
            team_id=self.world.team_id,
            event=event,
            event_id=f"EvFUZZ{self.rng.randrange(10**9)}",
        )

    def event(self) -> Case:
        payload: Any = self.event_payload()
        if self.rng.random() < 0.6:
            payload = self.mutate(payload, times=self.rng.randint(1, 3))
        return Case("event", json.dumps(payload).encode(), "application/json")

    def other_type(self) -> Case:
        user = self.actor()
        kind = self.rng.choice(
            [
                "view_closed",
                "shortcut",
                "message_action",
                "block_suggestion",
                "interactive_message",
                "dialog_submission",
                "no_such_type",
                None,
            ]
        )
        payload: Json = {
            "type": kind,
            "team": {"id": self.world.team_id},
            "user": {"id": user},
            "callback_id": self.rng.choice(self.world.callback_ids + ["x"]),
            "action_id": self.rng.choice(self.world.action_ids + ["x"]),
            "trigger_id": self.trigger(user),
            "view": {"id": "V1", "callback_id": "journey", "private_metadata": "{}"},
        }
        case = self.form(self.mutate(payload, times=self.rng.randint(0, 2)))
        case.kind = "other_type"
        return case

    def huge(self) -> Case:
        size = self.rng.choice([200_000, 900_000, 1_100_000, 2_000_000])
        user = self.actor()
        if self.rng.random() < 0.5:
            body = payloads.slash_command(
                team_id=self.world.team_id,
                user_id=user,
                user_name=user.lower(),
                channel_id="D" + user,
                text="x" * size,
                trigger_id=self.trigger(user),
            ).encode()
            return Case("huge", body, "application/x-www-form-urlencoded")
        event = self.event_payload()
        event["event"]["padding"] = "y" * size
        return Case("huge", json.dumps(event).encode(), "application/json")

    # -- the mix -------------------------------------------------------------------------------
    MIX = [
        ("broken_form", 80),
        ("broken_json", 80),
        ("command", 150),
        ("block_actions", 320),
        ("view_submission", 150),
        ("event", 110),
        ("other_type", 70),
        ("huge", 40),
    ]

    def cases(self) -> list[Case]:
        cases: list[Case] = []
        for kind, count in self.MIX:
            build = getattr(self, kind)
            for _ in range(count):
                case = build()
                case.kind = kind
                cases.append(case)
        self.rng.shuffle(cases)
        return cases
