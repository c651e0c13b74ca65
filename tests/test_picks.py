"""The predictions game as fans meet it: the pick form, the races open for picks, a fan's page, and
the race page's section, with every refusal named and nobody's picks shown before the start."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from community.models import Pick
from results.cache import versions
from results.cache.scopes import ARCHIVE, LATEST, RACING, frame, predictions, race, season
from results.models import Competition, Race, Result, Team

from . import factories
from .test_pages import text_of
from .test_queries import cold_page

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
START = NOW + timedelta(days=2, hours=3)


def make_fan(name="Pete", nation="", verified=True):
    email = f"{name.lower()}@example.com"
    user = get_user_model().objects.create_user(name.lower(), email, "a-long-Passw0rd-for-tests")
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    user.profile.display_name = name
    user.profile.nation = nation
    user.profile.save()
    return user


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, frozen at NOW; ``clock.set(moment)`` moves it."""

    class Clock:
        moment = NOW

        def set(self, moment):
            self.moment = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.moment)
    return frozen


@pytest.fixture
def field(db):
    """Season 2030, round 1 in Prague: a sprint already run (four drivers classified) and the main
    race starting at START; a driver who raced in another competition only."""
    round_ = factories.round_(factories.season(2030), 1, "Prague", time_zone="Europe/Prague")
    sprint = factories.race(round_, number=1, name="Sprint Race", kind=Race.Kind.SPRINT)
    drivers = [factories.driver(name) for name in ("Ann Alpha", "Ben Beta", "Cy Gamma", "Di Delta")]
    for position, driver in enumerate(drivers, start=1):
        Result.objects.create(race=sprint, driver=driver, position=position, laps=10)
    main = factories.race(round_, number=2, name="Main Race", starts_at=START, date=START.date())
    other = factories.race(round_, factories.competition(round_.season, "Other Cup"), name="Other")
    outsider = factories.driver("Olly Outsider")
    Result.objects.create(race=other, driver=outsider, position=1, laps=10)
    return {"sprint": sprint, "main": main, "drivers": drivers, "outsider": outsider}


def picks_url(race):
    return f"/races/{race.pk}/picks/"


def pick_of(fan, race_, *drivers, **fields):
    """``fan``'s pick of ``race_``, stored: ``drivers`` in their places, winner first."""
    places = dict(zip(("winner_driver", "second_driver", "third_driver"), drivers, strict=False))
    return Pick.objects.create(fan=fan, race=race_, **places, **fields)


def podium(drivers, *order):
    return {
        place: drivers[index].pk for place, index in zip(("winner", "second", "third"), order, strict=False)
    }


@pytest.fixture
def fan(db):
    return make_fan("Pete", nation="CZ")


@pytest.fixture
def fan_client(client, fan, clock):
    client.force_login(fan)  # after the clock is frozen: the session lasts from its NOW
    return client


# --- The form ------------------------------------------------------------------------------------


def test_anyone_sees_the_race_its_start_and_a_countdown_and_is_asked_to_sign_in(client, field, clock):
    response = client.get(picks_url(field["main"]))
    words = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Pick the podium: Prague, Nations Cup Main Race" in words
    assert "17:00 local time (CEST)" in words and "15:00 UTC" in words
    assert "Picks close at the start, in 2 days, 3 hours." in words
    assert f'href="/accounts/login/?next=/races/{field["main"].pk}/picks/"' in response.content.decode()
    assert "<select" not in response.content.decode()


def test_a_verified_fan_picks_the_podium_from_the_field_and_changes_it_in_place(
    fan_client, fan, field, clock
):
    drivers = field["drivers"]
    form = fan_client.get(picks_url(field["main"])).content.decode()
    for driver in drivers:
        assert f'<option value="{driver.pk}">{driver.name}</option>' in form
    assert "Olly Outsider" not in form  # another competition's driver

    response = fan_client.post(picks_url(field["main"]), podium(drivers, 0, 1, 2), follow=True)
    words = text_of(response.content.decode())
    assert "Your picks are saved." in words
    assert "Winner: Ann Alpha Second: Ben Beta Third: Cy Gamma" in words

    response = fan_client.post(picks_url(field["main"]), podium(drivers, 3, 1, 0), follow=True)
    assert "Your picks are changed." in text_of(response.content.decode())
    pick = Pick.objects.get()
    assert (pick.winner_driver, pick.second_driver, pick.third_driver) == (drivers[3], drivers[1], drivers[0])


def test_a_sprint_is_picked_for_its_winner_alone(fan_client, field, clock):
    sprint = heat(field, 3, "Heat", START, date=START.date())
    form = fan_client.get(picks_url(sprint)).content.decode()
    assert "Pick the winner" in form and 'name="second"' not in form
    refused = fan_client.post(picks_url(sprint), podium(field["drivers"], 0, 1, 2))
    assert refused.status_code == 400
    assert (
        "Only the winner is picked in a heat: leave out second and third place." in refused.content.decode()
    )
    assert fan_client.post(picks_url(sprint), podium(field["drivers"], 2)).status_code == 302
    assert Pick.objects.get().winner_driver == field["drivers"][2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda f: podium(f["drivers"], 0, 0, 2), "Ann Alpha is already your winner pick"),
        (
            lambda f: {**podium(f["drivers"], 0, 1), "third": f["outsider"].pk},
            "Third place: that is not a driver of the Nations Cup this season.",
        ),
        (lambda f: {**podium(f["drivers"], 0, 1), "third": "abc"}, "Third place: that is not a driver"),
        (lambda f: podium(f["drivers"], 0), "Second place: choose a driver."),
    ],
    ids=["twice", "not-in-competition", "not-a-number", "podium-incomplete"],
)
def test_bad_picks_are_refused_with_what_is_wrong_and_nothing_saved(fan_client, field, clock, data, message):
    response = fan_client.post(picks_url(field["main"]), data(field))
    assert response.status_code == 400
    assert message in text_of(response.content.decode())
    assert not Pick.objects.exists()


def test_picks_close_at_the_start_and_the_page_then_shows_the_fans_picks(fan_client, field, clock):
    drivers = field["drivers"]
    clock.set(START - timedelta(seconds=1))
    assert fan_client.post(picks_url(field["main"]), podium(drivers, 0, 1, 2)).status_code == 302
    clock.set(START)
    refused = fan_client.post(picks_url(field["main"]), podium(drivers, 3, 2, 1))
    assert refused.status_code == 403
    assert "Picks for this race are closed: they closed at its start." in refused.content.decode()
    assert Pick.objects.get().winner_driver == drivers[0]
    words = text_of(fan_client.get(picks_url(field["main"])).content.decode())
    assert "Picks for this race are closed" in words and "Winner: Ann Alpha" in words
    assert "Save my picks" not in words and "Change my picks" not in words


def test_a_race_without_a_start_time_or_of_qualifying_is_not_open(fan_client, field, clock):
    no_start = factories.race(field["main"].round, number=4, name="Later")
    refused = fan_client.post(picks_url(no_start), podium(field["drivers"], 0, 1, 2))
    assert refused.status_code == 403
    assert "not open: its start time is not known yet" in refused.content.decode()
    qualifying = factories.race(
        field["main"].round, number=5, name="Q", kind=Race.Kind.QUALIFYING, starts_at=START, date=START.date()
    )
    assert fan_client.get(picks_url(qualifying)).status_code == 404
    assert fan_client.get("/races/999999/picks/").status_code == 404
    assert not Pick.objects.exists()


def test_anonymous_unverified_and_suspended_fans_cannot_pick(client, field, clock):
    data = podium(field["drivers"], 0, 1, 2)
    anonymous = client.post(picks_url(field["main"]), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")

    client.force_login(make_fan("Una", verified=False))
    refused = client.post(picks_url(field["main"]), data)
    assert refused.status_code == 403
    assert "Confirm your e-mail address before you pick" in refused.content.decode()

    suspended = make_fan("Sam")
    suspended.profile.is_suspended = True
    suspended.profile.save()
    client.force_login(suspended)
    refused = client.post(picks_url(field["main"]), data)
    assert refused.status_code == 403
    assert "Your account is suspended: you cannot pick" in refused.content.decode()
    assert "<select" not in client.get(picks_url(field["main"])).content.decode()
    assert not Pick.objects.exists()


def test_picking_needs_the_csrf_token(fan, field, clock):
    client = Client(enforce_csrf_checks=True)
    client.force_login(fan)
    assert client.post(picks_url(field["main"]), podium(field["drivers"], 0, 1, 2)).status_code == 403
    assert not Pick.objects.exists()


def test_picking_is_rate_limited_per_fan(fan_client, field, clock, settings):
    settings.PICK_RATE_LIMITS = [(2, 60)]
    drivers = field["drivers"]
    for order in ((0, 1, 2), (1, 2, 3)):
        assert fan_client.post(picks_url(field["main"]), podium(drivers, *order)).status_code == 302
    refused = fan_client.post(picks_url(field["main"]), podium(drivers, 3, 2, 1))
    assert refused.status_code == 429
    assert "You are changing your picks too fast" in refused.content.decode()
    assert Pick.objects.get().winner_driver == drivers[1]


def test_one_set_of_picks_per_fan_and_race_even_past_the_form(fan, field):
    drivers = field["drivers"]
    pick_of(fan, field["main"], drivers[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        pick_of(fan, field["main"], drivers[1])
    with pytest.raises(IntegrityError), transaction.atomic():  # a podium without third place
        pick_of(make_fan("Rita"), field["main"], drivers[0], drivers[1])


def test_a_team_competition_is_picked_by_teams(fan_client, field, clock):
    round_ = field["main"].round
    cup = factories.competition(round_.season, "Manufacturers Cup", scores=Competition.Scores.TEAM)
    earlier = factories.race(round_, cup, number=1, name="Manufacturers Sprint")
    teams = [Team.objects.create(name=name, slug=name.lower()) for name in ("Ferrari", "Mazda", "Toyota")]
    for position, (driver, team) in enumerate(zip(field["drivers"], teams, strict=False), start=1):
        Result.objects.create(race=earlier, driver=driver, team=team, position=position, laps=10)
    final = factories.race(
        round_, cup, number=2, name="Manufacturers Final", starts_at=START, date=START.date()
    )
    form = fan_client.get(picks_url(final)).content.decode()
    assert "Choose a team" in form and f'<option value="{teams[1].pk}">Mazda</option>' in form
    data = {"winner": teams[1].pk, "second": teams[0].pk, "third": teams[2].pk}
    assert fan_client.post(picks_url(final), data).status_code == 302
    pick = Pick.objects.get()
    assert (pick.winner_team, pick.winner_driver) == (teams[1], None)


def test_the_pick_form_runs_a_fixed_number_of_queries(fan_client, field, clock, django_assert_num_queries):
    # session, user, profile, verified address, the fan's pick, race, the field, menu
    with django_assert_num_queries(8):
        assert fan_client.get(picks_url(field["main"])).status_code == 200
    for _ in range(5):
        Result.objects.create(race=field["sprint"], driver=factories.driver(), laps=10, status="dnf")
    with django_assert_num_queries(8):
        assert fan_client.get(picks_url(field["main"])).status_code == 200


# --- What a pick moves ---------------------------------------------------------------------------


def test_a_pick_moves_no_scope_of_the_page_cache(fan_client, field, clock):
    watched = [RACING, LATEST, ARCHIVE, season(2030), frame(2030), race(field["main"].pk), predictions(2030)]
    before = versions.current(watched)[0]
    assert fan_client.post(picks_url(field["main"]), podium(field["drivers"], 0, 1, 2)).status_code == 302
    assert fan_client.post(picks_url(field["main"]), podium(field["drivers"], 1, 0, 2)).status_code == 302
    assert versions.current(watched)[0] == before


# --- The races open for picks --------------------------------------------------------------------


def heat(field, number, name, starts_at, **fields):
    """A heat of the main race's round (the winner is picked), starting at ``starts_at``."""
    return factories.race(
        field["main"].round, number=number, name=name, kind=Race.Kind.HEAT, starts_at=starts_at, **fields
    )


def test_predictions_list_the_races_open_and_those_waiting_for_results(
    client, fan, field, clock, django_assert_num_queries
):
    drivers = field["drivers"]
    past = heat(field, 6, "Earlier Heat", NOW - timedelta(hours=1))
    pick_of(fan, past, drivers[2])
    pick_of(fan, field["main"], *drivers[:3])
    words = text_of(client.get("/predictions/").content.decode())
    assert "Race Start Your picks Prague: Nations Cup Main Race Fri 3 May 2030" in words
    assert "closes in 2 days, 3 hours" in words and "Pick the podium" in words
    assert "Waiting for results" in words and "Prague: Nations Cup Earlier Heat" in words
    assert "Ann Alpha" not in words  # nobody's picks but the fan's own

    client.force_login(fan)
    # session, user, open races, races awaiting scores, the fan's picks of them, latest season; the
    # menu: the fan's profile, the competitions
    with django_assert_num_queries(8):
        words = text_of(client.get("/predictions/").content.decode())
    assert "Ann Alpha, Ben Beta, Cy Gamma change" in words
    assert "Earlier Heat Cy Gamma" in words


# --- A fan's page --------------------------------------------------------------------------------


def test_a_fans_page_shows_points_and_place_and_only_picks_of_races_that_started(
    client, fan, field, clock, django_assert_num_queries
):
    drivers = field["drivers"]
    started = heat(field, 7, "Night Heat", NOW - timedelta(days=1))
    pick_of(fan, started, drivers[0], points=5, is_winner_right=True, scored_at=NOW)
    pick_of(make_fan("Rival"), started, drivers[0], points=5, is_winner_right=True, scored_at=NOW)
    pick_of(make_fan("Third"), started, drivers[1], points=0, is_winner_right=False, scored_at=NOW)
    pick_of(fan, field["main"], drivers[3], drivers[1], drivers[2])
    url = f"/fans/{fan.pk}/"
    client.force_login(fan)  # not even to the fan themself
    # session, user, the fan with their profile, the next start of a race open for picks, the fan's
    # lines on the leaderboards of the seasons they scored in, picks; the menu: the signed-in fan's
    # profile, the competitions
    with django_assert_num_queries(8):
        words = text_of(client.get(url).content.decode())
    assert "Pete Czechia" in words
    assert "Season Points Place Races scored 2030 5 =1 1" in words
    assert "Prague: Nations Cup Night Heat Winner: Ann Alpha 5" in words
    assert "Di Delta" not in words and "Main Race" not in words

    # Another season: its place from its own leaderboard, in the same queries.
    earlier = factories.race(
        factories.round_(factories.season(2029), 1, "Prague"), name="Old Heat", kind=Race.Kind.HEAT
    )
    pick_of(fan, earlier, drivers[2], points=1, is_winner_right=False, scored_at=NOW)
    pick_of(make_fan("Old Hand"), earlier, drivers[0], points=5, is_winner_right=True, scored_at=NOW)
    with django_assert_num_queries(8):
        words = text_of(client.get(url).content.decode())
    assert "Season Points Place Races scored 2030 5 =1 1 2029 1 2 1" in words

    fan.delete()
    assert client.get(url).status_code == 404
    assert client.get("/fans/999999/").status_code == 404


def test_a_fans_page_is_kept_for_readers_until_their_name_scores_or_account_change(
    client, fan, field, clock, settings, monkeypatch, django_assert_num_queries
):
    from community.models import Profile
    from community.scoring import score_races
    from results.cache import pages

    settings.PAGE_CACHE = True
    monkeypatch.setattr(pages, "SOFT_REFRESH_SECONDS", 0)  # a score shows at the next read
    drivers = field["drivers"]
    night = heat(field, 7, "Night Heat", NOW - timedelta(days=1))
    pick_of(fan, night, drivers[1])
    url = f"/fans/{fan.pk}/"
    first = client.get(url).content.decode()
    assert "Pete" in text_of(first) and "Night Heat Winner: Ben Beta" in text_of(first)
    with django_assert_num_queries(0):
        assert client.get(url).content.decode() == first  # kept, served without the database

    Result.objects.create(race=night, driver=drivers[1], position=1, laps=5)  # a racing change
    score_races([night.pk])
    assert "Night Heat Winner: Ben Beta 5" in text_of(client.get(url).content.decode())

    profile = Profile.objects.get(user=fan)
    profile.display_name = "Pete the Picker"
    profile.save()
    assert "Pete the Picker" in text_of(client.get(url).content.decode())
    Profile.objects.filter(user=fan).update(nation="ES")
    assert "Spain" in text_of(client.get(url).content.decode())

    fan.is_active = False
    fan.save()
    assert client.get(url).status_code == 404


def starting_soon(fan, field, settings):
    """The main race starts in 4 s of real time (no clock frozen; time for the reads before it on a
    busy machine), with the fan's podium picked."""
    settings.PAGE_CACHE = True
    start = timezone.now() + timedelta(seconds=4)
    Race.objects.filter(pk=field["main"].pk).update(starts_at=start, date=start.date())
    drivers = field["drivers"]
    pick_of(fan, field["main"], drivers[3], drivers[1], drivers[2])
    return start


def test_a_fans_page_kept_before_a_start_shows_the_pick_after_it(client, fan, field, settings):
    """Real time, as for the race page: the stored page lapses with the next start."""
    start = starting_soon(fan, field, settings)
    url = f"/fans/{fan.pk}/"
    before = client.get(url).content.decode()
    assert "Main Race" not in text_of(before)
    assert client.get(url).content.decode() == before  # stored, served
    time.sleep(max(0.0, (start - timezone.now()).total_seconds()) + 2.1)
    assert "Main Race Winner: Di Delta" in text_of(client.get(url).content.decode())


def test_a_fans_own_profile_links_to_their_public_page(fan_client, fan):
    assert f'href="/fans/{fan.pk}/"' in fan_client.get("/profile/").content.decode()


# --- The race page -------------------------------------------------------------------------------


def race_url(race_):
    return race_.get_absolute_url()


def test_before_the_start_the_race_page_invites_picks_and_shows_none(client, fan, field, clock):
    drivers = field["drivers"]
    pick_of(fan, field["main"], drivers[3], drivers[1], drivers[2])
    words = text_of(client.get(race_url(field["main"])).content.decode())
    assert "Predictions Fans pick the podium until the start" in words and "Pick the podium" in words
    assert "Di Delta" not in words and "picked this race" not in words


def test_after_the_start_the_race_page_shows_what_the_crowd_picked(client, field, clock):
    drivers = field["drivers"]
    orders = [(0, 1, 2), (0, 1, 2), (1, 0, 2), (3, 0, 1)]
    for number, order in enumerate(orders):
        pick_of(make_fan(f"Fan{number}"), field["main"], *(drivers[i] for i in order))
    clock.set(START + timedelta(minutes=1))
    words = text_of(client.get(race_url(field["main"])).content.decode())
    assert "4 fans picked this race. The picks are scored once the podium is known." in words
    assert "Picked to win Fans Share Ann Alpha 2 50% Ben Beta 1 25% Di Delta 1 25%" in words
    assert "The most picked podium (2 fans): 1. Ann Alpha, 2. Ben Beta, 3. Cy Gamma." in words


def test_the_race_page_reads_the_crowd_in_three_more_queries_whatever_the_picks(
    client, field, clock, django_assert_num_queries
):
    def cold_race_page(queries):
        page = cold_page(client, django_assert_num_queries, race_url(field["main"]), queries)
        return text_of(page.content.decode())

    base = 16  # the race page's own queries (tests/test_queries.py pins the demo's)
    assert "Pick the podium" in cold_race_page(base)  # before the start: nothing read
    clock.set(START + timedelta(minutes=1))
    assert "Nobody picked this race." in cold_race_page(base + 1)  # no picks: the summary alone
    for number in range(6):
        pick_of(
            make_fan(f"Fan{number}"), field["main"], *(field["drivers"][(number + i) % 4] for i in range(3))
        )
    assert "6 fans picked this race." in cold_race_page(base + 3)


def test_a_race_page_cached_before_the_start_is_not_served_after_it(client, fan, field, settings):
    """Real time: the page stored before the start lapses with the start (no clock frozen here)."""
    start = starting_soon(fan, field, settings)
    before = client.get(race_url(field["main"])).content.decode()
    assert "Pick the podium" in before and "Di Delta" not in text_of(before)
    assert client.get(race_url(field["main"])).content.decode() == before  # stored, served
    time.sleep(max(0.0, (start - timezone.now()).total_seconds()) + 2.1)
    after = text_of(client.get(race_url(field["main"])).content.decode())
    assert "1 fan picked this race." in after and "Di Delta 1 100%" in after
