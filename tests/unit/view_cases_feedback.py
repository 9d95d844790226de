"""Step 4, the journey, help and "Your data" for tests/unit/view_cases.py."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from slackapp.views import feedback as fb
from slackapp.views import feedback_home as fb_home
from slackapp.views import feedback_messages as fb_msg
from slackapp.views import feedback_preview as fb_preview
from slackapp.views import help as help_views
from slackapp.views import journey as journey_views
from slackapp.views import privacy, words
from slackapp.views import trend_chart as chart
from slackapp.views.mrkdwn import escape
from tests.unit.view_samples import (
    CARD,
    HOME,
    MANAGER,
    MODAL,
    TODAY,
    Case,
    history_of,
    journey_of,
    lines_of,
    preview_of,
)


def rated_history_of(t: str) -> list[fb_home.HistoryItem]:
    """history_of with a second rated request: enough for the trend chart."""
    earlier = fb_home.HistoryItem(
        "Tue 10 Feb",
        "answered",
        "not_yet_on_track",
        "Not yet on track",
        expectation_ratings=[{"expectation": t, "rating": "on_track"}],
    )
    return [*history_of(t), earlier]


FEEDBACK_CASES: dict[str, Case] = {
    # -- step 4 ------------------------------------------------------------------------------
    "feedback.repeat_options": Case(lambda t: fb.repeat_options(TODAY), shows_typed=False),
    "feedback.schedule_modal": Case(
        lambda t: fb.schedule_modal(
            fb.ScheduleModal(
                "UBOSS", MANAGER.tz, schedule_id=3, first_date=TODAY, questions=[t, t]
            ),
            fb_preview.modal_preview_blocks("UBOSS", preview_of(t)),
        ),
        MODAL,
    ),
    "feedback.confirmation_modal": Case(
        lambda t: fb.confirmation_modal(
            manager_user_id="UBOSS", summary="Weekly", times=["Tue 10 Mar"], changed=True
        ),
        MODAL,
        False,
    ),
    "feedback_home.employee_home_blocks": Case(
        lambda t: fb_home.employee_home_blocks(
            CARD,
            history_of(t),
            "improving",
            fb_preview.home_preview_blocks(
                schedule_id=1, manager_user_id="UBOSS", share=True, preview=preview_of(t)
            ),
            chart=chart.chart_block("F0123456789", rated_history_of(t)),
        ),
        HOME,
    ),
    "trend_chart.chart_block": Case(
        lambda t: [chart.chart_block("F0123456789", rated_history_of(t))], HOME
    ),
    "feedback_home.manager_home_blocks": Case(
        lambda t: fb_home.manager_home_blocks([(4, "UEMP", "Tue 3 Mar")]), HOME, False
    ),
    "feedback_home.asked_by_blocks": Case(
        lambda t: fb_home.asked_by_blocks(
            [
                fb_home.AskedBy("UEMP", "Weekly on Tuesday at 10:00 New York time", False, "Tue"),
                fb_home.AskedBy("UOTHER", "Weekly on Monday at 10:00 UTC", paused=True),
                fb_home.AskedBy("UNEW"),
            ]
        ),
        HOME,
        False,
    ),
    "feedback_messages.progress_text": Case(lambda t: fb_msg.progress_text(lines_of(t))),
    "feedback_messages.questions_text": Case(lambda t: fb_msg.questions_text([t, t])),
    "feedback_messages.asked_text": Case(lambda t: fb_msg.asked_text("UEMP"), shows_typed=False),
    "feedback_messages.request_dm": Case(
        lambda t: fb_msg.request_dm(
            employee_user_id="UEMP",
            request_id=4,
            questions=[t, t],
            progress=lines_of(t),
            now_request=True,
            expectations=[t, t],
        )
    ),
    "feedback_messages.expectations_text": Case(lambda t: fb_msg.expectations_text([t, t])),
    "feedback_messages.expectation_ratings_text": Case(
        lambda t: fb_msg.expectation_ratings_text(
            [{"expectation": t, "rating": "on_track"}, {"expectation": t, "rating": None}]
        )
    ),
    "feedback_home.trend_text": Case(lambda t: fb_home.trend_text(history_of(t)), HOME),
    "feedback_messages.closed_dm": Case(
        lambda t: fb_msg.closed_dm(employee_user_id="UEMP", note=fb_msg.MISSED_NOTE, questions=[t])
    ),
    "feedback_messages.answered_note": Case(
        lambda t: fb_msg.answered_note("On track", "Tue 3 Mar", "UEMP"), shows_typed=False
    ),
    "feedback_messages.nudge_dm": Case(
        lambda t: fb_msg.nudge_dm(employee_user_id="UEMP", request_id=4, asked_on="Tue 3 Mar"),
        shows_typed=False,
    ),
    "feedback_messages.answer_modal": Case(
        lambda t: fb_msg.answer_modal(
            request_id=4, employee_user_id="UEMP", questions=[t, t], expectations=[t, t]
        ),
        MODAL,
    ),
    "feedback_messages.feedback_for_employee": Case(
        lambda t: fb_msg.feedback_for_employee(
            manager_user_id="UBOSS",
            rating_mark=":star2:",
            rating_label="Exceeding expectations",
            answers=[{"question": t, "answer": t}, {"question": t, "answer": "  "}],
            discuss=True,
            expectation_ratings=[{"expectation": t, "rating": "exceeding"}],
        )
    ),
    "feedback_messages.unreachable_text": Case(
        lambda t: fb_msg.unreachable_text("UBOSS"), shows_typed=False
    ),
    "feedback_messages.missed_text": Case(
        lambda t: fb_msg.missed_text(manager_user_id="UBOSS", dates=["a", "b"], next_send="soon"),
        shows_typed=False,
    ),
    "feedback_messages.already_waiting_text": Case(
        lambda t: fb_msg.already_waiting_text("UBOSS", "Tue 3 Mar", "https://x.slack.com/p1"),
        shows_typed=False,
    ),
    "feedback_preview.as_preview": Case(
        lambda t: fb_preview.as_preview(
            fb_msg.request_dm(
                employee_user_id="UEMP",
                request_id=4,
                questions=[t],
                progress=lines_of(t),
                now_request=False,
            )[1]
        )
    ),
    "feedback_preview.next_request_preview": Case(preview_of),
    "feedback_preview.modal_preview_blocks": Case(
        lambda t: [
            fb_preview.modal_preview_blocks("UBOSS", preview_of(t)),
            fb_preview.modal_preview_blocks(None, None),
        ],
        MODAL,
    ),
    "feedback_preview.home_preview_blocks": Case(
        lambda t: [
            fb_preview.home_preview_blocks(
                schedule_id=1, manager_user_id="UBOSS", share=share, preview=preview_of(t)
            )
            for share in (True, False)
        ],
        HOME,
    ),
    # -- the journey, help, your data --------------------------------------------------------
    "journey.stage_blocks": Case(lambda t: journey_views.stage_blocks(journey_of(t)), HOME),
    "journey.status_text": Case(lambda t: journey_views.status_text(journey_of(t))),
    "journey.journey_modal": Case(lambda t: journey_views.journey_modal(journey_of(t)), MODAL),
    "journey.fit_home": Case(
        lambda t: journey_views.fit_home(
            [
                SectionBlock(block_id=f"row_{i}", text=MarkdownTextObject(text=escape(t)))
                for i in range(journey_views.HOME_BLOCKS + 20)
            ]
            + privacy.data_home_blocks()
        ),
        HOME,
    ),
    "journey.home_view": Case(
        lambda t: [
            journey_views.home_view(
                journey_of(t), first_visit=first, extra_blocks=None, waiting=waiting
            )
            for first in (True, False)
            for waiting in (
                None,
                journey_views.Waiting(fb_home.asked_by_blocks([fb_home.AskedBy("UEMP")])),
                journey_views.Waiting(
                    fb_home.manager_home_blocks([(4, "UEMP", "Tue 3 Mar")]), now=True
                ),
                journey_views.Waiting(
                    fb_home.manager_home_blocks([(4, "UEMP", "Tue 3 Mar")]),
                    now=True,
                    own_journey=False,
                ),
            )
        ],
        HOME,
    ),
    # Only a word's first 40 characters are shown: test_mrkdwn checks a short hostile word.
    "help.help_text": Case(lambda t: help_views.help_text(t), shows_typed=False),
    "privacy.data_home_blocks": Case(lambda t: privacy.data_home_blocks(), HOME, False),
    "privacy.deleted_text": Case(
        lambda t: [privacy.deleted_text(1, 2, 3, 1, 0), privacy.deleted_text(0, 1, 2, 2, 1, 2)],
        shows_typed=False,
    ),
    # -- how the app writes what people read everywhere ---------------------------------------
    "words.shortened_typed": Case(
        lambda t: [
            words.shortened_typed(t, 2900, "read it all elsewhere"),
            words.shortened_typed(t, 2900, "read it all elsewhere", one_line=True, wrap="~"),
            words.shortened_typed(t, 400, "read it all elsewhere", quoted=True),
        ]
    ),
}
