"""How large racing data may be: the bounds every way in shares (the admin, a pasted list, a season file).

Beyond them a value is a mistake or an attack, not a race: it is refused with a sentence naming
where it is, before it reaches a regular expression, a loop or a column that cannot hold it. The
models declare their columns and range constraints with these numbers, so the database refuses
what the checks would.
"""

# A race.
MAX_FIELD_SIZE = 100  # drivers in one race: finishing positions and grid slots run from 1 to this
MAX_LAPS = 1000  # a race's laps, laps completed, the lap of a stint, a stop or a penalty, laps down
MAX_RACE_HOURS = 24  # the longest race time or gap
MAX_POINTS = 1000  # points for one position, on a scale or set by hand
MAX_POINTS_MULTIPLIER = 10
MAX_PENALTY_SECONDS = 999  # a time penalty, with at most 3 decimals
MAX_PIT_STOP_SECONDS = 999  # a pit stop's duration, with at most 3 decimals

# A season.
MAX_ROUNDS = 100  # round numbers run from 1 to this
MAX_RACES_PER_ROUND = 20  # race numbers within a round run from 1 to this

# Text: as long as the columns that hold it.
NAME_LENGTH = 100  # a driver, a team, a competition, a round, its city, a race
LONG_NAME_LENGTH = 120  # a season, a track, a layout, a car
VENUE_LENGTH = 150
NOTE_LENGTH = 200  # why a driver retired, a penalty's reason
TIME_LENGTH = 20  # a race time or a gap as published
MAX_ALIASES = 20  # other spellings and former online IDs of one driver, each at most NAME_LENGTH

# What an editor sends in one go.
MAX_PASTE_LINES = 200  # lines of a pasted press list (one race)
MAX_PASTE_LINE_LENGTH = 300  # characters in one pasted line
MAX_SEASON_FILE_BYTES = 10 * 1024 * 1024  # a season file
MAX_SEASON_FILE_ROWS = 50_000  # rows a season file writes: its results, tyre stints and penalties

EXCERPT_LENGTH = 40  # characters of a refused value that a message quotes


def excerpt(text, length=EXCERPT_LENGTH):
    """The start of a refused value, for a message: at most ``length`` characters (then “…”), with
    control characters written out (a null character shows as ``\\x00``)."""
    shown = text if len(text) <= length else text[:length] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)


# Race reports and drivers' online IDs, as their columns hold them (the season file's v2 carries them).
REPORT_TITLE_LENGTH = 200  # a report's title and its slug
AUTHOR_LENGTH = 100
ONLINE_ID_LENGTH = 64
REPORT_TEXT_LENGTH = 100_000  # a report's standfirst or body, in characters
