"""`python -m parcours stats|purge`: the activity report and the retention purge.

`stats` prints the same French summary as `/stats` in the staff chat (or JSON); `purge`
is run daily by a scheduler. The Telegram bot deletes the staff forum topics `purge`
lists; from the command line they are printed so that a coordinator can delete them.
"""

from __future__ import annotations

import argparse
import json

from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.services import retention, stats, stats_text
from parcours.settings import get_settings

PURGE_LABELS = {
    "forgotten_users": "utilisateurs inactifs oubliés",
    "staff_topics": "sujets du groupe des coordinateurs à supprimer",
    "tracker_events": "événements de conversation (Rasa)",
    "processed_messages": "messages traités",
    "pending_messages": "messages en attente",
    "outbox_messages": "notifications envoyées",
    "handoffs": "relais terminés",
    "contact_requests": "demandes de contact terminées",
    "web_messages": "messages du chat web",
}


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `stats` and `purge` sub-commands."""
    report = sub.add_parser("stats", help="activity report (conversations, relays, requests)")
    report.add_argument("--days", type=int, default=30, help="period length, up to now")
    report.add_argument("--departement", help="department code, e.g. 14")
    report.add_argument("--json", action="store_true", help="JSON instead of text")
    purge = sub.add_parser("purge", help="delete what is older than RETENTION_DAYS")
    purge.add_argument("--dry-run", action="store_true", help="count only, change nothing")
    report.set_defaults(run=run_stats)
    purge.set_defaults(run=run_purge)


def run_stats(args: argparse.Namespace) -> int:
    """`stats`: the report of the last `--days` days, as text or JSON."""
    if args.days < 1:
        print("--days doit être au moins 1")
        return 2
    settings = get_settings()
    since, until = stats.last_days(args.days)
    with session_scope() as session:
        report = stats.build_report(
            session, settings, since=since, until=until, departement=args.departement
        )
    if args.json:
        print(json.dumps(stats.as_dict(report), ensure_ascii=False, indent=2))
    else:
        print(stats_text.render_text(report))
    return 0


def run_purge(args: argparse.Namespace) -> int:
    """`purge`: delete (or with `--dry-run` count) what is older than the retention."""
    settings = get_settings()
    with session_scope() as session:
        result = retention.purge(session, settings, now=utcnow(), dry_run=args.dry_run)
        if args.dry_run:
            session.rollback()
    title = "Simulation (rien n'est supprimé)" if args.dry_run else "Purge"
    print(f"{title} : conservation {settings.retention_days} jours")
    for kind, count in result.counts().items():
        print(f"  {PURGE_LABELS[kind]} : {count}")
    for topic in result.topics:
        print(f"  sujet à supprimer : chat {topic.chat_id}, fil {topic.thread_id}")
    return 0
