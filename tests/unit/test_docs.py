"""The README matches the code: every module has a row in its module tables, and every setting
(read by parcours/settings.py, by the code through `os.environ`, or by the scripts) is in the
settings table and in `.env.example`."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

from parcours import regions
from parcours.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: Folders whose modules the README lists, one row per module.
DOCUMENTED = ("actions", "bot", "parcours", "rasa_channels", "scripts", "bench", "devstack")
#: Modules not listed one by one: one Alembic file per schema version.
UNLISTED = ("parcours/migrations/versions/",)
#: Code whose environment reads are settings of the product (not bench/ or tests/).
SETTINGS_CODE = ("parcours", "bot", "actions", "scripts")
#: Scripts whose `${NAME:-default}` variables are not settings: services.sh is test machinery
#: (its TEST_* variables are in the README's PostgreSQL section).
TEST_SCRIPTS = ("services.sh",)
#: The system's variables that scripts read with a default; not ours to document.
SYSTEM_VARIABLES = frozenset({"HOME", "XDG_CACHE_HOME"})

_CODE = re.compile(r"`([^`]+)`")


def _section(title: str) -> str:
    """The README text from heading `title` to the next heading of the same level."""
    text = README.read_text(encoding="utf-8")
    level = title.split(" ", 1)[0]
    start = text.index(f"\n{title}\n")
    end = text.find(f"\n{level} ", start + len(title) + 2)
    return text[start : end if end != -1 else None]


def _first_cells(text: str) -> set[str]:
    """Every backticked word of the first cell of each table row."""
    cells = (line.split("|")[1] for line in text.splitlines() if line.startswith("| "))
    return {code for cell in cells for code in _CODE.findall(cell)}


def _modules() -> set[str]:
    found = set()
    for folder in DOCUMENTED:
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in (".py", ".sh") or path.name == "__init__.py":
                continue
            if "__pycache__" in path.parts or relative.startswith(UNLISTED):
                continue
            found.add(relative)
    return found


def test_every_module_has_a_row_in_the_readme() -> None:
    listed = _first_cells(_section("## Modules"))
    assert sorted(_modules() - listed) == []


def test_every_module_row_names_an_existing_module() -> None:
    listed = {p for p in _first_cells(_section("## Modules")) if p.endswith((".py", ".sh"))}
    assert sorted(listed - _modules()) == []


def _environment_reads(path: Path) -> set[str]:
    """Names read with `os.environ.get("X")`, `os.environ["X"]` or `os.getenv("X")`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            target, args = ast.unparse(node.func), node.args
            if target not in ("os.environ.get", "os.getenv", "environ.get", "getenv"):
                continue
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("os.environ",):
            args = [node.slice]
        else:
            continue
        if args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
            names.add(args[0].value)
    return names


def settings_in_code() -> set[str]:
    """Every setting, derived from the code that reads it."""
    names = {field.upper() for field in Settings.model_fields}
    # The free numbers: each region pack names its own setting (parcours/regions.py).
    names |= {regions.region(code).phone.setting for code in regions.available()}
    for folder in SETTINGS_CODE:
        for path in (ROOT / folder).rglob("*.py"):
            names |= _environment_reads(path)
    for script in (ROOT / "scripts").glob("*.sh"):
        if script.name not in TEST_SCRIPTS:
            text = script.read_text(encoding="utf-8")
            names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):-", text))
    return names - SYSTEM_VARIABLES


def test_settings_are_derived_from_the_code() -> None:
    names = settings_in_code()
    assert {"TELEGRAM_TOKEN", "LOG_SALT", "VAR_DIR", "UP_TIMEOUT"} <= names
    assert not names & SYSTEM_VARIABLES


def test_every_setting_is_in_the_readme_table() -> None:
    listed = _first_cells(_section("## Settings (`.env`, see `.env.example`)"))
    assert sorted(settings_in_code() - listed) == []


def test_the_readme_table_names_only_settings() -> None:
    listed = _first_cells(_section("## Settings (`.env`, see `.env.example`)"))
    assert sorted(listed - settings_in_code()) == []


def test_every_setting_is_in_env_example() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    assert sorted(settings_in_code() - listed) == []


def test_env_example_names_only_settings() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))
    assert sorted(listed - settings_in_code()) == []


def test_the_architecture_table_names_every_top_level_folder() -> None:
    """Every tracked top-level folder has a row in README's architecture table, and no row
    names a folder that is gone."""

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    folders = {path.split("/", 1)[0] + "/" for path in tracked if "/" in path}
    folders = {folder for folder in folders if not folder.startswith(".")}
    cells = _first_cells(_section("## Architecture"))
    listed = {cell.split("/", 1)[0] + "/" for cell in cells if "/" in cell}
    assert sorted(folders - listed) == [], "add a row to README's architecture table"
    assert sorted(listed - folders) == [], "a row names a folder that is gone"
