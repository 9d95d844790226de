"""From what the page reports (block index, element key, natural value) to Slack's shapes.

The page never sends Slack payloads itself: it says which element of which surface a person
used, and the server looks the element up in what the fake Slack really holds, so a page can't
click what the app never showed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slacksim.fakeslack import payloads
from slacksim.sandbox.render import STATEFUL

Json = dict[str, Any]
State = dict[str, dict[str, Json]]


class UnknownElement(LookupError):
    """The page named an element that the surface does not have (any more)."""


def element_at(blocks: list[Json], b: Any, e: Any) -> tuple[Json, Json]:
    """The block and element at (block index, "element" | "accessory" | element index)."""
    try:
        block = blocks[int(b)]
        if e in ("element", "accessory"):
            element = block[e]
        else:
            element = (block.get("elements") or [])[int(e)]
    except (IndexError, KeyError, TypeError, ValueError):
        raise UnknownElement(f"no element {b}/{e}") from None
    if not isinstance(element, dict):
        raise UnknownElement(f"no element {b}/{e}")
    return block, element


def ids_of(block: Json, element: Json, b: Any, e: Any) -> tuple[str, str]:
    """Block and action ids; Slack makes some up when a message's blocks have none."""
    block_id = str(block.get("block_id") or f"sandbox_b{b}")
    action_id = str(element.get("action_id") or f"sandbox_a{b}_{e}")
    return block_id, action_id


def natural(element: Json, value: Any, tz: str) -> Any:
    """The page's value for an element, as payloads.state_value expects it."""
    kind = element.get("type")
    if value in ("", None):
        return [] if kind in ("checkboxes", "multi_static_select", "multi_users_select") else None
    if kind == "datetimepicker":
        # The page shows the person's own wall clock, like Slack; the payload carries unix time.
        try:
            local = datetime.fromisoformat(str(value)).replace(tzinfo=ZoneInfo(tz))
        except ValueError:
            return None
        return int(local.timestamp())
    if kind in ("checkboxes", "multi_static_select", "multi_users_select"):
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    return str(value)


def build_state(blocks: list[Json], reported: list[Json], tz: str) -> State:
    """state.values for a surface: initial values, overridden by what the person entered."""
    state = payloads.initial_state({"blocks": blocks})
    for entry in reported:
        try:
            block, element = element_at(blocks, entry.get("b"), entry.get("e"))
        except UnknownElement:
            continue
        if element.get("type") not in STATEFUL:
            continue
        block_id, action_id = ids_of(block, element, entry.get("b"), entry.get("e"))
        try:
            value = payloads.state_value(element, natural(element, entry.get("value"), tz))
        except (KeyError, ValueError):
            continue  # an option the element doesn't have: Slack would not report it either
        state.setdefault(block_id, {})[action_id] = value
    return state


def action_entry(block: Json, element: Json, b: Any, e: Any, value: Any, tz: str) -> Json:
    """One entry of block_actions' `actions` for a click or a choice."""
    block_id, action_id = ids_of(block, element, b, e)
    kind = element.get("type")
    if kind == "button":
        chosen = None
    elif kind == "overflow":
        chosen = str(value)
    else:
        chosen = natural(element, value, tz)
    return payloads.action_entry({**element, "action_id": action_id}, block_id, chosen)
