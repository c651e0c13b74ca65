"""Editors paste press lists and upload season files in the admin, seeing what will change first."""

import html
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from results.editors import ensure_editors_group
from results.models import Driver, Race, Result, Season, SeasonImport
from results.rules.limits import MAX_SEASON_FILE_BYTES

from . import factories
from .season_files import REFRESH, run_worker, upload
from .twofactor import sign_in_staff

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "gtws-2024-round1-montreal.txt"
PRESS_LIST = """\
- Takuma Miyazono – Japan – 35 laps
- Jose Serrano – Spain +1.0684
- Coque López – Spain +5.678
- Kaj de Bruin – The Netherlands +8.184
- Takuma Sasaki – Japan +8.184
- Valerio Gallo – Italy +28.755
- Calen Roach – United States +35.113
- Robert Heck – United States +41.215
- Adriano Carrazza – Brazil + 43.476
- Kylian Drumont – France +1:05.950
- Angel Inostroza – Chile +1:22.152
- Guy Barbara – Australia N/A
"""


def test_the_press_list_in_the_seed_is_the_one_these_tests_paste():
    if not SEED.exists():
        pytest.skip("the seed report lives in ../shared/seeds")
    assert PRESS_LIST.strip() in SEED.read_text(encoding="utf-8")


@pytest.fixture
def empty_main_race(demo):
    race = Race.objects.get(slug="main-race")
    race.results.all().delete()
    return race


def paste_url(race):
    return reverse("admin:results_race_paste", args=[race.pk])


def test_an_editor_pastes_the_press_list_sees_it_read_and_saves_it(editor_client, empty_main_race):
    preview = editor_client.post(paste_url(empty_main_race), {"text": PRESS_LIST, "preview": "1"})
    page = preview.content.decode()
    assert preview.context["errors"] == []
    assert [(r.position, r.driver, r.nation, r.laps, r.gap) for r in preview.context["rows"]][:2] == [
        (1, "Takuma Miyazono", "JP", 35, ""),
        (2, "Jose Serrano", "ES", 35, "+1.0684"),
    ]
    assert 'value="Save"' in page and "New driver" not in page

    saved = editor_client.post(paste_url(empty_main_race), {"text": PRESS_LIST, "save": "1"})

    assert saved.status_code == 302
    rows = [(r.position, r.driver.name, r.gap, r.laps) for r in empty_main_race.results.all()]
    assert rows[0] == (1, "Takuma Miyazono", "", 35)
    assert rows[8] == (9, "Adriano Carrazza", "+ 43.476", 35)
    assert rows[11] == (12, "Guy Barbara", "N/A", None)


def test_unknown_drivers_are_flagged_and_unreadable_lines_named(editor_client, empty_main_race):
    text = (
        PRESS_LIST + "- New Face – Portugal +1 lap\nthis is not a result line\n- Odd One – Atlantis +2 laps\n"
    )
    response = editor_client.post(paste_url(empty_main_race), {"text": text, "save": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "New driver: will be added." in page
    assert response.context["errors"] == [
        "Line 14: cannot read “this is not a result line”; write it as “Driver – Nation +gap” "
        "(for example “Jose Serrano – Spain +1.0684”).",
        "Line 15: “Atlantis” is neither a nation we know nor a team.",
    ]
    assert not empty_main_race.results.exists()
    assert not Driver.objects.filter(name="New Face").exists()


def test_pasted_laps_are_checked_against_the_stored_stints(editor_client, empty_main_race):
    text = PRESS_LIST.replace("Kylian Drumont – France +1:05.950", "Kylian Drumont – France DNF")
    text = text.replace("- Angel", "- Angel").replace("+1:22.152", "+1:22.152")
    response = editor_client.post(paste_url(empty_main_race), {"text": text, "save": "1"})
    # Drumont's DNF line has no laps; the stored stint (laps 1–10) stays within the race distance.
    assert response.status_code == 302
    assert Result.objects.get(race=empty_main_race, driver__name="Kylian Drumont").status == "dnf"


def test_only_editors_may_paste(client, django_user_model, empty_main_race):
    staff = django_user_model.objects.create_user("viewer", password="x" * 20, is_staff=True)
    sign_in_staff(client, staff)
    assert client.post(paste_url(empty_main_race), {"text": PRESS_LIST, "save": "1"}).status_code == 403
    assert not empty_main_race.results.exists()


def season_file():
    return (Path(__file__).parent / "data" / "season-2030.json").read_bytes()


def test_an_editor_uploads_a_season_sees_the_changes_then_confirms(editor_client):
    status = upload(editor_client, season_file())
    waiting = editor_client.get(status).content.decode()
    assert "Reading the file and comparing it with the database." in waiting and REFRESH in waiting

    assert run_worker() == ["check_season_file"]
    preview = editor_client.get(status).content.decode()
    assert "Read: import it when you have checked what it changes." in preview and REFRESH not in preview
    assert (
        "new: 1 cars, 2 competitions, 8 drivers, 8 race results, 8 races, 3 rounds, 1 seasons, 1 tracks"
        in preview
    )
    assert not Season.objects.filter(year=2030).exists()

    confirmed = editor_client.post(status, {"confirm": "1"})  # the file stays on the server; only its address
    assert confirmed["Location"] == status
    assert "Confirmed: waiting for the task worker." in editor_client.get(status).content.decode()
    assert run_worker() == ["import_season_file"]

    done = editor_client.get(status).content.decode()
    assert (
        "<strong>Imported.</strong>" in done
        and "season 2030, 36 rows (entries, stints, penalties, pit stops, incidents, crew members, "
        "sources and conflicting values)"
        in done
    )
    assert "What the import changed" in done and "new: 1 cars, 2 competitions, 8 drivers" in done
    assert Race.objects.filter(round__season__year=2030).count() == 8
    assert editor_client.post(status, {"confirm": "1"}).status_code == 302  # a second confirm does nothing
    assert run_worker() == []


def test_a_broken_upload_lists_every_problem_and_writes_nothing(editor_client):
    document = json.loads(season_file())
    document["competitions"][0]["rounds"][0]["races"][0]["results"][2]["position"] = 2
    document["competitions"][0]["rounds"][0]["races"][0]["laps"] = 0
    status = upload(editor_client, json.dumps(document).encode(), "bad.json")
    run_worker()
    page = editor_client.get(status).content.decode()
    assert "Refused: the file has problems; nothing was imported." in page
    assert "The file was not imported: 3 problems." in page
    assert "competitions[0].rounds[0].races[0].laps: must be 1 or more, got 0" in page
    assert (
        "competitions[0].rounds[0].races[0].results[2].position: position 2 is already in results[1] (Bob)."
        in page
    )
    assert "Import it" not in page
    assert not Season.objects.filter(year=2030).exists()


def test_a_season_file_larger_than_a_request_may_be_imports_through_the_admin(editor_client):
    # Over 2.5 MB (DATA_UPLOAD_MAX_MEMORY_SIZE): once sent back in a hidden field and refused with a 400.
    content = json.dumps(factories.season_document(rounds=20, entries=30), indent=8).encode()
    assert len(content) > 2_621_440
    status = upload(editor_client, content, "big.json")
    run_worker()
    assert editor_client.post(status, {"confirm": "1"}).status_code == 302
    run_worker()
    page = editor_client.get(status).content.decode()
    assert (
        "<strong>Imported.</strong>" in page
        and "season 2031, 4800 rows (entries, stints, penalties, pit stops, incidents, crew members, "
        "sources and conflicting values)"
        in page
    )
    assert Result.objects.filter(race__round__season__year=2031).count() == 1200


def test_an_upload_is_seen_and_confirmed_only_by_the_editor_who_made_it(
    editor_client, client, django_user_model
):
    status = upload(editor_client, season_file())
    run_worker()
    other = django_user_model.objects.create_user(
        "otto", "otto@example.com", "another-long-password", is_staff=True
    )
    other.groups.add(ensure_editors_group())
    sign_in_staff(client, other)
    assert client.get(status).status_code == 404
    assert client.post(status, {"confirm": "1"}).status_code == 404
    assert run_worker() == []
    assert SeasonImport.objects.get().state == SeasonImport.State.CHECKED
    assert "2030.json" not in client.get(reverse("admin:results_season_import")).content.decode()


def test_an_upload_expires_after_a_day(editor_client):
    status = upload(editor_client, season_file())
    run_worker()
    SeasonImport.objects.update(uploaded_at=timezone.now() - timedelta(hours=25))
    assert editor_client.get(status).status_code == 404
    assert editor_client.post(status, {"confirm": "1"}).status_code == 404
    upload(editor_client, season_file())  # a new upload forgets the expired ones
    assert SeasonImport.objects.count() == 1


def test_a_file_larger_than_a_season_is_refused_with_its_size(editor_client):
    content = b" " * (MAX_SEASON_FILE_BYTES + 1)
    response = editor_client.post(
        reverse("admin:results_season_import"), {"file": SimpleUploadedFile("huge.json", content)}
    )
    assert response.status_code == 200
    assert (
        "The file is 10,485,761 bytes; a season file is at most 10,485,760 bytes (10 MB)."
        in response.content.decode()
    )
    assert not SeasonImport.objects.exists()


def test_an_editor_downloads_a_season_file(editor_client, demo):
    season = Season.objects.get(year=2024)
    response = editor_client.post(
        reverse("admin:results_season_changelist"),
        {"action": "download_season_file", "_selected_action": [season.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="gtws-2024.json"'
    assert json.loads(response.content)["season"]["year"] == 2024


def test_the_race_page_flags_mandatory_tyre_breaches_and_unknowns(editor_client, demo):
    race = factories.race(
        factories.round_(Season.objects.get(year=2024), 2, "Prague"), required_compounds=["S", "M"], laps=10
    )
    bob, ann = factories.driver("Bob"), factories.driver("Ann")
    Result.objects.create(race=race, driver=bob, position=1, laps=10)
    Result.objects.create(race=race, driver=ann, position=2, laps=10)
    race.stints.create(driver=bob, compound="S", first_lap=1, last_lap=10)
    race.stints.create(driver=ann, compound="S", first_lap=1, last_lap=4)
    page = editor_client.get(reverse("admin:results_race_change", args=[race.pk])).content.decode()
    assert "<strong>Breach:</strong> Bob did not use Medium." in page
    assert "Not known for 1 (their stints are not all entered): Ann." in page


def test_a_row_the_database_refuses_fails_the_import_naming_its_place(editor_client):
    # Valid on its own, the file names "Test Cup" with a slug the season's "Test Cup" does not have.
    factories.competition(factories.season(2030), name="Test Cup", slug="the-test-cup")
    status = upload(editor_client, season_file())
    run_worker()
    page = editor_client.get(status).content.decode()
    assert "<strong>Failed: nothing was imported.</strong>" in page
    assert "competitions[0] (Test Cup): the database refused a row (" in page
    assert not Race.objects.filter(round__season__year=2030).exists()


def test_a_replace_upload_says_what_it_deletes_before_anything_is(editor_client, demo):
    from results.exchange.exporter import export_season
    from results.models import GridSlot

    main = Race.objects.get(slug="main-race")
    newcomer = factories.driver("Grid Only")
    GridSlot.objects.create(race=main, driver=newcomer, position=13)
    document = export_season(2024)
    page = editor_client.get(reverse("admin:results_season_import")).content.decode()
    assert 'name="replace"' in page and "Replace the season with the file" in page

    plain = upload(editor_client, json.dumps(document).encode())  # the site's own export, no replace
    run_worker()
    preview = editor_client.get(plain).content.decode()
    assert "Nothing is deleted: what the file does not mention is kept." in preview

    document["competitions"][0]["rounds"][0]["races"][1]["without_result"] = []
    kept_anyway = upload(editor_client, json.dumps(document).encode())
    run_worker()
    assert "Nothing is deleted" in editor_client.get(kept_anyway).content.decode()
    editor_client.post(kept_anyway, {"confirm": "1"})
    run_worker()
    assert main.grid_slots.filter(driver=newcomer).exists()

    status = upload(editor_client, json.dumps(document).encode(), replace=True)
    run_worker()
    preview = editor_client.get(status).content.decode()
    assert "<strong>replacing the season</strong>" in preview
    assert "<strong>Deletes</strong>\n      (the file does not have them): 1 grid places." in preview
    assert "Main Race: 12 results (changed; deletes 1 grid places)" in preview
    assert main.grid_slots.filter(driver=newcomer).exists()
    editor_client.post(status, {"confirm": "1"})
    assert run_worker() == ["import_season_file"]
    done = editor_client.get(status).content.decode()
    assert "<strong>Deleted</strong>" in done
    assert not main.grid_slots.filter(driver=newcomer).exists()


def test_the_preview_lists_each_change_before_to_after_and_writes_nothing(editor_client, demo, monkeypatch):
    from results.exchange.exporter import export_season

    document = export_season(2024)
    montreal = document["competitions"][0]["rounds"][0]
    main = montreal["races"][1]
    de_bruin = next(entry for entry in main["results"] if entry["driver"] == "Kaj de Bruin")
    de_bruin["gap"] = "+8.190"
    main["laps"] = 36
    feature = {**montreal["races"][0], "number": 3, "name": "Feature Race", "slug": "feature-race"}
    feature["grid_from"] = None
    montreal["races"].append(feature)

    status = upload(editor_client, json.dumps(document).encode())
    run_worker()
    preview = editor_client.get(status)

    changes = re.search(r'<ul id="import-changes">(.*?)</ul>', preview.content.decode(), re.S)[1]
    lines = [html.unescape(line) for line in re.findall(r"<li>(.*?)</li>", changes)]
    assert lines[:2] == [
        "Round 1 Montréal · Nations Cup · Main Race: scheduled laps 35 → 36",
        "Round 1 Montréal · Nations Cup · Feature Race: added",
    ]
    assert "Round 1 Montréal · Nations Cup · Main Race, 4th: Kaj de Bruin gap +8.184 → +8.190" in lines
    assert f"Round 1 Montréal · Nations Cup · Feature Race: {len(feature['results'])} results added" in lines
    main_race = Race.objects.get(slug="main-race")
    assert main_race.laps == 35 and main_race.results.get(driver__name="Kaj de Bruin").gap == "+8.184"
    assert not Race.objects.filter(slug="feature-race").exists()

    # A long list is cut, with a count of the rest.
    monkeypatch.setattr("results.exchange.uploads.MAX_SHOWN", 2)
    capped = upload(editor_client, json.dumps(document).encode())
    run_worker()
    page = editor_client.get(capped).content.decode()
    assert f"<li>… and {len(lines) - 2} more changes.</li>" in page

    editor_client.post(status, {"confirm": "1"})
    run_worker()
    assert Race.objects.get(slug="main-race").results.get(driver__name="Kaj de Bruin").gap == "+8.190"
    assert "What changed, value by value" in editor_client.get(status).content.decode()
