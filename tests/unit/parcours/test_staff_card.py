"""The coordinators' summary card: what it shows, and that it stays valid and short."""

from __future__ import annotations

import re
from datetime import timedelta

from devstack.botapi import parse_html
from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import Coordinator, User
from parcours.services import handoff, staff_card
from parcours.services.staff_card import Exchange
from parcours.services.staff_limits import MAX_MESSAGE, telegram_length
from parcours.settings import get_settings
from tests.factories import add_communes


def _card(user_id: str, exchanges: list[Exchange] | None = None) -> str:
    with session_scope() as session:
        return staff_card.card_text(
            session,
            get_settings(),
            user_id=user_id,
            first_name="Léa",
            exchanges=exchanges or [],
            now=utcnow(),
        )


def test_card_shows_profile_territory_state_reason_and_notes(db_url: str) -> None:
    with session_scope() as session:
        add_communes(session, [("14366", "Lisieux", "14100", "14", "200069532")])
        session.add(User(id="u1", role="eleve", age_band="15_17", town_code="14366"))
        session.add(Coordinator(telegram_id=5, name="Claire <Calvados>", departements="14"))
        session.flush()
        episode = handoff.request(session, user_id="u1", reason="safeguarding", urgent=True)
        episode.created_at = utcnow() - timedelta(minutes=12)
    card = _card("u1", [Exchange("user", "on se moque de moi <b>"), Exchange("bot", "Je suis là")])
    assert "Fiche de Léa" in card
    assert "élève / étudiant · 15–17 ans" in card
    assert "Lisieux — EPCI Lisieux (14)" in card
    assert "en attente depuis 12 min" in card
    assert "URGENT" in card
    assert "situation sensible" in card
    assert "👤 on se moque de moi &lt;b&gt;" in card  # user text is escaped
    with session_scope() as session:
        handoff.take(session, user_id="u1", coordinator_id=5)
        handoff.add_note(session, user_id="u1", author_id=5, text="rappeler la famille")
    card = _card("u1")
    assert "pris en charge par Claire &lt;Calvados&gt;" in card
    assert "Notes : 1" in card
    assert "rappeler la famille" in card


def test_a_web_visitors_card_says_the_channel(db_url: str) -> None:
    with session_scope() as session:
        session.add_all([User(id="web:AbCdEfGhIjKlMnOpQrStUv"), User(id="123456789")])
    assert staff_card.WEB_CHANNEL in _card("web:AbCdEfGhIjKlMnOpQrStUv")
    assert staff_card.WEB_CHANNEL not in _card("123456789")


def test_card_never_exceeds_the_limit_and_keeps_its_html_balanced(db_url: str) -> None:
    with session_scope() as session:
        session.add(User(id="u2"))
        session.flush()
        handoff.request(session, user_id="u2", reason="user_request")
    long = [Exchange("user", "é" * 5000)] * 30
    card = _card("u2", long)
    assert len(card) <= staff_card.MAX_CARD
    for tag in ("b", "i"):
        assert len(re.findall(f"<{tag}>", card)) == len(re.findall(f"</{tag}>", card))


def test_a_card_full_of_quotes_is_trimmed_by_content_and_parses_as_telegram_would(
    db_url: str,
) -> None:
    """Issue 11: 280-character exchanges of quotes escape to 1,680 characters each; the card
    was cut at 3,900 characters inside `&quot;` or before `</i>` ("Can't find end tag")."""
    with session_scope() as session:
        session.add(User(id="u3"))
        session.flush()
        handoff.request(session, user_id="u3", reason="user_request")
    quotes = [Exchange("user", '"' * 400), Exchange("bot", "<>&" * 200)] * 3
    card = _card("u3", quotes)
    assert telegram_length(card) <= MAX_MESSAGE
    text, entities = parse_html(card, lambda user_id: {"id": user_id})
    assert text.endswith(staff_card.COMMANDS_HINT), "the commands hint (in <i>) is kept whole"
    assert {e["type"] for e in entities} == {"bold", "italic"}
    assert "Derniers échanges" in text, "shorter exchanges, not none, when they can fit"


def test_exchanges_skip_button_payloads_and_keep_the_last_ones() -> None:
    events: list[dict[str, object]] = [
        {"event": "user", "text": '/set_role{"role":"eleve"}'},
        *({"event": "user", "text": f"question {i}"} for i in range(8)),
        {"event": "bot", "text": "réponse"},
        {"event": "action", "name": "action_listen"},
    ]
    found = staff_card.exchanges_from_events(events, limit=3)
    assert found == [
        Exchange("user", "question 6"),
        Exchange("user", "question 7"),
        Exchange("bot", "réponse"),
    ]


def test_topic_name_has_first_name_and_territory(db_url: str) -> None:
    with session_scope() as session:
        assert staff_card.topic_name("  Léa  ", session, None) == "Léa · territoire inconnu"
        assert len(staff_card.topic_name("x" * 300, session, None)) <= 128
