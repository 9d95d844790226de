"""'I'm not their manager', deleting data and the app's return after an uninstall, for
tests/unit/view_cases.py. None of these take typed text: each is checked for what it shows."""

from __future__ import annotations

from slackapp.views import privacy, refusal
from tests.unit.view_samples import HOME, Case

TRUST_CASES: dict[str, Case] = {
    "refusal.not_manager_block": Case(
        lambda t: [
            refusal.not_manager_block(kind="meeting", request_id=3, employee_user_id="UEMP")
        ],
        shows_typed=False,
    ),
    "refusal.done_blocks": Case(lambda t: refusal.done_blocks("UEMP"), shows_typed=False),
    "refusal.done_text": Case(lambda t: refusal.done_text("UEMP"), shows_typed=False),
    "refusal.closed_blocks": Case(lambda t: refusal.closed_blocks("UEMP"), shows_typed=False),
    "refusal.undone_blocks": Case(lambda t: refusal.undone_blocks("UEMP"), shows_typed=False),
    "refusal.employee_note": Case(
        lambda t: [
            refusal.employee_note("UBOSS", meeting=meeting, feedback=feedback)
            for meeting, feedback in ((True, True), (True, False), (False, True))
        ],
        shows_typed=False,
    ),
    "refusal.employee_undone_text": Case(
        lambda t: refusal.employee_undone_text("UBOSS"), shows_typed=False
    ),
    "refusal.home_blocks": Case(lambda t: refusal.home_blocks(["UBOSS", "UOTHER"]), HOME, False),
    "privacy.withdrawn_note": Case(lambda t: privacy.withdrawn_note("UEMP"), shows_typed=False),
    "privacy.withdrawn_blocks": Case(lambda t: privacy.withdrawn_blocks("UEMP"), shows_typed=False),
    "privacy.deleted_home": Case(lambda t: privacy.deleted_home(), HOME, False),
    "privacy.requests_ended_text": Case(
        lambda t: privacy.requests_ended_text("UBOSS"), shows_typed=False
    ),
    "privacy.resume_notice": Case(
        lambda t: [
            privacy.resume_notice(manager_user_id="UBOSS", schedule_id=2, after_uninstall=away)
            for away in (True, False)
        ],
        shows_typed=False,
    ),
}
