"""The App Home's "Language" choice: each language named in itself, and Slack's own as the
default, so that a person can read the app in another language than their Slack's."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    MarkdownTextObject,
    Option,
    SectionBlock,
    StaticSelectElement,
)

from slackapp.views.i18n import LANGUAGES, _

LANGUAGE_ACTION = "home_language"
FROM_SLACK = "slack"  # the option's value for "the language of my Slack"

# Each language in its own words: someone who can't read the current one still finds theirs.
NATIVE_NAMES = {
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "fr": "Français",
    "pt_BR": "Português (Brasil)",
    "ja": "日本語",
}


def language_home_blocks(chosen: str | None) -> list[Block]:
    """`chosen`: the language picked on the App Home (None: Slack's)."""
    options = [Option(value=FROM_SLACK, text=_("The language of my Slack"))] + [
        Option(value=code, text=NATIVE_NAMES[code]) for code in LANGUAGES
    ]
    initial = next((o for o in options if o.value == (chosen or FROM_SLACK)), options[0])
    return [
        SectionBlock(
            block_id="home_language",
            text=MarkdownTextObject(
                text=_("*Language*\nSecond Chance speaks to you in this language.")
            ),
            accessory=StaticSelectElement(
                action_id=LANGUAGE_ACTION, options=options, initial_option=initial
            ),
        )
    ]
