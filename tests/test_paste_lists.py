"""The grid, tyre strategies, penalties and pit stops, pasted as a press release prints them."""

import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.exchange.lines import size_problems
from results.exchange.lists import (
    PastedStint,
    PastedStop,
    parse_grid,
    parse_penalties,
    parse_pit_stops,
    parse_strategies,
)
from results.exchange.paste import parse_pasted
from results.rules.codes import COMPOUNDS, compound_code

PARSERS = [parse_pasted, parse_grid, parse_strategies, parse_penalties, parse_pit_stops]


def one(parse, line):
    [row] = parse(line)
    return row


# The grid.


def test_a_grid_gives_positions_nations_starting_compounds_and_times():
    rows = parse_grid(
        "1. Kylian Drumont – France (S) 1:23.456\n"
        "P2 Jose Serrano – Spain – Soft\n"
        "\n"
        "- Calen Roach (hard)\n"
        "Guy Barbara – Australia 1:24.010\n"
        "Takuma Miyazono\n"
    )
    assert [(r.line, r.position, r.driver, r.nation, r.compound, r.time, r.errors) for r in rows] == [
        (1, 1, "Kylian Drumont", "FR", "S", "1:23.456", []),
        (2, 2, "Jose Serrano", "ES", "S", "", []),
        (4, 3, "Calen Roach", "", "H", "", []),
        (5, 4, "Guy Barbara", "AU", "", "1:24.010", []),
        (6, 5, "Takuma Miyazono", "", "", "", []),
    ]


def test_a_qualifying_time_and_a_compound_may_come_in_either_order():
    rows = parse_grid("Kylian Drumont – France 1:23.456 (S)\nJose Serrano (soft) 1:23.500")
    assert [(r.compound, r.time, r.nation, r.errors) for r in rows] == [
        ("S", "1:23.456", "FR", []),
        ("S", "1:23.500", "", []),
    ]


def test_a_position_given_moves_the_lines_after_it_along():
    rows = parse_grid("Kylian Drumont\n5. Jose Serrano\nCalen Roach")
    assert [r.position for r in rows] == [1, 5, 6]


def test_a_repeated_grid_slot_or_driver_names_both_lines():
    rows = parse_grid(
        "Kylian Drumont\nJose Serrano\n2. Calen Roach\nkylian  DRUMONT\nCoque Lopez\nCoque López"
    )
    assert [(r.errors, r.problem_token) for r in rows if r.errors] == [
        (["Line 3: grid slot 2 is already in line 2 (Jose Serrano)."], "2"),
        (["Line 4: kylian DRUMONT is already in line 1 (Kylian Drumont)."], "kylian DRUMONT"),
        (["Line 6: Coque López is already in line 5 (Coque Lopez)."], "Coque López"),
    ]


@pytest.mark.parametrize(
    ("line", "token", "error"),
    [
        (
            "Guy Barbara (x)",
            "(x)",
            "Line 1: “(x)” is not a tyre compound: write S, M, H, IM or W (or soft, medium, hard, "
            "intermediate, wet).",
        ),
        (
            "Guy Barbara – Atlantis",
            "Atlantis",
            "Line 1: “Atlantis” is neither a nation we know nor a tyre compound.",
        ),
        (
            "Guy Barbara +0.412",
            "+0.412",
            "Line 1: “+0.412” is a gap; a grid line takes the qualifying time (1:23.456) or none.",
        ),
        (
            "Guy Barbara 1:75.000",
            "1:75.000",
            "Line 1: “1:75.000” has 75.000 seconds; after a colon there must be fewer than 60.",
        ),
        ("0. Guy Barbara", "0", "Line 1: grid slot “0” is not one a race has (1 to 100)."),
        ("1.", "1.", "Line 1: “1.” is not a driver's name."),
        (
            "Guy Barbara – Australia – Soft – 2",
            "Guy Barbara – Australia – Soft – 2",
            "Line 1: cannot read “Guy Barbara – Australia – Soft – 2”; write it as “1. Driver – Nation (S) "
            "1:23.456”, the position, nation, compound and time each optional.",
        ),
    ],
)
def test_a_grid_line_that_cannot_be_read_names_the_token(line, token, error):
    row = one(parse_grid, line)
    assert (row.errors, row.problem_token) == ([error], token)


def test_the_driver_of_a_grid_line_with_a_wrong_compound_is_still_read():
    assert one(parse_grid, "Guy Barbara (x)").driver == "Guy Barbara"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("S", "S"),
        ("soft", "S"),
        ("Softs", "S"),
        ("RS", "S"),
        ("m", "M"),
        ("Hard", "H"),
        ("inter", "IM"),
        ("Intermediate", "IM"),
        ("IM", "IM"),
        ("wet", "W"),
        ("W", "W"),
        ("super soft", ""),
        ("", ""),
    ],
)
def test_compounds_as_press_releases_write_them(written, code):
    assert compound_code(written) == code
    assert code == "" or code in COMPOUNDS


# Tyre strategies.


def test_strategies_give_stints_and_the_stops_they_imply():
    rows = parse_strategies(
        "Jose Serrano: S → H (lap 33)\n"
        "Kylian Drumont: S -> M (lap 10)\n"
        "Calen Roach – H > S (lap 1)\n"
        "Guy Barbara: hard, soft (lap 1)\n"
        "Serrano2: M → S (lap 10) → H (lap 33)\n"
    )
    assert [(r.driver, r.errors, r.pit_laps) for r in rows] == [
        ("Jose Serrano", [], [33]),
        ("Kylian Drumont", [], [10]),
        ("Calen Roach", [], [1]),
        ("Guy Barbara", [], [1]),
        ("Serrano2", [], [10, 33]),
    ]
    assert rows[0].stints == [PastedStint("S", 1, 33), PastedStint("H", 34, None, to_finish=True)]
    assert rows[4].stints == [
        PastedStint("M", 1, 10),
        PastedStint("S", 11, 33),
        PastedStint("H", 34, None, to_finish=True),
    ]


def test_a_lap_not_known_leaves_the_stints_around_it_open_and_is_never_guessed():
    [unknown, missing, alone] = parse_strategies(
        "Kylian Drumont: S → M (lap ?) → H (lap 20)\nJose Serrano: S → H\nTakuma Miyazono: M"
    )
    assert unknown.pit_laps == [None, 20]
    assert unknown.stints == [
        PastedStint("S", 1, None),
        PastedStint("M", None, 20),
        PastedStint("H", 21, None, to_finish=True),
    ]
    assert missing.stints == [PastedStint("S", 1, None), PastedStint("H", None, None, to_finish=True)]
    assert alone.stints == [PastedStint("M", 1, None, to_finish=True)]
    assert alone.pit_laps == []


@pytest.mark.parametrize(
    ("line", "token", "error"),
    [
        (
            "Jose Serrano: S → X (lap 33)",
            "X",
            "Line 1: “X” is not a tyre compound: write S, M, H, IM or W (or soft, medium, hard, "
            "intermediate, wet), or ? if not known.",
        ),
        (
            "Jose Serrano: M → S (lap 33) → H (lap 10)",
            "H (lap 10)",
            "Line 1: the pit stop on lap 10 comes after the one on lap 33; laps must increase.",
        ),
        (
            "Jose Serrano: S → H (lap 33) → M (lap 33)",
            "M (lap 33)",
            "Line 1: the pit stop on lap 33 comes after the one on lap 33; laps must increase.",
        ),
        (
            "Jose Serrano: S → H (lap 1001)",
            "(lap 1001)",
            "Line 1: “(lap 1001)” is past the last lap of any race (1000 at most).",
        ),
        ("Jose Serrano: S → H (lap 0)", "(lap 0)", "Line 1: “(lap 0)”: laps are numbered from 1."),
        (
            "Jose Serrano: S → H (after 33)",
            "(after 33)",
            "Line 1: “(after 33)” is not a lap: write “(lap 33)”, or “(lap ?)” if not known.",
        ),
        (
            "Jose Serrano: S (lap 10) → H",
            "(lap 10)",
            "Line 1: “(lap 10)” is on the starting compound; a lap goes with the compound the car pitted "
            "for (“S → H (lap 33)”).",
        ),
        ("Jose Serrano: S → → H", "S → → H", "Line 1: “S → → H” has an arrow with no compound after it."),
        (
            "Jose Serrano S H",
            "Jose Serrano S H",
            "Line 1: cannot read “Jose Serrano S H”; write it as “Jose Serrano: S → H (lap 33)”.",
        ),
    ],
)
def test_a_strategy_that_cannot_be_right_names_the_line_and_the_token(line, token, error):
    row = one(parse_strategies, line)
    assert (row.errors, row.problem_token, row.stints, row.pit_laps) == ([error], token, [], [])


def test_a_driver_with_two_strategies_names_both_lines():
    rows = parse_strategies("Jose Serrano: S → H (lap 33)\nKylian Drumont: S → M (lap 10)\nJosé Serrano: H")
    assert rows[2].errors == ["Line 3: José Serrano is already in line 1 (Jose Serrano)."]


# Penalties.


def test_penalties_give_their_size_reason_lap_and_whether_added_after_the_finish():
    rows = parse_penalties(
        "Miyazono +0.5 s track limits, lap 3\n"
        "Takuma Miyazono – track limits\n"
        "Drumont +5s collision (after the race)\n"
        "Calen Roach: +10 seconds unsafe release (lap 1)\n"
        "Guy Barbara – Collision on lap 4\n"
        "Jose Serrano – 5 s unsafe release\n"
        "Coque López +3 s collision (post-race), lap 12\n"
    )
    assert [(r.driver, r.seconds, r.reason, r.lap, r.after_finish, r.errors) for r in rows] == [
        ("Miyazono", Decimal("0.5"), "track limits", 3, False, []),
        ("Takuma Miyazono", None, "track limits", None, False, []),
        ("Drumont", Decimal("5"), "collision", None, True, []),
        ("Calen Roach", Decimal("10"), "unsafe release", 1, False, []),
        ("Guy Barbara", None, "Collision", 4, False, []),
        ("Jose Serrano", Decimal("5"), "unsafe release", None, False, []),
        ("Coque López", Decimal("3"), "collision", 12, True, []),
    ]


@pytest.mark.parametrize(
    ("line", "token", "error"),
    [
        (
            "Miyazono +0.5 s",
            "Miyazono +0.5 s",
            "Line 1: “Miyazono +0.5 s” gives no reason for the penalty: write what it was for "
            "(“Takuma Miyazono +0.5 s track limits, lap 3”).",
        ),
        (
            "Miyazono +abc track limits",
            "+abc",
            "Line 1: “+abc” is not a penalty's time: write it as +5 s or +0.5 s.",
        ),
        (
            "Miyazono +1000 s track limits",
            "+1000 s",
            "Line 1: “+1000 s” is not a time penalty we can store: more than 0 and at most 999 seconds, "
            "to the thousandth.",
        ),
        (
            "Miyazono +0.0005s track limits",
            "+0.0005s",
            "Line 1: “+0.0005s” is not a time penalty we can store: more than 0 and at most 999 seconds, "
            "to the thousandth.",
        ),
        (
            "Miyazono +5 s track limits, lap three",
            "lap three",
            "Line 1: “lap three” is not a lap: write “lap 3”.",
        ),
        (
            "Miyazono +5 s track limits, lap 2000",
            "lap 2000",
            "Line 1: “lap 2000” is past the last lap of any race (1000 at most).",
        ),
        (
            "Miyazono track limits",
            "Miyazono track limits",
            "Line 1: cannot read “Miyazono track limits”; "
            "write it as “Takuma Miyazono +0.5 s track limits, lap 3”.",
        ),
    ],
)
def test_a_penalty_that_cannot_be_read_names_the_line_and_the_token(line, token, error):
    row = one(parse_penalties, line)
    assert (row.errors, row.problem_token) == ([error], token)


def test_a_driver_may_have_several_penalties():
    rows = parse_penalties("Miyazono +0.5 s track limits, lap 3\nMiyazono – track limits")
    assert [r.errors for r in rows] == [[], []]


# Pit stops.


def test_pit_stops_give_their_laps_and_durations():
    rows = parse_pit_stops(
        "Jose Serrano: lap 33\nCalen Roach – laps 1, 15\nKylian Drumont: lap 10 (24.3 s)\n"
        "Guy Barbara: lap 1 (22.950s) and lap 20"
    )
    assert [(r.driver, r.stops, r.errors) for r in rows] == [
        ("Jose Serrano", [PastedStop(33)], []),
        ("Calen Roach", [PastedStop(1), PastedStop(15)], []),
        ("Kylian Drumont", [PastedStop(10, Decimal("24.3"))], []),
        ("Guy Barbara", [PastedStop(1, Decimal("22.950")), PastedStop(20)], []),
    ]
    assert rows[1].laps == [1, 15]


@pytest.mark.parametrize(
    ("line", "token", "error"),
    [
        (
            "Calen Roach – laps 15, 1",
            "1",
            "Line 1: the pit stop on lap 1 comes after the one on lap 15; laps must increase.",
        ),
        (
            "Calen Roach – lap 10 (slow)",
            "(slow)",
            "Line 1: “(slow)” is not a stop's duration: write it as (24.3 s).",
        ),
        (
            "Calen Roach – lap 10 (0 s)",
            "(0 s)",
            "Line 1: “(0 s)” is not a stop's duration we can store: more than 0 and at most 999 seconds, "
            "to the thousandth.",
        ),
        (
            "Calen Roach – lap ten",
            "lap ten",
            "Line 1: “lap ten” is not a pit stop: write “lap 10” or “lap 10 (24.3 s)”.",
        ),
        ("Calen Roach – lap 0", "lap 0", "Line 1: “lap 0”: laps are numbered from 1."),
        (
            "Calen Roach lap 10",
            "Calen Roach lap 10",
            "Line 1: cannot read “Calen Roach lap 10”; write it as “Calen Roach – laps 1, 15 (24.3 s)”.",
        ),
    ],
)
def test_a_pit_stop_that_cannot_be_read_names_the_line_and_the_token(line, token, error):
    row = one(parse_pit_stops, line)
    assert (row.errors, row.problem_token, row.stops) == ([error], token, [])


# Every list.


@pytest.mark.parametrize("parse", PARSERS[1:])
def test_a_line_that_cannot_be_stored_is_named_not_dropped(parse):
    rows = parse("Jose Serrano: lap 33\n\n   \nJose\x00 Serrano: lap 33\n" + "x" * 301)
    assert [r.line for r in rows] == [1, 4, 5]
    assert rows[1].errors == [
        "Line 4 contains a null character (\\x00), which cannot be stored: “Jose\\x00 Serrano: lap 33”. "
        "Delete it, or copy the list again from its source."
    ]
    assert rows[2].errors[0].startswith("Line 5 is 301 characters long; a ")


@given(st.text(max_size=400))
def test_no_text_makes_a_parser_fail(text):
    for parse in PARSERS:
        for row in parse(text):
            assert row.errors or row.driver


@given(
    st.lists(
        st.sampled_from(
            [
                "Serrano",
                ":",
                " – ",
                "+",
                "0.5",
                " s",
                "(",
                ")",
                "lap",
                " ",
                "1",
                "→",
                ",",
                "?",
                "S",
                "soft",
                "DNF",
                "Spain",
                "P",
                ".",
                "\n",
                "-",
                "laps",
                "after the race",
            ]
        ),
        max_size=40,
    )
)
def test_no_list_of_the_tokens_the_parsers_look_for_makes_one_fail(tokens):
    text = "".join(tokens)
    for parse in PARSERS:
        for row in parse(text):
            assert row.errors or row.driver
            assert row.problem_token in row.text or row.problem_token in " ".join(row.text.split())


@pytest.mark.parametrize("parse", PARSERS)
def test_a_line_of_40000_characters_is_refused_quickly(parse):
    line = "Jose Serrano: " + "1 (" * 13_330
    assert size_problems(line) == [
        f"Line 1 is 40,004 characters long; a result line has at most 300: “{line[:40]}…”."
    ]
    started = time.perf_counter()
    [row] = parse(line)
    assert row.errors
    assert time.perf_counter() - started < 0.5


def test_a_compound_the_report_does_not_name_keeps_the_stop_and_leaves_the_rest_unknown():
    drumont, miyazono = parse_strategies("Kylian Drumont: S → ? (lap 10)\nTakuma Miyazono: M → ?")
    assert (drumont.stints, drumont.pit_laps) == ([PastedStint("S", 1, 10)], [10])
    assert (miyazono.stints, miyazono.pit_laps) == ([PastedStint("M", 1, None, to_finish=False)], [None])
    assert drumont.errors == miyazono.errors == []
