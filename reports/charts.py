"""Server-side SVG bar charts: geometry computed here, drawn by a template. No chart
library, no JavaScript, nothing from the internet."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import format_html, format_html_join

from accounts.punctuation import colon

PALETTE = ["#8c1d18", "#d9822b", "#3d7ea6", "#5b8c5a", "#8e6c8a", "#a3a3a3", "#c9a227", "#4f6d7a"]


def month_label(day: datetime.date) -> str:
    """A month's label on every chart and table: "3月" in Chinese, "Mar" in English."""
    return formats.date_format(day, "MONTH_ONLY_FORMAT")


def _colour(name: str, index: int, colours: dict[str, str] | None) -> str:
    """The series' own colour (a visit occasion's), or the palette's next one."""
    if colours and name in colours:
        return colours[name]
    return PALETTE[index % len(PALETTE)]


def _at(value: float) -> str:
    """A coordinate as the SVG is written: a tenth of a pixel is enough, and a string
    is written as it is (a number would be localised on each of a chart's hundreds)."""
    return f"{value:.1f}"


@dataclass
class Bar:
    x: str
    y: str
    width: str
    height: str
    color: str
    title: str

    def __str__(self) -> str:
        """The bar as the chart draws it (``{{ bar }}``, safe markup): one template
        variable for a chart's hundreds of bars rather than six each."""
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            self.x,
            self.y,
            self.width,
            self.height,
            self.color,
            self.title,
        )

    __html__ = __str__


def bar_chart(
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    width: int = 640,
    height: int = 220,
    colours: dict[str, str] | None = None,
) -> dict:
    """Stacked vertical bars: one bar per label, one colour per series (``colours`` by
    series name where a series has its own)."""
    left, bottom, top = 36, 28, 10
    plot_height = height - bottom - top
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    step = (width - left) / max(len(labels), 1)
    bar_width = step * 0.7
    bars: list[Bar] = []
    for index, label in enumerate(labels):
        x = left + index * step + (step - bar_width) / 2
        y = top + plot_height
        for colour_index, (name, values) in enumerate(series):
            value = values[index]
            if not value:
                continue
            h = value / peak * plot_height
            y -= h
            bars.append(
                Bar(
                    _at(x),
                    _at(y),
                    _at(bar_width),
                    _at(h),
                    _colour(name, colour_index, colours),
                    f"{label} {name}{colon()}{value}",
                )
            )
    ticks = [
        {"y": _at(top + plot_height - plot_height * fraction), "label": round(peak * fraction)}
        for fraction in (0, 0.5, 1)
    ]
    axis = [
        {"x": _at(left + index * step + step / 2), "label": label}
        for index, label in enumerate(labels)
    ]
    legend = [
        {"name": name, "color": _colour(name, index, colours)}
        for index, (name, _values) in enumerate(series)
    ]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "ticks": ticks,
        "axis": axis,
        "axis_y": height - 8,
        "left": left,
        "legend": legend if len(series) > 1 else [],
        "totals": list(zip(labels, totals, strict=True)),
    }


def horizontal_bars(rows: list[tuple[str, float, str]], *, width: int = 640) -> dict:
    """Horizontal bars of a percentage (0–100) with a label and a note per row."""
    label_width, row_height = 150, 26
    plot = width - label_width - 60
    drawn = [
        {
            "y": str(index * row_height + 4),
            "text_y": str(index * row_height + 20),
            "label": label,
            "bar_x": str(label_width),
            "bar_width": _at(max(percent, 0) / 100 * plot),
            "value_x": _at(label_width + max(percent, 0) / 100 * plot + 6),
            "percent": round(percent),
            "note": note,
        }
        for index, (label, percent, note) in enumerate(rows)
    ]
    return {
        "width": width,
        "height": row_height * len(rows) + 4,
        "rows": drawn,
        "svg": _horizontal_bars_svg(drawn),
    }


def _horizontal_bars_svg(rows: list[dict]) -> str:
    """The rows as the chart draws them (``{{ chart.svg }}``): a label, a bar (its title
    the label and note) and the percentage; one template variable for all the rows."""
    return format_html_join(
        "",
        '<text x="0" y="{}" font-size="13" fill="#333">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="20" fill="#3d7ea6"><title>{} {}</title></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#333">{}%</text>',
        (
            (
                row["text_y"],
                row["label"],
                row["bar_x"],
                row["y"],
                row["bar_width"],
                row["label"],
                row["note"],
                row["value_x"],
                row["text_y"],
                row["percent"],
            )
            for row in rows
        ),
    )


def horizontal_stacked_bars(
    labels: list[str],
    series: list[tuple[str, list[float]]],
    *,
    stacked: bool = True,
    decimals: int = 0,
    width: int = 640,
    colours: dict[str, str] | None = None,
) -> dict:
    """One row per label (a unit, a branch, a person), so that long Chinese names stay
    readable however many rows there are. Stacked: one segment per series and the total at
    the end; grouped: one thin bar per series, each with its value."""
    longest = max((len(label) for label in labels), default=4)
    label_width = min(max(longest, 4), 12) * 15 + 10
    bar_height, gap = 22, 10
    plot = width - label_width - 70
    bars_per_row = 1 if stacked else max(len(series), 1)
    row_height = bar_height * bars_per_row + gap
    if stacked:
        peaks = [sum(values[i] for _, values in series) for i in range(len(labels))]
    else:
        peaks = [value for _, values in series for value in values]
    peak = max(peaks, default=0) or 1
    max_chars = (label_width - 10) // 15
    rows = []
    for index, label in enumerate(labels):
        top = index * row_height + gap / 2
        short = label if len(label) <= max_chars else label[: max_chars - 1] + "…"
        segments, values_text = [], []
        x = label_width
        for colour_index, (name, values) in enumerate(series):
            value = values[index] or 0
            y = top if stacked else top + colour_index * bar_height
            length = value / peak * plot
            colour = _colour(name, colour_index, colours)
            if value:
                segments.append(
                    {
                        "x": x,
                        "y": y,
                        "width": length,
                        "height": bar_height - 2,
                        "color": colour,
                        "title": f"{label} {name}{colon()}{value:.{decimals}f}",
                    }
                )
            if stacked:
                x += length
            else:
                values_text.append(
                    {"x": x + length + 4, "y": y + bar_height / 2, "text": f"{value:.{decimals}f}"}
                )
        if stacked:
            total = sum(values[index] or 0 for _, values in series)
            values_text.append(
                {"x": x + 4, "y": top + bar_height / 2, "text": f"{total:.{decimals}f}"}
            )
        rows.append(
            {
                "label": short,
                "full_label": label,
                "label_y": top + row_height / 2 - gap / 2,
                "segments": segments,
                "values": values_text,
            }
        )
    return {
        "width": width,
        "height": max(row_height * len(labels), row_height),
        "label_x": label_width - 8,
        "axis_x": label_width,
        "rows": rows,
        "legend": [
            {"name": name, "color": _colour(name, index, colours)}
            for index, (name, _values) in enumerate(series)
        ]
        if len(series) > 1
        else [],
    }
