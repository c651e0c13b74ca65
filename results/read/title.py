"""The title race as pages show it: the races left after a point of the season, and each
contender's chances in words (results.rules.title works them out)."""

from collections import Counter
from dataclasses import dataclass, replace

from results.models import Race, Round
from results.read.loaders import points_rule
from results.rules.classification import ordinal
from results.rules.standings import races_in_order
from results.rules.title import CAN_WIN, CHAMPION, NOT_DECIDED, OUT, RaceAhead, TitleRace, title_race

FROM_RESULTS = "results"  # a race's field: the entries of its own (complete) results
FROM_LAST_RACE = "last race"  # as many entrants as the last race run with a complete classification
FROM_STANDINGS = "standings"  # one entrant for each competitor in the standings

STATUS_WORDS = {CHAMPION: "Champion", CAN_WIN: "Can still win", OUT: "Out", NOT_DECIDED: "Not decided"}


@dataclass(frozen=True)
class OutlookLine:
    """A contender's chances, with what they need in words."""

    outlook: object  # rules.title.Outlook
    status_words: str
    needs: tuple  # sentences
    is_shared: bool = False  # another competitor has the same position in the standings


@dataclass(frozen=True)
class RaceField:
    """How many entrants a race left is taken to have, and where the number comes from."""

    race: str  # the race's name, as the title race names it
    entrants: int
    source: str  # FROM_RESULTS, FROM_LAST_RACE or FROM_STANDINGS
    last_race: str = ""  # the race it is counted from, for FROM_LAST_RACE

    @property
    def source_words(self):
        if self.source == FROM_RESULTS:
            return "counted from its results"
        if self.source == FROM_LAST_RACE:
            return f"as in {self.last_race}, the last race run"
        return "one for each competitor in the standings"


@dataclass
class TitleData:
    title: TitleRace
    lines: list
    awaiting: list  # (number, name) of the rounds still to be held with no race of the competition yet
    fields: tuple = ()  # RaceField of each race left

    @property
    def field_words(self):
        """The fields assumed, in words, races with the same field together: "12 entrants in World
        Finals: Race 1 and World Finals: Race 2 (counted from their results); 12 in …"."""
        groups = []
        for field in self.fields:
            if groups and (groups[-1][0].entrants, groups[-1][0].source_words) == (
                field.entrants,
                field.source_words,
            ):
                groups[-1].append(field)
            else:
                groups.append([field])
        parts = []
        for index, group in enumerate(groups):
            entrants = group[0].entrants
            count = f"{entrants} entrant{'' if entrants == 1 else 's'}" if not index else str(entrants)
            names = _and([field.race for field in group])
            words = group[0].source_words
            if len(group) > 1:
                words = words.replace("its results", "their results")
            parts.append(f"{count} in {names} ({words})")
        return "; ".join(parts)

    @property
    def who_enters_is_open(self):
        """Whether a race left has fewer entrants than the standings have competitors: the title
        maths then leaves open who enters."""
        return any(field.entrants < len(self.title.outlooks) for field in self.fields)

    @property
    def awaiting_names(self):
        """The rounds without races in words: "Prague, Tokyo and World Finals"."""
        names = [name for _, name in self.awaiting]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def is_decided(self):
        return not self.awaiting and not self.title.reason

    @property
    def next_race(self):
        return self.title.next_race

    @property
    def contenders(self):
        """The lines of those who are champion or can still win."""
        return [line for line in self.lines if line.outlook.status in (CHAMPION, CAN_WIN, NOT_DECIDED)]


def race_name(race):
    """A race as the title race names it: "World Finals: Grand Final"."""
    return f"{race.round.name}: {race.name}"


def title_data(competition, scores, *, after_round=None, after_race=None):
    """The title race after a round, a race (its id) or the latest race with results (two queries)."""
    order = [(r, n) for r, n, race in races_in_order(scores) if after_round is None or r <= after_round]
    if after_race is not None:
        order = [(r, n) for r, n, race in races_in_order(scores) if race == after_race]
    point = order[-1] if order else (0, 0)  # the last race counted: (round, race number)
    counted = [s for s in scores if (s.round, s.race_number) <= point]
    calendar = list(Race.objects.in_calendar_of(competition).with_entrant_counts())
    fields = race_fields(calendar, point, len({s.competitor for s in counted}))
    races = [
        RaceAhead(race_name(race), points_rule(race), race.pk, fields[race.pk].entrants)
        for race in calendar
        if race.pk in fields
    ]
    awaiting = [
        (r.number, r.name) for r in Round.objects.awaiting_races_of(competition) if r.number > point[0]
    ]
    title = title_race(counted, races, tie_break=competition.tie_break)
    shown = tuple(fields[race.race] for race in title.races)  # the races that award points
    if awaiting:
        return TitleData(title, [], awaiting, shown)
    positions = Counter(o.position for o in title.outlooks)
    lines = [replace(outlook_line(title, o), is_shared=positions[o.position] > 1) for o in title.outlooks]
    return TitleData(title, lines, awaiting, shown)


def race_fields(calendar, point, competitors):
    """{race id: RaceField} for the races of ``calendar`` (in order, with ``entrant_count``) after
    ``point`` (round, race number): a race with a complete classification counts its own entries;
    another has as many as the last race before it with a complete classification, or, where none
    has one, one entrant for each of the ``competitors`` in the standings; and never fewer than the
    entries it has results for (a classification known in part)."""
    fields, last = {}, None
    for race in calendar:
        known = race.entrant_count > 0 and race.is_complete
        if (race.round.number, race.number) > point:
            if last is not None:
                field = RaceField(race_name(race), last.entrant_count, FROM_LAST_RACE, race_name(last))
            else:
                field = RaceField(race_name(race), max(competitors, 1), FROM_STANDINGS)
            if known or race.entrant_count > field.entrants:
                field = RaceField(race_name(race), race.entrant_count, FROM_RESULTS)
            fields[race.pk] = field
        if known:
            last = race
    return fields


def outlook_line(title, outlook):
    next_race = title.next_race
    if outlook.status == NOT_DECIDED:
        return OutlookLine(outlook, STATUS_WORDS[NOT_DECIDED], (f"Not worked out: {title.needs_reason}.",))
    if outlook.status == CHAMPION:
        shared = len(title.champions) > 1
        return OutlookLine(outlook, "Champion", ("Shares the title." if shared else "Champion.",))
    if outlook.status == OUT:
        leader = title.outlooks[0]
        if outlook.most_points < leader.points:
            why = f"At most {outlook.most_points} points: {leader.name} has {leader.points}."
        else:
            why = "Cannot finish ahead of everyone, whatever happens."
        return OutlookLine(outlook, "Out", (why,))
    if not title.needs_decided:
        return OutlookLine(
            outlook, STATUS_WORDS[CAN_WIN], (f"What they need is not worked out: {title.needs_reason}.",)
        )
    needs = []
    if outlook.clinches:
        needs.append(f"Champion if {_ways(outlook.clinches, next_race)}.")
    elif len(title.races) > 1:
        needs.append(f"Cannot be champion after {next_race.name}.")
    if len(title.races) > 1:
        survives = outlook.survives
        if (
            len(survives) == 1
            and not survives[0].rivals
            and survives[0].places[-1] is None
            and survives[0].places[0] == 1
        ):
            needs.append(f"Still in contention after {next_race.name} whatever happens in it.")
        else:
            needs.append(f"Still in contention after {next_race.name} if {_ways(survives, next_race)}.")
    return OutlookLine(outlook, STATUS_WORDS[CAN_WIN], tuple(needs))


def _ways(needs, race):
    """The ways in words: "1st in Race 1; or 2nd with Gallo 4th or lower and Serrano not 1st"."""
    ways = []
    for index, need in enumerate(needs):
        where = f"{places_words(need.places, race)}" + (f" in {race.name}" if index == 0 else "")
        rivals = [f"{r.name} {rival_words(r.excluded, need.places, race)}" for r in need.rivals]
        ways.append(where + (" with " + _and(rivals) if rivals else ""))
    return "; or ".join(ways)


def _and(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def place_word(place, race):
    """A place in words; None is "outside the points", or "not classified" where the field is no
    larger than the scale (nobody classified can then miss the points) or where every place counts
    on its own (countback: 11th is then a place of its own)."""
    if place is not None:
        return ordinal(place)
    return "outside the points" if race.outside_may_be_classified else "not classified"


def lower_words(place, race):
    """``place`` or lower (down to not classified): "outside the points" where that starts just
    beyond the scale."""
    return "outside the points" if place == len(race.rule.scale) + 1 else f"{ordinal(place)} or lower"


def places_words(places, race):
    """(1, 2) → "1st or 2nd"; (3, …, None) → "3rd or lower"; (None,) → "outside the points"."""
    if places[-1] is None and len(places) > 1:
        return "anywhere" if places[0] == 1 else lower_words(places[0], race)
    if len(places) == 1:
        return place_word(places[0], race)
    if len(places) == 2:
        return f"{place_word(places[0], race)} or {place_word(places[1], race)}"
    return f"{ordinal(places[0])} to {ordinal(places[-1])}"


def rival_words(excluded, mine, race):
    """The places a rival must not take, in words: "not 1st", "4th or lower", "not 2nd or 5th"."""
    numbers = [p for p in excluded if p is not None]
    top = max(numbers, default=0)
    if numbers and None not in excluded and set(range(1, top + 1)) <= set(numbers) | set(mine):
        if top == 1:
            return "not 1st"
        below = top + 2 if tuple(mine) == (top + 1,) else top + 1  # the contender's own place skipped
        return place_word(None, race) if below > len(race.open_places) else lower_words(below, race)
    listed = [place_word(p, race) for p in excluded]
    return "not " + (listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1])
