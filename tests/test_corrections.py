"""Provisional → final, corrections on record, sources and certainty: through the admin, pages and API."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from results.models import ConflictingValue, Race, Result, Source
from results.rules.corrections import Placed, race_effect

from .admin_forms import form_data, set_row
from .test_admin import change_url, errors_on_page
from .test_pages import page, text_of

pytestmark = pytest.mark.django_db

MAIN = "/2024/montreal/nations-cup/main-race/"
SPRINT = "/2024/montreal/nations-cup/sprint-race/"
MAIN_API = "/api/v1/2024/nations-cup/montreal/main-race/results/"
STANDINGS_API = "/api/v1/2024/nations-cup/standings/"


def main_race():
    return Race.objects.get(slug="main-race", competition__slug="nations-cup")


def row_of(data, prefix, driver):
    """The index of the inline row naming ``driver``."""
    for index in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        if data.get(f"{prefix}-{index}-driver") == str(driver.pk):
            return index
    raise AssertionError(f"no row for {driver}")


def swap_serrano_and_lopez(editor_client, **extra):
    race = main_race()
    serrano = race.results.get(driver__slug="jose-serrano")
    lopez = race.results.get(driver__slug="coque-lopez")
    data = form_data(editor_client.get(change_url(race)))
    set_row(data, "results", row_of(data, "results", serrano.driver), position=3, gap="+5.678")
    set_row(data, "results", row_of(data, "results", lopez.driver), position=2, gap="+1.0684")
    data.update(extra)
    return editor_client.post(change_url(race), data)


def save_again_and_again(result):
    """Race day's live timing: the result's gap saved three times without a reason."""
    for gap in ("+0.1", "+0.2", ""):
        result.gap = gap
        result.save()


# --- Status ------------------------------------------------------------------------------------


def test_a_race_is_provisional_until_an_editor_makes_it_final(client, editor_client, demo):
    assert "Provisional These results may still change." in text_of(page(client, MAIN))
    assert json.loads(page(client, MAIN_API))["race"]["status"] == "provisional"

    data = form_data(editor_client.get(change_url(main_race())))
    data["status"] = "final"
    response = editor_client.post(change_url(main_race()), data)

    assert response.status_code == 302, errors_on_page(response)
    words = text_of(page(client, MAIN))
    assert "Final" in words and "may still change" not in words
    assert json.loads(page(client, MAIN_API))["race"]["status"] == "final"


# --- Corrections -------------------------------------------------------------------------------


def test_changing_a_published_race_needs_a_reason_and_nothing_is_saved_without_one(editor_client, demo):
    response = swap_serrano_and_lopez(editor_client)

    assert response.status_code == 200
    assert any(
        "This race is published: changing its results is a correction" in e for e in errors_on_page(response)
    )
    assert main_race().results.get(driver__slug="jose-serrano").position == 2


def test_a_correction_is_on_record_with_its_reason_source_and_effect(client, editor_client, editor, demo):
    response = swap_serrano_and_lopez(
        editor_client,
        correction_reason="Finish-line photo: López was ahead",
        correction_source="Stewards decision 12",
    )
    assert response.status_code == 302, errors_on_page(response)

    words = text_of(page(client, MAIN))
    corrections = words[words.index("Corrections") :]
    assert "Finish-line photo: López was ahead (source: Stewards decision 12)" in corrections
    assert "Jose Serrano: place 2 → 3" in corrections
    assert "Coque López: place 3 → 2" in corrections
    assert "Jose Serrano 2nd → 3rd, −1 point" in corrections
    assert "Coque López 3rd → 2nd, +1 point" in corrections
    assert re.search(r"Nations Cup standings: [^.]*Jose Serrano \d+\w\w → \d+\w\w", corrections)

    version = Result.history.filter(driver__slug="jose-serrano", race=main_race()).corrections().first()
    assert version.history_user == editor
    assert version.history_change_reason == "Finish-line photo: López was ahead"

    api = json.loads(page(client, MAIN_API))
    assert api["corrections"][0]["reason"] == "Finish-line photo: López was ahead"
    assert "Jose Serrano 2nd → 3rd, −1 point" in api["corrections"][0]["effects"]

    feed = page(client, reverse("results:feed-corrections"))
    assert "Finish-line photo: López was ahead" in feed
    assert f"{MAIN}#corrections" in feed


def test_a_race_not_yet_published_is_changed_without_a_reason_and_lists_no_correction(
    client, editor_client, demo
):
    race = main_race()
    race.is_complete = False
    race.save()

    response = swap_serrano_and_lopez(editor_client)

    assert response.status_code == 302, errors_on_page(response)
    assert "No corrections since the results were published." in text_of(page(client, MAIN))


def test_the_standings_answer_as_they_stood_on_a_date(client, editor_client, demo):
    before = json.loads(page(client, STANDINGS_API))["standings"]
    # Date the demo's entry and the correction as if they were a month apart.
    for model in (Result, Race):
        model.history.all().update(history_date=datetime(2024, 5, 1, 12, tzinfo=UTC))
    swap_serrano_and_lopez(editor_client, correction_reason="Photo finish")
    Result.history.corrections().update(history_date=datetime(2024, 6, 1, 12, tzinfo=UTC))
    now = json.loads(page(client, STANDINGS_API))["standings"]
    assert now != before

    then = json.loads(page(client, STANDINGS_API + "?as_of=2024-05-15"))
    assert then["as_of"] == "2024-05-15"
    assert then["standings"] == before
    assert json.loads(page(client, STANDINGS_API + "?as_of=2024-06-02"))["standings"] == now
    assert json.loads(page(client, STANDINGS_API + "?as_of=2024-04-01"))["standings"] == []


def test_the_standings_as_of_a_date_score_each_race_with_its_points_as_they_were_then(
    client, editor_client, demo
):
    before = json.loads(page(client, STANDINGS_API))["standings"]
    for model in (Result, Race):
        model.history.all().update(history_date=datetime(2024, 5, 1, 12, tzinfo=UTC))
    data = form_data(editor_client.get(change_url(main_race())))
    data.update(points_multiplier="2", correction_reason="Double points, as the final's rules say")
    response = editor_client.post(change_url(main_race()), data)
    assert response.status_code == 302, errors_on_page(response)
    Race.history.corrections().update(history_date=datetime(2024, 6, 1, 12, tzinfo=UTC))
    now = json.loads(page(client, STANDINGS_API))["standings"]
    assert now != before

    assert json.loads(page(client, STANDINGS_API + "?as_of=2024-05-15"))["standings"] == before
    assert json.loads(page(client, STANDINGS_API + "?as_of=2024-06-02"))["standings"] == now

    corrections = text_of(page(client, MAIN))
    corrections = corrections[corrections.index("Corrections") :]
    assert "points multiplier 1 → 2" in corrections
    assert "Takuma Miyazono 1st, +6 points" in corrections  # the winner's 6 points, doubled


def test_the_corrections_feed_reads_a_fixed_number_of_queries(client, editor_client, demo):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def double_the_points(multiplier):
        data = form_data(editor_client.get(change_url(main_race())))
        data.update(points_multiplier=str(multiplier), correction_reason=f"Points × {multiplier}")
        assert editor_client.post(change_url(main_race()), data).status_code == 302

    def queries_of_the_feed():
        for cache in caches.all(initialized_only=True):
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            feed = page(client, reverse("results:feed-corrections"))
        return len(queries), feed

    double_the_points(2)
    after_one, _ = queries_of_the_feed()
    double_the_points(3)
    after_two, feed = queries_of_the_feed()
    assert "Points × 2" in feed and "Points × 3" in feed
    assert feed.count(f"{MAIN}#corrections") == 2
    assert after_two == after_one


def test_an_effect_names_a_place_that_did_not_change_once():
    before = [Placed("ann", "Ann", 1, 6), Placed("bob", "Bob", 2, 5)]
    after = [Placed("bob", "Bob", 1, 10), Placed("ann", "Ann", 2, 12)]
    assert race_effect(before, after) == ["Bob 2nd → 1st, +5 points", "Ann 1st → 2nd, +6 points"]
    assert race_effect(before, [Placed("ann", "Ann", 1, 12), Placed("bob", "Bob", 2, 5)]) == [
        "Ann 1st, +6 points"
    ]


def test_only_the_pages_that_show_corrections_read_the_history(client, editor_client, demo):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    swap_serrano_and_lopez(editor_client, correction_reason="Photo finish")

    def reads_history(url):
        for cache in caches.all(initialized_only=True):
            cache.clear()  # rendered, not served from the page cache
        with CaptureQueriesContext(connection) as queries:
            page(client, url)
        return any("historical" in query["sql"] for query in queries)

    assert reads_history(MAIN) and reads_history(MAIN_API)
    for url in (
        MAIN_API.replace("/results/", "/results.csv"),
        "/",
        "/2024/",
        "/2024/montreal/",
        "/2024/nations-cup/standings/",
        STANDINGS_API,
        "/drivers/jose-serrano/",
        "/reports/2024-montreal-nations-cup-miyazono-leads/",
    ):
        assert not reads_history(url), url


def test_a_date_that_is_not_one_is_refused_by_name(client, demo):
    response = client.get(STANDINGS_API + "?as_of=15/05/2024")
    assert response.status_code == 400
    assert response.json()["error"] == "as_of must be a date, YYYY-MM-DD, not “15/05/2024”."


# --- Sources, certainty, conflicting values ---------------------------------------------------


def test_an_editor_lists_the_sources_and_marks_an_inferred_place(client, editor_client, demo):
    race = main_race()
    lopez = race.results.get(driver__slug="coque-lopez").driver
    race.is_complete = False  # not yet published: no reason needed
    race.save()
    data = form_data(editor_client.get(change_url(race)))
    data.update(
        {
            "sources-0-publisher": "gran-turismo.com",
            "sources-0-url": "https://www.gran-turismo.com/world-series/",
            "sources-0-published_on": "2024-04-14",
            "sources-0-covers_classification": "on",
            "sources-0-covers_grid": "on",
        }
    )
    index = row_of(data, "results", lopez)
    set_row(data, "results", index, certainty="inferred", reasoning="")
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 200
    assert "An inferred row says how it was worked out: fill in the reasoning." in response.content.decode()

    set_row(data, "results", index, reasoning="From the points totals after the round")
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 302, errors_on_page(response)

    html = page(client, MAIN)
    words = text_of(html)
    assert "gran-turismo.com , 14 April 2024: classification, grid" in words
    assert "Only the drivers named by gran-turismo.com are listed" in words
    assert "places marked “inferred” were worked out, not stated" in words
    assert "<details" in html and "From the points totals after the round" in words
    row = next(r for r in json.loads(page(client, MAIN_API))["results"] if r["driver"] == "Coque López")
    assert (row["certainty"], row["reasoning"]) == ("inferred", "From the points totals after the round")


def test_a_conflicting_value_shows_on_demand_beside_the_chosen_one(client, editor_client, demo):
    race = main_race()
    Source.objects.create(race=race, publisher="A forum post", covers_classification=True)
    data = form_data(editor_client.get(change_url(race)))
    source = Source.objects.get(race=race)
    data.update(
        {
            "conflicts-TOTAL_FORMS": "1",
            "conflicts-0-what": "Laps",
            "conflicts-0-chosen": "35",
            "conflicts-0-value": "36",
            "conflicts-0-source": str(source.pk),
            "conflicts-0-note": "The official timing gives 35",
        }
    )
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 302, errors_on_page(response)
    assert ConflictingValue.objects.get(race=race).value == "36"

    html = page(client, MAIN)
    assert "Where the sources disagree" in html
    assert "Laps: 35 other value 36 (A forum post). The official timing gives 35" in text_of(html)
    api = json.loads(page(client, MAIN_API))
    assert api["conflicts"] == [
        {
            "what": "Laps",
            "shown": "35",
            "other": "36",
            "source": "A forum post",
            "note": "The official timing gives 35",
        }
    ]


def test_a_source_must_cover_something(editor_client, demo):
    race = main_race()
    data = form_data(editor_client.get(change_url(race)))
    data["sources-0-publisher"] = "Somebody"
    data["sources-0-covers_classification"] = ""
    del data["sources-0-covers_classification"]
    response = editor_client.post(change_url(race), data)
    assert response.status_code == 200
    assert "Tick what the source covers" in response.content.decode()


def test_the_sprint_without_sources_keeps_the_plain_note(client, demo):
    assert "Only the drivers the source names are listed." in text_of(page(client, SPRINT))


def test_pasting_over_a_published_race_needs_a_reason_and_is_listed(client, editor_client, demo):
    race = main_race()
    url = reverse("admin:results_race_paste", args=[race.pk])
    text = "Takuma Miyazono – Japan – 35 laps\nCoque López – Spain +1.0684\nJose Serrano – Spain +5.678"

    refused = editor_client.post(url, {"text": text, "save": "1"})
    assert refused.status_code == 200
    assert "This race is published: give the reason for the change." in refused.content.decode()
    assert "Coque López" in refused.content.decode()  # the list as read is still shown
    assert race.results.get(driver__slug="jose-serrano").position == 2

    saved = editor_client.post(
        url, {"text": text, "save": "1", "correction_reason": "Official classification published"}
    )
    assert saved.status_code == 302
    words = text_of(page(client, MAIN))
    assert "Official classification published" in words
    assert "Jose Serrano 2nd → 3rd" in words


def test_the_race_page_reads_its_corrections_in_a_fixed_number_of_queries(client, editor_client, demo):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_the_page():
        for cache in caches.all(initialized_only=True):
            cache.clear()  # rendered, not served from the page cache
        with CaptureQueriesContext(connection) as queries:
            page(client, MAIN)
        return len(queries)

    swap_serrano_and_lopez(editor_client, correction_reason="Photo finish")
    after_one = queries_of_the_page()
    data = form_data(editor_client.get(change_url(main_race())))
    miyazono = main_race().results.get(position=1).driver
    set_row(data, "results", row_of(data, "results", miyazono), points=3)
    data["correction_reason"] = "Points set by the stewards"
    checked = editor_client.post(change_url(main_race()), data)  # 3 is not the scale's 6: a warning
    assert checked.status_code == 200
    assert editor_client.post(change_url(main_race()), form_data(checked)).status_code == 302

    assert "Points set by the stewards" in text_of(page(client, MAIN))
    assert "Takuma Miyazono: points set – → 3" in text_of(page(client, MAIN))
    assert queries_of_the_page() == after_one  # versions of two corrections, the same queries


def test_saves_without_a_reason_around_a_correction_leave_it_as_it_was(client, editor_client, demo):
    # Race day: a result saved again and again before publication, then a correction, then a save
    # of the corrected row without a reason (a note): the correction still reads against the row as
    # it stood just before it, and the rows only ever saved without a reason list nothing.
    race = main_race()
    winner = race.results.get(position=1)
    save_again_and_again(winner)
    response = swap_serrano_and_lopez(editor_client, correction_reason="Finish-line photo")
    assert response.status_code == 302, errors_on_page(response)
    serrano = race.results.get(driver__slug="jose-serrano")
    serrano.reason = "Lost a place on the line"
    serrano.save()

    corrections = text_of(page(client, MAIN))
    corrections = corrections[corrections.index("Corrections") :]
    assert "Finish-line photo" in corrections
    assert "Jose Serrano: place 2 → 3" in corrections
    assert "Coque López: place 3 → 2" in corrections
    assert "Takuma Miyazono" not in corrections


def test_the_corrections_read_only_the_versions_of_corrected_rows(editor_client, demo):
    # A race saved again and again without a reason (race day's live timing) costs its page nothing:
    # the corrections section reads the versions of the rows a correction changed, and all of them.
    race = main_race()
    winner = race.results.get(position=1)
    save_again_and_again(winner)
    assert swap_serrano_and_lopez(editor_client, correction_reason="Finish-line photo").status_code == 302
    corrected = set(
        race.results.filter(driver__slug__in=["jose-serrano", "coque-lopez"]).values_list("pk", flat=True)
    )

    read = list(Result.history.of_races([race.pk]).of_corrected_rows())

    assert {version.id for version in read} == corrected
    assert len(read) == Result.history.filter(id__in=corrected).count() > len(corrected)
    assert not Result.history.of_races([race.pk]).filter(id=winner.pk).of_corrected_rows().exists()
