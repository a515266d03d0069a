"""Every domain button that carries entities, shown and pressed through the real stack: it
reaches the user as the payload meant, and Rasa logs no ERROR while rendering it (domain
payloads double their braces, see the note in domain/core.yml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import Replay, buttons_of, new_user, texts_of
from tests.unit.responses import responses

pytestmark = pytest.mark.rasa


def _domain_payloads_with_entities() -> set[str]:
    """As the user gets them: `{{…}}` in the domain is `{…}` on the wire."""
    return {
        str(b["payload"]).format()
        for variants in responses().values()
        for variant in variants
        for b in variant.get("buttons") or []
        if "{" in str(b.get("payload", ""))
    }


class Walk:
    """One user's conversation, remembering every payload offered."""

    def __init__(self, replay: Replay, seen: set[str]) -> None:
        self.replay, self.user, self.seen = replay, new_user(), seen

    def _offered(self, out: dict[str, Any]) -> dict[str, Any]:
        self.seen.update(b["payload"] for b in buttons_of(out) if b.get("payload"))
        return out

    def say(self, text: str) -> dict[str, Any]:
        return self._offered(self.replay.say(self.user, text))

    def press(self, payload: str) -> dict[str, Any]:
        out = self._offered(self.replay.press(self.user, payload))
        assert "pas bien compris" not in texts_of(out), (payload, texts_of(out))
        return out


def _rasa_errors(log: Path, start: int) -> list[str]:
    with log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(start)
        return [
            line.rstrip()
            for line in lines
            if "[error" in line.lower() or " ERROR " in line or line.startswith("Traceback")
        ]


def test_every_button_with_entities_is_offered_and_pressed_without_an_error_in_rasa_s_log(
    replay: Replay, stack_env: dict[str, str]
) -> None:
    log = Path(stack_env["VAR_DIR"]) / "rasa.log"
    start = log.stat().st_size
    seen: set[str] = set()

    pupil = Walk(replay, seen)
    pupil.say("bonjour")
    pupil.press('/set_role{"role":"eleve"}')
    pupil.press('/tell_age{"age_band":"15_17"}')
    pupil.press('/faq_confirm{"faq_key":"decrochage_situation"}')
    pupil.press("/search_ministage")
    pupil.say("boulanger")
    pupil.say("Caen")
    pupil.press('/inform{"school_level":"college"}')
    pupil.press("/search_ambassador")
    pupil.say("infirmier")
    pupil.say("Caen")
    pupil.press('/inform{"meeting_format":"visio"}')

    adult = Walk(replay, seen)
    adult.say("bonjour")
    adult.press('/set_role{"role":"salarie"}')  # the adults' menu
    adult.press('/faq_confirm{"faq_key":"transitions_pro"}')

    newcomer = Walk(replay, seen)  # no role yet: the situation is asked
    newcomer.press("/where_to_go")
    newcomer.say("Lisieux")
    newcomer.press('/inform{"situation":"parent"}')
    out = newcomer.press('/inform{"age_band":"15_17"}')
    assert "Près de Lisieux" in texts_of(out), texts_of(out)

    assert _domain_payloads_with_entities() - seen == set()
    assert not [p for p in seen if "{{" in p or ("{" in p and not json.loads(p[p.index("{") :]))]
    assert _rasa_errors(log, start) == []
