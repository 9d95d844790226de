"""The trend chart's builder: which strips it draws, its key, and the PNG itself."""

from __future__ import annotations

from io import BytesIO

from PIL import Image

from slackapp.views.feedback_home import HistoryItem
from slackapp.views.i18n import reading_as
from slackapp.views.trend_chart import (
    COLOURS,
    WIDTH,
    chart_alt_text,
    chart_block,
    chart_key,
    chart_png,
    chart_series,
)

WEEKLY, PRICES = "A weekly status on Mondays", "The price check"


def _history() -> list[HistoryItem]:
    """Newest first, as the App Home lists it: a missed request between two rated ones."""
    return [
        HistoryItem(
            "Tue 10 Mar",
            "answered",
            "exceeding",
            "Exceeding expectations",
            expectation_ratings=[
                {"expectation": WEEKLY, "rating": "exceeding"},
                {"expectation": PRICES, "rating": None},
            ],
        ),
        HistoryItem("Tue 3 Mar", "missed"),
        HistoryItem(
            "Tue 24 Feb",
            "answered",
            "not_yet_on_track",
            "Not yet on track",
            expectation_ratings=[{"expectation": WEEKLY, "rating": "on_track"}],
        ),
    ]


def test_the_strips_are_overall_then_each_expectation_oldest_request_first() -> None:
    assert chart_series(_history()) == [
        ["not_yet_on_track", None, "exceeding"],
        ["on_track", None, "exceeding"],
        [None, None, None],
    ]


def test_fewer_than_two_ratings_draw_nothing() -> None:
    one = [_history()[0], HistoryItem("Tue 3 Mar", "sent")]
    assert chart_series(one) is None
    assert chart_series([]) is None


def test_the_key_follows_the_ratings_not_the_words() -> None:
    history = _history()
    key = chart_key(chart_series(history) or [])
    renamed = _history()
    for item in renamed:
        for rated in item.expectation_ratings:
            if rated["expectation"] == WEEKLY:
                rated["expectation"] = "Renamed"
    renamed[0].asked = "Di. 10. März"
    assert chart_key(chart_series(renamed) or []) == key
    changed = _history()
    changed[0].rating = "on_track"
    assert chart_key(chart_series(changed) or []) != key


def test_the_png_is_small_one_strip_per_series_and_shows_each_rating_colour() -> None:
    series = chart_series(_history()) or []
    png = chart_png(series)
    assert len(png) < 30_000
    image = Image.open(BytesIO(png)).convert("RGB")
    assert image.width == WIDTH and 150 <= image.height <= 200  # three strips
    pixels = {colour for _count, colour in image.getcolors(maxcolors=1 << 20) or []}

    def near(hex_colour: str) -> bool:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return any(abs(p[0] - r) + abs(p[1] - g) + abs(p[2] - b) < 12 for p in pixels)

    assert all(near(colour) for colour in COLOURS.values())
    # The same ratings draw the same bytes: one upload serves every render.
    assert chart_png(series) == png


def test_the_words_are_in_the_block_in_the_readers_language() -> None:
    block = chart_block("F0123456789", _history()).to_dict()
    assert block["slack_file"] == {"id": "F0123456789"} and "image_url" not in block
    assert block["title"] == {"type": "plain_text", "text": "Your ratings over time (oldest first)"}
    assert block["alt_text"] == (
        "A chart of your ratings, oldest first. Overall: Not yet on track (Tue 24 Feb), "
        "no rating (Tue 3 Mar), Exceeding expectations (Tue 10 Mar). "
        f"{WEEKLY}: On track, Exceeding expectations. {PRICES}: no rating yet."
    )
    with reading_as("de"):
        german = chart_alt_text(_history())
    assert german.startswith("Ein Diagramm deiner Bewertungen") and "keine Bewertung" in german


def test_the_alt_text_keeps_to_slacks_limit() -> None:
    long = _history()
    long[0].expectation_ratings = [
        {"expectation": f"{i} " + "x" * 290, "rating": "on_track"} for i in range(6)
    ] * 2
    assert len(chart_alt_text(long * 3)) <= 2000
