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
    """A stretch of a driver's lane: a stint (``css`` its compound) or laps whose tyres are not known."""

    start: float  # percent of the lane
    width: float  # percent of the lane
    css: str  # soft, medium, hard, inter, wet, other; "unknown" for laps no stint covers
    letter: str  # the compound's letter, where the bar is wide enough to hold it
    label: str
    is_open: bool = False  # one end not known: drawn hatched across the laps it may cover


@dataclass
class Mark:
    """A pit stop or a penalty at its lap."""

    at: float  # percent of the lane
    label: str


@dataclass
class Row:
    name: str
    bars: list[Bar] = field(default_factory=list)
    stops: list[Mark] = field(default_factory=list)
    penalties: list[Mark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "Missing Soft", "2 penalties, laps not known"
    is_blank: bool = False  # the source gives no tyres and no stops for this driver
    is_breach: bool = False


@dataclass
class StrategyChart:
    """One lane per driver across the race's laps, drawn in HTML: bars are percentages of the lane,
    so the chart fills the page at every width and its text stays the page's size."""

    laps: int
    rows: list[Row]
    ticks: list[tuple[float, int]]  # (percent, lap)
    legend: list[tuple[str, str]]  # (css class, compound name)
    summary: str
    key: str = ""  # tells the ids of several charts on one page apart
    title: str = ""

    @property
    def has_open(self):
        return any(bar.is_open for row in self.rows for bar in row.bars)

    @property
    def has_unknown(self):
        return any(bar.css == "unknown" for row in self.rows for bar in row.bars)

    @property
    def has_blank(self):
        return any(row.is_blank for row in self.rows)

    @property
    def has_stops(self):
        return any(row.stops for row in self.rows)

    @property
    def has_penalties(self):
        return any(row.penalties or row.notes for row in self.rows)

    @property
    def desc_id(self):
        return f"strategy-desc-{self.key}"

    @property
    def html(self):
        return format_html(
            '<div class="strategy" role="img" aria-label="{}" aria-describedby="{}">'
            '<div class="strategy-row strategy-axis"><span class="strategy-name">Lap</span>'
            '<div class="strategy-ticks">{}</div></div>{}</div>',
            self.title,
            self.desc_id,
            format_html_join(
                "", '<span style="--at:{}%">{}</span>', ((_num(at), lap) for at, lap in self.ticks)
            ),
            mark_safe("".join(self._row_html(row) for row in self.rows)),
        )

    @staticmethod
    def _row_html(row):
        bars = format_html_join(
            "",
            '<span class="stint {}" style="--from:{}%;--len:{}%" title="{}">{}</span>',
            (
                (
                    f"{bar.css} open" if bar.is_open else bar.css,
                    _num(bar.start),
                    _num(bar.width),
                    bar.label,
                    format_html("<b>{}</b>", bar.letter) if bar.letter else "",
                )
                for bar in row.bars
            ),
        )
        stops = format_html_join(
            "",
            '<span class="stop" style="--at:{}%" title="{}"></span>',
            ((_num(m.at), m.label) for m in row.stops),
        )
        penalties = format_html_join(
            "",
            '<span class="penalty" style="--at:{}%" title="{}">P</span>',
            ((_num(m.at), m.label) for m in row.penalties),
        )
        blank = mark_safe('<span class="blank">Tyres not given by the source</span>') if row.is_blank else ""
        notes = (
            format_html(
                '<span class="strategy-note{}">{}</span>',
                " breach" if row.is_breach else "",
                "; ".join(row.notes),
            )
            if row.notes
            else ""
        )
        return format_html(
            '<div class="strategy-row"><span class="strategy-name">{}</span>'
            '<div class="strategy-lane">{}{}{}{}</div>{}</div>',
            row.name,
            blank,
            bars,
            stops,
            penalties,
            notes,
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
    """One lane per driver across the laps, coloured by compound; laps no stint covers are drawn as
    not known, and a stint with an end not known is drawn hatched across the laps it may cover."""
    laps = race.laps or max(
        [s.last_lap or s.first_lap or 0 for line in lines for s in line.stints]
        + [line.result.laps or 0 for line in lines]
        + [1]
    )

    def at(lap):  # the left edge of a lap, in percent of the lane
        return round((lap - 1) * 100 / laps, 3)

    def span(first, last):
        return round((last - first + 1) * 100 / laps, 3)

    rows = []
    used = set()
    for line in lines:
        row = Row(name=line.result.driver.name)
        lapless = []  # compounds used on laps not known: named beside the row, not drawn as laps
        covered = []  # (first, last) of every stint drawn
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
            covered.append((first, last))
            row.bars.append(
                Bar(
                    start=at(first),
                    width=span(first, last),
                    css=COMPOUND_CLASSES.get(stint.compound, "other"),
                    letter=stint.compound if (last - first + 1) / laps >= 0.06 else "",
                    label=f"{row.name}: {label}",
                    is_open=is_open,
                )
            )
        row.stops = [
            Mark(at(min(stop.lap + 1, laps + 1)), f"{row.name}: pit stop after lap {stop.lap}")
            for stop in line.pit_stops
        ]
        if covered or row.stops:
            run = min(line.result.laps or laps, laps)
            for first, last in _gaps(covered, run):
                row.bars.append(
                    Bar(at(first), span(first, last), "unknown", "", _laps_not_known(row.name, first, last))
                )
        else:
            row.is_blank = True
        for penalty in line.penalties:
            what = f"{penalty.seconds.normalize():f} s penalty" if penalty.seconds else "Penalty"
            what += f" ({penalty.reason})" if penalty.reason else ""
            if penalty.lap:
                row.penalties.append(
                    Mark(at(min(penalty.lap, laps)), f"{row.name}: {what}, lap {penalty.lap}")
                )
        lapless_penalties = sum(1 for penalty in line.penalties if not penalty.lap)
        if line.missed_compounds:
            row.is_breach = True
            row.notes.append("Missing " + ", ".join(COMPOUNDS[c] for c in line.missed_compounds))
        if lapless:
            row.notes.append(", ".join(lapless) + " (laps not known)")
        if lapless_penalties:
            said = "1 penalty, lap not known" if lapless_penalties == 1 else "penalties, laps not known"
            row.notes.append(said if lapless_penalties == 1 else f"{lapless_penalties} {said}")
        rows.append(row)
    step = 5 if laps > 20 else 1 if laps <= 10 else 2
    ticks = [
        (round(at(lap) + 50 / laps, 3), lap) for lap in range(1, laps + 1) if lap == 1 or lap % step == 0
    ]
    known = sum(1 for line in lines if line.stints)
    summary = (
        f"Tyre strategies of {race.name}: {known} of {len(lines)} drivers have stints entered; "
        f"{sum(1 for r in rows if r.stops)} made pit stops we know of."
    )
    return StrategyChart(
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


def _gaps(covered, run):
    """The stretches of laps 1..run that no (first, last) in ``covered`` touches."""
    gaps, lap = [], 1
    for first, last in sorted(covered):
        if first > lap:
            gaps.append((lap, min(first - 1, run)))
        lap = max(lap, last + 1)
    if lap <= run:
        gaps.append((lap, run))
    return [(first, last) for first, last in gaps if first <= last]


def _laps_not_known(name, first, last):
    laps = f"laps {first}–{last}" if first != last else f"lap {first}"
    return f"{name}: tyres on {laps} not known"


def _num(value):
    """A coordinate as SVG wants it: 12, 12.5 or 12.25, never 12.0 or 12.500000000000002."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


SERIES_COLOURS = 8  # --chart-0 … --chart-7 in charts.css; after the eighth, lines are dashed too
LABEL_GAP = 18  # px between two end labels (12 px text)


@dataclass
class Series:
    name: str
    css: str
    points: list[tuple[float, float, str]]  # (x in percent, y in px, what the point says)
    total: int
    path: str = ""
    end_y: float = 0  # px: where the line ends
    label_y: float = 0  # px: its label, pushed apart from the others so no two overlap

    @property
    def last_label(self):
        return f"{self.name} {self.total}"


@dataclass
class ProgressionChart:
    """Every competitor's running total after each round.

    Lines are an SVG stretched across the plot (its strokes keep their width); every text is HTML
    (axes and end labels), so it is drawn at the page's size at every width. Each competitor's line and
    label are one group: hovering either, or focusing the label, picks that competitor out.
    """

    height: int  # px of the plot
    series: list[Series]
    x_ticks: list[tuple[float, str]]  # (percent, "R1")
    y_ticks: list[tuple[float, int]]  # (px, points)
    summary: str
    title: str = ""

    @property
    def html(self):
        return format_html(
            '<div class="points-chart" style="--plot-h:{}px">'
            '<div class="points-chart-y" aria-hidden="true">{}</div>'
            '<div class="points-chart-plot" aria-hidden="true">'
            '<svg class="points-chart-grid" viewBox="0 0 100 {}" preserveAspectRatio="none" '
            'focusable="false">{}</svg>'
            "</div>{}"
            '<div class="points-chart-x" aria-hidden="true">{}</div></div>',
            self.height,
            format_html_join("", '<span style="top:{}px">{}</span>', ((_num(y), v) for y, v in self.y_ticks)),
            self.height,
            format_html_join(
                "", '<line x1="0" x2="100" y1="{}" y2="{}"/>', ((_num(y), _num(y)) for y, _ in self.y_ticks)
            ),
            mark_safe("".join(self._series_html(series) for series in self.series)),
            format_html_join("", '<span style="left:{}%">{}</span>', ((_num(x), t) for x, t in self.x_ticks)),
        )

    def _series_html(self, series):
        return format_html(
            '<div class="series {}"><div class="series-plot" aria-hidden="true">{}{}</div>'
            '<svg class="series-leader" aria-hidden="true" focusable="false" width="12" height="{}">'
            '<line x1="0" y1="{}" x2="12" y2="{}"/></svg>'
            '<span class="series-label" tabindex="0" style="top:{}px" title="{}">'
            "<span>{}</span> <b>{}</b></span></div>",
            series.css,
            format_html(
                '<svg viewBox="0 0 100 {}" preserveAspectRatio="none" focusable="false">'
                '<polyline points="{}"/></svg>',
                self.height,
                series.path,
            )
            if len(series.points) > 1
            else "",
            format_html_join(
                "",
                '<span class="dot" style="left:{}%;top:{}px" title="{}"></span>',
                ((_num(x), _num(y), said) for x, y, said in series.points[1:]),  # no dot at the start
            ),
            self.height,
            _num(series.end_y),
            _num(series.label_y),
            _num(series.label_y),
            series.last_label,
            series.name,
            series.total,
        )


def progression_chart(rows, rounds, title=""):
    """Cumulative points after each round for every competitor in the standings."""
    if not rounds or not rows:
        return None
    totals = []
    for row in rows:
        running, values = 0, []
        for number in rounds:
            running += row.round_points.get(number, 0)
            values.append(running)
        totals.append(values)
    peak = max([max(values) for values in totals] + [1])
    step = _tick_step(peak)
    top = _ceil_to(peak, step)
    pad = 8  # px above the highest and below the lowest line, for the dots and the labels
    height = max(240, len(rows) * LABEL_GAP + 2 * pad)
    plot_h = height - 2 * pad

    def x(index):  # 0 is the start, before the first round
        return index * 100 / len(rounds)

    def y(points):
        return round(pad + plot_h - points / top * plot_h, 1)

    series = []
    for number, (row, values) in enumerate(zip(rows, totals, strict=True)):
        coords = [(0, y(0), f"{row.name}: 0 at the start")] + [
            (round(x(i), 2), y(v), f"{row.name}: {v} after round {n}")
            for i, (v, n) in enumerate(zip(values, rounds, strict=True), start=1)
        ]
        dashes = number // SERIES_COLOURS % 3
        series.append(
            Series(
                name=row.name,
                css=f"s-{number % SERIES_COLOURS}" + (f" dash-{dashes}" if dashes else ""),
                points=coords,
                total=values[-1],
                path=" ".join(f"{_num(a)},{_num(b)}" for a, b, _ in coords),
                end_y=coords[-1][1],
            )
        )
    spread_labels(series, low=0, high=height, gap=LABEL_GAP)
    return ProgressionChart(
        height=height,
        series=series,
        x_ticks=[(0, "Start")] + [(round(x(i), 2), f"R{n}") for i, n in enumerate(rounds, start=1)],
        y_ticks=[(y(v), v) for v in range(0, top + 1, step)],
        summary="Points after each round: "
        + "; ".join(f"{row.name} {values[-1]}" for row, values in zip(rows, totals, strict=True))
        + ".",
        title=title,
    )


def _tick_step(peak):
    """A round step for about five gridlines: 1, 2, 5, 10, 20, 50 …"""
    step = 1
    while peak / step > 6:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if peak / step <= 6:
                break
    return step


def _ceil_to(value, step):
    return -(-value // step) * step


def spread_labels(series, low, high, gap):
    """Place each end label as near its line's end as it can, every two at least ``gap`` apart and all
    between ``low`` and ``high`` (centres; the chart is made tall enough for all of them)."""
    ordered = sorted(series, key=lambda s: (s.end_y, s.name))
    half = gap / 2
    previous = low + half - gap
    for item in ordered:  # downwards: each at least a gap below the one above
        item.label_y = max(item.end_y, previous + gap)
        previous = item.label_y
    following = high - half + gap
    for item in reversed(ordered):  # upwards: none pushed past the bottom
        item.label_y = round(min(item.label_y, following - gap), 1)
        following = item.label_y
