"""The one question every stage asks of a plan first: which is this person's active plan.

Its own module, below plans and plan_reminders, so that both (and the feedback and meeting
services) can ask it without importing each other.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Person, Plan, PlanStatus


def active_plan(session: Session, owner: Person) -> Plan | None:
    return session.scalar(
        select(Plan)
        .where(Plan.owner_id == owner.id, Plan.status == PlanStatus.ACTIVE.value)
        .order_by(Plan.created_at.desc(), Plan.id.desc())
        .limit(1)
    )
