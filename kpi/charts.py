"""The KPI trend charts, drawn on the server as SVG (pygal), so that the page and the
performance pack show the same picture without JavaScript. Each is shown beside a table of
the same figures for screen readers."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pygal
from django.utils.html import escape
from pygal.style import Style

from .indicators import Result

# GOV.UK colours: the rate in blue, the target in green, dashed.
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#0b0c0c",
    foreground_strong="#0b0c0c", foreground_subtle="#505a5f", colors=("#1d70b8", "#00703c"),
    font_family="arial, sans-serif", label_font_size=12, major_label_font_size=12,
    value_font_size=12, legend_font_size=13, title_font_size=14,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def trend_svg(results: list[Result], *, nonce: str = "") -> str:
    """A line chart of the KPI's rate over `results` (oldest first) against its target.
    Without script; its style element carries the page's nonce (the Content-Security-
    Policy refuses any other)."""
    kpi = results[0].kpi
    svg = _chart(kpi.number, kpi.target, tuple((r.period.label, r.rate) for r in results))
    return svg.replace("<style", f'<style nonce="{escape(nonce)}"', 1) if nonce else svg


# Drawing the five charts takes tens of milliseconds a page, and a chart depends on nothing
# but its figures: the same figures are drawn once.
@lru_cache(maxsize=256)
def _chart(number: int, target: Decimal, points: tuple[tuple[str, Decimal | None], ...]
           ) -> str:
    chart = pygal.Line(
        style=STYLE, js=[], width=640, height=300, range=(0, 100), include_x_axis=True,
        show_legend=True, legend_at_bottom=True, dots_size=4, stroke_style={"width": 2},
        y_labels=[0, 25, 50, 75, 100], x_label_rotation=0, truncate_label=-1,
        print_values=False, show_minor_x_labels=True, margin=8)
    chart.x_labels = [label for label, _ in points]
    chart.add("Rate (%)", [None if rate is None else float(rate) for _, rate in points])
    chart.add(f"Target ({target}%)", [float(target)] * len(points),
              show_dots=False, stroke_style={"width": 2, "dasharray": "6, 4"})
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    svg = svg.replace(' style="opacity: 0"', ' opacity="0"')
    label = escape(f"KPI {number}: rate by quarter against the target of {target}%")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
