"""The colours a nation or a team is known by, as accents on its pages (never to tell anything apart).

A small mapping in code rather than a column: a colour is presentation, like the stylesheet, not a
fact of the racing data; a column would need a migration, the admin, the season file and the API to
carry it, and every editor to fill it in. Nations are coloured from their flag or their sporting
colour, teams from their brand. Anything not listed gets a steady colour of its own worked out from
its code or slug, so a new nation or team is never without one.
"""

from hashlib import blake2b

NATION_COLOURS = {
    "AR": "#6cace4",
    "AT": "#c8102e",
    "AU": "#00843d",
    "BE": "#e0a500",
    "BR": "#009c3b",
    "CA": "#d80621",
    "CH": "#da291c",
    "CL": "#d52b1e",
    "CN": "#de2910",
    "CZ": "#11457e",
    "DE": "#dd0000",
    "DK": "#c8102e",
    "ES": "#c60b1e",
    "FI": "#002f6c",
    "FR": "#0055a4",
    "GB": "#012169",
    "HK": "#de2910",
    "HU": "#477050",
    "IE": "#169b62",
    "IT": "#0066cc",
    "JP": "#bc002d",
    "KR": "#0047a0",
    "MX": "#006847",
    "NL": "#ff7f00",
    "NO": "#ba0c2f",
    "NZ": "#00247d",
    "PL": "#dc143c",
    "PT": "#046a38",
    "SA": "#006c35",
    "SE": "#006aa7",
    "TH": "#2d2a4a",
    "US": "#3c3b6e",
    "ZA": "#007a4d",
}

TEAM_COLOURS = {
    "alpine": "#0090ff",
    "aston-martin": "#00665e",
    "audi": "#bb0a30",
    "bmw": "#0066b1",
    "chevrolet": "#d1a300",
    "ferrari": "#dc0000",
    "ford": "#003478",
    "honda": "#e40521",
    "hyundai": "#002c5f",
    "lamborghini": "#ddb321",
    "lexus": "#1a1a1a",
    "mazda": "#910a2d",
    "mclaren": "#ff8000",
    "mercedes-amg": "#00a19c",
    "mercedes-benz": "#00a19c",
    "nissan": "#c3002f",
    "peugeot": "#1d3f8a",
    "porsche": "#b12b28",
    "red-bull": "#1e41ff",
    "renault": "#ffcc33",
    "subaru": "#0033a0",
    "toyota": "#eb0a1e",
    "volkswagen": "#001e50",
}


def steady_colour(key):
    """A colour of its own for ``key``, the same on every run: a hue from its hash, mid saturation."""
    hue = int.from_bytes(blake2b(key.encode(), digest_size=2).digest()) % 360
    return f"hsl({hue} 65% 45%)"


def nation_colour(code):
    """A nation's colour, from its code (``"JP"``) or a Country; "" without a code."""
    code = str(getattr(code, "code", code) or "").upper()
    if not code:
        return ""
    return NATION_COLOURS.get(code) or steady_colour(f"nation:{code}")


def team_colour(slug):
    """A team's colour, from its slug (``"red-bull"``) or the Team; "" without one."""
    slug = str(getattr(slug, "slug", slug) or "").lower()
    if not slug:
        return ""
    return TEAM_COLOURS.get(slug) or steady_colour(f"team:{slug}")
