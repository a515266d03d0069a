"""ORM models, one module per aggregate; importing this package registers them all."""

from parcours.models.handoff import Handoff, HandoffEvent, HandoffState
from parcours.models.messages import OutboxMessage, ProcessedMessage
from parcours.models.user import AGE_BANDS, ROLES, User

__all__ = [
    "AGE_BANDS",
    "ROLES",
    "Handoff",
    "HandoffEvent",
    "HandoffState",
    "OutboxMessage",
    "ProcessedMessage",
    "User",
]
