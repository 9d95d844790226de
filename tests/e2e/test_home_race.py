"""Two publishes of one App Home racing: the one rendered from older data never wins."""

from __future__ import annotations

import json

from sqlalchemy import select

from models import Person, Plan
from slackapp.listeners.home import publish_home, render_home
from tests.conftest import EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import home_text, make_plan


def _stored_hash(app: RunningApp) -> str | None:
    with app.runtime.session_factory() as session:
        return session.scalar(select(Person.home_hash).where(Person.slack_user_id == EMPLOYEE))


def _home_published(app: RunningApp) -> str:
    """A plan titled "First title", its home published and the home's hash stored (the
    listener stores it just after publishing)."""
    make_plan(app, title="First title")
    return app.slack.wait_for(
        lambda: (h := _stored_hash(app)) == (app.fake.home(EMPLOYEE) or {}).get("hash") and h,
        what="the home's hash stored",
    )


def _retitled_elsewhere(app: RunningApp) -> None:
    """Meanwhile another request changes the plan and publishes the new home."""
    app.slack.command(EMPLOYEE, "plan")
    # The plan modal itself, not the "Plan saved" one still open from the first save.
    app.slack.wait_for_view(EMPLOYEE, "plan_modal")
    app.slack.submit(EMPLOYEE, {"plan_title": "Second title"})
    home_text(app, EMPLOYEE, "Second title")


def _shows_only_the_new_title(app: RunningApp) -> bool:
    home = json.dumps(app.fake.home(EMPLOYEE))
    return "Second title" in home and "First title" not in home


def test_a_stale_publish_is_refused_and_rendered_again(running_app: RunningApp) -> None:
    app = running_app
    first_hash = _home_published(app)
    with app.runtime.session_factory() as stale:
        person = stale.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE))
        assert person is not None and person.home_hash == first_hash  # read before the change
        _retitled_elsewhere(app)
        # The slow request publishes now: Slack refuses its old hash; it renders again, fresh.
        publish_home(app.runtime.client, stale, person, now=app.clock.now())
        stale.commit()
    refused = [c for c in app.fake.calls_to("views.publish") if c.args.get("hash") == first_hash]
    assert any(c.response.get("error") == "hash_conflict" for c in refused)
    assert _shows_only_the_new_title(app)


def test_the_render_again_reads_everything_afresh_not_only_the_person(
    running_app: RunningApp,
) -> None:
    """The slow request had rendered before the change (its session holds the old plan): after
    Slack refuses its hash, what it renders again is the newest data, not what it held."""
    app = running_app
    first_hash = _home_published(app)
    with app.runtime.session_factory() as stale:
        person = stale.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE))
        assert person is not None and person.home_hash == first_hash
        assert "First title" in json.dumps(render_home(stale, person, now=app.clock.now()))
        # Held, as a listener holds what it worked on: the session keeps it as it was read.
        held = stale.scalars(select(Plan)).all()
        assert [p.title for p in held] == ["First title"]
        _retitled_elsewhere(app)
        publish_home(app.runtime.client, stale, person, now=app.clock.now())
        stale.commit()
    assert _shows_only_the_new_title(app)
