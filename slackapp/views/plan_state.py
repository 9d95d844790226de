"""The plan modal's block ids, its memory between updates, and the way back: reading what a
person typed (or a forged request carried) into a PlanDraft without trusting its shape."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from models import Situation
from slackapp.ids import parse_id
from slackapp.services.plans import MAX_STEPS, PlanDraft, StepDraft, clean_link
from slackapp.services.problems import Code, Problem, Problems
from slackapp.views.i18n import _

B_TITLE, B_WHAT, B_PEOPLE = "plan_title", "plan_what", "plan_people"
B_OTHERS, B_SITUATION = "plan_others", "plan_situation"
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,31}$")


def step_block(row: int, part: str) -> str:
    return f"plan_step_{row}_{part}"  # part: text | due | apology


# -- the modal's memory between updates --------------------------------------------------------


@dataclass
class PlanModalMeta:
    plan_id: int | None = None  # editing this plan
    replacing: int | None = None  # a new plan that, once saved, archives this one
    step_ids: list[int | None] = field(default_factory=lambda: [None])  # one per step row
    link: str | None = None  # the message the plan is started from (the message shortcut)

    def to_json(self) -> str:
        data: dict[str, Any] = {"plan": self.plan_id, "replace": self.replacing}
        data["steps"] = self.step_ids
        if self.link:
            data["link"] = self.link
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: Any) -> PlanModalMeta:
        try:
            data = json.loads(raw) if isinstance(raw, str) else None
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls()
        steps = data.get("steps")
        step_ids: list[int | None] = (
            [parse_id(s) for s in steps] if isinstance(steps, list) else [None]
        )
        return cls(
            plan_id=parse_id(data.get("plan")),
            replacing=parse_id(data.get("replace")),
            step_ids=step_ids[:MAX_STEPS] or [None],
            link=clean_link(data.get("link")),
        )


# -- reading the modal's state ------------------------------------------------------------------


def state_values(view: Any) -> dict[str, Any]:
    """view.state.values, or {} for anything Slack would not send."""
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return values if isinstance(values, dict) else {}


def state_entry(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    actions = values.get(block_id)
    entry = next(iter(actions.values()), None) if isinstance(actions, dict) else None
    return entry if isinstance(entry, dict) else {}


def state_text(values: dict[str, Any], block_id: str) -> str | None:
    value = state_entry(values, block_id).get("value")
    return value if isinstance(value, str) and value != "" else None


def _date(values: dict[str, Any], block_id: str) -> date | None:
    raw = state_entry(values, block_id).get("selected_date")
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


def _checked(values: dict[str, Any], block_id: str) -> bool:
    selected = state_entry(values, block_id).get("selected_options")
    return isinstance(selected, list) and bool(selected)


def step_from_state(values: dict[str, Any], row: int, step_id: int | None = None) -> StepDraft:
    return StepDraft(
        description=state_text(values, step_block(row, "text")) or "",
        due_date=_date(values, step_block(row, "due")),
        is_apology=_checked(values, step_block(row, "apology")),
        step_id=step_id,
    )


def plan_draft_from_state(values: dict[str, Any], meta: PlanModalMeta) -> PlanDraft:
    users = state_entry(values, B_PEOPLE).get("selected_users")
    option = state_entry(values, B_SITUATION).get("selected_option")
    chosen = option.get("value") if isinstance(option, dict) else None
    known = isinstance(chosen, str) and chosen in {s.value for s in Situation}
    situation = Situation(str(chosen)) if known else Situation.NOTHING_FORMAL
    return PlanDraft(
        title=state_text(values, B_TITLE) or "",
        what_happened=state_text(values, B_WHAT),
        affected_user_ids=[u for u in users or [] if isinstance(u, str) and SLACK_USER_ID.match(u)]
        if isinstance(users, list)
        else [],
        affected_others=state_text(values, B_OTHERS),
        situation=situation,
        steps=[step_from_state(values, i, sid) for i, sid in enumerate(meta.step_ids)],
        source_link=meta.link,
    )


def problem_text(key: str, problem: Problem) -> str:
    """The sentence under a field of the plan modal."""
    code, limit = problem.code, problem.limit
    if key == "title":
        if code is Code.MISSING:
            return _("Give your plan a short title, like “Botched the Acme order”.")
        return _("Please keep the title under {limit} characters.").format(limit=limit)
    if key in ("what_happened", "affected_others"):
        return _("Please keep this under {limit} characters.").format(limit=limit)
    if key.endswith("_due_date"):
        return _("Pick today or a later date.")
    if code is Code.TOO_MANY:
        return _("A plan holds at most {limit} steps.").format(limit=limit)
    if code is Code.NONE:
        return _("Add at least one step.")
    if code is Code.MISSING:
        return _("Describe this step in a few words, or remove it.")
    return _(
        "Please keep a step under {limit} characters (this one has {count}). Split it into two steps if you need to."
    ).format(limit=limit, count=problem.count)


def plan_errors(problems: Problems, *, rows: int) -> dict[str, str]:
    """What the plan modal shows for a check's problems: its sentences, on their blocks."""
    return error_blocks({key: problem_text(key, p) for key, p in problems.items()}, rows=rows)


def error_blocks(errors: dict[str, str], *, rows: int) -> dict[str, str]:
    """Service field names -> the blocks that show them (anything else goes on the title)."""
    out: dict[str, str] = {}
    fields = {"title": B_TITLE, "what_happened": B_WHAT, "affected_others": B_OTHERS}
    for key, message in errors.items():
        match = re.fullmatch(r"step_(\d+)_(description|due_date)", key)
        if key in fields:
            out[fields[key]] = message
        elif match and int(match[1]) < rows:
            out[step_block(int(match[1]), "text" if match[2] == "description" else "due")] = message
        else:
            out.setdefault(B_TITLE, message)
    return out
