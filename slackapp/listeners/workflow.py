"""The Workflow Builder step "Request feedback from a manager" (Bolt's app.function).

Slack sends `function_executed`; Bolt acks it and hands this listener a client that carries the
run's own short-lived token (its AttachingFunctionToken middleware), with `complete` and `fail`
bound to the run. A step that cannot run fails here at once, with the reason; one that can sends
the feedback request the way the app always does (the dispatcher's next tick), and stays running
until the manager answers: then, or after 7 days without an answer, a job ends it with the
workspace's bot token (the run's own token lasts minutes; jobs/workflow.py).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, Fail
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from models import Person
from slackapp.listeners.glue import save, zone_and_locale
from slackapp.services import refusals, workflow_steps
from slackapp.services.feedback import (
    DEFAULT_QUESTIONS,
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    parse_questions,
)
from slackapp.services.people import ensure_person, ensure_workspace
from slackapp.services.workflow_steps import StepRefusal, StepRefused
from slackapp.views.workflow import step_error

logger = logging.getLogger(__name__)

FUNCTION_CALLBACK = "request_feedback_from_manager"


def _user_input(inputs: dict[str, Any], name: str) -> str | None:
    value = inputs.get(name)
    return value if isinstance(value, str) and value else None


def _runner(inputs: dict[str, Any]) -> str | None:
    """Who is running the workflow: Slack's interactivity context says, not the builder."""
    interactivity = inputs.get("interactivity")
    interactor = interactivity.get("interactor") if isinstance(interactivity, dict) else None
    found = interactor.get("id") if isinstance(interactor, dict) else None
    return found if isinstance(found, str) and found else None


def _questions(inputs: dict[str, Any]) -> list[str]:
    raw = inputs.get("questions")
    questions = parse_questions(raw if isinstance(raw, str) else None)
    if len(questions) > MAX_QUESTIONS:
        raise StepRefused(StepRefusal.TOO_MANY_QUESTIONS)
    if any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        raise StepRefused(StepRefusal.QUESTION_TOO_LONG)
    return questions or list(DEFAULT_QUESTIONS)


def _manager(client: WebClient, user_id: str) -> tuple[str, str | None]:
    """users.info on the manager named: a person, still active. Returns their time zone and
    Slack locale (the request reaches them in their language)."""
    try:
        user = client.users_info(user=user_id, include_locale=True)["user"]
    except SlackApiError:
        raise StepRefused(StepRefusal.MANAGER_NOT_FOUND) from None
    if user.get("deleted"):
        raise StepRefused(StepRefusal.MANAGER_DEACTIVATED)
    if user.get("is_bot") or user.get("is_app_user") or user_id == "USLACKBOT":
        raise StepRefused(StepRefusal.MANAGER_IS_BOT)
    return str(user.get("tz") or "UTC"), (str(user["locale"]) if user.get("locale") else None)


def _people(
    db: Session, context: BoltContext, client: WebClient, inputs: dict[str, Any]
) -> tuple[Person, Person]:
    """The employee (the person running the workflow) and the manager, checked and met."""
    employee_id, manager_id = _user_input(inputs, "employee"), _user_input(inputs, "manager")
    if employee_id is None:
        raise StepRefused(StepRefusal.NO_EMPLOYEE)
    if _runner(inputs) != employee_id:
        raise StepRefused(StepRefusal.NOT_THE_RUNNER)
    if manager_id is None:
        raise StepRefused(StepRefusal.NO_MANAGER)
    if manager_id == employee_id:
        raise StepRefused(StepRefusal.SAME_PERSON)
    manager_tz, manager_locale = _manager(client, manager_id)
    employee_tz, employee_locale = zone_and_locale(client, employee_id)
    workspace = ensure_workspace(
        db, team_id=context.team_id or "", enterprise_id=context.enterprise_id
    )
    employee = ensure_person(db, workspace=workspace, slack_user_id=employee_id, tz=employee_tz)
    manager = ensure_person(db, workspace=workspace, slack_user_id=manager_id, tz=manager_tz)
    for person, locale in ((employee, employee_locale), (manager, manager_locale)):
        if locale:
            person.slack_locale = locale
    db.flush()
    if refusals.has_refused(db, employee_id=employee.id, person_id=manager.id):
        raise StepRefused(StepRefusal.MANAGER_REFUSED)
    return employee, manager


def request_feedback_step(
    inputs: dict[str, Any], context: BoltContext, client: WebClient, fail: Fail
) -> None:
    db: Session = context["db"]
    execution_id = context.function_execution_id
    if not execution_id:
        return
    try:
        questions = _questions(inputs)
        employee, manager = _people(db, context, client, inputs)
        workflow_steps.start(
            db,
            employee=employee,
            manager=manager,
            questions=questions,
            execution_id=execution_id,
            now=context["clock"].now(),
        )
    except StepRefused as refused:
        db.rollback()
        fail(error=step_error(refused.refusal))
        return
    save(db)  # the request goes out on the dispatcher's next tick; the step waits for it


def register(app: App) -> None:
    app.function(FUNCTION_CALLBACK)(request_feedback_step)
