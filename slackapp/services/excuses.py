"""The excuse check: phrases in a meeting request that shift blame or make excuses.

The advice for talking to your boss is "no excuses": own the mistake, its impact, and the plan.
Before a meeting request is sent, the review step points out these phrases so the employee can
reword them (or send anyway: this is a nudge, never a block).

The list is deliberately small and plain: each entry is a phrase people really write when they
are defending themselves, and the reason it reads badly to a manager. Matching ignores case,
curly apostrophes and extra spaces, and only whole words count ("but theyre" is not "but they").
There is one list per language (the reader's language decides which is checked, and the review
step names it); the reasons are codes, said in the reader's words by views/excuse_words.py.
Add a phrase here with its reason, and a line in tests/unit/test_excuses.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    """Why a phrase reads as an excuse (views/excuse_words.py says it in the reader's words)."""

    BLAME = "blame"  # it puts the blame somewhere else
    DENY = "deny"  # it denies a part you may have played
    TOLD = "told"  # it hands the responsibility to whoever told you
    FOLLOWING = "following"  # it hands the responsibility to someone else
    NOT_TOLD = "not_told"  # it blames others for what you didn't know
    NORMAL = "normal"  # it makes the mistake sound normal instead of owning it
    OTHERS_DID = "others_did"  # it turns attention to what others did
    DEFENCE = "defence"  # it usually starts a defence
    DEFENCE_NOT_ACK = "defence_not_ack"  # a defence rather than an acknowledgement
    NO_CHOICE = "no_choice"  # the mistake could not have been avoided
    OTHERS_SHOULD = "others_should"  # what others should have done
    PLAYS_DOWN = "plays_down"  # it plays down the impact


R = Reason

# By language (the reader's locale without its region), the phrases and why each reads as an
# excuse. Apostrophes are written straight; text is normalised. Japanese has no spaces between
# words, so its phrases match anywhere in the text.
EXCUSE_PHRASES: dict[str, list[tuple[str, Reason]]] = {
    "en": [
        ("not my fault", R.BLAME),
        ("wasn't my fault", R.BLAME),
        ("isn't my fault", R.BLAME),
        ("it wasn't me", R.DENY),
        ("i was told to", R.TOLD),
        ("i was only following", R.FOLLOWING),
        ("nobody told me", R.NOT_TOLD),
        ("no one told me", R.NOT_TOLD),
        ("everyone does it", R.NORMAL),
        ("everybody does it", R.NORMAL),
        ("but they", R.OTHERS_DID),
        ("to be fair", R.DEFENCE),
        ("in my defence", R.DEFENCE_NOT_ACK),
        ("in my defense", R.DEFENCE_NOT_ACK),
        ("i had no choice", R.NO_CHOICE),
        ("they should have", R.OTHERS_SHOULD),
        ("it's not like", R.PLAYS_DOWN),
    ],
    "de": [
        ("nicht meine schuld", R.BLAME),
        ("nicht mein fehler", R.BLAME),
        ("ich war es nicht", R.DENY),
        ("ich war das nicht", R.DENY),
        ("man hat mir gesagt", R.TOLD),
        ("mir wurde gesagt", R.TOLD),
        ("ich habe nur getan, was", R.FOLLOWING),
        ("niemand hat mir gesagt", R.NOT_TOLD),
        ("keiner hat mir gesagt", R.NOT_TOLD),
        ("das macht jeder", R.NORMAL),
        ("das machen alle", R.NORMAL),
        ("aber die anderen", R.OTHERS_DID),
        ("fairerweise", R.DEFENCE),
        ("zu meiner verteidigung", R.DEFENCE_NOT_ACK),
        ("ich hatte keine wahl", R.NO_CHOICE),
        ("hätten mir sagen müssen", R.OTHERS_SHOULD),
        ("hätte mir sagen müssen", R.OTHERS_SHOULD),
        ("so schlimm war es nicht", R.PLAYS_DOWN),
    ],
    "es": [
        ("no fue mi culpa", R.BLAME),
        ("no es mi culpa", R.BLAME),
        ("yo no fui", R.DENY),
        ("me dijeron que", R.TOLD),
        ("solo seguía", R.FOLLOWING),
        ("nadie me dijo", R.NOT_TOLD),
        ("nadie me avisó", R.NOT_TOLD),
        ("todo el mundo lo hace", R.NORMAL),
        ("todos lo hacen", R.NORMAL),
        ("pero ellos", R.OTHERS_DID),
        ("para ser justos", R.DEFENCE),
        ("en mi defensa", R.DEFENCE_NOT_ACK),
        ("no tuve opción", R.NO_CHOICE),
        ("no tenía opción", R.NO_CHOICE),
        ("deberían haber", R.OTHERS_SHOULD),
        ("tampoco es para tanto", R.PLAYS_DOWN),
    ],
    "fr": [
        ("pas ma faute", R.BLAME),
        ("ce n'était pas moi", R.DENY),
        ("ce n'est pas moi", R.DENY),
        ("on m'a dit de", R.TOLD),
        ("je ne faisais que suivre", R.FOLLOWING),
        ("personne ne m'a dit", R.NOT_TOLD),
        ("personne ne m'a prévenu", R.NOT_TOLD),
        ("tout le monde le fait", R.NORMAL),
        ("mais eux", R.OTHERS_DID),
        ("pour être honnête", R.DEFENCE),
        ("pour ma défense", R.DEFENCE_NOT_ACK),
        ("je n'avais pas le choix", R.NO_CHOICE),
        ("ils auraient dû", R.OTHERS_SHOULD),
        ("ce n'est pas si grave", R.PLAYS_DOWN),
    ],
    "pt": [
        ("não foi culpa minha", R.BLAME),
        ("não foi minha culpa", R.BLAME),
        ("não é minha culpa", R.BLAME),
        ("não fui eu", R.DENY),
        ("me disseram para", R.TOLD),
        ("só estava seguindo", R.FOLLOWING),
        ("ninguém me disse", R.NOT_TOLD),
        ("ninguém me avisou", R.NOT_TOLD),
        ("todo mundo faz", R.NORMAL),
        ("mas eles", R.OTHERS_DID),
        ("para ser justo", R.DEFENCE),
        ("em minha defesa", R.DEFENCE_NOT_ACK),
        ("não tive escolha", R.NO_CHOICE),
        ("eles deveriam ter", R.OTHERS_SHOULD),
        ("não é tão grave", R.PLAYS_DOWN),
    ],
    "ja": [
        ("私のせいではない", R.BLAME),
        ("私のせいじゃない", R.BLAME),
        ("私ではありません", R.DENY),
        ("言われたので", R.TOLD),
        ("指示に従っただけ", R.FOLLOWING),
        ("誰も教えてくれなかった", R.NOT_TOLD),
        ("聞いていなかった", R.NOT_TOLD),
        ("みんなやっている", R.NORMAL),
        ("でも彼らが", R.OTHERS_DID),
        ("正直に言うと", R.DEFENCE),
        ("弁解させていただくと", R.DEFENCE_NOT_ACK),
        ("仕方がなかった", R.NO_CHOICE),
        ("すべきだった", R.OTHERS_SHOULD),
        ("大したことではない", R.PLAYS_DOWN),
    ],
}
# Languages that write words without spaces: a phrase counts wherever it appears.
_UNSPACED = {"ja"}


def checked_language(locale: str | None) -> str:
    """The phrase list used for a reader's locale ('de_DE' -> 'de', 'pt_BR' -> 'pt'); English
    when there is none for their language."""
    language = (locale or "en").replace("-", "_").split("_")[0].lower()
    return language if language in EXCUSE_PHRASES else "en"


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True)
class Excuse:
    phrase: str  # the listed phrase that matched
    reason: Reason
    found: str  # the words as the employee wrote them
    start: int  # position in the text, so a view can quote the sentence around it


def _pattern(phrase: str, language: str) -> re.Pattern[str]:
    words = r"\s*".join(re.escape(word) for word in phrase.split())
    if language in _UNSPACED:
        return re.compile(words)
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.compile(r"(?<![\w'])" + words + r"(?![\w'])", re.IGNORECASE)


_PATTERNS = {
    language: [(phrase, reason, _pattern(phrase, language)) for phrase, reason in phrases]
    for language, phrases in EXCUSE_PHRASES.items()
}


def find_excuses(text: str | None, language: str = "en") -> list[Excuse]:
    """Every phrase of `language`'s list (see checked_language) in the text, in the order they
    appear (one entry per occurrence)."""
    if not text:
        return []
    # Same length as the original, so positions still point into what the employee wrote.
    normalised = text.translate(_APOSTROPHES)
    found: list[Excuse] = []
    for phrase, reason, pattern in _PATTERNS[checked_language(language)]:
        for match in pattern.finditer(normalised):
            found.append(
                Excuse(
                    phrase=phrase,
                    reason=reason,
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
