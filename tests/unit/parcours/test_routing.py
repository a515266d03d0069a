"""Routing a chat to coordinators: territories, absences, backups, settings and /transferer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from parcours.db.engine import session_scope
from parcours.models import Coordinator
from parcours.services import catalogue_search
from parcours.services.routing import (
    CoordinatorInfo,
    all_coordinators,
    is_coordinator,
    parse_coordinators_setting,
    resolve_transfer_target,
    route_user,
    set_absent,
    transfer_help_text,
)
from parcours.settings import Settings
from tests.factories import add_communes

LISIEUX_EPCI = "200069532"
ROUEN_EPCI = "200023414"
COMMUNES = [
    ("14118", "Caen", "14000", "14", "200065597"),
    ("14366", "Lisieux", "14100", "14", LISIEUX_EPCI),
    ("14057", "Beaumont", "14950", "14", "200065597"),
    ("50036", "Beaumont", "50440", "50", "200066389"),
    ("50502", "Saint-Lô", "50000", "50", "200066389"),
    ("61001", "Alençon", "61000", "61", "200068096"),
    ("76540", "Rouen", "76000", "76", ROUEN_EPCI),
]
MARTIN, BERNARD, DURAND, ROUSSEL, PETIT, DEMO = 101, 102, 103, 104, 109, 900


@pytest.fixture
def territory(settings: Settings) -> Iterator[Settings]:
    """Calvados by department, Lisieux and Rouen by EPCI, an absent Manche, one backup."""
    with session_scope() as session:
        add_communes(session, COMMUNES)
        for telegram_id, name, departements, epcis, backup, absent, demo in [
            (MARTIN, "Camille Martin", "14", "", False, False, False),
            (BERNARD, "Lou Bernard", "", LISIEUX_EPCI, False, False, False),
            (DURAND, "Éloïse Durand", "50", "", False, True, False),
            (ROUSSEL, "Camille Roussel", "", ROUEN_EPCI, False, False, False),
            (PETIT, "Sam Petit", "", "", True, False, False),
            (DEMO, "Démo Orne", "61", "", False, False, True),
        ]:
            session.add(
                Coordinator(
                    telegram_id=telegram_id,
                    name=name,
                    departements=departements,
                    epcis=epcis,
                    backup=backup,
                    absent=absent,
                    demo=demo,
                )
            )
    catalogue_search.commune_index.cache_clear()
    yield settings
    catalogue_search.commune_index.cache_clear()


def ids(people: list[CoordinatorInfo]) -> list[int]:
    return [c.telegram_id for c in people]


# --- the COORDINATORS setting -------------------------------------------------------------


def test_the_coordinators_setting_reads_departments_epcis_backups_and_names() -> None:
    people = parse_coordinators_setting(
        "123:14 2a 976:Camille: Calvados ; 456:200023414,247600588\n789:*;790:backup 61"
    )
    assert people == [
        CoordinatorInfo(123, "Camille: Calvados", ("14", "2A", "976")),
        CoordinatorInfo(456, "Coordinateur 456", (), ("200023414", "247600588")),
        CoordinatorInfo(789, "Coordinateur 789", backup=True),
        CoordinatorInfo(790, "Coordinateur 790", ("61",), backup=True),
    ]
    assert parse_coordinators_setting("  ") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("123", "expected '<telegram_id>:<territories>"),
        ("abc:14", "'abc' is not a Telegram user id"),
        ("-5:14", "is not a Telegram user id"),
        ("123:", "no territory"),
        ("123:14 14000", "'14000' is neither a department code"),
        ("123:99", "'99' is neither"),
        ("123:14;123:50", "id 123 is repeated"),
        ("1:14;;2:lisieux", "entry 2 '2:lisieux'"),
    ],
)
def test_a_bad_coordinators_setting_is_refused_with_the_bad_entry_named(
    value: str, message: str
) -> None:
    with pytest.raises(ValueError, match="COORDINATORS") as error:
        parse_coordinators_setting(value)
    assert message in str(error.value)


def test_settings_refuse_a_bad_coordinators_value_at_load() -> None:
    with pytest.raises(ValidationError, match="'xx' is neither"):
        Settings(coordinators="123:14 xx")


def test_the_setting_wins_for_the_same_id_but_keeps_the_absence_of_the_table(
    territory: Settings,
) -> None:
    settings = territory.model_copy(
        update={"coordinators": f"{MARTIN}:61;{DURAND}:50 14:Éloïse D.;555:76"}
    )
    with session_scope() as session:
        people = {c.telegram_id: c for c in all_coordinators(session, settings)}
    assert people[MARTIN].departements == ("61",)
    assert people[MARTIN].name == "Camille Martin"  # no name in the setting: the table's
    assert people[DURAND].name == "Éloïse D."
    assert people[DURAND].absent
    assert people[555].name == "Coordinateur 555"


def test_demo_coordinators_are_ignored_in_production(territory: Settings) -> None:
    with session_scope() as session:
        assert DEMO in ids(all_coordinators(session, territory))
        production = territory.model_copy(update={"production": True})
        assert DEMO not in ids(all_coordinators(session, production))
        assert not is_coordinator(session, production, DEMO)


# --- route_user ---------------------------------------------------------------------------


def test_the_epci_coordinator_comes_before_the_department_one(territory: Settings) -> None:
    with session_scope() as session:
        route = route_user(session, territory, town_code="14366")
    assert ids(route.coordinators) == [BERNARD, MARTIN]
    assert ids(route.backups) == [PETIT]
    assert route.targets == route.coordinators
    assert (route.territory_label, route.departement, route.epci) == (
        "Lisieux (14)",
        "14",
        LISIEUX_EPCI,
    )


def test_a_town_covered_only_by_its_department(territory: Settings) -> None:
    with session_scope() as session:
        route = route_user(session, territory, town_code="14118")
    assert ids(route.coordinators) == [MARTIN]
    assert route.territory_label == "Caen (14)"


def test_absent_coordinators_are_skipped_and_the_backups_take_over(territory: Settings) -> None:
    with session_scope() as session:
        route = route_user(session, territory, town_code="50502")
    assert route.coordinators == []
    assert route.fallback
    assert ids(route.targets) == [PETIT]
    assert route.territory_label == "Saint-Lô (50)"


def test_the_backup_coordinator_setting_joins_the_backups(territory: Settings) -> None:
    settings = territory.model_copy(update={"backup_coordinator": 777})
    with session_scope() as session:
        route = route_user(session, settings, town_code=None)
        assert is_coordinator(session, settings, 777)
    assert ids(route.targets) == [777, PETIT]  # "Coordinateur 777" sorts before "Sam Petit"


@pytest.mark.parametrize("town_code", [None, "99999", "nowhere"])
def test_an_unknown_town_goes_to_the_backups(territory: Settings, town_code: str | None) -> None:
    with session_scope() as session:
        route = route_user(session, territory, town_code=town_code)
    assert route.territory_label == "territoire inconnu"
    assert route.departement is None
    assert ids(route.targets) == [PETIT]


def test_a_postal_code_is_accepted_as_town_code(territory: Settings) -> None:
    with session_scope() as session:
        assert route_user(session, territory, town_code="76000").territory_label == "Rouen (76)"


# --- staff rights and absences ------------------------------------------------------------


def test_staff_rights_come_from_the_table_the_setting_and_the_backup(territory: Settings) -> None:
    settings = territory.model_copy(update={"coordinators": "555:76", "backup_coordinator": 777})
    with session_scope() as session:
        assert is_coordinator(session, settings, MARTIN)
        assert is_coordinator(session, settings, DURAND)  # absent, still staff
        assert is_coordinator(session, settings, 555)
        assert is_coordinator(session, settings, 777)
        assert not is_coordinator(session, settings, 42)


def test_an_absence_is_persisted_and_routes_around_the_coordinator(territory: Settings) -> None:
    with session_scope() as session:
        assert set_absent(session, BERNARD, True, settings=territory)
    with session_scope() as session:
        assert ids(route_user(session, territory, town_code="14366").coordinators) == [MARTIN]
        assert set_absent(session, BERNARD, False, settings=territory)
    with session_scope() as session:
        row = session.get(Coordinator, BERNARD)
        assert row is not None
        assert not row.absent


def test_a_setting_only_coordinator_gets_a_row_to_keep_their_absence(
    territory: Settings,
) -> None:
    settings = territory.model_copy(update={"coordinators": "555:76:Noa"})
    with session_scope() as session:
        assert set_absent(session, 555, True, settings=settings)
    with session_scope() as session:
        row = session.get(Coordinator, 555)
        assert row is not None
        assert (row.name, row.departements, row.absent) == ("Noa", "76", True)
        assert ids(route_user(session, settings, town_code="76540").coordinators) == [ROUSSEL]
        assert not set_absent(session, 42, True, settings=settings)


# --- /transferer --------------------------------------------------------------------------


def transfer(session: Session, settings: Settings, arg: str) -> tuple[list[int], str, bool]:
    target = resolve_transfer_target(session, settings, arg)
    assert target is not None, transfer_help_text(session, settings, arg)
    return ids(target.coordinators), target.label, target.fallback


def test_transfer_to_a_coordinator_by_id_or_name_fragment(territory: Settings) -> None:
    with session_scope() as session:
        assert transfer(session, territory, str(BERNARD)) == ([BERNARD], "Lou Bernard", False)
        assert transfer(session, territory, "@lou")[0] == [BERNARD]
        assert transfer(session, territory, "CAMILLE m")[0] == [MARTIN]
        assert transfer(session, territory, "roussel")[0] == [ROUSSEL]


def test_transfer_to_an_absent_coordinator_goes_to_the_backups(territory: Settings) -> None:
    with session_scope() as session:
        assert transfer(session, territory, "eloise") == (
            [PETIT],
            "remplaçants de Éloïse Durand",
            True,
        )


def test_an_ambiguous_name_is_refused_with_the_candidates(territory: Settings) -> None:
    with session_scope() as session:
        assert resolve_transfer_target(session, territory, "camille") is None
        text = transfer_help_text(session, territory, "camille")
    assert "Plusieurs coordinateurs" in text
    assert f"Camille Martin ({MARTIN})" in text
    assert f"Camille Roussel ({ROUSSEL})" in text


def test_transfer_to_a_department(territory: Settings) -> None:
    with session_scope() as session:
        assert transfer(session, territory, "14") == ([MARTIN], "département 14", False)
        # Nobody covers the whole of 76: those covering some of its EPCI.
        assert transfer(session, territory, "76")[0] == [ROUSSEL]
        assert transfer(session, territory, "50") == ([PETIT], "département 50", True)
        assert transfer(session, territory, "2a") == ([PETIT], "département 2A", True)


def test_transfer_to_an_epci(territory: Settings) -> None:
    with session_scope() as session:
        assert transfer(session, territory, LISIEUX_EPCI) == (
            [BERNARD],
            "EPCI Lisieux (14)",
            False,
        )
        # Nobody for Saint-Lô's EPCI, its department's coordinator is absent: the backups.
        assert transfer(session, territory, "200066389")[0] == [PETIT]
        assert resolve_transfer_target(session, territory, "123456789") is None


def test_transfer_to_a_town_by_name_postal_code_or_insee(territory: Settings) -> None:
    with session_scope() as session:
        assert transfer(session, territory, "lisieu") == (
            [BERNARD, MARTIN],
            "Lisieux (14)",
            False,
        )
        assert transfer(session, territory, "14000") == ([MARTIN], "Caen (14)", False)
        assert transfer(session, territory, "14366")[1] == "Lisieux (14)"
        assert transfer(session, territory, "rouen")[0] == [ROUSSEL]
        assert transfer(session, territory, "Beaumont (50)") == ([PETIT], "Beaumont (50)", True)


def test_a_town_name_shared_by_several_communes_is_refused(territory: Settings) -> None:
    with session_scope() as session:
        assert resolve_transfer_target(session, territory, "Beaumont") is None
        text = transfer_help_text(session, territory, "Beaumont")
    assert "Plusieurs communes s'appellent « Beaumont »" in text
    assert "Beaumont (14)" in text
    assert "Beaumont (50)" in text


@pytest.mark.parametrize("arg", ["xyzzy", "", "   ", "4242"])
def test_an_unknown_argument_gets_the_usage(territory: Settings, arg: str) -> None:
    with session_scope() as session:
        assert resolve_transfer_target(session, territory, arg) is None
        assert "Usage : /transferer" in transfer_help_text(session, territory, arg)


def test_the_help_text_names_who_takes_the_chat(territory: Settings) -> None:
    with session_scope() as session:
        assert transfer_help_text(session, territory, "lisieux") == (
            "Transfert vers Lisieux (14) : Lou Bernard, Camille Martin."
        )
        assert "transfert aux remplaçants : Sam Petit" in transfer_help_text(
            session, territory, "saint-lo"
        )
