"""Delete my data: after it, no table holds anything of the person's, and every message the app
sent their manager for them says only that they withdrew it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DueWork, FeedbackRequest, FeedbackSchedule, Person, Plan, Step
from slackapp.services.people import ensure_person, ensure_workspace
from slackapp.services.plan_reminders import sync_reminders
from slackapp.views.privacy import withdrawn_note
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, TEAM_ID, RunningApp
from tests.e2e.test_feedback import FIRST_SEND, give_feedback
from tests.e2e.test_plan_flow import home_text
from tests.support.erasure import traces
from tests.support.feedback import pick, request_dms, set_up_schedule
from tests.support.meeting import (
    SECRET,
    choose_manager,
    click,
    open_compose,
    refreshed,
    review,
    seed_plan,
    send,
)

Json = dict[str, Any]

MEETING_WORDS = "I let the Acme team down (heron-41)"
QUESTION = "Did the quote checks (heron-42) help?"
MANAGER_WORDS = "Much steadier lately (heron-43)"
# What Emma wrote, and what Max wrote about her: none of it may survive.
MARKERS = [
    "Wrong prices sent to Acme",
    "Called Acme and apologised",
    "Re-issue the corrected quote",
    "Double-check quotes before sending",
    SECRET,
    "heron-41",
    "heron-42",
    "heron-43",
]


def _seed_managers_own_plan(app: RunningApp) -> None:
    """Max is a person too: his own plan names Emma among those affected."""
    with app.runtime.session_factory() as session:
        workspace = ensure_workspace(session, team_id=TEAM_ID)
        max_ = ensure_person(
            session, workspace=workspace, slack_user_id=MANAGER, tz="America/New_York"
        )
        plan = Plan(
            workspace_id=workspace.id,
            owner_id=max_.id,
            title="Missed the board deadline",
            affected_user_ids=[EMPLOYEE, COLLEAGUE],
        )
        plan.steps = [
            Step(
                workspace_id=workspace.id,
                position=0,
                description="Apologise to the board",
                due_date=date(2026, 3, 20),
            )
        ]
        session.add(plan)
        session.flush()
        # His step's reminder, as saving the plan puts it on the clock.
        sync_reminders(session, owner=max_, now=app.clock.now())
        session.commit()


def _at(app: RunningApp, when: datetime) -> None:
    app.clock.set(when)
    app.tick()


def _ts_of(app: RunningApp, *users: str) -> list[str]:
    return [m["ts"] for user in users for m in app.fake.messages(user)]


def _person_id(db: Session, user_id: str) -> int | None:
    db.expire_all()
    return db.scalar(select(Person.id).where(Person.slack_user_id == user_id))


def _walk_the_whole_journey(app: RunningApp) -> None:
    """Plan, reflection, a meeting request Max accepted and its reminders, two feedback requests
    (one answered), and the nudge for the other."""
    seed_plan(app)
    app.slack.open_home(EMPLOYEE)  # puts the dated step's reminder on the clock
    home_text(app, EMPLOYEE, "Delete my data")
    open_compose(app)
    choose_manager(app)
    review(app, message=MEETING_WORDS)
    meeting_dm = send(app)
    click(app, MANAGER, meeting_dm, "meeting_accept")
    app.slack.wait_for(
        lambda: "Accepted" in json.dumps(refreshed(app, MANAGER, meeting_dm["ts"])["blocks"]),
        what="Max's DM saying he accepted",
    )
    assert set_up_schedule(app, questions=QUESTION)["response_action"] == "update"
    _at(app, FIRST_SEND)
    [first] = request_dms(app)
    give_feedback(app, first, {"rating": "on_track", "answer_0": MANAGER_WORDS})
    app.slack.wait_for(
        lambda: any("sent you feedback" in m["text"] for m in app.fake.messages(EMPLOYEE)),
        what="Max's feedback reaching Emma",
    )
    _at(app, datetime(2026, 3, 3, 14, 50, tzinfo=UTC))  # 15 minutes before the meeting
    _at(app, datetime(2026, 3, 3, 16, 30, tzinfo=UTC))  # "How did it go?"
    _at(app, datetime(2026, 3, 10, 13, 0, tzinfo=UTC))  # the second request (New York on DST)
    assert len(request_dms(app)) == 2
    sent = len(app.fake.messages(MANAGER))
    _at(app, datetime(2026, 3, 12, 18, 0, tzinfo=UTC))  # two working days later: the nudge
    assert len(app.fake.messages(MANAGER)) == sent + 1


def test_delete_leaves_nothing_of_hers_and_withdraws_every_message_to_her_manager(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    _seed_managers_own_plan(app)
    _walk_the_whole_journey(app)
    app.slack.open_home(MANAGER)
    home_text(app, MANAGER, EMPLOYEE)  # Max's App Home shows her requests

    emma = _person_id(db, EMPLOYEE)
    assert emma is not None
    max_steps = set(db.scalars(select(Step.id).join(Plan).where(Plan.owner_id != emma)))
    work = db.execute(select(DueWork.id, DueWork.kind, DueWork.subject_id)).all()
    his = [w.id for w in work if w.kind == "step_reminder" and w.subject_id in max_steps]
    about_her = [w.id for w in work if w.id not in his]
    assert his and about_her
    ts = _ts_of(app, EMPLOYEE, MANAGER)
    to_max = app.fake.messages(MANAGER)
    # The meeting request, the meeting's card and .ics for his calendar, its reminder, two
    # feedback requests, the nudge.
    assert len(to_max) == 7
    needles = [EMPLOYEE, *MARKERS, *ts]
    before = traces(db, person_id=emma, texts=needles, due_work_ids=about_her)
    assert len(before) > 30, before  # the search finds her while she is there
    # The modals the app opened for her (views.update only redraws those) are rows about her too.
    assert any(t.startswith("opened_view ") for t in before), before

    home = json.loads(home_text(app, EMPLOYEE, "Delete my data"))
    [button] = [
        e
        for b in home["blocks"]
        if b.get("block_id") == "home_data_actions"
        for e in b["elements"]
        if e["action_id"] == "data_delete"
    ]
    confirm = button["confirm"]
    assert button["style"] == "danger" and confirm["confirm"]["text"] == "Delete everything"
    said = confirm["text"]["text"]
    for promise in ("plans", "reflections", "meeting requests", "feedback history"):
        assert promise in said
    assert "messages I sent your manager for you are replaced" in said
    assert "can't be undone" in said

    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    told = app.slack.wait_for(
        lambda: next(
            (m for m in app.fake.messages(EMPLOYEE) if "Your data is deleted" in m["text"]), None
        ),
        what="the confirmation DM",
    )
    assert "1 plan, 1 meeting request and 2 feedback requests" in told["text"]
    assert (
        "The 6 messages I had sent your manager for you now say only that you withdrew"
        in (told["text"])
    )
    app.slack.wait_for(
        lambda: (
            "Everything you had in Second Chance is deleted" in json.dumps(app.fake.home(EMPLOYEE))
        ),
        what="her App Home after the deletion",
    )

    assert traces(db, person_id=emma, texts=needles, due_work_ids=about_her) == []

    note = withdrawn_note(EMPLOYEE)
    for message in app.fake.messages(MANAGER):
        if message["files"]:  # the meeting's .ics: deleted from Slack, a tombstone left
            assert message["files"] == [{"id": message["files"][0]["id"], "mode": "tombstone"}]
            assert message["text"] == "" and not message["blocks"]
            continue
        assert message["text"] == note and message["edited"]
        [block] = message["blocks"]
        assert block["text"]["text"] == note
        shown = json.dumps(message, ensure_ascii=False)
        assert not [marker for marker in MARKERS if marker in shown]
        assert "Accept" not in shown and "Give feedback" not in shown
    assert "withdrew this request and deleted what they had shared" in note
    max_home = json.dumps(app.fake.home(MANAGER), ensure_ascii=False)
    assert EMPLOYEE not in max_home and not [m for m in MARKERS if m in max_home]

    # Max's own rows stay, with nothing linking them to her.
    db.expire_all()
    max_ = db.scalar(select(Person).where(Person.slack_user_id == MANAGER))
    assert max_ is not None
    [plan] = db.scalars(select(Plan))
    assert plan.owner_id == max_.id and plan.affected_user_ids == [COLLEAGUE]
    assert [s.description for s in plan.steps] == ["Apologise to the board"]
    assert list(db.scalars(select(DueWork.id).where(DueWork.id.in_(his)))) == his

    # Nothing more goes out about her, however far the clock moves.
    sent = {user: len(app.fake.messages(user)) for user in (EMPLOYEE, MANAGER)}
    for week in range(1, 5):
        _at(app, datetime(2026, 3, 12, 18, 0, tzinfo=UTC) + timedelta(weeks=week))
    assert {user: len(app.fake.messages(user)) for user in sent} == sent
    assert not app.fake.rejections


def test_a_manager_who_deletes_their_data_ends_the_requests_sent_to_them(
    running_app: RunningApp, db: Session
) -> None:
    """Emma is also Chandra's manager: Chandra's schedule and history with her go, Chandra is
    told, and Chandra's own person row stays."""
    app = running_app
    seed_plan(app)
    app.slack.command(COLLEAGUE, "feedback")
    app.slack.wait_for(
        lambda: [
            v for v in app.fake.view_stack(COLLEAGUE) if v["callback_id"] == "feedback_schedule"
        ],
        what="Chandra's feedback modal",
    )
    pick(app, "feedback_manager_pick", EMPLOYEE, user=COLLEAGUE)
    pick(app, "feedback_first_date_pick", "2026-03-03", user=COLLEAGUE)
    response = app.slack.submit(
        COLLEAGUE,
        {
            "manager": EMPLOYEE,
            "first_date": "2026-03-03",
            "time": "09:00",
            "repeat": "weekly",
            "end": "after_count",
            "end_count": "4",
        },
    )
    assert response.json()["response_action"] == "update"
    _at(app, datetime(2026, 3, 3, 8, 0, tzinfo=UTC))  # 09:00 in Berlin, Emma's zone
    [asked] = request_dms(app, EMPLOYEE)
    give_feedback(app, asked, {"rating": "exceeding", "answer_0": MANAGER_WORDS}, user=EMPLOYEE)
    app.slack.wait_for(
        lambda: any("sent you feedback" in m["text"] for m in app.fake.messages(COLLEAGUE)),
        what="Emma's feedback reaching Chandra",
    )
    emma = _person_id(db, EMPLOYEE)
    assert emma is not None and db.scalar(select(FeedbackSchedule.id)) is not None

    app.slack.open_home(EMPLOYEE)
    home_text(app, EMPLOYEE, "Delete my data")
    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    ended = app.slack.wait_for(
        lambda: next(
            (m for m in app.fake.messages(COLLEAGUE) if "no longer gets requests" in m["text"]),
            None,
        ),
        what="Chandra being told",
    )
    assert f"<@{EMPLOYEE}>" in ended["text"] and "name your manager again" in ended["text"]
    app.slack.wait_for(
        lambda: any("Your data is deleted" in m["text"] for m in app.fake.messages(EMPLOYEE)),
        what="Emma's confirmation",
    )
    assert traces(db, person_id=emma, texts=[EMPLOYEE, "heron-43", *MARKERS]) == []
    db.expire_all()
    assert db.scalars(select(FeedbackRequest)).all() == []
    assert db.scalars(select(FeedbackSchedule)).all() == []
    assert _person_id(db, COLLEAGUE) is not None
    assert not app.fake.rejections


def _download(app: RunningApp) -> str:
    """Download my data, and the id of the file that arrives in her DM."""
    before = len([m for m in app.fake.messages(EMPLOYEE) if m.get("files")])
    app.slack.click_in_view(EMPLOYEE, "data_export", home=True)
    shared = app.slack.wait_for(
        lambda: [m for m in app.fake.messages(EMPLOYEE) if m.get("files")][before:],
        what="the export file",
    )
    return str(shared[0]["files"][0]["id"])


def test_delete_also_deletes_every_export_file_from_her_dm(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    seed_plan(app)
    app.slack.open_home(EMPLOYEE)
    confirm = home_text(app, EMPLOYEE, "Delete my data")
    first = _download(app)
    second = _download(app)
    emma = _person_id(db, EMPLOYEE)
    assert [t for t in traces(db, person_id=emma, texts=[first]) if "export_file" in t]
    # She deleted the second herself already: that is not a failure to apologise for.
    assert app.fake.handle("files.delete", {"file": second}, app.fake.bot_token)[0] == 200

    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    told = app.slack.wait_for(
        lambda: next(
            (m for m in app.fake.messages(EMPLOYEE) if "Your data is deleted" in m["text"]), None
        ),
        what="the confirmation DM",
    )
    assert "couldn't be deleted" not in told["text"]
    asked = [c.args["file"] for c in app.fake.calls_to("files.delete")]
    assert asked == [second, first, second]  # hers, then the app's: every file it uploaded
    shared = [f for m in app.fake.messages(EMPLOYEE) for f in m.get("files") or []]
    assert shared == [{"id": first, "mode": "tombstone"}, {"id": second, "mode": "tombstone"}]
    assert app.fake.shared_file(first) is None and SECRET not in json.dumps(shared)
    assert traces(db, person_id=emma, texts=[EMPLOYEE, SECRET, first, second]) == []
    assert [r for r in app.fake.rejections if r["method"] != "files.delete"] == []
    assert "each copy of your data I sent you" in confirm  # the confirm dialog said so
