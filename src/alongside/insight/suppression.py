"""Small-number suppression, so a figure can never point at a person.

Primary suppression: a count under ``SMALL_NUMBER`` (5) is hidden. Secondary suppression: in a
column that shows a total, a single hidden cell could be worked out as the total minus the cells
shown, so the smallest shown cell of that column is hidden as well. A rate or share is hidden
whenever its numerator or denominator is, because with the other one shown it would give the hidden
count back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

SMALL_NUMBER = 5


class Hidden(StrEnum):
    SHOWN = ""
    SMALL = "small"  # primary: under 5
    SECONDARY = "secondary"  # shown, it would let a hidden cell be worked out


@dataclass(frozen=True)
class Cell:
    value: float
    hidden: Hidden = Hidden.SHOWN

    @property
    def shown(self) -> float | None:
        return None if self.hidden else self.value


def primary(value: float, *, counted: bool = True) -> Cell:
    if counted and value < SMALL_NUMBER:
        return Cell(value, Hidden.SMALL)
    return Cell(value)


def column(values: Sequence[float], *, counted: bool = True) -> tuple[list[Cell], Cell]:
    """The cells of one column and its total, with primary and secondary suppression."""
    cells = [primary(value, counted=counted) for value in values]
    total = primary(sum(values), counted=counted)
    hidden = [i for i, cell in enumerate(cells) if cell.hidden]
    if len(hidden) == 1 and not total.hidden:
        shown = [i for i, cell in enumerate(cells) if not cell.hidden]
        if shown:
            smallest = min(shown, key=lambda i: (cells[i].value, i))
            cells[smallest] = Cell(cells[smallest].value, Hidden.SECONDARY)
        else:  # the one hidden cell is the whole column: the total would give it away
            total = Cell(total.value, Hidden.SECONDARY)
    return cells, total
