"""A chart on an app page: drawn as HTML output, with its table beside it (text for every chart)."""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from imworkbook.apps.plot import figure_output
from imworkbook.base.i18n import t


PNG_NAMES = {"dekking": "png_dekking", "heatmap": "png_heatmap", "investering": "png_investering", "kosten": "png_kosten",
             "netwerk": "png_netwerk", "percentielen": "png_percentielen", "time": "png_time", "trend": "png_trend", "wat-als": "png_wat_als",
             "kloof": "png_kloof", "kwadrant": "png_kwadrant", "netwerk-applicaties": "png_netwerk_applicaties", "radar": "png_radar",
             "samenvatting": "png_samenvatting", "tijd-geld-middelen": "png_tijd_geld_middelen", "verschil": "png_verschil"}  # chart -> its file name's text


def chart_config(lang: str, name: str) -> dict:
    """plotly.js config for the live charts: only the PNG button, its tooltip and file name in ``lang``, no logo.
    ``name``: one of :data:`PNG_NAMES` (the chart's Dutch file name), written in ``lang``."""
    return {"displaylogo": False, "modeBarButtons": [["toImage"]], "locale": lang,
            "locales": {lang: {"dictionary": {"Download plot as a PNG": t("modebar_png", lang),
                                              "Download plot as a png": t("modebar_png", lang)}}},
            "toImageButtonOptions": {"format": "png", "filename": t(PNG_NAMES[name], lang), "scale": 2}}


MAX_TABLE_ROWS = 120


def _plain(value: Any) -> str:
    """Text of a label as plotly shows it: without tags (``<br>``) and entities (``&amp;``)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(value)))).strip()


def _decoration(trace: Any) -> bool:
    """A trace that draws no data: a shaded zone or a reference line (no hover), or labels only."""
    return getattr(trace, "hoverinfo", None) == "skip" or str(getattr(trace, "mode", None) or "") == "text"


def chart_table_html(fig: go.Figure, lang: str) -> str:
    """The text alternative of a chart: a table of what it draws (per series the points: x and y, or the
    direction and length of a radar, or label and value), behind a ``<details>`` with the chart's title.
    Visible to everyone, so a keyboard or screen-reader user reads the same numbers the chart shows.
    Zones, reference lines and text-only label traces are decoration and left out."""
    from imworkbook.base.i18n import format_number

    def cell(v: Any) -> str:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = float(v)
            return format_number(v, lang, 0 if v.is_integer() or abs(v) >= 100 else 1)
        return _plain(v) if v is not None else ""

    title = _plain(fig.layout.title.text or "") or t("chart_untitled", lang)
    summary = f'<summary>{html.escape(t("chart_table", lang, title=title))}</summary>'
    maps = [tr for tr in fig.data if getattr(tr, "type", None) == "heatmap" and tr.z is not None]
    if maps:  # a heat map reads best as the same grid: a row per row of the chart, a column per column
        trace = maps[0]
        xs = list(trace.x) if trace.x is not None else list(range(len(trace.z[0])))
        ys = list(trace.y) if trace.y is not None else list(range(len(trace.z)))
        head = "<th></th>" + "".join(f'<th scope="col">{html.escape(_plain(x))}</th>' for x in xs)
        body = "".join(f'<tr><th scope="row">{html.escape(_plain(y))}</th>'
                       + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>"
                       for y, row in list(zip(ys, trace.z))[:MAX_TABLE_ROWS])
        return (f'<details class="imw-chart-data">{summary}<table><thead><tr>{head}</tr></thead>'
                f'<tbody>{body}</tbody></table></details>')
    rows: list[tuple[str, str, str, str]] = []  # series, label of a point, x, y
    x_title, y_title = (_plain(axis.title.text or "") for axis in (fig.layout.xaxis, fig.layout.yaxis))
    heads = (x_title or t("chart_col_category", lang), y_title or t("chart_col_value", lang))
    for trace in fig.data:
        if _decoration(trace):
            continue
        name = _plain(getattr(trace, "name", None) or "")
        pairs: list[tuple[Any, Any]] = []
        labels: list[Any] = []
        if getattr(trace, "r", None) is not None and getattr(trace, "theta", None) is not None:
            pairs, heads = list(zip(trace.theta, trace.r)), (t("chart_col_category", lang), t("chart_col_value", lang))
        elif getattr(trace, "labels", None) is not None and getattr(trace, "values", None) is not None:
            pairs, heads = list(zip(trace.labels, trace.values)), (t("chart_col_category", lang), t("chart_col_value", lang))
        elif getattr(trace, "x", None) is not None and getattr(trace, "y", None) is not None:
            horizontal = getattr(trace, "orientation", None) == "h"
            xs, ys = list(trace.x), list(trace.y)
            pairs = list(zip(ys, xs)) if horizontal else list(zip(xs, ys))
            if horizontal:
                heads = (y_title or t("chart_col_category", lang), x_title or t("chart_col_value", lang))
            texts = getattr(trace, "text", None)
            mode = str(getattr(trace, "mode", None) or "")
            if ("text" in mode or "markers" in mode) and texts is not None \
                    and not isinstance(texts, str) and len(texts) == len(pairs):  # labelled points (names as
                # text on the chart, or placed beside them by the figure and kept in ``text`` for the hover)
                labels = list(texts)
        for i, (a, b) in enumerate(pairs):
            rows.append((name, _plain(labels[i]) if labels else "", cell(a), cell(b)))
    rows = [r for r in rows if r[2] or r[3]]
    if not rows:
        return (f'<div class="imw-chart-data imw-sr-only">{html.escape(t("chart_table_empty", lang, title=title))}'
                f'</div>')
    labelled = any(r[1] for r in rows)
    columns = [t("chart_col_series", lang), *([t("chart_col_category", lang)] if labelled else []), *heads]
    more = len(rows) - MAX_TABLE_ROWS
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in (r if labelled else (r[0], r[2], r[3])))
                   + "</tr>" for r in rows[:MAX_TABLE_ROWS])
    if more > 0:
        body += f'<tr><td colspan="{len(columns)}">{html.escape(t("chart_table_more", lang, n=more))}</td></tr>'
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    return (f'<details class="imw-chart-data">{summary}'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>')


def show_figure(box: W.Box, fig: go.Figure, config: dict) -> go.Figure:
    """Show ``fig`` in ``box`` (in an Output widget) and return it, with its text alternative under it
    (:func:`chart_table_html`, in the language of the chart's ``config``).

    Not a ``FigureWidget``: plotly >= 6 builds that on anywidget, which sends plotly's whole JavaScript bundle
    (5 MB) along with *every* chart. Measured in Voila: the questionnaire page went from 6 s to ready (see the
    README), and the network page (five charts) from 9.6 s. A new figure replaces the output in one message,
    drawn by the app's own plotly.js (:mod:`imworkbook.apps.plot`).
    """
    out = box.children[0] if box.children and isinstance(box.children[0], W.Output) else None
    if out is None or len(box.children) < 2:
        out = out or W.Output()
        box.children = (out, W.HTML())
        box.layout.flex_flow = "column"  # the table under its chart (charts sit side by side in their boxes)
    # reserve the chart's size, so the page does not jump while it draws, and charts with a width sit side by side
    out.layout.min_height = f"{int(fig.layout.height or 450)}px"
    out.layout.width = f"{int(fig.layout.width) + 4}px" if fig.layout.width else "100%"
    out.outputs = (figure_output(fig, config, failed=t("chart_load_failed", config.get("locale", "nl"))),)
    box.children[1].layout.width = out.layout.width
    box.children[1].value = chart_table_html(fig, config.get("locale", "nl"))
    return fig
