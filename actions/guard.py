"""No action for a sender being forgotten: their /oubli must stay final.

A Rasa turn may still be running when the user confirms /oubli; its actions would write
the user back (profile, consent, requests). Every action of this package mixes in `Guarded`
(checked by tests/unit/actions/test_forgotten_sender.py), whose `run` does nothing — no
event, no message, no database write — while the sender's tombstone lasts
(`parcours.services.forgetting`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from parcours.db.engine import session_scope
from parcours.logging_setup import user_ref
from parcours.services import forgetting

log = logging.getLogger(__name__)
Run = Callable[[Any, CollectingDispatcher, Tracker, Any], Awaitable[list[EventType]]]


def refusing_forgotten(run: Run) -> Run:
    """`run`, or nothing at all when the tracker's sender is being forgotten."""

    @functools.wraps(run)
    async def guarded(
        self: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Any
    ) -> list[EventType]:
        with session_scope() as session:
            forgotten = forgetting.is_forgotten(session, tracker.sender_id)
        if forgotten:
            log.info(
                "action %s refused: sender being forgotten",
                self.name(),
                extra={"user": user_ref(tracker.sender_id)},
            )
            return []
        return await run(self, dispatcher, tracker, domain)

    guarded.refuses_forgotten = True  # type: ignore[attr-defined]
    return guarded


class Guarded:
    """Mixin (first among the bases): the class's `run` refuses senders being forgotten."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        run = getattr(cls, "run", None)
        if run is not None and not getattr(run, "refuses_forgotten", False):
            cls.run = refusing_forgotten(run)  # type: ignore[attr-defined]
