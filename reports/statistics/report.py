"""What a standard table is: its columns and their formats, the figures of one table
(:class:`Report`: headers, rows, a total row, the chart's series) and the entry that
names a table in the registry (:class:`StandardTable`), with the sums and shares the
tables' rows and totals are made of.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


class Format:
    TEXT = "text"
    COUNT = "count"
    MONEY = "money"
    DECIMAL = "decimal"  # ages, hours: one decimal place
    SHARE = "share"  # a fraction, shown as a percentage


@dataclass(frozen=True)
class Column:
    label: str
    format: str = Format.COUNT

    @property
    def numeric(self) -> bool:
        return self.format != Format.TEXT


@dataclass
class ChartData:
    """What to draw: one label per bar (or row of bars), one series per colour."""

    labels: list[str]
    series: list[tuple[str, list[float]]]
    horizontal: bool = True
    stacked: bool = True
    decimals: int = 0
    # Series with a colour of their own (visit occasions), by name.
    colours: dict[str, str] | None = None


@dataclass
class Report:
    """The figures of one table: headers, rows, a total row and the chart's series."""

    columns: list[Column]
    rows: list[list]
    total: list | None
    chart: ChartData
    note: str = ""
    # Indexes of rows printed in bold (subtotals).
    emphasis: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class StandardTable:
    slug: str
    title: Promise
    summary: Promise
    select: Callable[..., Report]


def share(part, whole) -> float | None:
    return part / whole if whole else None


def column_sums(rows: list[list], columns: list[Column], label: str) -> list:
    total: list = [label]
    for index, column in enumerate(columns[1:], 1):
        if column.format in (Format.COUNT, Format.MONEY, Format.DECIMAL):
            total.append(sum((row[index] or 0) for row in rows))
        else:
            total.append("")
    return total
