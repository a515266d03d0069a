"""Every text that speaks to the user exists in both registers: `tu` for young people, `vous`
for parents and professionals.

(a) A domain response whose default (tu) variant addresses the user in the second person
    singular has a variant conditioned on `register: vous`, and no vous variant says tu.
(b) Every text of `bot/texts.py` is a {"tu": …, "vous": …} pair whose vous text says no tu.
(c) No string literal of actions/, bot/ or the shared services that word user messages
    (request notices and errors) says tu outside a {"tu": …, "vous": …} pair, whose vous
    text says no tu (user-facing French belongs to the domain, to `bot/texts.py` or to such
    pairs), except the short allow-list below.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from tests.unit.responses import ROOT, responses

#: Ambiguous imperatives ("demande" is also a noun, "appelle" a third person): they count only
#: where an order starts (text start, after a sentence or a comma, after "ou", "et", "puis").
_AMBIGUOUS_IMPERATIVES = (
    "appelle|demande|donne|pose|regarde|partage|montre|va|fais|commence|vérifie|consulte|"
    "relance|écoute|indique|note|parle|prends|utilise|contacte|cherche|continue|profite|"
    "rends|viens|reviens|sois|passe|précise|envoie|essaie|essaye|réessaie|réessaye|attends|"
    "reformule|lis|dis|trouve|garde"
)
_ORDER_STARTS = r"(?:^|[^\w\s,'’«»/{})\-]\s*|,\s*(?:(?:ou|et|puis)\s+)?|\b(?:ou|et|puis)\s+)"
TU_FORM = re.compile(
    # pronouns and possessives: tu, te, toi, ton, ta, tes, le tien…
    r"\b(?:tu|te|toi|ton|ta|tes|tien|tienne|tiens|tiennes)\b"
    # t' before a verb: t'aider, t'intéresse, t'a-t-il
    r"|\bt['’](?=\w)"
    # imperatives that are nothing else
    r"|\b(?:choisis|écris|tape|clique)\b"
    # an imperative with its pronoun: demande-lui, écris-moi, parles-en, adresse-toi, vas-y
    # (not the vous forms in -ez, "dites-moi", "faites-le", nor "allons-y")
    r"|\b\w*(?:e|(?<!on)(?<!dite)(?<!faite)s)-(?:moi|lui|leur|le|la|les|en|y|toi)\b"
    # ambiguous imperatives where an order starts, not "Demande n°3" nor "demande de…"
    rf"|{_ORDER_STARTS}(?:{_AMBIGUOUS_IMPERATIVES})\b(?!\s*n°)(?!\s+(?:de|du|des)\b|\s+d['’])"
    r"(?!\s+(?:non|pas)\b)(?=\s+\S)"
    # …or alone, capitalised, as a fragment of a sentence built in code ("Essaie")
    rf"|(?-i:^(?:{_AMBIGUOUS_IMPERATIVES.title()})$)",
    re.IGNORECASE,
)


def tu_forms(text: str) -> list[str]:
    """The second-person-singular forms in `text` (empty when it says none)."""
    return [m.group().strip(" ,.;:!?") for m in TU_FORM.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Tu peux appeler",
        "Je peux t'aider",
        "Pour mieux t’aider",
        "Ta demande est transmise",
        "je garde ton profil",
        "Voici ce que je peux faire pour toi :",
        "Je n'ai pas compris : choisis un bouton.",
        "Écris ta question",
        "Pose-moi une question",
        "appelle {pm_number} (demande-lui les coordonnées)",
        "Reviens quand tu veux, ou appelle le numéro.",
        "Essaie un autre mot.",
        "Oups. Réessaie dans un instant.",
        "Réessaie dans un instant, ou tape /humain.",
        "Je ne discute qu'en privé : écris-moi directement",
        "cet échange t'a-t-il aidé ?",
        "parles-en à un adulte",
        "Es-tu disponible ?",
        "Quand es-tu disponible ?",
    ],
)
def test_tu_forms_are_found(text: str) -> None:
    assert tu_forms(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Tout le monde peut appeler, tout de suite, c'est gratuit.",
        "Un tableau des étudiants et des étudiantes, en toute tranquillité.",
        "Vous pouvez appeler {pm_number} : demandez-lui les coordonnées.",
        "C'est envoyé ✅ Demande n°3. Où en est ma demande ?",
        "Faire une demande · La demande n°2 est annulée.",
        "Rendez-vous au CIO ; allons-y ensemble. Pouvez-vous préciser ?",
        "Un conseiller va vous répondre ; la convention passe par le collège.",
        "Cet échange vous a-t-il aidé ? Je ne trouve pas la commune.",
        "Nos conseillers : note non transmise. Cette fiche n'existe plus.",
        "Le stage dure 3 à 5 jours, en entreprise. Hérouville-Saint-Clair, Saint-Lô.",
        "can't, don't, won't: English logs",
        "Écrivez-moi votre question, ou tapez /humain. Essayez un autre mot.",
        "Dites-moi si vous avez d'autres questions ; faites-le savoir.",
    ],
)
def test_other_words_are_not_taken_for_tu_forms(text: str) -> None:
    assert tu_forms(text) == [], text


# --- (a) domain responses -------------------------------------------------------------------


def _said(variant: dict[str, Any]) -> str:
    """What a variant shows: its text and its button titles."""
    titles = [str(b.get("title", "")) for b in variant.get("buttons") or []]
    return "\n".join([str(variant.get("text") or ""), *titles])


def _is_vous(variant: dict[str, Any]) -> bool:
    return any(
        c.get("name") == "register" and c.get("value") == "vous"
        for c in variant.get("condition") or []
    )


def test_every_response_that_says_tu_has_a_vous_variant_without_tu() -> None:
    problems = []
    for name, variants in sorted(responses().items()):
        defaults = [v for v in variants if not v.get("condition")]
        vous = [v for v in variants if _is_vous(v)]
        says_tu = [forms for v in defaults if (forms := tu_forms(_said(v)))]
        if says_tu and not vous:
            problems.append(f"{name}: tu only ({', '.join(says_tu[0])})")
        for variant in vous:
            if forms := tu_forms(_said(variant)):
                problems.append(f"{name}: the vous variant says {forms}")
    assert problems == []


def test_the_response_files_are_read() -> None:
    names = set(responses())
    assert {"utter_menu", "utter_greet_new", "utter_request_sent"} <= names
    assert any(name.startswith("utter_faq/") for name in names)


# --- (b) the front end's own texts ----------------------------------------------------------


def _constants() -> dict[str, Any]:
    return {name: value for name, value in vars(texts).items() if name.isupper()}


def test_every_text_of_the_front_end_is_a_pair_and_its_vous_text_says_no_tu() -> None:
    pairs = {n: v for n, v in _constants().items() if isinstance(v, dict)}
    assert len(pairs) >= 20  # the module was read
    for name, pair in pairs.items():
        assert set(pair) == {"tu", "vous"}, name
        assert all(isinstance(text, str) and text.strip() for text in pair.values()), name
        assert tu_forms(pair["vous"]) == [], (name, pair["vous"])
        if tu_forms(pair["tu"]):
            assert pair["vous"] != pair["tu"], name


def test_no_text_of_the_front_end_says_tu_outside_a_pair() -> None:
    alone = {n: v for n, v in _constants().items() if isinstance(v, str) and tu_forms(v)}
    assert alone == {}


def test_say_picks_the_register_and_defaults_to_tu() -> None:
    assert texts.say(texts.RATED, "vous") == texts.RATED["vous"]
    assert texts.say(texts.RATED, "tu") == texts.RATED["tu"]
    assert texts.say(texts.RATED, None) == texts.RATED["tu"]


# --- (c) no tu-only French left in code -----------------------------------------------------

#: Literals that may say tu, with the reason (path relative to the repository, exact text).
ALLOWED: dict[tuple[str, str], str] = {
    (
        "bot/terminal.py",
        "Assistant {assistant_of} — démo dans le terminal.\n"
        "Écris comme sur Telegram. Tape le numéro d'un bouton pour le choisir, "
        "'quitter' pour sortir.\n",
    ): "the terminal demo's banner, for developers, not a user channel",
    (
        "actions/faq.py",
        "tu peux",
    ): "the FAQ's places intro (an inline tu/vous choice): not owned by this change (to move "
    "to a domain response)",
}
#: Whole files that are not user-facing: the coordinators' texts (always vous).
NOT_USER_FACING = {"bot/staff_texts.py"}
#: Shared services whose texts reach the user (request notices, request errors).
USER_FACING_SERVICES = (
    "parcours/services/notifications.py",
    "parcours/services/contact_requests.py",
    "parcours/services/meeting_texts.py",
    "parcours/services/meeting_calendar.py",
)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (modules, classes, functions)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ) and (
            node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        ):
            found.add(id(node.body[0].value))
    return found


def _in_pairs(tree: ast.AST) -> set[int]:
    """ids of the values of {"tu": …, "vous": …} dict displays (the tu text has its pair)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"tu", "vous"} <= keys:
                found.update(id(sub) for value in node.values for sub in ast.walk(value))
    return found


def tu_literals(path: Path) -> list[tuple[int, str]]:
    """String literals of a source file that say tu (line, text), docstrings, register
    names and pairs aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _docstrings(tree) | _in_pairs(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and node.value not in ("tu", "vous")
        and tu_forms(node.value)
    ]


def _sources() -> list[Path]:
    return sorted(
        [
            *(ROOT / "actions").glob("*.py"),
            *(ROOT / "bot").glob("*.py"),
            *(ROOT / p for p in USER_FACING_SERVICES),
        ]
    )


def _vous_texts(path: Path) -> list[tuple[int, str]]:
    """The constant vous texts of the {"tu": …, "vous": …} dict displays of a source file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "vous"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found.append((node.lineno, value.value))
    return found


def test_no_user_facing_french_says_tu_only_in_code() -> None:
    found = []
    for path in _sources():
        relative = path.relative_to(ROOT).as_posix()
        if relative in NOT_USER_FACING:
            continue
        for line, text in tu_literals(path):
            if (relative, text) not in ALLOWED:
                found.append(f"{relative}:{line}: {text!r} says {tu_forms(text)}")
    assert found == [], "move these to a domain response or a bot/texts.py pair"


def test_the_vous_text_of_every_pair_in_code_says_no_tu() -> None:
    pairs = {(path, line, text) for path in _sources() for line, text in _vous_texts(path)}
    assert {p.relative_to(ROOT).as_posix() for p, _, _ in pairs} >= set(USER_FACING_SERVICES)
    found = [
        f"{p.relative_to(ROOT)}:{line}: {text!r}" for p, line, text in pairs if tu_forms(text)
    ]
    assert found == []


def test_the_allow_list_has_no_stale_entry() -> None:
    literals = {
        (path.relative_to(ROOT).as_posix(), text)
        for path in _sources()
        for _, text in tu_literals(path)
    }
    assert set(ALLOWED) <= literals


def test_the_scan_catches_an_inline_tu_text(tmp_path: Path) -> None:
    source = tmp_path / "action.py"
    source.write_text(
        '"""Docstring: tu."""\n'
        'PAIR = {"tu": "Tu peux", "vous": "Vous pouvez"}\n'
        "def f(vous):\n    return f\"{'Essayez' if vous else 'Essaie'} un autre mot\"\n"
    )
    assert [text for _, text in tu_literals(source)] == ["Essaie"]


# --- responses uttered by actions exist ----------------------------------------------------


def _uttered() -> set[str]:
    """Response names given as a constant to `utter_message(response=…)` in actions/."""
    names = set()
    for path in (ROOT / "actions").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    value = keyword.value
                    if (
                        keyword.arg == "response"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        names.add(value.value)
    return names


def test_every_response_an_action_utters_is_in_the_domain() -> None:
    uttered = _uttered()
    assert "utter_request_sent" in uttered
    assert uttered - set(responses()) == set()
