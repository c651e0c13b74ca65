"""Every write path marks what it changed, and only that: the scopes of the page cache that move on."""

import copy

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from community.models import Comment
from results.cache import versions
from results.cache.scopes import ARCHIVE, LATEST, RACING, REPORTS, comments, frame, race, report, season
from results.demo import REPORT_SLUG
from results.exchange.exporter import export_season
from results.exchange.importer import import_season
from results.exchange.validate import read
from results.models import Driver, GridSlot, Incident, Penalty, Race, RaceReport, Result, SeasonImport
from results.models.base import MarkingQuerySet

from . import factories
from .admin_forms import form_data, set_row
from .test_admin_exchange import PRESS_LIST

pytestmark = pytest.mark.django_db

OLD_REPORT = "2023-city-report"
WATCHED = [
    RACING,
    LATEST,
    ARCHIVE,
    REPORTS,
    season(2023),
    season(2024),
    report(REPORT_SLUG),
    report(OLD_REPORT),
    comments(REPORT_SLUG),
    comments(OLD_REPORT),
]
SEASON_2024 = {season(2024), LATEST, ARCHIVE, report(REPORT_SLUG)}
SEASON_2023 = {season(2023), ARCHIVE, report(OLD_REPORT)}


def moved(write, *args, watched=WATCHED, **kwargs):
    """The watched scopes whose versions ``write(*args, **kwargs)`` moved on."""
    before = versions.current(watched)[0]
    write(*args, **kwargs)
    after = versions.current(watched)[0]
    return {scope for scope in watched if after[scope] != before[scope]}


@pytest.fixture
def seasons(demo):
    """The Montréal 2024 demo, and an older season with a race, a result and a report."""
    round_2023 = factories.round_(factories.season(2023), 1, "City")
    race_2023 = factories.race(round_2023)
    Result.objects.create(race=race_2023, driver=Driver.objects.get(slug="jose-serrano"), position=1)
    RaceReport.objects.create(
        round=round_2023,
        title="2023",
        slug=OLD_REPORT,
        body="Text.",
        is_published=True,
        published_at=timezone.now(),
    )
    return {"main": Race.objects.get(slug="main-race"), "2023": race_2023}


# --- The construction ------------------------------------------------------------------------------


def test_every_racing_model_writes_through_a_marking_queryset():
    from django.apps import apps

    for model in apps.get_app_config("results").get_models():
        if model is SeasonImport:  # an editor's season file on its way in: no page shows it
            assert not isinstance(model.objects.all(), MarkingQuerySet)
            continue
        if model._meta.model_name.startswith("historical"):  # history of racing rows (results.models.history)
            assert model._meta.db_table.startswith("results_historical")
            assert not isinstance(model.objects.all(), MarkingQuerySet)
            continue
        assert isinstance(model.objects.all(), MarkingQuerySet), model
    assert isinstance(Comment.objects.all(), MarkingQuerySet)


def test_the_guard_names_a_write_no_mark_followed(seasons, racing_writes_are_marked):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE results_driver SET online_id = 'raw' WHERE slug = 'jose-serrano'")
    assert racing_writes_are_marked.unmarked() == [
        "UPDATE results_driver SET online_id = 'raw' WHERE slug = 'jose-serrano'"
    ]
    # A comments-only mark does not cover a racing write.
    Comment.objects.create(report=RaceReport.objects.get(slug=REPORT_SLUG), body="Hi")
    assert len(racing_writes_are_marked.unmarked()) == 1
    racing_writes_are_marked.events.clear()  # the guard's own check at teardown passes


def test_the_guard_lets_a_marked_write_and_a_write_changing_nothing_pass(seasons, racing_writes_are_marked):
    Driver.objects.filter(slug="jose-serrano").update(online_id="marked")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE results_driver SET online_id = 'x' WHERE slug = 'nobody'")
    assert racing_writes_are_marked.unmarked() == []


# --- Racing write paths ---------------------------------------------------------------------------


def test_an_admin_save_of_a_2024_result_moves_its_season_not_2023(editor_client, seasons):
    url = reverse("admin:results_race_change", args=[seasons["main"].pk])
    data = form_data(editor_client.get(url))
    set_row(data, "results", 0, reason="Stewards checked the finish")
    data["correction_reason"] = "Reason added"  # the race is published: a correction

    def save():
        assert editor_client.post(url, data).status_code == 302

    assert moved(save) == SEASON_2024
    assert Result.objects.get(race=seasons["main"], position=1).reason == "Stewards checked the finish"


def test_pasting_results_moves_the_race_season_only(editor_client, seasons):
    url = reverse("admin:results_race_paste", args=[seasons["main"].pk])

    def paste():
        pasted = {"text": PRESS_LIST, "save": "1", "correction_reason": "Official list"}  # published race
        assert editor_client.post(url, pasted).status_code == 302

    assert moved(paste) == SEASON_2024  # every driver is known: no new shared row


def test_pasting_a_new_driver_also_moves_the_shared_scope(editor_client, seasons):
    url = reverse("admin:results_race_paste", args=[seasons["main"].pk])
    text = PRESS_LIST.replace("Guy Barbara – Australia", "New Face – Australia")

    def paste():
        pasted = {"text": text, "save": "1", "correction_reason": "Official list"}  # published race
        assert editor_client.post(url, pasted).status_code == 302

    assert moved(paste) == SEASON_2024 | {RACING}


def test_a_season_import_moves_the_season_it_changes(seasons):
    document = export_season(2024)
    changed = copy.deepcopy(document)
    changed["competitions"][0]["rounds"][0]["races"][1]["results"][1]["gap"] = "+1.1"
    assert moved(import_season, read(changed)) == SEASON_2024
    assert moved(import_season, read(changed)) == set()  # the same file again writes nothing


def test_the_grid_action_moves_the_race_season_only(editor_client, seasons):
    def set_grid():
        editor_client.post(
            reverse("admin:results_race_changelist"),
            {"action": "set_grid_from_source", "_selected_action": [seasons["main"].pk]},
        )

    assert moved(set_grid) == SEASON_2024


def test_a_queryset_update_moves_the_seasons_of_the_rows_it_changed(seasons):
    assert moved(Result.objects.filter(race=seasons["2023"]).update, reason="Checked") == SEASON_2023


def test_an_update_moving_rows_to_another_season_moves_both(seasons):
    update = Incident.objects.filter(race=seasons["main"]).update
    assert moved(update, race=seasons["2023"]) == SEASON_2024 | SEASON_2023


def test_bulk_create_and_delete_move_the_race_season(seasons):
    driver = Driver.objects.get(slug="jose-serrano")
    bulk_create = Penalty.objects.bulk_create
    assert (
        moved(bulk_create, [Penalty(race=seasons["2023"], driver=driver, reason="Track limits")])
        == SEASON_2023
    )
    assert moved(Penalty.objects.filter(race=seasons["2023"]).delete) == SEASON_2023
    assert moved(Penalty.objects.filter(race=seasons["2023"]).delete) == set()  # nothing left to delete


def test_deleting_a_race_moves_its_season(seasons):
    assert moved(seasons["2023"].delete) == SEASON_2023


def test_bulk_update_moves_the_season_rows_leave_and_the_one_they_join(seasons):
    slot = GridSlot.objects.filter(race=seasons["main"]).first()
    slot.race = seasons["2023"]
    assert moved(GridSlot.objects.bulk_update, [slot], ["race"]) == SEASON_2024 | SEASON_2023


def test_a_driver_rename_moves_what_every_season_shows(seasons):
    driver = Driver.objects.get(slug="jose-serrano")
    driver.name = "José Serrano"
    assert moved(driver.save) == {RACING, LATEST, ARCHIVE}


def test_a_report_change_moves_the_report_list_and_its_season(seasons):
    old = RaceReport.objects.get(slug=OLD_REPORT)
    old.slug = "2023-city-report-renamed"
    assert moved(old.save) == SEASON_2023 | {REPORTS}  # the old slug, and the new one (not watched)


def test_a_deleted_report_takes_its_comment_section_along(seasons):
    deleted = SEASON_2023 | {REPORTS, comments(OLD_REPORT)}
    assert moved(RaceReport.objects.get(slug=OLD_REPORT).delete) == deleted


def test_a_round_deleted_with_its_report_marks_the_report_gone_from_its_season(seasons):
    deleted = SEASON_2023 | {REPORTS, comments(OLD_REPORT)}
    assert moved(seasons["2023"].round.delete) == deleted


# --- Comments and profiles --------------------------------------------------------------------------


@pytest.fixture
def fan(seasons):
    return get_user_model().objects.create_user("pete", "pete@example.com", "a-long-Passw0rd-for-tests")


def test_a_comment_moves_only_its_comment_section(seasons, fan):
    demo_report = RaceReport.objects.get(slug=REPORT_SLUG)
    create = Comment.objects.create
    assert moved(create, report=demo_report, author=fan, body="Great race") == {comments(REPORT_SLUG)}
    comment = Comment.objects.get()
    comment.is_hidden, comment.hidden_at = True, timezone.now()
    assert moved(comment.save) == {comments(REPORT_SLUG)}
    assert moved(Comment.objects.filter(pk=comment.pk).update, is_hidden=False) == {comments(REPORT_SLUG)}
    assert moved(comment.delete) == {comments(REPORT_SLUG)}


def test_a_profile_rename_moves_the_sections_the_fan_commented_in(seasons, fan):
    Comment.objects.create(report=RaceReport.objects.get(slug=REPORT_SLUG), author=fan, body="Great race")
    fan.profile.display_name = "Pete the fan"
    assert moved(fan.profile.save) == {comments(REPORT_SLUG)}
    fan.profile.is_suspended = True
    assert moved(fan.profile.save) == set()  # the name shown beside the comments is the same


def test_deleting_an_account_moves_the_sections_its_comments_are_in(seasons, fan):
    Comment.objects.create(report=RaceReport.objects.get(slug=REPORT_SLUG), author=fan, body="Great race")
    assert moved(get_user_model().objects.get(pk=fan.pk).delete) == {comments(REPORT_SLUG)}


# --- What marking costs ----------------------------------------------------------------------------


@pytest.mark.on_commit  # the marks are applied after the commit, as in production
def test_saving_a_result_reads_where_it_shows_in_one_query(
    seasons, django_assert_num_queries, django_capture_on_commit_callbacks
):
    result = Result.objects.get(race=seasons["main"], position=1)
    result.reason = "Checked"
    # The row as stored, the UPDATE and its version in the history (results.models.history); the
    # marks gathered are applied after, leaving none behind.
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(3):
        result.save()


# --- Race tables: a race's sheet, its season's frame ---------------------------------------------


def test_a_result_moves_its_race_and_leaves_the_frame_and_the_other_races(seasons):
    main, sprint = seasons["main"], Race.objects.get(slug="sprint-race")
    watched = [frame(2024), frame(2023), race(main.pk), race(sprint.pk), race(seasons["2023"].pk)]
    result = Result.objects.filter(race=main).first()
    result.reason = "Checked"
    assert moved(result.save, watched=watched) == {race(main.pk)}
    assert moved(Result.objects.filter(race=sprint).update, reason="Checked", watched=watched) == {
        race(sprint.pk)
    }


def test_a_race_round_or_competition_written_moves_the_seasons_frame(seasons):
    main, sprint = seasons["main"], Race.objects.get(slug="sprint-race")
    watched = [frame(2024), frame(2023), race(main.pk), race(sprint.pk)]
    # The main race takes its grid from the sprint: the sprint's own row moves both.
    assert moved(Race.objects.filter(pk=sprint.pk).update, name="Sprint", watched=watched) == {
        frame(2024),
        race(sprint.pk),
    }
    assert moved(main.competition.save, watched=watched) == {frame(2024)}
    assert moved(main.round.save, watched=watched) == {frame(2024)}
