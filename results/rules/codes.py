"""The codes the rules speak: tyre compounds and result statuses, with their names."""

COMPOUNDS = {
    "S": "Soft",
    "M": "Medium",
    "H": "Hard",
    "IM": "Intermediate",
    "W": "Wet",
}

# How press releases write each compound: its code, its name, a short name, Gran Turismo's racing
# tyres (RS, RM, RH). Read case-insensitively.
_COMPOUND_WORDS = {
    "S": ("s", "soft", "softs", "rs", "racing soft"),
    "M": ("m", "medium", "mediums", "rm", "racing medium"),
    "H": ("h", "hard", "hards", "rh", "racing hard"),
    "IM": ("im", "i", "inter", "inters", "intermediate", "intermediates"),
    "W": ("w", "wet", "wets", "full wet", "heavy wet"),
}
_COMPOUND_CODES = {word: code for code, words in _COMPOUND_WORDS.items() for word in words}
COMPOUND_FORMS = "S, M, H, IM or W (or soft, medium, hard, intermediate, wet)"


def compound_code(text):
    """``"S"``, ``"soft"``, ``"Softs"``, ``"RS"`` → ``"S"``; ``"inter"`` → ``"IM"``; "" if not a compound."""
    return _COMPOUND_CODES.get(" ".join((text or "").split()).casefold(), "")


FINISHED = "finished"
DNF = "dnf"
DNS = "dns"
DSQ = "dsq"
NC = "nc"

STATUSES = {
    FINISHED: "Finished",
    DNF: "Did not finish",
    DNS: "Did not start",
    DSQ: "Disqualified",
    NC: "Not classified",
}

# A retirement can still be classified (it ran far enough); these never are.
UNCLASSIFIED_STATUSES = frozenset({DNS, DSQ, NC})
# Entries with these statuses score nothing, whatever their position.
NON_SCORING_STATUSES = frozenset({DNS, DSQ, NC})
