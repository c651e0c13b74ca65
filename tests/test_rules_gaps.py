"""Gaps and times as editors paste them, read exactly and shown back in one style."""

import re
from decimal import Decimal

import pytest

from results.rules.gaps import Gap, GapError, format_gap, format_time, parse_gap, parse_time


@pytest.mark.parametrize(
    ("published", "seconds", "laps", "shown"),
    [
        ("+1.0684", Decimal("1.0684"), None, "+1.0684"),
        ("+ 43.476", Decimal("43.476"), None, "+43.476"),
        ("+1:05.950", Decimal("65.950"), None, "+1:05.950"),
        ("+1.6 s", Decimal("1.6"), None, "+1.600"),
        ("+1.6s", Decimal("1.6"), None, "+1.600"),
        ("+1.6 sec", Decimal("1.6"), None, "+1.600"),
        ("+12 secs", Decimal("12"), None, "+12.000"),
        ("+ 43.476 seconds", Decimal("43.476"), None, "+43.476"),
        ("+1:05.950 s", Decimal("65.950"), None, "+1:05.950"),
        ("+8.184", Decimal("8.184"), None, "+8.184"),
        ("+1 lap", None, 1, "+1 lap"),
        ("+2 laps", None, 2, "+2 laps"),
        ("N/A", None, None, "N/A"),
        ("", None, None, "N/A"),
    ],
)
def test_published_gaps_are_read_exactly(published, seconds, laps, shown):
    gap = parse_gap(published)
    assert gap == Gap(seconds=seconds, laps=laps)
    assert format_gap(gap) == shown


def test_equal_gaps_compare_equal_and_laps_sort_after_times():
    assert parse_gap("+8.184") == parse_gap("+ 8.184")
    ordered = sorted(
        ["+1 lap", "N/A", "+1:05.950", "+1.0684", "+2 laps"], key=lambda g: parse_gap(g).sort_key()
    )
    assert ordered == ["+1.0684", "+1:05.950", "+1 lap", "+2 laps", "N/A"]


def test_a_gap_in_seconds_sorts_with_the_same_gap_written_without_its_unit():
    assert parse_gap("+1.6 s") == parse_gap("+1.6")
    ordered = sorted(["+2 laps", "+1.6 s", "+1.0684"], key=lambda g: parse_gap(g).sort_key())
    assert ordered == ["+1.0684", "+1.6 s", "+2 laps"]


def test_race_times_with_hours_minutes_and_seconds():
    assert parse_time("1:02:03.456") == Decimal("3723.456")
    assert format_time(Decimal("3723.456")) == "1:02:03.456"
    assert format_time(parse_time("12:03.4")) == "12:03.400"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("+abc", "“+abc” is not a gap"),
        ("+1:75.0", "75.0 seconds"),
        ("+0 laps", "at least 1 lap down"),
        ("+1.2.3", "is not a gap"),
        ("+1.6 ss", "“+1.6 ss” is not a gap: write it as +1.0684, +1.6 s, +1:05.950"),
        ("+s", "“+s” is not a gap"),
        ("+1 lap s", "“+1 lap s” is not a gap"),
    ],
)
def test_unreadable_gaps_say_what_is_wrong(text, words):
    with pytest.raises(GapError, match=re.escape(words)):
        parse_gap(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("+" + "1" * 40_000, "“+" + "1" * 39 + "…” is 40,001 characters long; a gap has"),
        ("+99999 laps", "“+99999 laps” is more laps than any race has (1000 at most)."),
        ("+25:00:00", "“25:00:00” is more than 24 hours; no race lasts that long."),
    ],
)
def test_gaps_beyond_what_a_race_can_be_are_refused(text, words):
    with pytest.raises(GapError, match=re.escape(words)):
        parse_gap(text)


def test_a_race_time_longer_than_its_column_is_refused_before_it_is_read():
    with pytest.raises(GapError, match=re.escape("is 5,000 characters long; a time has at most 20.")):
        parse_time("9" * 5000)
