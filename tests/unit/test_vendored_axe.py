"""The vendored axe-core is the published 4.14.1 file, with its licences (MPL-2.0)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "browser" / "vendor" / "axe-core"
#: axe-core's own sri-history.json value for 4.14.1 (tests/browser/axe.py checks it too).
PUBLISHED_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="


def test_axe_min_js_is_the_published_4_14_1() -> None:
    data = (VENDOR / "axe.min.js").read_bytes()
    assert "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode() == PUBLISHED_SRI
    assert data.startswith(b"/*! axe v4.14.1")


def test_its_licences_are_shipped_with_it() -> None:
    assert "Mozilla Public License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in (VENDOR / "LICENSE-3RD-PARTY.txt").read_text(encoding="utf-8")
    assert PUBLISHED_SRI in (VENDOR / "SOURCE.md").read_text(encoding="utf-8")
