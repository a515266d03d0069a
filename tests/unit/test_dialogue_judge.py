"""The dialogue benchmark's judge: what a user sees, classified against a question's labels."""

from __future__ import annotations

from typing import Any

from bench.dialogue_judge import CLARIFY, RIGHT, UNKNOWN, WRONG, Judge
from parcours.faq import catalogue

JUDGE = Judge.build()
PM = "le numéro gratuit Parcours Métier"


def said(*texts: str, buttons: list[dict[str, str]] | None = None, handoff: str = "bot") -> Any:
    replies: list[dict[str, Any]] = [{"text": t} for t in texts]
    if buttons:
        replies[-1]["buttons"] = buttons
    return {"user": "u", "replies": replies, "handoff": handoff}


def answer(key: str, vous: bool = False) -> str:
    entry = catalogue().by_key()[key]
    return (entry.answer_vous if vous else entry.answer).format(pm_number=PM)


def question(*accept: str, **extra: Any) -> dict[str, Any]:
    return {"id": "q", "text": "…", "accept": list(accept), **extra}


def test_the_catalogue_answer_expected_is_right_in_both_registers() -> None:
    for vous in (False, True):
        verdict = JUDGE.judge(question("faq:cleor"), said(answer("cleor", vous)))
        assert (verdict.outcome, verdict.what) == (RIGHT, "faq:cleor")


def test_another_catalogue_answer_is_wrong() -> None:
    verdict = JUDGE.judge(question("faq:decrochage_situation"), said(answer("salaire_metier")))
    assert verdict.outcome == WRONG


def test_an_honest_entry_about_another_topic_is_wrong_for_an_off_topic_question() -> None:
    verdict = JUDGE.judge(question("unknown"), said(answer("cpf")))
    assert verdict.outcome == WRONG


def test_a_clarifying_question_is_told_apart_and_notes_whether_the_right_option_is_offered() -> (
    None
):
    buttons = [
        {"title": "Apprentissage", "payload": '/faq_confirm{"faq_key":"apprentissage"}'},
        {"title": "Autre chose", "payload": "/deny"},
    ]
    verdict = JUDGE.judge(question("faq:apprentissage"), said("Tu parles de… ?", buttons=buttons))
    assert verdict.outcome == CLARIFY
    assert verdict.candidates == ("apprentissage",)
    assert verdict.detail == "right option offered"


def test_an_honest_abstention_is_right_off_topic_and_an_honest_unknown_in_scope() -> None:
    text = f"Je ne suis pas sûr de bien comprendre ta question. Appelle {PM}."
    abstain = said(text, buttons=[{"title": "Parler à un conseiller", "payload": "/ask_human"}])
    assert JUDGE.judge(question("unknown"), abstain).outcome == RIGHT
    assert JUDGE.judge(question("faq:cleor"), abstain).outcome == UNKNOWN


def test_a_search_started_is_right_when_expected_and_wrong_otherwise() -> None:
    started = said(
        "Cherchons un stage découverte (3 à 5 jours en entreprise). Près de quelle commune ?"
    )
    assert JUDGE.judge(question("flow:ministage"), started).outcome == RIGHT
    assert JUDGE.judge(question("faq:decrochage_numero"), started).outcome == WRONG


def test_asking_again_for_a_place_already_given_is_not_counted_right() -> None:
    started = said("Cherchons un stage découverte. Près de quelle commune ? (son nom)")
    verdict = JUDGE.judge(question("flow:ministage", slots={"town": "Caen"}), started)
    assert verdict.outcome == CLARIFY


def test_a_handoff_is_right_only_when_a_person_is_what_is_needed() -> None:
    waiting = said("Je passe la main à un conseiller.", handoff="waiting")
    assert JUDGE.judge(question("handoff"), waiting).outcome == RIGHT
    assert JUDGE.judge(question("faq:cleor"), waiting).outcome == UNKNOWN


def test_an_answer_with_no_referral_is_wrong() -> None:
    assert JUDGE.judge(question("unknown"), said("Merci, c'est noté.")).outcome == WRONG
