"""`format_date` and `date_formatter` give what Django's `date` filter gives, for dates and for
datetimes in local time, in every format the case file uses and a few it may."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from core.dates import date_formatter, format_date

FORMATS = [
    "j F Y",
    "j M Y",
    "j F Y, H:i",
    r"j F Y \a\t H:i",
    "j M Y H:i",
    "j M Y, H:i",
    "Y-m-d",
    "l j F",
    "D d/m/y G:i:s",
    "n/j",
    "c",  # a letter left to Django
    "DATE_FORMAT",  # a format setting's name
]
DAYS = [datetime.date(2024, 1, 1) + datetime.timedelta(days=n * 37) for n in range(30)]
# Either side of the clocks changing (Europe/London), and midnight UTC in summer.
MOMENTS = [
    datetime.datetime(2025, 3, 30, 0, 59, tzinfo=datetime.UTC),
    datetime.datetime(2025, 3, 30, 1, 0, 5, tzinfo=datetime.UTC),
    datetime.datetime(2025, 10, 26, 0, 30, tzinfo=datetime.UTC),
    datetime.datetime(2025, 10, 26, 1, 30, tzinfo=datetime.UTC),
    datetime.datetime(2025, 6, 30, 23, 5, 9, tzinfo=datetime.UTC),
    datetime.datetime(2025, 12, 31, 23, 59, 59, tzinfo=ZoneInfo("America/New_York")),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_datetime_in_local_time_is_shown_as_djangos_date_filter_shows_it(fmt: str) -> None:
    for moment in MOMENTS:
        local = timezone.localtime(moment)
        assert format_date(local, fmt) == django_date(local, fmt), moment


@pytest.mark.parametrize("fmt", [f for f in FORMATS if "H" not in f and "G" not in f])
def test_a_date_is_shown_as_djangos_date_filter_shows_it(fmt: str) -> None:
    for day in DAYS:
        assert format_date(day, fmt) == django_date(day, fmt), day


def test_a_formatter_made_once_formats_each_value_as_format_date_does() -> None:
    shown = date_formatter("j F Y")
    assert [shown(day) for day in DAYS] == [format_date(day, "j F Y") for day in DAYS]


def test_month_and_weekday_names_follow_the_active_language() -> None:
    day = datetime.date(2025, 5, 2)
    with translation.override("de"):
        assert format_date(day, "l j F Y") == django_date(day, "l j F Y") == "Freitag 2 Mai 2025"
    assert format_date(day, "l j F Y") == "Friday 2 May 2025"


def test_a_time_of_day_cannot_be_shown_for_a_date() -> None:
    with pytest.raises(TypeError):  # as Django refuses it
        format_date(datetime.date(2025, 5, 2), "j F Y H:i")
