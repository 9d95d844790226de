"""Stage 1 in Block Kit: the plan modal (with its step rows) and the App Home section.

The modal's block ids and the way back from its state live in plan_state; the DMs in
plan_messages.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from models import Plan, Situation, Step
from slackapp.kernel.zones import zone
from slackapp.services.plans import (
    AFFECTED_OTHERS_MAX,
    MAX_STEPS,
    STEP_MAX,
    TITLE_MAX,
    WHAT_HAPPENED_MAX,
    PlanDraft,
    PlanSummary,
    StepDraft,
    is_overdue,
)
from slackapp.views.i18n import _
from slackapp.views.mrkdwn import escape
from slackapp.views.plan_state import (
    B_OTHERS,
    B_PEOPLE,
    B_SITUATION,
    B_TITLE,
    B_WHAT,
    SLACK_USER_ID,
    PlanModalMeta,
    step_block,
)
from slackapp.views.words import limit_hint

PLAN_CALLBACK = "plan_modal"
ADD_STEP_CALLBACK = "plan_add_step"

HOME_STEP_PREFIX = "home_step_"
STEP_TOGGLE_PREFIX = "plan_step_toggle_"  # + the step id: each checkbox can be told apart

SITUATIONS = {
    Situation.NOTHING_FORMAL: "Nothing formal has happened",
    Situation.REMOVED_FROM_PROJECT: "I was removed from a project",
    Situation.DEMOTED: "I was demoted",
    Situation.SUSPENDED: "I was suspended",
    Situation.TERMINATED: "I was let go, or told I will be",
}

NOT_YOURS = "That isn't part of your plan, so nothing was changed."
REPLACED = "This plan was replaced by a newer one, so nothing was changed."


def day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def _message_link(link: str, words: str) -> str:
    """A link to a Slack message (a permalink the services checked: nothing to escape in it)."""
    return f"<{link}|{escape(words, one_line=True)}>"


def _from_message(block_id: str, link: str) -> ContextBlock:
    return ContextBlock(
        block_id=block_id,
        elements=[
            MarkdownTextObject(
                text=_(":link: What happened: {link}").format(
                    link=_message_link(link, _("the message in Slack"))
                )
            )
        ],
    )


# -- the modal ---------------------------------------------------------------------------------


def _text_input(
    block_id: str,
    label: str,
    value: str | None,
    *,
    limit: int,
    optional: bool = False,
    multiline: bool = False,
    placeholder: str | None = None,
    hint: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=limit_hint(limit, hint),
        element=PlainTextInputElement(
            action_id="value",
            initial_value=value or None,
            multiline=multiline,
            max_length=limit,
            placeholder=placeholder,
        ),
    )


APOLOGY = Option(value="apology", text="This step is an apology to someone")


def step_rows(steps: list[StepDraft], *, done_ids: frozenset[int] = frozenset()) -> list[Block]:
    blocks: list[Block] = []
    for i, step in enumerate(steps):
        done = step.step_id is not None and step.step_id in done_ids
        blocks += [
            _text_input(
                step_block(i, "text"),
                f"Step {i + 1}" + (" (done)" if done else ""),
                step.description,
                limit=STEP_MAX,
                placeholder="e.g. Call the customer to apologise and offer a replacement"
                if i == 0
                else None,
            ),
            InputBlock(
                block_id=step_block(i, "due"),
                label="Due date",
                optional=True,
                element=DatePickerElement(
                    action_id="value",
                    initial_date=step.due_date.isoformat() if step.due_date else None,
                    placeholder="No date",
                ),
            ),
            InputBlock(
                block_id=step_block(i, "apology"),
                label="Apology",
                optional=True,
                element=CheckboxesElement(
                    action_id="value",
                    options=[APOLOGY],
                    initial_options=[APOLOGY] if step.is_apology else None,
                ),
            ),
        ]
    return blocks


def _situation_option(situation: Situation) -> Option:
    return Option(value=situation.value, text=SITUATIONS[situation])


def start_new_button(plan_id: int, action_id: str) -> ButtonElement:
    return ButtonElement(
        text="Start a new plan",
        action_id=action_id,
        value=str(plan_id),
        confirm=ConfirmObject(
            title="Start a new plan?",
            text="Your current plan will be archived. It stays in your history, but its "
            "reminders stop.",
            confirm="Start a new plan",
            deny="Keep this plan",
        ),
    )


def plan_modal(
    draft: PlanDraft, meta: PlanModalMeta, *, done_ids: frozenset[int] = frozenset()
) -> dict[str, Any]:
    editing = meta.plan_id is not None
    intro = (
        "*Repair the damage first, and fast.* Contact and apologise to whoever was hurt, and "
        "put right the original problem. Write down what you'll do, one step at a time."
    )
    if meta.replacing is not None:
        intro += "\n_When you save this plan, your current one is archived (kept in your history)._"
    blocks: list[Block] = [
        SectionBlock(block_id="plan_intro", text=MarkdownTextObject(text=intro)),
        _text_input(
            B_TITLE,
            "Short title",
            draft.title,
            limit=TITLE_MAX,
            placeholder="e.g. Botched the Acme order",
        ),
        _text_input(
            B_WHAT, "What happened", draft.what_happened, limit=WHAT_HAPPENED_MAX, optional=True
        ),
        *([_from_message("plan_source", draft.source_link)] if draft.source_link else []),
        InputBlock(
            block_id=B_PEOPLE,
            label="Who was affected here at work",
            optional=True,
            element=UserMultiSelectElement(
                action_id="value",
                initial_users=draft.affected_user_ids or None,
                placeholder="Choose people",
            ),
        ),
        _text_input(
            B_OTHERS,
            "Anyone else affected",
            draft.affected_others,
            limit=AFFECTED_OTHERS_MAX,
            optional=True,
            placeholder="e.g. the buyer at Acme",
        ),
        InputBlock(
            block_id=B_SITUATION,
            label="Where things stand now",
            element=RadioButtonsElement(
                action_id="value",
                options=[_situation_option(s) for s in Situation],
                initial_option=_situation_option(draft.situation),
            ),
            hint="If it's serious, don't wait: talk to your boss soon (step 3).",
        ),
        DividerBlock(),
        SectionBlock(
            block_id="plan_steps_intro",
            text=MarkdownTextObject(
                text="*Corrective steps*\nSmall, concrete steps with a date work best. Start "
                "with any apology you owe. I'll remind you at 9:00 on each due date."
            ),
        ),
        *step_rows(draft.steps, done_ids=done_ids),
    ]
    buttons: list[ButtonElement] = []
    if len(draft.steps) < MAX_STEPS:
        buttons.append(ButtonElement(text="Add another step", action_id="plan_add_row"))
    if len(draft.steps) > 1:
        buttons.append(ButtonElement(text="Remove the last step", action_id="plan_remove_row"))
    if buttons:
        blocks.append(ActionsBlock(block_id="plan_rows", elements=buttons))
    if editing and meta.plan_id is not None:
        blocks += [
            DividerBlock(),
            ActionsBlock(
                block_id="plan_replace", elements=[start_new_button(meta.plan_id, "plan_start_new")]
            ),
        ]
    return View(
        type="modal",
        callback_id=PLAN_CALLBACK,
        title="Your repair plan" if editing else "New repair plan",
        submit="Save plan",
        close="Cancel",
        private_metadata=meta.to_json(),
        blocks=blocks,
    ).to_dict()


def add_step_modal(
    plan: Plan, step: StepDraft | None = None, *, link: str | None = None
) -> dict[str, Any]:
    """A new step for the plan; with `link`, a step from that message (the message shortcut)."""
    title = escape(plan.title, one_line=True)
    if link:
        intro = _("*Add a step from this message* to “{title}”: {link}").format(
            title=title, link=_message_link(link, _("the message in Slack"))
        )
    else:
        intro = f"A new step for “{title}”."
    meta: dict[str, Any] = {"plan": plan.id}
    if link:
        meta["link"] = link
    return View(
        type="modal",
        callback_id=ADD_STEP_CALLBACK,
        title="Add a step",
        submit="Add step",
        close="Cancel",
        private_metadata=json.dumps(meta),
        blocks=[
            SectionBlock(block_id="add_step_intro", text=MarkdownTextObject(text=intro)),
            *step_rows([step or StepDraft("")]),
        ],
    ).to_dict()


def plan_saved_modal(summary: PlanSummary, *, dated_steps: int) -> dict[str, Any]:
    lines = [
        f"*Your plan is saved.* “{escape(summary.title, one_line=True)}” has {summary.total} "
        f"step{'s' if summary.total != 1 else ''}. Tick them off on the App Home as you go."
    ]
    if dated_steps:
        lines.append(":alarm_clock: I'll remind you at 9:00 on the morning each step is due.")
    if summary.serious:
        lines.append(
            "Because this is serious, the advice is to talk to your boss soon. "
            "Step 3 helps you ask for a private meeting."
        )
    lines.append("Next, be introspective: name what really caused it, and what you'll change.")
    return View(
        type="modal",
        callback_id="plan_saved",
        title="Plan saved",
        close="Done",
        blocks=[
            SectionBlock(block_id="plan_saved", text=MarkdownTextObject(text="\n\n".join(lines))),
            ActionsBlock(
                block_id="plan_next",
                elements=[
                    ButtonElement(
                        text="Reflect now", action_id="plan_next_reflect", style="primary"
                    )
                ],
            ),
        ],
    ).to_dict()


# -- App Home ----------------------------------------------------------------------------------

DONE = Option(value="done", text="Done")


def _step_text(step: Step, *, today: date, tz: str) -> str:
    text = escape(step.description, one_line=True)
    notes: list[str] = []
    if step.is_apology:
        notes.append(":speech_balloon: Apology")
    if step.source_link:
        notes.append(_message_link(step.source_link, _(":link: From a message")))
    if step.done_at is not None:
        when = step.done_at.astimezone(zone(tz))
        notes.append(f"Done {day(when.date())}, {when:%H:%M}")
        return f":white_check_mark: {text}\n_{' · '.join(notes)}_"
    if step.due_date is not None:
        if is_overdue(step, today):
            notes.append(f":warning: *Overdue*, was due {day(step.due_date)}")
        elif step.due_date == today:
            notes.append("*Due today*")
        else:
            notes.append(f"Due {day(step.due_date)}")
    return text + (f"\n{' · '.join(notes)}" if notes else "")


def close_plan_button(plan_id: int) -> ButtonElement:
    return ButtonElement(
        text="Close plan",
        action_id="plan_close",
        value=str(plan_id),
        confirm=ConfirmObject(
            title="Close this plan?",
            text="Close it when the repairs are behind you. It stays in your history; its "
            "reminders stop, and feedback requests set to end with the plan stop too.",
            confirm="Close plan",
            deny="Not yet",
        ),
    )


def progress_text(summary: PlanSummary) -> str:
    return f"{summary.done} of {summary.total} done"


def plan_home_blocks(
    plan: Plan, summary: PlanSummary, *, today: date, tz: str, archived: int = 0
) -> list[Block]:
    status = progress_text(summary)
    if summary.overdue:
        status += f" · :warning: {summary.overdue} overdue"
    affected = [f"<@{u}>" for u in plan.affected_user_ids or [] if SLACK_USER_ID.match(u)]
    if plan.affected_others:
        affected.append(escape(plan.affected_others, one_line=True))
    head = f"*{escape(plan.title, one_line=True)}*\n{status}"
    if affected:
        head += f"\nAffected: {', '.join(affected)}"
    if plan.source_link:
        head += "\n" + _("Started from {link}").format(
            link=_message_link(plan.source_link, _("a message in Slack"))
        )
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(block_id="home_plan_header", text="Your repair plan"),
        SectionBlock(block_id="home_plan", text=MarkdownTextObject(text=head)),
    ]
    for step in plan.steps:
        blocks.append(
            SectionBlock(
                block_id=f"{HOME_STEP_PREFIX}{step.id}",
                text=MarkdownTextObject(text=_step_text(step, today=today, tz=tz)),
                accessory=CheckboxesElement(
                    action_id=f"{STEP_TOGGLE_PREFIX}{step.id}",
                    options=[DONE],
                    initial_options=[DONE] if step.done_at is not None else None,
                ),
            )
        )
    buttons = [
        ButtonElement(text="Edit plan", action_id="plan_edit_open", value=str(plan.id)),
        start_new_button(plan.id, "plan_new_open"),
        close_plan_button(plan.id),
    ]
    if len(plan.steps) < MAX_STEPS:
        buttons.insert(
            0, ButtonElement(text="Add step", action_id="plan_add_step_open", value=str(plan.id))
        )
    blocks.append(ActionsBlock(block_id="home_plan_actions", elements=buttons))
    if archived:
        noun = "plan is" if archived == 1 else "plans are"
        blocks.append(
            ContextBlock(
                block_id="home_plan_history",
                elements=[MarkdownTextObject(text=f"{archived} earlier {noun} kept in history.")],
            )
        )
    return blocks
