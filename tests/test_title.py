"""The title race on the standings page, on its own page and in the API, on the real 2024 season."""

import io
import itertools
from pathlib import Path

import pytest
from django.core.management import call_command

from results.models import Competition, Race
from results.read.loaders import competition_scores
from results.read.title import title_data
from results.rules.standings import Score, standings
from results.rules.title import CAN_WIN, CHAMPION, OUT, RaceAhead, holds, title_race
from tests.test_rules_title import check_against_brute_force

pytestmark = pytest.mark.django_db

SEASON_FILE = Path(__file__).parent / "data" / "gtws-2024-real.json"
LEADERS = ("Kylian Drumont", "Valerio Gallo", "Takuma Miyazono", "Jose Serrano")


@pytest.fixture
def season_2024(db):
    call_command("import_results", str(SEASON_FILE), stdout=io.StringIO())


def api_title(client, query):
    response = client.get(f"/api/v1/2024/nations-cup/title/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_before_the_world_finals_four_within_a_point_and_nobody_can_clinch_in_race_1(client, season_2024):
    title = api_title(client, "after_round=3")
    assert [race["name"] for race in title["races_left"]] == [
        "World Finals: Race 1",
        "World Finals: Race 2",
        "World Finals: Grand Final",
    ]
    assert [race["multiplier"] for race in title["races_left"]] == [1, 1, 2]
    assert title["points_left"] == 48
    by_name = {c["name"]: c for c in title["contenders"]}
    assert {name: (by_name[name]["points"], by_name[name]["most_points"]) for name in LEADERS} == {
        "Kylian Drumont": (11, 59),
        "Valerio Gallo": (10, 58),
        "Takuma Miyazono": (10, 58),
        "Jose Serrano": (10, 58),
    }
    for contender in title["contenders"]:
        # 48 points left: whoever has raced can still win, and nobody is champion after Race 1
        assert contender["status"] == CAN_WIN
        assert contender["clinches"] == []
        assert contender["needs"] == [
            "Cannot be champion after World Finals: Race 1.",
            "Still in contention after World Finals: Race 1 whatever happens in it.",
        ]


def wins(competitor, name, races):
    """A win in each of ``races`` (the World Finals, round 4), as the standings would score it."""
    return [
        Score(4, race.pk, competitor, name, 1, race.points_scale[0] * race.points_multiplier, True, n)
        for n, race in enumerate(races, 1)
    ]


def test_each_statement_before_the_world_finals_holds_in_a_finishing_order(season_2024):
    """Whoever can win does in a real finishing order (all three races won, the rest outside the
    points), ranked by the site's standings; and a Race 1 win alone leaves 36 points to a rival."""
    competition = Competition.objects.get(season__year=2024, slug="nations-cup")
    scores = [s for s in competition_scores(competition) if s.round <= 3]
    races = [r for r in Race.objects.in_calendar_of(competition) if r.round.number == 4]
    data = title_data(competition, competition_scores(competition), after_round=3)
    for line in data.lines:
        winner = line.outlook.competitor
        won = wins(winner, line.outlook.name, races)
        table = standings(scores + won)
        assert table[0].competitor == winner and not table[0].is_shared
        # after winning Race 1 only, a rival wins the other two: 36 points, more than any lead of 12 + 11
        rival = next(other for other in data.lines if other.outlook.competitor != winner).outlook
        rest = wins(rival.competitor, rival.name, races)[1:]
        table = standings(scores + won[:1] + rest)
        assert table[0].competitor != winner


def test_before_the_grand_final_every_statement_equals_brute_force(client, season_2024):
    """Every finishing order of the Grand Final (the six who can still reach Serrano's 32 points in a
    place or outside the points, no two in one place): each contender is champion exactly when the
    site says."""
    competition = Competition.objects.get(season__year=2024, slug="nations-cup")
    race_2 = Race.objects.get(competition=competition, round__number=4, number=2)
    data = title_data(competition, competition_scores(competition), after_race=race_2.pk)
    (final,) = data.title.races
    assert final.name == "World Finals: Grand Final"
    points = {line.outlook.competitor: line.outlook.points for line in data.lines}
    names = {line.outlook.competitor: line.outlook.name for line in data.lines}
    leader = max(points.values())
    field = [c for c, p in points.items() if p + 24 >= leader]
    assert sorted(names[c] for c in field) == sorted(
        ["Jose Serrano", "Valerio Gallo", "Kylian Drumont", "Takuma Miyazono", "Coque López", "Takuma Sasaki"]
    )
    outlooks = {line.outlook.competitor: line.outlook for line in data.lines}
    assert {names[c]: outlooks[c].status for c in field} == {names[c]: CAN_WIN for c in field}
    assert all(o.status == OUT for c, o in outlooks.items() if c not in field)
    assert final.field == 12  # as many entrants as the last race run with a complete classification
    # the twelve in the standings are the twelve entrants: six out of contention take the places
    # the six contenders leave
    assert len(data.lines) == final.field
    others = final.field - len(field)
    seen, met = 0, set()
    for count in range(len(field) + 1):
        for places in itertools.combinations(range(1, len(final.rule.scale) + 1), count):
            if places and places[-1] - count > others:
                continue  # the places above the contenders need more entrants than the field has
            for who in itertools.permutations(field, count):
                placed = dict(zip(who, places, strict=True))
                total = {c: points[c] + final.rule.for_position(placed.get(c)) for c in field}
                best = max(total.values())  # shared: the most points take first place, equals share it
                for c in field:
                    rivals = {x: placed.get(x) for x in field if x != c}
                    said = any(holds(need, placed.get(c), rivals) for need in outlooks[c].clinches)
                    met |= {
                        (c, n)
                        for n, need in enumerate(outlooks[c].clinches)
                        if holds(need, placed.get(c), rivals)
                    }
                    assert said == (total[c] == best), (names[c], placed)
                seen += 1
    # sum over k of P(6, k) ordered contenders × the C(10, k) sets of places that six others can fill
    assert seen == sum(
        len(list(itertools.permutations(field, k)))
        * sum(1 for places in itertools.combinations(range(1, 11), k) if not places or places[-1] - k <= 6)
        for k in range(7)
    )
    # every way listed happens in some finishing order of the twelve
    assert met == {(c, n) for c in field for n in range(len(outlooks[c].clinches))}


def test_the_grand_final_statements_in_words(client, season_2024):
    race_2 = Race.objects.get(
        competition__slug="nations-cup", round__number=4, number=2, round__season__year=2024
    )
    title = api_title(client, f"after_race={race_2.pk}")
    by_name = {c["name"]: c for c in title["contenders"]}
    assert by_name["Jose Serrano"]["needs"][0].startswith(
        "Champion if 1st or 2nd in World Finals: Grand Final; or 3rd with Valerio Gallo not 1st and "
        "Kylian Drumont not 1st; or 4th or 5th with Valerio Gallo 3rd or lower and Kylian Drumont 3rd "
        "or lower;"
    )
    assert by_name["Takuma Sasaki"]["needs"] == [
        "Champion if 1st in World Finals: Grand Final with Jose Serrano outside the points, Valerio "
        "Gallo 8th or lower, Kylian Drumont 8th or lower and Takuma Miyazono 4th or lower."
    ]
    assert by_name["Kaj de Bruin"]["status"] == OUT
    assert by_name["Kaj de Bruin"]["needs"] == ["At most 27 points: Jose Serrano has 32."]


def test_after_the_last_race_the_champion_is_named(client, season_2024):
    title = api_title(client, "")
    assert title["races_left"] == []
    champions = [c["name"] for c in title["contenders"] if c["status"] == CHAMPION]
    assert len(champions) == 1
    assert all(c["status"] in (CHAMPION, OUT) for c in title["contenders"])


def test_the_standings_page_shows_the_panel_and_links_the_title_page(client, season_2024):
    response = client.get("/2024/nations-cup/standings/?after_round=3")
    html = response.content.decode()
    assert "Who can still win, before World Finals: Race 1" in html
    assert "3 races left, 48 points at most for one competitor" in html
    assert "<strong>Kylian Drumont</strong> (11 points): can still win." in html
    assert 'href="/2024/nations-cup/title/?after_round=3"' in html
    race_1 = Race.objects.get(
        competition__slug="nations-cup", round__number=4, number=1, round__season__year=2024
    )
    html = client.get(f"/2024/nations-cup/standings/?after_race={race_1.pk}").content.decode()
    assert "Who can still win, before World Finals: Race 2" in html  # between the races of one round


def test_the_title_page_has_every_competitor_in_a_table(client, season_2024):
    response = client.get("/2024/nations-cup/title/?after_round=3")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<table class="table table-sm table-striped align-middle standings-table" id="title-table">' in html
    )
    assert html.count("Can still win") >= 4
    assert '<td class="pos"><abbr title="Shared position">=2</abbr></td><th scope="row">Valerio Gallo' in html
    assert 'href="/2024/nations-cup/standings/?after_round=3"' in html


def test_the_montreal_demo_is_not_decided_while_rounds_have_no_races(client, demo):
    html = client.get("/2024/nations-cup/standings/").content.decode()
    assert "Not decided: Prague has no Nations Cup race on the calendar yet" in html
    title = client.get("/api/v1/2024/nations-cup/title/").json()
    assert title["decided"] is False
    assert title["contenders"] == []
    assert {"number": 2, "name": "Prague"} in title["rounds_without_races"]


def test_a_bad_after_race_is_a_400_in_the_api(client, demo):
    response = client.get("/api/v1/2024/nations-cup/title/?after_race=nowhere/race")
    assert response.status_code == 400
    assert "nowhere/race" in response.json()["error"]


def test_the_fields_assumed_are_on_the_standings_page_and_in_the_api(client, season_2024):
    html = client.get("/2024/nations-cup/standings/?after_round=3").content.decode()
    assert (
        "Fields assumed: 12 entrants in World Finals: Race 1, World Finals: Race 2 and World Finals: Grand "
        "Final (as in Montréal: Grand Final, the last race run). Every entrant takes a place, from 1st "
        "down with no gap, or is not classified.</p>" in html  # the twelve in the standings all enter
    )
    title = api_title(client, "after_round=3")
    assert [(r["field"], r["field_from"], r["field_as_in"]) for r in title["races_left"]] == [
        (12, "last race", "Montréal: Grand Final")
    ] * 3
    html = client.get("/2024/nations-cup/title/?after_round=3").content.decode()
    assert '<p class="small" id="title-fields">Fields assumed: 12 entrants' in html


def test_before_the_world_finals_the_four_alone_in_a_field_of_four_or_of_twelve(season_2024):
    """Drumont 11, Gallo, Miyazono and Serrano 10, three races left (12-10-…-1, the Grand Final
    double): every status and every need equals brute force over every finishing order of four
    entrants, where nobody can be classified outside the points; and in a field of twelve."""
    competition = Competition.objects.get(season__year=2024, slug="nations-cup")
    data = title_data(competition, competition_scores(competition), after_round=3)
    leaders = {line.outlook.competitor for line in data.lines if line.outlook.name in LEADERS}
    scores = [s for s in competition_scores(competition) if s.round <= 3 and s.competitor in leaders]
    for field in (4, 12):
        races = [RaceAhead(race.name, race.rule, race.race, field) for race in data.title.races]
        if field == 4:
            answer = check_against_brute_force(scores, races, competition.tie_break)
        else:
            answer = title_race(scores, races, tie_break=competition.tie_break)
        assert not answer.searched
        assert {(o.name, o.points, o.status) for o in answer.outlooks} == {
            ("Kylian Drumont", 11, CAN_WIN),
            ("Jose Serrano", 10, CAN_WIN),
            ("Takuma Miyazono", 10, CAN_WIN),
            ("Valerio Gallo", 10, CAN_WIN),
        }
        for outlook in answer.outlooks:  # nobody clinches in Race 1, and anyone survives it
            assert outlook.clinches == ()
            assert (
                [(n.places, n.rivals) for n in outlook.survives] == [((1, 2, 3, 4, None), ())]
                if field == 4
                else [((*range(1, 11), None), ())]
            )


def three_entrants_and_a_race_to_come():
    """Round 1: Ann, Bea and Cy, 1st to 3rd (12, 10, 8); round 2's race still to run."""
    from results.models import Result
    from tests import factories

    scale = [12, 10, 8, 7, 6, 5, 4, 3, 2, 1]
    cup = factories.competition(name="Small Cup")
    first = factories.race(factories.round_(number=1), cup, points_scale=scale)
    factories.race(factories.round_(number=2), cup, points_scale=scale)
    for position, name in enumerate(("Ann", "Bea", "Cy"), start=1):
        Result.objects.create(race=first, driver=factories.driver(name), position=position, laps=10)


def test_in_a_field_of_three_outside_the_points_reads_not_classified(client, db):
    three_entrants_and_a_race_to_come()
    html = client.get("/2030/small-cup/title/").content.decode()
    assert "Fields assumed: 3 entrants in City 2: Race 1 (as in City 1: Race 1, the last race run)." in html
    # Ann (12) keeps the title out of the points only if Bea (10) and Cy (8) score nothing either:
    # among three entrants that means nobody classified
    assert (
        "Champion if 1st or 2nd in City 2: Race 1; or 3rd with Bea not 1st; or not classified with Bea "
        "not classified and Cy not classified." in html
    )
    title = client.get("/api/v1/2030/small-cup/title/").json()
    assert not any("outside the points" in need for c in title["contenders"] for need in c["needs"])
    assert title["races_left"][0]["field"] == 3
    by_name = {c["name"]: c for c in title["contenders"]}
    # Bea 3rd (18) would need Ann out of the top six and Cy not 1st: Cy 1st and nobody 2nd, so that
    # way is not listed
    assert by_name["Bea"]["needs"] == ["Champion if 1st in City 2: Race 1; or 2nd with Ann not 1st."]
    assert by_name["Cy"]["needs"] == ["Champion if 1st in City 2: Race 1 with Ann 3rd or lower."]


def test_under_countback_a_place_beyond_the_points_is_a_place_of_its_own(client, db):
    """Only a win scores; Ann and Bea have a win and a 2nd each, Cy and Dee two 3rd and 4th places:
    in a field of four, Ann 3rd is ahead of Bea 4th on countback (a 3rd place to none)."""
    from results.models import Competition, Result
    from tests import factories

    cup = factories.competition(name="Small Cup", tie_break=Competition.TieBreak.COUNTBACK)
    drivers = {name: factories.driver(name) for name in ("Ann", "Bea", "Cy", "Dee")}
    for number, order in ((1, ("Ann", "Bea", "Cy", "Dee")), (2, ("Bea", "Ann", "Cy", "Dee"))):
        race = factories.race(factories.round_(number=number), cup, points_scale=[1])
        for position, name in enumerate(order, start=1):
            Result.objects.create(race=race, driver=drivers[name], position=position, laps=10)
    factories.race(factories.round_(number=3), cup, points_scale=[1])
    html = client.get("/2030/small-cup/title/").content.decode()
    assert "every classified place counts for countback" in html
    assert (
        "Champion if 1st in City 3: Race 1; or 2nd with Bea not 1st; or 3rd with Bea 4th or lower; or not "
        "classified with Bea not classified." in html
    )
    by_name = {c["name"]: c for c in client.get("/api/v1/2030/small-cup/title/").json()["contenders"]}
    assert by_name["Ann"]["clinches"][2] == {"places": [3], "rivals": [{"name": "Bea", "not_places": [1, 2]}]}
    assert by_name["Cy"]["status"] == "out"


def test_a_team_with_two_cars_in_a_race_is_not_worked_out(client, db):
    """The title maths give a competitor one place in a race: a team that ran two cars is said to
    be beyond them, on the page and in the API, rather than worked out wrong."""
    from results.models import Competition, Result, Team
    from tests import factories

    cup = factories.competition(name="Brand Cup", scores=Competition.Scores.TEAM)
    race = factories.race(factories.round_(number=1), cup, points_scale=[3, 2, 1])
    factories.race(factories.round_(number=2), cup, points_scale=[3, 2, 1])
    brands = {name: Team.objects.create(name=name, slug=name.lower()) for name in ("Arrow", "Bolt")}
    for position, (driver, brand) in enumerate((("Ann", "Arrow"), ("Bea", "Bolt"), ("Cy", "Arrow")), start=1):
        Result.objects.create(
            race=race, driver=factories.driver(driver), team=brands[brand], position=position, laps=10
        )
    html = client.get("/2030/brand-cup/title/").content.decode()
    reason = (
        "Arrow had more than one entry in a race, and the title maths give each competitor one place in a "
        "race, so who can still win is not worked out."
    )
    assert f"Not decided: {reason}" in html
    title = client.get("/api/v1/2030/brand-cup/title/").json()
    assert (title["decided"], title["reason"], title["contenders"]) == (False, reason, [])
    assert "Arrow" in client.get("/2030/brand-cup/standings/").content.decode()  # the standings stand
