"""Someone named as an employee's manager said they aren't (DESIGN.md, Decisions).

While the row exists, nothing from that employee reaches that person: the modals refuse to name
them and every send path checks. The person who refused can undo it, which deletes the row.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Timestamped, WorkspaceScoped


class ManagerRefusal(Timestamped, WorkspaceScoped, Base):
    __tablename__ = "manager_refusal"
    # One per pair, so a double click on "I'm not their manager" stores it once.
    __table_args__ = (UniqueConstraint("workspace_id", "employee_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    # The person the employee named, who said they aren't their manager.
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
