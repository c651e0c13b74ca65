"""The server-rendered SVG charts: their geometry, and their markup.

The markup is built with ``format_html``, which escapes every text, beside the
geometry it draws.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from results.rules.codes import COMPOUNDS

COMPOUND_CLASSES = {"S": "soft", "M": "medium", "H": "hard", "IM": "inter", "W": "wet"}


@dataclass
class Bar:
    x: float
    width: float
    css: str
    letter: str
    label: str
    is_open: bool = False  # one end not known: drawn pale across the laps it may cover


@dataclass
class Row:
    y: float
    name: str
    bars: list[Bar] = field(default_factory=list)
    stops: list[tuple[float, str]] = field(default_factory=list)  # (x, label)
    note: str = ""  # "Missing: Soft"


@dataclass
class StrategyChart:
    width: int
    height: int
    plot_left: int
    plot_width: int
    laps: int
    rows: list[Row]
    ticks: list[tuple[float, int]]  # (x, lap)
    legend: list[tuple[str, str]]  # (css class, compound name)
    summary: str
    key: str = ""  # tells the ids of several charts on one page apart
    title: str = ""

    @property
    def svg(self):
        ids = f"strategy-title-{self.key}", f"strategy-desc-{self.key}"
        return format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}">'
            '<title id="{}">{}</title><desc id="{}">{} Each row is a driver; bars show the laps run on each '
            "compound where the source gives them (pale, dashed: one end not given, drawn across the laps it "
            "may cover); black marks are pit stops.</desc>{}{}</svg>",
            self.width,
            self.height,
            *ids,
            ids[0],
            self.title,
            ids[1],
            self.summary,
            format_html_join(
                "", '<text x="{}" y="14" text-anchor="middle">{}</text>', ((x, lap) for x, lap in self.ticks)
            ),
            mark_safe("".join(self._row_svg(row) for row in self.rows)),
        )

    def _row_svg(self, row):
        y = row.y
        bars = format_html_join(
            "",
            '<rect class="{}" x="{}" y="{}" width="{}" height="14"><title>{}</title></rect>{}',
            (
                (
                    f"{bar.css} open" if bar.is_open else bar.css,
                    bar.x,
                    y + 2,
                    bar.width,
                    bar.label,
                    format_html(
                        '<text class="on-{}" x="{}" y="{}">{}</text>',
                        bar.css,
                        _num(bar.x + 3),
                        y + 13,
                        bar.letter,
                    )
                    if bar.letter
                    else "",
                )
                for bar in row.bars
            ),
        )
        stops = format_html_join(
            "",
            '<line class="stop" x1="{}" x2="{}" y1="{}" y2="{}"><title>{}</title></line>',
            ((x, x, y, y + 18, label) for x, label in row.stops),
        )
        note = (
            format_html(
                '<text class="note" x="{}" y="{}">{}</text>',
                _num(self.plot_left + self.plot_width + 6),
                y + 12,
                row.note,
            )
            if row.note
            else ""
        )
        return format_html(
            '<g><text x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect class="lane" x="{}" y="{}" width="{}" height="14"><title>{}</title></rect>{}{}{}</g>',
            self.plot_left - 6,
            y + 12,
            row.name,
            self.plot_left,
            y + 2,
            self.plot_width,
            row.name,
            bars,
            stops,
            note,
        )


def _latest_end(line, stint, laps):
    """The last lap a stint whose end is not known may run to: its driver's next pit stop, or the lap
    before their next known stint lap, else their laps completed (else the race's)."""
    later = [
        lap - 1
        for other in line.stints
        if other is not stint
        for lap in (other.first_lap, other.last_lap)
        if lap is not None and lap > stint.first_lap
    ] + [stop.lap for stop in line.pit_stops if stop.lap >= stint.first_lap]
    end = min(later) if later else (line.result.laps or laps)
    return max(min(end, laps), stint.first_lap)


def _earliest_start(line, stint):
    """The first lap a stint whose start is not known may have begun on: after its driver's last pit
    stop or known stint lap before it, else lap 1."""
    earlier = [
        lap
        for other in line.stints
        if other is not stint
        for lap in (other.first_lap, other.last_lap)
        if lap is not None and lap < stint.last_lap
    ] + [stop.lap for stop in line.pit_stops if stop.lap < stint.last_lap]
    return max(earlier) + 1 if earlier else 1


def strategy_chart(race, lines):
    """One bar per driver across the laps, coloured by compound; only known laps are drawn."""
    laps = race.laps or max(
        [s.last_lap or s.first_lap or 0 for line in lines for s in line.stints]
        + [line.result.laps or 0 for line in lines]
        + [1]
    )
    label_width, note_width, row_height, top = 150, 120, 24, 26
    plot_width = 720 - label_width - note_width
    lap_width = plot_width / laps

    def x(lap):  # the left edge of a lap
        return label_width + (lap - 1) * lap_width

    rows = []
    used = set()
    for index, line in enumerate(lines):
        row = Row(y=top + index * row_height, name=line.result.driver.name)
        lapless = []  # compounds used on laps not known: named beside the row, not drawn as laps
        for stint in line.stints:
            used.add(stint.compound)
            name = COMPOUNDS.get(stint.compound, stint.compound)
            first, last = stint.first_lap, stint.last_lap
            if first is None and last is None:
                lapless.append(name)
                continue
            is_open = first is None or last is None
            if not is_open:
                label = f"{name}, laps {first}–{last}" if first != last else f"{name}, lap {first}"
            elif first is not None:
                last = _latest_end(line, stint, laps)
                label = f"{name} from lap {first} (end not known; lap {last} at the latest)"
            else:
                first = _earliest_start(line, stint)
                label = f"{name} until lap {last} (start not known; lap {first} at the earliest)"
            row.bars.append(
                Bar(
                    x=round(x(first), 2),
                    width=round((last - first + 1) * lap_width, 2),
                    css=COMPOUND_CLASSES.get(stint.compound, "other"),
                    letter=stint.compound if (last - first + 1) * lap_width >= 14 else "",
                    label=f"{row.name}: {label}",
                    is_open=is_open,
                )
            )
        row.stops = [
            (round(x(stop.lap + 1), 2), f"{row.name}: pit stop after lap {stop.lap}")
            for stop in line.pit_stops
        ]
        notes = []
        if line.missed_compounds:
            notes.append("Missing " + ", ".join(COMPOUNDS[c] for c in line.missed_compounds))
        if lapless:
            notes.append(", ".join(lapless) + " (laps not known)")
        row.note = "; ".join(notes)
        rows.append(row)
    step = 5 if laps > 20 else 1 if laps <= 10 else 2
    ticks = [
        (round(x(lap) + lap_width / 2, 2), lap) for lap in range(1, laps + 1) if lap == 1 or lap % step == 0
    ]
    known = sum(1 for line in lines if line.stints)
    summary = (
        f"Tyre strategies of {race.name}: {known} of {len(lines)} drivers have stints entered; "
        f"{sum(1 for r in rows if r.stops)} made pit stops we know of."
    )
    return StrategyChart(
        width=720,
        height=top + len(rows) * row_height + 8,
        plot_left=label_width,
        plot_width=round(plot_width, 2),
        laps=laps,
        rows=rows,
        ticks=ticks,
        legend=[
            (COMPOUND_CLASSES[c], COMPOUNDS[c])
            for c in COMPOUNDS
            if c in used or c in race.required_compounds
        ],
        summary=summary,
        key=str(race.pk),
        title=f"Tyre strategies, {race.name}",
    )


def _num(value):
    """A coordinate as SVG wants it: 12, 12.5 or 12.25, never 12.0 or 12.500000000000002."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


@dataclass
class Series:
    name: str
    css: str
    points: list[tuple[float, float]]  # (x, y)
    last_label: str
    path: str = ""
    label_y: float = 0  # labels pushed apart so equal totals stay readable


@dataclass
class ProgressionChart:
    width: int
    height: int
    series: list[Series]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, int]]
    summary: str
    title: str = ""

    @property
    def svg(self):
        return format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="progress-title progress-desc"><title id="progress-title">{}</title>'
            '<desc id="progress-desc">{}</desc>{}{}{}</svg>',
            self.width,
            self.height,
            self.title,
            self.summary,
            format_html_join(
                "",
                '<line class="axis" x1="40" x2="570" y1="{}" y2="{}"/>'
                '<text x="34" y="{}" text-anchor="end">{}</text>',
                ((y, y, _num(y + 4), value) for y, value in self.y_ticks),
            ),
            format_html_join(
                "",
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                ((x, self.height - 8, label) for x, label in self.x_ticks),
            ),
            mark_safe("".join(self._series_svg(series) for series in self.series)),
        )

    @staticmethod
    def _series_svg(series):
        last_x = series.points[-1][0]
        return format_html(
            '<g class="{}">{}{}<text class="label" x="{}" y="{}">{}</text></g>',
            series.css,
            format_html('<polyline points="{}"/>', series.path) if len(series.points) > 1 else "",
            format_html_join(
                "",
                '<circle cx="{}" cy="{}" r="3.5"><title>{}</title></circle>',
                ((x, y, series.name) for x, y in series.points),
            ),
            _num(last_x + 8),
            series.label_y,
            series.last_label,
        )


def progression_chart(rows, rounds, title="", limit=8):
    """Cumulative points after each round for the leading competitors."""
    if not rounds or not rows:
        return None
    width, height, left, right, top, bottom = 720, 300, 40, 150, 12, 28
    shown = rows[:limit]
    totals = []
    for row in shown:
        running, values = 0, []
        for number in rounds:
            running += row.round_points.get(number, 0)
            values.append(running)
        totals.append(values)
    peak = max([max(values) for values in totals] + [1])
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(index):
        return left + (plot_w / 2 if len(rounds) == 1 else index * plot_w / (len(rounds) - 1))

    def y(points):
        return top + plot_h - points / peak * plot_h

    series = []
    for number, (row, values) in enumerate(zip(shown, totals, strict=True)):
        coords = [(round(x(i), 1), round(y(v), 1)) for i, v in enumerate(values)]
        series.append(
            Series(
                name=row.name,
                css=f"series-{number % 8}",
                points=coords,
                last_label=f"{row.name} {values[-1]}",
                path=" ".join(f"{a},{b}" for a, b in coords),
            )
        )
    _spread_labels(series, minimum=top + 4, gap=13)
    step = max(1, round(peak / 5))
    return ProgressionChart(
        width=width,
        height=height,
        series=series,
        x_ticks=[(round(x(i), 1), f"R{n}") for i, n in enumerate(rounds)],
        y_ticks=[(round(y(v), 1), v) for v in range(0, peak + 1, step)],
        summary="Points after each round: "
        + "; ".join(f"{row.name} {values[-1]}" for row, values in zip(shown, totals, strict=True))
        + ".",
        title=title,
    )


def _spread_labels(series, minimum, gap):
    """Place end labels top to bottom, at least ``gap`` apart."""
    previous = minimum - gap
    for item in sorted(series, key=lambda s: s.points[-1][1]):
        item.label_y = round(max(item.points[-1][1] + 4, previous + gap), 1)
        previous = item.label_y
