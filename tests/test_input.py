"""Odd and hostile input gets a clear answer naming what is wrong: never a 500, never a stalled worker.

Each test sends what an editor or a stranger could send, through the site's own addresses, and
reads the answer they would get (docs/security.md lists them).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from results.models import Driver, Race, Season, SeasonImport

from . import factories
from .season_files import run_worker, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def race(demo):
    return Race.objects.get(slug="main-race")


def paste(client, race, text):
    return client.post(reverse("admin:results_race_paste", args=[race.pk]), {"text": text, "save": "1"})


def test_a_pasted_line_of_40000_digits_is_refused_naming_the_line(editor_client, race):
    response = paste(editor_client, race, "- Jose Serrano – Spain +1.0684\n" + "1" * 40_000)
    assert response.status_code == 200
    assert (
        f"Line 2 is 40,000 characters long; a result line has at most 300: “{'1' * 40}…”."
        in response.content.decode()
    )
    assert race.results.count() == 12  # the demo's, untouched


def test_a_pasted_line_of_100000_characters_is_refused_naming_the_line(editor_client, race):
    response = paste(editor_client, race, "a" * 100_000)
    assert response.status_code == 200
    assert "Line 1 is 100,000 characters long; a result line has at most 300" in response.content.decode()


def test_a_pasted_position_of_two_million_is_named_in_a_short_page(editor_client, race):
    response = paste(editor_client, race, "2000000. Jose Serrano – Spain +1.0684")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: position “2000000” is not one a race has (1 to 100, the largest field)." in page
    assert len(page) < 100_000  # it once listed every position from 1 to 1,999,999 as missing


def test_a_pasted_driver_name_longer_than_its_column_is_refused(editor_client, race):
    response = paste(editor_client, race, "- " + "A" * 150 + " – Spain – 35 laps")
    assert response.status_code == 200
    assert (
        f"Line 1: the driver&#x27;s name “{'A' * 40}…” is 150 characters long; a name has at most 100."
        in response.content.decode()
    )
    assert not Driver.objects.filter(name__startswith="AAAA").exists()


def test_a_pasted_null_character_is_named_with_its_line(editor_client, race):
    response = paste(editor_client, race, "- Jose Serrano – Spain +1.0684\n- Coque\x00 López – Spain +5.678")
    assert response.status_code == 200
    assert (
        "Line 2 contains a null character (\\x00), which cannot be stored: "
        "“- Coque\\x00 López – Spain +5.678”." in response.content.decode()
    )


def test_a_paste_longer_than_a_race_is_refused_before_it_is_read(editor_client, race):
    response = paste(editor_client, race, "- Jose Serrano – Spain +1.0684\n" * 1000)
    assert response.status_code == 200
    assert "The list has 1,000 lines; paste one race, at most 200 lines." in response.content.decode()


def test_the_paste_page_of_a_race_id_that_is_not_a_number_is_not_found(editor_client, race):
    assert editor_client.get("/admin/results/race/abc/paste/").status_code == 404
    assert editor_client.get(f"/admin/results/race/{race.pk + 1000}/paste/").status_code == 404


NULL_IN_ADDRESS = "This address contains a null character (%00), which no page of this site takes.\n"


@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=Kaj%00",
        "/2024/nations-cup/standings/?after_round=1%00",
        "/api/v1/2024/nations-cup/standings/?after_round=%00",
        "/drivers/kaj%00de-bruin/",
    ],
)
def test_a_null_character_in_an_address_answers_400_with_a_sentence(client, demo, address):
    response = client.get(address)
    assert (response.status_code, response.content.decode()) == (400, NULL_IN_ADDRESS)


@pytest.mark.parametrize(
    "address",
    [
        "/admin/results/driver/?nation=%00",  # a 500 on PostgreSQL (text cannot hold a null character)
        "/admin/autocomplete/?term=Kaj%00&app_label=results&model_name=result&field_name=driver",
    ],
)
def test_a_null_character_in_an_admin_filter_or_search_answers_400(editor_client, demo, address):
    response = editor_client.get(address)
    assert (response.status_code, response.content.decode()) == (400, NULL_IN_ADDRESS)


def test_a_null_character_typed_into_an_admin_form_is_refused_by_the_form(editor_client, demo):
    driver = Driver.objects.get(name="Kaj de Bruin")
    response = editor_client.post(
        reverse("admin:results_driver_change", args=[driver.pk]),
        {"name": "Kaj\x00", "slug": driver.slug, "nation": "NL", "online_id": ""},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    driver.refresh_from_db()
    assert driver.name == "Kaj de Bruin"


def test_a_round_number_in_superscript_shows_the_standings_and_the_api_says_why_not(client, demo):
    page = client.get("/2024/nations-cup/standings/?after_round=²")
    assert page.status_code == 200
    assert "<title>Nations Cup 2024 standings after round 1" in page.content.decode()
    api = client.get("/api/v1/2024/nations-cup/standings/?after_round=²")
    assert (api.status_code, api.json()) == (
        400,
        {"error": "after_round must be a round number (1, 2, …), not “²”."},
    )


def test_an_imported_name_longer_than_its_column_is_refused_naming_its_place(editor_client):
    document = factories.season_document(rounds=1, races=1, entries=2)
    document["competitions"][0]["rounds"][0]["races"][0]["results"][1]["driver"] = "B" * 5000
    status = upload(editor_client, json.dumps(document).encode())
    run_worker()
    page = editor_client.get(status).content.decode()
    assert (
        f"competitions[0].rounds[0].races[0].results[1].driver: the text &quot;{'B' * 40}…&quot; is 5,000 "
        "characters long; at most 100 fit" in page
    )
    assert not Season.objects.filter(year=2031).exists()


def test_an_import_file_with_a_null_character_is_refused_at_once(editor_client):
    content = b'{"format": "gtws-results/1",\n "season": {"year": 2031, "name": "A\x00"}}'
    response = editor_client.post(
        reverse("admin:results_season_import"), {"file": SimpleUploadedFile("nul.json", content)}
    )
    assert response.status_code == 200
    assert (
        "the file contains a null character (\\x00) at line 2, column 37; a season file is JSON text, "
        "which has none" in response.content.decode()
    )
    assert not SeasonImport.objects.exists()


def test_an_import_file_nested_a_thousand_deep_is_refused_in_one_sentence(editor_client):
    content = ('{"format": "gtws-results/1", "season": ' + "[" * 1000 + "]" * 1000 + "}").encode()
    status = upload(editor_client, content, "deep.json")
    run_worker()
    page = editor_client.get(status).content.decode()
    assert "The file was not imported: 1 problem." in page
    assert "the JSON nests lists and objects deeper than a season file does (12 levels)" in page
