"""Drivers' names as editors type them: folded, matched, and near misses offered, never taken.

A press release writes "Coque Lopez" for Coque López, "Miyazono" alone, or "T. Miyazono"; a typo gives
"Takuma Miyazona". :func:`fold` drops accents, case and punctuation; :func:`match_names` finds the
person a typed name means: by their name or one of their aliases (other spellings, former online
IDs), or by a surname that only one person has. Anything less certain is a suggestion, for an editor
to confirm: a typo is never taken for a driver, and two people who share a name or a surname are
never taken for one another.

Near misses are measured by edit distance (letters inserted, deleted, replaced or two swapped), not
``difflib``'s ratio: "one or two letters wrong" is what a typo is, while a ratio lets more letters
through in a long name than in a short one and counts a swap as two changes.
"""

import re
import unicodedata
from dataclasses import dataclass

from .limits import MAX_ALIASES, NAME_LENGTH, excerpt

# Letters that keep their look without their accent but do not decompose (PostgreSQL's unaccent
# folds them too, so the site search finds them the same way on both databases).
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i"})
_LIGATURES = str.maketrans({"æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th"})
_NOT_A_LETTER = re.compile(r"[\W_]+")  # one character at a time: no backtracking

SUGGESTIONS = 3  # near misses offered for one typed name
SHORTEST_NEAR_MISS = 3  # letters a name must have before a typo in it is guessed at


def fold(text):
    """``text`` as names are compared: no accents, case or punctuation, single spaces
    (``Coque López`` → ``coque lopez``, ``De-Bruin`` → ``de bruin``)."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LETTERS).translate(_LIGATURES))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    return _NOT_A_LETTER.sub(" ", plain).strip()


def name_key(text):
    """The folded letters and digits of ``text`` without spaces: ``O'Neill`` and ``ONeill`` are one."""
    return fold(text).replace(" ", "")


def split_aliases(text):
    """The aliases written one a line, stripped, without blank lines or repeats (by :func:`name_key`)."""
    aliases, seen = [], set()
    for line in (text or "").splitlines():
        alias = " ".join(line.split())
        if alias and name_key(alias) not in seen:
            seen.add(name_key(alias))
            aliases.append(alias)
    return tuple(aliases)


def taken_names(people):
    """{:func:`name_key`: {id: what it is of them}}: whose name, alias or online ID each key is, as a
    message says it ("the name of Coque López")."""
    taken = {}
    for person in people:
        for alias in person.aliases:
            taken.setdefault(name_key(alias), {})[person.id] = f"an alias of {person.name}"
        if person.online_id:
            taken.setdefault(name_key(person.online_id), {})[person.id] = f"the online ID of {person.name}"
        taken.setdefault(name_key(person.name), {})[person.id] = f"the name of {person.name}"
    taken.pop("", None)
    return taken


def alias_problems(text, taken, own=None):
    """What is wrong with aliases written one a line, each naming its line: too long, too many, or
    already another person's (``taken``: :func:`taken_names`; ``own``, the id of the person whose
    aliases they are)."""
    problems, count = [], 0
    for number, line in enumerate((text or "").splitlines(), start=1):
        alias = " ".join(line.split())
        if not alias:
            continue
        count += 1
        where = f'Line {number} ("{excerpt(alias)}")'
        others = [what for id_, what in taken.get(name_key(alias), {}).items() if id_ != own]
        if count > MAX_ALIASES:
            problems.append(f"{where}: at most {MAX_ALIASES} aliases fit, one a line.")
            break
        if len(alias) > NAME_LENGTH:
            problems.append(f"{where} is {len(alias)} characters long; at most {NAME_LENGTH} fit.")
        elif not name_key(alias):
            problems.append(f"{where} has no letter or digit to match a name by.")
        elif others:
            problems.append(f"{where} is already {others[0]}.")
    return problems


def distance(a, b, most):
    """The edit distance of ``a`` and ``b`` (a swap of two neighbours counts one), or ``most + 1``
    once it is certain to be larger than ``most``: only the band of width ``most`` is computed."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    far = most + 1
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [far] * (len(b) + 1)
        current[0] = i if i <= most else far
        for j in range(max(1, i - most), min(len(b), i + most) + 1):
            cost = a[i - 1] != b[j - 1]
            best = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, before[j - 2] + 1)
            current[j] = min(best, far)
        if min(current) > most:
            return far
        before, row = row, current
    return min(row[len(b)], far)


def typos_allowed(text):
    """How many letters of a name of this length a typo may get wrong: none under 3, one up to 5, two."""
    if len(text) < SHORTEST_NEAR_MISS:
        return 0
    return 1 if len(text) <= 5 else 2


@dataclass(frozen=True)
class Person:
    """Someone a typed name may mean: an id, the name, other names they are known by and their
    online ID (matched as one more alias)."""

    id: object
    name: str
    aliases: tuple[str, ...] = ()
    online_id: str = ""


@dataclass(frozen=True)
class NameMatch:
    """Who a typed name means: ``person`` (an id, or None) and ``how`` ("name", "alias", "surname",
    or "" without a match); ``suggestions``, ids of near misses, best first, never the match."""

    person: object = None
    how: str = ""
    suggestions: tuple = ()


class _Index:
    """The people by the keys of their names, aliases, surnames and first names, built once."""

    def __init__(self, people):
        self.people = list(people)
        self.names, self.aliases, self.surnames, self.first_names = {}, {}, {}, {}
        self.by_length = {}  # {length: [(key, rank, person)]}: every key a near miss is measured against
        for person in self.people:
            words = fold(person.name).split()
            self._add(self.names, "".join(words), person, 0)
            for alias in (*person.aliases, person.online_id):
                self._add(self.aliases, name_key(alias), person, 3)
            if len(words) > 1:
                self._add(self.first_names, words[0], person, 2)
                for start in range(1, len(words)):  # "de bruin" and "bruin" of Nicky de Bruin
                    self._add(self.surnames, "".join(words[start:]), person, 1)

    def _add(self, keys, text, person, rank):
        if text:
            keys.setdefault(text, {})[person.id] = person
            self.by_length.setdefault(len(text), []).append((text, rank, person))

    def match(self, typed):
        words = fold(typed).split()
        typed_key = "".join(words)
        if not typed_key:
            return NameMatch()
        for how, keys in (("name", self.names), ("alias", self.aliases)):
            found = keys.get(typed_key, {})
            if len(found) == 1:
                return NameMatch(next(iter(found)), how)
            if found:  # two people of one name: the editor says which
                return NameMatch(suggestions=self.near(typed_key, found.values()))
        surnamed = self.surname(words)
        # A word that is also someone else's first name ("Takuma") names nobody for certain.
        first_named = self.first_names.get(typed_key, {})
        if len(surnamed) == 1 and first_named.keys() <= surnamed.keys():
            return NameMatch(next(iter(surnamed)), "surname")
        return NameMatch(suggestions=self.near(typed_key, {**surnamed, **first_named}.values()))

    def surname(self, words):
        """{id: person} of the people whose surname was typed, alone or after an initial ("T. Miyazono")."""
        people = dict(self.surnames.get("".join(words), {}))
        if len(words) > 1 and len(words[0]) == 1:
            for id_, person in self.surnames.get("".join(words[1:]), {}).items():
                if fold(person.name).startswith(words[0]):
                    people[id_] = person
        return people

    def near(self, typed_key, same):
        """Ids of the people whose name, surname, first name or alias is within a typo of the typed
        one, and of ``same`` (the people the typed text names without telling which), best first."""
        most = typos_allowed(typed_key)
        scored = {person.id: (0, 0, person.name, str(person.id)) for person in same}
        lengths = range(len(typed_key) - most, len(typed_key) + most + 1)
        for text, rank, person in (row for length in lengths for row in self.by_length.get(length, ())):
            apart = distance(typed_key, text, most)
            if apart <= most:
                score = (apart, rank, person.name, str(person.id))
                scored[person.id] = min(scored.get(person.id, score), score)
        return tuple(sorted(scored, key=scored.get)[:SUGGESTIONS])


def match_names(typed_names, people):
    """{typed name: :class:`NameMatch`} for each typed name, over ``people`` (:class:`Person`)."""
    index = _Index(people)
    return {typed: index.match(typed) for typed in typed_names}


def match_name(typed, people):
    """The :class:`NameMatch` of one typed name over ``people``."""
    return _Index(people).match(typed)
