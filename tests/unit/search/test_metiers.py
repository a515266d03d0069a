"""Métier search over knowledge/metiers.csv: typos, SMS, slang, interests, nothing found."""

from __future__ import annotations

import pytest

from parcours import KNOWLEDGE_DIR
from parcours.search.metiers import MIN_SCORE, MetierIndex
from parcours.search.normalize import fold


@pytest.fixture(scope="module")
def metiers() -> MetierIndex:
    return MetierIndex.from_csv(KNOWLEDGE_DIR / "metiers.csv")


def test_the_catalogue_is_indexed(metiers: MetierIndex) -> None:
    assert len(metiers) >= 300
    boulanger = metiers.get("boulanger")
    assert boulanger is not None
    assert boulanger.secteur == "alimentation"
    assert "mitron" in boulanger.synonymes
    assert "animaux" in metiers.sectors


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("boulanjer", "boulanger"),
        ("boulanger", "boulanger"),
        ("Boulangère", "boulanger"),
        ("je veux etre boulanjer", "boulanger"),
        ("infirmiere", "infirmier"),
        ("Infirmière", "infirmier"),
        ("jveu etre infirmiere ds un hopital", "infirmier"),
        ("dev web", "dev_web"),
        ("métier de dev web", "dev_web"),
        ("mecano", "mecanicien_auto"),
        ("mécano", "mecanicien_auto"),
        ("plombié", "plombier"),
        ("coifeuse", "coiffeur"),
        ("youtubeur", "createur_contenu"),
        ("aide soignante", "aide_soignant"),
        ("véto", "veterinaire"),
    ],
)
def test_query_finds_the_metier_first(metiers: MetierIndex, query: str, code: str) -> None:
    found = metiers.search(query)
    assert found, query
    assert found[0].code == code


def test_a_match_says_what_it_matched_on(metiers: MetierIndex) -> None:
    best = metiers.search("dev web")[0]
    assert best.matched_on == "dev web"
    assert best.libelle.startswith("Développeur")
    assert best.secteur == "numerique"
    assert MIN_SCORE <= best.score <= 100
    assert metiers.search("mecano")[0].matched_on == "mécano"


def test_an_exact_libelle_scores_100(metiers: MetierIndex) -> None:
    best = metiers.search("Boulanger")[0]
    assert (best.code, best.score, best.matched_on) == ("boulanger", 100, "Boulanger")


def test_interests_lead_to_the_metiers_of_the_sector_or_keyword(metiers: MetierIndex) -> None:
    found = metiers.search("travailler avec les animaux", limit=10)
    assert len(found) == 10
    for match in found:
        metier = metiers.get(match.code)
        assert metier is not None
        keywords = {kw.casefold() for kw in metier.mots_cles}
        assert metier.secteur == "animaux" or "animaux" in keywords, match
    assert [m.code for m in metiers.search("j'aime les animaux")][:3] == [
        m.code for m in found[:3]
    ]


def test_results_are_sorted_and_limited(metiers: MetierIndex) -> None:
    found = metiers.search("informatique", limit=7)
    assert len(found) == 7
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert len({m.code for m in found}) == 7
    assert metiers.search("informatique", limit=0) == []


@pytest.mark.parametrize(
    "query",
    ["azerty", "qsdfgh", "xyz", "asdf", "1234", "", "   ", "je veux travailler", "bonjour", "???"],
)
def test_nothing_found(metiers: MetierIndex, query: str) -> None:
    assert metiers.search(query) == []


def test_slang_comes_from_synonyms_only(metiers: MetierIndex) -> None:
    # "dev" is a synonym of dev_web in the catalogue, not a global rewrite of the query.
    assert metiers.query_key("dev") == "dev"
    assert metiers.search("dev")[0].code == "dev_web"


def test_by_sector(metiers: MetierIndex) -> None:
    animaux = metiers.by_sector("animaux")
    assert animaux
    assert all(m.secteur == "animaux" for m in animaux)
    assert "veterinaire" in {m.code for m in animaux}
    libelles = [m.libelle for m in animaux]
    assert libelles == sorted(libelles, key=fold)
    assert metiers.by_sector("Santé") == metiers.by_sector("sante")
    assert metiers.by_sector("hotellerie restauration") == metiers.by_sector(
        "hotellerie_restauration"
    )
    assert metiers.by_sector("azerty") == []
    assert metiers.by_sector("") == []


# --- a small catalogue, independent of the data file --------------------------------------

ROWS = [
    {
        "code": "boulanger",
        "libelle": "Boulanger / Boulangère",
        "secteur": "alimentation",
        "synonymes": "mitron|boulangère",
        "mots_cles": "pain|farine",
    },
    {
        "code": "infirmier_bloc",
        "libelle": "Infirmier / Infirmière de bloc opératoire",
        "secteur": "sante",
        "synonymes": "ibode",
        "mots_cles": "hôpital",
    },
    {
        "code": "infirmier",
        "libelle": "Infirmier / Infirmière",
        "secteur": "sante",
        "synonymes": "ide",
        "mots_cles": "hôpital|soins",
    },
    {
        "code": "toiletteur",
        "libelle": "Toiletteur / Toiletteuse d'animaux",
        "secteur": "animaux",
        "synonymes": "",
        "mots_cles": "chiens|chats",
    },
]


@pytest.fixture(scope="module")
def small() -> MetierIndex:
    return MetierIndex.from_rows(ROWS)


def test_from_rows(small: MetierIndex) -> None:
    assert len(small) == 4
    assert small.search("mitron")[0].code == "boulanger"
    assert small.search("pain")[0].matched_on == "pain"


def test_a_short_gendered_form_takes_the_end_of_the_libelle(small: MetierIndex) -> None:
    # "Infirmier / Infirmière de bloc opératoire" is not a libellé "Infirmier".
    found = small.search("infirmier")
    assert found[0].code == "infirmier"
    assert found[0].score == 100
    assert found[1].code == "infirmier_bloc"
    assert found[1].score < 100


def test_keywords_weigh_less_than_libelles(small: MetierIndex) -> None:
    (match,) = small.search("chiens")
    assert match.code == "toiletteur"
    assert match.score < 90
    assert small.search("animaux")[0].code == "toiletteur"


def test_typos_are_corrected_against_the_catalogue_words(small: MetierIndex) -> None:
    assert small.query_key("boulanjer") == "boulanger"
    assert small.query_key("toiletteuses") == "toiletteur"
    assert small.query_key("azerty") == "azerty"
