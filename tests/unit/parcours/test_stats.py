"""Activity report: every figure against hand-computed expectations."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from parcours.db.engine import session_scope
from parcours.models import ContactRequest, ContactRequestEvent, Handoff, User
from parcours.services import stats, stats_text
from parcours.services.stats_report import Report
from parcours.settings import Settings
from tests.factories import add_communes, tracker_event, tracker_store

PARIS = ZoneInfo("Europe/Paris")
SINCE = datetime(2026, 3, 2, tzinfo=PARIS)  # winter time: Paris is UTC+1
UNTIL = SINCE + timedelta(days=3)
H = timedelta(hours=1)
D = timedelta(days=1)
M = timedelta(minutes=1)
LONG = "x" * 200


@pytest.fixture
def tracker(settings: Settings, tmp_path: Path) -> tuple[Settings, Engine]:
    """A tracker store with the turns of u1 (Calvados), u2 (Manche) and u3 (no town)."""
    engine = tracker_store(tmp_path / "tracker.db")
    day1, day2 = SINCE + 10 * H, SINCE + D + 10 * H
    ev = tracker_event
    ev(engine, sender="u1", at=SINCE - H, intent="faq", faq_key="gratuite")  # before the period
    ev(engine, sender="u1", at=day1, intent="faq", faq_key="gratuite")
    ev(engine, sender="u1", at=day1, intent="nlu_fallback", text_="Ça coûte combien  le permis ?")
    ev(engine, sender="u2", at=day1, intent="faq", faq_key="gratuite", faq_in_selector_only=True)
    ev(engine, sender="u2", at=day1, type_name="bot", text_="C'est gratuit.")
    ev(engine, sender="u2", at=day1, type_name="action")
    ev(engine, sender="u1", at=day2, intent="nlu_fallback", text_="ça coûte combien le permis ?")
    ev(engine, sender="u1", at=day2, intent="faq", faq_key="ministage_quoi", message_key="k1")
    ev(engine, sender="u1", at=day2, intent="faq", faq_key="ministage_quoi", message_key="k1")
    ev(engine, sender="u1", at=day2, intent="handback", text_="EXTERNAL: handback")
    ev(engine, sender="u3", at=day2, intent="nlu_fallback", text_=LONG)
    # 23:30 UTC on 3 March is 00:30 on 4 March in Paris: the third local day.
    ev(engine, sender="u2", at=datetime(2026, 3, 3, 23, 30, tzinfo=ZoneInfo("UTC")))
    ev(engine, sender="u2", at=UNTIL + H)  # after the period
    return settings.model_copy(update={"rasa_tracker_db": str(tmp_path / "tracker.db")}), engine


def handoff(user: str, created: datetime, **fields: object) -> Handoff:
    values: dict[str, object] = {"state": "closed", "reason": "user_request", **fields}
    return Handoff(user_id=user, created_at=created, updated_at=created, **values)


def request(
    user: str, created: datetime, due: datetime, status: str, **fields: object
) -> ContactRequest:
    return ContactRequest(
        user_id=user,
        target_type="ambassador",
        target_key="a1",
        status=status,
        created_at=created,
        due_at=due,
        remind_at=due - 3 * D,
        **fields,
    )


@pytest.fixture
def app_data(settings: Settings) -> None:
    """Users, hand-offs and contact requests around the period [SINCE, UNTIL)."""
    with session_scope() as session:
        add_communes(
            session,
            [
                ("14118", "Caen", "14000", "14", "e14"),
                ("50129", "Cherbourg", "50100", "50", "e50"),
            ],
        )
        session.add_all(
            [User(id="u1", town_code="14118"), User(id="u2", town_code="50129"), User(id="u3")]
        )
        session.flush()
        t = SINCE
        session.add_all(
            [
                handoff(
                    "u1",
                    t + H,
                    departement="14",
                    urgent=True,
                    taken_at=t + H + 10 * M,
                    ended_at=t + 2 * H,
                    satisfaction=3,
                ),
                handoff(
                    "u2",
                    t + D,
                    departement="50",
                    reason="fallback",
                    taken_at=t + D + 30 * M,
                    ended_at=t + D + H,
                    satisfaction=1,
                ),
                handoff(
                    "u1", t + 2 * D, departement="14", state="human", taken_at=t + 2 * D + 20 * M
                ),
                handoff("u3", t + 2 * D, state="bot", ended_at=t + 2 * D + H),
                handoff("u1", t + 2 * D + H, departement="14", state="waiting"),
                handoff("u2", t - 2 * D, departement="50", state="waiting"),
                handoff("u2", t - 3 * D, departement="50", ended_at=t - 2 * D, satisfaction=2),
            ]
        )
        late = request("u2", t - 11 * D, t + D, "accepted", answered_at=t + 2 * D)
        late.events.append(
            ContactRequestEvent(from_status="sent", to_status="expired", actor="clock")
        )
        expired = request("u1", t - 12 * D, t + D, "expired")
        expired.events.append(
            ContactRequestEvent(from_status="sent", to_status="expired", actor="clock")
        )
        session.add_all(
            [
                request("u1", t + H, t + 10 * D, "sent"),
                request("u2", t + 2 * H, t + 12 * D, "accepted", answered_at=t + 3 * H),
                expired,
                late,
                request("u3", t - 9 * D, t + 2 * D, "declined", answered_at=t + H),
                request("u1", t - 10 * D, t + 2 * D, "cancelled"),
            ]
        )


def build(settings: Settings, departement: str | None = None) -> Report:
    with session_scope() as session:
        return stats.build_report(
            session, settings, since=SINCE, until=UNTIL, departement=departement
        )


def test_conversations_are_counted_per_local_day_without_retries_or_triggered_intents(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    c = build(tracker[0]).conversations
    assert c.available
    assert [(d.day, d.conversations, d.turns) for d in c.per_day] == [
        (date(2026, 3, 2), 2, 3),
        (date(2026, 3, 3), 2, 3),
        (date(2026, 3, 4), 1, 1),
    ]
    assert (c.conversations, c.users, c.turns) == (5, 3, 7)


def test_top_faq_counts_the_retrieval_intent_from_either_place_rasa_writes_it(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    assert build(tracker[0]).conversations.top_faq == {"faq/gratuite": 2, "faq/ministage_quoi": 1}


def test_fallback_rate_and_unanswered_questions_grouped_and_truncated(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    c = build(tracker[0]).conversations
    assert c.fallback_turns == 3
    assert c.fallback_rate == pytest.approx(3 / 7)
    assert c.unanswered == {"Ça coûte combien le permis ?": 2, "x" * 119 + "…": 1}
    assert all(len(q) <= 120 for q in c.unanswered)


def test_handoff_figures(tracker: tuple[Settings, Engine], app_data: None) -> None:
    h = build(tracker[0]).handoffs
    assert h.total == 5
    assert h.by_reason == {"user_request": 4, "fallback": 1}
    assert h.urgent == 1
    assert h.waiting_now == 2  # one from before the period still waits
    assert h.taken == 3
    assert h.not_taken == 1  # handed back to the bot while waiting
    assert h.wait_median == 20 * M  # waits 10, 20, 30 min
    assert h.wait_p90 == 30 * M  # nearest rank: ceil(0.9 × 3) = 3rd


def test_satisfaction_counts_answers_of_handoffs_closed_in_the_period(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    s = build(tracker[0]).satisfaction
    assert s.by_score == {"1": 1, "2": 0, "3": 1}
    assert (s.answers, s.mean) == (2, 2.0)


def test_requests_by_status_and_ten_day_deadline_breaches(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    r = build(tracker[0]).requests
    assert r.total == 2
    assert r.by_status == {"sent": 1, "accepted": 1}
    assert r.due == 4  # expired, late, declined on time, cancelled
    assert r.breached == 2  # expired, and answered after its due date


def test_territories_break_handoffs_and_requests_down_by_department(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    places = [(t.departement, t.handoffs, t.requests) for t in build(tracker[0]).territories]
    assert places == [("14", 3, 1), ("50", 1, 1), ("?", 1, 0)]


def test_a_department_filter_restricts_every_figure(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    report = build(tracker[0], "14")
    c = report.conversations
    assert [d.conversations for d in c.per_day] == [1, 1, 0]
    assert (c.turns, c.fallback_turns) == (4, 2)
    assert c.top_faq == {"faq/gratuite": 1, "faq/ministage_quoi": 1}
    h = report.handoffs
    assert (h.total, h.waiting_now, h.taken, h.not_taken) == (3, 1, 2, 0)
    assert (h.wait_median, h.wait_p90) == (15 * M, 20 * M)
    assert report.satisfaction.by_score == {"1": 0, "2": 0, "3": 1}
    assert (report.requests.total, report.requests.due, report.requests.breached) == (1, 2, 1)
    assert [(t.departement, t.handoffs, t.requests) for t in report.territories] == [("14", 3, 1)]


def test_a_missing_tracker_gives_empty_conversation_figures_and_creates_no_file(
    settings: Settings, tmp_path: Path, app_data: None
) -> None:
    missing = tmp_path / "absent.db"
    report = build(settings.model_copy(update={"rasa_tracker_db": str(missing)}))
    assert not report.conversations.available
    assert report.conversations.turns == 0
    assert report.conversations.fallback_rate is None
    assert report.handoffs.total == 5
    assert not missing.exists()
    assert "introuvable" in stats_text.render_text(report)


def test_a_tracker_database_without_its_table_is_treated_as_missing(
    settings: Settings, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    report = build(settings.model_copy(update={"rasa_tracker_db": str(empty)}))
    assert not report.conversations.available


def test_render_text_is_french_and_fits_one_telegram_message(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    settings, engine = tracker
    for n in range(30):  # many long unanswered questions and FAQ keys
        tracker_event(
            engine, sender="u9", at=SINCE + H, intent="nlu_fallback", text_=f"{n} {LONG}"
        )
        tracker_event(engine, sender="u9", at=SINCE + H, intent="faq", faq_key=f"cle_{n}")
    text = stats_text.render_text(build(settings))
    assert len(text) < 4000
    assert "Statistiques du 02/03/2026 au 04/03/2026 (3 jours)" in text
    assert "Relais vers un coordinateur : 5, dont 1 urgent" in text
    assert "en 20 min (médiane), 90 % en 30 min ou moins" in text
    assert "note 1 : 1 · note 2 : 0 · note 3 : 1 ; moyenne 2,00/3" in text
    assert "Délai de réponse de 10 jours : 2 hors délai sur 4 arrivées à échéance" in text
    assert "14 : 3 / 1 · 50 : 1 / 1 · non renseigné : 1 / 0" in text


def test_as_dict_is_json_with_durations_in_seconds(
    tracker: tuple[Settings, Engine], app_data: None
) -> None:
    data = json.loads(json.dumps(stats.as_dict(build(tracker[0]))))
    assert data["handoffs"]["wait_median"] == 1200.0
    assert data["conversations"]["per_day"][0] == {
        "day": "2026-03-02",
        "conversations": 2,
        "turns": 3,
    }
    assert data["requests"]["by_status"] == {"sent": 1, "accepted": 1}
