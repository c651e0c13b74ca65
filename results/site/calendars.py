"""The iCalendar (RFC 5545) feeds of a season and of a competition, written with the icalendar library.

One VEVENT per race that has a day. Its UID is ``race-<pk>@<site host>``: the primary key never
changes, so a calendar that subscribed keeps one event per race whatever editors rename. DTSTART
is the start in UTC, or the day (an all-day event) while the start time is not known. SEQUENCE
counts changes of the race's day, start, track, name or round (``Race.schedule_sequence``) and
LAST-MODIFIED and DTSTAMP are the race's last save, so the document is the same for every reader
until a race changes (it is cached with the season's scope).
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django_countries import countries
from icalendar import Calendar, Event

PRODUCT = "-//GTWS fan site//Race calendar//EN"


def site_host():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def race_uid(race):
    return f"race-{race.pk}@{site_host()}"


def location(race):
    round_ = race.round
    parts = [str(race.track), round_.venue, round_.city, countries.name(round_.country)]
    seen = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen)


def race_event(race):
    event = Event()
    event.add("uid", race_uid(race))
    event.add("dtstamp", race.modified_at)
    event.add("last-modified", race.modified_at)
    event.add("sequence", race.schedule_sequence)
    if race.starts_at is not None:
        event.add("dtstart", race.starts_at)
    else:
        event.add("dtstart", race.date)
        event.add("dtend", race.date + timedelta(days=1))
    event.add("summary", f"{race.competition.name}: {race.round.name} – {race.name}")
    event.add("location", location(race))
    event.add("url", settings.SITE_URL + race.get_absolute_url())
    when = (
        f"Starts {race.local_start:%H:%M} local time ({race.round.time_zone})."
        if race.local_start
        else "Start time not yet known."
        if race.starts_at is None
        else ""
    )
    event.add("description", " ".join(filter(None, [f"Round {race.round.number}, {race.round.city}.", when])))
    return event


def calendar_document(data):
    """The .ics text (bytes) of a results.read.pages.CalendarData."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", data.name)
    for race in data.races:
        calendar.add_component(race_event(race))
    return calendar.to_ical()
