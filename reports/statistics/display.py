"""A standard table as its page shows it: each cell as text in its column's format,
the rows with subtotals and the total row marked, and the chart's geometry.
"""

from __future__ import annotations

from ..charts import bar_chart, horizontal_stacked_bars
from .report import ChartData, Format, Report


def format_cell(value, column_format: str) -> str:
    if value is None:
        return "—"
    if column_format == Format.TEXT or isinstance(value, str):
        return str(value)
    if column_format == Format.MONEY:
        return f"{value:,.2f}"
    if column_format == Format.DECIMAL:
        return f"{value:.1f}"
    if column_format == Format.SHARE:
        return f"{value * 100:.1f}%"
    return str(value)


def display_rows(report: Report) -> list[dict]:
    """Rows as the page shows them: text per cell, numbers right-aligned."""
    lines = [(row, index in report.emphasis) for index, row in enumerate(report.rows)]

    def cells(row):
        return [
            {"text": format_cell(value, column.format), "numeric": column.numeric}
            for value, column in zip(row, report.columns, strict=True)
        ]

    return [{"cells": cells(row), "emphasis": emphasis} for row, emphasis in lines] + (
        [{"cells": cells(report.total), "emphasis": True, "total": True}] if report.total else []
    )


def chart_geometry(chart: ChartData) -> dict:
    if chart.horizontal:
        geometry = horizontal_stacked_bars(
            chart.labels,
            chart.series,
            stacked=chart.stacked,
            decimals=chart.decimals,
            colours=chart.colours,
        )
    else:
        geometry = bar_chart(
            chart.labels, chart.series or [("", [0] * len(chart.labels))], colours=chart.colours
        )
    return {**geometry, "horizontal": chart.horizontal}
