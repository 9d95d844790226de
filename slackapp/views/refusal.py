""" "I'm not their manager": the button on a request, the DMs after it (to both people), the
employee's App Home note, and the modals' field error."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    ContextBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from slackapp.views.i18n import N_, _, ngettext

NOT_MANAGER_ACTION = "manager_not_mine"
UNDO_ACTION = "manager_not_mine_undo"
NOT_MANAGER = N_("I'm not their manager")
UNDO = N_("I am their manager after all")
BLOCK_ID = "manager_check"


def request_value(kind: str, request_id: int) -> str:
    """The button's value: which request it was on ("meeting:12", "feedback:34")."""
    return f"{kind}:{request_id}"


def not_manager_block(*, kind: str, request_id: int, employee_user_id: str) -> Block:
    """Offered on a request until its recipient has acted as the employee's manager."""
    return SectionBlock(
        block_id=BLOCK_ID,
        text=MarkdownTextObject(
            text=_(
                "Not <@{employee}>'s manager? Tell me, and they won't send you requests through Second Chance."
            ).format(employee=employee_user_id)
        ),
        accessory=ButtonElement(
            text=_(NOT_MANAGER),
            action_id=NOT_MANAGER_ACTION,
            value=request_value(kind, request_id),
            confirm=ConfirmObject(
                title=_("Not their manager?"),
                text=PlainTextObject(
                    text=_(
                        "They won't be able to send you meeting requests or feedback requests "
                        "through Second Chance. I'll let them know kindly, so they can choose the "
                        "person they report to. You can undo this."
                    )
                ),
                confirm=_("Stop their requests"),
                deny=_("Go back"),
            ),
        ),
    )


def done_blocks(employee_user_id: str) -> list[Block]:
    """The DM the button was pressed in, updated in place (the employee's words go from it)."""
    return [
        SectionBlock(
            block_id=BLOCK_ID,
            text=MarkdownTextObject(
                text=_(
                    ":white_check_mark: Thanks for letting me know. <@{employee}> won't send you requests through Second Chance again. I've let them know, so they can choose the person they report to."
                ).format(employee=employee_user_id)
            ),
        ),
        ActionsBlock(
            block_id="manager_check_undo",
            elements=[
                ButtonElement(text=_(UNDO), action_id=UNDO_ACTION, value=employee_user_id),
            ],
        ),
        ContextBlock(
            elements=[MarkdownTextObject(text=_("Pressed it by mistake? Undo it with the button."))]
        ),
    ]


def done_text(employee_user_id: str) -> str:
    return _("<@{employee}> won't send you requests through Second Chance again").format(
        employee=employee_user_id
    )


def closed_blocks(employee_user_id: str) -> list[Block]:
    """Their other open DMs from the same employee: no button left that leads nowhere."""
    return [
        SectionBlock(
            block_id=BLOCK_ID,
            text=MarkdownTextObject(
                text=_(
                    ":heavy_multiplication_x: Closed: you said you aren't <@{employee}>'s manager, so there's nothing to answer here."
                ).format(employee=employee_user_id)
            ),
        )
    ]


def undone_blocks(employee_user_id: str) -> list[Block]:
    return [
        SectionBlock(
            block_id=BLOCK_ID,
            text=MarkdownTextObject(
                text=_(
                    ":arrows_counterclockwise: Undone. <@{employee}> can send you requests through Second Chance again, and I've let them know. Nothing restarts by itself: it's up to them to ask."
                ).format(employee=employee_user_id)
            ),
        )
    ]


def employee_note(person_user_id: str, *, meeting: bool, feedback: bool) -> tuple[str, list[Block]]:
    """The employee's DM: who said so, what stopped, that nothing they wrote is lost."""
    if meeting and feedback:
        stopped = _(
            "<@{person}> let me know they aren't your manager. I've stopped your meeting request "
            "and your feedback requests to them, and I won't send them requests from you."
        )
    elif meeting:
        stopped = _(
            "<@{person}> let me know they aren't your manager. I've stopped your meeting request "
            "to them, and I won't send them requests from you."
        )
    elif feedback:
        stopped = _(
            "<@{person}> let me know they aren't your manager. I've stopped your feedback "
            "requests to them, and I won't send them requests from you."
        )
    else:
        stopped = _(
            "<@{person}> let me know they aren't your manager. I won't send them requests from you."
        )
    text = (
        stopped.format(person=person_user_id)
        + " "
        + _(
            "Nothing you wrote is lost: your plan and reflection are just as you left them. When "
            "you're ready, choose the person you report to."
        )
    )
    blocks: list[Block] = [
        SectionBlock(block_id="manager_refused", text=MarkdownTextObject(text=text)),
        ActionsBlock(
            block_id="manager_refused_next",
            elements=[
                ButtonElement(
                    text=_("Request a meeting"), action_id="journey_open_meeting", value="meeting"
                ),
                ButtonElement(
                    text=_("Set up feedback requests"),
                    action_id="journey_open_feedback",
                    value="feedback",
                ),
            ],
        ),
    ]
    return _("<@{person}> says they aren't your manager").format(person=person_user_id), blocks


def employee_undone_text(person_user_id: str) -> str:
    return _(
        "<@{person}> says they are your manager after all, so you can choose them again for a meeting request or feedback requests. Nothing restarted by itself: it's your choice."
    ).format(person=person_user_id)


def home_blocks(person_user_ids: list[str]) -> list[Block]:
    """The employee's App Home, while a refusal stands."""
    if not person_user_ids:
        return []
    names = ", ".join(f"<@{user_id}>" for user_id in person_user_ids)
    said = ngettext(
        ":information_source: {names} said they aren't your manager, so your requests no longer "
        "go to them. Everything you wrote is still here; choose the person you report to when "
        "you next request a meeting or set up feedback requests.",
        ":information_source: {names} each said they aren't your manager, so your requests no "
        "longer go to them. Everything you wrote is still here; choose the person you report to "
        "when you next request a meeting or set up feedback requests.",
        len(person_user_ids),
    ).format(names=names)
    return [
        ContextBlock(
            block_id="manager_refusals",
            elements=[MarkdownTextObject(text=said)],
        )
    ]


NOT_SENT = N_(
    "The person you chose has said they aren't your manager, so I haven't sent this. Your plan "
    "and reflection are just as you left them. Choose the person you report to with "
    "`/secondchance meeting`."
)


def field_error(name: str) -> str:
    """The modals' field error when the employee picks someone who said no."""
    return _("{name} has said they aren't your manager. Choose the person you report to.").format(
        name=name
    )


# -- the manager check, as the employee picks someone (plain text: modal field errors) ----------

MANAGER_IS_YOU = N_("That's you. Choose the person you report to.")
MANAGER_NOT_FOUND = N_("I couldn't find that person. Please choose again.")
MANAGER_DEACTIVATED = N_("That account is deactivated. Choose your current manager.")
MANAGER_NOT_A_PERSON = N_("That's an app, not a person. Choose the person you report to.")
SOMEONE = N_("This person")  # field_error's name when Slack has none for them

# -- the buttons' refusals, and the undo's notification text ---------------------------------

ONLY_NAMED = N_(
    "Only the person this request was sent to can say they aren't the sender's manager, "
    "so I left it alone."
)
NOTHING_TO_UNDO = N_("That's already undone, or it isn't yours to undo, so I left it alone.")


def undone_text(employee_user_id: str) -> str:
    return _("Undone: <@{employee}> can send you requests again").format(employee=employee_user_id)
