"""School holidays from the official calendar (zone B: Normandy, Grand Est)."""

from __future__ import annotations

from datetime import date

from parcours.school_calendar import upcoming


def test_the_next_holidays_of_zone_b_are_found_in_order() -> None:
    periods = upcoming(date(2026, 11, 25), "B", count=3)
    assert [p.name for p in periods] == [
        "Vacances de Noël",
        "Vacances d'hiver",
        "Vacances de printemps",
    ]
    assert all(p.start <= p.end for p in periods)
    assert periods[0].start.year == 2026


def test_holidays_in_progress_count_as_upcoming() -> None:
    christmas = upcoming(date(2026, 11, 25), "B", count=1)[0]
    assert upcoming(christmas.start, "B", count=1) == [christmas]


def test_the_one_day_ascension_bridge_is_not_a_period() -> None:
    names = {p.name for p in upcoming(date(2027, 1, 1), "B", count=20)}
    assert "Pont de l'Ascension" not in names


def test_no_data_past_the_calendar_means_nothing_rather_than_a_guess() -> None:
    assert upcoming(date(2040, 1, 1), "B") == []
