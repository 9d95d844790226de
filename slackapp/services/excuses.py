"""The excuse check: phrases in a meeting request that shift blame or make excuses.

The advice for talking to your boss is "no excuses": own the mistake, its impact, and the plan.
Before a meeting request is sent, the review step points out these phrases so the employee can
reword them (or send anyway: this is a nudge, never a block).

The list is deliberately small and plain: each entry is a phrase people really write when they
are defending themselves, and the reason it reads badly to a manager. Matching ignores case,
curly apostrophes and extra spaces, and only whole words count ("but theyre" is not "but they").
Add a phrase here with its reason, and a line in tests/unit/test_excuses.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (phrase, why it reads as an excuse). Apostrophes are written straight; text is normalised.
EXCUSE_PHRASES: list[tuple[str, str]] = [
    ("not my fault", "It puts the blame somewhere else."),
    ("wasn't my fault", "It puts the blame somewhere else."),
    ("isn't my fault", "It puts the blame somewhere else."),
    ("it wasn't me", "It denies a part you may have played."),
    ("i was told to", "It hands the responsibility to whoever told you."),
    ("i was only following", "It hands the responsibility to someone else."),
    ("nobody told me", "It blames others for what you didn't know."),
    ("no one told me", "It blames others for what you didn't know."),
    ("everyone does it", "It makes the mistake sound normal instead of owning it."),
    ("everybody does it", "It makes the mistake sound normal instead of owning it."),
    ("but they", "It turns attention to what others did."),
    ("to be fair", "It usually starts a defence."),
    ("in my defence", "It starts a defence rather than an acknowledgement."),
    ("in my defense", "It starts a defence rather than an acknowledgement."),
    ("i had no choice", "It says the mistake could not have been avoided."),
    ("they should have", "It turns attention to what others should have done."),
    ("it's not like", "It plays down the impact."),
]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True)
class Excuse:
    phrase: str  # the listed phrase that matched
    why: str
    found: str  # the words as the employee wrote them
    start: int  # position in the text, so a view can quote the sentence around it


def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(word) for word in phrase.split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(words) + r"(?![\w'])", re.IGNORECASE)


_PATTERNS = [(phrase, why, _pattern(phrase)) for phrase, why in EXCUSE_PHRASES]


def find_excuses(text: str | None) -> list[Excuse]:
    """Every listed phrase in the text, in the order they appear (one entry per occurrence)."""
    if not text:
        return []
    # Same length as the original, so positions still point into what the employee wrote.
    normalised = text.translate(_APOSTROPHES)
    found: list[Excuse] = []
    for phrase, why, pattern in _PATTERNS:
        for match in pattern.finditer(normalised):
            found.append(
                Excuse(
                    phrase=phrase,
                    why=why,
                    found=text[match.start() : match.end()],
                    start=match.start(),
                )
            )
    return sorted(found, key=lambda excuse: excuse.start)


def sentence_around(text: str, excuse: Excuse, *, limit: int = 160) -> str:
    """The sentence (or line) the phrase sits in, trimmed to `limit` characters."""
    start = max(text.rfind(mark, 0, excuse.start) for mark in (".", "!", "?", "\n")) + 1
    ends = [i for i in (text.find(mark, excuse.start) for mark in (".", "!", "?", "\n")) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    sentence = text[start:end].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
