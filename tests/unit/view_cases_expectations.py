"""What the manager expects and the private check-in, for tests/unit/view_cases.py: every
builder of slackapp/views/expectations.py and checkin.py, with typed text where people type."""

from __future__ import annotations

from models import Checkin
from slackapp.services.comeback import Summary
from slackapp.views import checkin, comeback
from slackapp.views import expectations as ex
from tests.unit.view_samples import HOME, MODAL, NOW, Case, meeting_of

EXPECTATION_CASES: dict[str, Case] = {
    "expectations.input_blocks": Case(
        lambda t: ex.input_blocks(list(meeting_of(t).expectations)), MODAL
    ),
    "expectations.edit_modal": Case(
        lambda t: ex.edit_modal(meeting_of(t), other_user_id="U2"), MODAL
    ),
    "expectations.item_lines": Case(lambda t: ex.item_lines(list(meeting_of(t).expectations))),
    "expectations.ask_blocks": Case(
        lambda t: ex.ask_blocks(meeting_of(t), proposer_user_id="U1", first=True)
    ),
    "expectations.answered_blocks": Case(lambda t: ex.answered_blocks(meeting_of(t))),
    "expectations.replaced_blocks": Case(lambda t: ex.replaced_blocks(), shows_typed=False),
    "expectations.status_blocks": Case(
        lambda t: ex.status_blocks(meeting_of(t), viewer_id=2, other_user_id="U1"), HOME
    ),
    "expectations.home_blocks": Case(
        lambda t: ex.home_blocks(meeting_of(t), viewer_id=1, manager_user_id="U2"), HOME
    ),
    "expectations.journey_blocks": Case(
        lambda t: ex.journey_blocks(meeting_of(t), viewer_id=1, manager_user_id="U2"), MODAL
    ),
}

EXPECTATION_NOT_BUILDERS: dict[str, str] = {
    "feedback_messages.expectation_block": "a block id",
    "feedback_messages.read_expectation_ratings": "reads a submission",
    "expectations.text_block": "a block id",
    "expectations.by_block": "a block id",
    "expectations.outcome_intro": "the app's own sentence (the outcome modal is covered)",
    "expectations.ask_text": "the app's own sentence, a mention of a stored user id",
    "expectations.answered_text": "the app's own sentence",
    "expectations.replaced_text": "the app's own sentence",
    "expectations.agree_value": "a button value (ids)",
    "expectations.agreed_text": "the app's own sentence, a mention of a stored user id",
}

CHECKIN_CASES: dict[str, Case] = {
    "checkin.question_blocks": Case(lambda t: checkin.question_blocks(), shows_typed=False),
    "checkin.modal": Case(lambda t: checkin.modal(), MODAL, False),
    "checkin.reply_text": Case(lambda t: checkin.reply_text("hard"), shows_typed=False),
    "checkin.home_blocks": Case(
        lambda t: checkin.home_blocks(
            True,
            [
                Checkin(id=1, mood="hard", note=t, answered_at=NOW),
                Checkin(id=2, mood="good", answered_at=NOW),
            ],
            tz="Europe/Berlin",
        ),
        HOME,
    ),
}
EXPECTATION_CASES.update(CHECKIN_CASES)


def _summary(t: str) -> Summary:
    return Summary(
        title=t,
        what_happened=t,
        steps=[(t, True), (t, False)],
        commitments=[t],
        concerns=[(t, True)],
        expected=[(t, NOW.date(), "on_track"), (t, None, None)],
        ratings=["not_yet_on_track", "on_track"],
    )


COMEBACK_CASES: dict[str, Case] = {
    "comeback.summary_blocks": Case(
        lambda t: comeback.summary_blocks(comeback.summary_markdown(_summary(t)))
    ),
    "comeback.ready_blocks": Case(
        lambda t: comeback.ready_blocks(7, canvas=True, manager_user_id="U2"), shows_typed=False
    ),
    "comeback.share_modal": Case(
        lambda t: comeback.share_modal(
            7, manager_user_id="U2", markdown=comeback.summary_markdown(_summary(t))
        ),
        MODAL,
    ),
    "comeback.shared_message": Case(
        lambda t: comeback.shared_message(
            employee_user_id="U1",
            thanks=t,
            summary=comeback.summary_blocks(comeback.summary_markdown(_summary(t))),
        )
    ),
}
EXPECTATION_CASES.update(COMEBACK_CASES)
EXPECTATION_NOT_BUILDERS.update(
    {
        "comeback.ready_text": "the app's own sentence",
        "comeback.summary_markdown": "a canvas's Markdown (mentions there are ![](@U…), not "
        "mrkdwn); its message form, summary_blocks, is covered",
        "comeback.default_thanks": "the app's own sentence, the thank-you's first draft",
        "comeback.shared_note": "the app's own sentence, a mention of a stored user id",
    }
)
