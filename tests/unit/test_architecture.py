"""Who may import whom (docs/ARCHITECTURE.md): each rule is a row of `RULES`, checked on every
`import` statement of the folder, wherever it stands (functions and `TYPE_CHECKING` blocks too)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Rule(NamedTuple):
    """Modules under `folder` never import a top-level package of `forbidden`."""

    folder: str
    forbidden: frozenset[str]
    why: str


#: Product code never depends on tooling.
TOOLING = frozenset({"tests", "bench", "devstack", "scripts"})

RULES = [
    Rule(
        "parcours",
        TOOLING | {"bot", "actions", "rasa", "rasa_sdk", "telegram"},
        "the shared package knows no transport, no dialogue engine and no front end",
    ),
    Rule("bot", TOOLING | {"actions", "rasa", "rasa_sdk"}, "Rasa is a black box behind HTTP"),
    Rule("actions", TOOLING | {"bot", "rasa", "telegram"}, "actions run in rasa-sdk, not Rasa"),
    Rule("devstack", frozenset({"tests", "bench"}), "tooling shared by tests and bench"),
    Rule("bench", frozenset({"tests"}), "shared helpers live in devstack/"),
    Rule("scripts", frozenset({"tests", "bench", "devstack"}), "scripts run without tooling"),
]


def imported_packages(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def violations(rule: Rule) -> list[str]:
    """`file:line imports package` for every import that breaks the rule."""
    return [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in sorted((ROOT / rule.folder).rglob("*.py"))
        for line, package in imported_packages(path)
        if package in rule.forbidden
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.folder)
def test_import_rule(rule: Rule) -> None:
    assert violations(rule) == [], rule.why


def test_a_broken_rule_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("import os\n\n\ndef f():\n    from bot.dialogue import Dialogue\n")
    assert imported_packages(module) == [(1, "os"), (5, "bot")]
