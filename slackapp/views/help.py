"""Help text for /secondchance."""

from __future__ import annotations

from slackapp.views.i18n import N_, _
from slackapp.views.mrkdwn import escape

SUBCOMMANDS = [
    ("/secondchance", N_("open your journey: the four steps and where you are")),
    ("/secondchance plan", N_("step 1, fix what went wrong: your repair plan")),
    ("/secondchance reflect", N_("step 2, be introspective: causes and commitments")),
    ("/secondchance meeting", N_("step 3, talk to your boss: ask for a private meeting")),
    ("/secondchance feedback", N_("step 4, prepare to perform: regular feedback requests")),
    ("/secondchance status", N_("a short summary of where you are")),
    ("/secondchance help", N_("this list")),
]


def help_text(unknown: str | None = None) -> str:
    lines = []
    if unknown:
        lines.append(
            _("I don't know `{word}`, sorry. Here is what I can do:").format(
                word=escape(unknown, limit=40, one_line=True)
            )
        )
    else:
        lines.append(_("Here is what I can do:"))
    lines += [f"• `{command}`: {_(what)}" for command, what in SUBCOMMANDS]
    return "\n".join(lines)
