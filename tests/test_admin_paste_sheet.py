"""A race's lists pasted in one go: names matched as typed, near misses confirmed, warnings acknowledged."""

import html
from decimal import Decimal

import pytest
from django.urls import reverse

from results.models import Driver, Race, Round
from results.rules.formats import FORMATS
from results.write.races import add_races

pytestmark = pytest.mark.django_db


@pytest.fixture
def prague(demo):
    """Round 2 with its sprint and main race added, nothing entered yet."""
    round = Round.objects.get(season__year=2024, number=2)
    sprint_main = next(f for f in FORMATS if f.key == "sprint-main")
    sprint, main = add_races(round, round.season.competitions.get(), sprint_main, [None, None], [None, None])
    return sprint, main


def paste_url(race):
    return reverse("admin:results_race_paste", args=[race.pk])


def paste(client, race, action="preview", **lists):
    data = {"is_complete": "on", action: "1", **lists}
    return client.post(paste_url(race), data)


def page_of(response):
    """The page's text as the editor reads it (entities such as &#x27; turned back into characters)."""
    return html.unescape(response.content.decode())


def test_known_drivers_typed_without_accents_or_nations_are_matched(editor_client, prague):
    sprint, _ = prague
    text = "Coque Lopez – 7 laps\nMiyazono +1.2\nkaj de bruin +2.5\n"
    response = paste(editor_client, sprint, text=text)
    assert response.context["errors"] == []
    assert [row.known_driver.name for row in response.context["rows"]] == [
        "Coque López",
        "Takuma Miyazono",
        "Kaj de Bruin",
    ]
    saved = paste(editor_client, sprint, "save", text=text)
    assert saved.status_code == 302
    assert list(sprint.results.order_by("position").values_list("driver__name", "gap")) == [
        ("Coque López", ""),
        ("Takuma Miyazono", "+1.2"),
        ("Kaj de Bruin", "+2.5"),
    ]
    assert Race.objects.get(pk=sprint.pk).laps == 7  # from the winner's line: the race had none
    assert Driver.objects.count() == 12


def test_a_typo_is_never_a_new_driver_until_the_editor_says_so(editor_client, prague):
    sprint, _ = prague
    text = "Kylian Drumont – 7 laps\nTakuma Miyazona – Japan +1.2\n"
    refused = paste(editor_client, sprint, "save", text=text)
    assert refused.status_code == 200
    assert (
        "Line 2: “Takuma Miyazona” is not a driver we know. Did you mean Takuma Miyazono? "
        "Choose below, or choose a new driver." in page_of(refused)
    )
    assert 'name="who-2"' in page_of(refused)
    assert not sprint.results.exists() and Driver.objects.count() == 12

    miyazono = Driver.objects.get(name="Takuma Miyazono")
    chosen = editor_client.post(
        paste_url(sprint), {"text": text, "is_complete": "on", "save": "1", "who-2": str(miyazono.pk)}
    )
    assert chosen.status_code == 302
    assert set(sprint.results.values_list("driver__name", flat=True)) == {"Kylian Drumont", "Takuma Miyazono"}
    assert Driver.objects.count() == 12


def test_a_new_driver_chosen_over_a_near_miss_is_created_once(editor_client, prague):
    sprint, _ = prague
    text = "Kylian Drumont – 7 laps\nTakuma Miyazona – Japan +1.2\n"
    response = editor_client.post(
        paste_url(sprint), {"text": text, "is_complete": "on", "save": "1", "who-2": "new"}
    )
    assert response.status_code == 302
    assert Driver.objects.get(name="Takuma Miyazona").nation.code == "JP"


def test_a_new_driver_needs_a_nation_and_the_message_says_so(editor_client, prague):
    sprint, _ = prague
    response = paste(editor_client, sprint, "save", text="Kylian Drumont – 7 laps\nZyx Newcomer +1.0\n")
    assert "Line 2: “Zyx Newcomer” is a new driver; give their nation after the name" in page_of(response)
    assert not sprint.results.exists()


def test_gaps_out_of_order_are_a_warning_the_editor_must_see_before_saving(editor_client, prague):
    sprint, _ = prague
    text = "Kylian Drumont – 7 laps\nTakuma Miyazono +5.345\nTakuma Sasaki +3.912\n"
    preview = paste(editor_client, sprint, text=text)
    warning = (
        "Line 3 (Takuma Sasaki): the gap +3.912 is smaller than Takuma Miyazono's +5.345 in the place ahead."
    )
    assert warning in page_of(preview)
    digest = preview.context["sheet"].acknowledgement
    unacknowledged = paste(editor_client, sprint, "save", text=text)
    assert "The warnings changed since you read them" in page_of(unacknowledged)
    assert not sprint.results.exists()
    saved = paste(editor_client, sprint, "save", text=text, acknowledged=digest)
    assert saved.status_code == 302 and sprint.results.count() == 3


def test_the_main_race_lists_all_at_once_with_stops_from_the_strategies(editor_client, demo):
    main = Race.objects.get(slug="main-race", round__number=1)
    strategies = "Kylian Drumont: S → M (lap 10) → H (lap ?)\nSerrano: S → H (lap 33)\n"
    penalties = "Miyazono +0.5 s track limits, lap 3\nTakuma Miyazono – track limits\n"
    lists = {
        "is_complete": "on",
        "strategies": strategies,
        "penalties": penalties,
        "pit_stops": "Calen Roach: lap 1",
        "correction_reason": "Strategies from the organiser",
    }
    preview = editor_client.post(paste_url(main), {**lists, "preview": "1"})
    assert preview.context["errors"] == []
    assert [w.message for w in preview.context["sheet"].warnings] == [
        "Tyres line 2 (Jose Serrano): the whole strategy is known and never uses Medium."
    ]
    digest = preview.context["sheet"].acknowledgement
    response = editor_client.post(paste_url(main), {**lists, "save": "1", "acknowledged": digest})
    assert response.status_code == 302, response.context["errors"]
    stints = list(
        main.stints.order_by("driver__name", "pk").values_list(
            "driver__name", "compound", "first_lap", "last_lap"
        )
    )
    assert stints == [
        ("Jose Serrano", "S", 1, 33),
        ("Jose Serrano", "H", 34, 35),
        ("Kylian Drumont", "S", 1, 10),
        ("Kylian Drumont", "M", 11, None),
        ("Kylian Drumont", "H", None, 35),
    ]
    assert sorted(main.pit_stops.values_list("driver__name", "lap")) == [
        ("Calen Roach", 1),
        ("Jose Serrano", 33),
        ("Kylian Drumont", 10),
    ]
    assert set(main.penalties.values_list("driver__name", "seconds", "lap", "reason")) == {
        ("Takuma Miyazono", None, None, "track limits"),
        ("Takuma Miyazono", Decimal("0.5"), 3, "track limits"),
    }
    assert main.results.count() == 12  # the results were not pasted: they stay


def test_a_name_in_the_other_lists_must_be_a_driver_of_the_race(editor_client, demo):
    main = Race.objects.get(slug="main-race", round__number=1)
    response = editor_client.post(
        paste_url(main), {"is_complete": "on", "penalties": "Miyazona +0.5 s track limits", "preview": "1"}
    )
    assert (
        "Penalties line 1: “Miyazona” is not a driver in this race's results. Did you mean Takuma Miyazono?"
        in page_of(response)
    )


def test_a_grid_other_than_the_sprint_sets_is_a_warning(editor_client, demo):
    main = Race.objects.get(slug="main-race", round__number=1)
    grid = "1. Takuma Miyazono\n2. Kylian Drumont\n3. Takuma Sasaki\n4. Valerio Gallo\n"
    response = editor_client.post(
        paste_url(main), {"is_complete": "on", "grid": grid, "preview": "1", "correction_reason": "x"}
    )
    page = page_of(response)
    assert (
        "Grid line 1 (Takuma Miyazono): grid slot 1, but the Sprint Race's final classification puts" in page
    )


def test_a_wrong_gap_is_named_by_its_token(editor_client, prague):
    sprint, _ = prague
    response = paste(
        editor_client, sprint, text="Kylian Drumont – France – 7 laps\nCoque López – Spain +abc\n"
    )
    assert "“+abc”" in page_of(response)
    assert "is not a nation" not in page_of(response)


def test_reading_the_lists_runs_the_same_queries_for_a_short_or_a_long_list(editor_client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    main = Race.objects.get(slug="main-race", round__number=1)
    names = list(main.results.order_by("position").values_list("driver__name", flat=True))
    main.grid_slots.update(compound="")  # the strategies below start on mediums

    def queries(count):
        lists = {
            "text": "\n".join(
                f"{name} +{n}.0" if n else f"{name} – 35 laps" for n, name in enumerate(names[:count])
            ),
            "strategies": "\n".join(f"{name}: M → H (lap 10)" for name in names[:count]),
            "penalties": "\n".join(f"{name} +5 s track limits" for name in names[:count]),
            "is_complete": "on",
            "preview": "1",
        }
        with CaptureQueriesContext(connection) as captured:
            response = editor_client.post(paste_url(main), lists)
        assert response.context["errors"] == [], response.context["errors"]
        return len(captured)

    assert queries(3) == queries(12)
