"""Starting grids set by an earlier race of the round."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Finish:
    """One entry of the earlier race's classification."""

    driver: object
    position: int | None  # None: not classified


@dataclass(frozen=True)
class Slot:
    driver: object
    position: int


def grid_from(classification, *, is_complete=True):
    """The grid an earlier race's classification sets.

    Classified drivers line up in finishing order. When the classification is
    complete, drivers it does not classify start behind them, in the order given.
    When it is only partly known, the known places keep their numbers (seventh
    in the sprint starts seventh) and nobody else is placed: an unknown place is
    never guessed.
    """
    classified = sorted((f for f in classification if f.position is not None), key=lambda f: f.position)
    if not is_complete:
        return [Slot(f.driver, f.position) for f in classified]
    unclassified = [f for f in classification if f.position is None]
    return [Slot(f.driver, number) for number, f in enumerate(classified + unclassified, start=1)]
