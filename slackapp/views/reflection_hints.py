"""The contributing factors as the reflection modal names them, and example commitments for each."""

from __future__ import annotations

from slackapp.services.reflections import known_factors

# By factor key (services.reflections.FACTORS), in the modal's order.
FACTOR_LABELS: dict[str, str] = {
    "time_management": "Time management",
    "temper": "Temper / reacting under stress",
    "attention_to_detail": "Attention to detail",
    "communication": "Communication",
    "workload": "Workload and priorities",
    "knowledge_gap": "A gap in knowledge or training",
    "other": "Other",
}

# Example commitments: concrete actions, not promises ("I'll be more careful").
HINTS: dict[str, list[str]] = {
    "time_management": [
        "Block 30 minutes each morning to plan the day",
        "Put every deadline in my calendar with a reminder two days before",
        "Say no to new work until today's top priority is done",
    ],
    "temper": [
        "Take a ten-minute walk before answering anything that makes me angry",
        "Wait until the next morning before sending a reply written in anger",
        "Ask one question before reacting when I disagree in a meeting",
    ],
    "attention_to_detail": [
        "Check every order against a checklist before sending it",
        "Ask a colleague to review anything that goes to a customer",
        "Read important emails aloud once before sending them",
    ],
    "communication": [
        "Tell my manager by noon the same day when a task is at risk",
        "Confirm in writing what was agreed after every customer call",
        "Send my manager a three-line status update every Friday",
    ],
    "workload": [
        "Review my task list and priorities with my manager every Monday",
        "Flag it the same day when I have more work than time",
        "Finish one task before starting the next",
    ],
    "knowledge_gap": [
        "Complete the training on the process by the end of the month",
        "Book an hour with an expert on the team to walk me through it",
        "Write down each new procedure I learn and keep it at hand",
    ],
    "other": [
        "Name one action: what, when, and how I'll know I did it",
        "Pick one habit to start this week, and one to stop",
    ],
}


def hints_for(factors: list[str]) -> list[tuple[str, list[str]]]:
    return [(FACTOR_LABELS[key], HINTS[key]) for key in known_factors(factors)]
