"""Ride out a database restart: a turn that fails to reach the database is tried again.

A PostgreSQL restart takes a few seconds; pooled connections break (pre-ping replaces them
at the next checkout) and new ones are refused meanwhile. Turns are idempotent per message
key (answers are remembered), so trying again does not answer twice. After the last
attempt the user gets the technical-problem message instead of a traceback.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar, cast

from parcours.services.health import OUTAGE

log = logging.getLogger(__name__)
P = ParamSpec("P")
S = TypeVar("S")
R = TypeVar("R")
DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # ~15 s in all


def retry_on_db_outage(
    fallback: Callable[[S], R],
) -> Callable[
    [Callable[Concatenate[S, P], Awaitable[R]]], Callable[Concatenate[S, P], Awaitable[R]]
]:
    """Decorate a turn method; `fallback(self)` is the answer when the database stays down."""

    def decorate(
        method: Callable[Concatenate[S, P], Awaitable[R]],
    ) -> Callable[Concatenate[S, P], Awaitable[R]]:
        @functools.wraps(method)
        async def wrapper(self: S, *args: P.args, **kwargs: P.kwargs) -> R:
            for delay in (*DELAYS, None):
                try:
                    return await method(self, *args, **kwargs)
                except OUTAGE as exc:
                    if delay is None:
                        log.error("database unavailable, turn given up: %s", type(exc).__name__)
                        return fallback(self)
                    log.warning("database unavailable, trying again in %.1f s", delay)
                    await asyncio.sleep(delay)
            raise AssertionError("unreachable")

        return cast(Callable[Concatenate[S, P], Awaitable[R]], wrapper)

    return decorate
