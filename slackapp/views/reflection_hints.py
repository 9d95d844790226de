"""The contributing factors as the reflection modal names them, and example commitments for each."""

from __future__ import annotations

from slackapp.services.reflections import known_factors
from slackapp.views.i18n import N_, _

# By factor key (services.reflections.FACTORS), in the modal's order.
FACTOR_LABELS: dict[str, str] = {
    "time_management": N_("Time management"),
    "temper": N_("Temper / reacting under stress"),
    "attention_to_detail": N_("Attention to detail"),
    "communication": N_("Communication"),
    "workload": N_("Workload and priorities"),
    "knowledge_gap": N_("A gap in knowledge or training"),
    "other": N_("Other"),
}

# Example commitments: concrete actions, not promises ("I'll be more careful").
HINTS: dict[str, list[str]] = {
    "time_management": [
        N_("Block 30 minutes each morning to plan the day"),
        N_("Put every deadline in my calendar with a reminder two days before"),
        N_("Say no to new work until today's top priority is done"),
    ],
    "temper": [
        N_("Take a ten-minute walk before answering anything that makes me angry"),
        N_("Wait until the next morning before sending a reply written in anger"),
        N_("Ask one question before reacting when I disagree in a meeting"),
    ],
    "attention_to_detail": [
        N_("Check every order against a checklist before sending it"),
        N_("Ask a colleague to review anything that goes to a customer"),
        N_("Read important emails aloud once before sending them"),
    ],
    "communication": [
        N_("Tell my manager by noon the same day when a task is at risk"),
        N_("Confirm in writing what was agreed after every customer call"),
        N_("Send my manager a three-line status update every Friday"),
    ],
    "workload": [
        N_("Review my task list and priorities with my manager every Monday"),
        N_("Flag it the same day when I have more work than time"),
        N_("Finish one task before starting the next"),
    ],
    "knowledge_gap": [
        N_("Complete the training on the process by the end of the month"),
        N_("Book an hour with an expert on the team to walk me through it"),
        N_("Write down each new procedure I learn and keep it at hand"),
    ],
    "other": [
        N_("Name one action: what, when, and how I'll know I did it"),
        N_("Pick one habit to start this week, and one to stop"),
    ],
}


def hints_for(factors: list[str]) -> list[tuple[str, list[str]]]:
    """Each chosen factor's label and example commitments, in the reader's language."""
    return [
        (_(FACTOR_LABELS[key]), [_(hint) for hint in HINTS[key]]) for key in known_factors(factors)
    ]
