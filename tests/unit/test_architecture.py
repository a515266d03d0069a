"""Who may import whom (docs/ARCHITECTURE.md): each rule is a row of `RULES`, checked on every
`import` statement of the folder, wherever it stands (functions and `TYPE_CHECKING` blocks too)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Rule(NamedTuple):
    """Modules under `folder` never import a module of `forbidden` (package or dotted prefix)."""

    folder: str
    forbidden: frozenset[str]
    why: str


#: Product code never depends on tooling.
TOOLING = frozenset({"tests", "bench", "devstack", "scripts"})
#: The persistence layer: only the shared package's repositories and services touch it.
PERSISTENCE = frozenset({"sqlalchemy", "parcours.db", "parcours.models"})

RULES = [
    Rule(
        "parcours",
        TOOLING | {"bot", "actions", "rasa", "rasa_sdk", "telegram"},
        "the shared package knows no transport, no dialogue engine and no front end",
    ),
    Rule(
        "bot",
        TOOLING | PERSISTENCE | {"actions", "rasa", "rasa_sdk"},
        "Rasa is a black box behind HTTP; bot/ is transport and reaches the database "
        "only through parcours services",
    ),
    Rule("actions", TOOLING | {"bot", "rasa", "telegram"}, "actions run in rasa-sdk, not Rasa"),
    Rule("devstack", frozenset({"tests", "bench"}), "tooling shared by tests and bench"),
    Rule("bench", frozenset({"tests"}), "shared helpers live in devstack/"),
    Rule("scripts", frozenset({"tests", "bench", "devstack"}), "scripts run without tooling"),
]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import: `import a.b` → a.b; `from a.b import c` → a.b
    and a.b.c (c may be a module: `from parcours import models`)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def breaks(module: str, forbidden: frozenset[str]) -> bool:
    return any(module == f or module.startswith(f + ".") for f in forbidden)


def violations(rule: Rule) -> list[str]:
    """`file:line imports module` for every import that breaks the rule."""
    return sorted(
        {
            f"{path.relative_to(ROOT)}:{line} imports {module}"
            for path in sorted((ROOT / rule.folder).rglob("*.py"))
            for line, module in imported_modules(path)
            if breaks(module, rule.forbidden)
        }
    )


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.folder)
def test_import_rule(rule: Rule) -> None:
    assert violations(rule) == [], rule.why


@pytest.mark.parametrize(
    ("source", "forbidden_seen"),
    [
        (
            "import os\n\n\ndef f():\n    from bot.dialogue import Dialogue\n",
            ["bot.dialogue", "bot.dialogue.Dialogue"],
        ),
        ("import sqlalchemy.orm\n", ["sqlalchemy.orm"]),
        (
            "from parcours.db.engine import session_scope\n",
            ["parcours.db.engine", "parcours.db.engine.session_scope"],
        ),
        ("from parcours import models\n", ["parcours.models"]),
        ("from parcours import services\n", []),
    ],
)
def test_every_import_form_is_seen(tmp_path: Path, source: str, forbidden_seen: list[str]) -> None:
    module = tmp_path / "module.py"
    module.write_text(source)
    forbidden = PERSISTENCE | {"bot"}
    seen = [name for _, name in imported_modules(module) if breaks(name, forbidden)]
    assert sorted(set(seen)) == forbidden_seen
