"""Network figures (facilitator). Other schools appear only as pseudonyms; the selected school by name.
Group statistics come from :mod:`imworkbook.analysis.disclosure` (nothing for fewer than 6 schools, nothing that would betray
a smaller group); the individual points are for the facilitator's own screen."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from imworkbook.analysis.disclosure import MIN_GROUP
from imworkbook.base.i18n import format_number, t
from imworkbook.figures.common import (escape, BLUE, GREY, TICKS, VERMILLION, category_margin, empty_figure,
                                       label_width, layout, legend_entry, rotated_ticks, wrap_label)


def _labels(area_ids, short: dict[str, str]) -> list[str]:
    return [wrap_label(short.get(a, a), 14) for a in area_ids]


def area_boxes(areas: pd.DataFrame, short: dict[str, str], *, highlight: str | None = None,
               highlight_name: str = "", value: str = "current", lang: str = "nl", title: str | None = None,
               height: int = 480, width: int | None = None, min_n: int = MIN_GROUP) -> go.Figure:
    """Box plot with all points per area (other schools anonymous), the selected school as a red diamond."""
    title = title or t("net_boxes_title", lang)
    fig = go.Figure()
    order = list(short)
    thin = []
    for area_id in order:
        part = areas[(areas["area_id"] == area_id) & areas[value].notna()]
        label = _labels([area_id], short)[0]
        if part["key"].nunique() < min_n:
            thin.append(area_id)
            continue
        fig.add_trace(go.Box(y=list(part[value]), name=label, boxpoints="all", jitter=0.4, pointpos=0,
                             marker=dict(color=BLUE, size=4, opacity=0.5), line=dict(color=BLUE), fillcolor="rgba(0,114,178,0.12)",
                             hoverinfo="y", showlegend=False))
    if not fig.data:
        return empty_figure(title, t("net_too_few_all", lang), height=min(height, 320), width=width, lang=lang)
    fig.add_trace(legend_entry(t("net_others", lang), BLUE))
    legend = [t("net_others", lang)]
    if highlight is not None:
        own = areas[(areas["key"] == highlight) & areas[value].notna() & ~areas["area_id"].isin(thin)]
        own = own.set_index("area_id").reindex([a for a in order if a not in thin]).dropna(subset=[value])
        fig.add_trace(go.Scatter(x=_labels(own.index, short), y=list(own[value]), mode="markers",
                                 name=escape(highlight_name), marker=dict(symbol="diamond", size=13, color=VERMILLION,
                                                                          line=dict(color="white", width=1.5)),
                                 hovertemplate=escape(highlight_name) + ": %{y:.2f}<extra></extra>"))
        legend.append(escape(highlight_name))
    fig.update_layout(yaxis=dict(range=[0.8, 5.2], gridcolor="#eee"), plot_bgcolor="white",
                      xaxis=dict(tickangle=-35, tickfont=dict(size=12)))
    notes = [t("net_too_few", lang, areas=", ".join(short.get(a, a) for a in thin))] if thin else []
    labels = [tr.name for tr in fig.data if tr.type == "box"]
    layout(fig, title, height, width, lang, notes=notes, legend=legend, bottom=rotated_ticks(labels, 35, 12) + 6,
           ytitle=t("net_axis_level", lang))
    return fig


def school_heatmap(table: pd.DataFrame, short: dict[str, str], *, highlight_name: str | None = None,
                   lang: str = "nl", title: str | None = None, height: int | None = None,
                   width: int | None = None) -> go.Figure:
    """Schools (rows, best first; pseudonyms) x areas (columns), colour = level 1-5."""
    if len(table) < MIN_GROUP:
        return empty_figure(title or t("net_heatmap_title", lang), t("net_too_few_all", lang), width=width, lang=lang)
    z = table.to_numpy(dtype=float)
    fig = go.Figure(go.Heatmap(
        z=z, x=_labels(table.columns, short), y=list(table.index), zmin=1, zmax=5, colorscale="Cividis",
        colorbar=dict(title=dict(text=t("net_axis_level", lang), side="right"), thickness=16), hoverongaps=False,
        hovertemplate="%{y}<br>%{x}: %{z:.2f}<extra></extra>"))
    columns = _labels(table.columns, short)
    fig.update_layout(yaxis=dict(autorange="reversed", tickfont=dict(size=9), ticklabelstandoff=4),
                      xaxis=dict(tickangle=-90, tickfont=dict(size=11)), plot_bgcolor="white")
    under = rotated_ticks(columns, 90, 11)
    layout(fig, title or t("net_heatmap_title", lang), (height or max(380, 14 * len(table) + 160)) + under, width,
           lang, left=category_margin([escape(str(i)) for i in table.index], 9), right=90, bottom=under)
    if highlight_name and highlight_name in table.index:
        row = list(table.index).index(highlight_name)
        fig.add_shape(type="rect", x0=-0.5, x1=len(table.columns) - 0.5, y0=row - 0.5, y1=row + 0.5,
                      line=dict(color=VERMILLION, width=3))
    return fig


def percentile_bars(pct: pd.DataFrame, short: dict[str, str], *, school: str, lang: str = "nl",
                    title: str | None = None, height: int = 420, width: int | None = None) -> go.Figure:
    """"Your school vs the network": the school's percentile per area (50 = the middle of the group).

    Bars coloured by quarter (with a legend), the values in a column right of the plot (never on the median line)."""
    title = title or t("net_percentile_title", lang, school=escape(school))
    data = pct.reindex([a for a in short if a in pct.index])
    known = data[data["percentile"].notna()]
    if not len(known):
        return empty_figure(title, t("net_too_few_all", lang), height=min(height, 320), width=width, lang=lang)
    labels = _labels(known.index, short)
    quarter = ["low" if p < 25 else "high" if p > 75 else "mid" for p in known["percentile"]]
    colour = {"low": VERMILLION, "mid": GREY, "high": BLUE}
    names = {"low": t("net_pct_low", lang), "mid": t("net_pct_mid", lang), "high": t("net_pct_high", lang)}
    fig = go.Figure(go.Bar(
        y=labels, x=list(known["percentile"].round(0)), orientation="h", name=t("net_percentile", lang),
        marker=dict(color=[colour[q] for q in quarter]),
        customdata=[[format_number(v, lang, 2), int(n)] for v, n in zip(known.iloc[:, 0], known["n"])],
        hovertemplate="%{y}<br>" + t("net_percentile", lang) + ": %{x:.0f}<br>" + t("net_level", lang)
                      + ": %{customdata[0]}<br>n = %{customdata[1]}<extra></extra>", showlegend=False))
    present = [q for q in ("low", "mid", "high") if q in quarter]
    for q in present:
        fig.add_trace(legend_entry(names[q], colour[q]))
    fig.add_vline(x=50, line=dict(color="#333", dash="dash"))
    fig.update_layout(xaxis=dict(range=[0, 100], gridcolor="#eee", tickvals=[0, 25, 50, 75, 100]),
                      yaxis=dict(autorange="reversed", ticklabelstandoff=6), plot_bgcolor="white")
    thin = data[data["percentile"].isna()]
    notes = [t("net_withheld", lang, areas=", ".join(short.get(a, a) for a in thin.index))] if len(thin) else []
    layout(fig, title, height, width, lang, notes=notes, legend=[names[q] for q in present],
           left=category_margin(labels), right=44, xtitle=t("net_percentile_axis", lang))
    for y, p in zip(labels, known["percentile"]):  # the values, right of the plot
        fig.add_annotation(text=format_number(p, lang, 0), name="value", x=1, xref="paper", xshift=6, xanchor="left",
                           y=y, yref="y", showarrow=False, font=dict(size=12))
    return fig


def trend_lines(trend: pd.DataFrame, short: dict[str, str], *, own: pd.DataFrame | None = None,
                school: str = "", lang: str = "nl", title: str | None = None, height: int = 560,
                width: int | None = None) -> go.Figure:
    """Small multiples per area: the mean over rounds with the band between the means of the lower and the upper
    half, as released by the disclosure rule (:func:`imworkbook.analysis.network.trend`); the school as a line."""
    areas = [a for a in short if a in trend.index.get_level_values(0)]
    cols = 4
    rows = max(1, math.ceil(len(areas) / cols))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[short[a] for a in areas], shared_yaxes=True,
                        vertical_spacing=0.16, horizontal_spacing=0.04)
    hidden, withheld_rounds, own_shown = [], [], False
    rounds = sorted(set(trend.index.get_level_values(1)) | (set(own.index.get_level_values(1)) if own is not None
                                                             and len(own) else set()))
    for i, area in enumerate(areas):
        r, c = i // cols + 1, i % cols + 1
        part = trend.loc[area]
        withheld = list(part.index[part["te_weinig"]])
        withheld_rounds.append(tuple(withheld))
        if withheld:
            hidden.append(short[area] + ("" if len(withheld) == len(rounds) else f" ({', '.join(withheld)})"))
        part = part[~part["te_weinig"]]
        x = list(part.index)
        band = part.dropna(subset=["lower", "upper"])
        xb = list(band.index)
        fig.add_trace(go.Scatter(x=xb + xb[::-1], y=list(band["upper"]) + list(band["lower"])[::-1], fill="toself",
                                 mode="lines", fillcolor="rgba(0,114,178,0.15)", line=dict(width=0), hoverinfo="skip",
                                 showlegend=i == 0, name=t("net_halves", lang)), row=r, col=c)
        fig.add_trace(go.Scatter(x=x, y=list(part["mean"]), mode="lines+markers", line=dict(color=BLUE),
                                 name=t("net_mean", lang), showlegend=i == 0,
                                 customdata=list(part["n"]),
                                 hovertemplate="%{x}: %{y:.1f} (n = %{customdata})<extra></extra>"), row=r, col=c)
        if own is not None and area in own.index.get_level_values(0):
            mine = own.loc[area]
            fig.add_trace(go.Scatter(x=list(mine.index), y=list(mine), mode="lines+markers",
                                     line=dict(color=VERMILLION, dash="dot"), marker=dict(symbol="diamond"),
                                     name=escape(school), showlegend=not own_shown), row=r, col=c)
            own_shown = True
    fig.update_yaxes(range=[1, 5], gridcolor="#eee")
    fig.update_xaxes(tickangle=-30, tickfont=dict(size=9), categoryorder="array", categoryarray=rounds)
    fig.update_layout(plot_bgcolor="white")
    heading = title or t("net_trend_title", lang)
    if not fig.data:
        return empty_figure(heading, t("net_too_few_all", lang), height=320, width=width, lang=lang)
    text = ""
    if hidden:  # areas withheld: say which and why, under the title (the school's own line is still drawn)
        same = set(withheld_rounds)
        if len(same) == 1 and len(withheld_rounds) == len(areas) and 0 < len(withheld_rounds[0]) < len(rounds):
            what = t("net_rounds_all_areas", lang, rounds=", ".join(withheld_rounds[0]))  # one sentence, not eight
            text = t("net_withheld", lang, areas=what)
        elif all("(" not in h for h in hidden) and len(hidden) == len(areas):
            text = t("net_too_few_all", lang)
        else:
            text = t("net_withheld", lang, areas="; ".join(hidden))
    names = [tr.name for tr in fig.data if tr.showlegend]
    layout(fig, heading, height, width, lang, notes=[text], legend=names, left=50, top_extra=20, bottom=TICKS + 30)
    return fig


def network_scatter(areas: pd.DataFrame, *, highlight: str | None = None, school: str = "", lang: str = "nl",
                    title: str | None = None, height: int = 460, width: int | None = None,
                    min_n: int = MIN_GROUP) -> go.Figure:
    """Importance (x, 1-5) against investment per pupil (y) per school x area; medians per level."""
    data = areas.dropna(subset=["ambition", "invest_per_pupil"])
    fig = go.Figure()
    if data["key"].nunique() < min_n:
        return empty_figure(title or t("net_scatter_title", lang), t("net_too_few_all", lang), height=min(height, 320),
                            width=width, lang=lang)
    rng = np.random.default_rng(0)
    others = data[data["key"] != highlight]
    fig.add_trace(go.Scatter(x=list(others["ambition"] + rng.uniform(-0.18, 0.18, len(others))),
                             y=list(others["invest_per_pupil"]), mode="markers", name=t("net_others", lang),
                             marker=dict(color=BLUE, size=5, opacity=0.35), hoverinfo="skip"))
    med = data.groupby("ambition").agg(median=("invest_per_pupil", "median"), n=("key", "nunique"))
    med = med[med["n"] >= min_n]
    fig.add_trace(go.Scatter(x=list(med.index), y=list(med["median"]), mode="lines+markers", name=t("net_median", lang),
                             line=dict(color="#333", width=2), customdata=list(med["n"]),
                             hovertemplate="%{x}: € %{y:,.0f} (n = %{customdata})<extra></extra>"))
    if highlight is not None:
        own = data[data["key"] == highlight]
        fig.add_trace(go.Scatter(x=list(own["ambition"]), y=list(own["invest_per_pupil"]), mode="markers",
                                 name=escape(school), marker=dict(color=VERMILLION, symbol="diamond", size=11),
                                 text=list(own["area_id"]),
                                 hovertemplate="%{text}: € %{y:,.0f}<extra></extra>"))
    fig.update_layout(xaxis=dict(tickvals=[1, 2, 3, 4, 5], range=[0.5, 5.5]),
                      yaxis=dict(tickprefix="€ ", gridcolor="#eee", rangemode="tozero"), plot_bgcolor="white")
    top = float(data["invest_per_pupil"].max())
    ticks = label_width(["€ " + format_number(top, lang, 0)], 12)
    layout(fig, title or t("net_scatter_title", lang), height, width, lang, legend=[tr.name for tr in fig.data],
           left=ticks + 40, xtitle=t("ambition", lang), ytitle=t("net_axis_per_pupil", lang))
    return fig
