"""The tyre-strategy and points charts as a fan reads them (issue 14): every driver, what is not known
drawn as not known and said in the legend, pit stops and penalties marked, labels that never overlap."""

import itertools
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from results.models import Race, Result

from . import factories
from .test_pages import MAIN_RACE, page, text_of

pytestmark = pytest.mark.django_db

STANDINGS = "/2024/nations-cup/standings/"


def strategy_of(html):
    """The tyre chart's markup (the figure), so legends elsewhere on the page do not count."""
    return re.search(r'<figure class="strategy-figure.*?</figure>', html, re.S).group(0)


def bars(html):
    """{title: (classes, start %, length %)} of every bar drawn in the tyre chart."""
    found = re.findall(
        r'<span class="stint ([^"]*)" style="--from:([\d.]+)%;--len:([\d.]+)%" title="([^"]*)"', html
    )
    return {
        unescape(title): (classes, float(start), float(length)) for classes, start, length, title in found
    }


def marks(html, kind):
    """{title: position %} of the pit stops or penalties marked in the tyre chart."""
    found = re.findall(rf'<span class="{kind}" style="--at:([\d.]+)%" title="([^"]*)"', html)
    return {unescape(title): float(at) for at, title in found}


def legend(html):
    return text_of(re.search(r'<ul class="legend">.*?</ul>', html, re.S).group(0))


def test_the_tyre_chart_is_html_in_percent_of_the_lane_with_a_name_and_a_description(client, demo):
    chart = strategy_of(page(client, MAIN_RACE))
    assert "<svg" not in chart and "viewBox" not in chart  # no text scaled down with a drawing
    name = re.search(
        r'<div class="strategy" role="img" aria-label="([^"]+)" aria-describedby="([^"]+)"', chart
    )
    assert name.group(1) == "Tyre strategies, Main Race"
    assert f'id="{name.group(2)}"' in chart and "6 made pit stops we know of" in chart
    drawn = bars(chart)
    assert drawn["Kylian Drumont: Soft, laps 1–10"] == ("soft", 0, 28.57)  # 10 of 35 laps
    assert "<b>S</b>" in chart
    # twelve drivers, each with a lane
    assert chart.count('<div class="strategy-lane">') == 12


def test_unknown_extents_are_drawn_hatched_across_the_laps_they_may_cover_and_said_in_the_legend(
    client, demo
):
    chart = strategy_of(page(client, MAIN_RACE))
    drawn = bars(chart)
    # Serrano's soft stint: its start is not given; it may have run from lap 1 to lap 33, not one lap.
    serrano = drawn["Jose Serrano: Soft until lap 33 (start not known; lap 1 at the earliest)"]
    assert serrano == ("soft open", 0, 94.29)
    assert drawn["Takuma Miyazono: Medium from lap 1 (end not known; lap 35 at the latest)"] == (
        "medium open",
        0,
        100,
    )
    # Roach's hard tyres are known for lap 1 only: the other laps are drawn as not known.
    assert drawn["Calen Roach: Hard, lap 1"] == ("hard", 0, 2.86)
    assert drawn["Calen Roach: tyres on laps 2–35 not known"] == ("unknown", 2.86, 97.14)
    assert "Tyres not given by the source" in text_of(chart)  # López: nothing entered at all
    words = legend(chart)
    for said in (
        "S Soft",
        "M Medium",
        "H Hard",
        "One end not known: the laps it may cover",
        "Tyres not known",
    ):
        assert said in words, said


def test_pit_stops_and_penalties_are_marked_at_their_lap_and_in_the_legend(client, demo):
    race = Race.objects.get(slug="main-race")
    serrano = race.results.get(driver__slug="jose-serrano").driver
    race.penalties.create(driver=serrano, lap=20, seconds=5, reason="Track limits")
    chart = strategy_of(page(client, MAIN_RACE))
    stops = marks(chart, "stop")
    assert stops["Kylian Drumont: pit stop after lap 10"] == 28.57  # between laps 10 and 11
    assert stops["Jose Serrano: pit stop after lap 33"] == 94.29
    assert len(stops) == 6
    assert marks(chart, "penalty") == {"Jose Serrano: 5 s penalty (Track limits), lap 20": 54.29}
    # Miyazono's two penalties have no lap: said beside his lane
    assert "Takuma Miyazono M 2 penalties, laps not known" in text_of(chart)
    words = legend(chart)
    assert "Pit stop" in words and "P Penalty" in words


def test_a_chart_without_penalties_or_stops_does_not_list_them_in_its_legend(client, demo):
    race = Race.objects.get(slug="main-race")
    race.penalties.all().delete()
    race.pit_stops.all().delete()
    words = legend(strategy_of(page(client, MAIN_RACE)))
    assert "Pit stop" not in words and "Penalty" not in words


def labels(html):
    """[(top px, name and total)] of the points chart's end labels, top to bottom."""
    found = re.findall(
        r'<span class="series-label" tabindex="0" style="top:([\d.]+)px" title="[^"]*">'
        r"<span>([^<]*)</span> <b>(\d+)</b>",
        html,
    )
    return sorted((float(top), f"{unescape(name)} {total}") for top, name, total in found)


def test_the_points_chart_labels_every_driver_focusably_and_its_table_says_the_same(client, demo):
    html = page(client, STANDINGS)
    shown = labels(html)
    assert [label for _, label in shown][:3] == ["Takuma Miyazono 6", "Jose Serrano 5", "Coque López 4"]
    assert len(shown) == 12  # every driver of the standings, not the top 8
    assert "Robert Heck 0" in [label for _, label in shown]
    assert '<figure class="points-chart-figure" aria-label="Points progression, Nations Cup 2024">' in html
    assert "The table above holds the same figures." in html
    assert re.search(r'<div class="points-chart-plot" aria-hidden="true">', html)


def test_the_points_chart_labels_never_overlap_however_many_drivers_tie(client, demo):
    race = Race.objects.get(slug="main-race")
    for offset in range(30):  # thirty more drivers, all on 0 points
        Result.objects.create(
            race=race, driver=factories.driver(), position=13 + offset, laps=35, gap="+1 lap"
        )
    html = page(client, STANDINGS)
    shown = labels(html)
    assert len(shown) == 42
    height = float(re.search(r'class="points-chart" style="--plot-h:(\d+)px"', html).group(1))
    tops = [top for top, _ in shown]
    assert all(b - a >= 18 for a, b in itertools.pairwise(tops))  # 12 px text, never touching
    assert tops[0] >= 9 and tops[-1] <= height - 9


def test_no_chart_text_is_drawn_smaller_than_12_px(client, demo):
    css = Path(settings.BASE_DIR) / "static" / "css" / "charts.css"
    sizes = re.findall(r"font-size:\s*([\d.]+)(rem|px)", css.read_text())
    assert sizes and all(float(n) * (16 if unit == "rem" else 1) >= 12 for n, unit in sizes)
