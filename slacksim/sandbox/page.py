"""What the page shows: each person's Home, messages and modals as HTML, plus the clock.

The page polls this; every part carries a signature of what it was drawn from, so the page
only replaces what changed (and keeps what a person is typing).
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections import OrderedDict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from slackapp.views.i18n import LANGUAGES, N_, _, current_locale, reading_as
from slackapp.views.language import NATIVE_NAMES
from slackapp.views.words import clock_time, short_date, zone_label
from slacksim.sandbox.canvas import render_markdown
from slacksim.sandbox.core import CHANNEL_NAME, PEOPLE, PERSON, Sandbox
from slacksim.sandbox.render import RenderContext, environment, render, render_blocks

Json = dict[str, Any]
APP_NAME = "Second Chance"

environment().globals["render_blocks"] = render_blocks


def _signature(*parts: Any) -> str:
    data = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()[:16]


class _Cache:
    """Rendered HTML by signature: polling re-reads often, but things change rarely."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[str, str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: str, make: Any) -> str:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        html = make()
        with self._lock:
            self._items[key] = html
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return html


_caches: weakref.WeakKeyDictionary[Sandbox, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache_of(sandbox: Sandbox) -> _Cache:
    with _caches_lock:
        if sandbox not in _caches:
            _caches[sandbox] = _Cache()
        return _caches[sandbox]


def local_time(moment: datetime, tz: str, *, with_day: bool = True) -> str:
    """In the reader's language (views.i18n.reading_as)."""
    local = moment.astimezone(ZoneInfo(tz))
    clock = clock_time(local)
    return f"{short_date(local)}, {clock}" if with_day else clock


def _person_clock(sandbox: Sandbox, user_id: str, tz: str, now: datetime) -> Json:
    with reading_as(sandbox.language_of(user_id)):
        return {"time": local_time(now, tz), "zone": zone_label(tz, now)}


def _in_their_words(sandbox: Sandbox, user_id: str, moment: datetime, tz: str) -> str:
    with reading_as(sandbox.language_of(user_id)):
        return local_time(moment, tz)


def clock_view(sandbox: Sandbox) -> Json:
    """The page's clock, in the page's language (views.i18n.reading_as); each person's own time
    in theirs."""
    now = sandbox.clock.now()
    upcoming = sandbox.next_scheduled()
    return {
        "now": now.isoformat(),
        "people": {p.user_id: _person_clock(sandbox, p.user_id, p.tz, now) for p in PEOPLE},
        "next": None
        if upcoming is None
        else {
            "what": upcoming[1],
            "at": upcoming[0].isoformat(),
            "overdue": upcoming[0] <= now,
            "people": {
                p.user_id: _in_their_words(sandbox, p.user_id, upcoming[0], p.tz) for p in PEOPLE
            },
        },
    }


def _context(
    sandbox: Sandbox, user_id: str, prefix: str, surface: str, **extra: Any
) -> RenderContext:
    return RenderContext(
        prefix=prefix,
        surface=surface,
        tz=PERSON[user_id].tz if user_id in PERSON else "UTC",
        now=sandbox.clock.now(),
        people=sandbox.people_names(),
        **extra,
    )


def _modal(sandbox: Sandbox, user_id: str) -> Json | None:
    stack = sandbox.fake.view_stack(user_id)
    if not stack:
        return None
    top = stack[-1]
    errors = sandbox.field_errors(user_id, top["id"])
    people = sandbox.people_names()
    # The whole views, not their ids and hashes: those repeat across runs with the same clock.
    sig = _signature(user_id, stack, errors, people, current_locale())

    def make() -> str:
        ctx = _context(sandbox, user_id, f"{user_id}-modal-{top['id']}", "modal", errors=errors)
        return render("pane.html.j2", part="modal", stack=stack, ctx=ctx, notice=None)

    return {
        "sig": sig,
        "view_id": top["id"],
        "depth": len(stack),
        "stack": [view["id"] for view in stack],
        "html": _cache_of(sandbox).get(sig, make),
    }


def _home(sandbox: Sandbox, user_id: str) -> Json:
    view = sandbox.fake.home(user_id)
    people = sandbox.people_names()
    sig = _signature(user_id, view, people, sandbox.clock.now().date(), current_locale())

    def make() -> str:
        ctx = _context(sandbox, user_id, f"{user_id}-home", "home")
        return render("pane.html.j2", part="home", view=view, ctx=ctx)

    return {"sig": sig, "html": _cache_of(sandbox).get(sig, make)}


def _messages(sandbox: Sandbox, user_id: str) -> Json:
    tz = PERSON[user_id].tz if user_id in PERSON else "UTC"
    items: list[Json] = []
    for message in sandbox.fake.messages(user_id):
        items.append({**message, "ephemeral": False})
    for ephemeral in sandbox.fake.ephemerals(user_id):
        items.append({**ephemeral, "ephemeral": True, "edited": False})
    items.sort(key=lambda m: Decimal(m["ts"]))
    for item in items:
        moment = datetime.fromtimestamp(float(item["ts"]), UTC)
        item["iso"] = moment.isoformat()
        item["when"] = local_time(moment, tz)
        item["in_thread"] = bool(item.get("thread_ts")) and item.get("thread_ts") != item["ts"]
    people = sandbox.people_names()
    names = dict(people)
    # #orders, where everyone is: a message to try the message shortcut on.
    channel = [
        {
            **said,
            "author": names.get(str(said.get("user")), str(said.get("user"))),
            "when": local_time(datetime.fromtimestamp(float(said["ts"]), UTC), tz),
        }
        for said in sandbox.channel_messages()
    ]
    canvases = _canvases(sandbox, user_id)
    sig = _signature(user_id, items, people, channel, canvases, current_locale())

    def make() -> str:
        pairs = [
            (item, _context(sandbox, user_id, f"{user_id}-m-{item['ts']}", "message"))
            for item in items
        ]
        return render(
            "pane.html.j2",
            part="messages",
            items=pairs,
            app_name=APP_NAME,
            channel=channel,
            channel_name=CHANNEL_NAME,
            canvases=[
                {**canvas, "prefix": f"{user_id}-canvas-{canvas['id']}"} for canvas in canvases
            ],
            render_markdown=render_markdown,
        )

    return {"sig": sig, "count": len(items), "html": _cache_of(sandbox).get(sig, make)}


def _canvases(sandbox: Sandbox, user_id: str) -> list[Json]:
    """The canvases tabbed in this person's DM with the app (canvases.create's channel_id)."""
    channel = sandbox.fake.dm_channel(user_id)
    return [
        {"id": canvas_id, **canvas}
        for canvas_id, canvas in sandbox.fake.canvases().items()
        if canvas.get("channel_id") == channel
    ]


def person_view(sandbox: Sandbox, user_id: str) -> Json:
    """What one person sees, drawn in their language (the sandbox's picker, their Slack's)."""
    with reading_as(sandbox.language_of(user_id)):
        return {
            "home": _home(sandbox, user_id),
            "messages": _messages(sandbox, user_id),
            "modal": _modal(sandbox, user_id),
        }


def state(sandbox: Sandbox, user_ids: list[str]) -> Json:
    known = [u for u in user_ids if u in PERSON]
    # The page's own words follow the person in its first pane.
    with reading_as(sandbox.language_of(known[0]) if known else None):
        clock = clock_view(sandbox)
    return {
        "clock": clock,
        "people": {u: person_view(sandbox, u) for u in dict.fromkeys(known)},
    }


def page_html(sandbox: Sandbox, *, left: str, right: str) -> str:
    left = left if left in PERSON else PEOPLE[0].user_id
    right = right if right in PERSON else PEOPLE[1].user_id
    with reading_as(sandbox.language_of(left)):
        return render(
            "page.html.j2",
            people=PEOPLE,
            left=left,
            right=right,
            clock=clock_view(sandbox),
            lang=current_locale(),
            langs={p.user_id: sandbox.language_of(p.user_id) for p in PEOPLE},
            languages=[(code, NATIVE_NAMES[code]) for code in LANGUAGES],
            script_words=script_words(),
        )


# What the page's script says itself, by key, in every language (the page picks each pane's).
SCRIPT_WORDS = {
    "no_answer": N_("The sandbox did not answer ({status})."),
    "next": N_("Next scheduled: {what} ({when})"),
    "next_overdue": N_("Next scheduled: {what} ({when}), due now"),
    "for_person": N_("{time} for {name}"),
    "nothing_next": N_("Nothing is scheduled right now."),
    "unknown": N_(
        "The app sent something this sandbox can't draw yet: {kinds}. It is marked in red where "
        "it would be."
    ),
    "lost": N_("Lost touch with the sandbox; is it still running?"),
    "required": N_("Please complete this required field."),
    "min_length": N_("Please enter at least {count} characters."),
    "composer": N_("Message Second Chance as {name}"),
    "skipping": N_("Skipping ahead..."),
}


def script_words() -> dict[str, dict[str, str]]:
    words: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with reading_as(language):
            words[language] = {key: _(text) for key, text in SCRIPT_WORDS.items()}
    return words
