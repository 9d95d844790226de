"""The App Home never runs over Slack's 100 blocks: what comes last before "Your data" is left
out with a note, and the way to download or delete one's data always stays."""

from __future__ import annotations

from slack_sdk.models.blocks import DividerBlock, HeaderBlock, MarkdownTextObject, SectionBlock

from slackapp.views.journey import HOME_BLOCKS, fit_home
from slackapp.views.privacy import data_home_blocks
from slacksim.fakeslack.validation import validate_view


def _history(count: int) -> list:
    blocks: list = []
    for i in range(count):
        blocks += [
            HeaderBlock(block_id=f"h{i}", text=f"Week {i}"),
            SectionBlock(block_id=f"s{i}", text=MarkdownTextObject(text=f"Answer {i}")),
            DividerBlock(),
        ]
    return blocks


def test_a_home_that_fits_is_left_as_it_is() -> None:
    blocks = [*_history(10), *data_home_blocks()]
    assert fit_home(blocks) == blocks


def test_a_long_home_is_cut_before_your_data_with_a_note() -> None:
    blocks = [*_history(60), *data_home_blocks()]
    fitted = fit_home(blocks)
    assert len(fitted) <= HOME_BLOCKS
    ids = [getattr(b, "block_id", None) for b in fitted]
    data = data_home_blocks()
    assert fitted[-len(data) :] == data  # "Your data" whole, with its buttons
    note = fitted[-len(data) - 1]
    assert note.block_id == "home_more" and "Download my data" in note.elements[0].text
    assert ids[0] == "h0"  # the first parts stay
    assert not isinstance(fitted[-len(data) - 2], (HeaderBlock, DividerBlock))


def test_the_fitted_home_passes_slacks_limits() -> None:
    view = {"type": "home", "blocks": [b.to_dict() for b in fit_home(_history(60))]}
    assert validate_view(view, "home")[1] == []
