"""Block Kit to HTML for the sandbox page, with Jinja2 templates.

Every block and element the app sends must be drawn, or refused where it would have been, in
plain sight: the page then says what is missing, so new UI is never silently invisible.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from slackapp.views.i18n import _, reading_as
from slackapp.views.words import zone_label
from slacksim.sandbox.mrkdwn import (
    TextContext,
    label_text,
    mrkdwn,
    plain_text,
    raw_text,
    text_object,
)

logger = logging.getLogger(__name__)

Json = dict[str, Any]

KNOWN_BLOCKS = frozenset({"section", "header", "context", "divider", "actions", "input", "image"})
TEXT_INPUTS = frozenset({"plain_text_input", "number_input", "email_text_input", "url_text_input"})
KNOWN_ELEMENTS = TEXT_INPUTS | frozenset(
    {
        "button",
        "overflow",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "users_select",
        "multi_users_select",
        "static_select",
        "multi_static_select",
        "checkboxes",
        "radio_buttons",
        "image",
    }
)
CONTEXT_ELEMENTS = frozenset({"mrkdwn", "plain_text", "image"})
# Elements whose value Slack reports in state.values (buttons and overflow menus are clicks).
STATEFUL = KNOWN_ELEMENTS - {"button", "overflow", "image"}


@dataclass
class RenderContext:
    """Who is looking at which surface: ids, mentions, time zone and field errors depend on it."""

    prefix: str
    surface: str  # modal | home | message
    tz: str = "UTC"
    now: datetime | None = None
    people: list[tuple[str, str]] = field(default_factory=list)  # (user id, name) to choose from
    errors: dict[str, str] = field(default_factory=dict)  # block_id -> message

    @property
    def text_context(self) -> TextContext:
        return TextContext(names=dict(self.people), tz=self.tz, now=self.now)

    def text(self, obj: object) -> Markup:
        return text_object(obj, self.text_context)

    def mrkdwn(self, text: str | None) -> Markup:
        return mrkdwn(text, self.text_context)

    def id(self, *parts: object) -> str:
        return "-".join([self.prefix, *(str(p) for p in parts)]).replace(".", "_")

    def local_datetime(self, timestamp: object) -> str:
        """A datetimepicker's unix time as the reader's wall clock (YYYY-MM-DDTHH:MM)."""
        try:
            moment = datetime.fromtimestamp(int(str(timestamp)), ZoneInfo(self.tz))
        except (TypeError, ValueError, OverflowError):
            return ""
        return moment.strftime("%Y-%m-%dT%H:%M")

    def zone(self, tz: str | None = None) -> str:
        """A zone as the app writes it everywhere ('New York time (EST)'), not its IANA name."""
        return zone_label(tz or self.tz, self.now or datetime.now(ZoneInfo("UTC")))


def _options(element: Json) -> list[Json]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    return options


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _file_size(size: object) -> str:
    """Bytes the way Slack writes a file's size: 812 B, 4 KB, 1.2 MB."""
    try:
        count = int(str(size))
    except ValueError:
        return ""
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{round(count / 1024)} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def say(language: str, message: str) -> str:
    """`message` in `language`, whatever the page around it is written in (a pane's own words
    follow its person)."""
    with reading_as(language):
        return _(message)


_env = Environment(
    loader=PackageLoader("slacksim.sandbox", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals.update(
    KNOWN_BLOCKS=KNOWN_BLOCKS,
    KNOWN_ELEMENTS=KNOWN_ELEMENTS,
    CONTEXT_ELEMENTS=CONTEXT_ELEMENTS,
    STATEFUL=STATEFUL,
    TEXT_INPUTS=TEXT_INPUTS,
    options_of=_options,
    raw_text=raw_text,
    label_text=label_text,
    plain_text=plain_text,
    to_json=_json,
    file_size=_file_size,
    _=_,
    say=say,
)


def environment() -> Environment:
    return _env


def unknown_types(blocks: object) -> list[str]:
    """What the renderer refuses in these blocks, as "block:<type>" / "element:<type>"."""
    return list(dict.fromkeys(_walk_unknown(blocks)))


def _walk_unknown(blocks: object) -> Iterator[str]:
    for block in blocks if isinstance(blocks, list) else []:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in KNOWN_BLOCKS:
            yield f"block:{kind}"
            continue
        if kind == "context":
            for element in block.get("elements") or []:
                if element.get("type") not in CONTEXT_ELEMENTS:
                    yield f"element:{element.get('type')}"
            continue
        elements = list(block.get("elements") or []) if kind == "actions" else []
        elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
        for element in elements:
            if element.get("type") not in KNOWN_ELEMENTS:
                yield f"element:{element.get('type')}"


def render_blocks(blocks: list[Json], ctx: RenderContext) -> Markup:
    refused = unknown_types(blocks)
    if refused:
        logger.warning("the sandbox cannot show %s", ", ".join(refused))
    template = _env.get_template("blocks.html.j2")
    return Markup(template.module.blocks(blocks, ctx))  # type: ignore[attr-defined]


def render(template_name: str, **values: Any) -> str:
    return _env.get_template(template_name).render(render_blocks=render_blocks, **values)
