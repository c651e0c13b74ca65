"""Race days and start times (the venue's local time and UTC), the iCalendar feeds, and standings
after any race: as fans and editors see them."""

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from icalendar import Calendar

from results.cache.pages import is_cached
from results.models import Race, Result, Round
from results.write.changes import racing_change

from . import factories
from .admin_forms import form_data
from .test_pages import PHONE_COPY

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200, response.status_code
    words = re.sub(r"<[^>]+>", " ", PHONE_COPY.sub(" ", response.content.decode()))
    words = re.sub("[\U0001f1e6-\U0001f1ff]", "", words)  # flags
    return " ".join(words.split())


@pytest.fixture
def finals():
    """A two-day round in Prague: the sprint on Saturday at 18:00 local time, the final on Sunday (time
    not known), and a Manufacturers Cup race on Saturday at 14:30."""
    season = factories.season(2024)
    nations = factories.competition(season, "Nations Cup")
    makers = factories.competition(season, "Manufacturers Cup")
    prague = factories.round_(season, 1, "Prague", country="CZ", time_zone="Europe/Prague")
    tokyo = factories.round_(
        season, 2, "Tokyo", country="JP", time_zone="Asia/Tokyo", date=date(2024, 12, 14)
    )
    sprint = factories.race(
        prague,
        nations,
        1,
        "Race 1",
        date=date(2024, 11, 30),
        starts_at=datetime(2024, 11, 30, 17, 0, tzinfo=UTC),
        points_scale=[6, 5, 4],
    )
    final = factories.race(prague, nations, 2, "Race 2", date=date(2024, 12, 1), points_scale=[6, 5, 4])
    cup = factories.race(
        prague,
        makers,
        1,
        "Manufacturers Final",
        date=date(2024, 11, 30),
        starts_at=datetime(2024, 11, 30, 13, 30, tzinfo=UTC),
    )
    drivers = [factories.driver(name) for name in ("Serrano", "Miyazono", "Drumont")]
    for race, order in ((sprint, (0, 1, 2)), (final, (1, 2, 0))):
        for position, index in enumerate(order, start=1):
            Result.objects.create(race=race, driver=drivers[index], position=position, laps=10)
    return {
        "season": season,
        "nations": nations,
        "makers": makers,
        "prague": prague,
        "tokyo": tokyo,
        "sprint": sprint,
        "final": final,
        "cup": cup,
        "drivers": drivers,
    }


# --- Days and times on the pages ------------------------------------------------------------------


def test_the_calendar_shows_a_rounds_span_and_each_start_in_local_time_and_utc(client, finals):
    response = client.get("/2024/")
    html = response.content.decode()
    words = text_of(response)
    assert "30 Nov – 1 Dec 2024" in words
    assert "Nations Cup Race 1: Sat 30 Nov 2024, 18:00 local time (CET) · 17:00 UTC" in words
    assert (
        "Manufacturers Cup Manufacturers Final: Sat 30 Nov 2024, 14:30 local time (CET) · 13:30 UTC" in words
    )
    assert '<time datetime="2024-11-30T18:00:00+01:00">' in html
    assert '<time datetime="2024-11-30">30 Nov</time> – <time datetime="2024-12-01">1 Dec 2024</time>' in html
    assert "14 Dec 2024" in words  # Tokyo: its own date, no races yet


def test_the_round_page_shows_its_days_and_each_race_in_local_time_and_utc(client, finals):
    words = text_of(client.get("/2024/prague/"))
    assert "30 Nov – 1 Dec 2024" in words
    assert "Race 1 (main race)" in words
    assert "Sat 30 Nov 2024, 18:00 local time (CET) · 17:00 UTC" in words
    assert "Sun 1 Dec 2024 , start time not given" in words


def test_the_race_page_shows_its_start_in_local_time_and_utc(client, finals):
    words = text_of(client.get(finals["sprint"].get_absolute_url()))
    assert "Sat 30 Nov 2024, 18:00 local time (CET) · 17:00 UTC" in words


def test_a_start_that_falls_on_another_day_in_utc_names_that_day(client, finals):
    tokyo_race = factories.race(
        finals["tokyo"],
        finals["nations"],
        1,
        "Race 1",
        date=date(2024, 12, 15),
        starts_at=datetime(2024, 12, 14, 23, 0, tzinfo=UTC),
    )
    words = text_of(client.get(tokyo_race.get_absolute_url()))
    assert "Sun 15 Dec 2024, 08:00 local time (JST) · Sat 14 Dec, 23:00 UTC" in words


def test_a_start_without_a_time_zone_is_shown_in_utc(client, finals):
    Round.objects.filter(pk=finals["prague"].pk).update(time_zone="")
    words = text_of(client.get(finals["sprint"].get_absolute_url()))
    assert "Sat 30 Nov 2024, 17:00 UTC" in words and "local time" not in words


def test_a_time_zone_must_be_an_iana_name():
    round_ = factories.round_(factories.season(2024), 3, "Somewhere", time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as error:
        round_.full_clean()
    assert "“Mars/Olympus_Mons” is not a time zone name" in str(error.value.message_dict["time_zone"])


def test_the_database_refuses_a_start_without_a_day(finals):
    with pytest.raises(IntegrityError), transaction.atomic():
        Race.objects.filter(pk=finals["final"].pk).update(
            date=None, starts_at=datetime(2024, 12, 1, 12, tzinfo=UTC)
        )


# --- The editors' forms ---------------------------------------------------------------------------


def test_an_editor_enters_the_start_in_the_venues_local_time_and_it_is_stored_in_utc(editor_client, finals):
    race = finals["final"]
    url = reverse("admin:results_race_change", args=[race.pk])
    data = form_data(editor_client.get(url))
    data.update({"date": "2024-12-01", "start_time": "15:45"})
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    race.refresh_from_db()
    assert race.starts_at == datetime(2024, 12, 1, 14, 45, tzinfo=UTC)
    page = editor_client.get(url).content.decode()
    assert 'value="15:45"' in page  # shown again in local time


def test_a_start_time_needs_the_rounds_time_zone_and_a_day(editor_client, finals):
    Round.objects.filter(pk=finals["prague"].pk).update(time_zone="")
    race = finals["final"]
    url = reverse("admin:results_race_change", args=[race.pk])
    data = form_data(editor_client.get(url))
    data.update({"start_time": "15:45"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Set the time zone of Prague first" in response.content.decode()
    data.update({"date": ""})
    response = editor_client.post(url, data)
    assert "Give the race’s date: a start time belongs to a day." in response.content.decode().replace(
        "&#x27;", "’"
    ).replace("'", "’")
    race.refresh_from_db()
    assert race.starts_at is None


def test_an_editor_sets_a_rounds_time_zone_and_a_wrong_one_is_named(editor_client, finals):
    round_ = finals["prague"]
    url = reverse("admin:results_round_change", args=[round_.pk])
    data = form_data(editor_client.get(url))
    data["time_zone"] = "Europe/Praha"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "“Europe/Praha” is not a time zone name" in response.content.decode()
    data["time_zone"] = "Europe/Berlin"
    assert editor_client.post(url, data).status_code == 302
    round_.refresh_from_db()
    assert round_.time_zone == "Europe/Berlin"


# --- iCalendar feeds ------------------------------------------------------------------------------


def read_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines are folded at 75 octets"
    return Calendar.from_ical(body), body


def events_of(calendar):
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_the_season_calendar_has_one_event_per_race_with_a_stable_uid(client, finals):
    calendar, body = read_calendar(client, "/2024/calendar.ics")
    events = events_of(calendar)
    assert set(events) == {
        "Nations Cup: Prague – Race 1",
        "Nations Cup: Prague – Race 2",
        "Manufacturers Cup: Prague – Manufacturers Final",
    }
    sprint = events["Nations Cup: Prague – Race 1"]
    host = urlsplit(settings.SITE_URL).hostname
    assert str(sprint["uid"]) == f"race-{finals['sprint'].pk}@{host}"
    assert sprint.decoded("dtstart") == datetime(2024, 11, 30, 17, 0, tzinfo=UTC)
    assert b"DTSTART:20241130T170000Z" in body
    assert str(sprint["url"]) == settings.SITE_URL + finals["sprint"].get_absolute_url()
    assert "Prague, Czechia" in str(sprint["location"])
    final = events["Nations Cup: Prague – Race 2"]
    assert final.decoded("dtstart") == date(2024, 12, 1)  # all day: the start time is not known
    assert b"DTSTART;VALUE=DATE:20241201" in body
    assert "dtstamp" in final and "last-modified" in final and int(final["sequence"]) == 0


def test_a_competitions_calendar_holds_its_races_only(client, finals):
    calendar, _ = read_calendar(client, "/2024/manufacturers-cup/calendar.ics")
    assert list(events_of(calendar)) == ["Manufacturers Cup: Prague – Manufacturers Final"]
    assert client.get("/2024/no-such-cup/calendar.ics").status_code == 404
    assert client.get("/1999/calendar.ics").status_code == 404


def test_a_moved_race_keeps_its_uid_and_its_sequence_moves_on(client, finals):
    before = events_of(read_calendar(client, "/2024/calendar.ics")[0])["Nations Cup: Prague – Race 1"]
    with racing_change():
        race = Race.objects.get(pk=finals["sprint"].pk)
        race.starts_at = datetime(2024, 11, 30, 18, 30, tzinfo=UTC)
        race.name = "Race 1; the sprint, delayed"
        race.save()
    after = events_of(read_calendar(client, "/2024/calendar.ics")[0])
    moved = after["Nations Cup: Prague – Race 1; the sprint, delayed"]
    assert str(moved["uid"]) == str(before["uid"])
    assert int(moved["sequence"]) == int(before["sequence"]) + 1
    assert moved.decoded("last-modified") >= before.decoded("last-modified")
    assert moved.decoded("dtstart") == datetime(2024, 11, 30, 18, 30, tzinfo=UTC)


def test_text_is_escaped_and_long_lines_folded(client, finals):
    with racing_change():
        race = Race.objects.get(pk=finals["cup"].pk)
        race.name = "Final, part one; relay " + "x" * 60
        race.save()
    calendar, body = read_calendar(client, "/2024/manufacturers-cup/calendar.ics")
    assert b"Final\\, part one\\; relay" in body
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Manufacturers Cup: Prague – Final, part one; relay " + "x" * 60


def test_a_race_without_a_day_is_left_out_of_the_calendar(client, finals):
    factories.race(finals["tokyo"], finals["nations"], 1, "Race 1")
    calendar, _ = read_calendar(client, "/2024/nations-cup/calendar.ics")
    assert "Nations Cup: Tokyo – Race 1" not in events_of(calendar)


def test_the_calendar_pages_link_to_the_feeds(client, finals):
    html = client.get("/2024/").content.decode()
    assert 'href="/2024/calendar.ics"' in html and 'href="/2024/nations-cup/calendar.ics"' in html
    assert 'href="/2024/calendar.ics"' in client.get("/2024/prague/").content.decode()


# --- Standings after any race ---------------------------------------------------------------------


def test_standings_after_the_first_race_of_a_round_differ_from_after_the_round(client, finals):
    sprint = finals["sprint"]
    after_round = text_of(client.get("/2024/nations-cup/standings/?after_round=1"))
    after_sprint = client.get(f"/2024/nations-cup/standings/?after_race={sprint.pk}")
    words = text_of(after_sprint)
    assert "After Round 1, Prague: Race 1." in words
    # after the sprint: Serrano 6, Miyazono 5; after the round: Miyazono 5 + 6, Serrano 6 + 4
    # wins, podiums, gap to the leader, points (one round: no column per round)
    assert "1 Serrano 1 1 – 6" in words and "2 Miyazono 0 1 −1 5" in words
    assert "1 Miyazono 1 2 – 11" in after_round and "2 Serrano 1 2 −1 10" in after_round
    by_slugs = text_of(client.get("/2024/nations-cup/standings/?after_race=prague/race-1"))
    assert "After Round 1, Prague: Race 1." in by_slugs
    html = after_sprint.content.decode()
    assert f'<option value="{sprint.pk}" selected>Round 1, Prague: Race 1</option>' in html
    assert f'<option value="{finals["final"].pk}">Round 1, Prague: Race 2</option>' in html


def test_the_standings_api_answers_after_a_race(client, finals):
    sprint = finals["sprint"]
    answer = client.get(f"/api/v1/2024/nations-cup/standings/?after_race={sprint.pk}").json()
    assert answer["after_race"] == {
        "id": sprint.pk,
        "round": 1,
        "name": "Round 1, Prague: Race 1",
        "path": "prague/race-1",
    }
    assert [(row["name"], row["points"]) for row in answer["standings"]][:2] == [
        ("Serrano", 6),
        ("Miyazono", 5),
    ]
    whole = client.get("/api/v1/2024/nations-cup/standings/").json()
    assert whole["after_race"] is None and whole["standings"][0]["name"] == "Miyazono"
    csv = client.get(f"/api/v1/2024/nations-cup/standings.csv?after_race={sprint.pk}")
    assert f"after-race-{sprint.pk}.csv" in csv["Content-Disposition"]


@pytest.mark.parametrize("value", ["abc", "99999", "prague/race-9", "0", "../../etc", "prague/race-1/x"])
def test_a_bad_race_gets_a_clear_message_and_is_not_kept(client, finals, value):
    response = client.get("/2024/nations-cup/standings/", {"after_race": value})
    words = text_of(response)
    assert "is not a race with results of the Nations Cup 2024: these are the latest standings" in words
    assert re.search(r"1 Miyazono .* 11 ", words)
    # neither stored under its own name nor as the canonical page
    assert not is_cached("/2024/nations-cup/standings/", {"after_race": value})
    assert "is not a race with results" not in text_of(client.get("/2024/nations-cup/standings/"))
    api = client.get("/api/v1/2024/nations-cup/standings/", {"after_race": value})
    assert api.status_code == 400 and "after_race" in api.json()["error"]


def test_standings_after_a_race_are_kept_under_the_races_id_only(client, finals):
    sprint = finals["sprint"]
    path = "/2024/nations-cup/standings/"
    client.get(path, {"after_race": str(sprint.pk)})
    client.get(path, {"after_race": "prague/race-1"})
    assert is_cached(path, {"after_race": str(sprint.pk)})
    assert not is_cached(path, {"after_race": "prague/race-1"})


def test_a_race_of_another_competition_is_not_a_choice(client, finals):
    response = client.get(f"/api/v1/2024/nations-cup/standings/?after_race={finals['cup'].pk}")
    assert response.status_code == 400
    assert "is no race with results of the Nations Cup 2024" in response.json()["error"]


def test_after_round_and_after_race_together_are_refused_by_the_api(client, finals):
    response = client.get(
        f"/api/v1/2024/nations-cup/standings/?after_round=1&after_race={finals['sprint'].pk}"
    )
    assert response.status_code == 400 and "not both" in response.json()["error"]


def test_the_calendar_api_gives_each_races_day_and_start(client, finals):
    prague = client.get("/api/v1/2024/calendar/").json()["rounds"][0]
    assert (prague["time_zone"], prague["first_day"], prague["last_day"]) == (
        "Europe/Prague",
        "2024-11-30",
        "2024-12-01",
    )
    races = {(race["competition"], race["name"]): race for race in prague["races"]}
    sprint = races["nations-cup", "Race 1"]
    assert sprint["date"] == "2024-11-30"
    assert sprint["starts_at"] == "2024-11-30T17:00:00+00:00"
    assert sprint["local_start"] == "2024-11-30T18:00:00+01:00"
    final = races["nations-cup", "Race 2"]
    assert (final["date"], final["starts_at"], final["local_start"]) == ("2024-12-01", None, None)


def test_saving_a_race_whose_round_has_no_time_zone_keeps_its_start(editor_client, finals):
    Round.objects.filter(pk=finals["prague"].pk).update(time_zone="")
    race = finals["sprint"]
    url = reverse("admin:results_race_change", args=[race.pk])
    data = form_data(editor_client.get(url))
    data["laps"] = "12"
    assert editor_client.post(url, data).status_code == 302
    race.refresh_from_db()
    assert (race.laps, race.starts_at) == (12, datetime(2024, 11, 30, 17, 0, tzinfo=UTC))
