"""Maturity figures: radar and gap bars.

Both take the frame from :func:`imworkbook.analysis.scoring.area_scores` (one row per
area). Colours are from the Okabe-Ito palette, readable with every common form
of colour blindness; current and target also differ in line style and marker,
so the charts work in greyscale too.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from imworkbook.base.i18n import format_number, t
from imworkbook.figures.common import (escape, BLUE, GREEN, ORANGE, VERMILLION, category_margin, empty_figure,
                                       label_width, layout, legend_entry, wrap_label)


def hover_text(scores: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for row in scores.itertuples():
        out.append(
            f"<b>{escape(row.area)}</b><br>"
            f"{t('col_current', lang)}: {format_number(row.current, lang)} ({escape(row.current_label)})<br>"
            f"{t('col_target', lang)}: {format_number(row.target, lang)} ({escape(row.target_label)})<br>"
            f"{t('col_gap', lang)}: {format_number(row.gap, lang)}<br>"
            f"{t('hover_answered', lang, done=int(row.n_answered), total=int(row.n_items))}"
        )
    return out


def _empty_text(scores: pd.DataFrame, lang: str) -> str:
    return t("chart_no_levels" if scores["n_answered"].sum() > 0 else "chart_empty", lang)


def radar(scores: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
          width: int | None = None) -> go.Figure:
    """Radar (spider) chart of current vs target level per area, on the 1-5 scale.

    ``scores``: output of :func:`~imworkbook.analysis.scoring.area_scores`. Areas
    without a score leave a gap in the line instead of dropping to zero.
    ``width=None`` lets the chart fill its container.
    """
    if scores[["current", "target"]].isna().all().all():
        return empty_figure(title or t("radar_title", lang), _empty_text(scores, lang), height=min(height, 320),
                            width=width, lang=lang)
    theta = [wrap_label(label) for label in scores["short"]]
    hover = hover_text(scores, lang)
    fig = go.Figure()
    # close the polygon by repeating the first point
    closed = lambda s: list(s) + list(s[:1])  # noqa: E731
    for col, name, colour, dash, symbol in (
        ("current", t("legend_current", lang), BLUE, "solid", "circle"),
        ("target", t("legend_target", lang), ORANGE, "dash", "diamond"),
    ):
        values = [None if (v is None or math.isnan(v)) else round(float(v), 2) for v in scores[col]]
        fig.add_trace(go.Scatterpolar(
            r=closed(values), theta=closed(theta), name=name, mode="lines+markers",
            line=dict(color=colour, dash=dash, width=3), marker=dict(symbol=symbol, size=9, color=colour),
            fill="toself" if col == "current" else None, fillcolor="rgba(0,114,178,0.12)",
            connectgaps=False, text=closed(hover), hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_layout(polar=dict(
        # the scale sits between the first two spokes, not on top of an area's line
        radialaxis=dict(range=[0, 5], tickvals=[1, 2, 3, 4, 5], angle=90 - 180 / max(len(theta), 1), tickangle=0,
                        gridcolor="#ddd", tickfont=dict(size=11, color="#555")),
        angularaxis=dict(direction="clockwise", rotation=90, gridcolor="#ddd"),
    ))
    # room for the area labels left and right: the longest line of a label
    side = int(min(150, 16 + label_width(theta)))
    names = [tr.name for tr in fig.data]
    layout(fig, title or t("radar_title", lang), height, width, lang, legend=names, left=side, right=side,
           top_extra=36, bottom=42)  # the labels at the top and bottom spokes: two lines each
    return fig


def gap_bars(scores: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
             width: int | None = None) -> go.Figure:
    """Horizontal bars of the gap (target - current) per area, largest gap on top.

    Areas without a gap (no item with both levels) are listed at the bottom as
    "onbekend" rather than shown as zero.
    """
    title = title or t("gap_title", lang)
    data = scores.assign(_known=scores["gap"].notna()).sort_values(["_known", "gap"], ascending=[False, False])
    known = data[data["_known"]]
    if not len(known):
        return empty_figure(title, _empty_text(scores, lang), height=min(height, 320), width=width, lang=lang)
    fig = go.Figure()
    colours = [VERMILLION if g > 0 else GREEN for g in known["gap"]]
    labels = [escape(s) for s in known["short"]]
    fig.add_trace(go.Bar(
        x=[round(float(g), 2) for g in known["gap"]], y=labels, orientation="h",
        marker=dict(color=colours), name=t("col_gap", lang), showlegend=False,
        text=[format_number(g, lang) for g in known["gap"]], textposition="outside", cliponaxis=False,
        customdata=hover_text(known, lang), hovertemplate="%{customdata}<extra></extra>",
    ))
    legend = []
    if (known["gap"] <= 0).any():  # two colours: say which is which
        fig.add_trace(legend_entry(t("gap_more", lang), VERMILLION))
        fig.add_trace(legend_entry(t("gap_less", lang), GREEN))
        legend = [t("gap_more", lang), t("gap_less", lang)]
    unknown = data[~data["_known"]]
    notes = [t("gap_unknown", lang, areas=", ".join(unknown["short"]))] if len(unknown) else []
    top = max([1.0] + [abs(float(g)) for g in known["gap"]])
    low = min(0.0, float(known["gap"].min()))
    fig.update_layout(
        xaxis=dict(range=[low - (0.5 if low < 0 else 0.0), top + 0.6],
                   zeroline=True, zerolinecolor="#333", gridcolor="#eee"),
        yaxis=dict(autorange="reversed", ticklabelstandoff=6), bargap=0.35, plot_bgcolor="white",
    )
    layout(fig, title, height, width, lang, notes=notes, legend=legend, left=category_margin(labels), right=40,
           xtitle=t("gap_axis", lang))
    return fig
