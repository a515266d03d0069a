"""Latency of the search layer (parcours/search), in memory, no service needed.

1. Builds the métier and commune indexes from knowledge/ and times it (the métier index with
   the ROME 4.0 of knowledge/rome_metiers.csv, unless --no-rome).
2. Runs ~200 realistic queries (typos, SMS, slang, postal codes, names as typed) several times
   and prints p50/p95/p99 latency, throughput and top-1 accuracy for métier search and
   commune lookup.
3. Generates 50,000 synthetic ambassador offers (métier code, commune) in memory and times the
   ranked search "métier match, then same EPCI > same department > neighbouring department":
   the pure ranking over all the rows, the same over the rows of the matched métiers only
   (bucketed by métier), and end to end (métier search + commune lookup + ranking).

Prints each figure against its target (commune index built < 1 s, commune query < 5 ms,
ranking p95 ≤ 20 ms) and exits 1 if one is missed. Deterministic data (--seed); timings
depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from parcours import KNOWLEDGE_DIR
from parcours.search.communes import NORMANDIE, CommuneIndex
from parcours.search.metiers import MetierIndex
from parcours.search.ranking import Candidate, Origin, group_by_metier, rank_candidates

T = TypeVar("T")

#: (query, code expected first or None when nothing should be found).
METIER_QUERIES: list[tuple[str, str | None]] = [
    ("boulanjer", "boulanger"),
    ("boulanger", "boulanger"),
    ("je veux etre boulangere", "boulanger"),
    ("jveu etre boulanjer", "boulanger"),
    ("infirmiere", "infirmier"),
    ("infirmier", "infirmier"),
    ("jveu etre infirmiere ds un hopital", "infirmier"),
    ("dev web", "dev_web"),
    ("metier de dev web", "dev_web"),
    ("développeur web", "dev_web"),
    ("developeur web", "dev_web"),
    ("mecano", "mecanicien_auto"),
    ("mécano", "mecanicien_auto"),
    ("mecanicien auto", "mecanicien_auto"),
    ("mecanicien moto", "mecanicien_moto"),
    ("plombié", "plombier"),
    ("plombier", "plombier"),
    ("coifeuse", "coiffeur"),
    ("coiffeur", "coiffeur"),
    ("youtubeur", "createur_contenu"),
    ("aide soignante", "aide_soignant"),
    ("aide-soignant", "aide_soignant"),
    ("véto", "veterinaire"),
    ("veterinaire", "veterinaire"),
    ("vétérinère", "veterinaire"),
    ("pompier", "sapeur_pompier"),
    ("pompié", "sapeur_pompier"),
    ("kiné", "kine"),
    ("kinésithérapeute", "kine"),
    ("compta", "comptable"),
    ("comptable", "comptable"),
    ("maçon", "macon"),
    ("macon", "macon"),
    ("électricien", None),  # several électriciens: no single expected answer
    ("elec", "electricien_batiment"),
    ("soudeur", "soudeur"),
    ("soudeure", "soudeur"),
    ("avocat", "avocat"),
    ("avocate", "avocat"),
    ("medecin", "medecin"),
    ("docteur", "medecin"),
    ("prof", "professeur_college_lycee"),
    ("secretaire", "secretaire"),
    ("cuisinier", "cuisinier"),
    ("cuisto", "cuisinier"),
    ("patissier", "patissier"),
    ("patisier", "patissier"),
    ("boucher", "boucher"),
    ("bouché", "boucher"),
    ("fleuriste", "fleuriste"),
    ("fleuristte", "fleuriste"),
    ("menuisier", "menuisier"),
    ("menusier", "menuisier"),
    ("charpentier", "charpentier"),
    ("peintre en batiment", "peintre_batiment"),
    ("chauffeur routier", "conducteur_routier"),
    ("routier", "conducteur_routier"),
    ("policier", "policier"),
    ("gendarme", "gendarme"),
    ("militaire", None),
    ("pilote d'avion", "pilote_ligne"),
    ("hotesse de l'air", "hotesse_air"),
    ("agent de securite", "agent_securite"),
    ("vendeur", "vendeur"),
    ("vendeuse en boulangerie", "vendeur_boulangerie"),
    ("caissiere", "caissier"),
    ("esthéticienne", "estheticienne"),
    ("estheticienne", "estheticienne"),
    ("educatrice de jeunes enfants", "educateur_jeunes_enfants"),
    ("assistante maternelle", "assistant_maternel"),
    ("nounou", "assistant_maternel"),
    ("architecte", "architecte"),
    ("graphiste", "graphiste"),
    ("photographe", "photographe"),
    ("journaliste", "journaliste"),
    ("agriculteur", "agriculteur"),
    ("paysagiste", "paysagiste"),
    ("jardinier", "paysagiste"),
    ("marin pecheur", "marin_pecheur"),
    ("travailler avec les animaux", None),
    ("j'aime les animaux", None),
    ("travailler avec des enfants", None),
    ("je veux bosser dans l'informatique", None),
    ("jeux video", None),
    ("la mer", None),
    ("le sport", None),
    ("travailler dehors", None),
    ("dans la santé", None),
    ("azerty", None),
    ("qsdfgh", None),
    ("je sais pas", None),
    ("je veux travailler", None),
    ("bonjour", None),
    ("lol", None),
    ("???", None),
    ("1234", None),
    ("ok merci", None),
    ("c koi le numero", None),
]
#: Queries whose expected answer is "nothing": checked as such (the rest with None are vague).
METIER_NOTHING = {
    "azerty",
    "qsdfgh",
    "je sais pas",
    "je veux travailler",
    "bonjour",
    "lol",
    "???",
    "1234",
    "ok merci",
}

#: (query, INSEE code expected first or None when nothing should be found).
COMMUNE_QUERIES: list[tuple[str, str | None]] = [
    ("14000", "14118"),
    ("14 000", "14118"),
    ("50000", "50502"),
    ("14100", "14366"),
    ("50100", "50129"),
    ("76000", "76540"),
    ("27000", "27229"),
    ("61000", "61001"),
    ("76600", "76351"),
    ("50400", "50218"),
    ("14400", "14047"),
    ("61100", "61169"),
    ("27200", "27681"),
    ("14200", "14327"),
    ("50300", "50025"),
    ("76200", "76217"),
    ("67000", "67482"),
    ("57000", "57463"),
    ("54000", "54395"),
    ("51100", "51454"),
    ("75015", "75056"),
    ("99999", None),
    ("00000", None),
    ("caen", "14118"),
    ("Caen", "14118"),
    ("CAEN", "14118"),
    ("j'habite a caen", "14118"),
    ("caen 14000", "14118"),
    ("st lo", "50502"),
    ("saint lo", "50502"),
    ("St-Lô", "50502"),
    ("saint-lo", "50502"),
    ("st-lo", "50502"),
    ("lisieux", "14366"),
    ("lisieu", "14366"),
    ("lisieus", "14366"),
    ("cherbourg", "50129"),
    ("cherboug", "50129"),
    ("Cherbourg-en-Cotentin", "50129"),
    ("cherbourg en cotentin", "50129"),
    ("rouen", "76540"),
    ("rouan", "76540"),
    ("le havre", "76351"),
    ("havre", "76351"),
    ("lehavre", "76351"),
    ("evreux", "27229"),
    ("evreu", "27229"),
    ("évreux", "27229"),
    ("alencon", "61001"),
    ("alençon", "61001"),
    ("alanson", None),
    ("bayeux", "14047"),
    ("bayeu", "14047"),
    ("granville", "50218"),
    ("granvile", "50218"),
    ("avranches", "50025"),
    ("avranche", "50025"),
    ("coutances", "50147"),
    ("coutance", "50147"),
    ("deauville", "14220"),
    ("deauvile", "14220"),
    ("honfleur", "14333"),
    ("onfleur", "14333"),
    ("falaise", "14258"),
    ("argentan", "61006"),
    ("flers", "61169"),
    ("vire", "14762"),
    ("vire normandie", "14762"),
    ("dieppe", "76217"),
    ("fecamp", "76259"),
    ("fécamp", "76259"),
    ("vernon", "27681"),
    ("louviers", "27375"),
    ("herouville", "14327"),
    ("hérouville saint clair", "14327"),
    ("herouville st clair", "14327"),
    ("mondeville", "14437"),
    ("ifs", "14341"),
    ("mont saint michel", "50353"),
    ("mt st michel", "50353"),
    ("ste mere eglise", "50523"),
    ("sainte-mère-église", "50523"),
    ("conde s/ vire", "50139"),
    ("pont l'eveque", "14514"),
    ("pont-l'évêque", "14514"),
    ("bagnoles de l'orne", "61483"),
    ("l'aigle", "61214"),
    ("laigle", "61214"),
    ("strasbourg", "67482"),
    ("strasbour", "67482"),
    ("metz", "57463"),
    ("nancy", "54395"),
    ("reims", "51454"),
    ("troyes", "10387"),
    ("colmar", "68066"),
    ("mulhouse", "68224"),
    ("epinal", "88160"),
    ("charleville", "08105"),
    ("paris", "75056"),
    ("lyon", "69123"),
    ("azerty", None),
    ("xyzxyz", None),
    ("", None),
]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def timed(calls: Sequence[Callable[[], T]], rounds: int) -> tuple[list[float], float]:
    """Latencies (ms) of every call over ``rounds`` rounds, and the total wall time (s)."""
    latencies: list[float] = []
    start = time.perf_counter()
    for _ in range(rounds):
        for call in calls:
            began = time.perf_counter()
            call()
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies, time.perf_counter() - start


def report(label: str, latencies: list[float], wall: float, target_ms: float | None) -> bool:
    """Print one latency line; True when p95 meets ``target_ms`` (or there is none)."""
    p95 = percentile(latencies, 95)
    ok = target_ms is None or p95 <= target_ms
    verdict = "" if target_ms is None else f"  [p95 target ≤ {target_ms:g} ms: "
    verdict += "" if target_ms is None else ("ok]" if ok else "MISSED]")
    print(
        f"  {label:<34} n={len(latencies):<6} p50 {statistics.median(latencies):6.2f} ms  "
        f"p95 {p95:6.2f} ms  p99 {percentile(latencies, 99):6.2f} ms  "
        f"max {max(latencies):6.2f} ms  {len(latencies) / wall:8.0f} q/s{verdict}"
    )
    return ok


def build_offers(
    count: int, metiers: MetierIndex, communes: CommuneIndex, rng: random.Random
) -> list[Candidate]:
    """Synthetic ambassador offers: 70 % in Normandie, 20 % in Grand Est, 10 % elsewhere,
    communes drawn by population, métiers with a long tail (a few are much more common)."""
    pools: dict[str, list[str]] = {"28": [], "44": [], "*": []}
    weights: dict[str, list[float]] = {"28": [], "44": [], "*": []}
    for commune in communes.communes:
        if not commune.population or commune.insee[:3] in {"751", "693", "132"}:
            continue  # no arrondissements: their city is there
        zone = commune.region if commune.region in ("28", "44") else "*"
        pools[zone].append(commune.insee)
        weights[zone].append(commune.population**0.5)
    codes = [metier.code for metier in metiers.metiers]
    rng.shuffle(codes)
    code_weights = [1 / (rank + 10) for rank in range(len(codes))]
    zones = rng.choices(["28", "44", "*"], weights=[70, 20, 10], k=count)
    places = {
        zone: iter(rng.choices(pools[zone], weights=weights[zone], k=zones.count(zone)))
        for zone in pools
    }
    offers = []
    for number, (zone, code) in enumerate(
        zip(zones, rng.choices(codes, weights=code_weights, k=count), strict=True)
    ):
        commune = communes.get(next(places[zone]))
        assert commune is not None
        offers.append(Candidate(number, code, commune.insee, commune.epci, commune.departement))
    return offers


def metier_scores(metiers: MetierIndex, query: str) -> dict[str, float]:
    """The métier codes a query means for the ranking: the matches close to the best one."""
    found = metiers.search(query, limit=5)
    if not found:
        return {}
    return {m.code: m.score for m in found if m.score >= found[0].score - 10}


def origin_of(communes: CommuneIndex, query: str) -> Origin | None:
    found = communes.find(query, limit=1, region=NORMANDIE)
    if not found:
        return None
    best = found[0]
    return Origin(best.insee, best.epci, best.departement)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the query lists")
    parser.add_argument("--offers", type=int, default=50_000, help="synthetic offers")
    parser.add_argument("--searches", type=int, default=300, help="ranked searches to time")
    parser.add_argument("--seed", type=int, default=20_260_101)
    parser.add_argument(
        "--no-rome", action="store_true", help="métier index without knowledge/rome_metiers.csv"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    ok = True

    print("Building the indexes")
    began, cpu = time.perf_counter(), time.process_time()
    communes = CommuneIndex.from_csv(KNOWLEDGE_DIR / "communes.csv")
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    ok &= wall < 1.0
    print(
        f"  communes: {len(communes)} rows in {wall * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms)"
        f"  [target < 1000 ms: {'ok' if wall < 1.0 else 'MISSED'}]"
    )
    began = time.perf_counter()
    rome = None if args.no_rome else KNOWLEDGE_DIR / "rome_metiers.csv"
    metiers = MetierIndex.from_csv(KNOWLEDGE_DIR / "metiers.csv", rome=rome)
    print(
        f"  métiers: {len(metiers.metiers)} rows + {len(metiers.rome_metiers)} ROME métiers of "
        f"their own in {(time.perf_counter() - began) * 1000:.0f} ms"
    )

    print(f"\nQueries ({len(METIER_QUERIES)} métier, {len(COMMUNE_QUERIES)} commune)")
    metier_hits = sum(
        1
        for query, code in METIER_QUERIES
        if code is not None and (found := metiers.search(query)) and found[0].code == code
    )
    metier_expected = sum(1 for _, code in METIER_QUERIES if code is not None)
    nothing_ok = sum(1 for query in METIER_NOTHING if not metiers.search(query))
    commune_hits = sum(
        1
        for query, insee in COMMUNE_QUERIES
        if (found := communes.find(query, region=NORMANDIE))
        and insee is not None
        and found[0].insee == insee
    )
    commune_nothing = [q for q, insee in COMMUNE_QUERIES if insee is None]
    commune_nothing_ok = sum(
        1 for query in commune_nothing if not communes.find(query, region=NORMANDIE)
    )
    commune_expected = len(COMMUNE_QUERIES) - len(commune_nothing)
    print(
        f"  top-1 accuracy: métiers {metier_hits}/{metier_expected}, "
        f"nothing found {nothing_ok}/{len(METIER_NOTHING)}; "
        f"communes {commune_hits}/{commune_expected}, "
        f"nothing found {commune_nothing_ok}/{len(commune_nothing)}"
    )
    misses = [
        (query, code, [m.code for m in metiers.search(query, limit=2)])
        for query, code in METIER_QUERIES
        if code is not None and [m.code for m in metiers.search(query, limit=1)] != [code]
    ]
    misses += [
        (query, insee, [m.insee for m in communes.find(query, limit=2, region=NORMANDIE)])
        for query, insee in COMMUNE_QUERIES
        if insee is not None
        and [m.insee for m in communes.find(query, limit=1, region=NORMANDIE)] != [insee]
    ]
    for query, expected, got in misses:
        print(f"    miss: {query!r}: expected {expected}, got {got}")

    metier_calls = [lambda q=query: metiers.search(q) for query, _ in METIER_QUERIES]
    commune_calls = [
        lambda q=query: communes.find(q, region=NORMANDIE) for query, _ in COMMUNE_QUERIES
    ]
    france_calls = [lambda q=query: communes.find(q) for query, _ in COMMUNE_QUERIES]
    mixed = [*metier_calls, *commune_calls]
    rng.shuffle(mixed)
    timed(mixed, 1)  # warm-up
    report("métier search", *timed(metier_calls, args.rounds), None)
    ok &= report("commune lookup (Normandie first)", *timed(commune_calls, args.rounds), 5)
    ok &= report("commune lookup (all France)", *timed(france_calls, args.rounds), 5)
    report("mixed", *timed(mixed, args.rounds), None)

    print(f"\nRanked search over {args.offers:,} synthetic offers")
    began = time.perf_counter()
    offers = build_offers(args.offers, metiers, communes, rng)
    groups = group_by_metier(offers)
    print(
        f"  generated in {(time.perf_counter() - began) * 1000:.0f} ms "
        f"({len(groups)} métiers, {len({o.insee for o in offers})} communes)"
    )
    searches = []
    for _ in range(args.searches):
        metier_query = rng.choice([q for q, code in METIER_QUERIES if code is not None])
        commune_query = rng.choice([q for q, insee in COMMUNE_QUERIES if insee is not None])
        scores = metier_scores(metiers, metier_query)
        origin = origin_of(communes, commune_query)
        if scores and origin is not None:
            searches.append((metier_query, commune_query, scores, origin))

    def full_scan(scores: dict[str, float], origin: Origin) -> object:
        return rank_candidates(offers, scores, origin, limit=10)

    def bucketed(scores: dict[str, float], origin: Origin) -> object:
        rows = [row for code in scores for row in groups.get(code, ())]
        return rank_candidates(rows, scores, origin, limit=10)

    def end_to_end(metier_query: str, commune_query: str) -> object:
        scores = metier_scores(metiers, metier_query)
        origin = origin_of(communes, commune_query)
        if not scores or origin is None:
            return []
        rows = [row for code in scores for row in groups.get(code, ())]
        return rank_candidates(rows, scores, origin, limit=10)

    found = [len(full_scan(s, o)) for _, _, s, o in searches]  # type: ignore[arg-type]
    print(
        f"  {len(searches)} searches, {statistics.mean(found):.1f} offers returned on average "
        f"(limit 10), {sum(1 for n in found if n == 0)} with none within reach"
    )
    scan_calls = [lambda s=s, o=o: full_scan(s, o) for _, _, s, o in searches]
    bucket_calls = [lambda s=s, o=o: bucketed(s, o) for _, _, s, o in searches]
    e2e_calls = [lambda m=m, c=c: end_to_end(m, c) for m, c, _, _ in searches]
    ok &= report("ranking, full scan of all rows", *timed(scan_calls, args.rounds), 20)
    ok &= report("ranking, rows of matched métiers", *timed(bucket_calls, args.rounds), 20)
    ok &= report("end to end (search+lookup+rank)", *timed(e2e_calls, args.rounds), 20)

    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
