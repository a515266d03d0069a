"""Builders for rasa-sdk trackers, reference rows and Rasa tracker-store rows used by tests."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from parcours.db.engine import session_scope
from parcours.models import (
    Ambassador,
    Commune,
    Company,
    ContactRequest,
    Handoff,
    Metier,
    MinistageOffer,
    OutboxMessage,
    PendingMessage,
    ProcessedMessage,
    User,
)
from parcours.services import contact_requests
from parcours.settings import Settings


def tracker(
    *,
    sender: str = "u1",
    intent: str = "faq",
    text: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    faq_key: str | None = None,
    ranking: list[tuple[str, float]] | None = None,
    selector: list[tuple[str, float]] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest message has the given NLU result (`selector`: the
    ResponseSelector's FAQ ranking, best first)."""
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [])],
    }
    if faq_key is not None or selector:
        ranked = selector or [(faq_key or "", 0.9)]
        latest["response_selector"] = {
            "faq": {
                "response": {"intent_response_key": f"faq/{ranked[0][0]}", "confidence": 0.9},
                "ranking": [
                    {"intent_response_key": f"faq/{k}", "confidence": c, "id": i}
                    for i, (k, c) in enumerate(ranked)
                ],
            }
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
            "active_loop": {"name": active_loop} if active_loop else {},
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


def add_bakery_near_caen(
    session: Session,
    *,
    demo: bool = False,
    ambassador_fields: dict[str, Any] | None = None,
    offer_fields: dict[str, Any] | None = None,
) -> None:
    """What a contact request needs: Caen, the métier boulanger, the company `c1`, the
    ambassador `a1` (`ambassador()`) and the mini-stage offer `o1`, fields overridable."""
    add_communes(session, [("14118", "Caen", "14000", "14", "200065597")])
    session.add(Metier(code="boulanger", libelle="Boulanger", secteur="alimentation"))
    session.flush()
    name = "Fournil (démo)" if demo else "Fournil"
    session.add(Company(key="c1", name=name, commune="14118", demo=demo))
    session.flush()
    session.add(ambassador(**(ambassador_fields or {})))
    offer: dict[str, Any] = {
        "key": "o1",
        "company": "c1",
        "metier": "boulanger",
        "commune": "14118",
        "levels": "college",
        "demo": demo,
    }
    session.add(MinistageOffer(**{**offer, **(offer_fields or {})}))


def demo_catalogue(settings: Settings) -> Settings:
    """The demo bakery near Caen (`add_bakery_near_caen(demo=True)`) in the app database;
    `settings` back, for a `catalogue` fixture."""
    with session_scope() as session:
        add_bakery_near_caen(session, demo=True)
    return settings


def contact_request(
    session: Session,
    settings: Settings,
    *,
    now: datetime,
    user_id: str = "u1",
    kind: str = "ambassador",
    target_key: str | None = None,
    message: str = "",
    availability: str = "",
) -> ContactRequest:
    """A request filed by `user_id` to the ambassador `a1` or, `kind="ministage"`, for the
    offer `o1` of `add_bakery_near_caen` (or `target_key`)."""
    return contact_requests.file_request(
        session,
        settings,
        user_id=user_id,
        target_type=kind,
        target_key=target_key or ("a1" if kind == "ambassador" else "o1"),
        message=message,
        availability=availability,
        now=now,
    )


def accept_with_date(
    session: Session,
    settings: Settings,
    request_id: int,
    *,
    now: datetime,
    day: date,
    actor: str = "c",
    at: time | None = None,
    place: str = "",
    note: str = "",
) -> ContactRequest:
    """A coordinator accepts request `request_id` with a meeting on `day` (the meeting is
    scheduled: the user gets a calendar file)."""
    return contact_requests.record_answer(
        session,
        request_id=request_id,
        accepted=True,
        actor=actor,
        now=now,
        proposed_date=day,
        at=at,
        place=place,
        note=note,
        settings=settings,
    )


#: Rasa's SQL tracker store table, as Rasa 3.6 creates it.
TRACKER_DDL = (
    "CREATE TABLE events (id INTEGER NOT NULL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
    "action_name VARCHAR(255), data TEXT)"
)


def tracker_store(path: Path) -> Engine:
    """An empty tracker store (SQLite file) shaped like Rasa's."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text(TRACKER_DDL))
    return engine


def tracker_event(
    engine: Engine,
    *,
    sender: str,
    at: datetime,
    type_name: str = "user",
    text_: str = "bonjour",
    intent: str | None = "greet",
    faq_key: str | None = None,
    message_key: str | None = None,
    faq_in_selector_only: bool = False,
) -> None:
    """One event row with the JSON Rasa writes (user turns carry their parse_data)."""
    data: dict[str, Any] = {"event": type_name, "timestamp": at.timestamp()}
    action = None
    if type_name == "user":
        data["text"] = text_
        data["metadata"] = {"message_key": message_key} if message_key else {}
        parse_intent: dict[str, Any] = {"name": intent, "confidence": 0.9}
        parse: dict[str, Any] = {"intent": parse_intent, "entities": [], "text": text_}
        if faq_key is not None:
            if not faq_in_selector_only:
                parse_intent["full_retrieval_intent_name"] = f"faq/{faq_key}"
            parse["response_selector"] = {
                "all_retrieval_intents": ["faq"],
                "faq": {"response": {"intent_response_key": f"faq/{faq_key}"}},
            }
        data["parse_data"] = parse
    elif type_name == "bot":
        data["text"] = text_
        intent = None
    else:
        action = "action_listen"
        data["name"] = action
        intent = None
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, "
                "data) VALUES (:s, :t, :ts, :i, :a, :d)"
            ),
            {
                "s": sender,
                "t": type_name,
                "ts": at.timestamp(),
                "i": intent,
                "a": action,
                "d": json.dumps(data),
            },
        )


def app_rows_of(user_id: str) -> int:
    """How many app rows name the user (user, processed, pending, outbox, hand-offs)."""
    with session_scope() as session:
        count = int(session.get(User, user_id) is not None)
        for model in (ProcessedMessage, PendingMessage, OutboxMessage, Handoff):
            count += (
                session.scalar(
                    select(func.count()).select_from(model).where(model.user_id == user_id)
                )
                or 0
            )
        return count


def text_file(folder: Path, name: str, content: str) -> Path:
    """`folder/name` written with `content` (UTF-8): an import file, a knowledge file."""
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path
