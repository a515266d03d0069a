"""Intents that the code and the domain must agree on, and how a button payload is written.

The domain (domain/*.yml) cannot import Python, so tests/unit/test_intent_lists.py checks
its copies against these lists, and scripts/validate.sh reads BUTTON_ONLY_INTENTS from here.
"""

from __future__ import annotations

import json

#: Intents that only a button sends: they have no NLU examples.
BUTTON_ONLY_INTENTS = frozenset(
    {"faq_confirm", "menu", "choose_target", "request_contact", "search_more", "share_location"}
)
#: Intents a button may carry to Rasa; anything else is a forged or stale payload.
BUTTON_INTENTS = BUTTON_ONLY_INTENTS | frozenset(
    {
        "set_role",
        "tell_age",
        "ask_human",
        "out_of_scope",
        "affirm",
        "deny",
        "greet",
        "help",
        "goodbye",
        "thank",
        "inform",
        "request_status",
        "cancel_request",
        "search_ministage",
        "search_ambassador",
        "where_to_go",
    }
)

#: Intents that interrupt a search or "où aller" form instead of answering its free-text
#: question (the `not_intent` of those slot mappings).
FORM_INTERRUPTIONS = (
    "faq",
    "ask_human",
    "help",
    "menu",
    "request_status",
    "cancel_request",
    "search_ambassador",
    "search_ministage",
    "deny",
    "safeguarding",
    "share_location",
    "where_to_go",
)
#: The request form's: no FAQ nor search intents, because a request message often names a
#: métier or asks a question ("elle aimerait observer le travail d'un vétérinaire") and is
#: still the message, not a new search.
REQUEST_INTERRUPTIONS = (
    "ask_human",
    "help",
    "menu",
    "request_status",
    "cancel_request",
    "deny",
    "safeguarding",
    "share_location",
)
#: The `not_intent` list of the free-text slot mappings, by the form that asks the slot.
NOT_INTENT_BY_FORM: dict[str, tuple[str, ...]] = {
    "ministage_form": FORM_INTERRUPTIONS,
    "ambassador_form": FORM_INTERRUPTIONS,
    "where_form": FORM_INTERRUPTIONS,
    "request_form": REQUEST_INTERRUPTIONS,
}


def payload(intent: str, **entities: str) -> str:
    """A button payload `/intent{"entity":"value"}` (JSON, never hand-built braces)."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}{json.dumps(entities, ensure_ascii=False, separators=(',', ':'))}"
