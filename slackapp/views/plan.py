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
from slackapp.views.i18n import N_, _, ngettext
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
from slackapp.views.words import clock_time, limit_hint

PLAN_CALLBACK = "plan_modal"
ADD_STEP_CALLBACK = "plan_add_step"

HOME_STEP_PREFIX = "home_step_"
STEP_TOGGLE_PREFIX = "plan_step_toggle_"  # + the step id: each checkbox can be told apart

SITUATIONS = {
    Situation.NOTHING_FORMAL: N_("Nothing formal has happened"),
    Situation.REMOVED_FROM_PROJECT: N_("I was removed from a project"),
    Situation.DEMOTED: N_("I was demoted"),
    Situation.SUSPENDED: N_("I was suspended"),
    Situation.TERMINATED: N_("I was let go, or told I will be"),
}

NOT_YOURS = N_("That isn't part of your plan, so nothing was changed.")
REPLACED = N_("This plan was replaced by a newer one, so nothing was changed.")


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


def _apology() -> Option:
    return Option(value="apology", text=_("This step is an apology to someone"))


def step_rows(steps: list[StepDraft], *, done_ids: frozenset[int] = frozenset()) -> list[Block]:
    blocks: list[Block] = []
    for i, step in enumerate(steps):
        done = step.step_id is not None and step.step_id in done_ids
        blocks += [
            _text_input(
                step_block(i, "text"),
                (_("Step {number} (done)") if done else _("Step {number}")).format(number=i + 1),
                step.description,
                limit=STEP_MAX,
                placeholder=_("e.g. Call the customer to apologise and offer a replacement")
                if i == 0
                else None,
            ),
            InputBlock(
                block_id=step_block(i, "due"),
                label=_("Due date"),
                optional=True,
                element=DatePickerElement(
                    action_id="value",
                    initial_date=step.due_date.isoformat() if step.due_date else None,
                    placeholder=_("No date"),
                ),
            ),
            InputBlock(
                block_id=step_block(i, "apology"),
                label=_("Apology"),
                optional=True,
                element=CheckboxesElement(
                    action_id="value",
                    options=[_apology()],
                    initial_options=[_apology()] if step.is_apology else None,
                ),
            ),
        ]
    return blocks


def _situation_option(situation: Situation) -> Option:
    return Option(value=situation.value, text=_(SITUATIONS[situation]))


def start_new_button(plan_id: int, action_id: str) -> ButtonElement:
    return ButtonElement(
        text=_("Start a new plan"),
        action_id=action_id,
        value=str(plan_id),
        confirm=ConfirmObject(
            title=_("Start a new plan?"),
            text=_(
                "Your current plan will be archived. It stays in your history, but its "
                "reminders stop."
            ),
            confirm=_("Start a new plan"),
            deny=_("Keep this plan"),
        ),
    )


def plan_modal(
    draft: PlanDraft, meta: PlanModalMeta, *, done_ids: frozenset[int] = frozenset()
) -> dict[str, Any]:
    editing = meta.plan_id is not None
    intro = _(
        "*Repair the damage first, and fast.* Contact and apologise to whoever was hurt, and "
        "put right the original problem. Write down what you'll do, one step at a time."
    )
    if meta.replacing is not None:
        intro += "\n" + _(
            "_When you save this plan, your current one is archived (kept in your history)._"
        )
    blocks: list[Block] = [
        SectionBlock(block_id="plan_intro", text=MarkdownTextObject(text=intro)),
        _text_input(
            B_TITLE,
            _("Short title"),
            draft.title,
            limit=TITLE_MAX,
            placeholder=_("e.g. Botched the Acme order"),
        ),
        _text_input(
            B_WHAT, _("What happened"), draft.what_happened, limit=WHAT_HAPPENED_MAX, optional=True
        ),
        *([_from_message("plan_source", draft.source_link)] if draft.source_link else []),
        InputBlock(
            block_id=B_PEOPLE,
            label=_("Who was affected here at work"),
            optional=True,
            element=UserMultiSelectElement(
                action_id="value",
                initial_users=draft.affected_user_ids or None,
                placeholder=_("Choose people"),
            ),
        ),
        _text_input(
            B_OTHERS,
            _("Anyone else affected"),
            draft.affected_others,
            limit=AFFECTED_OTHERS_MAX,
            optional=True,
            placeholder=_("e.g. the buyer at Acme"),
        ),
        InputBlock(
            block_id=B_SITUATION,
            label=_("Where things stand now"),
            element=RadioButtonsElement(
                action_id="value",
                options=[_situation_option(s) for s in Situation],
                initial_option=_situation_option(draft.situation),
            ),
            hint=_("If it's serious, don't wait: talk to your boss soon (step 3)."),
        ),
        DividerBlock(),
        SectionBlock(
            block_id="plan_steps_intro",
            text=MarkdownTextObject(
                text=_(
                    "*Corrective steps*\nSmall, concrete steps with a date work best. Start "
                    "with any apology you owe. I'll remind you at 9:00 on each due date."
                )
            ),
        ),
        *step_rows(draft.steps, done_ids=done_ids),
    ]
    buttons: list[ButtonElement] = []
    if len(draft.steps) < MAX_STEPS:
        buttons.append(ButtonElement(text=_("Add another step"), action_id="plan_add_row"))
    if len(draft.steps) > 1:
        buttons.append(ButtonElement(text=_("Remove the last step"), action_id="plan_remove_row"))
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
        title=_("Your repair plan") if editing else _("New repair plan"),
        submit=_("Save plan"),
        close=_("Cancel"),
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
        intro = _("A new step for “{title}”.").format(title=title)
    meta: dict[str, Any] = {"plan": plan.id}
    if link:
        meta["link"] = link
    return View(
        type="modal",
        callback_id=ADD_STEP_CALLBACK,
        title=_("Add a step"),
        submit=_("Add step"),
        close=_("Cancel"),
        private_metadata=json.dumps(meta),
        blocks=[
            SectionBlock(block_id="add_step_intro", text=MarkdownTextObject(text=intro)),
            *step_rows([step or StepDraft("")]),
        ],
    ).to_dict()


def plan_saved_modal(summary: PlanSummary, *, dated_steps: int) -> dict[str, Any]:
    lines = [
        ngettext(
            "*Your plan is saved.* “{title}” has {count} step. Tick them off on the App Home "
            "as you go.",
            "*Your plan is saved.* “{title}” has {count} steps. Tick them off on the App Home "
            "as you go.",
            summary.total,
        ).format(title=escape(summary.title, one_line=True), count=summary.total)
    ]
    if dated_steps:
        lines.append(_(":alarm_clock: I'll remind you at 9:00 on the morning each step is due."))
    if summary.serious:
        lines.append(
            _(
                "Because this is serious, the advice is to talk to your boss soon. "
                "Step 3 helps you ask for a private meeting."
            )
        )
    lines.append(_("Next, be introspective: name what really caused it, and what you'll change."))
    return View(
        type="modal",
        callback_id="plan_saved",
        title=_("Plan saved"),
        close=_("Done"),
        blocks=[
            SectionBlock(block_id="plan_saved", text=MarkdownTextObject(text="\n\n".join(lines))),
            ActionsBlock(
                block_id="plan_next",
                elements=[
                    ButtonElement(
                        text=_("Reflect now"), action_id="plan_next_reflect", style="primary"
                    )
                ],
            ),
        ],
    ).to_dict()


# -- App Home ----------------------------------------------------------------------------------


def _done() -> Option:
    return Option(value="done", text=_("Done"))


def _step_text(step: Step, *, today: date, tz: str) -> str:
    text = escape(step.description, one_line=True)
    notes: list[str] = []
    if step.is_apology:
        notes.append(_(":speech_balloon: Apology"))
    if step.source_link:
        notes.append(_message_link(step.source_link, _(":link: From a message")))
    if step.done_at is not None:
        when = step.done_at.astimezone(zone(tz))
        notes.append(_("Done {day}, {time}").format(day=day(when.date()), time=clock_time(when)))
        return f":white_check_mark: {text}\n_{' · '.join(notes)}_"
    if step.due_date is not None:
        if is_overdue(step, today):
            notes.append(_(":warning: *Overdue*, was due {day}").format(day=day(step.due_date)))
        elif step.due_date == today:
            notes.append(_("*Due today*"))
        else:
            notes.append(_("Due {day}").format(day=day(step.due_date)))
    return text + (f"\n{' · '.join(notes)}" if notes else "")


def close_plan_button(plan_id: int) -> ButtonElement:
    return ButtonElement(
        text=_("Close plan"),
        action_id="plan_close",
        value=str(plan_id),
        confirm=ConfirmObject(
            title=_("Close this plan?"),
            text=_(
                "Close it when the repairs are behind you. It stays in your history; its "
                "reminders stop, and feedback requests set to end with the plan stop too."
            ),
            confirm=_("Close plan"),
            deny=_("Not yet"),
        ),
    )


def progress_text(summary: PlanSummary) -> str:
    return _("{done} of {total} done").format(done=summary.done, total=summary.total)


def plan_home_blocks(
    plan: Plan, summary: PlanSummary, *, today: date, tz: str, archived: int = 0
) -> list[Block]:
    status = progress_text(summary)
    if summary.overdue:
        status += " · " + _(":warning: {count} overdue").format(count=summary.overdue)
    affected = [f"<@{u}>" for u in plan.affected_user_ids or [] if SLACK_USER_ID.match(u)]
    if plan.affected_others:
        affected.append(escape(plan.affected_others, one_line=True))
    head = f"*{escape(plan.title, one_line=True)}*\n{status}"
    if affected:
        head += "\n" + _("Affected: {people}").format(people=", ".join(affected))
    if plan.source_link:
        head += "\n" + _("Started from {link}").format(
            link=_message_link(plan.source_link, _("a message in Slack"))
        )
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(block_id="home_plan_header", text=_("Your repair plan")),
        SectionBlock(block_id="home_plan", text=MarkdownTextObject(text=head)),
    ]
    for step in plan.steps:
        blocks.append(
            SectionBlock(
                block_id=f"{HOME_STEP_PREFIX}{step.id}",
                text=MarkdownTextObject(text=_step_text(step, today=today, tz=tz)),
                accessory=CheckboxesElement(
                    action_id=f"{STEP_TOGGLE_PREFIX}{step.id}",
                    options=[_done()],
                    initial_options=[_done()] if step.done_at is not None else None,
                ),
            )
        )
    buttons = [
        ButtonElement(text=_("Edit plan"), action_id="plan_edit_open", value=str(plan.id)),
        start_new_button(plan.id, "plan_new_open"),
        close_plan_button(plan.id),
    ]
    if len(plan.steps) < MAX_STEPS:
        buttons.insert(
            0, ButtonElement(text=_("Add step"), action_id="plan_add_step_open", value=str(plan.id))
        )
    blocks.append(ActionsBlock(block_id="home_plan_actions", elements=buttons))
    if archived:
        blocks.append(
            ContextBlock(
                block_id="home_plan_history",
                elements=[
                    MarkdownTextObject(
                        text=ngettext(
                            "{count} earlier plan is kept in history.",
                            "{count} earlier plans are kept in history.",
                            archived,
                        ).format(count=archived)
                    )
                ],
            )
        )
    return blocks
