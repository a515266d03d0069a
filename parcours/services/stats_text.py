"""The activity report as one short French Telegram message (`/stats` in the staff chat)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from parcours.services.stats_report import UNKNOWN_DEPARTEMENT, Report

#: Telegram refuses messages over 4096 characters; keep a margin.
MAX_CHARS = 4000
SHOWN_UNANSWERED = 10
RECENT_DAYS = 7

REASONS = {"user_request": "demande de la personne", "fallback": "incompréhension"}
STATUSES = {
    "sent": "en attente de réponse",
    "accepted": "acceptées",
    "declined": "refusées",
    "done": "réalisées",
    "expired": "expirées",
    "cancelled": "annulées",
}


def _number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = round(value.total_seconds() / 60)
    if minutes < 1:
        return "moins d'1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count < 2 else f"{count} {word}s"


def _day(value: date) -> str:
    return f"{value:%d/%m}"


def _joined(counts: Mapping[str, int], labels: Mapping[str, str] | None = None) -> str:
    labels = labels or {}
    return " · ".join(f"{labels.get(k, k)} {n}" for k, n in counts.items()) or "aucun"


def _conversation_lines(report: Report) -> list[str]:
    c = report.conversations
    if not c.available:
        return ["💬 Conversations : base de suivi de Rasa introuvable, pas de chiffres."]
    lines = [f"💬 Conversations : {c.conversations} ({c.users} personnes), {c.turns} messages"]
    if c.per_day and c.conversations:
        peak = max(c.per_day, key=lambda d: (d.conversations, d.day))
        average = c.conversations / len(c.per_day)
        lines.append(
            f"Par jour : {_number(average)} en moyenne, au plus {peak.conversations} "
            f"le {_day(peak.day)}"
        )
        recent = " · ".join(f"{_day(d.day)} {d.conversations}" for d in c.per_day[-RECENT_DAYS:])
        lines.append(f"Derniers jours : {recent}")
    if c.fallback_rate is not None:
        lines.append(
            f"Non compris : {_plural(c.fallback_turns, 'message')} sur {c.turns} "
            f"({_number(100 * c.fallback_rate)} %)"
        )
    if c.top_faq:
        lines.append("")
        lines.append("❓ Questions fréquentes les plus posées :")
        lines.extend(
            f"{rank}. {key.removeprefix('faq/')} ({n})"
            for rank, (key, n) in enumerate(c.top_faq.items(), 1)
        )
    if c.unanswered:
        lines.append("")
        lines.append("🤷 Questions non comprises (à ajouter dans nlu_data/) :")
        lines.extend(f"• {n}× « {q} »" for q, n in list(c.unanswered.items())[:SHOWN_UNANSWERED])
    return lines


def _handoff_lines(report: Report) -> list[str]:
    h, s = report.handoffs, report.satisfaction
    lines = [
        f"🙋 Relais vers un coordinateur : {h.total}, dont {_plural(h.urgent, 'urgent')} ; "
        f"{h.waiting_now} en attente en ce moment"
    ]
    if h.total:
        lines.append(f"Motifs : {_joined(h.by_reason, REASONS)}")
        taken = f"Pris en charge : {h.taken}"
        if h.taken:
            taken += (
                f", en {_duration(h.wait_median)} (médiane), "
                f"90 % en {_duration(h.wait_p90)} ou moins"
            )
        lines.append(f"{taken} ; terminés sans prise en charge : {h.not_taken}")
    if s.answers:
        scores = " · ".join(f"note {k} : {n}" for k, n in sorted(s.by_score.items()))
        mean = _number(s.mean, 2) if s.mean is not None else "—"
        lines.append(f"Satisfaction ({s.answers} réponses) : {scores} ; moyenne {mean}/3")
    else:
        lines.append("Satisfaction : aucune réponse")
    return lines


def _request_lines(report: Report) -> list[str]:
    r = report.requests
    lines = [f"📨 Demandes de contact : {r.total}"]
    if r.total:
        lines[0] += f" ({_joined(r.by_status, STATUSES)})"
    lines.append(
        f"Délai de réponse de 10 jours : {r.breached} hors délai sur {r.due} arrivées à échéance"
    )
    if report.territories:
        places = " · ".join(
            f"{'non renseigné' if t.departement == UNKNOWN_DEPARTEMENT else t.departement} : "
            f"{t.handoffs} / {t.requests}"
            for t in report.territories
        )
        lines.append(f"📍 Par département (relais / demandes) : {places}")
    return lines


FOLLOW_UP_LABELS = {"oui": "utile", "moyen": "moyen", "non": "pas utile"}


def _after_meeting_lines(report: Report) -> list[str]:
    a = report.after_meetings
    if not a.follow_ups:
        return ["🤝 Après les rencontres : aucun suivi envoyé"]
    answered = sum(a.answers.values())
    return [
        f"🤝 Après les rencontres : {a.follow_ups} « c'était utile ? » envoyés, "
        f"{answered} réponses ({_joined(a.answers, FOLLOW_UP_LABELS)})",
        f"Retours des ambassadeurs et entreprises (charte) : {a.reports_recorded} "
        f"enregistrés sur {a.reports_asked} demandés",
    ]


def render_text(report: Report) -> str:
    """A compact French summary that fits one Telegram message (< 4000 characters)."""
    days = report.conversations.per_day
    first = days[0].day if days else report.since.date()
    last = days[-1].day if days else report.until.date()
    span = max(round((report.until - report.since).total_seconds() / 86400), 1)
    header = f"📊 Statistiques du {first:%d/%m/%Y} au {last:%d/%m/%Y} ({span} jours)"
    if report.departement:
        header += f", département {report.departement}"
    lines = [
        header,
        "",
        *_conversation_lines(report),
        "",
        *_handoff_lines(report),
        "",
        *_request_lines(report),
        *_after_meeting_lines(report),
    ]
    message = "\n".join(lines)
    while len(message) > MAX_CHARS and any(line.startswith("• ") for line in lines):
        lines.pop(max(i for i, line in enumerate(lines) if line.startswith("• ")))
        message = "\n".join(lines)
    return message if len(message) <= MAX_CHARS else message[: MAX_CHARS - 1] + "…"
