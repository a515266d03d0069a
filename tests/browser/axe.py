"""axe-core in the page: the vendored 4.14.1 (no CDN, no npm at run time), integrity-checked
before every injection, and its violations in a readable form."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page

AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: The SRI value axe-core publishes for 4.14.1's axe.min.js (its sri-history.json).
AXE_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="
AXE_VERSION = "4.14.1"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def sri_of(path: Path) -> str:
    """The `sha256-…` subresource-integrity value of a file."""
    digest = hashlib.sha256(path.read_bytes()).digest()
    return "sha256-" + base64.b64encode(digest).decode()


def check_integrity() -> None:
    """Refuse a vendored axe-core that is not the published 4.14.1 file."""
    found = sri_of(AXE_JS)
    assert found == AXE_SRI, f"{AXE_JS} is not axe-core {AXE_VERSION}'s axe.min.js ({found})"


def run_axe(target: Page | Frame, tags: tuple[str, ...] = WCAG_TAGS) -> dict[str, Any]:
    """Inject axe-core into `target` and run it on the whole document (open shadow roots
    included); returns axe's result object."""
    check_integrity()
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy
        # (script-src 'self') rightly refuses an injected <script> tag (add_script_tag), and
        # the tests must not weaken it (bypass_csp) for the page they check.
        target.evaluate(AXE_JS.read_text(encoding="utf-8"))
    version = target.evaluate("() => window.axe.version")
    assert version == AXE_VERSION, version
    result: dict[str, Any] = target.evaluate(
        """async (tags) => {
            const r = await window.axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return {violations: r.violations, passes: r.passes.length,
                    incomplete: r.incomplete.length};
        }""",
        list(tags),
    )
    return result


def describe(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violation: rule, impact, help, and the offending nodes."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')!s}"[:400])
            lines.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(lines)
