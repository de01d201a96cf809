"""Investment-proportion figures. All take ``compute(...).table`` (one row per area).

* :func:`quadrant` -- share of ambition (x) against share of investment (y), bubble = yearly cost
* :func:`investment_bars` -- time / money / resources in euros per area, raw units in the hover
* :func:`share_difference` -- share of investment minus share of ambition, in percentage points
* :func:`summary_figure` -- the three together with a table, one page for a board report
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from imworkbook.base.i18n import format_number, t
from imworkbook.base.numbers import format_euro
from imworkbook.figures.common import (escape, AXIS_TITLE, BLUE, GREEN, GREY, NOTE_SIZE, ORANGE, TICKS, VERMILLION,
                                       category_margin, empty_figure, frame_x, label_width, layout, legend_entry,
                                       wrap_label, wrap_text)
from imworkbook.figures.geometry import DEFAULT_WIDTH, Frame, chars_for, legend_height, subplot_frame, text_size
from imworkbook.figures.labels import LABEL_SIZE, place_labels

FLAG_COLOUR = {"onder": VERMILLION, "balans": GREEN, "over": BLUE, "onbekend": GREY}
FLAG_SYMBOL = {"onder": "triangle-down", "balans": "circle", "over": "triangle-up", "onbekend": "circle-open"}
FLAG_KEY = {"onder": "flag_onder", "balans": "flag_balans", "over": "flag_over", "onbekend": "flag_onbekend"}
PART_COLOUR = {"time": BLUE, "money": ORANGE, "resources": GREEN}
PART_KEY = {"time": "part_time", "money": "part_money", "resources": "part_resources"}


def _pct(v: float, lang: str) -> str:
    return format_number(v * 100, lang, 0) + "%"


def _hover(table: pd.DataFrame, lang: str) -> list[str]:
    out = []
    for r in table.itertuples():
        lines = [f"<b>{escape(r.area)}</b>", f"{t('flag_label', lang)}: {t(FLAG_KEY[r.flag], lang)}"]
        if r.flag != "onbekend":
            lines += [f"{t('share_invest', lang)}: {_pct(r.share_invest, lang)}",
                      f"{t('share_ambition', lang)}: {_pct(r.share_ambition, lang)} "
                      f"({t('ambition', lang)} {int(r.ambition)})",
                      f"{t('index', lang)}: {format_number(r.index, lang, 2)}"]
        eur = r.invest_eur if r.complete else r.known_eur
        lines.append(f"{t('per_year', lang)}: {format_euro(eur, lang)}"
                     + ("" if r.complete else f" ({t('incomplete', lang)})"))
        if r.invest_per_pupil == r.invest_per_pupil:
            lines.append(f"{t('per_pupil', lang)}: {format_euro(r.invest_per_pupil, lang)}")
        out.append("<br>".join(lines))
    return out


def _signed(value: float, lang: str) -> str:
    rounded = round(value)
    return ("+" if rounded > 0 else "") + format_number(abs(rounded) if rounded == 0 else rounded, lang, 0)


def _in_set(table: pd.DataFrame) -> pd.DataFrame:
    """The areas that are drawn: both shares known and a verdict (not "onbekend")."""
    return table[table["share_invest"].notna() & table["share_ambition"].notna() & (table["flag"] != "onbekend")]


def _quadrant_top(data: pd.DataFrame) -> float:
    return max([0.3, *data["share_invest"], *data["share_ambition"]]) * 100 * 1.15


def _sizes(data: pd.DataFrame) -> list[float]:
    """Marker diameters (px): area follows the yearly cost, at least 12 px."""
    biggest = float(data["invest_eur"].max()) if len(data) and data["invest_eur"].max() > 0 else 1.0
    return [max(12.0, 44.0 * math.sqrt(max(float(v), 0) / biggest)) if v == v else 12.0 for v in data["invest_eur"]]


def _quadrant_traces(data: pd.DataFrame, top: float, thresholds: tuple[float, float], lang: str) -> list:
    """Band ("in balans"), diagonal and the points per flag; every colour has its legend entry."""
    under, over = thresholds
    traces = [go.Scatter(x=[0, top, top, top / over, 0], y=[0, top * under, top, top, 0], fill="toself",
                         fillcolor="rgba(0,158,115,0.10)", line=dict(width=0), hoverinfo="skip",
                         name=t("balance_band", lang), mode="lines", legendrank=1100),
              go.Scatter(x=[0, top], y=[0, top], mode="lines", line=dict(color="#555", dash="dash", width=1.5),
                         name=t("diagonal", lang), hoverinfo="skip", legendrank=1101)]
    sizes = dict(zip(data.index, _sizes(data)))
    for flag in ("onder", "balans", "over"):
        part = data[data["flag"] == flag]
        if not len(part):
            continue
        traces.append(go.Scatter(
            x=list(part["share_ambition"] * 100), y=list(part["share_invest"] * 100), mode="markers",
            name=t(FLAG_KEY[flag], lang), text=[escape(s) for s in part["short"]],
            marker=dict(size=[sizes[i] for i in part.index], color=FLAG_COLOUR[flag], symbol=FLAG_SYMBOL[flag],
                        opacity=0.85, line=dict(color="white", width=1)),
            customdata=_hover(part, lang), hovertemplate="%{customdata}<extra></extra>"))
    return traces


def _quadrant_labels(data: pd.DataFrame, frame: Frame, xref: str = "x", yref: str = "y",
                     numbers: bool = False) -> tuple[list, list, bool]:
    """Annotations (labels), shapes (leader lines) and whether the labels are numbers (then a key is needed)."""
    placed = place_labels(frame, list(data["share_ambition"] * 100), list(data["share_invest"] * 100),
                          _sizes(data), [wrap_label(s, 14) for s in data["short"]],
                          lines=[escape(s) for s in data["short"]], numbers=numbers)
    annotations = [dict(text=p.text, name="label", x=p.x, y=p.y, xref=xref, yref=yref, xshift=p.xshift,
                        yshift=p.yshift, xanchor=p.xanchor, yanchor=p.yanchor, showarrow=False, align="left",
                        font=dict(size=LABEL_SIZE, color="#222"), bgcolor="rgba(255,255,255,0.75)")
                   for p in placed.labels]
    shapes = [dict(type="line", name="leader", xref=xref, yref=yref, x0=p.leader[0], y0=p.leader[1],
                   x1=p.leader[2], y1=p.leader[3], line=dict(color="#777", width=1))
              for p in placed.labels if p.leader]
    return annotations, shapes, placed.numbered


def _key(data: pd.DataFrame) -> str:
    return "   ".join(f"{i + 1}\u00a0{escape(s)}".replace(" ", "\u00a0") for i, s in enumerate(data["short"]))


def quadrant(table: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 480,
             width: int | None = None, thresholds: tuple[float, float] = (0.67, 1.5)) -> go.Figure:
    """Ambition (share of importance, x) against investment (share of yearly cost, y), per area.

    Points on the diagonal are exactly in proportion; the shaded band is "in balans"
    (``thresholds`` = (under, over) from the content). Bubble area = yearly cost;
    colour and symbol = flag. Areas without a complete investment are named above the chart.
    Labels keep clear of each other and of the markers (:func:`~.labels.place_labels`); when they
    cannot, the points get numbers and a key under the chart names them.
    """
    title = title or t("quadrant_title", lang)
    data = _in_set(table)
    if not len(data):
        return empty_figure(title, t("proportion_empty", lang), height=min(height, 320), width=width, lang=lang)
    left_out = table[~table.index.isin(data.index)]
    notes = [t("left_out", lang, areas=", ".join(left_out["short"]))] if len(left_out) else []
    top = _quadrant_top(data)
    axis = dict(range=[-top * 0.07, top], ticksuffix="%", gridcolor="#eee", zeroline=False)
    key_text, key_h = "", 0.0
    for _attempt in range(2):
        fig = go.Figure(_quadrant_traces(data, top, thresholds, lang))
        names = [tr.name for tr in fig.data]
        fig.update_layout(xaxis=axis, yaxis=axis, plot_bgcolor="white")
        layout(fig, title, height, width, lang, notes=notes, legend=names, bottom_extra=key_h,
               xtitle=t("axis_share_ambition", lang), ytitle=t("axis_share_invest", lang))
        annotations, shapes, numbered = _quadrant_labels(data, Frame.of(fig), numbers=bool(key_h))
        if not numbered or key_h:
            break
        frame = Frame.of(fig)
        key_text = wrap_text(_key(data), chars_for(frame.width - 24, NOTE_SIZE))
        key_h = text_size(key_text, NOTE_SIZE)[1] + 6
    fig.update_layout(annotations=[*fig.layout.annotations, *annotations], shapes=shapes)  # one update: faster
    if key_text:
        frame = Frame.of(fig)
        fig.add_annotation(text=key_text.replace("\u00a0", " "), name="key", showarrow=False, xref="paper", yref="paper",
                           x=frame_x(frame, 12), xanchor="left", y=frame.to_paper_y(frame.height - key_h - 2),
                           yanchor="top", align="left", font=dict(size=NOTE_SIZE, color="#222"))
    return fig


def investment_bars(table: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
                    width: int | None = None) -> go.Figure:
    """Stacked bars per area: time, money and resources in euros per year (raw units in the hover).

    Incomplete areas show what is known so far, marked "onvolledig"; the totals stand right of the bars.
    """
    title = title or t("bars_title", lang)
    if table["known_eur"].fillna(0).sum() <= 0:
        return empty_figure(title, t("investment_empty", lang), height=min(height, 320), width=width, lang=lang)
    fig = go.Figure()
    y = [wrap_label(s, 18) for s in table["short"]]
    raw = {
        "time": [f"{format_number(h, lang, 0)} {t('hours_unit', lang)}" if h == h else t("unknown", lang)
                 for h in table["hours"]],
        "money": [t("money_hover_total", lang, eur=format_euro(m, lang)) if m == m else
                  t("money_hover", lang, one=format_euro(o, lang), impl=format_euro(i, lang),
                    lic=format_euro(lc, lang), ext=format_euro(e, lang))
                  for m, o, i, lc, e in zip(table["in_money_per_year"], table["in_one_off_cost"],
                                            table["in_implementation_cost"], table["in_licence_per_year"],
                                            table["in_external_per_year"])],
        "resources": [t("levy_hover", lang, eur=format_euro(lv, lang)) if lv == lv else
                      f"{format_number(h, lang, 0)} {t('hours_unit', lang)}" if h == h else t("unknown", lang)
                      for h, lv in zip(table["in_support_hours"], table["levy_eur"])],
    }
    for part, col in (("time", "time_known_eur"), ("money", "money_known_eur"), ("resources", "resources_known_eur")):
        fig.add_trace(go.Bar(
            y=y, x=list(table[col].round(0)), orientation="h", name=t(PART_KEY[part], lang),
            marker=dict(color=PART_COLOUR[part]),
            customdata=[[escape(a), r, format_euro(v, lang)] for a, r, v in zip(table["area"], raw[part], table[col])],
            hovertemplate="<b>%{customdata[0]}</b><br>" + t(PART_KEY[part], lang)
                          + ": %{customdata[2]}<br>%{customdata[1]}<extra></extra>"))
    totals = ["\u00a0\u00a0" + format_euro(v, lang) + ("" if c else f" ({t('incomplete', lang)})")
              for v, c in zip(table["known_eur"], table["complete"])]
    fig.add_trace(go.Scatter(y=y, x=list(table["known_eur"]), mode="text", text=totals, textposition="middle right",
                             showlegend=False, hoverinfo="skip", textfont=dict(size=12), cliponaxis=False))
    left = category_margin(y)
    layout(fig, title, height, width, lang, legend=[t(PART_KEY[p], lang) for p in PART_KEY], left=left, right=24,
           xtitle=t("axis_eur_year", lang))
    # room right of the longest bar for its total: the x range ends where the widest total still fits
    frame = Frame.of(fig)
    top = max(1.0, *(v * frame.plot_w / max(frame.plot_w * 0.3, frame.plot_w - label_width([s], 12) - 16)
                     for v, s in zip(table["known_eur"].fillna(0), totals)))
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed", ticklabelstandoff=6), legend=dict(traceorder="normal"),
                      xaxis=dict(range=[0, top], tickprefix="€ ", tickformat=",.0f", gridcolor="#eee", nticks=6),
                      plot_bgcolor="white")
    return fig


def share_difference(table: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
                     width: int | None = None) -> go.Figure:
    """Diverging bars: share of investment minus share of ambition (percentage points), largest on top."""
    title = title or t("difference_title", lang)
    data = _in_set(table).assign(diff=lambda d: (d["share_invest"] - d["share_ambition"]) * 100)
    if not len(data):
        return empty_figure(title, t("proportion_empty", lang), height=min(height, 320), width=width, lang=lang)
    data = data.sort_values("diff", ascending=False)
    labels = [wrap_label(s, 18) for s in data["short"]]
    fig = go.Figure(go.Bar(
        y=labels, x=list(data["diff"].round(1)), orientation="h",
        marker=dict(color=[FLAG_COLOUR[f] for f in data["flag"]]),
        text=[_signed(d, lang) for d in data["diff"]], textposition="outside",
        cliponaxis=False, customdata=_hover(data, lang), hovertemplate="%{customdata}<extra></extra>",
        showlegend=False, name=t("axis_difference", lang)))
    flags = [f for f in ("onder", "balans", "over") if (data["flag"] == f).any()]
    for f in flags:  # the bars' colours are the flags of the quadrant
        fig.add_trace(legend_entry(t(FLAG_KEY[f], lang), FLAG_COLOUR[f], FLAG_SYMBOL[f]))
    reach = max([5.0, *data["diff"].abs()]) * 1.3
    left = category_margin(labels)
    # which way is which, above the plot on either side of the zero line (the middle): each in half the width
    half = chars_for(((width or DEFAULT_WIDTH) - left - 24) / 2 - 6, NOTE_SIZE)
    sides = [wrap_text(t("difference_left", lang), half), wrap_text(t("difference_right", lang), half)]
    above = max(text_size(text, NOTE_SIZE)[1] for text in sides) + 4
    layout(fig, title, height, width, lang, legend=[t(FLAG_KEY[f], lang) for f in flags], left=left,
           right=24, top_extra=above, xtitle=t("axis_difference", lang))
    fig.update_layout(xaxis=dict(range=[-reach, reach], zeroline=True,
                                 zerolinecolor="#333", gridcolor="#eee", ticksuffix=""),
                      yaxis=dict(autorange="reversed", ticklabelstandoff=6), plot_bgcolor="white",
                      legend=dict(traceorder="normal"))
    for text, anchor, shift, colour in ((sides[0], "right", -4, VERMILLION), (sides[1], "left", 4, BLUE)):
        fig.add_annotation(text=text, name="direction", x=0, xshift=shift, y=1.0, xref="x", yref="paper",
                           xanchor=anchor, yanchor="bottom", align=anchor, showarrow=False,
                           font=dict(size=NOTE_SIZE, color=colour))
    return fig


def summary_figure(table: pd.DataFrame, overall: dict, *, school: str, round: str, lang: str = "nl",
                   thresholds: tuple[float, float] = (0.67, 1.5)) -> go.Figure:
    """One page (A4 portrait proportions) for a board report: quadrant, difference, bars and a table.

    One legend under the headline for every colour; the quadrant's labels are placed for its own size."""
    width, height = 1060, 1600
    data = _in_set(table)
    diff = share_difference(table, lang=lang)
    bars = investment_bars(table, lang=lang)
    cats = [*(diff.data[0].y if len(data) else []), *(bars.data[0].y if bars.data else [])]
    left = max(80.0, category_margin(cats))
    gap = (category_margin(diff.data[0].y if len(data) else []) + 40) / (width - left - 30)
    fig = make_subplots(rows=3, cols=2, specs=[[{}, {}], [{"colspan": 2}, None], [{"type": "table", "colspan": 2}, None]],
                        row_heights=[0.32, 0.24, 0.44], vertical_spacing=0.085, horizontal_spacing=gap,
                        subplot_titles=[t("quadrant_title", lang), t("difference_title", lang),
                                        t("bars_title", lang), ""])
    names: list[str] = []
    top = _quadrant_top(data) if len(data) else 1.0
    if len(data):
        for trace in _quadrant_traces(data, top, thresholds, lang):
            fig.add_trace(trace, row=1, col=1)
            names.append(trace.name)
        for trace in diff.data:
            if trace.type == "bar":
                fig.add_trace(trace, row=1, col=2)
    for trace in bars.data:
        if trace.type in ("bar", "scatter") and trace.x is not None and trace.x[0] is not None:
            fig.add_trace(trace.update(showlegend=trace.type == "bar"), row=2, col=1)
            names += [trace.name] if trace.type == "bar" else []
    axis = dict(range=[-top * 0.07, top], ticksuffix="%", gridcolor="#eee", zeroline=False)
    fig.update_xaxes(axis, title=t("axis_share_ambition", lang), row=1, col=1)
    fig.update_yaxes(axis, title=t("axis_share_invest", lang), row=1, col=1)
    if len(data):
        fig.update_xaxes(diff.layout.xaxis.to_plotly_json(), row=1, col=2)
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=6, row=1, col=2)
    if bars.data:
        fig.update_xaxes(bars.layout.xaxis.to_plotly_json(), row=2, col=1)
    fig.update_yaxes(autorange="reversed", ticklabelstandoff=6, row=2, col=1)
    fig.update_layout(barmode="stack", plot_bgcolor="white")
    rows = table.assign(flag_text=[t(FLAG_KEY[f], lang) for f in table["flag"]])
    fig.add_trace(go.Table(
        columnwidth=[1.1, 0.5, 0.6, 0.45, 0.85, 2.95],
        header=dict(values=[t("col_area", lang), t("ambition", lang), t("per_year", lang), t("index", lang),
                            t("flag_label", lang), t("explanation", lang)],
                    fill_color="#e8eef3", align="left", font=dict(size=11)),
        cells=dict(values=[list(rows["short"]), [format_number(a, lang, 0) for a in rows["ambition"]],
                           [format_euro(v, lang) for v in rows["invest_eur"]],
                           [format_number(v, lang, 2) for v in rows["index"]], list(rows["flag_text"]),
                           list(rows["explanation"])],
                   align="left", font=dict(size=10), height=22)), row=3, col=1)
    headline = t("summary_headline", lang, school=escape(school), round=escape(round),
                 index=format_number(overall.get("index", math.nan), lang, 2),
                 eur=format_euro(overall.get("invest_eur"), lang),
                 pp=format_euro(overall.get("invest_per_pupil"), lang))
    leg_h = legend_height(names, width - 20)
    layout(fig, headline, height, width, lang, left=left, right=30, top_extra=leg_h + 28, bottom=20)
    whole = Frame.of(fig)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", x=frame_x(whole, 8), xanchor="left",
                                                   y=1 + (leg_h + 26) / whole.plot_h, yanchor="top",
                                                   traceorder="normal"))
    if not len(data):  # the two charts of the shares: one sentence instead of empty axes
        fig.update_xaxes(visible=False, row=1, col=1)
        fig.update_yaxes(visible=False, row=1, col=1)
        fig.update_xaxes(visible=False, row=1, col=2)
        fig.update_yaxes(visible=False, row=1, col=2)
        dom = fig.layout.yaxis.domain
        fig.add_annotation(text=wrap_text(t("proportion_empty", lang), 60), name="empty", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=(dom[0] + dom[1]) / 2, font=dict(size=15, color="#444"))
    else:
        frame = subplot_frame(fig)
        annotations, shapes, numbered = _quadrant_labels(data, frame)
        fig.update_layout(annotations=[*fig.layout.annotations, *annotations], shapes=[*fig.layout.shapes, *shapes])
        if numbered:  # the key under the quadrant's axis title
            key = wrap_text(_key(data), chars_for(frame.plot_w + 60, NOTE_SIZE)).replace("\u00a0", " ")
            fig.add_annotation(text=key, name="key", showarrow=False, xref="paper", yref="paper",
                               x=frame_x(whole, frame.l - 60), xanchor="left",
                               y=whole.to_paper_y(whole.height - frame.b + TICKS + AXIS_TITLE + 4), yanchor="top",
                               align="left", font=dict(size=NOTE_SIZE, color="#222"))
    if not bars.data:
        fig.update_xaxes(visible=False, row=2, col=1)
        fig.update_yaxes(visible=False, row=2, col=1)
        dom = fig.layout.yaxis3.domain
        fig.add_annotation(text=t("investment_empty", lang), name="empty", showarrow=False, xref="paper",
                           yref="paper", x=0.5, y=(dom[0] + dom[1]) / 2, font=dict(size=15, color="#444"))
    return fig
