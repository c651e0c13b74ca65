"""The real 2024 season, entered from its public reports, gives the standings those reports published.

``tests/data/gtws-2024-real.json`` holds the 2024 Gran Turismo World Series as far as the public race
reports tell it (the sources are listed below, each fact set with its page): the Nations Cup's four
rounds (a sprint and a Grand Final in Montréal, Prague and Tokyo; at the World Finals in Amsterdam two
races and a Grand Final with double points, on a 12-10-8-7-6-5-4-3-2-1 scale) and the Manufacturers
Cup's four Grand Finals. Only published places are entered, and places worked out from published points
totals (marked inferred in the file, with the reasoning). Where the reports do not give a place, nothing is
invented: the standings are then compared only where the published figures do not depend on it, and a
figure that cannot be reproduced from what is known is an expected failure saying why.

The file is imported into an empty database by the real ``import_results`` command, and nothing else is
entered: the file carries every fact, also the places not published (``place_unknown`` with its band),
the certainty of a row and its reasoning, the crews, each race's sources and the values they disagree
on, and each round's time zone. It is in the form the real exporter writes, so exporting the imported
season gives the file back.

No sentence of any report is copied: the data are facts (places, drivers, nations, teams, points,
dates, tracks, laps).
"""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from results.models import Race, Result, Season
from results.read.loaders import competition_standings

from .test_pages import PHONE_COPY

pytestmark = pytest.mark.django_db

SEASON_FILE = Path(__file__).parent / "data" / "gtws-2024-real.json"

# --- Sources: publisher and address of each fact set -----------------------------------------------
#
# Each is in the file under the ``sources`` of the races it tells of (publisher and address).

TRAXION_R1_NC = ("traxion.gg", "https://traxion.gg/?p=84564")
# Montréal Nations Cup: the Grand Final's classification (all twelve, with gaps), the sprint's places
# 1–3 and 7, the standings after Round 1 (all twelve).
GT_R1_NC = ("gran-turismo.com", "https://gran-turismo.com/gb/gt7/news/00_1669218.html")
# Montréal Nations Cup: 6 July 2024, Usine C; no points in the sprint; sprint grid 1 Miyazono (Ferrari
# F50), 2 Sasaki (Maserati MC20), 3 Drumont (Corvette C7 Stingray), 4 de Bruin.
TRAXION_R1_MC = (
    "traxion.gg",
    "https://traxion.gg/gran-turismo-world-series-manufacturers-cup-fraga-wins-in-montreal/",
)
# Montréal Manufacturers Cup: Interlagos, 30 laps, soft and hard each used; grid 1 Fraga (Lexus RC F
# GT3), 2 Sasaki (Porsche), 3 Barbara (Mercedes-AMG), 4 Gallo (Honda); Carrazza (Toyota) from last to
# 6th; Fraga won and leads the championship.
GTPLANET_R1 = ("GTPlanet", "https://gtplanet.net/gtws-montreal-lexus-miyazono-win-20240707")
# Montréal: Lexus (Fraga) and Miyazono lead the two championships after Round 1.
GT_R2_NC = ("gran-turismo.com", "https://gran-turismo.com/nz/gt7/news/00_3113179.html")
# Prague Nations Cup: 10 August 2024, Divadlo Hybernia; sprint at Eiger Nordwand in the Honda RA272, no
# points; Miyazono led the championship coming in.
TRAXION_R2_NC = (
    "traxion.gg",
    "https://traxion.gg/gran-turismo-world-series-nations-cup-italys-valerio-gallo-wins-in-prague/",
)
# Prague Nations Cup: sprint of 7 laps, grid 1 Miyazono, 2 Gallo, 3 Roach; Miyazono held Gallo off,
# Sasaki took third; Grand Final at Dragon Trail – Seaside, 32 laps, X2019, two or more of the three
# compounds; Miyazono on pole ahead of Gallo; Gallo won.
THEGAMESMACHINE_R2 = (
    "esports.thegamesmachine.it",
    "https://esports.thegamesmachine.it/news/68702/gran-turismo-world-series-2024-secondo-atto-a-praga",
)
# Prague: Nations Cup decided between Gallo (winner), Drumont and López; Manufacturers Cup 1 Ferrari
# (Buhdeima), 2 Porsche (Hencsei), 3 BMW (Labouteley), 4 Genesis (Romero), 28 laps.
GTPLANET_R2 = ("GTPlanet", "https://gtplanet.net/gran-turismo-world-series-prague-results-20240811")
# Prague Manufacturers Cup: wet Red Bull Ring, 24 laps; grid 1 Buhdeima (Ferrari 458 Gr.3), 2 Hencsei
# (Porsche), 3 Fenton (Mercedes-AMG), 11 Estevez (Honda), 12 López (Lexus).
GT_R3_NC = ("gran-turismo.com", "https://gran-turismo.com/gb/gt7/news/00_5548125.html")
# Tokyo Nations Cup: after two rounds López led without a win, Drumont, Gallo and Miyazono close
# behind; sprint at Tokyo Expressway – East Clockwise, grid 1 Miyazono, 2 Sasaki; dated 27 September.
GT_R3_NC_REACTIONS = ("gran-turismo.com", "https://gran-turismo.com/be-nl/gt7/news/00_1215654.html")
# Tokyo Nations Cup, drivers' reactions (also /fr/ and /jp/), 28 September 2024: Grand Final 1 Drumont,
# 2 Serrano, 3 Miyazono (who won the sprint and started on pole), 4 Gallo.
GT_R3_MC = ("gran-turismo.com", "https://gran-turismo.com/au/gt7/news/00_8724003.html")
# Tokyo Manufacturers Cup: 28 September 2024; Porsche led after two rounds, ahead of Lexus and Honda;
# grid 1 Kawakami (Lexus), 2 Miyazono (Subaru), 3 Kokubun (Mazda), 4 Nabetani (Honda); 22 laps, all
# three compounds.
YAHOO_R3 = (
    "Yahoo! Japan News (AUTO BILD JAPAN)",
    "https://news.yahoo.co.jp/articles/307338eb9c8f959927681b6e5979af76c290051d?page=1",
)
# Tokyo Manufacturers Cup: 1 Kawakami (Lexus), 2 Miyazono (Subaru), 3 Suzuki (BMW); then Lexus 13,
# Porsche 9, BMW 8 points (also https://autobild.jp/42811).
GAMEBASTION_WF = (
    "GameBastion",
    "https://gamebastion.com/n/gran-turismo-world-series-2024-finals-live/481919",
)
# Before the World Finals: Lexus leads the Manufacturers Cup, Porsche four points behind, BMW one more;
# Drumont leads the Nations Cup by one point from Serrano, Miyazono and Gallo, level.
GT_WF_NC = ("gran-turismo.com", "https://gran-turismo.com/au/gt7/news/00_5403313.html")
# World Finals Nations Cup: before it Drumont 11, Gallo, Miyazono and Serrano 10 each; three races, the
# top ten scoring; Race 1 sets Race 2's grid, Race 2 the Grand Final's; double points in the Grand
# Final; Race 1 at Trial Mountain, 10 laps.
GTPLANET_WF_NC = ("GTPlanet", "https://gtplanet.net/takuma-miyazono-wins-2024-nations-cup-20241208")
# World Finals Nations Cup: Miyazono fastest in qualifying, ahead of Gallo; Race 1 1 Gallo (Honda NSX),
# 2 Serrano (Mercedes-AMG GT Black Series), 3 Miyazono, 4 Sasaki (911), 5 Drumont, 6 López; Race 2 at
# Monza; Miyazono champion.
TRAXION_WF_NC = ("traxion.gg", "https://traxion.gg/?p=88600")
# World Finals Nations Cup: Race 2 (F3500-A, 12 laps) 1 Serrano, 2 Drumont; before the Grand Final
# Serrano five points ahead of Drumont and Gallo; Grand Final at the Nürburgring 24h layout, 7 laps,
# X2019, three compounds, grid in points order; Serrano penalised for a collision with Heck (1 s) and
# for cutting a chicane.
GT_WF_NC_REACTIONS = ("gran-turismo.com", "https://gran-turismo.com/it/gt7/news/00_3411155.html")
# World Finals Nations Cup, drivers' reactions (also /jp/), 8 December 2024: Miyazono Grand Final 1st,
# season 1st, third in Race 1; Drumont Grand Final 2nd, season 2nd, started Race 1 8th.
ESPORTS_PLUS_WF = ("esports-plus.jp", "https://esports-plus.jp/news/grnan7-world24")
# World Finals Nations Cup: in the final Miyazono 1st, Sasaki (たくあん, SZ_TakuAn22) 5th.
SPORTMEDIASET_2025 = (
    "Sportmediaset",
    "https://www.sportmediaset.mediaset.it/sport/esport-sabato-iniziano-le-gran-turismo-world-series_99180840-202502k.shtml",
)
# The 2024 Nations Cup's top three: Miyazono (champion), Drumont, Serrano.
GT_WF_MC = ("gran-turismo.com", "https://gran-turismo.com/au/gt7/news/00_5468140.html")
# World Finals Manufacturers Cup: three drivers a car; top ten score, double points.
GTPLANET_WF_MC = ("GTPlanet", "https://gtplanet.net/manufacturer-champion-lexus-20241207")
# World Finals Manufacturers Cup: Lexus came with 13 points, four ahead of Porsche; Walsen for Fraga;
# 20 laps at Spa; grid 1 Honda (Gallo), 2 BMW, 3 Porsche, 4 Lexus, 5 Toyota, 6 Subaru; Lexus champion
# without winning the final.
GT_WF_MC_REACTIONS = ("gran-turismo.com", "https://gran-turismo.com/it/gt7/news/00_5126233.html")
# World Finals Manufacturers Cup, 7 December 2024: Lexus final 2nd, season 1st (Walsen, López, Kawakami;
# Fraga in Round 1); BMW final 1st, season 2nd, one point from the top (Roach, Labouteley, Suzuki;
# Roach scored nothing in Round 1); Genesis final 3rd, season 3rd (Heldt, Romero, Yuito Sasaki).
OVERTAKE_WF_MC = ("OverTake", "https://overtake.gg/news/comments/100271")
# World Finals Manufacturers Cup: Lexus champion by one point from BMW.


@pytest.fixture
def season_2024():
    """The real 2024 season in an empty database: the file through the importer, nothing else."""
    assert not Season.objects.exists()
    call_command("import_results", str(SEASON_FILE), stdout=io.StringIO())
    return Season.objects.get(year=2024)


def race_of(competition, round_number, race_number):
    return Race.objects.get(
        competition__season__year=2024,
        competition__slug=competition,
        round__number=round_number,
        number=race_number,
    )


def standings_after(competition, round_number, race_number):
    """{name: (position, points)} after a race, through the read model the standings pages use."""
    race = race_of(competition, round_number, race_number)
    table = competition_standings(race.competition, after_race=race.pk)
    return {row.name: (row.position, row.points) for row in table}


def api_standings_after(client, competition, round_number, race_number):
    """{name: row} of the public standings API after a race (``?after_race=<race id>``)."""
    race = race_of(competition, round_number, race_number)
    response = client.get(f"/api/v1/2024/{competition}/standings/", {"after_race": race.pk})
    assert response.status_code == 200
    answer = response.json()
    assert answer["after_race"]["id"] == race.pk
    return {row["name"]: row for row in answer["standings"]}


NATIONS_CUP_DRIVERS = {
    "Takuma Miyazono",
    "Jose Serrano",
    "Coque López",
    "Kaj de Bruin",
    "Takuma Sasaki",
    "Valerio Gallo",
    "Calen Roach",
    "Robert Heck",
    "Adriano Carrazza",
    "Kylian Drumont",
    "Angel Inostroza",
    "Guy Barbara",
}


# --- The Nations Cup ---------------------------------------------------------------------------------


def test_the_file_imports_whole_into_an_empty_database(season_2024):
    nations_cup = season_2024.competitions.get(slug="nations-cup")
    manufacturers_cup = season_2024.competitions.get(slug="manufacturers-cup")
    assert [r.name for r in season_2024.rounds.order_by("number")] == [
        "Montréal",
        "Prague",
        "Tokyo",
        "World Finals",
    ]
    assert nations_cup.races.count() == 9 and manufacturers_cup.races.count() == 4
    assert set(
        Result.objects.filter(race__competition=nations_cup).values_list("driver__name", flat=True)
    ) == (NATIONS_CUP_DRIVERS)
    grand_final = race_of("nations-cup", 4, 3)
    assert (grand_final.points_scale, grand_final.points_multiplier) == ([12, 10, 8, 7, 6, 5, 4, 3, 2, 1], 2)
    assert grand_final.grid_from == race_of("nations-cup", 4, 2)
    assert race_of("nations-cup", 4, 2).grid_from == race_of("nations-cup", 4, 1)


def test_the_file_is_what_the_exporter_writes_back(season_2024):
    # Imported into an empty database and exported again, the season is the file itself: every fact on
    # file reaches the database, and the exporter adds, drops or reorders nothing (keys in any order).
    out = io.StringIO()
    call_command("export_results", "--season", "2024", stdout=out)
    assert json.loads(out.getvalue()) == json.loads(SEASON_FILE.read_text(encoding="utf-8"))


def test_no_points_after_the_montreal_sprint(season_2024):
    # GT_R1_NC: the sprint decides the Grand Final's grid, with no points.
    after = standings_after("nations-cup", 1, 1)
    assert set(after) == {"Kylian Drumont", "Takuma Miyazono", "Takuma Sasaki", "Valerio Gallo"}
    assert {points for _, points in after.values()} == {0}


def test_after_montreal_the_twelve_as_published(season_2024):
    # TRAXION_R1_NC, "Nations Cup standings after Round 1": Miyazono 6, Serrano 5, López 4, de Bruin 3,
    # Sasaki 2, Gallo 1, the other six 0.
    published = {
        "Takuma Miyazono": 6,
        "Jose Serrano": 5,
        "Coque López": 4,
        "Kaj de Bruin": 3,
        "Takuma Sasaki": 2,
        "Valerio Gallo": 1,
        **dict.fromkeys(
            [
                "Calen Roach",
                "Robert Heck",
                "Adriano Carrazza",
                "Kylian Drumont",
                "Angel Inostroza",
                "Guy Barbara",
            ],
            0,
        ),
    }
    after = standings_after("nations-cup", 1, 2)
    assert {name: points for name, (_, points) in after.items()} == published
    assert [after[name][0] for name in list(published)[:7]] == [1, 2, 3, 4, 5, 6, 7]


def test_miyazono_still_leads_after_the_prague_sprint(season_2024):
    # GT_R2_NC and TRAXION_R2_NC: Miyazono came to Prague leading; the sprint pays nothing.
    after = standings_after("nations-cup", 2, 1)
    assert after["Takuma Miyazono"] == (1, 6)


@pytest.mark.parametrize(
    ("round_number", "race_number"),
    [(2, 2), (3, 1)],
    ids=["after the Prague final", "after the Tokyo sprint"],
)
def test_lopez_leads_after_two_rounds_without_a_win(season_2024, round_number, race_number):
    # GT_R3_NC: after the first two rounds López led, without having won a race (his 8 points: 4 in
    # Montréal, 4 for third in Prague, inferred). The Tokyo sprint pays nothing, so he still leads after it.
    race = race_of("nations-cup", round_number, race_number)
    leader = competition_standings(race.competition, after_race=race.pk)[0]
    assert (leader.name, leader.points, leader.wins, leader.is_shared) == ("Coque López", 8, 0, False)


def test_a_place_not_published_counts_as_raced_with_no_points(client, season_2024):
    # Miyazono and Serrano scored nothing in Prague (inferred from the totals before the World Finals):
    # the standings say 0 for the round, not "did not race".
    rows = api_standings_after(client, "nations-cup", 2, 2)
    assert rows["Takuma Miyazono"]["round_points"] == {"1": 6, "2": 0}
    assert rows["Jose Serrano"]["round_points"] == {"1": 5, "2": 0}


def test_before_the_world_finals_drumont_leads_by_one(client, season_2024):
    # GT_WF_NC, GAMEBASTION_WF, GTPLANET_WF_NC: Drumont 11; Gallo, Miyazono and Serrano 10 each, joint second.
    published = {
        "Kylian Drumont": (1, 11),
        "Valerio Gallo": (2, 10),
        "Takuma Miyazono": (2, 10),
        "Jose Serrano": (2, 10),
    }
    after = standings_after("nations-cup", 3, 2)
    assert {name: after[name] for name in published} == published
    assert all(points < 10 for name, (_, points) in after.items() if name not in published)
    # the same through the public API, after the Tokyo Grand Final
    api = api_standings_after(client, "nations-cup", 3, 2)
    assert {name: (api[name]["position"], api[name]["points"]) for name in published} == published
    assert api["Valerio Gallo"]["shared"] and not api["Kylian Drumont"]["shared"]


def test_after_world_finals_race_1(season_2024):
    # No standings were published after Race 1. What the published places give on the published scale
    # (GTPLANET_WF_NC: 1 Gallo, 2 Serrano, 3 Miyazono, 4 Sasaki, 5 Drumont, 6 López; 12-10-8-7-6-5) added
    # to the published standings before it (GT_WF_NC): Gallo 22, Serrano 20, Miyazono 18, Drumont 17.
    after = standings_after("nations-cup", 4, 1)
    assert [
        (name, after[name]) for name in ("Valerio Gallo", "Jose Serrano", "Takuma Miyazono", "Kylian Drumont")
    ] == [
        ("Valerio Gallo", (1, 22)),
        ("Jose Serrano", (2, 20)),
        ("Takuma Miyazono", (3, 18)),
        ("Kylian Drumont", (4, 17)),
    ]


def page_rows(response):
    """{name: (position as shown, points)} of a standings page's table, as a fan reads it."""
    assert response.status_code == 200
    words = re.sub(r"<[^>]+>", " ", PHONE_COPY.sub(" ", response.content.decode()))
    words = " ".join(re.sub("[\U0001f1e6-\U0001f1ff]", "", words).split())  # flags
    table = words[words.index("Points Since the race before") :]
    rows = re.findall(r"(=?\d+) ([^\d=▲▼−]+?)((?: (?:\d+|–|−\d+))+) (?=[▲▼=])", table)
    return {name: (position, int(figures.split()[-1])) for position, name, figures in rows}


def test_before_the_grand_final_serrano_leads_by_five(client, season_2024):
    # TRAXION_WF_NC: after Race 2 Serrano led, five points ahead of both Drumont and Gallo. (Gallo's 6th
    # place in Race 2 is inferred from this very figure; Serrano's and Drumont's totals are a real check.)
    after = standings_after("nations-cup", 4, 2)
    assert after["Jose Serrano"] == (1, 32)
    assert after["Kylian Drumont"] == after["Valerio Gallo"] == (2, 27)
    # the public standings page, after the race named by its round and race
    response = client.get("/2024/nations-cup/standings/", {"after_race": "world-finals/race-2"})
    assert "After Round 4, World Finals: Race 2" in response.content.decode()
    rows = page_rows(response)
    assert (rows["Jose Serrano"], rows["Kylian Drumont"], rows["Valerio Gallo"]) == (
        ("1", 32),
        ("=2", 27),
        ("=2", 27),
    )


@pytest.mark.xfail(
    strict=True,
    reason="Miyazono's Race 2 place at the World Finals is not in the reports we could read: to be champion "
    "ahead of Drumont's 47 (27 + 20 for 2nd in the Grand Final) he needs 6 to 8 points there (3rd to 5th), "
    "and a band of places scoring differently cannot be entered. Without it he has 42.",
)
def test_final_standings_miyazono_champion_drumont_second_serrano_third(client, season_2024):
    # GT_WF_NC_REACTIONS: Miyazono season 1st, Drumont season 2nd; SPORTMEDIASET_2025: Serrano 3rd.
    api = api_standings_after(client, "nations-cup", 4, 3)
    top = sorted(api.values(), key=lambda row: row["position"])[:3]
    assert [row["name"] for row in top] == ["Takuma Miyazono", "Kylian Drumont", "Jose Serrano"]


def test_the_world_finals_grand_final_counts_double(season_2024):
    # GT_WF_NC: double points in the Grand Final; GT_WF_NC_REACTIONS: Miyazono 1st, Drumont 2nd;
    # ESPORTS_PLUS_WF: Sasaki 5th. 24, 20 and 12 points on the 12-10-8-7-6 scale.
    before = standings_after("nations-cup", 4, 2)
    after = standings_after("nations-cup", 4, 3)
    gained = {name: after[name][1] - before.get(name, (None, 0))[1] for name in after}
    assert (gained["Takuma Miyazono"], gained["Kylian Drumont"], gained["Takuma Sasaki"]) == (24, 20, 12)
    assert gained["Jose Serrano"] == 0  # his place in the final is not published: listed with penalties only


# --- The Manufacturers Cup ---------------------------------------------------------------------------


def test_lexus_leads_the_manufacturers_cup_after_montreal(season_2024):
    # TRAXION_R1_MC, GTPLANET_R1: Fraga won for Lexus and leads; Carrazza 6th for Toyota; BMW scored
    # nothing (GT_WF_MC_REACTIONS), entered as a place not published, outside the points.
    after = standings_after("manufacturers-cup", 1, 1)
    assert after["Lexus"] == (1, 6)
    assert after["Toyota"][1] == 1 and after["BMW"][1] == 0


@pytest.mark.xfail(
    strict=True,
    reason="Porsche's Montréal place is not published: its 9 points after Round 3 (5 for 2nd in Prague) "
    "leave 4 for Montréal and Tokyo together, so 3rd, 4th or 5th in Montréal; a band of places scoring "
    "differently cannot be entered, so Porsche has 5 after Prague, behind Lexus's 7.",
)
def test_porsche_leads_the_manufacturers_cup_after_prague(season_2024):
    # GT_R3_MC: after two rounds Porsche led, ahead of Lexus and Honda.
    race = race_of("manufacturers-cup", 2, 1)
    assert competition_standings(race.competition, after_race=race.pk)[0].name == "Porsche"


def test_before_the_world_finals_lexus_13_and_bmw_8(client, season_2024):
    # YAHOO_R3: Lexus 13, Porsche 9, BMW 8 after Tokyo (GTPLANET_WF_MC: Lexus four ahead of Porsche;
    # GAMEBASTION_WF: BMW a further point behind). Porsche's 9: see the expected failure below.
    after = standings_after("manufacturers-cup", 3, 1)
    assert after["Lexus"] == (1, 13)
    assert after["BMW"][1] == 8
    api = api_standings_after(client, "manufacturers-cup", 3, 1)
    assert (api["Lexus"]["points"], api["BMW"]["points"]) == (13, 8)


@pytest.mark.xfail(
    strict=True,
    reason="Porsche's Montréal and Tokyo places are not published (4 points between them, split unknown): "
    "entered without them Porsche has 5, not the published 9.",
)
def test_before_the_world_finals_porsche_9(season_2024):
    # YAHOO_R3, GTPLANET_WF_MC: Porsche 9, second.
    assert standings_after("manufacturers-cup", 3, 1)["Porsche"] == (2, 9)


def test_lexus_champion_by_one_point_from_bmw_genesis_third(client, season_2024):
    # GT_WF_MC_REACTIONS, OVERTAKE_WF_MC: BMW won the final, Lexus 2nd and champion by one point from BMW;
    # Genesis 3rd in the final and in the season. GT_WF_MC: double points. (13 + 20 = 33, 8 + 24 = 32.)
    api = api_standings_after(client, "manufacturers-cup", 4, 1)
    top = sorted(api.values(), key=lambda row: row["position"])[:3]
    assert [(row["name"], row["position"]) for row in top] == [("Lexus", 1), ("BMW", 2), ("Genesis", 3)]
    assert api["Lexus"]["points"] - api["BMW"]["points"] == 1
    assert (api["Lexus"]["points"], api["BMW"]["points"]) == (33, 32)


# --- Every round, and every race page -----------------------------------------------------------------

LAST_RACES = [
    ("nations-cup", 1, 2),
    ("nations-cup", 2, 2),
    ("nations-cup", 3, 2),
    ("nations-cup", 4, 3),
    ("manufacturers-cup", 1, 1),
    ("manufacturers-cup", 2, 1),
    ("manufacturers-cup", 3, 1),
    ("manufacturers-cup", 4, 1),
]


@pytest.mark.parametrize(("competition", "round_number", "last_race"), LAST_RACES)
def test_the_standings_after_a_round_are_those_after_its_last_race(
    client, season_2024, competition, round_number, last_race
):
    # The figures checked above after a round's last race are those the standings after the round show.
    by_race = api_standings_after(client, competition, round_number, last_race)
    by_round = client.get(f"/api/v1/2024/{competition}/standings/", {"after_round": round_number}).json()
    assert {row["name"]: (row["position"], row["points"]) for row in by_round["standings"]} == {
        name: (row["position"], row["points"]) for name, row in by_race.items()
    }


def test_every_race_page_of_the_season_shows_its_sources(client, season_2024):
    for race in Race.objects.filter(competition__season=season_2024):
        response = client.get(race.get_absolute_url())
        assert response.status_code == 200, race
        page = response.content.decode()
        for source in race.sources.all():
            assert source.publisher in page and source.url in page, (race, source.url)


def test_a_place_worked_out_from_the_totals_says_so_on_the_race_page(client, season_2024):
    page = client.get("/2024/prague/nations-cup/grand-final/").content.decode()
    assert "inferred" in page and "6 for the Tokyo win, so 5 here" in page
    assert "7th–12th" in page  # Miyazono and Serrano: classified, place not published


def test_a_publisher_with_two_pages_is_named_once_in_the_caption(client, season_2024):
    # Tokyo's Grand Final comes from two gran-turismo.com pages (the report and the drivers' reactions).
    page = client.get("/2024/tokyo/nations-cup/grand-final/").content.decode()
    assert "Only the drivers named by gran-turismo.com are listed" in page
