"""Text folding for search: case, accents, apostrophes, hyphens, SMS spellings, stop words.

Everything the indexes compare goes through :func:`fold` first, on both sides (the rows when an
index is built, the user's text at query time), so that "St-Lô", "saint lo" and "SAINT LÔ" all
become ``"saint lo"``.

Two query flavours sit on top of it:

- :func:`normalize_commune_query` expands the abbreviations of place names ("st" → saint,
  "ste" → sainte, "s/" → sur…);
- :func:`normalize_metier_query` rewrites common SMS spellings and removes the words that carry
  no job ("je veux travailler dans la…", "métier de…"). Job slang ("dev", "mécano") is *not*
  rewritten here: it comes from the synonyms of the métier catalogue.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "COMMUNE_ABBREVIATIONS",
    "METIER_LINK_WORDS",
    "METIER_STOP_WORDS",
    "SMS_SPELLINGS",
    "fold",
    "looks_like_postal_code",
    "metier_text_key",
    "normalize_commune_query",
    "normalize_metier_query",
    "postal_code_of",
    "stem",
]

# Letters NFKD does not decompose into a base letter plus a combining mark.
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "ŀ": "l"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _slow_fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(_LIGATURES.get(c, c) for c in base)


# Fast path: the Latin letters of French (and neighbours) folded once, at import.
_LATIN = str.maketrans(
    {
        chr(code): _slow_fold_char(chr(code))
        for code in range(0xC0, 0x250)
        if _slow_fold_char(chr(code)) != chr(code)
    }
)


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces.

    Accents are removed, ligatures spelled out, and every apostrophe, hyphen, slash or other
    punctuation becomes a word break: ``"L'Abergement-Clémenciat"`` → ``"l abergement
    clemenciat"``, ``"Schœnenbourg"`` → ``"schoenenbourg"``.
    """
    text = text.casefold().translate(_LATIN)
    if not text.isascii():
        text = "".join(_slow_fold_char(char) for char in text)
    return _NON_ALNUM.sub(" ", text).strip()


# --- postal codes -------------------------------------------------------------------------

_POSTAL_CODE = re.compile(r"(?:0[1-9]|[1-8]\d|9[0-8])\d{3}")
_POSTAL_CODE_LOOSE = re.compile(r"\s*(\d{2})[\s.]?(\d{3})\s*")


def looks_like_postal_code(text: str) -> bool:
    """True for a French postal code: five digits, department part 01–98.

    Tolerates surrounding spaces and the "14 000" / "14.000" spellings people type. It only
    checks the shape: whether the code exists is for :class:`~parcours.search.communes.
    CommuneIndex` to say.
    """
    match = _POSTAL_CODE_LOOSE.fullmatch(text)
    return match is not None and _POSTAL_CODE.fullmatch(match[1] + match[2]) is not None


def postal_code_of(text: str) -> str | None:
    """The postal code in ``text`` in its five-digit form, or None (see looks_like_postal_code)."""
    match = _POSTAL_CODE_LOOSE.fullmatch(text)
    if match is None or _POSTAL_CODE.fullmatch(match[1] + match[2]) is None:
        return None
    return match[1] + match[2]


# --- communes -----------------------------------------------------------------------------

#: Abbreviations of place names, on folded words.
COMMUNE_ABBREVIATIONS: dict[str, str] = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "mt": "mont",
    "mts": "monts",
    "nd": "notre dame",
}
# Abbreviations written with a slash, expanded before folding turns the slash into a space.
_SLASH_ABBREVIATIONS = (
    (re.compile(r"(?<![^\W\d_])s\s*/\s*s(?![^\W\d_])", re.IGNORECASE), " sous "),
    (re.compile(r"(?<![^\W\d_])s\s*/\s*", re.IGNORECASE), " sur "),
)


# "j'habite à …", "je suis de …", "près de …": words before a place name, on folded text.
_COMMUNE_LEAD = re.compile(
    r"^(?:(?:j habite|je (?:vis|suis|reside|demeure)|moi|c est|habite)\s+)?"
    r"(?:(?:a|au|en|sur|de|pres de|a cote de|dans la ville de|la ville de)\s+)?"
)


def normalize_commune_query(text: str) -> str:
    """Fold a place name as typed and expand its abbreviations.

    ``"St-Lô"`` → ``"saint lo"``, ``"Condé s/ Vire"`` → ``"conde sur vire"``,
    ``"Ste Mère Église"`` → ``"sainte mere eglise"``, ``"j'habite à Caen"`` → ``"caen"``.
    """
    for pattern, replacement in _SLASH_ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    words = (COMMUNE_ABBREVIATIONS.get(word, word) for word in fold(text).split())
    folded = " ".join(words)
    stripped = _COMMUNE_LEAD.sub("", folded, count=1)
    return stripped or folded


# --- métiers ------------------------------------------------------------------------------

#: SMS and casual spellings of everyday words, on folded words (one word → one or more words).
#: Only general vocabulary: job slang ("dev", "mecano") belongs to the métier synonyms.
SMS_SPELLINGS: dict[str, str] = {
    "jveu": "je veux",
    "jveux": "je veux",
    "jvx": "je veux",
    "jvoudrai": "je voudrais",
    "jvoudrais": "je voudrais",
    "jaimerai": "j aimerais",
    "jaimerais": "j aimerais",
    "jsuis": "je suis",
    "chui": "je suis",
    "jsp": "je sais pas",
    "ve": "veux",
    "veu": "veux",
    "vx": "veux",
    "voudrai": "voudrais",
    "aimerai": "aimerais",
    "ds": "dans",
    "pr": "pour",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "koi": "quoi",
    "kel": "quel",
    "kelle": "quelle",
    "ki": "qui",
    "ke": "que",
    "ak": "avec",
    "avc": "avec",
    "tt": "tout",
    "tjr": "toujours",
    "tjrs": "toujours",
    "bcp": "beaucoup",
    "bocou": "beaucoup",
    "qd": "quand",
    "mm": "meme",
    "dla": "de la",
    "ptet": "peut etre",
    "bosser": "travailler",
    "taffer": "travailler",
    "travaille": "travailler",
    "taf": "travail",
    "boulot": "travail",
    "animo": "animaux",
    "animos": "animaux",
    "zanimaux": "animaux",
    "zenfants": "enfants",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words that carry no job: removed from métier queries after the SMS rewrite.
METIER_STOP_WORDS: frozenset[str] = _words(
    """
    je j moi me m tu te t il elle on nous vous ils elles
    veux veut voudrais voudrait aimerais aimerait aime adore souhaite souhaiterais
    envie reve revais pense cherche recherche interesse interesserait passionne
    suis serai etre devenir faire fais travailler travail bosse apprendre
    metier metiers job jobs emploi emplois profession poste carriere domaine
    secteur filiere branche plus tard quand grand grande
    le la les l un une des de du d au aux a en dans sur sous pour par avec chez vers
    et ou ni mais donc car que qu qui quoi quel quelle quels quelles comme
    ce c cet cette ces ca cela mon ma mes ton ta tes son sa ses leur leurs
    y est sont ai as avoir pas ne n plutot genre truc trucs style type
    sais savoir peut peux pourrais tout tous toute toutes tres bien beaucoup
    stp svp merci bonjour salut slt bjr coucou hello
    """
)


def normalize_metier_query(text: str) -> str:
    """Fold a job query, rewrite SMS spellings and drop the words that carry no job.

    ``"Je veux travailler dans la boulangerie"`` → ``"boulangerie"``,
    ``"jveu etre infirmiere"`` → ``"infirmiere"``,
    ``"travailler avec les animaux"`` → ``"animaux"``. Returns ``""`` when nothing is left.
    """
    expanded: list[str] = []
    for word in fold(text).split():
        expanded.extend(SMS_SPELLINGS.get(word, word).split())
    return " ".join(word for word in expanded if word not in METIER_STOP_WORDS)


#: Function words removed from the métier catalogue's own texts (libellés, synonyms, keywords)
#: before they are compared with a query, which lost them in :func:`normalize_metier_query`.
METIER_LINK_WORDS: frozenset[str] = _words(
    "le la les l un une des de du d au aux a en dans sur sous pour par avec chez et ou"
)

# Feminine and plural endings, tried in order, on folded words longer than 3 letters.
_PLURAL_ENDINGS = (("eaux", "eau"), ("aux", "al"), ("eux", "eu"), ("oux", "ou"))
_FEMININE_ENDINGS = (
    ("iere", "ier"),
    ("gere", "ger"),
    ("chere", "cher"),
    ("ienne", "ien"),
    ("euse", "eur"),
    ("trice", "teur"),
    ("eure", "eur"),
    ("ante", "ant"),
    ("ente", "ent"),
    ("elle", "el"),
    ("onne", "on"),
    ("ive", "if"),
    ("ee", "e"),
)


def stem(word: str) -> str:
    """A light French stem of a folded word: plural and feminine endings undone.

    ``"infirmieres"`` → ``"infirmier"``, ``"animaux"`` → ``"animal"``, ``"coiffeuse"`` →
    ``"coiffeur"``, ``"animatrice"`` → ``"animateur"``. Not a linguistic stemmer: it only has to
    map a query word and the catalogue word it means to the same string.
    """
    if len(word) <= 3:
        return word
    for ending, replacement in _PLURAL_ENDINGS:
        if word.endswith(ending):
            word = word[: -len(ending)] + replacement
            break
    else:
        if word[-1] == "s" and not word.endswith("ss"):
            word = word[:-1]
    for ending, replacement in _FEMININE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + replacement
    return word


def metier_text_key(text: str) -> str:
    """The comparable form of a catalogue text: folded, function words dropped, stemmed."""
    return " ".join(stem(word) for word in fold(text).split() if word not in METIER_LINK_WORDS)
