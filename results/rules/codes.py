"""The codes the rules speak: tyre compounds and result statuses, with their names."""

COMPOUNDS = {
    "S": "Soft",
    "M": "Medium",
    "H": "Hard",
    "IM": "Intermediate",
    "W": "Wet",
}

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
