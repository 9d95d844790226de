"""Why a phrase reads as an excuse, and which language the excuse check read the message in."""

from __future__ import annotations

from babel import Locale

from slackapp.services.excuses import Reason
from slackapp.views.i18n import N_, _, babel_locale

REASONS = {
    Reason.BLAME: N_("It puts the blame somewhere else."),
    Reason.DENY: N_("It denies a part you may have played."),
    Reason.TOLD: N_("It hands the responsibility to whoever told you."),
    Reason.FOLLOWING: N_("It hands the responsibility to someone else."),
    Reason.NOT_TOLD: N_("It blames others for what you didn't know."),
    Reason.NORMAL: N_("It makes the mistake sound normal instead of owning it."),
    Reason.OTHERS_DID: N_("It turns attention to what others did."),
    Reason.DEFENCE: N_("It usually starts a defence."),
    Reason.DEFENCE_NOT_ACK: N_("It starts a defence rather than an acknowledgement."),
    Reason.NO_CHOICE: N_("It says the mistake could not have been avoided."),
    Reason.OTHERS_SHOULD: N_("It turns attention to what others should have done."),
    Reason.PLAYS_DOWN: N_("It plays down the impact."),
}


def reason_text(reason: Reason) -> str:
    return _(REASONS[reason])


def language_name(language: str) -> str:
    """'German', 'Deutsch', 'alemán', 'ドイツ語': a language named in the reader's language, as it
    is written mid-sentence (English and German capitalise it; Spanish, French and Portuguese
    don't)."""
    name = Locale.parse(language).get_language_name(babel_locale()) or language
    return name[:1].upper() + name[1:] if babel_locale().language in ("en", "de") else name
