"""Race day from a round's admin page: races from a format, what each race still needs, the grid."""

import pytest
from django.urls import reverse

from results.models import GridSlot, Race, Result, Round

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def prague(demo):
    return Round.objects.get(season__year=2024, number=2)


def add_races_url(round):
    return reverse("admin:results_round_add_races", args=[round.pk])


def round_url(round):
    return reverse("admin:results_round_change", args=[round.pk])


def test_the_usual_format_is_the_one_the_competition_ran_at_its_last_round(editor_client, prague):
    page = editor_client.get(add_races_url(prague)).content.decode()
    assert (
        "As at Montréal (Round 1): Sprint Race (no points) → Main Race (6-5-4-3-2-1, grid from Sprint Race, "
        "tyres S/M/H)" in page
    )
    assert 'value="usual"' in page and "checked" in page.split('value="usual"')[1].split(">")[0]

    atlanta = factories.track("Prague Ring")
    response = editor_client.post(
        add_races_url(prague),
        {"competition": prague.season.competitions.get().pk, "race_format": "usual", "track_2": atlanta.pk},
        follow=True,
    )
    assert "Added 2 races to 2024 Round 2: Prague: Sprint Race, Main Race." in response.content.decode()
    sprint, main = Race.objects.filter(round=prague).order_by("number")
    assert (sprint.number, sprint.slug, sprint.kind, sprint.points_scale, sprint.grid_from) == (
        1,
        "sprint-race",
        "sprint",
        [],
        None,
    )
    assert (main.grid_from, main.points_scale, main.required_compounds, main.track) == (
        sprint,
        [6, 5, 4, 3, 2, 1],
        ["S", "M", "H"],
        atlanta,
    )


def test_the_world_finals_format_chains_three_grids_and_doubles_the_last(editor_client, prague):
    competition = prague.season.competitions.get()
    editor_client.post(add_races_url(prague), {"competition": competition.pk, "race_format": "world-finals"})
    one, two, final = Race.objects.filter(round=prague).order_by("number")
    assert (two.grid_from, final.grid_from, final.points_multiplier) == (one, two, 2)
    assert final.points_scale == [12, 10, 8, 7, 6, 5, 4, 3, 2, 1]


def test_a_track_for_a_race_the_format_does_not_have_is_refused_and_nothing_is_added(editor_client, prague):
    competition = prague.season.competitions.get()
    track = factories.track("Prague Ring")
    response = editor_client.post(
        add_races_url(prague), {"competition": competition.pk, "race_format": "single", "track_2": track.pk}
    )
    assert "The format has 1 races; there is no race 2." in response.content.decode()
    assert not Race.objects.filter(round=prague).exists()


def test_races_added_twice_take_the_next_numbers_and_free_slugs(editor_client, prague):
    competition = prague.season.competitions.get()
    for _ in range(2):
        editor_client.post(
            add_races_url(prague), {"competition": competition.pk, "race_format": "sprint-main"}
        )
    assert list(Race.objects.filter(round=prague).order_by("number").values_list("number", "slug")) == [
        (1, "sprint-race"),
        (2, "main-race"),
        (3, "sprint-race-2"),
        (4, "main-race-2"),
    ]


def test_the_round_page_says_what_each_race_has_and_what_is_next(editor_client, demo):
    montreal = Round.objects.get(season__year=2024, number=1)
    main = Race.objects.get(round=montreal, slug="main-race")
    GridSlot.objects.filter(race=main).delete()
    page = editor_client.get(round_url(montreal)).content.decode()
    section = page.split('id="race-day"')[1].split("</section>")[0]
    assert "Nations Cup: Sprint Race" in section and "4 (partial)" in section
    assert "Set grid from Sprint Race" in section
    assert "Miyazono snatches Montréal win" in section and "(published)" in section

    set_grid = reverse("admin:results_round_set_grid", args=[montreal.pk, main.pk])
    assert editor_client.get(set_grid).status_code == 405  # a change is a POST
    response = editor_client.post(set_grid, follow=True)
    assert "Main Race: grid set from Sprint Race (4 drivers)." in response.content.decode()
    assert list(main.grid_slots.order_by("position").values_list("driver__name", flat=True)) == [
        "Kylian Drumont",
        "Takuma Miyazono",
        "Takuma Sasaki",
        "Valerio Gallo",
    ]


def test_a_round_with_no_races_offers_the_formats_and_can_be_marked_completed(editor_client, prague):
    page = editor_client.get(round_url(prague)).content.decode()
    assert "No races yet." in page and add_races_url(prague) in page
    response = editor_client.post(reverse("admin:results_round_complete", args=[prague.pk]), follow=True)
    assert "2024 Round 2: Prague is marked completed." in response.content.decode()
    assert Round.objects.get(pk=prague.pk).status == Round.Status.COMPLETED


def test_a_fan_without_the_editors_rights_cannot_add_races_or_set_grids(client, django_user_model, prague):
    staff = django_user_model.objects.create_user(
        "staff", "s@example.com", "a-long-password-1", is_staff=True
    )
    from .twofactor import sign_in_staff

    sign_in_staff(client, staff)
    competition = prague.season.competitions.get()
    response = client.post(add_races_url(prague), {"competition": competition.pk, "race_format": "single"})
    assert response.status_code == 403
    assert not Race.objects.filter(round=prague).exists()
    assert not Result.objects.filter(race__round=prague).exists()


def test_a_new_round_starts_in_the_latest_season_numbered_after_its_last(editor_client, demo):
    form = editor_client.get(reverse("admin:results_round_add")).context["adminform"].form
    assert form.initial["season"] == Round.objects.get(number=1).season_id
    assert form.initial["number"] == 3


def test_the_round_page_runs_the_same_queries_for_two_races_or_five(
    editor_client, prague, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    competition = prague.season.competitions.get()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(round_url(prague)).status_code == 200
        return len(captured)

    editor_client.post(add_races_url(prague), {"competition": competition.pk, "race_format": "sprint-main"})
    two = queries()
    editor_client.post(add_races_url(prague), {"competition": competition.pk, "race_format": "world-finals"})
    assert Race.objects.filter(round=prague).count() == 5
    assert queries() == two


@pytest.mark.parametrize("term", ["lopez", "LÓPEZ", "coque lop", "Lopez Coque"])
def test_the_driver_autocomplete_finds_a_driver_as_editors_type_him(editor_client, demo, term):
    found = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "results", "model_name": "result", "field_name": "driver", "term": term},
    ).json()
    assert [row["text"] for row in found["results"]] == ["Coque López"]
