"""Geometry of the server-rendered SVG charts; templates only draw what is computed here."""

from dataclasses import dataclass, field

from .rules.codes import COMPOUNDS

COMPOUND_CLASSES = {"S": "soft", "M": "medium", "H": "hard", "IM": "inter", "W": "wet"}


@dataclass
class Bar:
    x: float
    width: float
    css: str
    letter: str
    label: str


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


def strategy_chart(race, lines):
    """One bar per driver across the laps, coloured by compound; only known laps are drawn."""
    laps = race.laps or max([s.last_lap or s.first_lap or 0 for line in lines for s in line.stints] + [1])
    label_width, note_width, row_height, top = 150, 120, 24, 26
    plot_width = 720 - label_width - note_width
    lap_width = plot_width / laps

    def x(lap):  # the left edge of a lap
        return label_width + (lap - 1) * lap_width

    rows = []
    used = set()
    for index, line in enumerate(lines):
        row = Row(y=top + index * row_height, name=line.result.driver.name)
        for stint in line.stints:
            used.add(stint.compound)
            name = COMPOUNDS.get(stint.compound, stint.compound)
            first, last = stint.first_lap, stint.last_lap
            if first is not None and last is not None:
                label = f"{name}, laps {first}–{last}" if first != last else f"{name}, lap {first}"
            elif first is not None:
                label, last = f"{name} from lap {first} (end not known)", first
            else:
                label, first = f"{name} until lap {last} (start not known)", last
            row.bars.append(
                Bar(
                    x=round(x(first), 2),
                    width=round((last - first + 1) * lap_width, 2),
                    css=COMPOUND_CLASSES.get(stint.compound, "other"),
                    letter=stint.compound if (last - first + 1) * lap_width >= 14 else "",
                    label=f"{row.name}: {label}",
                )
            )
        row.stops = [
            (round(x(stop.lap + 1), 2), f"{row.name}: pit stop after lap {stop.lap}")
            for stop in line.pit_stops
        ]
        if line.tyres is not None and line.tyres.status == "breach":
            row.note = "Missing " + ", ".join(COMPOUNDS[c] for c in line.tyres.missing)
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
    )


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


def progression_chart(rows, rounds, limit=8):
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
    )


def _spread_labels(series, minimum, gap):
    """Place end labels top to bottom, at least ``gap`` apart."""
    previous = minimum - gap
    for item in sorted(series, key=lambda s: s.points[-1][1]):
        item.label_y = round(max(item.points[-1][1] + 4, previous + gap), 1)
        previous = item.label_y
