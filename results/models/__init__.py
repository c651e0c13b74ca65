"""The racing data: seasons, competitions, rounds, races and what happened in them.

A round is one event (Montréal) hosting the races of several competitions. The
rows that describe one driver in one race (grid slot, result, tyre stints, pit
stops, penalties, incidents) all point at the race and the driver, so an editor
enters a whole race on one admin page. A season import (imports.py) is an editor's
upload on its way in, not racing data.
"""

from results.models.calendar import Competition, Race, Round, Season
from results.models.entrants import Car, Driver, Team, Track
from results.models.imports import SeasonImport
from results.models.reports import RaceReport, RaceReportQuerySet
from results.models.sheet import (
    Compound,
    CrewMember,
    GridSlot,
    Incident,
    Penalty,
    PitStop,
    Result,
    ResultStatus,
    TyreStint,
)
from results.models.sources import Certainty, ConflictingValue, Source

__all__ = [
    "Car",
    "Certainty",
    "Competition",
    "Compound",
    "ConflictingValue",
    "CrewMember",
    "Driver",
    "GridSlot",
    "Incident",
    "Penalty",
    "PitStop",
    "Race",
    "RaceReport",
    "RaceReportQuerySet",
    "Result",
    "ResultStatus",
    "Round",
    "Season",
    "SeasonImport",
    "Source",
    "Team",
    "Track",
    "TyreStint",
]
