"""Private leagues: what their owner, their members, invitees and everyone else can see and do."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from community import leagues as league_views
from community.models import League, LeagueMembership
from community.moderators import ensure_moderators_group
from tests import factories
from tests.test_leaderboards import YEAR, pick, table_rows
from tests.test_picks import make_fan
from tests.test_queries import cold_page
from tests.twofactor import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return make_fan("Olga", "FR")


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def create(client, name="Office pool"):
    return client.post("/leagues/", {"name": name})


@pytest.fixture
def league(owner_client):
    create(owner_client)
    return League.objects.get()


def join(client, league):
    return client.post(f"/leagues/join/{league.invite_code}/")


def invite_link(html):
    return re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', html)[1]


# --- Creating ----------------------------------------------------------------------------------------


def test_a_verified_fan_creates_a_league_and_gets_a_full_invite_link(owner_client, owner):
    response = create(owner_client, "  Office   pool ")

    league = League.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/leagues/{league.pk}/"
    assert league.name == "Office pool" and league.owner == owner
    assert list(league.members.all()) == [owner]
    assert len(league.invite_code) >= 22  # secrets.token_urlsafe(16): 128 random bits
    html = owner_client.get(response["Location"]).content.decode()
    assert invite_link(html) == f"http://testserver/leagues/join/{league.invite_code}/"
    assert "Your league is made." in html
    listing = owner_client.get("/leagues/").content.decode()
    assert f'<a href="/leagues/{league.pk}/">Office pool</a>' in listing


def test_two_leagues_never_share_an_invite_code(owner_client):
    create(owner_client, "One")
    create(owner_client, "Two")
    one, two = League.objects.order_by("pk")
    assert one.invite_code != two.invite_code


@pytest.mark.parametrize(
    "name, message",
    [
        ("", "Give the league a name."),
        ("   ", "Give the league a name."),
        ("x" * 61, "at most 60 characters"),
    ],
)
def test_a_bad_league_name_is_refused_with_a_message(owner_client, name, message):
    response = create(owner_client, name)
    assert response.status_code == 400 and message in response.content.decode()
    assert not League.objects.exists()


def test_a_fan_owns_at_most_so_many_leagues(owner_client, owner, monkeypatch):
    monkeypatch.setattr(league_views, "MAX_OWNED", 2)
    create(owner_client, "One")
    create(owner_client, "Two")
    response = create(owner_client, "Three")
    assert response.status_code == 400 and "You own 2 leagues already" in response.content.decode()
    assert League.objects.count() == 2


def test_creating_leagues_is_rate_limited(owner_client, monkeypatch):
    monkeypatch.setattr(league_views, "CREATE_LIMITS", [(2, 60)])
    assert create(owner_client, "One").status_code == 302
    assert create(owner_client, "Two").status_code == 302
    refused = create(owner_client, "Three")
    assert refused.status_code == 429 and "too fast" in refused.content.decode()
    assert League.objects.count() == 2


def test_anonymous_unverified_and_suspended_fans_cannot_create(db):
    assert create(Client()).status_code == 302  # to sign in
    unverified = signed_in(make_fan("Una", verified=False))
    refused = create(unverified)
    assert refused.status_code == 403 and "Verify your e-mail address" in refused.content.decode()
    assert "Verify your e-mail address" in unverified.get("/leagues/").content.decode()
    suspended = make_fan("Sus")
    suspended.profile.is_suspended = True
    suspended.profile.save()
    refused = create(signed_in(suspended))
    assert refused.status_code == 403 and "suspended" in refused.content.decode()
    assert not League.objects.exists()


def test_creating_needs_csrf(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert create(client).status_code == 403
    assert not League.objects.exists()


# --- Joining -----------------------------------------------------------------------------------------


def test_the_invite_link_shows_the_league_and_joining_twice_is_harmless(league):
    fan = signed_in(make_fan("Pete"))
    page = fan.get(f"/leagues/join/{league.invite_code}/").content.decode()
    assert "Join Office pool" in page and "owned by Olga" in page and "with 1 member." in page
    assert 'type="submit" class="btn btn-primary">Join the league' in page

    first = join(fan, league)
    assert first["Location"] == f"/leagues/{league.pk}/"
    assert "You joined Office pool." in fan.get(first["Location"]).content.decode()
    again = join(fan, league)
    assert "You are in Office pool already." in fan.get(again["Location"]).content.decode()
    assert league.members.count() == 2
    assert (
        "You are in this league already" in fan.get(f"/leagues/join/{league.invite_code}/").content.decode()
    )


def test_a_bad_invite_code_is_not_found(league):
    fan = signed_in(make_fan("Pete"))
    assert fan.get("/leagues/join/not-a-code/").status_code == 404
    assert fan.post("/leagues/join/not-a-code/").status_code == 404
    assert league.members.count() == 1


def test_anonymous_readers_see_the_invite_and_are_sent_to_sign_in(league):
    response = Client().get(f"/leagues/join/{league.invite_code}/")
    page = response.content.decode()
    assert "Sign in</a> or <a" in page and "Join the league</button>" not in page
    assert "no-store" in response["Cache-Control"]  # a secret link's page: no cache keeps it
    response = join(Client(), league)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert league.members.count() == 1


def test_unverified_and_suspended_fans_cannot_join(league):
    unverified = signed_in(make_fan("Una", verified=False))
    assert (
        "Verify your e-mail address"
        in unverified.get(f"/leagues/join/{league.invite_code}/").content.decode()
    )
    assert join(unverified, league).status_code == 403
    suspended = make_fan("Sus")
    suspended.profile.is_suspended = True
    suspended.profile.save()
    assert join(signed_in(suspended), league).status_code == 403
    assert league.members.count() == 1


def test_joining_is_rate_limited_and_a_full_league_says_so(owner_client, monkeypatch):
    monkeypatch.setattr(league_views, "JOIN_LIMITS", [(1, 60)])
    create(owner_client, "One")
    create(owner_client, "Two")
    one, two = League.objects.order_by("pk")
    fan = signed_in(make_fan("Pete"))
    join(fan, one)
    refused = join(fan, two)
    assert refused.status_code == 429 and "too fast" in refused.content.decode()

    monkeypatch.setattr(league_views, "MAX_MEMBERS", 2)
    quinn = signed_in(make_fan("Quinn"))
    full = join(quinn, one)
    assert "This league is full: it has 2 members." in quinn.get(full["Location"]).content.decode()
    assert one.members.count() == 2


# --- Privacy and the table --------------------------------------------------------------------------


def test_only_members_see_a_league_others_get_not_found(league):
    outsider = signed_in(make_fan("Eve"))
    for url in [f"/leagues/{league.pk}/", f"/leagues/{league.pk}/delete/", "/leagues/999999/"]:
        assert outsider.get(url).status_code == 404, url
    for action in ["rename", "invite", "remove", "leave", "delete"]:
        assert (
            outsider.post(f"/leagues/{league.pk}/{action}/", {"name": "Mine", "fan": "1"}).status_code == 404
        )
    assert "Office pool" not in outsider.get("/leagues/").content.decode()
    assert Client().get(f"/leagues/{league.pk}/").status_code == 302  # to sign in, as for any number
    league.refresh_from_db()
    assert league.name == "Office pool"


@pytest.fixture
def season_picks(db):
    season = factories.season(YEAR)
    races = [factories.race(factories.round_(season, number)) for number in (1, 2)]
    return races, factories.driver("Ana Alves")


def test_a_league_table_ranks_its_members_only_for_the_season_chosen(
    league, owner, owner_client, season_picks
):
    races, driver = season_picks
    pete, quinn, outsider = make_fan("Pete"), make_fan("Quinn"), make_fan("Zed")
    for fan in (pete, quinn):
        join(signed_in(fan), league)
    pick(owner, races[0], driver, 5)
    pick(pete, races[0], driver, 5)
    pick(outsider, races[0], driver, 11)
    older = factories.race(factories.round_(factories.season(YEAR - 1), 1))
    pick(quinn, older, driver, 3)

    html = owner_client.get(f"/leagues/{league.pk}/").content.decode()
    assert table_rows(html) == [("=1", "Olga", 5), ("=1", "Pete", 5)]
    assert "You: =1st, 5 points" in html and "Zed" not in html.split("<tbody>")[1]
    assert f'<option value="{YEAR}" selected>' in html

    earlier = owner_client.get(f"/leagues/{league.pk}/", {"season": YEAR - 1}).content.decode()
    assert table_rows(earlier) == [("1", "Quinn", 3)]

    unknown = owner_client.get(f"/leagues/{league.pk}/", {"season": "<b>1999"}).content.decode()
    assert "There is no season “&lt;b&gt;1999”: showing the latest season." in unknown
    assert table_rows(unknown) == [("=1", "Olga", 5), ("=1", "Pete", 5)]


def league_of(owner, members):
    league = League.objects.create(name="Big", owner=owner, invite_code=f"code-{members}")
    LeagueMembership.objects.create(league=league, fan=owner)
    for number in range(members - 1):
        LeagueMembership.objects.create(league=league, fan=make_fan(f"M{members}x{number}"))
    return league


@pytest.mark.parametrize("members", [3, 30])
def test_a_league_page_runs_a_fixed_number_of_queries(
    owner, owner_client, season_picks, django_assert_num_queries, members
):
    races, driver = season_picks
    league = league_of(owner, members)
    for membership in league.memberships.all():
        pick(membership.fan, races[0], driver, membership.pk % 7)
    # The session, the fan, their profile (the menu), the league, the seasons, its members, the
    # season's rows, the menu's competitions.
    response = cold_page(owner_client, django_assert_num_queries, f"/leagues/{league.pk}/", 8)
    assert len(table_rows(response.content.decode())) == members


@pytest.mark.parametrize("members", [3, 30])
def test_the_list_of_leagues_runs_a_fixed_number_of_queries(
    owner, owner_client, django_assert_num_queries, members
):
    league_of(owner, members)
    # The session, the fan, their profile (the menu), the leagues, the verified check, the menu.
    with django_assert_num_queries(6):
        html = owner_client.get("/leagues/").content.decode()
    assert f'<td class="num">{members}</td>' in html


# --- What the owner does ----------------------------------------------------------------------------


def test_a_new_invite_link_stops_the_old_one(league, owner_client):
    old = league.invite_code
    response = owner_client.post(f"/leagues/{league.pk}/invite/")
    league.refresh_from_db()
    assert league.invite_code != old
    html = owner_client.get(response["Location"]).content.decode()
    assert invite_link(html).endswith(f"/leagues/join/{league.invite_code}/")
    assert "the old one no longer works" in html
    fan = signed_in(make_fan("Pete"))
    assert fan.get(f"/leagues/join/{old}/").status_code == 404
    assert join(fan, league).status_code == 302 and league.members.count() == 2


def test_the_owner_renames_and_a_bad_name_is_refused(league, owner_client):
    owner_client.post(f"/leagues/{league.pk}/rename/", {"name": "Lunch club"})
    league.refresh_from_db()
    assert league.name == "Lunch club"
    refused = owner_client.post(f"/leagues/{league.pk}/rename/", {"name": " "})
    assert refused.status_code == 400 and "Give the league a name." in refused.content.decode()
    league.refresh_from_db()
    assert league.name == "Lunch club"


def test_the_owner_removes_a_member_who_then_loses_the_table(league, owner_client):
    pete = make_fan("Pete")
    fan = signed_in(pete)
    join(fan, league)
    assert fan.get(f"/leagues/{league.pk}/").status_code == 200
    owner_client.post(f"/leagues/{league.pk}/remove/", {"fan": pete.pk})
    assert list(league.members.all()) == [league.owner]
    assert fan.get(f"/leagues/{league.pk}/").status_code == 404
    bad = owner_client.post(f"/leagues/{league.pk}/remove/", {"fan": "x"})
    assert "Say which member to remove." in owner_client.get(bad["Location"]).content.decode()
    mine = owner_client.post(f"/leagues/{league.pk}/remove/", {"fan": league.owner_id})
    assert "delete it instead" in owner_client.get(mine["Location"]).content.decode()
    assert league.members.count() == 1


def test_members_cannot_do_what_only_the_owner_does(league):
    pete = make_fan("Pete")
    fan = signed_in(pete)
    join(fan, league)
    html = fan.get(f"/leagues/{league.pk}/").content.decode()
    assert "Leave the league" in html and "Delete the league" not in html and "Remove" not in html
    assert fan.post(f"/leagues/{league.pk}/rename/", {"name": "Mine"}).status_code == 403
    assert fan.post(f"/leagues/{league.pk}/invite/").status_code == 403
    assert fan.post(f"/leagues/{league.pk}/remove/", {"fan": league.owner_id}).status_code == 403
    assert fan.post(f"/leagues/{league.pk}/delete/").status_code == 403
    league.refresh_from_db()
    assert league.name == "Office pool" and league.members.count() == 2


def test_the_owner_deletes_after_a_confirmation_page(league, owner_client):
    page = owner_client.get(f"/leagues/{league.pk}/delete/").content.decode()
    assert "Delete Office pool?" in page and 'method="post"' in page
    assert League.objects.exists()
    response = owner_client.post(f"/leagues/{league.pk}/delete/")
    assert response["Location"] == "/leagues/" and not League.objects.exists()
    assert "The league Office pool is deleted." in owner_client.get("/leagues/").content.decode()


def test_a_member_leaves_and_the_owner_cannot(league, owner_client):
    pete = make_fan("Pete")
    fan = signed_in(pete)
    join(fan, league)
    assert fan.get(f"/leagues/{league.pk}/leave/").status_code == 405  # a change is a POST
    fan.post(f"/leagues/{league.pk}/leave/")
    assert list(league.members.all()) == [league.owner]
    refused = owner_client.post(f"/leagues/{league.pk}/leave/")
    assert "delete it instead of leaving" in owner_client.get(refused["Location"]).content.decode()
    assert league.members.count() == 1


def test_league_names_are_escaped_everywhere(owner_client):
    create(owner_client, '<script>alert("x")</script>')
    league = League.objects.get()
    fan = signed_in(make_fan("Pete"))
    for client, url in [
        (owner_client, "/leagues/"),
        (owner_client, f"/leagues/{league.pk}/"),
        (owner_client, f"/leagues/{league.pk}/delete/"),
        (fan, f"/leagues/join/{league.invite_code}/"),
    ]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html, url


# --- Moderators -------------------------------------------------------------------------------------


def test_moderators_rename_or_delete_an_abusive_league_in_the_admin(league, owner):
    moderator = make_fan("Mod")
    moderator.is_staff = True
    moderator.save()
    moderator.groups.add(ensure_moderators_group())
    client = sign_in_staff(Client(), moderator)
    change = reverse("admin:community_league_change", args=[league.pk])
    page = client.get(change).content.decode()
    assert owner.get_username() in page and "league memberships" in page.lower()
    assert client.get(reverse("admin:community_league_changelist")).status_code == 200

    data = {
        "name": "Renamed by a moderator",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": str(league.memberships.get().pk),
        "memberships-0-league": str(league.pk),
    }
    assert client.post(change, data).status_code == 302
    league.refresh_from_db()
    assert league.name == "Renamed by a moderator"
    client.post(reverse("admin:community_league_delete", args=[league.pk]), {"post": "yes"})
    assert not League.objects.exists()
