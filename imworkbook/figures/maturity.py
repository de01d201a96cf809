"""Maturity figures: radar and gap bars.

Both take the frame from :func:`imworkbook.scoring.area_scores` (one row per
area). Colours are from the Okabe-Ito palette, readable with every common form
of colour blindness; current and target also differ in line style and marker,
so the charts work in greyscale too.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd
import plotly.graph_objects as go

from ..i18n import format_number, t
from .common import BLUE, GREEN, GREY, ORANGE, VERMILLION, layout, show_empty, wrap_label


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

    ``scores``: output of :func:`~imworkbook.scoring.area_scores`. Areas
    without a score leave a gap in the line instead of dropping to zero.
    ``width=None`` lets the chart fill its container.
    """
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
    layout(fig, title or t("radar_title", lang), height, width, lang)
    # room for the area labels left and right: about 7 px per character of the longest line
    longest = max((len(line) for label in scores["short"] for line in wrap_label(label).split("<br>")), default=8)
    side = int(min(140, 10 + 7 * longest))
    fig.update_layout(margin=dict(l=side, r=side))
    if scores[["current", "target"]].isna().all().all():
        show_empty(fig, _empty_text(scores, lang))
    return fig


def gap_bars(scores: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
             width: int | None = None) -> go.Figure:
    """Horizontal bars of the gap (target - current) per area, largest gap on top.

    Areas without a gap (no item with both levels) are listed at the bottom as
    "onbekend" rather than shown as zero.
    """
    data = scores.assign(_known=scores["gap"].notna()).sort_values(["_known", "gap"], ascending=[False, False])
    known = data[data["_known"]]
    fig = go.Figure()
    colours = [VERMILLION if g > 0 else GREEN for g in known["gap"]]
    fig.add_trace(go.Bar(
        x=[round(float(g), 2) for g in known["gap"]], y=list(known["short"]), orientation="h",
        marker=dict(color=colours), name=t("col_gap", lang),
        text=[format_number(g, lang) for g in known["gap"]], textposition="outside", cliponaxis=False,
        customdata=hover_text(known, lang), hovertemplate="%{customdata}<extra></extra>",
    ))
    unknown = data[~data["_known"]]
    if len(unknown):
        fig.add_trace(go.Bar(
            x=[0] * len(unknown), y=list(unknown["short"]), orientation="h", name=t("unknown", lang),
            marker=dict(color=GREY), text=[t("unknown", lang)] * len(unknown), textposition="outside",
            customdata=hover_text(unknown, lang), hovertemplate="%{customdata}<extra></extra>",
        ))
    top = max([1.0] + [abs(float(g)) for g in known["gap"]])
    fig.update_layout(
        xaxis=dict(title=t("gap_axis", lang),
                   range=[min(0.0, float(known["gap"].min()) - 0.4 if len(known) else 0.0), top + 0.6],
                   zeroline=True, zerolinecolor="#333", gridcolor="#eee"),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=list(data["short"])),
        showlegend=False, bargap=0.35,
    )
    layout(fig, title or t("gap_title", lang), height, width, lang)
    if not len(known):
        show_empty(fig, _empty_text(scores, lang))
    return fig
