"""`python -m parcours requests …`: coordinators record answers; a scheduler runs `tick`.

Ambassadors and companies are not on Telegram: a coordinator records their answer here
(or, later, from the staff topic); the user is told through the outbox.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, time

from sqlalchemy import select

from parcours.db.base import utcnow
from parcours.db.engine import session_scope
from parcours.models import ContactRequest
from parcours.services import contact_requests as cr
from parcours.services import meetings
from parcours.settings import get_settings


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the `requests` sub-commands."""
    parser = sub.add_parser("requests", help="contact requests (coordinators)")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="list requests")
    listing.add_argument("--status", choices=[s.value for s in cr.R])
    answer = actions.add_parser("answer", help="record an ambassador's or company's answer")
    answer.add_argument("id", type=int)
    answer.add_argument("decision", choices=["accept", "decline"])
    answer.add_argument("--date", type=date.fromisoformat, help="proposed date AAAA-MM-JJ")
    answer.add_argument("--time", type=time.fromisoformat, help="meeting time HH:MM")
    answer.add_argument("--place", default="", help="where the meeting takes place")
    answer.add_argument("--note", default="")
    answer.add_argument("--by", default="cli", help="who records it")
    done = actions.add_parser("done", help="the meeting or mini-stage took place")
    done.add_argument("id", type=int)
    done.add_argument("--report", required=True)
    done.add_argument("--by", default="cli")
    actions.add_parser(
        "tick", help="due reminders, expiry; meetings' reminders and follow-ups (queued)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Execute a `requests` sub-command; French messages, exit code 1 on refusal."""
    try:
        with session_scope() as session:
            if args.action == "list":
                query = select(ContactRequest).order_by(ContactRequest.id)
                if args.status:
                    query = query.where(ContactRequest.status == args.status)
                for r in session.scalars(query):
                    print(
                        f"n°{r.id}\t{r.status}\t{r.target_type}:{r.target_key}\t"
                        f"échéance {r.due_at:%d/%m/%Y}\t{r.availability}"
                    )
            elif args.action == "answer":
                request = cr.record_answer(
                    session,
                    request_id=args.id,
                    accepted=args.decision == "accept",
                    actor=args.by,
                    now=utcnow(),
                    proposed_date=args.date,
                    note=args.note,
                    at=args.time,
                    place=args.place,
                    settings=get_settings(),
                )
                print(f"demande n°{request.id} : {request.status}")
            elif args.action == "done":
                request = cr.mark_done(
                    session, request_id=args.id, actor=args.by, report=args.report
                )
                print(f"demande n°{request.id} : {request.status}")
            else:
                counts = cr.tick(session, now=utcnow())
                print(f"relances : {counts['reminded']}, expirées : {counts['expired']}")
                after = meetings.tick(session, get_settings(), now=utcnow())
                print(
                    f"rappels de rendez-vous : {after['reminders']}, "
                    f"suivis : {after['follow_ups']}, retours demandés : {after['reports_asked']}"
                )
    except cr.RequestError as exc:
        print(f"refusé : {exc}", file=sys.stderr)
        return 1
    return 0
