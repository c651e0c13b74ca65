"""Nations as editors and press releases write them, to ISO 3166-1 alpha-2 codes."""

from django_countries import countries

# Names the press uses that django-countries does not list under that spelling.
ALIASES = {
    "united states": "US",
    "usa": "US",
    "us": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "holland": "NL",
    "korea": "KR",
}
LONGEST_NAME = 60  # longer than any nation's name: not looked up


def nation_code(text):
    """``"JP"``, ``"JPN"``, ``"Japan"`` and ``"The Netherlands"`` → the alpha-2 code, or "" if unknown."""
    value = (text or "").strip()
    if not value or len(value) > LONGEST_NAME:
        return ""
    if len(value) == 2 and countries.name(value.upper()):
        return value.upper()
    if len(value) == 3 and countries.alpha2(value.upper()):
        return countries.alpha2(value.upper())
    name = value[4:] if value.lower().startswith("the ") else value
    return countries.by_name(name, insensitive=True) or ALIASES.get(name.lower(), "")
