"""The feedback trend as a small picture: one strip per line of "At a glance" (the overall
rating, then each expectation both agreed on), oldest request on the left, each rating a mark
at its height (Not yet low, On track middle, Exceeding high), joined by a line.

No words are drawn in the image, so one PNG serves every language (and no font is needed for
Japanese): the words are the image block's title and alt text, in the reader's language, and
the legend of "At a glance" just above it. Colour-blind safe: a rating reads from its height
and its shape (a down triangle, a circle, an up triangle), the colours (Okabe and Ito's
palette, the same three as the squares' legend) only add to it.
"""

from __future__ import annotations

import hashlib
import json
from io import BytesIO

from PIL import Image, ImageDraw
from slack_sdk.models.blocks import ImageBlock, PlainTextObject

from slackapp.views.feedback_home import HistoryItem, glance_rows
from slackapp.views.feedback_messages import rating_words
from slackapp.views.i18n import _

LEVELS = ("not_yet_on_track", "on_track", "exceeding")
COLOURS = {"not_yet_on_track": "#E69F00", "on_track": "#009E73", "exceeding": "#0072B2"}
LINE, GRID, STRIP, BACKGROUND = "#3A3A3A", "#DADADA", "#F4F4F4", "#FFFFFF"
WIDTH, ROW, GAP = 480, 52, 6  # pixels: the image is WIDTH wide, one ROW per strip, GAP between
SCALE = 3  # drawn this many times larger, then scaled down: smooth edges without antialiasing
CHART_VERSION = "1"  # part of the key: a new drawing uploads every chart again
MIN_RATED = 2  # with one rating there is no trend to draw
ALT_TEXT_MAX = 2000  # Slack's limit for an image block's alt_text

Series = list[str | None]  # one rating (or None) per request, oldest first


def chart_series(history: list[HistoryItem]) -> list[Series] | None:
    """The strips to draw, overall first (as "At a glance" lists them); None when there are
    fewer than MIN_RATED rated requests, where the squares say all there is."""
    oldest_first = list(reversed(history))
    if sum(1 for item in oldest_first if item.rating in LEVELS) < MIN_RATED:
        return None
    overall: Series = [item.rating if item.rating in LEVELS else None for item in oldest_first]
    rows = [overall]
    for text in glance_rows(history):
        rows.append([_rated(item, text) for item in oldest_first])
    return rows


def _rated(item: HistoryItem, expectation: str) -> str | None:
    for rated in item.expectation_ratings:
        if (rated.get("expectation") or "") == expectation:
            rating = rated.get("rating")
            return rating if rating in LEVELS else None
    return None


def chart_key(series: list[Series]) -> str:
    """What the picture shows, as a key: the same ratings draw the same PNG."""
    payload = json.dumps([CHART_VERSION, series], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def chart_png(series: list[Series]) -> bytes:
    """The PNG: one light strip per series, ROW high, GAP apart."""
    s = SCALE
    width, height = WIDTH * s, (ROW * len(series) + GAP * (len(series) + 1)) * s
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for index, strip in enumerate(series):
        top = (GAP + index * (ROW + GAP)) * s
        draw.rounded_rectangle(
            [(GAP * s, top), (width - GAP * s, top + ROW * s)], radius=6 * s, fill=STRIP
        )
        _strip(draw, strip, top=top, width=width, overall=index == 0)
    out = BytesIO()
    image.resize((WIDTH, height // s), Image.Resampling.LANCZOS).save(out, "PNG", optimize=True)
    return out.getvalue()


def _strip(
    draw: ImageDraw.ImageDraw, strip: Series, *, top: int, width: int, overall: bool
) -> None:
    s = SCALE
    left, right = (GAP + 18) * s, width - (GAP + 18) * s
    step = (right - left) / max(len(strip) - 1, 1)

    def y(level: str) -> float:
        # Exceeding at the top of the strip, Not yet at the bottom.
        return top + (ROW * s) * (0.8 - 0.3 * LEVELS.index(level))

    for level in LEVELS:
        draw.line([(left, y(level)), (right, y(level))], fill=GRID, width=s)
    points = [
        (left + i * step if len(strip) > 1 else (left + right) / 2, y(level), level)
        for i, level in enumerate(strip)
        if level is not None
    ]
    if len(points) > 1:
        draw.line([(x, yy) for x, yy, _ in points], fill=LINE, width=(3 if overall else 2) * s)
    radius = (7 if overall else 6) * s
    for x, yy, level in points:
        _mark(draw, x, yy, radius, level)


def _mark(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, level: str) -> None:
    outline, fill = LINE, COLOURS[level]
    if level == "on_track":
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline=outline, width=SCALE)
        return
    tip = -1 if level == "exceeding" else 1  # up for Exceeding, down for Not yet
    triangle = [
        (x, y + tip * r * 1.15),
        (x - r * 1.1, y - tip * r * 0.8),
        (x + r * 1.1, y - tip * r * 0.8),
    ]
    draw.polygon(triangle, fill=fill, outline=outline, width=SCALE)


def chart_block(file_id: str, history: list[HistoryItem]) -> ImageBlock:
    """The image block showing the uploaded chart, with its words in the reader's language."""
    return ImageBlock(
        block_id="feedback_trend_chart",
        slack_file={"id": file_id},
        title=PlainTextObject(text=_("Your ratings over time (oldest first)")),
        alt_text=chart_alt_text(history),
    )


def chart_alt_text(history: list[HistoryItem]) -> str:
    """What the picture shows, said in words: each strip's ratings, oldest first."""
    oldest_first = list(reversed(history))
    overall = ", ".join(
        _("{rating} ({day})").format(rating=rating_words(item.rating), day=item.asked)
        if item.rating in LEVELS
        else _("no rating ({day})").format(day=item.asked)
        for item in oldest_first
    )
    lines = [
        _("A chart of your ratings, oldest first. Overall: {ratings}.").format(ratings=overall)
    ]
    for text in glance_rows(history):
        marks = [_rated(item, text) for item in oldest_first]
        said = ", ".join(rating_words(m) for m in marks if m is not None) or _("no rating yet")
        lines.append(_("{expectation}: {ratings}.").format(expectation=text, ratings=said))
    alt = " ".join(lines)
    return alt if len(alt) <= ALT_TEXT_MAX else alt[: ALT_TEXT_MAX - 1] + "…"
