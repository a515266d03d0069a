"""Ranking of ambassador offers: métier match, then same EPCI > department > neighbour."""

from __future__ import annotations

import random

from parcours.search.ranking import (
    Candidate,
    Origin,
    Proximity,
    RankedCandidate,
    group_by_metier,
    proximity,
    rank_candidates,
)

CAEN_LA_MER, LISIEUX_NORMANDIE, SAINT_LO_AGGLO = "200065597", "200069532", "200066389"
# The user lives in Caen (Calvados, CU Caen la Mer).
USER = Origin(insee="14118", epci=CAEN_LA_MER, departement="14")


def offer(number: int, metier: str, insee: str, epci: str | None, departement: str) -> Candidate:
    return Candidate(
        id=number, metier_code=metier, insee=insee, epci=epci, departement=departement
    )


CANDIDATES = [
    offer(1, "boulanger", "75056", "200054781", "75"),  # Paris: elsewhere
    offer(2, "boulanger", "50502", SAINT_LO_AGGLO, "50"),  # Manche: neighbour of Calvados
    offer(3, "boulanger", "14366", LISIEUX_NORMANDIE, "14"),  # Calvados, other EPCI
    offer(4, "boulanger", "14327", CAEN_LA_MER, "14"),  # Hérouville, same EPCI
    offer(5, "boulanger", "14118", CAEN_LA_MER, "14"),  # Caen itself
    offer(6, "plombier", "14118", CAEN_LA_MER, "14"),  # other métier
    offer(7, "patissier", "14327", CAEN_LA_MER, "14"),  # related métier, lower score
    offer(8, "boulanger", "76540", "200023414", "76"),  # Rouen: Seine-Maritime, not neighbour
]


def ids(ranked: list[RankedCandidate]) -> list[int]:
    return [r.candidate.id for r in ranked]


def test_proximity_tiers() -> None:
    by_id = {c.id: c for c in CANDIDATES}
    assert proximity(USER, by_id[5]) is Proximity.SAME_EPCI
    assert proximity(USER, by_id[4]) is Proximity.SAME_EPCI
    assert proximity(USER, by_id[3]) is Proximity.SAME_DEPARTEMENT
    assert proximity(USER, by_id[2]) is Proximity.NEIGHBOUR_DEPARTEMENT
    assert proximity(USER, by_id[1]) is Proximity.ELSEWHERE
    assert proximity(USER, by_id[8]) is Proximity.ELSEWHERE


def test_same_epci_then_department_then_neighbour_and_far_ones_left_out() -> None:
    ranked = rank_candidates(CANDIDATES, {"boulanger": 100.0}, USER)
    # Same commune first within the EPCI; other métiers and other regions left out.
    assert ids(ranked) == [5, 4, 3, 2]
    assert [r.proximity for r in ranked] == [
        Proximity.SAME_EPCI,
        Proximity.SAME_EPCI,
        Proximity.SAME_DEPARTEMENT,
        Proximity.NEIGHBOUR_DEPARTEMENT,
    ]
    assert {r.metier_score for r in ranked} == {100.0}


def test_elsewhere_on_request_comes_last() -> None:
    ranked = rank_candidates(CANDIDATES, {"boulanger": 100.0}, USER, include_elsewhere=True)
    assert ids(ranked) == [5, 4, 3, 2, 1, 8]


def test_proximity_beats_a_better_metier_score_and_breaks_ties_within_a_tier() -> None:
    scores = {"boulanger": 100.0, "patissier": 80.0}
    assert ids(rank_candidates(CANDIDATES, scores, USER)) == [5, 4, 7, 3, 2]
    # Patissier (80) in the same EPCI comes before boulanger (100) in the department.


def test_limit_and_no_metier() -> None:
    assert ids(rank_candidates(CANDIDATES, {"boulanger": 100.0}, USER, limit=2)) == [5, 4]
    assert rank_candidates(CANDIDATES, {}, USER) == []
    assert rank_candidates(CANDIDATES, {"boulanger": 100.0}, USER, limit=0) == []
    assert rank_candidates(CANDIDATES, {"astronaute": 100.0}, USER) == []
    assert rank_candidates([], {"boulanger": 100.0}, USER) == []


def test_ties_are_broken_by_id_and_duplicates_do_not_break_the_sort() -> None:
    twins = [offer(9, "boulanger", "14327", CAEN_LA_MER, "14")] * 2 + [
        offer(3, "boulanger", "14327", CAEN_LA_MER, "14")
    ]
    assert ids(rank_candidates(twins, {"boulanger": 90.0}, USER)) == [3, 9, 9]


def test_a_user_outside_any_epci_still_matches_their_own_commune() -> None:
    island = Origin(insee="29155", epci=None, departement="29")  # Ouessant
    rows = [
        offer(1, "marin", "29155", None, "29"),
        offer(2, "marin", "29019", "242900314", "29"),  # Brest
        offer(3, "marin", "56121", "200067932", "56"),  # Morbihan: unknown to the map
    ]
    ranked = rank_candidates(rows, {"marin": 100.0}, island)
    assert ids(ranked) == [1, 2]
    assert ranked[0].proximity is Proximity.SAME_EPCI


def test_a_custom_neighbour_function() -> None:
    ranked = rank_candidates(
        CANDIDATES, {"boulanger": 100.0}, USER, neighbours=lambda a, b: {a, b} == {"14", "76"}
    )
    assert ids(ranked) == [5, 4, 3, 8]


def test_group_by_metier_gives_the_same_ranking_on_fewer_rows() -> None:
    groups = group_by_metier(CANDIDATES)
    assert {code: len(rows) for code, rows in groups.items()} == {
        "boulanger": 6,
        "plombier": 1,
        "patissier": 1,
    }
    scores = {"boulanger": 100.0, "patissier": 80.0}
    subset = [row for code in scores for row in groups.get(code, [])]
    assert rank_candidates(subset, scores, USER) == rank_candidates(CANDIDATES, scores, USER)


def test_the_ranking_agrees_with_a_naive_sort_on_random_rows() -> None:
    rng = random.Random(7)
    places = [
        ("14118", CAEN_LA_MER, "14"),
        ("14327", CAEN_LA_MER, "14"),
        ("14366", LISIEUX_NORMANDIE, "14"),
        ("50502", SAINT_LO_AGGLO, "50"),
        ("27229", "200066454", "27"),
        ("76540", "200023414", "76"),
        ("35238", "243500139", "35"),
        ("29155", None, "29"),
    ]
    rows = [
        offer(number, rng.choice(["a", "b", "c", "d"]), *rng.choice(places))
        for number in range(400)
    ]
    scores = {"a": 100.0, "b": 90.0, "c": 90.0}
    for origin in (USER, Origin("29155", None, "29"), Origin("76540", "200023414", "76")):
        for include_elsewhere in (False, True):
            ranked = rank_candidates(
                rows, scores, origin, limit=1000, include_elsewhere=include_elsewhere
            )
            kept = [
                row
                for row in rows
                if row.metier_code in scores
                and (include_elsewhere or proximity(origin, row) < Proximity.ELSEWHERE)
            ]
            kept.sort(
                key=lambda row, origin=origin: (
                    proximity(origin, row),
                    -scores[row.metier_code],
                    row.insee != origin.insee,
                    row.id,
                )
            )
            assert [r.candidate.id for r in ranked] == [row.id for row in kept]
            assert all(r.proximity == proximity(origin, r.candidate) for r in ranked)
