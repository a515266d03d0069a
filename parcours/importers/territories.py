"""Departments and regions written as agencies write them: a code (``14``, ``2A``, ``1`` for
``01``) or a name (``Calvados``, ``Seine-Maritime``, ``Normandie``). Only codes are stored."""

from __future__ import annotations

import re

from parcours.search.normalize import fold

#: INSEE department codes and names (the collectivités d'outre-mer of communes.csv included).
DEPARTEMENTS = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes", "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes",
    "09": "Ariège", "10": "Aube", "11": "Aude", "12": "Aveyron", "13": "Bouches-du-Rhône",
    "14": "Calvados", "15": "Cantal", "16": "Charente", "17": "Charente-Maritime",
    "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse",
    "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs",
    "26": "Drôme", "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard",
    "31": "Haute-Garonne", "32": "Gers", "33": "Gironde", "34": "Hérault",
    "35": "Ille-et-Vilaine", "36": "Indre", "37": "Indre-et-Loire", "38": "Isère",
    "39": "Jura", "40": "Landes", "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire",
    "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot", "47": "Lot-et-Garonne",
    "48": "Lozère", "49": "Maine-et-Loire", "50": "Manche", "51": "Marne",
    "52": "Haute-Marne", "53": "Mayenne", "54": "Meurthe-et-Moselle", "55": "Meuse",
    "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord", "60": "Oise",
    "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin",
    "69": "Rhône", "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe",
    "73": "Savoie", "74": "Haute-Savoie", "75": "Paris", "76": "Seine-Maritime",
    "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres", "80": "Somme",
    "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse", "85": "Vendée",
    "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne",
    "90": "Territoire de Belfort", "91": "Essonne", "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion",
    "975": "Saint-Pierre-et-Miquelon", "976": "Mayotte", "977": "Saint-Barthélemy",
    "978": "Saint-Martin", "984": "Terres australes et antarctiques françaises",
    "986": "Wallis-et-Futuna", "987": "Polynésie française", "988": "Nouvelle-Calédonie",
    "989": "Clipperton",
}  # fmt: skip

#: INSEE region codes and names (communes.csv also gives the collectivités d'outre-mer their
#: own code as region: those are accepted as region codes too).
REGIONS = {
    "01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion",
    "06": "Mayotte", "11": "Île-de-France", "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté", "28": "Normandie", "32": "Hauts-de-France",
    "44": "Grand Est", "52": "Pays de la Loire", "53": "Bretagne", "75": "Nouvelle-Aquitaine",
    "76": "Occitanie", "84": "Auvergne-Rhône-Alpes", "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}  # fmt: skip
_OVERSEAS_COLLECTIVITIES = ("975", "977", "978", "984", "986", "987", "988", "989")

_ARTICLE = re.compile(r"^(?:la|le|les|l) ")
_LIST_SEPARATORS = re.compile(r"[,;|]")


def _key(name: str) -> str:
    return _ARTICLE.sub("", fold(name))


_DEPARTEMENT_NAMES = {_key(name): code for code, name in DEPARTEMENTS.items()}
_REGION_NAMES = {_key(name): code for code, name in REGIONS.items()}
_REGION_CODES = {*REGIONS, *_OVERSEAS_COLLECTIVITIES}


def _code(value: str, codes: dict[str, str] | set[str], names: dict[str, str]) -> str | None:
    text = value.strip().upper()
    if text.isdigit() and len(text) == 1:  # a spreadsheet dropped the leading zero
        text = "0" + text
    if text in codes:
        return text
    return names.get(_key(value))


def departement_code(value: str) -> str:
    """The code of a department given by code or name; ValueError (French) otherwise."""
    code = _code(value, DEPARTEMENTS, _DEPARTEMENT_NAMES)
    if code is None:
        raise ValueError(
            f"« {value.strip()} » n'est ni un numéro ni un nom de département "
            "(par exemple 14 ou Calvados)"
        )
    return code


def departement_codes(value: str) -> str:
    """Space-separated department codes from codes or names separated by spaces, `,` `;` or
    `|` (``"Calvados, Eure"``, ``"14 27"``, ``"Seine-Maritime|61"``); empty means none."""
    codes: list[str] = []
    for part in _LIST_SEPARATORS.split(value):
        if not part.strip():
            continue
        whole = _code(part, DEPARTEMENTS, _DEPARTEMENT_NAMES)
        codes += [whole] if whole else [departement_code(word) for word in part.split()]
    return " ".join(dict.fromkeys(codes))


def region_code(value: str) -> str:
    """The code of a region given by code or name; ValueError (French) otherwise."""
    code = _code(value, _REGION_CODES, _REGION_NAMES)
    if code is None:
        raise ValueError(
            f"« {value.strip()} » n'est ni un code ni un nom de région "
            "(par exemple 28 ou Normandie)"
        )
    return code
