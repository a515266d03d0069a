"""The shared secret of Rasa's input channel: its header and a constant-time check.

No Rasa import here, so the app's tests load it (Rasa lives in .venv-rasa only).
"""

from __future__ import annotations

import hmac

#: The header with the shared secret (parcours/settings.py SECRET_HEADER, checked by a test).
SECRET_HEADER = "X-Parcours-Secret"


def authorised(given: str | None, secret: str) -> bool:
    """True when `given` is the shared secret (constant time); an empty secret admits no one."""
    if not secret or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))
