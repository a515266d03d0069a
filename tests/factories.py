"""Builders for rasa-sdk trackers used by action tests."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from parcours.models import Ambassador, Commune


def tracker(
    *,
    sender: str = "u1",
    intent: str = "faq",
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    faq_key: str | None = None,
    ranking: list[tuple[str, float]] | None = None,
) -> Tracker:
    """A tracker whose latest message has the given NLU result."""
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [])],
    }
    if faq_key is not None:
        latest["response_selector"] = {
            "faq": {"response": {"intent_response_key": f"faq/{faq_key}", "confidence": 0.9}}
        }
    base_slots = {"register": "tu", "consent_shown": False, "role": None, "age_band": None}
    return Tracker.from_dict(
        {
            "sender_id": sender,
            "slots": {**base_slots, **(slots or {})},
            "latest_message": latest,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


def add_communes(session: Session, rows: list[tuple[str, str, str, str, str]]) -> None:
    """Normandy communes from (insee, name, postal code, department, EPCI) tuples."""
    for insee, nom, postal, departement, epci in rows:
        session.add(
            Commune(
                insee=insee,
                nom=nom,
                codes_postaux=postal,
                departement=departement,
                region="28",
                epci=epci,
                epci_nom=f"EPCI {nom}",
                population=1000,
            )
        )
    session.flush()


def ambassador(**overrides: Any) -> Ambassador:
    """A demo métier ambassador (Léa B., baker near Caen), fields overridable."""
    fields: dict[str, Any] = {
        "key": "a1",
        "kind": "metier",
        "display_name": "Léa B.",
        "metier": "boulanger",
        "company": "c1",
        "years_in_job": 4,
        "formats": "visio",
        "publics": "college",
        "zone_type": "departement",
        "zone_code": "14",
        "commune": "14118",
        "demo": True,
    }
    return Ambassador(**{**fields, **overrides})
