"""Statements (SQL compiled once, run with new values) give what their QuerySets give, never stale rows."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from results.models import Driver, Penalty, Race, RaceReport, Result
from results.read import pages
from results.read.statements import Statement
from tests import factories

# The race page's own statement: a race's results with their drivers, teams and cars.
RESULTS = pages._RESULTS
PENALTIES = Statement(
    lambda race, driver: (
        Penalty.objects.filter(race_id=race, driver__slug=driver)
        .order_by("pk")
        .values_list("race_id", "driver_id", "seconds", "reason", named=True)
    )
)


def results_as_shown(results):
    return [
        (
            r.pk,
            r.position,
            r.gap,
            r.driver.name,
            r.driver.get_absolute_url(),
            r.nation_code,
            r.team.name if r.team else None,
            r.car.name if r.car else None,
        )
        for r in results
    ]


@pytest.mark.django_db
def test_a_statement_builds_the_same_objects_as_its_queryset_for_each_set_of_values(demo):
    sprint, main = Race.objects.filter(round__season__year=2024, competition__slug="nations-cup").order_by(
        "number"
    )
    for races in ([sprint.pk], [main.pk], [sprint.pk, main.pk]):
        expected = Result.objects.select_related("driver", "team", "car").annotate(
            nation_code=F("driver__nation")
        )
        expected = results_as_shown(expected.filter(race_id__in=races))
        assert len(expected) >= 4
        with CaptureQueriesContext(connection) as queries:
            assert results_as_shown(RESULTS(races)) == expected
        assert len(queries) == 1


@pytest.mark.django_db
def test_a_statement_reads_the_database_on_every_call(demo):
    race = Race.objects.filter(round__season__year=2024).order_by("number").first()
    winner = RESULTS([race.pk])[0]
    Driver.objects.filter(pk=winner.driver_id).update(name="Renamed Driver")
    Result.objects.filter(pk=winner.pk).update(gap="+9.999")
    again = next(r for r in RESULTS([race.pk]) if r.pk == winner.pk)
    assert (again.driver.name, again.gap) == ("Renamed Driver", "+9.999")


@pytest.mark.django_db
def test_named_rows_come_with_the_databases_types(demo):
    penalty = Penalty.objects.filter(seconds__isnull=False).select_related("driver").first()
    rows = PENALTIES(penalty.race_id, penalty.driver.slug)
    expected = Penalty.objects.filter(race_id=penalty.race_id, driver=penalty.driver).order_by("pk")
    assert [(r.race_id, r.driver_id, r.seconds, r.reason) for r in rows] == [
        (p.race_id, p.driver_id, p.seconds, p.reason) for p in expected
    ]
    assert isinstance(rows[0].seconds, Decimal)  # SQLite stores it as a number; the converter applies
    assert PENALTIES(penalty.race_id, "nobody-by-that-name") == []


@pytest.mark.django_db
def test_nothing_is_asked_for_an_empty_list_or_a_number_no_column_holds(demo):
    with CaptureQueriesContext(connection) as queries:
        assert RESULTS([]) == []
        assert RESULTS([10**30]) == []
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_race_page_with_a_year_past_any_column_is_a_plain_404(client, demo):
    assert client.get(f"/{10**30}/montreal/nations-cup/race/").status_code == 404


@pytest.mark.django_db
def test_datetime_arguments_compare_as_the_queryset_does(db):
    published = Statement(
        lambda now: RaceReport.objects.filter(is_published=True, published_at__lte=now).only("slug")
    )
    report = RaceReport.objects.create(
        round=factories.round_(),
        title="Soon",
        slug="soon",
        is_published=True,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert published(timezone.now()) == []
    assert [r.slug for r in published(timezone.now() + timedelta(hours=2))] == [report.slug]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "message"),
    [
        # the time of the first compilation would be kept in the SQL for ever
        (lambda: RaceReport.objects.filter(published_at__lte=timezone.now()), "changes from one call"),
        # the argument is changed on its way (wrapped in %…%), so it cannot be swapped
        (lambda name: Driver.objects.filter(name__icontains=name), "argument 1 does not reach the SQL"),
    ],
    ids=["hidden clock", "transformed argument"],
)
def test_a_statement_that_cannot_be_reused_safely_is_refused_when_first_used(build, message):
    statement = Statement(build)
    args = () if build.__code__.co_argcount == 0 else ("ann",)
    with pytest.raises(ImproperlyConfigured, match=message):
        statement(*args)
