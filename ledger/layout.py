"""Ledgers as bureaus lay them out: the header, merged cells, rows that are not cadres.

A hand-made ledger is rarely the template. Above the header there may be a title; the
header may take two rows, a group header merged across several columns ("联系方式")
over a row of sub-headers ("电话", "住址"), the other headers merged down over both
rows; a unit's name may be merged down over its cadres; 序号 may be filled in down the
first column far below the last cadre; and a footer ("填表人：…　审核人：…") closes the
sheet. This module reads the header out of such rows (:func:`header_layout`), fills
merged cells down the rows of cadres (:class:`FillDown`) and tells the rows that are not
cadres (:func:`is_footer`); :mod:`ledger.spreadsheets` reads the file with them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .cells import cell_text
from .columns import LedgerColumn, column_for_header
from .xlsx_ranges import MergedRange

# A row of the file: its number in the sheet and its values by column from A.
Row = tuple[int, Sequence[Any]]

# The first cell of a footer row: who filled in and checked the sheet, and when.
FOOTER = re.compile(
    r"^\s*(?:(?:填表人|填报人|制表人|审核人|审批人|核对人|经办人|负责人|单位负责人|主要负责人"
    r"|分管领导|主管领导|填表日期|填报日期|制表日期|报送日期|填报单位|填表单位|制表单位)"
    r"\s*(?:[:：\s]|$)|(?:注|说明|备注)\s*[:：])"
)


def is_footer(values: Sequence[Any]) -> bool:
    """Whether a row is the sheet's footer: its first filled cell begins with 填表人,
    审核人, 填表日期 and the like (or 注：, a note under the table)."""
    first = next((text for text in map(cell_text, values) if text), "")
    return bool(FOOTER.match(first))


@dataclass(frozen=True)
class HeaderCell:
    """One column of the file's header: its position (from 0), its name as the user
    reads it (a group and its sub-header joined by "·"), and the ledger column it
    means. ``exact`` is false when only the sub-header under a group was understood
    ("家属·姓名" read as 姓名): such a match gives way to a column of that name, and
    then so do the other sub-headers of its group (家属·电话 is not the cadre's
    phone). A column under a header cell merged across several has no name of its own;
    ``under`` names it if it holds data."""

    position: int
    name: str
    column: LedgerColumn | None
    exact: bool = True
    group: str = ""  # the group header over the sub-header, if any
    under: str = ""  # the text of a header cell merged across this column, if any


@dataclass(frozen=True)
class HeaderLayout:
    cells: list[HeaderCell]
    last_row: int  # the number of the header's last row; the cadres come below


def header_layout(
    *, header: Row, above: Row | None, below: Row | None, merged: Sequence[MergedRange]
) -> HeaderLayout:
    """The header of a sheet whose row ``header`` holds column names, read with the row
    above and the row below it (each ``None`` if the sheet has none) and the sheet's
    merged ranges. The header is two rows when a group header is merged across
    columns over sub-headers, or when header cells are merged down over two rows."""
    number, values = header
    near = [
        merged_range
        for merged_range in merged
        if merged_range.first_row <= number + 1 and merged_range.last_row >= number - 1
    ]
    if below is not None and _is_sub_header_row(number, below, near):
        return HeaderLayout(_two_rows(header, below, near), below[0])
    if above is not None and _is_group_row(above, number, near):
        return HeaderLayout(_two_rows(above, header, near), number)
    cells = []
    for position in range(_width(values, near, number)):
        value = _at(values, position)
        merged_range = _range_at(near, number, position + 1)
        under = ""
        if (
            merged_range is not None
            and merged_range.first_row == number
            and merged_range.first_column != position + 1
        ):
            under = cell_text(_at(values, merged_range.first_column - 1))
        cells.append(HeaderCell(position, cell_text(value), column_for_header(value), under=under))
    return HeaderLayout(cells, number)


def _width(values: Sequence[Any], near: list[MergedRange], *numbers: int) -> int:
    """The columns of header rows: to their last value or merged cell."""
    merged_to = [
        r.last_column for r in near if any(r.first_row <= n <= r.last_row for n in numbers)
    ]
    return max([len(values), *merged_to])


def _is_sub_header_row(number: int, below: Row, near: list[MergedRange]) -> bool:
    """Whether ``below`` is a row of sub-headers under the header row ``number``: a
    header cell is merged down into it, or every cell of it lies under a group header
    (a cell of row ``number`` merged across columns)."""
    below_number, values = below
    if below_number != number + 1:
        return False
    if any(r.first_row == number and r.last_row > number for r in near):
        return True
    groups = [
        r for r in near if r.first_row == r.last_row == number and r.last_column > r.first_column
    ]
    filled = [position + 1 for position, value in enumerate(values) if cell_text(value)]
    return bool(groups and filled) and all(
        any(r.first_column <= column <= r.last_column for r in groups) for column in filled
    )


def _is_group_row(above: Row, number: int, near: list[MergedRange]) -> bool:
    """Whether ``above`` holds group headers over the header row ``number``: at least
    two cells, one of them merged across columns. A title over the table is one cell."""
    above_number, values = above
    if above_number != number - 1:
        return False
    filled = sum(1 for value in values if cell_text(value))
    return filled >= 2 and any(
        r.first_row == above_number and r.last_column > r.first_column for r in near
    )


def _two_rows(top: Row, bottom: Row, near: list[MergedRange]) -> list[HeaderCell]:
    top_number, top_values = top
    bottom_number, bottom_values = bottom
    cells = []
    width = max(len(bottom_values), _width(top_values, near, top_number, bottom_number))
    for position in range(width):
        column = position + 1
        group = False
        top_range = _range_at(near, top_number, column)
        if top_range is None:
            top_text = cell_text(_at(top_values, position))
        elif top_range.first_row != top_number:
            top_text = ""  # merged down from above the header (a title)
        else:
            top_text = cell_text(_at(top_values, top_range.first_column - 1))
            if top_range.last_row >= bottom_number:
                # One header cell over both rows; only its first column is named.
                name = top_text if column == top_range.first_column else ""
                cells.append(HeaderCell(position, name, column_for_header(name)))
                continue
            group = top_range.last_column > top_range.first_column
        bottom_range = _range_at(near, bottom_number, column)
        if bottom_range is not None and (bottom_range.first_row, bottom_range.first_column) != (
            bottom_number,
            column,
        ):
            bottom_text = ""
        else:
            bottom_text = cell_text(_at(bottom_values, position))
        cells.append(_combined(position, top_text, bottom_text, group=group))
    return cells


def _combined(position: int, top: str, bottom: str, *, group: bool) -> HeaderCell:
    """A group header and its sub-header as one: "紧急联系人" over "电话" is
    紧急联系人电话; "联系方式" over "电话" is 电话; a single cell over a sub-header is
    read as the whole, the sub-header, or itself."""
    if not bottom or not top or top == bottom:
        name = top or bottom
        return HeaderCell(position, name, column_for_header(name))
    name = f"{top}·{bottom}"
    whole = column_for_header(top + bottom)
    if whole is not None:
        return HeaderCell(position, name, whole)
    candidates = [bottom] if group else [bottom, top]
    for candidate in candidates:
        column = column_for_header(candidate)
        if column is not None:
            return HeaderCell(position, name, column, exact=False, group=top)
    return HeaderCell(position, name, None, group=top)


def _range_at(near: list[MergedRange], row: int, column: int) -> MergedRange | None:
    return next((r for r in near if (row, column) in r), None)


def _at(values: Sequence[Any], position: int) -> Any:
    return values[position] if 0 <= position < len(values) else None


class FillDown:
    """Cells merged down over rows of cadres (a unit's name over its cadres): each row
    below the first of the range takes its value, in the range's first column. Only
    merged ranges fill: a blank cell is blank. Rows must come in sheet order."""

    def __init__(self, merged: Sequence[MergedRange], *, first_row: int):
        self.waiting = sorted(
            (r for r in merged if r.last_row > r.first_row and r.first_row >= first_row),
            key=lambda r: r.first_row,
        )
        self.next = 0
        self.active: dict[int, tuple[MergedRange, Any]] = {}  # position → (range, value)
        self.previous = first_row - 1

    def __call__(self, number: int, values: Sequence[Any]) -> Sequence[Any]:
        """The row's values with the merged cells filled in."""
        if number <= self.previous:
            return values
        self.previous = number
        filled: list[Any] | None = None
        for position, (merged_range, value) in list(self.active.items()):
            if merged_range.last_row < number:
                del self.active[position]
            elif not cell_text(_at(values, position)):
                if filled is None:
                    filled = list(values)
                if position >= len(filled):
                    filled.extend([None] * (position + 1 - len(filled)))
                filled[position] = value
        while self.next < len(self.waiting) and self.waiting[self.next].first_row <= number:
            merged_range = self.waiting[self.next]
            self.next += 1
            value = _at(values, merged_range.first_column - 1)
            if merged_range.first_row == number and cell_text(value):
                self.active[merged_range.first_column - 1] = (merged_range, value)
        return values if filled is None else filled
