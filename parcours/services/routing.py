"""Who should take a user's chat: the coordinators of their territory, else the backups.

Coordinators come from :func:`parcours.services.coordinators.all_coordinators` (the
``coordinators`` table, the COORDINATORS setting and BACKUP_COORDINATOR; re-exported here
with :func:`is_coordinator` and :func:`set_absent`). A commune is covered first by the
coordinators of its EPCI, then by those of its whole department; absent ones are skipped.

Callers own the unit of work: nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from parcours import regions
from parcours.models import Commune
from parcours.search.communes import CommuneIndex
from parcours.search.normalize import fold, postal_code_of
from parcours.services import catalogue_search
from parcours.services.coordinator_setting import (
    CoordinatorInfo,
    is_departement_code,
    is_epci_siren,
    parse_coordinators_setting,
)
from parcours.services.coordinators import all_coordinators, is_coordinator, set_absent
from parcours.settings import Settings

__all__ = [
    "UNKNOWN_TERRITORY",
    "CoordinatorInfo",
    "Route",
    "TransferTarget",
    "all_coordinators",
    "is_coordinator",
    "parse_coordinators_setting",
    "resolve_transfer_target",
    "route_user",
    "set_absent",
    "transfer_help_text",
]

UNKNOWN_TERRITORY = "territoire inconnu"

_USAGE = (
    "Usage : /transferer suivi d'un identifiant Telegram, d'un nom de coordinateur, "
    "d'un département (14), d'un EPCI (SIREN à 9 chiffres), d'une commune ou d'un code postal."
)


# --- routing a user ---------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Who takes a chat.

    ``coordinators``: the present coordinators of the user's EPCI, then of their department.
    ``backups``: the present backups not already listed, always filled so that a chat left
    waiting can be re-announced to them. :attr:`targets` is who to notify first.
    """

    coordinators: list[CoordinatorInfo]
    backups: list[CoordinatorInfo]
    territory_label: str
    departement: str | None
    epci: str | None

    @property
    def targets(self) -> list[CoordinatorInfo]:
        """The territory's coordinators, else the backups (empty: tell the whole group)."""
        return self.coordinators or self.backups

    @property
    def fallback(self) -> bool:
        """Whether nobody of the territory is available (the backups take it)."""
        return not self.coordinators


def _territory_route(
    people: list[CoordinatorInfo], label: str, departement: str | None, epci: str | None
) -> Route:
    present = [c for c in people if not c.absent]
    first = [c for c in present if epci and c.covers_epci(epci)]
    first += [
        c for c in present if departement and c.covers_departement(departement) and c not in first
    ]
    backups = [c for c in present if c.backup and c not in first]
    return Route(first, backups, label, departement, epci)


def _commune(session: Session, town_code: str) -> Commune | None:
    """The commune of an INSEE code, or the most populated one of a postal code."""
    commune = session.get(Commune, town_code)
    postal = postal_code_of(town_code)
    if commune is None and postal is not None:
        query = select(Commune).where(Commune.codes_postaux.contains(postal))
        commune = session.scalars(query.order_by(Commune.population.desc())).first()
    return commune


def route_user(session: Session, settings: Settings, *, town_code: str | None) -> Route:
    """Who should take the chat of a user living in ``town_code`` (INSEE, or postal code)."""
    people = all_coordinators(session, settings)
    commune = _commune(session, town_code) if town_code else None
    if commune is None:
        return _territory_route(people, UNKNOWN_TERRITORY, None, None)
    label = f"{commune.nom} ({commune.departement})"
    return _territory_route(people, label, commune.departement, commune.epci)


# --- /transferer <arg> ------------------------------------------------------------------

TransferKind = Literal["coordinator", "departement", "epci", "commune"]


@dataclass(frozen=True)
class TransferTarget:
    """Where a staff member sends a chat: present people and a short French label.

    ``fallback``: nobody of that territory (or that coordinator) is available, so
    ``coordinators`` holds the backups instead (possibly nobody at all).
    """

    coordinators: list[CoordinatorInfo]
    label: str
    kind: TransferKind
    fallback: bool = False
    departement: str | None = None
    epci: str | None = None


@dataclass
class _Resolution:
    target: TransferTarget | None = None
    problem: Literal["empty", "unknown", "people", "communes", None] = None
    candidates: list[str] = field(default_factory=list)


def _backups(people: list[CoordinatorInfo]) -> list[CoordinatorInfo]:
    return [c for c in people if c.backup and not c.absent]


def _person(people: list[CoordinatorInfo], person: CoordinatorInfo) -> _Resolution:
    if not person.absent:
        return _Resolution(TransferTarget([person], person.name, "coordinator"))
    label = f"remplaçants de {person.name}"
    return _Resolution(TransferTarget(_backups(people), label, "coordinator", fallback=True))


def _territory(
    people: list[CoordinatorInfo],
    covering: list[CoordinatorInfo],
    label: str,
    kind: TransferKind,
    departement: str | None,
    epci: str | None,
) -> _Resolution:
    present = [c for c in covering if not c.absent]
    chosen, fallback = (present, False) if present else (_backups(people), True)
    return _Resolution(TransferTarget(chosen, label, kind, fallback, departement, epci))


def _departement(session: Session, people: list[CoordinatorInfo], code: str) -> _Resolution:
    covering = [c for c in people if c.covers_departement(code)]
    if not any(not c.absent for c in covering):
        # Nobody for the whole department: those covering some of its EPCI.
        query = select(Commune.epci).where(Commune.departement == code).distinct()
        epcis = {e for e in session.scalars(query) if e}
        covering += [c for c in people if epcis.intersection(c.epcis) and c not in covering]
    return _territory(people, covering, f"département {code}", "departement", code, None)


def _epci(session: Session, people: list[CoordinatorInfo], siren: str) -> _Resolution:
    query = select(Commune.departement, Commune.epci_nom).where(Commune.epci == siren)
    places = session.execute(query.order_by(Commune.population.desc())).all()
    covering = [c for c in people if c.covers_epci(siren)]
    if not places and not covering:
        return _Resolution(problem="unknown")
    departement = places[0].departement if places else None
    if not any(not c.absent for c in covering):
        departements = {p.departement for p in places}
        covering += [
            c for c in people if departements.intersection(c.departements) and c not in covering
        ]
    name = places[0].epci_nom if places and places[0].epci_nom else f"EPCI {siren}"
    label = f"{name} ({departement})" if departement else name
    return _territory(people, covering, label, "epci", departement, siren)


def _town(
    people: list[CoordinatorInfo], settings: Settings, text: str, index: CommuneIndex
) -> _Resolution:
    region = regions.insee_codes().get(settings.region)
    matches = index.find(text, limit=5, region=region)
    if not matches:
        by_insee = index.get(text.upper())  # an INSEE code rather than a postal code
        if by_insee is None:
            return _Resolution(problem="unknown")
        return _commune_target(people, by_insee.nom, by_insee.departement, by_insee.epci)
    best = matches[0]

    def region_of(insee: str) -> str | None:
        commune = index.get(insee)
        return commune.region if commune else None

    namesakes = [
        m
        for m in matches
        if m.score == best.score
        and fold(m.nom) == fold(best.nom)
        and region_of(m.insee) == region_of(best.insee)
    ]
    if len(namesakes) > 1:
        return _Resolution(
            problem="communes", candidates=[f"{m.nom} ({m.departement})" for m in namesakes]
        )
    return _commune_target(people, best.nom, best.departement, best.epci)


def _commune_target(
    people: list[CoordinatorInfo], nom: str, departement: str, epci: str | None
) -> _Resolution:
    route = _territory_route(people, f"{nom} ({departement})", departement, epci)
    target = TransferTarget(
        route.targets, route.territory_label, "commune", route.fallback, departement, epci
    )
    return _Resolution(target)


def _by_name(people: list[CoordinatorInfo], text: str) -> list[CoordinatorInfo]:
    """Coordinators whose name has a word starting with each word of ``text``."""
    words = fold(text).split()
    if not words:
        return []
    return [
        c
        for c in people
        if all(any(part.startswith(word) for part in fold(c.name).split()) for word in words)
    ]


def _resolve(
    session: Session, settings: Settings, arg: str, index: CommuneIndex | None
) -> _Resolution:
    text = arg.strip().lstrip("@").strip()
    if not text:
        return _Resolution(problem="empty")
    people = all_coordinators(session, settings)
    digits = text.isascii() and text.isdigit()
    if digits:
        person = next((c for c in people if c.telegram_id == int(text)), None)
        if person is not None:
            return _person(people, person)
    if len(text) <= 3 and is_departement_code(text.upper().zfill(2)):
        return _departement(session, people, text.upper().zfill(2))
    if is_epci_siren(text):
        return _epci(session, people, text)
    if not digits:
        named = _by_name(people, text)
        if len(named) == 1:
            return _person(people, named[0])
        if named:
            return _Resolution(
                problem="people", candidates=[f"{c.name} ({c.telegram_id})" for c in named]
            )
    return _town(people, settings, text, index or catalogue_search.commune_index())


def resolve_transfer_target(
    session: Session, settings: Settings, arg: str, *, index: CommuneIndex | None = None
) -> TransferTarget | None:
    """Who ``/transferer <arg>`` means; None when ``arg`` is ambiguous or unknown.

    ``arg``, tried in this order: a coordinator's Telegram id; a department code (``14``,
    ``2A``); an EPCI SIREN (9 digits); a fragment of a coordinator's name (case and accents
    ignored, unique match); a town name or postal code (``index``: the commune index,
    default the catalogue's). A territory goes to its present coordinators, else the backups;
    an absent coordinator's chats go to the backups. See :func:`transfer_help_text`.
    """
    return _resolve(session, settings, arg, index).target


def transfer_help_text(
    session: Session, settings: Settings, arg: str, *, index: CommuneIndex | None = None
) -> str:
    """The French answer to ``/transferer <arg>``: who it means, or why it means nobody."""
    resolution = _resolve(session, settings, arg, index)
    shown = arg.strip()
    target = resolution.target
    if target is not None:
        names = ", ".join(c.name for c in target.coordinators)
        if not names:
            return f"Personne n'est disponible pour {target.label}, même parmi les remplaçants."
        if target.fallback:
            return (
                f"Personne n'est disponible pour {target.label} ; "
                f"transfert aux remplaçants : {names}."
            )
        return f"Transfert vers {target.label} : {names}."
    if resolution.problem == "people":
        listed = ", ".join(resolution.candidates)
        return (
            f"Plusieurs coordinateurs correspondent à « {shown} » : {listed}. "
            "Précisez le nom ou donnez l'identifiant Telegram."
        )
    if resolution.problem == "communes":
        listed = ", ".join(resolution.candidates)
        return (
            f"Plusieurs communes s'appellent « {shown} » : {listed}. Ajoutez le département, "
            f"par exemple « {resolution.candidates[0]} », ou le code postal."
        )
    if resolution.problem == "empty":
        return _USAGE
    return f"Je ne trouve ni coordinateur, ni territoire pour « {shown} ». {_USAGE}"
