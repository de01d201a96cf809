"""Figures of the application landscape (pure: data in, ``go.Figure`` out)."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from ..content import LandscapeReference
from ..i18n import format_number, t
from ..landscape import TIME_KEYS
from ..numbers import format_euro
from .common import BLUE, GREEN, GREY, ORANGE, VERMILLION, layout, show_empty, wrap_label

TIME_STYLE = {"invest": (GREEN, "circle"), "migrate": (ORANGE, "triangle-up"), "tolerate": (BLUE, "square"),
              "eliminate": (VERMILLION, "x"), "onbekend": (GREY, "circle-open")}


def coverage_heatmap(matrix: pd.DataFrame, ref: LandscapeReference, *, register_once: dict | None = None,
                     lang: str = "nl", width: int | None = None) -> go.Figure:
    """Activities (rows, grouped by area) x applications: which application supports which activity.
    Rows without any application (gaps) are marked in the labels; more than one (overlap) too."""
    fig = go.Figure()
    if matrix.shape[1] == 0:
        layout(fig, t("land_coverage_title", lang), 420, width, lang)
        return show_empty(fig, t("land_empty", lang))
    support = matrix.sum(axis=1)
    labels = []
    for act, n in support.items():
        mark = " ✕" if n == 0 else f" ({int(n)}×)" if n > 1 else ""
        labels.append(escape(ref.label("activity", act, lang)) + mark)
    z = matrix.astype(int).to_numpy()
    hover = [[t("land_hover_yes" if z[i][j] else "land_hover_no", lang, app=escape(app),
                activity=escape(ref.label("activity", act, lang))) for j, app in enumerate(matrix.columns)]
             for i, act in enumerate(matrix.index)]
    fig.add_trace(go.Heatmap(z=z, x=[wrap_label(c, 14) for c in matrix.columns], y=labels, zmin=0, zmax=1,
                             colorscale=[[0, "#f2f2f2"], [1, BLUE]], showscale=False, xgap=2, ygap=2,
                             hovertext=hover, hoverinfo="text"))
    height = 190 + 26 * len(matrix.index)
    layout(fig, t("land_coverage_title", lang), height, width, lang)
    fig.update_layout(yaxis=dict(autorange="reversed", tickfont=dict(size=11)),
                      xaxis=dict(side="top", tickangle=-35, tickfont=dict(size=11)),
                      margin=dict(l=10, r=10, t=150, b=40), plot_bgcolor="white")
    # the areas as bands: a thin line and the area's name above its first activity
    for n, area in enumerate(ref.areas):
        first = next((i for i, act in enumerate(matrix.index) if ref.area_of(act) == area.id), None)
        if first is None:
            continue
        if n:
            fig.add_hline(y=first - 0.5, line=dict(color="#666", width=1))
        fig.add_annotation(text=f"<i>{escape(area.label(lang))}</i>", x=1.0, xref="paper", xanchor="right",
                           y=first - 0.5, yanchor="bottom", showarrow=False, font=dict(size=10, color="#444"),
                           bgcolor="rgba(255,255,255,0.85)")
    fig.add_annotation(text=t("land_coverage_legend", lang), showarrow=False, xref="paper", yref="paper", x=0, y=-0.02,
                       xanchor="left", yanchor="top", font=dict(size=11, color="#555"))
    return fig


def time_quadrant(inventory: pd.DataFrame, *, high_from: int = 3, lang: str = "nl", width: int | None = None) -> go.Figure:
    """Business fit (x) against technical fit (y) per application, coloured by the TIME suggestion."""
    fig = go.Figure()
    known = inventory.dropna(subset=["business_fit", "technical_fit"])
    edge = high_from - 0.5
    for label, (x0, x1, y0, y1) in {"tolerate": (0.5, edge, edge, 5.5), "invest": (edge, 5.5, edge, 5.5),
                                    "eliminate": (0.5, edge, 0.5, edge), "migrate": (edge, 5.5, 0.5, edge)}.items():
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(width=0),
                      fillcolor=TIME_STYLE[label][0], opacity=0.07, layer="below")
        fig.add_annotation(text=f"<b>{t(TIME_KEYS[label], lang)}</b>", x=x0 + 0.08 if x0 < 1 else x1 - 0.08,
                           y=y1 - 0.12, xanchor="left" if x0 < 1 else "right", showarrow=False,
                           font=dict(color=TIME_STYLE[label][0], size=13))
    # several applications on one point: spread them a little so every name stays readable
    offsets = known.groupby(["business_fit", "technical_fit"]).cumcount()
    for label, part in known.assign(_off=offsets).groupby("time", sort=False):
        colour, symbol = TIME_STYLE.get(label, TIME_STYLE["onbekend"])
        fig.add_trace(go.Scatter(
            x=part["business_fit"] + part["_off"] * 0.12, y=part["technical_fit"] - part["_off"] * 0.12,
            mode="markers+text", name=t(TIME_KEYS[label], lang), text=[escape(n) for n in part["name"]],
            textposition="middle right", marker=dict(size=14, color=colour, symbol=symbol, line=dict(width=1, color="white")),
            customdata=[format_euro(c, lang, unknown=t("unknown", lang)) for c in part["cost_per_year"]],
            hovertemplate="%{text}<br>" + t("land_axis_business", lang) + ": %{x:.0f}<br>"
                          + t("land_axis_technical", lang) + ": %{y:.0f}<br>%{customdata}" + t("per_year_suffix", lang)
                          + "<extra></extra>"))
    missing = inventory[inventory["business_fit"].isna() | inventory["technical_fit"].isna()]
    layout(fig, t("land_time_title", lang), 540, width, lang)
    fig.update_layout(xaxis=dict(title=t("land_axis_business", lang), range=[0.5, 5.9], dtick=1, gridcolor="#eee"),
                      yaxis=dict(title=t("land_axis_technical", lang), range=[0.5, 5.5], dtick=1, gridcolor="#eee"),
                      plot_bgcolor="white", legend=dict(y=-0.3), margin=dict(b=120))
    if len(missing):
        fig.add_annotation(text=t("land_time_missing", lang, apps=", ".join(escape(n) for n in missing["name"])),
                           showarrow=False, xref="paper", yref="paper", x=0, y=1.02, xanchor="left",
                           font=dict(size=11, color="#555"))
    if not len(known):
        show_empty(fig, t("land_time_empty", lang))
    return fig


def cost_per_area(cost: pd.DataFrame, ref: LandscapeReference, *, lang: str = "nl", width: int | None = None) -> go.Figure:
    """Known yearly cost of the applications per activity area (hover: applications with unknown cost)."""
    labels = [wrap_label(ref.label("area", a, lang), 18) for a in cost.index]
    fig = go.Figure(go.Bar(
        y=labels, x=cost["cost_per_year"], orientation="h", marker_color=BLUE,
        text=[format_euro(v, lang) for v in cost["cost_per_year"]], textposition="outside", cliponaxis=False,
        customdata=[[int(n), ", ".join(u) or "–"] for n, u in zip(cost["applications"], cost["unknown_cost"])],
        hovertemplate="%{y}<br>%{text}" + t("per_year_suffix", lang) + "<br>" + t("land_hover_apps", lang)
                      + ": %{customdata[0]}<br>" + t("land_hover_unknown_cost", lang) + ": %{customdata[1]}<extra></extra>"))
    layout(fig, t("land_cost_title", lang), 420, width, lang)
    fig.update_layout(yaxis=dict(autorange="reversed"), xaxis=dict(title=t("land_cost_axis", lang), gridcolor="#eee"),
                      plot_bgcolor="white", margin=dict(l=10, r=60, t=70, b=40))
    if not cost["cost_per_year"].any():
        show_empty(fig, t("land_empty", lang))
    return fig


def network_types(frames: dict, ref: LandscapeReference, *, lang: str = "nl", width: int | None = None) -> go.Figure:
    """Facilitator: the share of schools that use each system type, and how often data is registered twice."""
    fig = go.Figure()
    n = int(frames["n"]["schools"].iloc[0])
    layout(fig, t("land_net_title", lang, n=n), 460, width, lang)
    if frames["types"].empty:
        return show_empty(fig, t("land_net_too_few", lang, n=n))
    types = frames["types"]
    fig.add_trace(go.Bar(y=[ref.label("type", x, lang) for x in types["type"]], x=types["share"] * 100,
                         orientation="h", name=t("land_net_types", lang), marker_color=BLUE,
                         text=[format_number(v * 100, lang, 0) + "%" for v in types["share"]], textposition="outside",
                         cliponaxis=False, customdata=types["schools"],
                         hovertemplate="%{y}: %{customdata} " + t("land_net_schools", lang) + "<extra></extra>"))
    twice = frames["register_once"]
    if len(twice):
        fig.add_trace(go.Bar(y=[t("land_net_twice", lang, object=ref.label("object", x, lang)) for x in twice["object"]],
                             x=twice["share"] * 100, orientation="h", name=t("land_net_register_once", lang),
                             marker_color=VERMILLION, text=[format_number(v * 100, lang, 0) + "%" for v in twice["share"]],
                             textposition="outside", cliponaxis=False, customdata=twice["schools"],
                             hovertemplate="%{y}: %{customdata} " + t("land_net_schools", lang) + "<extra></extra>"))
    fig.update_layout(height=160 + 24 * (len(types) + len(twice)), yaxis=dict(autorange="reversed"),
                      xaxis=dict(title=t("land_net_axis", lang), range=[0, 112], gridcolor="#eee"), plot_bgcolor="white",
                      margin=dict(l=10, r=40, t=70, b=40))
    return fig
