"""Drivers' names as editors type them: folded, matched, suggested (plain data, no database)."""

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from results.rules.names import (
    NameMatch,
    Person,
    alias_problems,
    distance,
    fold,
    match_name,
    match_names,
    name_key,
    split_aliases,
    taken_names,
)

MIYAZONO, SASAKI, LOPEZ, DE_BRUIN, SERRANO, KOKUSAI = range(1, 7)
DRIVERS = [
    Person(MIYAZONO, "Takuma Miyazono"),
    Person(SASAKI, "Takuma Sasaki"),
    Person(LOPEZ, "Coque López", ("Coque_GT",)),
    Person(DE_BRUIN, "Nicky de Bruin"),
    Person(SERRANO, "José Serrano", ("Jose Serrano Sanchez",)),
    Person(KOKUSAI, "Kokusai"),
]


def test_fold_drops_accents_case_punctuation_and_extra_spaces():
    assert fold("Coque López") == fold("coque lopez") == "coque lopez"
    assert fold("de Bruin") == fold("De-Bruin") == fold("  DE   bruin ") == "de bruin"
    assert fold("Søren Œstergård") == "soren oestergard"
    assert fold("T. Miyazono") == "t miyazono"
    assert name_key("O'Neill") == name_key("ONeill") == name_key("o neill")


def test_a_name_is_found_as_typed_in_any_case_or_accent():
    assert match_name("coque lopez", DRIVERS) == NameMatch(LOPEZ, "name")
    assert match_name("NICKY DE-BRUIN", DRIVERS) == NameMatch(DE_BRUIN, "name")
    assert match_name("coque gt", DRIVERS) == NameMatch(LOPEZ, "alias")
    assert match_name("José Serrano Sánchez", DRIVERS) == NameMatch(SERRANO, "alias")


def test_a_surname_only_one_driver_has_is_enough():
    assert match_name("Miyazono", DRIVERS) == NameMatch(MIYAZONO, "surname")
    assert match_name("T. Miyazono", DRIVERS) == NameMatch(MIYAZONO, "surname")
    assert match_name("de Bruin", DRIVERS) == NameMatch(DE_BRUIN, "surname")
    assert match_name("Bruin", DRIVERS) == NameMatch(DE_BRUIN, "surname")
    # The wrong initial is a suggestion, not a match.
    assert match_name("K. Miyazono", DRIVERS) == NameMatch(suggestions=(MIYAZONO,))


def test_typos_are_suggested_and_never_matched():
    assert match_name("Takuma Miyazona", DRIVERS) == NameMatch(suggestions=(MIYAZONO,))
    assert match_name("Coque Lopes", DRIVERS) == NameMatch(suggestions=(LOPEZ,))
    assert match_name("Miyazona", DRIVERS) == NameMatch(suggestions=(MIYAZONO,))
    assert match_name("Takuma Sasaky", DRIVERS) == NameMatch(suggestions=(SASAKI,))
    assert match_name("Kokusia", DRIVERS) == NameMatch(suggestions=(KOKUSAI,))  # two letters swapped


def test_drivers_sharing_a_name_are_never_taken_for_one_another():
    # "Takuma" is the first name of two drivers: both offered, neither taken.
    assert match_name("Takuma", DRIVERS) == NameMatch(suggestions=(MIYAZONO, SASAKI))
    # One driver's first name is enough to make another's surname uncertain.
    people = [Person(1, "Ken Sasaki"), Person(2, "Sasaki Ito")]
    assert match_name("Sasaki", people) == NameMatch(suggestions=(1, 2))
    # Two drivers of one surname, or of one name: the editor picks.
    brothers = [Person(1, "Kylian Drumont"), Person(2, "Enzo Drumont"), Person(3, "Enzo Drumont")]
    assert match_name("Drumont", brothers).person is None
    assert set(match_name("Drumont", brothers).suggestions) == {1, 2, 3}
    assert match_name("Enzo Drumont", brothers) == NameMatch(suggestions=(2, 3))
    assert match_name("K. Drumont", brothers) == NameMatch(1, "surname")


def test_unknown_and_short_names_suggest_nobody():
    assert match_name("New Face", DRIVERS) == NameMatch()
    assert match_name("", DRIVERS) == NameMatch()
    assert match_name("--", DRIVERS) == NameMatch()
    assert match_name("Ko", DRIVERS) == NameMatch()  # too short to guess a typo in


def test_at_most_three_suggestions_best_first():
    people = [
        Person(i, name)
        for i, name in enumerate(["Ana Silva", "Ana Silvo", "Ana Salva", "Ana Sylva", "Ana Sliva"])
    ]
    found = match_name("Ana Silvx", people)
    assert found.person is None
    assert len(found.suggestions) == 3
    assert found.suggestions[:2] == (0, 1)  # one letter off, by name


def test_match_names_answers_each_typed_name():
    found = match_names(["Miyazono", "Coque Lopes", "New Face"], DRIVERS)
    assert found == {
        "Miyazono": NameMatch(MIYAZONO, "surname"),
        "Coque Lopes": NameMatch(suggestions=(LOPEZ,)),
        "New Face": NameMatch(),
    }


def test_aliases_are_read_one_a_line():
    assert split_aliases("  Coque_GT \n\nCoque Lopez\ncoque-lopez\n") == ("Coque_GT", "Coque Lopez")
    assert split_aliases("") == ()


def test_an_alias_problem_names_the_line_as_the_editor_typed_it():
    taken = taken_names(DRIVERS)
    text = "Coque_GT\n\ntakuma-miyazono\n!!\nJOSE SERRANO SANCHEZ\n" + "x" * 101
    assert alias_problems(text, taken, own=LOPEZ) == [
        'Line 3 ("takuma-miyazono") is already the name of Takuma Miyazono.',
        'Line 4 ("!!") has no letter or digit to match a name by.',
        'Line 5 ("JOSE SERRANO SANCHEZ") is already an alias of José Serrano.',
        f'Line 6 ("{"x" * 40}…") is 101 characters long; at most 100 fit.',
    ]
    assert alias_problems("Coque_GT", taken, own=LOPEZ) == []  # its own alias


def test_distance_counts_typos_and_stops_past_the_most():
    assert distance("miyazona", "miyazono", 2) == 1
    assert distance("kokusia", "kokusai", 2) == 1
    assert distance("kitten", "sitting", 3) == 3
    assert distance("abc", "xyzabc", 2) == 3  # more than 2: not worked out
    assert distance("a" * 100, "b" * 100, 2) == 3


# --- Properties ------------------------------------------------------------------------------------

word = st.text(alphabet="abcdeéèfghijklmnoöpqrstuüvwxyzçñ", min_size=2, max_size=10)
names = st.lists(word, min_size=1, max_size=3).map(" ".join)


def strip_accents(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@given(st.lists(names, min_size=1, max_size=6, unique_by=name_key), st.data())
def test_a_name_always_matches_itself_folded_or_stripped_of_accents(all_names, data):
    people = [Person(i, name) for i, name in enumerate(all_names)]
    chosen = data.draw(st.sampled_from(people))
    for typed in (chosen.name, fold(chosen.name), strip_accents(chosen.name), chosen.name.upper()):
        assert match_name(typed, people) == NameMatch(chosen.id, "name")


@given(st.lists(names, min_size=1, max_size=6), names)
def test_a_suggestion_is_never_a_match(all_names, typed):
    people = [Person(i, name) for i, name in enumerate(all_names)]
    found = match_name(typed, people)
    assert found.person not in found.suggestions
    assert len(found.suggestions) <= 3
    if found.person is not None:
        assert found.suggestions == ()


@given(st.lists(names, min_size=1, max_size=6, unique_by=name_key), st.data())
def test_a_typo_is_suggested_not_matched(all_names, data):
    people = [Person(i, name) for i, name in enumerate(all_names)]
    chosen = data.draw(st.sampled_from(people))
    spot = data.draw(st.integers(0, len(chosen.name) - 1))
    assume(chosen.name[spot] != " ")
    typed = chosen.name[:spot] + "x" + chosen.name[spot + 1 :]
    typed_words = fold(typed).split()
    every_part = {
        name_key(" ".join(fold(p.name).split()[i:])) for p in people for i in range(len(p.name.split()))
    }
    every_part |= {fold(p.name).split()[0] for p in people}
    assume(name_key(typed) not in every_part and not (len(typed_words) > 1 and len(typed_words[0]) == 1))
    found = match_name(typed, people)
    assert found.person is None
    if len(name_key(chosen.name)) >= 3:
        assert chosen.id in found.suggestions or len(found.suggestions) == 3
