"""Asked for an ambassador « dans le bassin d'emploi de Metz », the assistant searches and says
plainly how it reads a bassin (no official zones d'emploi map is shipped), on the real stack
and the shipped demo data."""

from __future__ import annotations

import pytest

from tests.integration.conftest import Replay, buttons_of, new_user, texts_of

pytestmark = pytest.mark.rasa


# Metz is a Grand Est town: its case runs on the Grand Est stack (the Normandy pack has no
# Grand Est ambassadors), tests/integration/test_grand_est.py.
@pytest.mark.parametrize(("metier", "town", "how"), [("boulanger", "Caen", "sur place")])
def test_an_ambassador_in_a_bassin_d_emploi_is_searched_with_an_honest_note(
    replay: Replay, metier: str, town: str, how: str
) -> None:
    user = new_user()
    out = replay.say(user, f"je cherche un ambassadeur {metier} dans le bassin d'emploi de {town}")
    transcript = [texts_of(out)]
    for _ in range(3):  # the form may still ask a missing detail
        if any("choose_target" in b.get("payload", "") for b in buttons_of(out)):
            break
        question = texts_of(out).lower()
        out = replay.say(
            user,
            how if "comment" in question else town if "commune" in question else metier,
        )
        transcript.append(texts_of(out))
    text = texts_of(out)
    people = [b for b in buttons_of(out) if "choose_target" in b.get("payload", "")]
    assert people, "\n---\n".join(transcript)
    assert "Je ne connais pas les limites officielles des bassins d'emploi" in text
    assert f"qui interviennent à {town}" in text
