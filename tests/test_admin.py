"""Editors enter and fix whole races in the admin; they never reach user management."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results.models import GridSlot, Race, RaceReport, Result, Team, TyreStint

from . import factories
from .admin_forms import add_rows, form_data, set_row
from .twofactor import sign_in_staff

pytestmark = pytest.mark.django_db

ADD_RACE = reverse("admin:results_race_add")


def change_url(race):
    return reverse("admin:results_race_change", args=[race.pk])


def errors_on_page(response):
    """Every error message the editor sees on the page, field and formset errors alike."""
    found = []
    for error_list in response.context["errors"]:
        found.extend(str(message) for message in error_list)
    for inline in response.context["inline_admin_formsets"]:
        found.extend(inline.formset.non_form_errors())
    return found


def section_errors(response, prefix):
    """The messages heading one inline section of the race page (its formset's own errors)."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            return list(inline.formset.non_form_errors())
    raise AssertionError(f"no section {prefix}")


@pytest.fixture
def setting():
    season = factories.season(2024)
    nations_cup = factories.competition(season, "Nations Cup")
    montreal = factories.round_(season, 1, "Montréal")
    drivers = [factories.driver(name) for name in ("Miyazono", "Serrano", "López", "de Bruin")]
    return {
        "season": season,
        "cup": nations_cup,
        "round": montreal,
        "drivers": drivers,
        "track": factories.track(),
    }


def new_race_data(editor_client, setting, **race):
    data = form_data(editor_client.get(ADD_RACE))
    data.update(
        {
            "round": str(setting["round"].pk),
            "competition": str(setting["cup"].pk),
            "number": "2",
            "name": "Main Race",
            "slug": "main-race",
            "kind": "main",
            "track": str(setting["track"].pk),
            "laps": "35",
            "points_scale": "6, 5, 4, 3, 2, 1",
            "points_multiplier": "1",
            "required_compounds": ["S", "M", "H"],
            "is_complete": "on",
            **race,
        }
    )
    return data


def test_an_editor_enters_a_whole_race_on_one_page(editor_client, setting):
    miyazono, serrano, lopez, de_bruin = setting["drivers"]
    data = new_race_data(editor_client, setting)
    for index, (driver, gap) in enumerate([(miyazono, ""), (serrano, "+1.0684"), (lopez, "+5.678")]):
        set_row(
            data, "results", index, position=index + 1, driver=driver.pk, laps=35, gap=gap, status="finished"
        )
    set_row(data, "results", 3, driver=de_bruin.pk, laps=20, status="dnf", reason="Accident")
    set_row(data, "grid_slots", 0, position=1, driver=serrano.pk, compound="S")
    set_row(data, "grid_slots", 1, position=2, driver=miyazono.pk, compound="M")
    set_row(data, "stints", 0, driver=miyazono.pk, compound="M", first_lap=1, last_lap=12)
    set_row(data, "stints", 1, driver=miyazono.pk, compound="H", first_lap=13, last_lap=35)
    set_row(data, "pit_stops", 0, driver=miyazono.pk, lap=12)
    set_row(data, "penalties", 0, driver=miyazono.pk, seconds="0.5", reason="Track limits")

    checked = editor_client.post(ADD_RACE, data)
    # Miyazono's whole strategy is known and has no soft stint: a warning, saved on a second save.
    assert section_errors(checked, "stints") == [
        "Check before saving (these may be right as published):",
        "Row 1 (Miyazono): the whole strategy is known and never uses Soft.",
        "If they are, save again: saving a second time says you checked them.",
    ]
    response = editor_client.post(ADD_RACE, form_data(checked))

    assert response.status_code == 302, errors_on_page(response)
    race = Race.objects.get(slug="main-race")
    assert race.points_scale == [6, 5, 4, 3, 2, 1]
    assert race.required_compounds == ["S", "M", "H"]
    assert [(r.position, r.driver.name, r.gap) for r in race.results.all()] == [
        (1, "Miyazono", ""),
        (2, "Serrano", "+1.0684"),
        (3, "López", "+5.678"),
        (None, "de Bruin", ""),
    ]
    assert race.results.get(driver=de_bruin).reason == "Accident"
    assert [g.driver.name for g in race.grid_slots.all()] == ["Serrano", "Miyazono"]
    assert race.stints.count() == 2 and race.pit_stops.count() == 1 and race.penalties.count() == 1


def test_an_editor_swaps_two_finishing_positions_in_one_save(editor_client, setting):
    miyazono, serrano, *_ = setting["drivers"]
    race = factories.race(setting["round"], setting["cup"])
    Result.objects.create(race=race, driver=miyazono, position=1, laps=10)
    Result.objects.create(race=race, driver=serrano, position=2, laps=10, gap="+1.0684")
    data = form_data(editor_client.get(change_url(race)))
    set_row(data, "results", 0, position=2, gap="+1.0684")
    set_row(data, "results", 1, position=1, gap="")
    data["correction_reason"] = "Finish-line photo checked"  # the race is published: a correction

    response = editor_client.post(change_url(race), data)

    assert response.status_code == 302, errors_on_page(response)
    assert [(r.position, r.driver.name, r.gap) for r in race.results.all()] == [
        (1, "Serrano", ""),
        (2, "Miyazono", "+1.0684"),
    ]
    history = editor_client.get(reverse("admin:results_race_history", args=[race.pk]))
    assert "Changed Position and Gap for result “P2 Miyazono”" in history.content.decode()


def test_a_duplicate_position_is_named_by_row_and_nothing_is_saved(editor_client, setting):
    miyazono, serrano, lopez, _ = setting["drivers"]
    race = factories.race(setting["round"], setting["cup"], laps=35)
    Result.objects.create(race=race, driver=miyazono, position=1, laps=35)
    Result.objects.create(race=race, driver=serrano, position=2, laps=35)
    data = form_data(editor_client.get(change_url(race)))
    set_row(data, "results", 0, laps=34)
    add_rows(data, "results", {"driver": lopez.pk, "position": 2, "laps": 35, "status": "finished"})

    response = editor_client.post(change_url(race), data)

    assert response.status_code == 200
    assert "Row 3 (López): position 2 is already in row 2 (Serrano)." in errors_on_page(response)
    assert "Row 3 (López): position 2 is already in row 2 (Serrano)." in response.content.decode()
    assert [(r.driver.name, r.laps) for r in race.results.all()] == [("Miyazono", 35), ("Serrano", 35)]


def test_stints_overlapping_or_past_the_laps_completed_are_named(editor_client, setting):
    miyazono, serrano, *_ = setting["drivers"]
    race = factories.race(setting["round"], setting["cup"], laps=35)
    Result.objects.create(race=race, driver=miyazono, position=1, laps=35)
    Result.objects.create(race=race, driver=serrano, position=None, laps=20, status="dnf")
    data = form_data(editor_client.get(change_url(race)))
    add_rows(
        data,
        "stints",
        {"driver": miyazono.pk, "compound": "M", "first_lap": 1, "last_lap": 12},
        {"driver": miyazono.pk, "compound": "H", "first_lap": 10, "last_lap": 35},
        {"driver": serrano.pk, "compound": "S", "first_lap": 1, "last_lap": 25},
    )

    response = editor_client.post(change_url(race), data)

    assert response.status_code == 200
    shown = errors_on_page(response)
    assert "Row 2 (Miyazono): the stint (laps 10–35) overlaps the stint in row 1 (laps 1–12)." in shown
    assert "Row 3 (Serrano): the stint runs to lap 25, but Serrano completed 20 laps." in shown
    assert not TyreStint.objects.exists()


def test_a_stint_check_uses_the_laps_typed_on_the_same_page(editor_client, setting):
    miyazono, *_ = setting["drivers"]
    race = factories.race(setting["round"], setting["cup"], laps=35)
    Result.objects.create(race=race, driver=miyazono, position=1, laps=35)
    TyreStint.objects.create(race=race, driver=miyazono, compound="M", first_lap=1, last_lap=35)
    data = form_data(editor_client.get(change_url(race)))
    set_row(data, "results", 0, laps=30)

    response = editor_client.post(change_url(race), data)

    assert "Row 1 (Miyazono): the stint runs to lap 35, but Miyazono completed 30 laps." in errors_on_page(
        response
    )
    assert race.results.get().laps == 35


def test_a_grid_taken_from_a_race_of_another_round_is_refused(editor_client, setting):
    prague = factories.round_(setting["season"], 2, "Prague")
    prague_sprint = factories.race(prague, setting["cup"], number=1, name="Prague Sprint")
    data = new_race_data(editor_client, setting, grid_from=str(prague_sprint.pk))

    response = editor_client.post(ADD_RACE, data)

    assert response.status_code == 200
    assert (
        "The grid can only come from an earlier race of Montréal; "
        "“Prague Sprint” is a race of Round 2, Prague." in errors_on_page(response)
    )
    assert not Race.objects.filter(slug="main-race").exists()


def test_the_grid_action_copies_the_sprint_finishing_order(editor_client, setting):
    miyazono, serrano, lopez, _ = setting["drivers"]
    sprint = factories.race(setting["round"], setting["cup"], number=1, name="Sprint", is_complete=False)
    main = factories.race(setting["round"], setting["cup"], number=2, name="Main", grid_from=sprint)
    Result.objects.create(race=sprint, driver=serrano, position=1)
    Result.objects.create(race=sprint, driver=miyazono, position=2)
    Result.objects.create(race=sprint, driver=lopez, position=7)
    GridSlot.objects.create(race=main, driver=miyazono, position=5, compound="M")

    response = editor_client.post(
        reverse("admin:results_race_changelist"),
        {"action": "set_grid_from_source", "_selected_action": [main.pk]},
        follow=True,
    )

    assert "grid set from Sprint (3 drivers)" in response.content.decode()
    assert [(g.position, g.driver.name, g.compound) for g in main.grid_slots.all()] == [
        (1, "Serrano", ""),
        (2, "Miyazono", "M"),
        (7, "López", ""),
    ]


def test_an_editor_cannot_reach_user_management(editor_client):
    for name in ("admin:auth_user_changelist", "admin:auth_user_add", "admin:auth_group_changelist"):
        assert editor_client.get(reverse(name)).status_code == 403
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "Races" in index
    assert "Users" not in index and "Groups" not in index


def test_editors_see_the_change_history_but_cannot_alter_it(editor_client, setting):
    race = factories.race(setting["round"], setting["cup"])
    data = form_data(editor_client.get(change_url(race)))
    data["laps"] = "12"
    editor_client.post(change_url(race), data)
    entry = LogEntry.objects.get()

    listing = editor_client.get(reverse("admin:admin_logentry_changelist")).content.decode()

    assert "Changed" in listing and str(race) in listing
    delete_url = reverse("admin:admin_logentry_delete", args=[entry.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_editors_see_the_history_of_racing_data_only(editor_client, setting, django_user_model):
    """An administrator's changes to accounts and a moderator's to comments are not the editors' to read."""
    from community.models import Comment
    from community.moderators import ensure_moderators_group

    admin = sign_in_staff(
        Client(), django_user_model.objects.create_superuser("root", "root@example.com", "x" * 20)
    )
    added = admin.post(
        reverse("admin:auth_user_add"),
        {
            "username": "secretive",
            "usable_password": "true",
            "password1": "a-long-Passw0rd-for-tests",
            "password2": "a-long-Passw0rd-for-tests",
        },
    )
    assert added.status_code == 302
    fan = django_user_model.objects.get(username="secretive")

    moderator = django_user_model.objects.create_user("mod", "mod@example.com", "x" * 20, is_staff=True)
    moderator.groups.add(ensure_moderators_group())
    report = RaceReport.objects.create(round=setting["round"], title="Report", slug="report", body="b")
    comment = Comment.objects.create(report=report, author=fan, body="Words a moderator hid")
    moderating = sign_in_staff(Client(), moderator)
    url = reverse("admin:community_comment_change", args=[comment.pk])
    data = form_data(moderating.get(url))
    data["is_hidden"] = "on"
    assert moderating.post(url, data).status_code == 302

    race = factories.race(setting["round"], setting["cup"])
    data = form_data(editor_client.get(change_url(race)))
    data["laps"] = "12"
    editor_client.post(change_url(race), data)
    assert LogEntry.objects.count() == 3

    listing = editor_client.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert str(race) in listing
    assert "secretive" not in listing and "Words a moderator hid" not in listing
    assert "1 log entry" in listing
    for entry in LogEntry.objects.exclude(content_type__app_label="results"):
        response = editor_client.get(reverse("admin:admin_logentry_change", args=[entry.pk]), follow=True)
        assert entry.object_repr not in response.content.decode()
    # The filter by kind of object offers only what they may see.
    assert re.findall(r"content_type__id__exact=\d+\">([^<]+)<", listing) == ["Racing results | race"]
    # "Recent actions" on the admin's front page: one's own only (Django's index).
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert str(race) in index and "secretive" not in index and "Words a moderator hid" not in index
    # An administrator sees every change.
    everything = admin.get(reverse("admin:admin_logentry_changelist")).content.decode()
    assert "secretive" in everything and "Words a moderator hid" in everything and str(race) in everything


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_races(setting, numbers):
    for number in numbers:
        race = factories.race(setting["round"], setting["cup"], number=number, grid_from=None)
        Result.objects.create(race=race, driver=factories.driver(), position=1)
        RaceReport.objects.create(round=setting["round"], title=f"R{number}", slug=f"r{number}", body="b")


@pytest.mark.parametrize(
    "name",
    [
        "admin:results_race_changelist",
        "admin:results_driver_changelist",
        "admin:results_round_changelist",
        "admin:results_racereport_changelist",
        "admin:admin_logentry_changelist",
    ],
)
def test_admin_lists_run_the_same_queries_for_one_row_or_many(editor_client, setting, name):
    url = reverse(name)
    add_races(setting, [1])
    editor_client.get(url)  # warm the session and content types
    few = queries_for(editor_client, url)
    add_races(setting, range(2, 8))
    assert queries_for(editor_client, url) == few


def test_the_race_page_runs_the_same_queries_for_a_short_or_a_full_race(editor_client, setting):
    race = factories.race(setting["round"], setting["cup"], laps=35)

    def enter(position, driver):
        Result.objects.create(race=race, driver=driver, position=position, laps=35)
        GridSlot.objects.create(race=race, driver=driver, position=position)
        TyreStint.objects.create(race=race, driver=driver, compound="M", first_lap=1)

    enter(1, setting["drivers"][0])
    few = queries_for(editor_client, change_url(race))
    for position, driver in enumerate(setting["drivers"][1:], start=2):
        enter(position, driver)
    assert queries_for(editor_client, change_url(race)) == few


def test_a_stint_ending_before_it_starts_is_named_once_beside_its_field(editor_client, setting):
    miyazono, *_ = setting["drivers"]
    race = factories.race(setting["round"], setting["cup"], laps=35)
    Result.objects.create(race=race, driver=miyazono, position=1, laps=35)
    data = form_data(editor_client.get(change_url(race)))
    add_rows(data, "stints", {"driver": miyazono.pk, "compound": "M", "first_lap": 12, "last_lap": 5})

    response = editor_client.post(change_url(race), data)

    page = response.content.decode()
    message = "Row 1 (Miyazono): the stint ends on lap 5, before it starts on lap 12."
    assert page.count(message) == 1
    beside = re.search(r'<td class="field-last_lap">\s*<ul class="errorlist"[^>]*><li>([^<]*)</li>', page)
    assert beside and beside.group(1) == message
    assert "A stint cannot end before it starts." not in page  # the database's words for the same
    assert "1 row below has a problem, shown beside the field: row 1." in page
    assert not TyreStint.objects.exists()


def test_the_race_page_has_blank_rows_ready_in_each_table(editor_client, setting):
    miyazono, serrano, *_ = setting["drivers"]
    race = factories.race(setting["round"], setting["cup"], laps=35)
    Result.objects.create(race=race, driver=miyazono, position=1, laps=35)
    data = form_data(editor_client.get(change_url(race)))

    # Three more results below the one entered; a whole grid to fill in.
    assert (data["results-INITIAL_FORMS"], data["results-TOTAL_FORMS"]) == ("1", "4")
    assert (data["grid_slots-INITIAL_FORMS"], data["grid_slots-TOTAL_FORMS"]) == ("0", "12")
    set_row(data, "grid_slots", 0, position=1, driver=serrano.pk)
    set_row(data, "grid_slots", 1, position=2, driver=miyazono.pk)
    data["correction_reason"] = "Grid published late"  # the race is published: a correction
    response = editor_client.post(change_url(race), data)  # the blank rows left are not saved
    assert response.status_code == 302, errors_on_page(response)
    assert [g.driver.name for g in race.grid_slots.all()] == ["Serrano", "Miyazono"]


def test_team_and_car_columns_show_where_the_competition_scores_teams_or_a_result_has_one(
    editor_client, setting
):
    def columns(race):
        return (
            editor_client.get(change_url(race)).context["inline_admin_formsets"][0].formset.form.base_fields
        )

    nations = factories.race(setting["round"], setting["cup"], laps=35)
    assert "team" not in columns(nations) and "car" not in columns(nations)
    toyota = Team.objects.create(name="Toyota", slug="toyota")
    Result.objects.create(race=nations, driver=setting["drivers"][0], team=toyota)
    assert "team" in columns(nations) and "car" in columns(nations)
    makers = factories.competition(setting["season"], "Manufacturers Cup", scores="team")
    assert "team" in columns(factories.race(setting["round"], makers, laps=35))


def test_the_races_list_shows_what_editors_look_for_with_its_results_counted(editor_client, setting):
    race = factories.race(setting["round"], setting["cup"], number=2, name="Main Race", laps=35)
    for position, driver in enumerate(setting["drivers"], start=1):
        Result.objects.create(race=race, driver=driver, position=position, laps=35)

    response = editor_client.get(reverse("admin:results_race_changelist"))

    headers = [str(header["text"]) for header in response.context["result_headers"]]
    columns = ["name", "round", "competition", "kind", "laps", "complete", "results"]
    assert headers[1:] == columns
    first = re.search(r'<tr>\s*<td class="action-checkbox">.*?</tr>', response.content.decode(), re.S)[0]
    cells = [cell.strip() for cell in re.sub(r"<[^>]+>", "|", first).split("|") if cell.strip()]
    assert cells == ["Main Race", "2024 Round 1: Montréal", "Nations Cup", "Main race", "35", "4"]
    assert 'class="field-complete"><img src="/static/admin/img/icon-yes.svg" alt="True">' in first


def test_the_rounds_country_filter_offers_only_the_countries_of_rounds(editor_client, setting):
    factories.round_(setting["season"], 2, "Prague", country="CZ")

    response = editor_client.get(reverse("admin:results_round_changelist"))

    offered = re.findall(r'href="\?country=(\w+)"[^>]*>([^<]+)<', response.content.decode())
    assert offered == [("CZ", "Czechia"), ("FR", "France")]  # Montréal is in France here
    only_prague = editor_client.get(reverse("admin:results_round_changelist") + "?country=CZ")
    assert [str(r) for r in only_prague.context["cl"].result_list] == ["2024 Round 2: Prague"]


@pytest.mark.parametrize(
    "term", ["2024 Round 2: Prague", "Prague", "round 2", "2024 prague", "2024 Round 2:"]
)
def test_the_round_autocomplete_finds_a_round_as_it_shows_it(editor_client, setting, term):
    factories.round_(setting["season"], 2, "Prague", country="CZ")
    factories.round_(factories.season(2025), 2, "Prague", country="CZ")
    query = {"app_label": "results", "model_name": "race", "field_name": "round"}

    response = editor_client.get(reverse("admin:autocomplete"), {**query, "term": term})

    found = [option["text"] for option in response.json()["results"]]
    assert "2024 Round 2: Prague" in found
    assert "2024 Round 1: Montréal" not in found
    if term.startswith("2024"):
        assert found == ["2024 Round 2: Prague"]


def test_the_grid_is_chosen_from_races_found_as_the_editor_types(editor_client, setting):
    factories.race(setting["round"], setting["cup"], number=1, name="Sprint Race")
    factories.race(
        factories.round_(setting["season"], 2, "Prague"), setting["cup"], number=1, name="Sprint Race"
    )
    query = {
        "app_label": "results",
        "model_name": "race",
        "field_name": "grid_from",
        "term": "Montréal sprint",
    }

    response = editor_client.get(reverse("admin:autocomplete"), query)

    assert [option["text"] for option in response.json()["results"]] == [
        "2024 Montréal · Nations Cup · Sprint Race"
    ]


def test_points_by_hand_off_the_scale_are_a_warning_saved_only_on_a_second_save(editor_client, setting):
    miyazono, serrano, *_ = setting["drivers"]
    data = new_race_data(editor_client, setting)
    set_row(data, "results", 0, position=1, driver=miyazono.pk, laps=35, status="finished", points=6)
    set_row(
        data, "results", 1, position=2, driver=serrano.pk, laps=35, gap="+1.0", status="finished", points=4
    )

    refused = editor_client.post(ADD_RACE, data)

    assert refused.status_code == 200
    assert section_errors(refused, "results") == [
        "Check before saving (these may be right as published):",
        "Row 2 (Serrano): 4 points set by hand, but the scale gives position 2 5.",
        "If they are, save again: saving a second time says you checked them.",
    ]
    assert not Race.objects.filter(slug="main-race").exists()

    again = form_data(refused)  # the page as shown, with the digest of the warnings it showed
    saved = editor_client.post(ADD_RACE, again)
    assert saved.status_code == 302, errors_on_page(saved)
    assert Race.objects.get(slug="main-race").results.get(driver=serrano).points == 4

    # A different warning on the next save is not covered by the first one's acknowledgement.
    race = Race.objects.get(slug="main-race")
    page = editor_client.get(change_url(race))
    changed = form_data(page)
    changed["acknowledged_warnings"] = again["acknowledged_warnings"]
    set_row(changed, "results", 1, points=3)
    changed["correction_reason"] = "Points as the organiser published them"
    refused_again = editor_client.post(change_url(race), changed)
    assert "Row 2 (Serrano): 3 points set by hand, but the scale gives position 2 5." in section_errors(
        refused_again, "results"
    )
