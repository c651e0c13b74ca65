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


@pytest.mark.parametrize(
    ("line", "token", "error"),
    [
        (
            "Coque López – Spain +abc",
            "+abc",
            "Line 1: “+abc” is not a gap: write it as +1.0684, +1.6 s, +1:05.950, +1 lap, +2 laps or N/A.",
        ),
        (
            "Kaj de Bruin – The Netherlands 9.870",
            "9.870",
            "Line 1: “9.870” is a gap without its “+”: write “+9.870”.",
        ),
        (
            "Kaj de Bruin – Netherlands 1.6 s",
            "1.6 s",
            "Line 1: “1.6 s” is a gap without its “+”: write “+1.6 s”.",
        ),
        ("Odd One – Atlantis – Toyota +2 laps", "Atlantis", "Line 1: “Atlantis” is not a nation we know."),
        (
            "Odd One – Atlantis +2 laps",
            "Atlantis",
            "Line 1: “Atlantis” is neither a nation we know nor a team.",
        ),
        (
            "P0 Jose Serrano – Spain +1.0",
            "0",
            "Line 1: position “0” is not one a race has (1 to 100, the largest field).",
        ),
        (
            "12-7 Jose Serrano – Spain",
            "12-7",
            "Line 1: the band of places “12-7” runs backwards; write the higher place first (7-12).",
        ),
    ],
)
def test_an_error_names_the_wrong_token_and_marks_it(line, token, error):
    row = read(line)
    assert (row.errors, row.problem_token) == ([error], token)


def test_the_rest_of_a_line_with_a_wrong_gap_is_still_read():
    row = read("Coque López – Spain +abc")
    assert (row.driver, row.nation, row.gap) == ("Coque López", "ES", "")


@pytest.mark.parametrize(
    ("line", "driver", "position", "laps", "gap", "status"),
    [
        ("Takuma Miyazono +1.0684", "Takuma Miyazono", 1, None, "+1.0684", "finished"),
        ("Takuma Miyazono – 35 laps", "Takuma Miyazono", 1, 35, "", "finished"),
        ("3. Coque Lopez DNF", "Coque Lopez", 3, None, "", "dnf"),
        ("- Guy Barbara N/A", "Guy Barbara", 1, None, "N/A", "finished"),
    ],
)
def test_a_line_without_a_nation_is_read_with_none(line, driver, position, laps, gap, status):
    row = read(line)
    assert (row.driver, row.nation, row.position, row.laps, row.gap, row.status, row.errors) == (
        driver,
        "",
        position,
        laps,
        gap,
        status,
        [],
    )


def test_a_name_alone_is_not_a_result_line():
    assert read("this is not a result line").errors == [
        "Line 1: cannot read “this is not a result line”; write it as “Driver – Nation +gap” "
        "(for example “Jose Serrano – Spain +1.0684”)."
    ]


def test_the_part_after_the_driver_is_a_nation_we_know_or_else_a_team_given():
    rows = parse_pasted(
        "Jose Serrano – Toyota +1.0684\nKylian Drumont – France +2.0\nCalen Roach – mclaren +3.0",
        teams=["Toyota", "McLaren"],
    )
    assert [(r.driver, r.nation, r.team, r.errors) for r in rows] == [
        ("Jose Serrano", "", "Toyota", []),
        ("Kylian Drumont", "FR", "", []),
        ("Calen Roach", "", "mclaren", []),
    ]
    [row] = parse_pasted("Jose Serrano – Spain – Toyota +1.0684", teams=["Toyota"])
    assert (row.nation, row.team) == ("ES", "Toyota")


@pytest.mark.parametrize(
    "tail",
    ["+1.0684", "+ 43.476", "+1.6 s", "+1.6s", "+1.6 sec", "+1:05.950", "+1 lap", "+2 laps", "N/A"],
)
def test_every_published_form_of_a_gap_is_kept_as_published(tail):
    rows = parse_pasted(f"Takuma Miyazono – Japan – 35 laps\nJose Serrano – Spain {tail}")
    assert [(r.errors, r.gap) for r in rows] == [([], ""), ([], tail)]


@pytest.mark.parametrize(("status", "code"), [("DNF", "dnf"), ("DNS", "dns"), ("DSQ", "dsq"), ("NC", "nc")])
def test_statuses_are_read_with_or_without_a_nation(status, code):
    assert read(f"Jose Serrano – Spain {status}").status == code
    assert read(f"Jose Serrano {status}").status == code


def test_the_winner_s_time_and_a_lapped_car_give_laps():
    rows = parse_pasted("Takuma Miyazono – Japan – 35 laps\nJose Serrano 1.6 s\nGuy Barbara +1 lap")
    assert rows[1].errors == ["Line 2: “1.6 s” is a gap without its “+”: write “+1.6 s”."]
    assert rows[2].laps == 34
    assert read("Takuma Miyazono – Japan 1:02:03.456").time == "1:02:03.456"
