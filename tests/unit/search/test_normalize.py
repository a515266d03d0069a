"""Folding of user text: accents, apostrophes, abbreviations, SMS spellings, stop words."""

from __future__ import annotations

import pytest

from parcours.search.normalize import (
    fold,
    looks_like_postal_code,
    metier_text_key,
    normalize_commune_query,
    normalize_metier_query,
    postal_code_of,
    stem,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("L'Abergement-Clémenciat", "l abergement clemenciat"),
        ("SAINT-LÔ", "saint lo"),
        ("Schœnenbourg", "schoenenbourg"),
        ("Conflent-Canigó", "conflent canigo"),
        ("aujourd’hui  —  ça va ?", "aujourd hui ca va"),
        ("Straße", "strasse"),
        ("", ""),
    ],
)
def test_fold_strips_case_accents_and_punctuation(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("St-Lô", "saint lo"),
        ("st lo", "saint lo"),
        ("Ste Mère Église", "sainte mere eglise"),
        ("Condé s/ Vire", "conde sur vire"),
        ("Condé-s/-Vire", "conde sur vire"),
        ("Saint-Pierre-s/s-Dives", "saint pierre sous dives"),
        ("Mt St Michel", "mont saint michel"),
        ("j'habite à Caen", "caen"),
        ("je suis de Lisieux", "lisieux"),
        ("Le Havre", "le havre"),
        ("stella", "stella"),
    ],
)
def test_commune_queries_expand_place_name_abbreviations(text: str, normalized: str) -> None:
    assert normalize_commune_query(text) == normalized


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Je veux travailler dans la boulangerie", "boulangerie"),
        ("jveu etre infirmiere ds un hopital", "infirmiere hopital"),
        ("travailler avec les animaux", "animaux"),
        ("j'aimerais faire le métier de dev web", "dev web"),
        ("moi jsp koi faire plus tard", ""),
        ("je veux travailler", ""),
        ("avc les animo", "animaux"),
    ],
)
def test_metier_queries_rewrite_sms_and_drop_stop_words(text: str, normalized: str) -> None:
    assert normalize_metier_query(text) == normalized


def test_job_slang_is_not_rewritten_globally() -> None:
    assert normalize_metier_query("dev") == "dev"
    assert normalize_metier_query("mécano") == "mecano"


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("infirmieres", "infirmier"),
        ("animaux", "animal"),
        ("coiffeuse", "coiffeur"),
        ("animatrice", "animateur"),
        ("boulangere", "boulanger"),
        ("bureaux", "bureau"),
        ("bus", "bus"),
        ("dev", "dev"),
    ],
)
def test_stem_maps_feminine_and_plural_forms_to_one_word(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_metier_text_key_drops_link_words_and_stems() -> None:
    assert metier_text_key("Toiletteuse d'animaux") == "toiletteur animal"


@pytest.mark.parametrize("text", ["14000", "50000", " 14 000 ", "14.000", "20000", "97400"])
def test_postal_codes_are_recognised(text: str) -> None:
    assert looks_like_postal_code(text)


@pytest.mark.parametrize("text", ["1400", "140000", "00100", "99000", "caen", "14000 caen", ""])
def test_other_text_is_not_a_postal_code(text: str) -> None:
    assert not looks_like_postal_code(text)
    assert postal_code_of(text) is None


def test_postal_code_of_gives_the_five_digits() -> None:
    assert postal_code_of(" 14 000") == "14000"
