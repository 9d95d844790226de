"""What the manager expects and the private check-in, for tests/unit/view_cases.py: every
builder of slackapp/views/expectations.py and checkin.py, with typed text where people type."""

from __future__ import annotations

from models import Checkin
from slackapp.views import checkin
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
