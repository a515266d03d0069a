"""Métier search over knowledge/metiers.csv: typos, SMS, slang, interests, nothing found; and
with the ROME 4.0 of knowledge/rome_metiers.csv: the same, plus official and rare wordings."""

from __future__ import annotations

import pytest

from parcours import KNOWLEDGE_DIR
from parcours.search.metiers import MIN_SCORE, MetierIndex
from parcours.search.normalize import fold


@pytest.fixture(scope="module", params=["catalogue", "with_rome"])
def metiers(request: pytest.FixtureRequest) -> MetierIndex:
    """The catalogue alone, then with the ROME: every test below holds for both."""
    if request.param == "catalogue":
        return MetierIndex.from_csv(KNOWLEDGE_DIR / "metiers.csv")
    return rome_index()


_ROME_INDEX: list[MetierIndex] = []


def rome_index() -> MetierIndex:
    """The catalogue with the ROME, built once."""
    if not _ROME_INDEX:
        _ROME_INDEX.append(
            MetierIndex.from_csv(
                KNOWLEDGE_DIR / "metiers.csv", rome=KNOWLEDGE_DIR / "rome_metiers.csv"
            )
        )
    return _ROME_INDEX[0]


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


# --- the ROME 4.0 ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_rome() -> MetierIndex:
    return rome_index()


def test_the_rome_is_indexed(with_rome: MetierIndex) -> None:
    assert len(with_rome.metiers) == 524
    assert len(with_rome.rome_metiers) == 1020  # ROME métiers that no hand-written one lists
    assert len(with_rome) == 1544
    boulanger = with_rome.get("boulanger")
    assert boulanger is not None
    assert boulanger.rome == ("D1102",)
    assert with_rome.get("D1102") is None  # listed by boulanger: not a métier of its own
    taxidermiste = with_rome.get("B1701")
    assert taxidermiste is not None
    assert (taxidermiste.libelle, taxidermiste.from_rome) == ("Taxidermiste", True)


@pytest.mark.parametrize(
    ("query", "code", "matched_on"),
    [
        # an official wording that is not in the catalogue finds the hand-written métier
        ("combattant en milieu terrestre", "soldat_armee_terre", "Combattant en milieu terrestre"),
        ("chef de chantier travaux publics", "chef_chantier", "Chef de chantier travaux publics"),
        ("combattante en milieu maritime", "marin_marine_nationale", None),
        ("infirmière en soins généraux", "infirmier", None),
        # a rare métier that the catalogue does not have is still recognised
        ("taxidermiste", "B1701", "Taxidermiste"),
        ("pisteuse secouriste", "K1726", "Pisteur secouriste"),
        ("patrouilleur vtt", "A1214", "Patrouilleur modeleur VTT"),
        ("boulanger", "boulanger", "Boulanger"),  # the catalogue first
    ],
)
def test_rome_wordings_find_the_metier(
    with_rome: MetierIndex, query: str, code: str, matched_on: str | None
) -> None:
    best = with_rome.search(query)[0]
    assert best.code == code
    if matched_on is not None:
        assert best.matched_on == matched_on


def test_a_rome_metier_of_its_own_ranks_below_the_catalogue(with_rome: MetierIndex) -> None:
    rare = with_rome.search("taxidermiste")[0]
    assert rare.from_rome
    assert rare.rome == ("B1701",)
    assert rare.score == 90  # an exact ROME libellé: 0.9
    assert with_rome.search("boulanger")[0].score == 100
    # "Chef boulanger" (D1108) is a ROME métier of its own, behind the boulanger
    assert [m.code for m in with_rome.search("boulanjer", limit=2)] == ["boulanger", "D1108"]


def test_rome_metiers_of_their_own_get_a_sector_and_stay_out_of_by_sector(
    with_rome: MetierIndex,
) -> None:
    taxidermiste = with_rome.get("B1701")
    assert taxidermiste is not None
    assert taxidermiste.secteur == "art_culture"  # like the B1… métiers of the catalogue
    assert all(not m.from_rome for m in with_rome.by_sector("art_culture"))
    assert with_rome.sectors == MetierIndex.from_csv(KNOWLEDGE_DIR / "metiers.csv").sectors


def test_one_word_of_a_long_rome_libelle_is_not_enough(with_rome: MetierIndex) -> None:
    # "animaux" is in "Conducteur de transport routier d'animaux vivants" (N4125, of its own)
    found = with_rome.search("animaux", limit=20)
    assert "N4125" not in {m.code for m in found}
    assert not any(m.from_rome for m in found)


ROME_ROWS = [
    {"rome_code": "D1102", "libelle": "Boulanger / Boulangère", "appellations": "Mitron"},
    {"rome_code": "D1108", "libelle": "Chef boulanger / Cheffe boulangère"},
    {"rome_code": "A1501", "libelle": "Auxiliaire vétérinaire", "appellations": "ASV|Assistant"},
    {"rome_code": "B1701", "libelle": "Taxidermiste", "appellations": "Naturaliste"},
]


def test_rome_rows_from_rows() -> None:
    rows = [{**row, "rome": "d1102 A1501"} if row["code"] == "boulanger" else row for row in ROWS]
    index = MetierIndex.from_rows(rows, ROME_ROWS)
    assert index.get("boulanger") is not None
    assert [m.code for m in index.rome_metiers] == ["D1108", "B1701"]
    # an appellation of a listed ROME métier is a wording of the hand-written métier
    best = index.search("auxiliaire vétérinaire")[0]
    assert (best.code, best.matched_on, best.rome) == (
        "boulanger",
        "Auxiliaire vétérinaire",
        ("D1102", "A1501"),
    )
    assert index.search("naturaliste")[0].code == "B1701"  # appellation of its own
    b1701 = index.get("B1701")
    assert b1701 is not None
    assert b1701.secteur == ""  # no hand-written métier in B: no sector
    d1108 = index.get("D1108")
    assert d1108 is not None
    assert d1108.secteur == "alimentation"  # D11, like the boulanger
