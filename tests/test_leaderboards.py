"""The predictions game's leaderboards: a season's and a nation's, as fans read them.

Picks are made here with their points already set (scoring is the picks' part); a scoring moves the
season's ``predictions:<year>`` scope on, which the tests do as scoring does, after the points change.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.leaderboards import Standing, nations_of, ordinal, rank
from community.models import Comment, League, LeagueMembership, Pick
from results.cache import scopes, versions
from results.models import RaceReport
from tests import factories
from tests.test_picks import make_fan
from tests.test_queries import cold_page

pytestmark = pytest.mark.django_db

YEAR = 2030
BOARD = f"/predictions/{YEAR}/"


@pytest.fixture
def races(db):
    """Three main races of the 2030 season, with drivers A, B and C."""
    season = factories.season(YEAR)
    rounds = [factories.round_(season, number) for number in (1, 2, 3)]
    return [factories.race(round_obj) for round_obj in rounds]


@pytest.fixture
def drivers(db):
    return [factories.driver(name) for name in ("Ana Alves", "Ben Brook", "Cas Colt")]


def pick(fan, race, winner, points, is_winner_right=False):
    """A pick of ``winner`` as scoring leaves it: ``points`` and whether the winner was right (both
    empty while ``points`` is None)."""
    right = None if points is None else is_winner_right
    return Pick.objects.create(fan=fan, race=race, winner_driver=winner, points=points, is_winner_right=right)


def scored(year=YEAR):
    """What scoring does after it wrote points: the season's game pages move on (and nothing else)."""
    versions.bump_now([scopes.predictions(year)])


def table_rows(html):
    """[(place, fan name, points)] of the leaderboard table."""
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [
        (place, name, int(points))
        for place, name, points in re.findall(
            r'<td class="pos">([^<]*)</td>.*?<a href="/fans/\d+/">([^<]*)</a>'
            r'.*?<td class="num fw-bold pts">(\d+)',
            table,
            re.S,
        )
    ]


def exact_winners(html):
    """{fan name: (picks scored, exact winners)} of the leaderboard table."""
    return {
        name: (int(scored), int(exact))
        for name, scored, exact in re.findall(
            r'<a href="/fans/\d+/">([^<]*)</a>\s*<dl class="row-more"><div><dt>Picks scored</dt> '
            r"<dd>(\d+)</dd></div><div><dt>Exact winners</dt> <dd>(\d+)</dd>",
            html,
        )
    }


# --- The ranking, plain ------------------------------------------------------------------------------


def line(fan, name, points):
    return Standing(fan, name, "", points, 1, 0)


def test_equal_points_share_a_place_and_are_listed_by_name():
    ranked = rank(
        [line(1, "zoe", 7), line(2, "Adam", 9), line(3, "bea", 7), line(4, "Cy", 7), line(5, "Di", 2)]
    )
    assert [(row.name, row.place_text) for row in ranked] == [
        ("Adam", "1"),
        ("bea", "=2"),
        ("Cy", "=2"),
        ("zoe", "=2"),
        ("Di", "5"),
    ]
    assert ranked[1].place_ordinal == "=2nd" and ranked[0].place_ordinal == "1st"


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "111th",
    ]


def test_nations_add_up_their_fans_and_name_their_best():
    ranked = rank(
        [
            Standing(1, "Ana", "FR", 9, 2, 1),
            Standing(2, "Bo", "JP", 8, 2, 1),
            Standing(3, "Cy", "JP", 4, 1, 0),
            Standing(4, "Di", "", 20, 3, 2),
        ]
    )
    lines = nations_of(ranked)
    assert [(n.code, n.fans, n.points, n.best.name) for n in lines] == [
        ("JP", 2, 12, "Bo"),
        ("FR", 1, 9, "Ana"),
    ]


# --- The season's page ---------------------------------------------------------------------------------


def test_the_season_table_ranks_fans_with_shared_places_flags_and_exact_winners(client, races, drivers):
    ana, ben, cas = drivers
    pete, quinn, rosa, sam = (
        make_fan(n, nation) for n, nation in [("Pete", "FR"), ("Quinn", "JP"), ("Rosa", "FR"), ("Sam", "")]
    )
    pick(pete, races[0], ana, 5, is_winner_right=True)
    pick(pete, races[1], cas, 1)
    pick(quinn, races[0], ben, 6)  # no exact winner, podium in places
    pick(rosa, races[1], ben, 5, is_winner_right=True)
    pick(rosa, races[0], cas, 1)
    Pick.objects.create(fan=sam, race=races[2], winner_driver=ana)  # not scored yet: not listed

    response = client.get(BOARD)

    html = response.content.decode()
    assert table_rows(html) == [("=1", "Pete", 6), ("=1", "Quinn", 6), ("=1", "Rosa", 6)]
    assert "Sam" not in html
    assert exact_winners(html) == {"Pete": (2, 1), "Quinn": (1, 0), "Rosa": (2, 1)}
    assert 'alt="France"' in html and 'alt="Japan"' in html
    # The nations: France's two fans add up, its best fan named; a link to its own table.
    nations = html[html.index('<h2 class="mt-4">Nations</h2>') :]
    assert re.search(
        r'href="/predictions/2030/nations/fr/">.*?France</a></th><td class="num">2</td>', nations
    )
    assert "Pete</a> (6)" in nations
    assert nations.index("France") < nations.index("Japan")


def test_an_unknown_season_is_not_found(client, races):
    response = client.get("/predictions/1999/")
    assert response.status_code == 404 and "There is no 1999 season." in response.content.decode()


def test_no_scored_pick_yet_says_so(client, races):
    html = client.get(BOARD).content.decode()
    assert "No picks have been scored this season yet." in html


def fans_with_points(count, nation=""):
    """``count`` fans of ``nation``, the n-th (from 1) with n points in the first race (bulk, no profiles)."""
    race = factories.race(factories.round_(factories.season(YEAR), 1), number=5, name="Bulk race")
    winner = factories.driver()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"bulk{number:03d}", email=f"bulk{number}@example.com")
        for number in range(count)
    )
    Pick.objects.bulk_create(
        Pick(fan=user, race=race, winner_driver=winner, points=number + 1)
        for number, user in enumerate(users)
    )
    return users


def test_the_table_has_50_fans_a_page_and_a_page_past_the_last_is_answered_not_kept(client, races):
    users = fans_with_points(60)
    first = client.get(BOARD).content.decode()
    assert [place for place, _, _ in table_rows(first)] == [str(n) for n in range(1, 51)]
    assert table_rows(first)[0] == ("1", "bulk059", 60)
    assert 'href="?page=2"' in first and "Page 1 of 2" in first

    second = client.get(BOARD, {"page": "2"}).content.decode()
    assert table_rows(second) == [(str(n), f"bulk{60 - n:03d}", 61 - n) for n in range(51, 61)]

    past = client.get(BOARD, {"page": "9"})
    assert table_rows(past.content.decode())[-1] == ("60", "bulk000", 1)
    with CaptureQueriesContext(connection) as again:  # page 9 was not kept: rendered again
        client.get(BOARD, {"page": "9"})
    with CaptureQueriesContext(connection) as kept:  # page 2 was: answered from the cache
        client.get(BOARD, {"page": "2"})
    assert len(again) > 0 and len(kept) == 0
    assert len(users) == 60


def test_a_signed_in_fan_sees_their_own_place(client, races, drivers):
    fans_with_points(12)  # 1 … 12 points
    me = make_fan("Me")
    pick(me, races[1], drivers[0], 10)  # level with the fan on 10
    client.force_login(me)

    html = client.get(BOARD).content.decode()

    assert "You: =3rd, 10 points" in html
    assert 'id="you-row" class="table-active"' in html
    # And the anonymous page, cached or not, never shows anyone's "You".
    assert "You:" not in Client().get(BOARD).content.decode()


def test_a_signed_in_fan_without_a_scored_pick_is_told(client, races):
    client.force_login(make_fan("New"))
    assert "You have no scored picks this season yet." in client.get(BOARD).content.decode()


# --- A nation's page -----------------------------------------------------------------------------------


def test_a_nation_table_ranks_only_its_fans(client, races, drivers):
    pete, quinn, rosa = make_fan("Pete", "FR"), make_fan("Quinn", "JP"), make_fan("Rosa", "FR")
    pick(pete, races[0], drivers[0], 3)
    pick(quinn, races[0], drivers[0], 11)
    pick(rosa, races[0], drivers[1], 5)

    html = client.get(f"/predictions/{YEAR}/nations/fr/").content.decode()

    assert "Predictions leaderboard 2030: France" in html
    assert table_rows(html) == [("1", "Rosa", 5), ("2", "Pete", 3)]
    assert "Quinn" not in html


def test_a_nation_without_fans_shows_an_empty_table_saying_so(client, races):
    html = client.get(f"/predictions/{YEAR}/nations/de/").content.decode()
    assert "Germany" in html and "No fan of this nation has a scored pick this season." in html


@pytest.mark.parametrize("code", ["zz", "xyz", "1", "<b>"])
def test_an_unknown_nation_code_is_not_found_with_a_clear_message(client, races, code):
    response = client.get(f"/predictions/{YEAR}/nations/{code}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "No country has the code" in html and "<b>" not in html


def test_a_nation_code_in_capitals_redirects_to_its_page(client, races):
    response = client.get(f"/predictions/{YEAR}/nations/FR/")
    assert response.status_code == 301 and response["Location"] == f"/predictions/{YEAR}/nations/fr/"


# --- Queries and the cache -----------------------------------------------------------------------------


@pytest.mark.parametrize("fans", [3, 30])
@pytest.mark.parametrize(
    "url, queries",
    [
        (BOARD, 3),  # the season, the season's rows, the menu
        (f"{BOARD}?page=1", 3),
        (f"/predictions/{YEAR}/nations/fr/", 3),
    ],
)
def test_leaderboards_run_a_fixed_number_of_queries(
    client, races, drivers, django_assert_num_queries, fans, url, queries
):
    for number in range(fans):
        pick(
            make_fan(f"Fan{number}", "FR" if number % 2 else "JP"),
            races[number % 3],
            drivers[number % 3],
            number,
        )
    cold_page(client, django_assert_num_queries, url, queries)


@pytest.mark.parametrize("fans", [3, 30])
def test_a_signed_in_fan_s_leaderboard_runs_a_fixed_number_of_queries(
    client, races, drivers, django_assert_num_queries, fans
):
    me = make_fan("Me", "FR")
    pick(me, races[0], drivers[0], 4)
    for number in range(fans):
        pick(make_fan(f"Fan{number}"), races[1], drivers[1], number)
    client.force_login(me)
    # The session, the fan, their profile (the menu's name), the season, the season's rows, the menu.
    response = cold_page(client, django_assert_num_queries, BOARD, 6)
    assert "You:" in response.content.decode()


def test_a_pick_or_a_comment_leaves_the_leaderboard_cached_and_a_scoring_refreshes_it(
    client, demo, races, drivers, django_assert_num_queries
):
    pete = make_fan("Pete")
    first = pick(pete, races[0], drivers[0], 5)
    assert table_rows(client.get(BOARD).content.decode()) == [("1", "Pete", 5)]

    # A new pick, a changed pick, a comment, a league: none moves the leaderboard.
    quinn = make_fan("Quinn")
    Pick.objects.create(fan=quinn, race=races[1], winner_driver=drivers[1])
    first.winner_driver = drivers[1]
    first.save()
    Comment.objects.create(report=RaceReport.objects.get(), author=quinn, body="Who wins next?")
    league = League.objects.create(name="Friends", owner=quinn, invite_code="abc")
    LeagueMembership.objects.create(league=league, fan=pete)
    with django_assert_num_queries(0):
        assert table_rows(client.get(BOARD).content.decode()) == [("1", "Pete", 5)]

    # Scoring writes points and moves the season's game scope on: the table is read again.
    Pick.objects.filter(fan=quinn).update(points=8)
    scored()
    assert table_rows(client.get(BOARD).content.decode()) == [("1", "Quinn", 8), ("2", "Pete", 5)]


def test_picks_and_leagues_move_no_racing_scope(races, drivers):
    racing = [
        scopes.RACING,
        scopes.season(YEAR),
        scopes.LATEST,
        scopes.ARCHIVE,
        scopes.frame(YEAR),
        scopes.race(races[0].pk),
    ]
    racing += [scopes.predictions(YEAR)]
    before, _ = versions.current(racing)
    fan = make_fan("Pete")
    chosen = pick(fan, races[0], drivers[0], None)
    chosen.points = 5
    chosen.save()
    league = League.objects.create(name="Friends", owner=fan, invite_code="abc")
    LeagueMembership.objects.create(league=league, fan=fan)
    league.delete()
    assert versions.current(racing)[0] == before


def test_a_renamed_fan_or_a_deleted_account_shows_on_the_kept_leaderboard(
    client, races, drivers, monkeypatch
):
    from results.cache import pages

    monkeypatch.setattr(pages, "SOFT_REFRESH_SECONDS", 0)
    pete, quinn = make_fan("Pete"), make_fan("Quinn")
    pick(pete, races[0], drivers[0], 5)
    pick(quinn, races[0], drivers[1], 3)
    assert table_rows(client.get(BOARD).content.decode()) == [("1", "Pete", 5), ("2", "Quinn", 3)]
    profile = pete.profile
    profile.display_name = "Pete the Picker"
    profile.save()
    assert table_rows(client.get(BOARD).content.decode()) == [("1", "Pete the Picker", 5), ("2", "Quinn", 3)]
    pete.delete()
    assert table_rows(client.get(BOARD).content.decode()) == [("1", "Quinn", 3)]


def test_a_fans_name_changed_in_bulk_is_marked_after_it_is_written(races, drivers):
    """The leaderboard's version moves on only once the new name is stored: a reader in between
    cannot keep the old name under the new version."""
    from unittest import mock

    from community.models import Profile
    from results.cache import invalidation

    pete = make_fan("Pete")
    pick(pete, races[0], drivers[0], 5)
    names_when_marked = []

    def predictions_changed(years):
        names_when_marked.append(Profile.objects.get(user=pete).display_name)

    with mock.patch.object(invalidation, "predictions_changed", side_effect=predictions_changed):
        Profile.objects.filter(user=pete).update(display_name="Pete the Picker")
    assert names_when_marked == ["Pete the Picker"]
