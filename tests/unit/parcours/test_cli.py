"""`python -m parcours …`: every command group is registered and dispatches to its runner."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from parcours import PROJECT_ROOT
from parcours.cli import build_parser, faq, knowledge, main, migrate, rasa, requests, stats
from parcours.settings import Settings


@pytest.mark.parametrize(
    ("argv", "runner"),
    [
        (["faq", "check"], faq.run),
        (["migrate", "upgrade"], migrate.run),
        (["import", "communes", "communes.csv"], knowledge.run_one),
        (["import-knowledge", "--if-empty"], knowledge.run_knowledge),
        (["rasa-endpoints", "--out", "endpoints.yml"], rasa.run),
        (["requests", "tick"], requests.run),
        (["stats", "--json"], stats.run_stats),
        (["purge", "--dry-run"], stats.run_purge),
    ],
)
def test_each_command_dispatches_to_its_module(argv: list[str], runner: object) -> None:
    assert build_parser().parse_args(argv).run is runner


def test_python_m_parcours_still_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "parcours", "faq", "check"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_stats_and_purge_run_on_an_empty_database(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", "--days", "0"]) == 2
    assert main(["stats", "--days", "7", "--json"]) == 0
    output = capsys.readouterr().out
    assert json.loads(output[output.index("{") :])["handoffs"]["total"] == 0
    assert main(["stats"]) == 0
    assert "📊 Statistiques" in capsys.readouterr().out
    assert main(["purge", "--dry-run"]) == 0
    assert "Simulation (rien n'est supprimé)" in capsys.readouterr().out
