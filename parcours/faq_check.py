"""`faq check` for the region packs: every region's catalogue loads and renders, cites its
sources, and says nothing that belongs to another region."""

from __future__ import annotations

import re

from parcours import faq, regions
from parcours.search.normalize import fold


def foreign_words(code: str) -> dict[str, str]:
    """Folded region-bound words of the OTHER packs → the pack they belong to."""
    return {
        fold(word): other
        for other in regions.available()
        if other != code
        for word in regions.region(other).own_words
    }


def leaks(text: str, code: str) -> list[str]:
    """Another region's words found in `text` (whole words, accents and case ignored)."""
    folded = f" {fold(text)} "
    return sorted(
        f"{word} ({other})"
        for word, other in foreign_words(code).items()
        if re.search(rf"(?<![a-z0-9]){re.escape(word)}", folded)
    )


def rendered_answers(code: str) -> list[tuple[str, str]]:
    """(key, text) of every answer of a region, tu and vous, with its buttons' targets."""
    out = []
    for entry in faq.catalogue_of(code).entries:
        targets = " ".join(
            b.get("url") or b.get("payload") or "" for b in faq.render_buttons(entry, code)
        )
        for vous in (False, True):
            out.append((entry.key, f"{faq.render_answer(entry, vous=vous, code=code)} {targets}"))
    return out


def region_problems(code: str) -> list[str]:
    """What is wrong with one region's catalogue (empty: fine)."""
    try:
        cat = faq.region_catalogue(code)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        return [f"{code}: {error}"]
    values = regions.region(code).placeholders()
    problems = []
    for entry in cat.entries:
        if not entry.sources:
            problems.append(f"{code}/{entry.key}: no sources")
        for text in (entry.answer, entry.answer_vous, *(b.title for b in entry.buttons)):
            for name in re.findall(r"{([^{}]*)}", text):
                if name not in values:
                    problems.append(f"{code}/{entry.key}: {{{name}}} is not defined by the region")
    if problems:
        return list(dict.fromkeys(problems))
    faq.catalogue_of.cache_clear()
    compares = regions.region(code).compares
    for key, text in rendered_answers(code):
        if key in compares:
            continue
        for word in leaks(text, code):
            problems.append(f"{code}/{key}: names another region: {word}")
    return list(dict.fromkeys(problems))


def check_packs() -> list[str]:
    """Problems of every pack: region.yml, catalogue, placeholders, sources, leaks."""
    problems = []
    for code in regions.available():
        try:
            regions.load_region(code)
        except ValueError as error:
            problems.append(f"{code}/region.yml: {error}")
            continue
        problems += region_problems(code)
    try:
        faq.union_catalogue()
    except ValueError as error:
        problems.append(f"training union: {error}")
    return problems
