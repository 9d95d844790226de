"""A sentence kept in a views table (marked with N_) is translated where it is used: every use of
one in a listener or a job is inside `_()`, or it would reach people in English whatever their
language. (Inside views, tests/unit/test_views_in_every_language.py catches the same.)"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EDGES = [*sorted((ROOT / "slackapp" / "listeners").rglob("*.py"))] + [
    *sorted((ROOT / "slackapp" / "jobs").rglob("*.py"))
]


def _words_like(value: Any) -> bool:
    """A sentence, or a table of them (membership tests and ids are not words)."""
    if isinstance(value, str):
        return " " in value or value[:1].isupper()
    if isinstance(value, dict):
        return any(_words_like(v) for v in value.values())
    if isinstance(value, (tuple, list)):
        return any(_words_like(v) for v in value)
    return False


def _inside_translation(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Within a `_(...)` call (e.g. `_(TABLE.get(key, DEFAULT))`), up to its statement."""
    while node in parents and not isinstance(node, ast.stmt):
        node = parents[node]
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
            return True
    return False


def untranslated_uses(source: str) -> list[str]:
    tree = ast.parse(source)
    tables: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("slackapp.views"):
            module = importlib.import_module(str(node.module))
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if alias.name.isupper() and _words_like(value):
                    tables.add(alias.asname or alias.name)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Name) and node.id in tables and isinstance(node.ctx, ast.Load)
        ):
            continue
        used: ast.AST = node
        parent = parents[node]
        if isinstance(parent, ast.Compare):
            continue  # `value in TABLE`: a check, not words
        if isinstance(parent, ast.Subscript) and parent.value is node:
            used = parent
        elif isinstance(parent, ast.Attribute) and parent.attr == "get":
            used = parents[parent]
        around = parents.get(used)
        if isinstance(around, ast.Compare):
            continue
        if _inside_translation(used, parents):
            continue
        found.append(f"line {node.lineno}: {node.id}")
    return found


def test_every_table_sentence_in_listeners_and_jobs_is_translated_where_used() -> None:
    found = {
        str(path.relative_to(ROOT)): uses
        for path in EDGES
        if (uses := untranslated_uses(path.read_text()))
    }
    assert found == {}, "wrap these in _() (slackapp/views/i18n.py)"


def test_the_check_finds_a_table_sentence_used_as_it_is() -> None:
    spoiled = (
        "from slackapp.views.plan import NOT_YOURS\n"
        "from slackapp.views.i18n import _\n"
        "def refuse(who):\n"
        "    say(NOT_YOURS)\n"
        "    say(_(NOT_YOURS))\n"
    )
    assert untranslated_uses(spoiled) == ["line 4: NOT_YOURS"]
