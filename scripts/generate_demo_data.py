"""Generate the FICTIONAL demo data shipped in knowledge/ (companies, ambassadors, offers…).

Every row written here is fictional demo data, marked `demo=oui`: invented companies,
ambassadors, mini-stage offers, structures and coordinators, placed in real communes of
Normandy (departments 14, 27, 50, 61, 76) and Grand Est (08, 10, 51, 52, 54, 55, 57, 67, 68,
88, with fewer rows), so that the assistant can be tried before the agency imports its own
data with `python -m parcours import KIND FILE`. Every name a user or a coordinator sees ends
in " (démo)" (companies, ambassadors, structures, coordinators; students' schools contain it;
offers are shown under their company's name); structures have "Adresse de démonstration",
"Contact de démonstration" and hours ending in "(horaires de démonstration)", and no phone or
website (a made-up number could be someone's). The one real row is Rouen Info
Jeunes (structures.csv, `demo=non`), taken from the agency's charter of the réseau de
proximité signed with the Ville de Rouen (seed document): 27 rue Victor Hugo, 76000 Rouen,
11-30 ans et parents.

On top of that random sample, the demo never dead-ends on the commonest wishes (WISHES): in
each Normandy department, every one of those métiers has mini-stage offers for collège and
lycée pupils and ambassadors meeting pupils and adults in several formats, in several towns;
and every EPCI of Normandy has a Mission locale, CIO, PSAD and Info Jeunes in its main town.

Reads knowledge/communes.csv and knowledge/metiers.csv; writes the Normandy pack's
knowledge/regions/normandie/companies.csv, ambassadors.csv, ministages.csv, structures.csv and
coordinators.csv (UTF-8, `\\n`, quoted only where needed), keeping the Normandy rows only.
The output depends only on those two files and SEED: two runs give identical files.
Standard library only.

Rerun from the project root:

    .venv/bin/python scripts/generate_demo_data.py
    .venv/bin/python scripts/generate_demo_data.py --region grand-est

`--region grand-est` writes knowledge/regions/grand-est/ instead: the Grand Est rows of the
same sample, completed in each of its 10 departments like Normandy's, companies without the
Normandy agency's charter, its structures and one coordinator per department
(docs/NOTES-grand-est.md). No row has a `bassin` zone: a zone d'emploi needs the official
INSEE map, which is not shipped.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from demo_tables import (
    ADULT_PUBLICS,
    ANYWHERE,
    ARCHETYPES,
    BIG_TOWN,
    CHOSEN_ACTIONS,
    DEMO_TOWNS,
    EXTRA_ARCHETYPES,
    FANCY,
    FIRST_NAMES,
    FORMATIONS,
    HOLIDAYS,
    MEETING_FORMATS,
    MORE_FIRST_NAMES,
    MORE_INITIALS,
    OFFERS_PER_WISH,
    PLACES,
    PUPIL_AMBASSADORS,
    PUPIL_PUBLICS,
    RURAL_TOWN,
    SCHOOL_LEVELS,
    THIRD_WEEKS,
    TOWNS_PER_WISH,
    UNLIKELY,
    WEST_SEINE_MARITIME,
    WISHES,
)

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
#: Where the files go: the Normandy region pack (Grand Est has its own pack and generator).
PACK = KNOWLEDGE / "regions" / "normandie"
SEED = 20200909
NORMANDY = ("14", "27", "50", "61", "76")
GRAND_EST = ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88")
GRAND_EST_SHARE = 0.2
N_COMPANIES, N_OFFERS, N_AMBASSADORS, FORMATION_SHARE = 300, 560, 340, 0.15
HEADERS = {
    "companies": "key name commune secteur charter_signed_on charter_actions demo",
    "ambassadors": "key kind display_name metier formation company school years_in_job formats "
    "publics zone_type zone_code commune available demo",
    "ministages": "key company metier commune periods days_min days_max levels places demo",
    "structures": "key kind name commune address publics age_min age_max contact hours phone "
    "website latitude longitude demo",
    "coordinators": "telegram_id name departements epcis backup absent demo",
}
#: Opening hours of every demo structure, labelled like its address.
DEMO_HOURS = "lun-ven 9h-12h30, 13h30-17h (horaires de démonstration)"
T = TypeVar("T")
Row = dict[str, str]


@dataclass(frozen=True)
class Town:
    """A real commune of communes.csv."""

    insee: str
    nom: str
    dept: str
    region: str
    epci: str
    epci_nom: str
    pop: int

    @classmethod
    def of(cls, raw: dict[str, str]) -> Town:
        """The town of a communes.csv row."""
        code, nom, dept, region = raw["insee"], raw["nom"], raw["departement"], raw["region"]
        return cls(code, nom, dept, region, raw["epci"], raw["epci_nom"], int(raw["population"]))


@dataclass(frozen=True)
class Archetype:
    """A kind of company: its sector, label, métiers (main first), weight and constraints."""

    secteur: str
    label: str
    metiers: tuple[str, ...]
    weight: int
    levels: str  # C (collège first), A (lycée, supérieur) or S (supérieur only)
    where: str  # letters: N Normandy, R rural, B big town, V vineyards, L flax, or a PLACES key


@dataclass
class Firm:
    """A generated company."""

    key: str
    name: str
    town: Town
    arch: Archetype


def pick(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """One of `options`, drawn with the paired weights."""
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def fold(text: str) -> str:
    """ASCII without accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug(text: str) -> str:
    """Lower-case ASCII words joined by `_`."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text).lower()).strip("_")


class Territory:
    """The communes of both regions, with the weights used to place rows."""

    def __init__(self, path: Path) -> None:
        self.towns: list[Town] = []
        # EPCI → (population, INSEE code) of its most populated commune, in any region.
        self.epci_centre: dict[str, tuple[int, str]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for raw in csv.DictReader(handle):
                ours = raw["departement"] in NORMANDY + GRAND_EST and raw["region"] in ("28", "44")
                if ours and int(raw["population"] or 0) > 0:
                    self.towns.append(Town.of(raw))
                pop = int(raw["population"] or 0)
                if raw["epci"] and pop > self.epci_centre.get(raw["epci"], (-1, ""))[0]:
                    self.epci_centre[raw["epci"]] = (pop, raw["insee"])
        self.by_dept: dict[str, list[Town]] = defaultdict(list)
        self.by_epci: dict[str, list[Town]] = defaultdict(list)
        self.by_name = {(t.dept, t.nom): t for t in self.towns}
        self.by_insee = {t.insee: t for t in self.towns}
        for town in self.towns:
            self.by_dept[town.dept].append(town)
            self.by_epci[town.epci].append(town)
        self.dept_weight: dict[str, float] = {}
        pops = {d: sum(t.pop for t in self.by_dept[d]) for d in NORMANDY + GRAND_EST}
        for region, share in ((NORMANDY, 1 - GRAND_EST_SHARE), (GRAND_EST, GRAND_EST_SHARE)):
            total = sum(pops[d] for d in region)
            self.dept_weight |= {d: share * pops[d] / total for d in region}

    def named(self, entry: str) -> Town:
        """The town of an entry `dept:Nom`."""
        dept, nom = entry.split(":", 1)
        return self.by_name[(dept, nom)]

    def place(self, rng: random.Random, where: str = "", dept: str | None = None) -> Town:
        """A town: department by population, then bigger towns more often (small ones too)."""
        for key, entries in PLACES.items():
            if key in where:
                towns = [self.named(e) for e in entries.split("|")]
                return pick(rng, [(t, t.pop**0.5) for t in towns])
        if dept is None:
            depts = NORMANDY if "N" in where else tuple(self.dept_weight)
            depts = ("51", "10", "67", "68") if "V" in where else depts
            depts = ("76", "27", "14") if "L" in where else depts
            dept = pick(rng, [(d, self.dept_weight[d]) for d in depts])
        towns = self.by_dept[dept]
        if "R" in where:
            towns = [t for t in towns if t.pop < 5000]
        if "U" in where:
            towns = [t for t in towns if t.pop >= 10000] or [max(towns, key=lambda t: t.pop)]
        if "B" in where:
            towns = [t for t in towns if t.pop >= 40000] or [max(towns, key=lambda t: t.pop)]
        return pick(rng, [(t, t.pop**1.15) for t in towns])

    def epci_main_towns(self, depts: Sequence[str]) -> list[Town]:
        """The most populated commune of each EPCI with a commune in `depts`, when it lies in
        `depts` itself (an EPCI centred in another region is left out), biggest first."""
        mains = {
            self.by_insee.get(self.epci_centre[t.epci][1])
            for t in self.towns
            if t.dept in depts and t.epci
        }
        return sorted(
            (t for t in mains if t is not None and t.dept in depts),
            key=lambda t: (depts.index(t.dept), -t.pop, t.insee),
        )


def load_metiers(path: Path) -> dict[str, str]:
    """Métier code → sector."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {raw["code"]: raw["secteur"] for raw in csv.DictReader(handle)}


def archetypes(metiers: dict[str, str], text: str = ARCHETYPES) -> list[Archetype]:
    """Parse ARCHETYPES (or `text`), checking that every métier exists and belongs to the
    sector."""
    entries: list[tuple[str, str, str, list[str]]] = []
    secteur = ""
    for line in text.strip().splitlines():
        if line.startswith("["):
            secteur = line.strip("[]")
        elif line.startswith(" "):
            entries[-1][3].extend(line.split())
        else:
            label, flags, names = (part.strip() for part in line.split("|"))
            entries.append((secteur, label, flags, names.split()))
    result: list[Archetype] = []
    errors: list[str] = []
    for sector, label, flags, codes in entries:
        errors += [
            f"{label}: {c} is not a métier of {sector}" for c in codes if metiers.get(c) != sector
        ]
        weight, *rest = flags.split()
        levels = next((f for f in rest if f in ("A", "S")), "C")
        where = " ".join(f for f in rest if f not in ("A", "S"))
        result.append(Archetype(sector, label, tuple(codes), int(weight), levels, where))
    if errors:
        sys.exit("\n".join(errors))
    return result


def firm_name(rng: random.Random, label: str, town: Town, used: set[str]) -> str:
    """`Label fancy (démo)`, unique; regional fancy words only in their region."""
    region = "N" if town.dept in NORMANDY else "G"
    pool = [f for f in FANCY if f[:2] in ("*:", f"{region}:")]
    for _ in range(40):
        name = f"{label} {rng.choice(pool)[2:]} (démo)"
        if name not in used:
            used.add(name)
            return name
    name = f"{label} {rng.choice(pool)[2:]} – {town.nom} (démo)"
    used.add(name)
    return name


def companies(rng: random.Random, terr: Territory, kinds: list[Archetype]) -> list[Firm]:
    """Forced demo towns first, then one company per archetype, then weighted extras."""
    label = {a.label: a for a in kinds}
    caen = terr.named("14:Caen")
    caen_la_mer = sorted((t for t in terr.by_epci[caen.epci] if t != caen), key=lambda t: -t.pop)
    plan: list[tuple[Archetype, Town | None]] = [
        (label["Boulangerie"], caen),
        (label["Pâtisserie"], caen),
        (label["Boulangerie"], caen),
        (label["Boulangerie"], caen_la_mer[0]),
        (label["Pâtisserie"], caen_la_mer[3]),
    ]
    general = [a for a in kinds if a.levels == "C" and not a.where]
    for entry in DEMO_TOWNS.split("|"):
        plan += [(rng.choice(general), terr.named(entry)) for _ in range(2)]
    plan += [(a, None) for a in kinds]
    while len(plan) < N_COMPANIES:
        plan.append((pick(rng, [(a, a.weight) for a in kinds]), None))
    firms: list[Firm] = []
    used: set[str] = set()
    for number, (arch, where) in enumerate(plan, start=1):
        town = where or terr.place(rng, arch.where)
        firms.append(
            Firm(f"demo_ent_{number:03d}", firm_name(rng, arch.label, town, used), town, arch)
        )
    return firms


def offer_row(rng: random.Random, number: int, firm: Firm, metier: str, levels: str) -> Row:
    """One mini-stage offer of `firm`; periods agree with the school levels."""
    if levels == "superieur":
        periods = ["toute l'année, sur convention de stage"]
    else:
        holidays = HOLIDAYS.split("|")
        periods = sorted(rng.sample(holidays, rng.choice([1, 1, 2])), key=holidays.index)
        if "college" in levels and (levels == "college" or rng.random() < 0.3):
            week = f"semaine du {rng.choice(THIRD_WEEKS.split())} (stage de 3e)"
            periods = [week] if levels == "college" and rng.random() < 0.5 else [week, *periods]
    low, high = pick(rng, [((3, 5), 4), ((5, 5), 3), ((3, 3), 2), ((4, 5), 2), ((3, 4), 1)])
    return {
        "key": f"demo_ms_{number:04d}",
        "company": firm.key,
        "metier": metier,
        "commune": firm.town.insee,
        "periods": "; ".join(periods),
        "days_min": str(low),
        "days_max": str(high),
        "levels": levels,
        "places": str(pick(rng, [(1, 40), (2, 35), (3, 15), (4, 10)])),
        "demo": "oui",
    }


# Odds of each format and public (`code:p`, the first one is kept when none is drawn).
METIER_FORMATS = "individuel:0.75 collectif:0.55 sur_place:0.55 visio:0.4 telephone:0.35 mail:0.3"
METIER_FORMATS += " tiers_lieu:0.2"
METIER_PUBLICS = "lycee:0.7 college:0.6 etudiant:0.4 demandeur_emploi:0.35 decrocheur:0.25"
METIER_PUBLICS += " salarie:0.25 parent:0.2 professionnel:0.15"
STUDENT_FORMATS = "individuel:0.7 collectif:0.5 visio:0.5 sur_place:0.4 mail:0.4 telephone:0.15"
STUDENT_PUBLICS = "lycee:0.85 college:0.5 etudiant:0.3 parent:0.2 decrocheur:0.1"
LEVELS = {
    "C": [
        ("college", 40),
        ("college lycee", 25),
        ("lycee", 8),
        ("college lycee superieur", 12),
        ("lycee superieur", 10),
        ("superieur", 5),
    ],
    "A": [("lycee", 35), ("lycee superieur", 45), ("superieur", 20)],
    "S": [("superieur", 1)],
}


def ministages(rng: random.Random, firms: list[Firm]) -> list[Row]:
    """One offer per company (collège bakery offers in Caen la Mer), then weighted extras."""
    jobs = list(firms)
    while len(jobs) < N_OFFERS:
        firm = pick(rng, [(f, f.arch.weight) for f in firms])
        if jobs.count(firm) < 4:
            jobs.append(firm)
    jobs.sort(key=firms.index)
    rows: list[Row] = []
    taken: dict[str, list[str]] = defaultdict(list)
    for number, firm in enumerate(jobs, start=1):
        free = [m for m in firm.arch.metiers if m not in taken[firm.key]]
        free = free or list(firm.arch.metiers)
        main_first = free[:1] if not taken[firm.key] else free
        metier = pick(rng, [(m, 1 / (i + 1)) for i, m in enumerate(main_first)])
        taken[firm.key].append(metier)
        bakery = firm.arch.label in ("Boulangerie", "Pâtisserie") and firm.town.dept == "14"
        levels = (
            "college"
            if bakery and len(taken[firm.key]) == 1
            else pick(rng, LEVELS[firm.arch.levels])
        )
        rows.append(offer_row(rng, number, firm, metier, levels))
    return rows


def several(rng: random.Random, odds: str) -> str:
    """Codes drawn independently with their odds (`code:p code:p`); at least the first one."""
    pairs = [(code, float(p)) for code, p in (item.split(":") for item in odds.split())]
    return " ".join([c for c, p in pairs if rng.random() < p] or [pairs[0][0]])


def zone(rng: random.Random, town: Town, odds: str) -> Row:
    """zone_type and zone_code consistent with where the ambassador is (odds `type:weight`).

    Never a `bassin`: a zone d'emploi needs the official INSEE map, which is not shipped (an
    EPCI is not a zone d'emploi; knowledge/README.md, "Zones d'emploi")."""
    kind = pick(rng, [(k, float(w)) for k, w in (item.split(":") for item in odds.split())])
    code = {"commune": town.insee, "departement": town.dept, "region": town.region}
    return {"zone_type": kind, "zone_code": code[kind]}


def ambassadors(
    rng: random.Random, terr: Territory, firms: list[Firm], metiers: dict[str, str]
) -> list[Row]:
    """Ambassadeurs métier (≈85 %, every sector, ≥150 métiers) and formation (students)."""
    n_formation = round(N_AMBASSADORS * FORMATION_SHARE)
    employers: dict[str, list[Firm]] = defaultdict(list)
    for firm in firms:
        for metier in firm.arch.metiers:
            employers[metier].append(firm)
    codes = [c for c in metiers if c not in UNLIKELY.split()]
    rng.shuffle(codes)
    sectors = sorted(set(metiers.values()))
    firsts = [next(c for c in codes if metiers[c] == s) for s in sectors]
    wanted = firsts + [c for c in codes if c not in firsts][: 180 - len(firsts)]
    while len(wanted) < N_AMBASSADORS - n_formation:
        firm = rng.choice(firms)
        wanted.append(rng.choice(firm.arch.metiers))
    rows: list[Row] = []
    for metier in wanted:
        hired = (
            rng.choice(employers[metier]) if employers[metier] and rng.random() < 0.85 else None
        )
        if hired is not None:
            town = hired.town if rng.random() < 0.75 else terr.place(rng, dept=hired.town.dept)
        else:
            town = terr.place(rng)
        adults_only = hired is not None and hired.arch.levels == "S"
        publics = METIER_PUBLICS.replace(" college:0.6", "") if adults_only else METIER_PUBLICS
        rows.append(
            {
                "kind": "metier",
                "metier": metier,
                "formation": "",
                "school": "",
                "company": hired.key if hired else "",
                "commune": town.insee,
                "years_in_job": str(min(30, 1 + int(rng.triangular(0, 30, 6)))),
                "formats": several(rng, METIER_FORMATS),
                "publics": several(rng, publics),
                **zone(rng, town, "departement:55 commune:35 region:10"),
            }
        )
    for i in range(n_formation):
        formation, metier, school = FORMATIONS[i % len(FORMATIONS)]
        town = terr.place(rng, "U")
        rows.append(
            {
                "kind": "formation",
                "metier": metier,
                "formation": formation,
                "company": "",
                "school": f"{school} {rng.choice(ANYWHERE)} (démo)",
                "years_in_job": "",
                "commune": town.insee,
                "formats": several(rng, STUDENT_FORMATS),
                "publics": several(rng, STUDENT_PUBLICS),
                **zone(rng, town, "commune:55 departement:45"),
            }
        )
    initials, seen = "BCDFGHLMNPRSTV", {""}
    for number, row in enumerate(rows, start=1):
        name = ""
        while name in seen:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(initials)}. (démo)"
        seen.add(name)
        row |= {
            "key": f"demo_amb_{number:03d}",
            "demo": "oui",
            "display_name": name,
            "available": "non" if rng.random() < 0.08 else "oui",
        }
    return rows


def wishes(kinds: list[Archetype]) -> list[tuple[str, list[Archetype]]]:
    """Parse WISHES: each métier with the kinds of company where it is done, checked."""
    by_label = {a.label: a for a in kinds}
    result: list[tuple[str, list[Archetype]]] = []
    errors: list[str] = []
    for line in WISHES.strip().splitlines():
        code, labels = (part.strip() for part in line.split(":"))
        found = [by_label.get(label.strip()) for label in labels.split("|")]
        archs = [a for a in found if a is not None and code in a.metiers]
        if len(archs) != len(found):
            errors.append(f"WISHES: {code}: a kind of company is unknown or lacks the métier")
        result.append((code, archs))
    if errors:
        sys.exit("\n".join(errors))
    return result


def in_order(codes: list[str], odds: str) -> str:
    """The codes, without repeats, in the order of `odds` (`code:p code:p`)."""
    return " ".join(c for c in (item.split(":")[0] for item in odds.split()) if c in codes)


def offer_needs(rows: list[Row]) -> tuple[int, list[str]]:
    """How many more offers open to pupils a wish needs in a department (in other towns), and
    which school levels none of them is open to yet."""
    school = [r for r in rows if set(r["levels"].split()) & set(SCHOOL_LEVELS)]
    levels = {level for r in school for level in r["levels"].split()}
    towns = len({r["commune"] for r in school})
    count = max(0, OFFERS_PER_WISH - len(school), TOWNS_PER_WISH - towns)
    return count, [x for x in SCHOOL_LEVELS if x not in levels]


def ambassador_needs(rows: list[Row]) -> tuple[int, list[tuple[str, str]]]:
    """How many more available ambassadors meeting pupils a wish needs in a department (in
    other towns), and the (public, format) pairs no available ambassador meets yet: `pupils`
    or one of ADULT_PUBLICS, in a format of MEETING_FORMATS (tiers-lieu counts as on site)."""
    ready = [r for r in rows if r["available"] == "oui"]
    pupils = [r for r in ready if set(r["publics"].split()) & set(PUPIL_PUBLICS)]
    met: set[tuple[str, str]] = set()
    for r in ready:
        publics = set(r["publics"].split())
        groups = [g for g in ADULT_PUBLICS if g in publics]
        groups += ["pupils"] if publics & set(PUPIL_PUBLICS) else []
        met |= {
            (g, f.replace("tiers_lieu", "sur_place")) for g in groups for f in r["formats"].split()
        }
    towns = len({r["commune"] for r in pupils})
    wanted = [(g, f) for g in ("pupils", *ADULT_PUBLICS) for f in MEETING_FORMATS]
    return (
        max(0, PUPIL_AMBASSADORS - len(pupils), TOWNS_PER_WISH - towns),
        [pair for pair in wanted if pair not in met],
    )


def coverage(
    rng: random.Random,
    terr: Territory,
    firms: list[Firm],
    offers: list[Row],
    people: list[Row],
    kinds: list[Archetype],
    depts: Sequence[str] = NORMANDY,
) -> tuple[list[Firm], list[Row], list[Row]]:
    """New companies, offers and ambassadors so that, in each department of `depts`, each of
    WISHES has what it needs (offer_needs, ambassador_needs), spread over several towns: a new
    row goes to a town (≥ BIG_TOWN inhabitants; RURAL_TOWN to BIG_TOWN for a rural kind of
    company) that has none of that métier yet, with a company of a fitting kind already there,
    else a new one."""
    new_firms: list[Firm] = []
    new_offers: list[Row] = []
    new_people: list[Row] = []
    used = {f.name for f in firms}
    dept_of = {t.insee: t.dept for t in terr.towns}

    def town_for(dept: str, arch: Archetype, taken: set[str], fitting: list[Firm]) -> Town:
        rural = "R" in arch.where
        towns = [
            t
            for t in terr.by_dept[dept]
            if (RURAL_TOWN <= t.pop < BIG_TOWN if rural else t.pop >= BIG_TOWN)
        ]
        free = [t for t in towns if t.insee not in taken] or towns
        with_firm = {f.town.insee for f in fitting}
        return pick(rng, [(t, t.pop**0.5 * (3 if t.insee in with_firm else 1)) for t in free])

    def firm_in(town: Town, arch: Archetype, fitting: list[Firm], busy: set[str]) -> Firm:
        """A fitting company of `town` not in `busy`, else a new one of kind `arch`."""
        here = [f for f in fitting if f.town == town and f.key not in busy]
        if here:
            return here[0]
        number = len(firms) + len(new_firms) + 1
        firm = Firm(f"demo_ent_{number:03d}", firm_name(rng, arch.label, town, used), town, arch)
        new_firms.append(firm)
        fitting.append(firm)
        return firm

    for code, archs in wishes(kinds):
        for dept in depts:
            fitting = [f for f in firms if f.arch in archs and f.town.dept == dept]
            fitting += [f for f in new_firms if f.arch in archs and f.town.dept == dept]

            def mine(rows: list[Row], dept: str = dept, code: str = code) -> list[Row]:
                return [r for r in rows if r["metier"] == code and dept_of[r["commune"]] == dept]

            count, levels = offer_needs(mine(offers + new_offers))
            while count or levels:
                taken = {r["commune"] for r in mine(offers + new_offers)}
                town = town_for(dept, archs[0], taken, fitting)
                offering = {o["company"] for o in offers + new_offers if o["metier"] == code}
                firm = firm_in(town, archs[0], fitting, offering)
                if len(levels) == 2:
                    chosen = "college lycee"
                elif levels:
                    chosen = pick(rng, [(levels[0], 2), ("college lycee", 1)])
                else:
                    chosen = pick(rng, [("college", 2), ("college lycee", 2), ("lycee", 1)])
                number = len(offers) + len(new_offers) + 1
                new_offers.append(offer_row(rng, number, firm, code, chosen))
                count, levels = offer_needs(mine(offers + new_offers))

            count, unmet = ambassador_needs(mine(people + new_people))
            while count or unmet:
                taken = {r["commune"] for r in mine(people + new_people)}
                free = [f for f in fitting if f.town.insee not in taken]
                if free:
                    firm = pick(rng, [(f, f.town.pop**0.5) for f in free])
                else:
                    town = town_for(dept, archs[0], taken, fitting)
                    firm = firm_in(town, archs[0], fitting, set())
                formats = {f for _, f in unmet}
                local = [f for f in formats if f in ("sur_place", "collectif")]
                remote = [f for f in formats if f in ("visio", "telephone")]
                meets = local or remote or [rng.choice(["sur_place", "visio"])]
                adults = {g for g, f in unmet if f in meets and g in ADULT_PUBLICS}
                meets += ["individuel"] + (["mail"] if rng.random() < 0.3 else [])
                publics = ["college", "lycee", *adults]
                publics += ["etudiant"] if rng.random() < 0.4 else []
                publics += ["parent"] if rng.random() < 0.15 else []
                new_people.append(
                    {
                        "kind": "metier",
                        "metier": code,
                        "formation": "",
                        "school": "",
                        "company": firm.key,
                        "commune": firm.town.insee,
                        "years_in_job": str(min(30, 1 + int(rng.triangular(0, 30, 6)))),
                        "formats": in_order(meets, METIER_FORMATS),
                        "publics": in_order(publics, METIER_PUBLICS),
                        **zone(rng, firm.town, "departement:55 commune:35 region:10"),
                        "available": "oui",
                        "demo": "oui",
                    }
                )
                count, unmet = ambassador_needs(mine(people + new_people))

    names = FIRST_NAMES + MORE_FIRST_NAMES.split()
    initials, seen = "BCDFGHLMNPRSTV" + MORE_INITIALS, {p["display_name"] for p in people}
    for number, row in enumerate(new_people, start=len(people) + 1):
        name = ""
        while not name or name in seen:
            name = f"{rng.choice(names)} {rng.choice(initials)}. (démo)"
        seen.add(name)
        row |= {"key": f"demo_amb_{number:03d}", "display_name": name}
    return new_firms, new_offers, new_people


def charters(
    rng: random.Random,
    firms: list[Firm],
    offers: list[Row],
    people: list[Row],
    signed: set[str] | None = None,
) -> list[Row]:
    """Company rows; about a third (all in Normandy) signed the agency's charter (or those of
    `signed`)."""
    with_offers = {r["company"] for r in offers}
    with_people = {r["company"] for r in people}
    if signed is None:
        normandy = [f for f in firms if f.town.dept in NORMANDY]
        signed = {f.key for f in rng.sample(normandy, round(len(firms) / 3))}
    first, last = date(2020, 9, 9), date(2026, 6, 30)
    rows = []
    for firm in firms:
        row = {
            "key": firm.key,
            "name": firm.name,
            "commune": firm.town.insee,
            "secteur": firm.arch.secteur,
            "charter_signed_on": "",
            "charter_actions": "",
            "demo": "oui",
        }
        if firm.key in signed:
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            actions = ["réseau des Ambassadeurs Métiers"] if firm.key in with_people else []
            actions += ["mini-stages de 3 à 5 jours"] if firm.key in with_offers else []
            actions += rng.sample(CHOSEN_ACTIONS, rng.choice([1, 1, 2]))
            row |= {"charter_signed_on": day.isoformat(), "charter_actions": "; ".join(actions)}
        rows.append(row)
    return rows


def structures(rng: random.Random, terr: Territory, region: str = "normandie") -> list[Row]:
    """One Mission locale, CIO, PSAD and Info Jeunes per department, then in the main town of
    every EPCI of the region (Normandy: not in Rouen for Info Jeunes, the real one is there);
    one Transitions Pro per region (Grand Est only: its own)."""
    if region == "grand-est":
        return _structures(
            rng,
            terr,
            [max(terr.by_dept[d], key=lambda t: t.pop) for d in GRAND_EST],
            GRAND_EST,
            (("Grand Est", "67:Strasbourg"),),
            real=[],
        )
    towns = [
        terr.named(e) for e in ("14:Caen", "27:Évreux", "50:Saint-Lô", "61:Alençon", "76:Rouen")
    ]
    towns += [max(terr.by_dept[d], key=lambda t: t.pop) for d in GRAND_EST]
    return _structures(
        rng,
        terr,
        towns,
        NORMANDY,
        (("Normandie", "76:Rouen"), ("Grand Est", "67:Strasbourg")),
        real=[ROUEN_INFO_JEUNES],
    )


#: The one real structure (seed document 003), with its public details only.
ROUEN_INFO_JEUNES = {
    "key": "info_jeunes_rouen",
    "kind": "info_jeunes",
    "name": "Rouen Info Jeunes",
    "commune": "76540",
    "address": "27 rue Victor Hugo, 76000 Rouen",
    "publics": "11-30 ans et parents",
    "age_min": "11",
    "age_max": "30",
    "contact": "",
    "demo": "non",
}


def _structures(
    rng: random.Random,
    terr: Territory,
    towns: list[Town],
    epci_depts: Sequence[str],
    transitions: Sequence[tuple[str, str]],
    real: list[Row],
) -> list[Row]:
    """The four kinds in `towns`, Transitions Pro per (region, town), then the four kinds in
    the main town of every EPCI of `epci_depts` not yet served; `real` rows first."""
    kinds: list[tuple[str, str, str, int | None, int | None]] = [
        ("mission_locale", "Mission locale", "16-25 ans sortis du système scolaire", 16, 25),
        ("cio", "CIO", "élèves, étudiants, familles", 11, None),
        ("psad", "Plateforme décrochage (PSAD)", "16-25 ans sortis sans diplôme", 16, 25),
        ("info_jeunes", "Info Jeunes", "11-30 ans et parents", 11, 30),
    ]
    rows = [dict(r) for r in real]
    plan: list[tuple[str, str, Town, str, int | None, int | None]] = [
        (k, f"{n} {rng.choice(ANYWHERE)}, {t.nom} (démo)", t, p, lo, hi)
        for t in towns
        for k, n, p, lo, hi in kinds
        if (k, t.nom) != ("info_jeunes", "Rouen")
    ]
    plan += [
        (
            "transitions_pro",
            f"Transitions Pro {region} (démo)",
            terr.named(entry),
            "salariés en projet de reconversion",
            None,
            None,
        )
        for region, entry in transitions
    ]
    plan += [
        (k, f"{n} {rng.choice(ANYWHERE)}, {t.nom} (démo)", t, p, lo, hi)
        for t in terr.epci_main_towns(epci_depts)
        if t not in towns
        for k, n, p, lo, hi in kinds
        if (k, t.nom) != ("info_jeunes", "Rouen")
    ]
    for kind, name, town, publics, low, high in plan:
        rows.append(
            {
                "key": f"demo_{kind}_{slug(town.nom)}",
                "kind": kind,
                "name": name,
                "commune": town.insee,
                "address": "Adresse de démonstration",
                "publics": publics,
                "age_min": "" if low is None else str(low),
                "age_max": "" if high is None else str(high),
                "contact": "Contact de démonstration",
                "hours": DEMO_HOURS,
                "demo": "oui",
            }
        )
    if len({r["key"] for r in rows}) != len(rows):
        sys.exit("structures: two towns give the same key")
    blank = {"hours": "", "phone": "", "website": "", "latitude": "", "longitude": ""}
    return [blank | r for r in rows]


def coordinators(terr: Territory) -> list[Row]:
    """One per department (Seine-Maritime split by EPCI), one for Grand Est, one backup.

    An EPCI straddling Seine-Maritime goes to a Seine-Maritime coordinator only if most of its
    population lives there (CC Roumois Seine stays with the Eure).
    """
    west = WEST_SEINE_MARITIME.split("|")
    inside: dict[str, int] = defaultdict(int)  # inhabitants in Seine-Maritime minus elsewhere
    for town in terr.towns:
        inside[town.epci] += town.pop if town.dept == "76" else -town.pop
    names = {t.epci: t.epci_nom for t in terr.by_dept["76"] if t.epci and inside[t.epci] > 0}
    east = " ".join(sorted(e for e, n in names.items() if n not in west))
    ouest = " ".join(sorted(e for e, n in names.items() if n in west))
    people = [
        ("Coordinatrice Calvados (démo)", "14", ""),
        ("Coordinateur Eure (démo)", "27", ""),
        ("Coordinatrice Manche (démo)", "50", ""),
        ("Coordinateur Orne (démo)", "61", ""),
        ("Coordinatrice Rouen et Seine-Maritime Est (démo)", "", east),
        ("Coordinateur Le Havre et Seine-Maritime Ouest (démo)", "", ouest),
        ("Coordinatrice Grand Est (démo)", " ".join(GRAND_EST), ""),
        ("Coordinateur remplaçant, backup (démo)", "", ""),
    ]
    return [
        {
            "telegram_id": str(9000000001 + i),
            "name": name,
            "departements": depts,
            "epcis": epcis,
            "backup": "oui" if "backup" in name else "non",
            "absent": "non",
            "demo": "oui",
        }
        for i, (name, depts, epcis) in enumerate(people)
    ]


def in_pack(kind: str, row: Row) -> bool:
    """Whether a row belongs to the Normandy pack: located in Normandy (a coordinator: all
    his departments are Normandy's). The Grand Est rows are still drawn, so that the random
    numbers, hence the Normandy rows, stay what they were before the packs; they are dropped."""
    if kind == "coordinators":
        return all(d in NORMANDY for d in row["departements"].split())
    return row["commune"][:2] in NORMANDY


#: Grand Est's departments as coordinators' titles say them (one coordinator each).
GRAND_EST_NAMES = {
    "08": "Coordinatrice Ardennes", "10": "Coordinateur Aube", "51": "Coordinatrice Marne",
    "52": "Coordinateur Haute-Marne", "54": "Coordinatrice Meurthe-et-Moselle",
    "55": "Coordinateur Meuse", "57": "Coordinatrice Moselle", "67": "Coordinateur Bas-Rhin",
    "68": "Coordinatrice Haut-Rhin", "88": "Coordinateur Vosges",
}  # fmt: skip


def coordinators_grand_est() -> list[Row]:
    """One per department of Grand Est, one backup (ids apart from Normandy's)."""
    people = [(f"{GRAND_EST_NAMES[d]} (démo)", d) for d in GRAND_EST]
    people.append(("Coordinateur remplaçant Grand Est, backup (démo)", ""))
    return [
        {
            "telegram_id": str(9000000101 + i),
            "name": name,
            "departements": dept,
            "epcis": "",
            "backup": "oui" if "backup" in name else "non",
            "absent": "non",
            "demo": "oui",
        }
        for i, (name, dept) in enumerate(people)
    ]


def write(kind: str, rows: list[Row], folder: Path = PACK) -> None:
    """<folder>/<kind>.csv with exactly the columns of HEADERS[kind]; in the Normandy pack,
    its rows only (`in_pack`)."""
    header = HEADERS[kind].split()
    if folder == PACK:
        rows = [row for row in rows if in_pack(kind, row)]
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{folder.relative_to(KNOWLEDGE.parent)}/{kind}.csv: {len(rows)} rows")


def main(argv: Sequence[str] | None = None) -> None:
    """Generate and write the five files of a region."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--region", choices=("normandie", "grand-est"), default="normandie")
    region = parser.parse_args(argv).region
    rng = random.Random(SEED)
    terr = Territory(KNOWLEDGE / "communes.csv")
    metiers = load_metiers(KNOWLEDGE / "metiers.csv")
    kinds = archetypes(metiers)
    firms = companies(rng, terr, kinds)
    offers = ministages(rng, firms)
    people = ambassadors(rng, terr, firms, metiers)
    # The commonest wishes, with their own random numbers: the rows above stay as they were.
    more = random.Random(SEED + 1)
    extra = kinds + archetypes(metiers, EXTRA_ARCHETYPES)
    new_firms, new_offers, new_people = coverage(more, terr, firms, offers, people, extra)
    offers, people = offers + new_offers, people + new_people
    private = [f for f in new_firms if "P" not in f.arch.where]
    signed = {f.key for f in private if more.random() < 1 / 3}
    rows = charters(rng, firms, offers, people)
    if region == "grand-est":
        write_grand_est(rng, terr, firms + new_firms, offers, people, extra)
        return
    write("companies", rows + charters(more, new_firms, offers, people, signed))
    write("ambassadors", people)
    write("ministages", offers)
    write("structures", structures(rng, terr))
    write("coordinators", coordinators(terr))


def write_grand_est(
    rng: random.Random,
    terr: Territory,
    firms: list[Firm],
    offers: list[Row],
    people: list[Row],
    kinds: list[Archetype],
) -> None:
    """knowledge/regions/grand-est/: the Grand Est rows of the sample, completed like Normandy's
    (every common wish in every department, with its own random numbers), companies without
    the Normandy agency's charter (no such charter in Grand Est's sources), its structures and
    one coordinator per department."""
    more = random.Random(SEED + 2)
    new_firms, new_offers, new_people = coverage(
        more, terr, firms, offers, people, kinds, depts=GRAND_EST
    )
    dept_of = {t.insee: t.dept for t in terr.towns}
    ours = [f for f in firms + new_firms if f.town.dept in GRAND_EST]
    offers = [o for o in offers + new_offers if dept_of[o["commune"]] in GRAND_EST]
    people = [p for p in people + new_people if dept_of[p["commune"]] in GRAND_EST]
    folder = KNOWLEDGE / "regions" / "grand-est"
    write("companies", charters(more, ours, offers, people, signed=set()), folder)
    write("ambassadors", people, folder)
    write("ministages", offers, folder)
    write("structures", structures(rng, terr, "grand-est"), folder)
    write("coordinators", coordinators_grand_est(), folder)


if __name__ == "__main__":
    main()
