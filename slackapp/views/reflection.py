"""Stage 2 in Block Kit: the reflection modal with its hints, and its App Home section."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from models import Plan, Reflection
from slackapp.ids import parse_id
from slackapp.services.problems import Code, Problem, Problems
from slackapp.services.reflections import (
    COMMITMENT_MAX,
    MAX_COMMITMENTS,
    NOTES_MAX,
    ROOT_CAUSE_MAX,
    ReflectionDraft,
    known_factors,
)
from slackapp.views.i18n import N_, _, ngettext
from slackapp.views.mrkdwn import escape
from slackapp.views.plan_state import state_entry, state_text
from slackapp.views.reflection_hints import FACTOR_LABELS, hints_for
from slackapp.views.words import limit_hint, shortened

REFLECTION_CALLBACK = "reflect_modal"
B_FACTORS, B_HINTS, B_CAUSE, B_NOTES = (
    "reflect_factors",
    "reflect_hints",
    "reflect_cause",
    "reflect_notes",
)
FACTORS_CHANGED = "reflect_factors_changed"
SECTION_MAX = 2900  # a section holds 3000 characters; leave room for the label


READ_ALL = N_("choose Edit reflection to read it all")


def _clip(text: str) -> str:
    return text if len(text) <= SECTION_MAX else text[: SECTION_MAX - 1] + "…"


def commitment_block(row: int) -> str:
    return f"reflect_commitment_{row}"


@dataclass
class ReflectionModalMeta:
    plan_id: int
    rows: int = 1

    def to_json(self) -> str:
        return json.dumps({"plan": self.plan_id, "rows": self.rows}, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: Any) -> ReflectionModalMeta | None:
        try:
            data = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            return None
        plan = parse_id(data.get("plan")) if isinstance(data, dict) else None
        if not isinstance(data, dict) or plan is None:
            return None
        rows = data.get("rows")
        rows = rows if isinstance(rows, int) and not isinstance(rows, bool) else 1
        return cls(plan_id=plan, rows=min(max(rows, 1), MAX_COMMITMENTS))


# -- reading the modal's state ------------------------------------------------------------------


def factors_from(selected: Any) -> list[str]:
    if not isinstance(selected, list):
        return []
    return known_factors([str(o.get("value")) for o in selected if isinstance(o, dict)])


def reflection_draft_from_state(
    values: dict[str, Any], meta: ReflectionModalMeta
) -> ReflectionDraft:
    return ReflectionDraft(
        factors=factors_from(state_entry(values, B_FACTORS).get("selected_options")),
        root_cause=state_text(values, B_CAUSE),
        commitments=[state_text(values, commitment_block(i)) or "" for i in range(meta.rows)],
        private_notes=state_text(values, B_NOTES),
    )


def problem_text(key: str, problem: Problem) -> str:
    """The sentence under a field of the reflection modal."""
    code, limit = problem.code, problem.limit
    if key == "root_cause":
        if code is Code.MISSING:
            return _("In a sentence or two, name what really caused it. Only you will see it.")
        return _("Please keep this under {limit} characters.").format(limit=limit)
    if key == "private_notes":
        return _("Please keep your notes under {limit} characters.").format(limit=limit)
    if code is Code.TOO_MANY:
        return _("At most {limit} commitments.").format(limit=limit)
    if code is Code.NONE:
        return _("Add at least one thing you will do differently.")
    if code is Code.MISSING:
        return _("Write one concrete action here, or remove this line.")
    return _(
        "Please keep a commitment under {limit} characters; split it into two if you need to."
    ).format(limit=limit)


def reflection_errors(problems: Problems, *, rows: int) -> dict[str, str]:
    """What the reflection modal shows for a check's problems: its sentences, on their blocks."""
    return error_blocks({key: problem_text(key, p) for key, p in problems.items()}, rows=rows)


def error_blocks(errors: dict[str, str], *, rows: int) -> dict[str, str]:
    """Service field names -> the blocks that show them."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        if key == "root_cause":
            out[B_CAUSE] = message
        elif key == "private_notes":
            out[B_NOTES] = message
        elif key.startswith("commitment_") and int(key.removeprefix("commitment_")) < rows:
            out[commitment_block(int(key.removeprefix("commitment_")))] = message
        else:
            out.setdefault(commitment_block(0), message)
    return out


# -- the modal ---------------------------------------------------------------------------------


def _factor_options() -> dict[str, Option]:
    return {key: Option(value=key, text=_(label)) for key, label in FACTOR_LABELS.items()}


def hints_text(factors: list[str]) -> str:
    found = hints_for(factors)
    if not found:
        return _("_Tick the factors that played a part, and examples of commitments appear here._")
    parts = []
    for label, examples in found:
        bullets = "\n".join(f"• {example}" for example in examples)
        parts.append(_("*{factor}*, for example:").format(factor=label) + "\n" + bullets)
    return "\n".join(parts)


def reflection_modal(draft: ReflectionDraft, meta: ReflectionModalMeta) -> dict[str, Any]:
    chosen = known_factors(draft.factors)
    factor_options = _factor_options()
    commitments = draft.commitments[: meta.rows] + [""] * (meta.rows - len(draft.commitments))
    blocks: list[Block] = [
        SectionBlock(
            block_id="reflect_intro",
            text=MarkdownTextObject(
                text=_(
                    "*Acknowledge the cause to yourself first.* Be honest: this part is for "
                    "you. Then turn what you learn into commitments."
                )
            ),
        ),
        InputBlock(
            block_id=B_FACTORS,
            label=_("What played a part?"),
            optional=True,
            dispatch_action=True,
            element=CheckboxesElement(
                action_id=FACTORS_CHANGED,
                options=list(factor_options.values()),
                initial_options=[factor_options[k] for k in chosen] or None,
            ),
        ),
        InputBlock(
            block_id=B_CAUSE,
            label=_("What really caused it?"),
            hint=limit_hint(ROOT_CAUSE_MAX),
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                max_length=ROOT_CAUSE_MAX,
                initial_value=draft.root_cause or None,
                placeholder=_("e.g. I said yes to three deadlines in one week and cut corners"),
            ),
        ),
        DividerBlock(),
        SectionBlock(
            block_id="reflect_commitments_intro",
            text=MarkdownTextObject(
                text=_(
                    "*What I will do differently*\nA commitment is an action, not a promise. "
                    "“Check every order against a checklist before sending it” works; "
                    "“I'll be more careful” doesn't."
                )
            ),
        ),
        SectionBlock(block_id=B_HINTS, text=MarkdownTextObject(text=_clip(hints_text(chosen)))),
    ]
    for i, text in enumerate(commitments):
        blocks.append(
            InputBlock(
                block_id=commitment_block(i),
                label=_("Commitment {number}").format(number=i + 1),
                hint=limit_hint(COMMITMENT_MAX),
                element=PlainTextInputElement(
                    action_id="value", max_length=COMMITMENT_MAX, initial_value=text or None
                ),
            )
        )
    buttons = []
    if meta.rows < MAX_COMMITMENTS:
        buttons.append(ButtonElement(text=_("Add another"), action_id="reflect_add_row"))
    if meta.rows > 1:
        buttons.append(ButtonElement(text=_("Remove the last one"), action_id="reflect_remove_row"))
    if buttons:
        blocks.append(ActionsBlock(block_id="reflect_rows", elements=buttons))
    blocks += [
        DividerBlock(),
        InputBlock(
            block_id=B_NOTES,
            label=_("Private notes"),
            optional=True,
            hint=limit_hint(NOTES_MAX, _("Never shared with anyone, not even your manager.")),
            element=PlainTextInputElement(
                action_id="value",
                multiline=True,
                max_length=NOTES_MAX,
                initial_value=draft.private_notes or None,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=REFLECTION_CALLBACK,
        title=_("Be introspective"),
        submit=_("Save"),
        close=_("Cancel"),
        private_metadata=meta.to_json(),
        blocks=blocks,
    ).to_dict()


def no_plan_modal() -> dict[str, Any]:
    return View(
        type="modal",
        callback_id="reflect_no_plan",
        title=_("Be introspective"),
        close=_("Close"),
        blocks=[
            SectionBlock(
                block_id="reflect_no_plan",
                text=MarkdownTextObject(
                    text=_(
                        "Your reflection goes with your repair plan, so start there: what "
                        "happened, and the steps you'll take to put it right. It takes a few minutes."
                    )
                ),
            ),
            ActionsBlock(
                block_id="reflect_no_plan_actions",
                elements=[
                    ButtonElement(
                        text=_("Start my plan"), action_id="reflect_go_plan", style="primary"
                    )
                ],
            ),
        ],
    ).to_dict()


def reflection_saved_modal(reflection: Reflection) -> dict[str, Any]:
    count = len(reflection.commitments)
    return View(
        type="modal",
        callback_id="reflect_saved",
        title=_("Reflection saved"),
        close=_("Done"),
        blocks=[
            SectionBlock(
                block_id="reflect_saved",
                text=MarkdownTextObject(
                    text=ngettext(
                        "*Saved, with {count} commitment.* Naming the real cause is the hard "
                        "part, and you've done it. Your private notes stay private.\n\nNext, talk "
                        "to your boss: ask for a private meeting and bring your plan.",
                        "*Saved, with {count} commitments.* Naming the real cause is the hard "
                        "part, and you've done it. Your private notes stay private.\n\nNext, talk "
                        "to your boss: ask for a private meeting and bring your plan.",
                        count,
                    ).format(count=count)
                ),
            ),
            ActionsBlock(
                block_id="reflect_next",
                elements=[
                    ButtonElement(
                        text=_("Ask for a meeting"),
                        action_id="journey_open_meeting",
                        value="meeting",
                        style="primary",
                    )
                ],
            ),
        ],
    ).to_dict()


# -- App Home ----------------------------------------------------------------------------------


def reflection_home_blocks(plan: Plan) -> list[Block]:
    reflection = plan.reflection
    if reflection is None:
        return [
            SectionBlock(
                block_id="home_reflect",
                text=MarkdownTextObject(
                    text=_(
                        "*Be introspective.* When you're ready, name what really caused it and "
                        "what you'll do differently."
                    )
                ),
                accessory=ButtonElement(
                    text=_("Reflect"), action_id="reflect_edit_open", value=str(plan.id)
                ),
            )
        ]
    commitments = "\n".join(
        f"• {escape(c.text, one_line=True)}" for c in reflection.commitments
    ) or _("_None yet._")
    factors = ", ".join(_(FACTOR_LABELS[k]) for k in known_factors(list(reflection.factors or [])))
    blocks: list[Block] = [
        DividerBlock(),
        SectionBlock(
            block_id="home_reflect",
            text=MarkdownTextObject(
                text=shortened(
                    _("*What I'll do differently*") + "\n" + commitments, SECTION_MAX, _(READ_ALL)
                )
            ),
            accessory=ButtonElement(
                text=_("Edit reflection"), action_id="reflect_edit_open", value=str(plan.id)
            ),
        ),
    ]
    if reflection.root_cause:
        blocks.append(
            SectionBlock(
                block_id="home_reflect_cause",
                text=MarkdownTextObject(
                    text=shortened(
                        _("*What really caused it*") + "\n" + escape(reflection.root_cause),
                        SECTION_MAX,
                        _(READ_ALL),
                    )
                ),
            )
        )
    if factors:
        blocks.append(
            ContextBlock(
                block_id="home_reflect_factors",
                elements=[MarkdownTextObject(text=_("Factors: {factors}").format(factors=factors))],
            )
        )
    return blocks
