"""Scoring the predictions game: every pick of a race against its podium, again whenever its results change.

The podium is the race's final classification as the rules give it (``results.read.loaders``:
penalties added after the finish move drivers back, as for a grid taken from an earlier race);
the points, and whether the winner picked won, are ``results.rules.picks.scored``'s. A race is
scored in a fixed number of queries whatever its number of picks, and scoring moves only the game's
cache scope of the race's season (``predictions:<year>``), never a racing one.

Every write to racing data announces the races it changed (``results.cache.invalidation.changes_marked``:
admin saves, pastes, season imports, corrections, deletes). After the writer's commit those races
are scored again by a task of the queue (:func:`rescore`), so an editor's save never waits for it.
"""

import logging
import threading

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from results.cache import invalidation
from results.models import Competition, Race
from results.read.loaders import classify_races
from results.rules.picks import podium, scored

from .models import Pick

logger = logging.getLogger(__name__)


def competitor_of(result, scores):
    """What a result's entry is as picks name it: ``("team", id)`` where the competition scores teams
    (None for an entry without a team), else ``("driver", id)`` (its first driver)."""
    if scores == Competition.Scores.TEAM:
        return ("team", result.team_id) if result.team_id else None
    return ("driver", result.driver_id)


def podium_of(classified, scores):
    """The podium of a classification (``[(result, Classified), …]``, as the race page and scoring
    read it), as picks name competitors; a place not known is None."""
    return podium([(row.position, competitor_of(result, scores)) for result, row in classified])


def podiums(race_ids):
    """({race id: podium}, {race id: season year}) for the races of these ids that exist (four queries:
    the races, their results, crews and penalties)."""
    races = list(
        Race.objects.filter(pk__in=race_ids)
        .select_related("competition", "round__season")
        .with_classification()
    )
    classified = classify_races(races)
    found = {race.pk: podium_of(classified.get(race.pk, []), race.competition.scores) for race in races}
    return found, {race.pk: race.round.season.year for race in races}


def score_races(race_ids, years=()):
    """Score every pick of these races against their podiums as they stand now.

    A pick whose score changed gets its points and whether its winner won (both None while the
    podium places it needs are not known) and the time it was scored; the others are left alone.
    Six queries whatever the number of races and picks. The seasons whose scores changed, and
    ``years`` when a race named is gone (its picks went with it), have their game's scope moved on.
    Returns the number of picks whose score changed.
    """
    race_ids = sorted({pk for pk in race_ids if pk is not None})
    if not race_ids:
        return 0
    found, year_of = podiums(race_ids)
    now = timezone.now()
    changed = []
    for pick in Pick.objects.for_scoring(list(found)):
        result = scored(pick.picked, found[pick.race_id])
        points, right = (None, None) if result is None else (result.points, result.is_winner_right)
        if (points, right) != (pick.points, pick.is_winner_right):
            pick.points, pick.is_winner_right = points, right
            pick.scored_at = now if points is not None else None
            changed.append(pick)
    if changed:
        Pick.objects.bulk_update(changed, ["points", "is_winner_right", "scored_at"], batch_size=500)
    seasons = {year_of[pick.race_id] for pick in changed}
    if len(found) < len(race_ids):
        seasons |= {int(year) for year in years if year is not None}
    invalidation.predictions_changed(sorted(seasons))
    return len(changed)


@task()
def rescore(race_ids, years=()):
    """Score these races' picks again (queued after a change to their results); returns how many changed."""
    return score_races(race_ids, years)


# Races whose results changed in the transaction under way, scored again once it commits.
_local = threading.local()


def races_marked(sender, races=frozenset(), seasons=frozenset(), **kwargs):
    """A write marked these races changed: score them again after the commit (one task per commit)."""
    races = {pk for pk in races if pk is not None}
    if not races:
        return  # a comment, a report, a shared row, or the game's own scope
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {"races": set(), "seasons": set()}
    pending["races"] |= races
    pending["seasons"] |= {year for year in seasons if year is not None}
    # The first flush after a commit takes all; what a rolled-back transaction left goes with the next.
    transaction.on_commit(queue_rescoring)


def queue_rescoring():
    pending, _local.pending = getattr(_local, "pending", None), None
    if not pending:
        return
    try:
        rescore.enqueue(sorted(pending["races"]), sorted(pending["seasons"]))
    except Exception:  # the change is committed; the picks are scored with the race's next change
        logger.exception("Could not queue the scoring of picks after a change")


def forget_pending():
    """Drop the races gathered and not yet queued (a test whose transaction never commits)."""
    _local.pending = None


def connect():
    invalidation.changes_marked.connect(races_marked, dispatch_uid="community-picks-rescore")
