"""ORM models, one module per aggregate; importing this package registers them all."""

from parcours.models.catalogue import (
    Ambassador,
    Company,
    Metier,
    MinistageOffer,
    RomeMetier,
    Structure,
)
from parcours.models.contact_request import ContactRequest, ContactRequestEvent, RequestStatus
from parcours.models.handoff import Handoff, HandoffEvent, HandoffNote, HandoffState
from parcours.models.messages import OutboxMessage, PendingMessage, ProcessedMessage
from parcours.models.staff import StaffTopic
from parcours.models.territory import Commune, Coordinator, ZoneEmploi
from parcours.models.user import AGE_BANDS, ROLES, ForgottenUser, User
from parcours.models.web import WebMessage

__all__ = [
    "AGE_BANDS",
    "ROLES",
    "Ambassador",
    "Commune",
    "Company",
    "ContactRequest",
    "ContactRequestEvent",
    "Coordinator",
    "ForgottenUser",
    "Handoff",
    "HandoffEvent",
    "HandoffNote",
    "HandoffState",
    "Metier",
    "MinistageOffer",
    "OutboxMessage",
    "PendingMessage",
    "ProcessedMessage",
    "RequestStatus",
    "RomeMetier",
    "StaffTopic",
    "Structure",
    "User",
    "WebMessage",
    "ZoneEmploi",
]
