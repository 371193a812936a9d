"""Server-side SVG bar charts: geometry computed here, drawn by a template. No chart
library, no JavaScript, nothing from the internet."""

from __future__ import annotations

from dataclasses import dataclass

PALETTE = ["#8c1d18", "#d9822b", "#3d7ea6", "#5b8c5a", "#8e6c8a", "#a3a3a3", "#c9a227", "#4f6d7a"]


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


def bar_chart(
    labels: list[str],
    series: list[tuple[str, list[int]]],
    *,
    width: int = 640,
    height: int = 220,
) -> dict:
    """Stacked vertical bars: one bar per label, one colour per series."""
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
                    x,
                    y,
                    bar_width,
                    h,
                    PALETTE[colour_index % len(PALETTE)],
                    f"{label} {name}：{value}",
                )
            )
    ticks = [
        {"y": top + plot_height - plot_height * fraction, "label": round(peak * fraction)}
        for fraction in (0, 0.5, 1)
    ]
    axis = [
        {"x": left + index * step + step / 2, "label": label} for index, label in enumerate(labels)
    ]
    legend = [
        {"name": name, "color": PALETTE[index % len(PALETTE)]}
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
    return {
        "width": width,
        "height": row_height * len(rows) + 4,
        "rows": [
            {
                "y": index * row_height + 4,
                "text_y": index * row_height + 20,
                "label": label,
                "bar_x": label_width,
                "bar_width": max(percent, 0) / 100 * plot,
                "value_x": label_width + max(percent, 0) / 100 * plot + 6,
                "percent": round(percent),
                "note": note,
            }
            for index, (label, percent, note) in enumerate(rows)
        ],
    }
