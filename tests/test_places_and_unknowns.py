"""What the sources leave unknown, as fans and editors see it: places not published, a track to be
announced, laps not known, stints without laps, "at least N compounds", teams on pasted lines."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from results.models import Competition, Result, Team, TyreStint

from . import factories
from .admin_forms import add_rows, form_data, set_row
from .test_pages import page, text_of

pytestmark = pytest.mark.django_db

RACE = "/2024/city-1/nations-cup/race-1/"
API = "/api/v1/2024/nations-cup/city-1/race-1/results/"


@pytest.fixture
def race_with_unpublished_places():
    """A race of two points places, both published, then 7th–12th, a driver "classified" with no
    band (beyond the points, so 0), and a driver who did not start."""
    season = factories.season(2024)
    race = factories.race(
        factories.round_(season),
        factories.competition(season),
        points_scale=[6, 5],
        is_complete=False,
    )
    names = ["Ann Winner", "Bob Second", "Cem Banded", "Dan Classified", "Eve Absent"]
    ann, bob, cem, dan, eve = (factories.driver(name) for name in names)
    Result.objects.create(race=race, driver=eve, status="dns")
    Result.objects.create(race=race, driver=dan, place_unknown=True)
    Result.objects.create(race=race, driver=cem, place_unknown=True, place_from=7, place_to=12)
    Result.objects.create(race=race, driver=ann, position=1, laps=10)
    Result.objects.create(race=race, driver=bob, position=2, laps=10, gap="+1.0")
    return race


def test_the_race_page_lists_unpublished_places_after_the_published_ones(
    client, race_with_unpublished_places
):
    words = text_of(page(client, RACE))
    assert (
        "1 Ann Winner France 10 laps 6 2 Bob Second France +1.000 5 "
        "7th–12th Cem Banded France 0 classified Dan Classified France 0 DNS Eve Absent"
    ) in words
    assert "Only the drivers the source names are listed" in words
    assert "Places the source did not publish follow the published ones, as the band they lie in" in words


def test_the_api_gives_the_place_and_its_band(client, race_with_unpublished_places):
    rows = client.get(API).json()["results"]
    assert [
        (r["driver"], r["position"], r["place"], r["place_published"], r["place_band"]) for r in rows
    ] == [
        ("Ann Winner", 1, "1", True, None),
        ("Bob Second", 2, "2", True, None),
        ("Cem Banded", None, "7th–12th", False, [7, 12]),
        ("Dan Classified", None, "classified", False, [None, None]),
        ("Eve Absent", None, None, None, None),
    ]
    csv = client.get(API.replace("results/", "results.csv")).content.decode()
    assert "7th–12th" in csv.splitlines()[3]


def test_standings_and_driver_page_count_an_unpublished_place_as_raced(client, race_with_unpublished_places):
    words = text_of(page(client, "/2024/nations-cup/standings/"))
    assert "Cem Banded 0 0 −6 0" in words  # wins, podiums, gap, points: raced, 0 points
    assert "Dan Classified 0 0 −6 0" in words
    assert "Eve Absent" in words  # did not start, yet entered: 0 as before
    words = text_of(page(client, "/drivers/cem-banded/"))
    assert "Nations Cup Race 1 7th–12th" in words


def test_the_database_refuses_a_published_position_with_an_unpublished_place(race_with_unpublished_places):
    race = race_with_unpublished_places
    cases = [
        {"position": 3, "place_unknown": True},
        {"place_from": 7},  # a band without "place not published"
        {"place_unknown": True, "place_from": 12, "place_to": 7},
        {"place_unknown": True, "place_to": 7},
        {"place_unknown": True, "place_from": 101},
        {"place_unknown": True, "status": "dsq"},
    ]
    for values in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            Result.objects.create(race=race, driver=factories.driver(), **values)


def change_url(race):
    return reverse("admin:results_race_change", args=[race.pk])


def test_an_editor_enters_a_place_not_published_with_its_band(editor_client, race_with_unpublished_places):
    race = race_with_unpublished_places
    newcomer = factories.driver("Fay Late")
    data = form_data(editor_client.get(change_url(race)))
    add_rows(
        data,
        "results",
        {"driver": newcomer.pk, "place_unknown": True, "place_from": 7, "place_to": 12, "status": "finished"}
        | {"certainty": "stated"},
    )
    data["correction_reason"] = "A later list names her"  # the race is published: a correction
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 302, [str(e) for errs in response.context["errors"] for e in errs]
    fay = race.results.get(driver=newcomer)
    assert (fay.position, fay.place_unknown, fay.place_from, fay.place_to) == (None, True, 7, 12)


def test_the_admin_names_a_band_whose_places_score_differently(editor_client, race_with_unpublished_places):
    race = race_with_unpublished_places
    race.points_scale = [6, 5, 4, 3, 2, 1]
    race.save()
    data = form_data(editor_client.get(change_url(race)))
    cem_row = next(i for i in range(5) if data[f"results-{i}-place_from"] == "7")
    set_row(data, "results", cem_row, place_from=5, place_to=8)
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 200
    assert (
        "(Cem Banded): the places it may be (5th–8th) score differently on the race's scale "
        "(2, 1, 0 points); give a narrower band, or set the points by hand."
    ) in text_of(response.content.decode()).replace("&#x27;", "'")
    assert race.results.get(place_from=7).place_to == 12


def paste_url(race):
    return reverse("admin:results_race_paste", args=[race.pk])


def test_a_pasted_list_gives_unpublished_places_as_a_band_or_a_question_mark(editor_client):
    race = factories.race(points_scale=[6, 5])
    text = (
        "1. Ann Winner – France – 10 laps\n- Bob Second – Spain +1.0\n7-12 Cem Banded – Italy\n? "
        "Dan Late – Japan"
    )
    response = editor_client.post(paste_url(race), {"text": text, "save": "1"})
    assert response.status_code == 302
    assert [
        (r.driver.name, r.position, r.place_unknown, r.place_from, r.place_to) for r in race.results.all()
    ] == [
        ("Ann Winner", 1, False, None, None),
        ("Bob Second", 2, False, None, None),
        ("Cem Banded", None, True, 7, 12),
        ("Dan Late", None, True, None, None),
    ]


def test_pasted_bands_that_cannot_be_are_named_by_line_and_token(editor_client):
    race = factories.race(points_scale=[6, 5, 4, 3, 2, 1], is_complete=False)
    text = (
        "1. Ann Winner – France – 10 laps\n12-7 Cem Banded – Italy\n0-3 Dan Late – Japan\n? Eve "
        "Gone – Spain DNS"
    )
    response = editor_client.post(paste_url(race), {"text": text, "preview": "1"})
    assert response.context["errors"] == [
        "Line 2: the band of places “12-7” runs backwards; write the higher place first (7-12).",
        "Line 3: the band of places “0-3” is not one a race has (places run from 1 to 100, the "
        "largest field).",
        "Line 4: a driver marked DNS is not classified, so has no place; remove the “?” or the band at "
        "the start of the line.",
    ]
    text = "1. Ann Winner – France – 10 laps\n- Bob Second – Spain +1.0\n3-8 Cem Banded – Italy"
    response = editor_client.post(paste_url(race), {"text": text, "save": "1"})
    assert response.context["errors"] == [
        "Line 3 (Cem Banded): the places it may be (3rd–8th) score differently on the race's scale "
        "(4, 3, 2, 1, 0 points); give a narrower band, or set the points by hand."
    ]
    assert not race.results.exists()


@pytest.fixture
def manufacturers_race():
    season = factories.season(2024)
    cup = factories.competition(season, "Manufacturers Cup", scores=Competition.Scores.TEAM)
    Team.objects.create(name="Toyota", slug="toyota")
    return factories.race(factories.round_(season), cup, points_scale=[6, 5, 4])


def test_a_team_scored_paste_needs_a_team_on_every_line(editor_client, manufacturers_race):
    text = (
        "1. Ann Winner – France – Toyota – 10 laps\n- Bob Second – Spain +1.0\n- Cem Third – Italy "
        "– Lada +2.0"
    )
    response = editor_client.post(paste_url(manufacturers_race), {"text": text, "save": "1"})
    assert response.context["errors"] == [
        "Line 2: the Manufacturers Cup is scored by team, so every line names the team or the car's brand "
        "after the nation: “Bob Second – Spain – Team …”.",
        "Line 3: there is no team or brand “Lada”; write its name as entered under Teams, or add it "
        "there first.",
    ]
    assert not manufacturers_race.results.exists()


def test_a_team_scored_paste_saves_each_line_s_team_and_the_points_go_to_it(
    client, editor_client, manufacturers_race
):
    text = "1. Ann Winner – France – toyota – 10 laps\n- Bob Second – Spain – Toyota +1.0"
    response = editor_client.post(paste_url(manufacturers_race), {"text": text, "save": "1"})
    assert response.status_code == 302
    assert [r.team.name for r in manufacturers_race.results.all()] == ["Toyota", "Toyota"]
    assert "1 Toyota 1 2 – 11" in text_of(page(client, "/2024/manufacturers-cup/standings/"))


def test_a_race_whose_track_and_laps_are_not_known(client):
    season = factories.season(2024)
    race = factories.race(factories.round_(season), factories.competition(season), track=None, laps=None)
    words = text_of(page(client, RACE))
    assert "Track to be announced, laps not yet known." in words
    assert client.get(API).json()["race"]["track"] is None
    race.is_timed = True
    race.required_compounds, race.required_compounds_min = ["S", "M", "H"], 2
    race.save()
    words = text_of(page(client, RACE))
    assert "Track to be announced, a timed race." in words
    assert "Mandatory tyres: at least 2 of soft, medium and hard." in words


def test_a_stint_whose_laps_are_not_known_is_shown_as_such(client):
    season = factories.season(2024)
    race = factories.race(
        factories.round_(season), factories.competition(season), required_compounds=["S", "M"]
    )
    ann = factories.driver("Ann Winner")
    Result.objects.create(race=race, driver=ann, position=1, laps=10)
    TyreStint.objects.create(race=race, driver=ann, compound="S", first_lap=1, last_lap=5)
    TyreStint.objects.create(race=race, driver=ann, compound="M")
    sasha = factories.driver("Sasha Open")
    Result.objects.create(race=race, driver=sasha, position=2, laps=10)
    TyreStint.objects.create(race=race, driver=sasha, compound="S", first_lap=1)
    TyreStint.objects.create(race=race, driver=sasha, compound="M", first_lap=7, last_lap=10)
    html = page(client, RACE)
    assert "Medium (laps not known)" in html  # named beside the row, not drawn as a one-lap stub
    # One end not known: drawn hatched across the laps it may cover, up to the next stint.
    assert (  # six laps of ten, not a one-lap stub
        '<span class="stint soft open" style="--from:0%;--len:60%" '
        'title="Sasha Open: Soft from lap 1 (end not known; lap 6 at the latest)">'
    ) in html
    assert client.get(API).json()["results"][0]["mandatory_tyres"] == "ok"


def test_an_editor_sets_at_least_n_compounds_and_cannot_ask_for_more_than_listed(editor_client):
    race = factories.race(laps=None)
    data = form_data(editor_client.get(change_url(race)))
    data.update(
        {"required_compounds": ["S", "M"], "required_compounds_min": "3", "is_timed": "on", "laps": "12"}
    )
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "At least 3 of the mandatory compounds, but 2 are listed." in content
    assert "A timed race has no number of laps" in content
    data.update({"required_compounds_min": "1", "laps": ""})
    assert editor_client.post(change_url(race), data).status_code == 302
    race.refresh_from_db()
    assert (race.required_compounds_min, race.is_timed, race.laps) == (1, True, None)
