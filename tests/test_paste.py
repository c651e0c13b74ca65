"""Press lists read line by line: what each line gives, and lines no race could have."""

import pytest

from results.exchange.paste import parse_pasted, size_problems


def read(line):
    [row] = parse_pasted(line)
    return row


def test_a_nation_ending_in_na_is_a_nation_not_an_unknown_gap():
    row = read("- Yifei Ye – China")
    assert (row.driver, row.nation, row.gap, row.errors) == ("Yifei Ye", "CN", "", [])


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("1" * 40_000, "1" * 80),
        ("a" * 100_000, "a" * 80),
        ("- " + "1 " * 20_000, "- " + "1 " * 39),
        ("+ " * 50_000, "+ " * 40),
        ("1:" * 50_000, "1:" * 40),
    ],
)
def test_a_long_line_is_read_in_one_pass_and_named(line, shown):
    # Each of these kept a backtracking regular expression busy for seconds to minutes.
    assert read(line).errors == [
        f"Line 1: cannot read “{shown}…”; write it as “Driver – Nation +gap” "
        "(for example “Jose Serrano – Spain +1.0684”)."
    ]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "2000000. Jose Serrano – Spain +1.0684",
            "Line 1: position “2000000” is not one a race has (1 to 100, the largest field).",
        ),
        (
            "0. Jose Serrano – Spain +1.0684",
            "Line 1: position “0” is not one a race has (1 to 100, the largest field).",
        ),
        (
            "- Jose Serrano – Spain – 4000 laps",
            "Line 1: “4000 laps” is more laps than any race has (1000 at most).",
        ),
        (
            "- Jose Serrano – Spain +4000 laps",
            "Line 1: “+4000 laps” is more laps than any race has (1000 at most).",
        ),
        (
            "- " + "A" * 5000 + " – Spain +1.0",
            f"Line 1: the driver's name “{'A' * 40}…” is 5,000 characters long; a name has at most 100.",
        ),
        (
            "- Jose\x00 Serrano – Spain +1.0",
            "Line 1 contains a null character (\\x00), which cannot be stored: "
            "“- Jose\\x00 Serrano – Spain +1.0”. "
            "Delete it, or copy the list again from its source.",
        ),
    ],
)
def test_values_no_race_has_are_refused_naming_the_line_and_the_value(line, error):
    assert read(line).errors == [error]


def test_a_paste_larger_than_a_race_is_refused_before_it_is_read():
    assert size_problems("- A – Spain\n" * 201) == [
        "The list has 201 lines; paste one race, at most 200 lines."
    ]
    assert size_problems("ok\n" + "x" * 301) == [
        f"Line 2 is 301 characters long; a result line has at most 300: “{'x' * 40}…”."
    ]
    assert size_problems("- A – Spain\n" * 200) == []
