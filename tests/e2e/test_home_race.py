"""Two publishes of one App Home racing: the one rendered from older data never wins."""

from __future__ import annotations

import json

from slackapp.listeners.home import publish_home
from slackapp.services.people import find_person
from tests.conftest import EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import home_text, make_plan


def test_a_stale_publish_is_refused_and_rendered_again(running_app: RunningApp) -> None:
    app = running_app
    make_plan(app, title="First title")
    stale = app.runtime.session_factory()
    person = find_person(stale, workspace_id=1, slack_user_id=EMPLOYEE)
    assert person is not None and person.home_hash
    hash_before = person.home_hash  # this request read the home's hash before the change

    # Meanwhile another request changes the plan and publishes the new home.
    app.slack.command(EMPLOYEE, "plan")
    app.slack.wait_for(lambda: app.fake.view_stack(EMPLOYEE))
    app.slack.submit(EMPLOYEE, {"plan_title": "Second title"})
    home_text(app, EMPLOYEE, "Second title")

    # The slow request publishes now: Slack refuses its old hash, it renders again, fresh.
    assert person.home_hash == hash_before
    publish_home(app.runtime.client, stale, person, now=app.clock.now())
    stale.commit()
    stale.close()
    conflicts = [
        c for c in app.fake.calls_to("views.publish") if c.response.get("error") == "hash_conflict"
    ]
    assert len(conflicts) == 1
    home = json.dumps(app.fake.home(EMPLOYEE))
    assert "Second title" in home and "First title" not in home
