"""bot/ delivers every staff outbox kind and knows the roles of its deep links (the import
rules, bot/ never touching the database included, are in tests/unit/test_architecture.py)."""

from __future__ import annotations

from bot import commands
from bot.staff_relay import StaffRelay
from parcours.models import ROLES
from parcours.services.outbox import STAFF_KINDS, OutboxKind
from parcours.settings import Settings


def test_every_staff_kind_has_a_delivery(settings: Settings) -> None:
    relay = StaffRelay(settings, rasa=None)  # type: ignore[arg-type]
    assert set(relay.handlers) | {OutboxKind.STAFF_DELETE_TOPIC} == STAFF_KINDS


def test_start_deep_links_name_known_roles() -> None:
    assert set(commands.START_ROLES.values()) <= set(ROLES)
