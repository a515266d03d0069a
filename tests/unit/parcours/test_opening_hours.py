"""Opening hours: spec parsing, French public holidays, DST, next opening and French wording."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from parcours import regions
from parcours.services.french_calendar import french_date
from parcours.services.opening_hours import (
    OpeningHours,
    expected_wait_text,
    french_public_holidays,
    french_when,
)
from parcours.settings import Settings

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = OpeningHours.parse("mon-fri 09:00-17:00")
SPLIT = OpeningHours.parse("mon-thu 09:00-12:30,13:30-17:00; fri 09:00-16:00")


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# --- parsing ------------------------------------------------------------------------------


def test_french_day_names_and_hour_spellings_mean_the_same_schedule() -> None:
    french = OpeningHours.parse("lun-ven 9h-17h")
    assert french.weekly == WEEKDAYS.weekly
    spelled_out = OpeningHours.parse("du lundi au vendredi 9h-12h30 et 13h30-17h")
    assert spelled_out.weekly[0] == ((540, 750), (810, 1020))
    assert spelled_out.weekly[5] == ()


def test_split_days_and_lunch_breaks_are_read_per_day() -> None:
    assert SPLIT.weekly[0] == ((540, 750), (810, 1020))
    assert SPLIT.weekly[4] == ((540, 960),)
    assert SPLIT.weekly[5] == SPLIT.weekly[6] == ()


def test_a_day_range_may_wrap_around_the_week() -> None:
    hours = OpeningHours.parse("fri-mon 10:00-12:00; wed 9-10")
    assert [bool(day) for day in hours.weekly] == [True, False, True, False, True, True, True]


@pytest.mark.parametrize(
    ("spec", "bad_part"),
    [
        ("", "empty"),
        ("mon-fry 09:00-17:00", "'fry'"),
        ("mon-fri", "no opening time"),
        ("mon-fri 17:00-09:00", "'17:00-09:00'"),
        ("mon-fri 9:-17:00", "'9:'"),
        ("mon 25:00-26:00", "'25:00'"),
        ("mon 9:75-10:00", "'9:75'"),
        ("mon-tue-wed 9-17", "'mon-tue-wed'"),
        ("mon 09:00-12:00,11:00-13:00", "overlapping times on Monday"),
        ("mon-fri 09:00-17:00; sat 9-12-14", "'9-12-14'"),
        ("9h-17h", "no day"),
    ],
)
def test_a_bad_spec_is_refused_with_the_bad_part_named(spec: str, bad_part: str) -> None:
    with pytest.raises(ValueError, match="OPENING_HOURS") as error:
        OpeningHours.parse(spec)
    assert bad_part in str(error.value)


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        OpeningHours.parse("mon-fri 9-17", tz="Mars/Olympus")


def test_settings_refuse_bad_opening_hours_and_time_zones_at_load() -> None:
    with pytest.raises(ValidationError, match="unknown day 'fry'"):
        Settings(opening_hours="mon-fry 9-17")
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings(timezone="Europe/Caen")
    assert Settings(opening_hours="lun-ven 9h-17h").hours.weekly == WEEKDAYS.weekly


# --- public holidays ----------------------------------------------------------------------


def test_without_a_subdivision_the_eleven_holidays_of_metropolitan_france() -> None:
    days_2026 = french_public_holidays(2026)
    assert days_2026[date(2026, 4, 6)] == "Lundi de Pâques"
    assert days_2026[date(2026, 5, 14)] == "Ascension"
    assert days_2026[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert days_2026[date(2026, 7, 14)] == "Fête nationale"
    days_2027 = french_public_holidays(2027, None)
    assert days_2027[date(2027, 3, 29)] == "Lundi de Pâques"
    assert days_2027[date(2027, 5, 6)] == "Ascension"
    assert days_2027[date(2027, 5, 17)] == "Lundi de Pentecôte"
    assert len(days_2026) == len(days_2027) == 11
    assert list(days_2026) == sorted(days_2026)
    assert date(2026, 4, 3) not in days_2026  # Good Friday
    assert date(2026, 12, 26) not in days_2026


@pytest.mark.parametrize("department", ["57", "67", "68"])
def test_alsace_moselle_departments_add_good_friday_and_26_december(department: str) -> None:
    pack = regions.region("grand-est")
    national = french_public_holidays(2027)
    local = french_public_holidays(2027, pack.holiday_subdivision(department))
    assert {day: local[day] for day in set(local) - set(national)} == {
        date(2027, 3, 26): "Vendredi saint",
        date(2027, 12, 26): "Saint-Étienne",
    }
    assert set(national) <= set(local)
    assert local[date(2027, 7, 14)] == "Fête nationale"


def test_other_departments_and_the_region_default_have_the_national_days_only() -> None:
    national = french_public_holidays(2027)
    for code in regions.available():
        pack = regions.region(code)
        assert pack.holiday_subdivision() is None
        for department in pack.departments:
            if department not in ("57", "67", "68"):
                assert french_public_holidays(2027, pack.holiday_subdivision(department)) == (
                    national
                )


def test_opening_hours_close_on_the_holidays_of_their_subdivision() -> None:
    good_friday = paris(2026, 4, 3, 10)
    assert WEEKDAYS.is_open(good_friday)
    region_wide = Settings(opening_hours="mon-fri 09:00-17:00", region="grand-est").hours
    assert region_wide.is_open(good_friday)  # the region's default: national days only
    grand_est = OpeningHours.parse("mon-fri 09:00-17:00", "Europe/Paris", "6AE")
    assert not grand_est.is_open(good_friday)
    assert grand_est.next_opening(paris(2026, 4, 2, 18)) == paris(2026, 4, 7, 9)
    saint_stephen = paris(2028, 12, 26, 10)  # a Tuesday
    assert WEEKDAYS.is_open(saint_stephen)
    assert not grand_est.is_open(saint_stephen)
    assert "jour férié (Vendredi saint)" in expected_wait_text(grand_est, good_friday)


def test_three_holiday_thursdays_in_a_row_still_find_the_next_opening() -> None:
    thursdays = OpeningHours.parse("thu 9-10")  # 1 May, 8 May and Ascension 2042
    assert thursdays.next_opening(paris(2042, 4, 24, 11)) == paris(2042, 5, 22, 9)


# --- is_open / next_opening ----------------------------------------------------------------


def test_open_within_hours_closed_at_the_closing_minute_and_on_weekends() -> None:
    assert WEEKDAYS.is_open(paris(2026, 11, 27, 9))
    assert WEEKDAYS.is_open(datetime(2026, 11, 27, 16, 59, 59, tzinfo=PARIS))
    assert not WEEKDAYS.is_open(paris(2026, 11, 27, 17))
    assert not WEEKDAYS.is_open(paris(2026, 11, 28, 11))
    assert not SPLIT.is_open(paris(2026, 11, 30, 13))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        WEEKDAYS.is_open(datetime(2026, 11, 27, 10))


def test_friday_evening_reopens_on_monday_morning() -> None:
    friday_evening = paris(2026, 11, 27, 18, 30)
    reopening = WEEKDAYS.next_opening(friday_evening)
    assert reopening == paris(2026, 11, 30, 9)
    assert reopening.tzinfo == PARIS
    assert french_when(reopening, friday_evening) == "lundi 30 novembre à 9 h"


def test_an_open_moment_is_its_own_next_opening_converted_to_the_zone() -> None:
    at = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # 11:00 in Paris
    assert WEEKDAYS.next_opening(at) == at
    assert WEEKDAYS.next_opening(at).tzinfo == PARIS


def test_a_holiday_monday_is_closed_all_day() -> None:
    assert not WEEKDAYS.is_open(paris(2026, 4, 6, 10))  # Easter Monday
    assert WEEKDAYS.next_opening(paris(2026, 4, 3, 18)) == paris(2026, 4, 7, 9)
    assert WEEKDAYS.next_opening(paris(2026, 5, 22, 17)) == paris(2026, 5, 26, 9)  # Whit Monday


def test_christmas_and_new_year_push_the_reopening_to_the_next_year() -> None:
    new_year_eve = paris(2026, 12, 31, 17, 5)
    reopening = WEEKDAYS.next_opening(new_year_eve)
    assert reopening == paris(2027, 1, 4, 9)
    assert french_when(reopening, new_year_eve) == "lundi 4 janvier 2027 à 9 h"
    assert WEEKDAYS.next_opening(paris(2026, 12, 24, 18)) == paris(2026, 12, 28, 9)


def test_a_monday_only_schedule_survives_two_holiday_mondays_in_a_row() -> None:
    mondays = OpeningHours.parse("mon 9-10")  # 25 Dec 2028 and 1 Jan 2029 are Mondays
    assert mondays.next_opening(paris(2028, 12, 18, 11)) == paris(2029, 1, 8, 9)


def test_the_spring_dst_week_keeps_wall_clock_hours() -> None:
    # Clocks go forward on Sunday 29 March 2026: Monday 9:00 is 7:00 UTC, not 8:00.
    reopening = WEEKDAYS.next_opening(paris(2026, 3, 27, 18))
    assert reopening == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert reopening.utcoffset() is not None
    assert reopening.hour == 9
    assert not WEEKDAYS.is_open(datetime(2026, 3, 30, 6, 30, tzinfo=UTC))
    assert WEEKDAYS.is_open(datetime(2026, 3, 30, 7, 0, tzinfo=UTC))
    assert not WEEKDAYS.is_open(datetime(2026, 3, 27, 16, 30, tzinfo=UTC))  # 17:30 CET


def test_the_autumn_dst_week_keeps_wall_clock_hours() -> None:
    # Clocks go back on Sunday 25 October 2026: Monday 9:00 is 8:00 UTC.
    reopening = WEEKDAYS.next_opening(paris(2026, 10, 23, 18))
    assert reopening == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    assert not WEEKDAYS.is_open(datetime(2026, 10, 26, 7, 30, tzinfo=UTC))
    assert WEEKDAYS.is_open(datetime(2026, 10, 23, 14, 30, tzinfo=UTC))  # 16:30 CEST


def test_an_opening_inside_the_skipped_dst_hour_moves_forward() -> None:
    night = OpeningHours.parse("sun 02:30-04:00")
    reopening = night.next_opening(paris(2026, 3, 28, 12))
    assert reopening.date() == date(2026, 3, 29)
    assert night.is_open(reopening)


# --- French wording -----------------------------------------------------------------------


def test_describe_says_days_hours_and_holidays_in_french() -> None:
    assert WEEKDAYS.describe() == "du lundi au vendredi, de 9 h à 17 h (fermé les jours fériés)"
    assert SPLIT.describe() == (
        "du lundi au jeudi, de 9 h à 12 h 30 et de 13 h 30 à 17 h ; "
        "le vendredi, de 9 h à 16 h (fermé les jours fériés)"
    )
    assert OpeningHours.parse("mon,wed,fri 9-12; sat-sun 10-12").describe() == (
        "le lundi, le mercredi et le vendredi, de 9 h à 12 h ; "
        "le samedi et le dimanche, de 10 h à 12 h (fermé les jours fériés)"
    )


def test_french_when_says_today_tomorrow_or_the_date() -> None:
    now = paris(2026, 11, 30, 12, 45)
    assert SPLIT.french_when(SPLIT.next_opening(now), now) == "aujourd'hui à 13 h 30"
    assert french_when(paris(2026, 12, 1, 9), now) == "demain à 9 h"
    assert french_when(paris(2026, 12, 7, 9, 30), now) == "lundi 7 décembre à 9 h 30"
    assert french_date(date(2026, 6, 1)) == "lundi 1er juin"


def test_out_of_hours_the_user_is_told_the_hours_and_the_reopening() -> None:
    friday_evening = paris(2026, 11, 27, 18)
    vous = expected_wait_text(WEEKDAYS, friday_evening, register="vous")
    assert vous.startswith("Nos conseillers sont disponibles du lundi au vendredi, de 9 h à 17 h")
    assert "Un conseiller vous répondra dès la réouverture, lundi 30 novembre à 9 h." in vous
    assert "Vous pouvez déjà écrire votre question ici" in vous
    tu = expected_wait_text(WEEKDAYS, friday_evening, register="tu")
    assert "Un conseiller te répondra dès la réouverture, lundi 30 novembre à 9 h." in tu
    assert "Tu peux déjà écrire ta question ici" in tu


def test_on_a_holiday_the_user_is_told_why_it_is_closed() -> None:
    text = expected_wait_text(WEEKDAYS, paris(2026, 12, 25, 10), register="tu")
    assert text.startswith("Aujourd'hui est un jour férié (Noël).")
    assert "lundi 28 décembre à 9 h" in text


def test_within_hours_the_user_is_told_someone_answers_soon() -> None:
    at = paris(2026, 11, 30, 10)
    assert expected_wait_text(WEEKDAYS, at, register="tu") == (
        "Un conseiller va te répondre ici dès que possible."
    )
    assert "vous répondre" in expected_wait_text(WEEKDAYS, at)
