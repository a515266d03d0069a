"""bot/ is transport: it reaches the database only through the shared package's services."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot import commands
from bot.staff_relay import StaffRelay
from parcours.models import ROLES
from parcours.services.outbox import STAFF_KINDS, OutboxKind
from parcours.settings import Settings

BOT = Path(__file__).resolve().parents[3] / "bot"
FORBIDDEN = ("sqlalchemy", "parcours.db", "parcours.models")


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports (`import a.b`, `from a.b import c` → a.b, a.b.c)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_bot_module_imports_the_persistence_layer() -> None:
    modules = sorted(BOT.glob("*.py"))
    assert len(modules) > 10
    offending = {
        f"{path.name}: {name}"
        for path in modules
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert not offending, f"bot/ must go through parcours services: {sorted(offending)}"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import sqlalchemy.orm", {"sqlalchemy.orm"}),
        ("from parcours.db.engine import session_scope", {"parcours.db.engine"}),
        ("from parcours import models", {"parcours", "parcours.models"}),
    ],
)
def test_the_import_check_sees_every_form(tmp_path: Path, source: str, expected: set[str]) -> None:
    module = tmp_path / "m.py"
    module.write_text(source + "\n", encoding="utf-8")
    assert expected <= imported_modules(module)


def test_every_staff_kind_has_a_delivery(settings: Settings) -> None:
    relay = StaffRelay(settings, rasa=None)  # type: ignore[arg-type]
    assert set(relay.handlers) | {OutboxKind.STAFF_DELETE_TOPIC} == STAFF_KINDS


def test_start_deep_links_name_known_roles() -> None:
    assert set(commands.START_ROLES.values()) <= set(ROLES)
