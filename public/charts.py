"""Server-side SVG bar charts for the statistics pages and the officials' dashboards.

Each chart is an inline ``<svg role="img">`` with a ``<title>``, the label and the value of every
bar written as text (colour is never the only cue), black text on a white ground so it prints;
the template (public/_chart.html) puts the same numbers in a table beside it for screen readers.
"""

import itertools
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH = 210
VALUE_WIDTH = 60
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 8
BAR_FILL = "#4a78b0"  # mid blue with a dark outline: readable in greyscale print
_ids = itertools.count(1)


@dataclass
class Chart:
    """A titled list of (label, value) rows; ``svg`` renders it, the template adds the table."""

    title: str
    rows: list = field(default_factory=list)
    unit: str = ""
    label_heading: str = "项目"
    value_heading: str = "数量"

    @property
    def total(self):
        return sum(value for _, value in self.rows)

    @property
    def svg(self) -> SafeString:
        return bar_chart(self.title, self.rows, self.unit)


LABEL_CHARS = 14


def short_label(label) -> str:
    """Labels longer than the label column are cut with “…”; the table beside the chart has them whole."""
    text = str(label)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def bar_chart(title: str, rows, unit: str = "") -> SafeString:
    """A horizontal bar chart: one bar per row, the label on the left and the value at the bar's end."""
    rows = list(rows)
    chart_id = f"chart-{next(_ids)}"
    height = TOP * 2 + max(len(rows), 1) * ROW_HEIGHT
    biggest = max((value for _, value in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        length = round(span * value / biggest) if value else 0
        bars.append((
            LABEL_WIDTH - 8, y + BAR_HEIGHT - 3, short_label(label),
            LABEL_WIDTH, y, max(length, 1) if value else 0, BAR_HEIGHT, BAR_FILL,
            LABEL_WIDTH + length + 6, y + BAR_HEIGHT - 3, _number(value), unit,
        ))
    body = format_html_join(
        "",
        '<g><text x="{}" y="{}" text-anchor="end" font-size="13" fill="#000">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#1a1a1a" stroke-width="1"></rect>'
        '<text x="{}" y="{}" font-size="13" fill="#000">{}{}</text></g>',
        bars,
    )
    if not rows:
        body = format_html('<text x="{}" y="{}" font-size="13" fill="#000">暂无数据</text>', 8, TOP + 14)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
        'width="100%" class="stat-chart">'  # max width and background in portal.css (no inline style: CSP)
        '<title id="{}">{}</title>{}</svg>',
        chart_id, WIDTH, height, chart_id, title, body,
    )


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
