"""requirements-app.lock pins the app venv: every dependency pyproject declares is pinned, and
the venv the tests run in is the locked one (`make setup` installs under the lock)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements-app.lock").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, version = line.partition("==")
        assert version, f"not an exact pin: {line!r}"
        pins[canonical(name)] = version
    return pins


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        requirements += extra
    names = set()
    for requirement in requirements:
        match = _NAME.match(requirement)
        assert match, requirement
        names.add(canonical(match.group(1)))
    return names


def test_every_declared_dependency_is_pinned() -> None:
    assert sorted(declared() - set(locked())) == [], "run `make lock`"


def test_the_venv_is_the_locked_one() -> None:
    drift = {}
    for name, version in locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            drift[name] = (version, installed)
    assert drift == {}, "(locked, installed): run `make setup`, or `make lock` on purpose"
