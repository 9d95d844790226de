"""What is left of someone in the database, looked for in every table the models declare, so a
table added later is searched without anyone remembering to add it here."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from models import Base, DueWork


def _refers_to_person(table: Table) -> set[str]:
    """Columns holding a person's id: the person table's key, and every foreign key to it."""
    columns = {
        column.name
        for column in table.columns
        if any(fk.column.table.name == "person" for fk in column.foreign_keys)
    }
    if table.name == "person":
        columns.add("id")
    return columns


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return None


def traces(
    db: Session,
    *,
    person_id: int | None = None,
    texts: Iterable[str] = (),
    due_work_ids: Iterable[int] = (),
) -> list[str]:
    """Every (table, column, row) that still names the person: their id in a column that refers
    to a person, any of `texts` (their Slack id, what they typed, the ts of messages about them)
    in any text or JSON column, or a due work row that was about them."""
    db.expire_all()
    wanted = [t for t in texts if t]
    old_work = set(due_work_ids)
    found: list[str] = []
    for table in Base.metadata.sorted_tables:
        person_columns = _refers_to_person(table)
        for row in db.execute(select(table)).mappings():
            where = f"{table.name} row {dict(row).get('id')}"
            if table.name == DueWork.__tablename__ and row["id"] in old_work:
                found.append(f"{where}: due work about them ({row['kind']})")
            for column in table.columns:
                value = row[column.name]
                if person_id is not None and column.name in person_columns and value == person_id:
                    found.append(f"{where}: {column.name} is their person id")
                text = _as_text(value)
                if text is None:
                    continue
                for needle in wanted:
                    if needle in text:
                        found.append(f"{where}: {column.name} holds {needle!r}")
    return found


def row_counts(db: Session) -> dict[str, int]:
    db.expire_all()
    return {
        table.name: len(db.execute(select(table)).all()) for table in Base.metadata.sorted_tables
    }
