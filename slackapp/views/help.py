"""Help text for /secondchance."""

from __future__ import annotations

from slackapp.views.mrkdwn import escape

SUBCOMMANDS = [
    ("/secondchance", "open your journey: the four steps and where you are"),
    ("/secondchance plan", "step 1, fix what went wrong: your repair plan"),
    ("/secondchance reflect", "step 2, be introspective: causes and commitments"),
    ("/secondchance meeting", "step 3, talk to your boss: ask for a private meeting"),
    ("/secondchance feedback", "step 4, prepare to perform: regular feedback requests"),
    ("/secondchance status", "a short summary of where you are"),
    ("/secondchance help", "this list"),
]


def help_text(unknown: str | None = None) -> str:
    lines = []
    if unknown:
        lines.append(
            f"I don't know `{escape(unknown, limit=40, one_line=True)}`, sorry. "
            "Here is what I can do:"
        )
    else:
        lines.append("Here is what I can do:")
    lines += [f"• `{command}`: {what}" for command, what in SUBCOMMANDS]
    return "\n".join(lines)
