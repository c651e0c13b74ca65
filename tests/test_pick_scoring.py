"""Scoring the predictions game: the rule, every case of it, and scoring again whenever a race's
results change (admin save, correction, paste, season import, penalty, delete), as a task after the
commit."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django_tasks.signals import task_enqueued

from community import scoring
from community.models import Pick
from community.moderators import ensure_moderators_group
from results.cache import pages, versions
from results.cache.scopes import ARCHIVE, LATEST, RACING, frame, predictions, race, season
from results.exchange.exporter import export_season
from results.exchange.importer import import_season
from results.exchange.validate import read
from results.models import Competition, Driver, Penalty, Race, Result, Team
from results.rules.picks import IN_PLACE, ON_PODIUM, WINNER, Scored, podium, scored
from tests.twofactor import sign_in_staff

from . import factories
from .test_corrections import main_race, swap_serrano_and_lopez
from .test_leaderboards import exact_winners
from .test_pages import text_of
from .test_picks import make_fan, pick_of

# --- The rule, without a database ---------------------------------------------------------------

A, B, C, D = "a", "b", "c", "d"


@pytest.mark.parametrize(
    ("picked", "top", "points"),
    [
        ((A, B, C), (A, B, C), WINNER + 2 * IN_PLACE),  # all right: 11
        ((A, C, B), (A, B, C), WINNER + 2 * ON_PODIUM),  # the winner, the others swapped: 7
        ((B, A, C), (A, B, C), 2 * ON_PODIUM + IN_PLACE),  # the winner second: 5
        ((D, B, A), (A, B, C), IN_PLACE + ON_PODIUM),  # 4
        ((D, A, B), (A, B, C), 2 * ON_PODIUM),
        ((D, C, B), (A, B, C), 2 * ON_PODIUM),
        ((A, D, "e"), (A, B, C), WINNER),
        ((B, C, A), (A, B, C), 3 * ON_PODIUM),
        (("x", "y", "z"), (A, B, C), 0),
        ((A, None, None), (A, None, None), WINNER),  # a sprint: the winner alone is needed
        ((B, None, None), (A, B, C), ON_PODIUM),  # picked to win, finished second
        ((A, B, C), (A, B, None), None),  # third place not known: not scored yet
        ((A, None, None), (None, B, C), None),
    ],
)
def test_each_case_of_the_rule(picked, top, points):
    result = scored(picked, top)
    assert (None if result is None else result.points) == points


@pytest.mark.parametrize(
    ("picked", "top", "result"),
    [
        ((A, B, C), (A, B, C), Scored(WINNER + 2 * IN_PLACE, is_winner_right=True)),
        ((A, D, "e"), (A, B, C), Scored(WINNER, is_winner_right=True)),
        ((B, A, C), (A, B, C), Scored(WINNER, is_winner_right=False)),  # as many points, a wrong winner
        ((A, None, None), (A, None, None), Scored(WINNER, is_winner_right=True)),
        ((B, None, None), (A, B, C), Scored(ON_PODIUM, is_winner_right=False)),
        ((A, B, C), (A, B, None), None),  # not scored yet: neither points nor a winner right
    ],
)
def test_a_scored_pick_says_whether_its_winner_won(picked, top, result):
    assert scored(picked, top) == result


def test_the_podium_is_the_first_three_places_held():
    assert podium([(3, C), (1, A), (2, B), (4, D)]) == (A, B, C)
    assert podium([(1, A), (None, D), (3, C)]) == (A, None, C)  # second place not known
    assert podium([]) == (None, None, None)


# --- Scoring a race ------------------------------------------------------------------------------

pytestmark = pytest.mark.django_db

MONTREAL_START = datetime(2024, 6, 1, 18, 0, tzinfo=UTC)


@pytest.fixture
def run_tasks(settings):
    """Tasks run as soon as they are queued (the worker, at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def slugs(*names):
    drivers = {driver.slug: driver for driver in Driver.objects.filter(slug__in=names)}
    return [drivers[name] for name in names]


def pick(fan_name, race_, *drivers):
    return pick_of(make_fan(fan_name), race_, *drivers)


@pytest.fixture
def picked(demo):
    """The Montréal main race (Miyazono, Serrano, López on the podium), started, with four fans' picks."""
    main = main_race()
    Race.objects.filter(pk=main.pk).update(starts_at=MONTREAL_START, date=MONTREAL_START.date())
    miyazono, serrano, lopez, bruin = slugs("takuma-miyazono", "jose-serrano", "coque-lopez", "kaj-de-bruin")
    picks = {
        "exact": pick("Exact", main, miyazono, serrano, lopez),
        "swapped": pick("Swapped", main, miyazono, lopez, serrano),
        "wrong": pick("Wrong", main, bruin, lopez, miyazono),
        "sprint": pick("Sprinter", Race.objects.get(slug="sprint-race"), *slugs("kylian-drumont")),
    }
    scoring.forget_pending()  # the races the demo and the start marked: not a change of the tests'
    return picks


def points(picks):
    return {name: Pick.objects.get(pk=one.pk).points for name, one in picks.items()}


def test_a_race_is_scored_from_its_classification_in_a_fixed_number_of_queries(
    picked, django_assert_num_queries
):
    races = [main_race().pk, Race.objects.get(slug="sprint-race").pk]
    # races, their results, crews and penalties; the picks; one update
    with django_assert_num_queries(6):
        assert scoring.score_races(races) == 4
    assert points(picked) == {"exact": 11, "swapped": 7, "wrong": 2, "sprint": 5}
    assert Pick.objects.get(pk=picked["exact"].pk).scored_at is not None
    for number in range(20):
        pick(f"More{number}", main_race(), *slugs("kaj-de-bruin", "jose-serrano", "coque-lopez"))
    with django_assert_num_queries(6):
        assert scoring.score_races(races[:1]) == 20
    with django_assert_num_queries(5):  # nothing changed: nothing written
        assert scoring.score_races(races[:1]) == 0


def test_a_change_to_results_queues_scoring_for_after_the_commit(picked, django_capture_on_commit_callbacks):
    queued = []

    def record(sender, task_result, **kwargs):
        if task_result.task.name == scoring.rescore.name:  # (the pages' renders are queued at once here)
            queued.append((task_result.task.name, task_result.args))

    task_enqueued.connect(record, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            Penalty.objects.create(
                race=main_race(),
                driver=slugs("jose-serrano")[0],
                seconds=Decimal(9),
                is_added_after_finish=True,
            )
            Result.objects.filter(race=main_race(), position=12).update(laps=34)
            assert not queued  # not before the commit
    finally:
        task_enqueued.disconnect(record)
    assert [(name, [list(arg) for arg in args]) for name, args in queued] == [
        (scoring.rescore.name, [[main_race().pk], [2024]])
    ]  # one task for the transaction
    assert points(picked)["exact"] is None  # left to the worker


def test_a_penalty_after_the_finish_moves_the_podium_and_the_scores(
    picked, run_tasks, django_capture_on_commit_callbacks
):
    scoring.score_races([main_race().pk])
    with django_capture_on_commit_callbacks(execute=True):
        Penalty.objects.create(
            race=main_race(), driver=slugs("jose-serrano")[0], seconds=Decimal(9), is_added_after_finish=True
        )
    # Serrano's 9 s put him behind López (+5.678) and de Bruin (+8.184): Miyazono, López, de Bruin
    assert points(picked) == {"exact": 6, "swapped": 8, "wrong": 5, "sprint": None}


def test_exact_winners_follow_the_final_classification_when_a_penalty_demotes_the_winner(
    client, picked, run_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(pages, "SOFT_REFRESH_SECONDS", 0)  # the game's pages show a scoring at once
    miyazono, serrano, lopez = slugs("takuma-miyazono", "jose-serrano", "coque-lopez")
    pick("Guess", main_race(), serrano, miyazono, lopez)
    scoring.score_races([main_race().pk])

    def race_page_and_leaderboard():
        race_page = text_of(client.get(main_race().get_absolute_url()).content.decode())
        return race_page, exact_winners(client.get("/predictions/2024/").content.decode())

    race_page, board = race_page_and_leaderboard()
    assert "4 fans picked this race. 2 of 4 got the winner right" in race_page
    assert board == {"Exact": (1, 1), "Swapped": (1, 1), "Wrong": (1, 0), "Guess": (1, 0)}

    with django_capture_on_commit_callbacks(execute=True):  # the stewards, after the finish
        Penalty.objects.create(
            race=main_race(), driver=miyazono, seconds=Decimal(3), is_added_after_finish=True
        )
    # Miyazono's 3 s put him behind Serrano (+1.0684): Serrano, Miyazono, López. The stored
    # results still have Miyazono first; the game follows the final classification.
    assert Result.objects.get(race=main_race(), position=1).driver == miyazono
    race_page, board = race_page_and_leaderboard()
    assert "4 fans picked this race. 1 of 4 got the winner right; the best score was 11 points." in race_page
    assert board == {"Exact": (1, 0), "Swapped": (1, 0), "Wrong": (1, 0), "Guess": (1, 1)}
    assert points(picked) | {"guess": Pick.objects.get(fan__username="guess").points} == {
        "exact": ON_PODIUM * 2 + IN_PLACE,
        "swapped": 3 * ON_PODIUM,
        "wrong": 2 * ON_PODIUM,
        "sprint": None,
        "guess": WINNER + 2 * IN_PLACE,
    }


def test_an_admin_correction_scores_the_race_again(
    picked, run_tasks, editor_client, django_capture_on_commit_callbacks
):
    scoring.score_races([main_race().pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = swap_serrano_and_lopez(editor_client, correction_reason="Photo finish")
    assert response.status_code == 302
    assert points(picked)["exact"] == 7 and points(picked)["swapped"] == 11


def test_a_paste_scores_the_race_again(picked, run_tasks, editor_client, django_capture_on_commit_callbacks):
    scoring.score_races([main_race().pk])
    url = reverse("admin:results_race_paste", args=[main_race().pk])
    text = "Takuma Miyazono – Japan – 35 laps\nCoque López – Spain +1.0684\nJose Serrano – Spain +5.678"
    with django_capture_on_commit_callbacks(execute=True):
        saved = editor_client.post(url, {"text": text, "save": "1", "correction_reason": "Official list"})
    assert saved.status_code == 302
    assert points(picked)["swapped"] == 11 and points(picked)["exact"] == 7


def test_a_season_import_scores_the_race_again(picked, run_tasks, django_capture_on_commit_callbacks):
    scoring.score_races([main_race().pk])
    document = export_season(2024)
    [main] = [r for r in document["competitions"][0]["rounds"][0]["races"] if r["slug"] == "main-race"]
    second, third = (next(row for row in main["results"] if row["position"] == place) for place in (2, 3))
    second["position"], third["position"] = 3, 2
    second["gap"], third["gap"] = third["gap"], second["gap"]
    with django_capture_on_commit_callbacks(execute=True):
        import_season(read(document))
    assert points(picked)["swapped"] == 11 and points(picked)["exact"] == 7


def test_a_podium_place_taken_away_takes_the_points_back(
    picked, run_tasks, django_capture_on_commit_callbacks
):
    scoring.score_races([main_race().pk])
    with django_capture_on_commit_callbacks(execute=True):
        Result.objects.get(race=main_race(), position=3).delete()
    assert points(picked)["exact"] is None  # nobody third: not scored until the place is known
    assert Pick.objects.get(pk=picked["exact"].pk).scored_at is None
    with django_capture_on_commit_callbacks(execute=True):
        Result.objects.filter(race=main_race(), position=4).update(position=3)
    assert points(picked)["exact"] == 8  # de Bruin third: Miyazono 5, Serrano 3


def test_a_deleted_race_moves_its_seasons_game_scope(picked, run_tasks, django_capture_on_commit_callbacks):
    before = versions.current([predictions(2024)])[0]
    with django_capture_on_commit_callbacks(execute=True):
        main_race().delete()
    assert versions.current([predictions(2024)])[0] != before
    assert not Pick.objects.filter(pk=picked["exact"].pk).exists()


def test_a_team_competition_is_scored_by_teams(db):
    round_ = factories.round_(factories.season(2030), 1, "Prague")
    cup = factories.competition(round_.season, "Manufacturers Cup", scores=Competition.Scores.TEAM)
    final = factories.race(round_, cup, name="Final", starts_at=datetime(2030, 5, 1, tzinfo=UTC))
    teams = [Team.objects.create(name=name, slug=name.lower()) for name in ("Ferrari", "Mazda", "Toyota")]
    for position, team in enumerate(teams, start=1):
        Result.objects.create(race=final, driver=factories.driver(), team=team, position=position, laps=10)
    right = Pick.objects.create(
        fan=make_fan("Tina"), race=final, winner_team=teams[0], second_team=teams[2], third_team=teams[1]
    )
    scoring.score_races([final.pk])
    right.refresh_from_db()
    assert right.points == WINNER + 2 * ON_PODIUM


# --- What scoring moves in the page cache -------------------------------------------------------


def test_scoring_moves_its_seasons_game_scope_and_no_racing_scope(picked):
    main = main_race()
    watched = [RACING, LATEST, ARCHIVE, season(2024), frame(2024), race(main.pk), predictions(2024)]
    before = versions.current(watched)[0]
    scoring.score_races([main.pk])
    after = versions.current(watched)[0]
    assert {scope for scope in watched if after[scope] != before[scope]} == {predictions(2024)}
    scoring.score_races([main.pk])  # nothing changed: nothing moves
    assert versions.current(watched)[0] == after


def test_the_race_page_after_scoring_shows_who_got_the_winner_right(client, picked):
    scoring.score_races([main_race().pk])
    words = text_of(client.get(main_race().get_absolute_url()).content.decode())
    assert "3 fans picked this race. 2 of 3 got the winner right; the best score was 11 points." in words
    assert "Takuma Miyazono 2 67% Kaj de Bruin 1 33%" in words


def test_a_fans_page_shows_their_scored_picks(client, picked):
    scoring.score_races([main_race().pk])
    words = text_of(client.get(f"/fans/{picked['swapped'].fan_id}/").content.decode())
    assert "Season Points Place Races scored 2024 7 2 1" in words
    picks = "Winner: Takuma Miyazono; Second: Coque López; Third: Jose Serrano"
    assert f"2024 Montréal: Nations Cup Main Race {picks} 7" in words


# --- The moderators' view -----------------------------------------------------------------------


def test_moderators_read_picks_and_nobody_edits_points_by_hand(client, picked, django_user_model):
    moderator = django_user_model.objects.create_user("mo", "mo@example.com", "a-long-Passw0rd-for-tests")
    moderator.is_staff = True
    moderator.save()
    moderator.groups.add(ensure_moderators_group())
    client = sign_in_staff(client, moderator)
    listing = client.get(reverse("admin:community_pick_changelist"), {"race__id__exact": main_race().pk})
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Winner: Takuma Miyazono, Second: Jose Serrano, Third: Coque López" in text
    assert "Sprinter" not in text and "Kylian Drumont" not in text  # the filter: that race alone
    change = reverse("admin:community_pick_change", args=[picked["exact"].pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="points"' not in page.content.decode()
    assert client.post(change, {"points": "99"}).status_code == 403
    assert Pick.objects.get(pk=picked["exact"].pk).points is None
    assert client.get(reverse("admin:community_pick_add")).status_code == 403


def test_scoring_again_leaves_an_unchanged_score_and_its_time_alone(picked):
    scoring.score_races([main_race().pk])
    first = Pick.objects.get(pk=picked["exact"].pk).scored_at
    scoring.score_races([main_race().pk])
    assert Pick.objects.get(pk=picked["exact"].pk).scored_at == first
    assert first <= datetime.now(UTC) + timedelta(seconds=1)
