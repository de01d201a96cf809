"""Investment-proportion figures. All take ``compute(...).table`` (one row per area).

* :func:`quadrant` -- share of ambition (x) against share of investment (y), bubble = yearly cost
* :func:`investment_bars` -- time / money / resources in euros per area, raw units in the hover
* :func:`share_difference` -- share of investment minus share of ambition, in percentage points
* :func:`summary_figure` -- the three together with a table, one page for a board report
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..i18n import format_number, t
from ..numbers import format_euro
from .common import BLUE, GREEN, GREY, ORANGE, VERMILLION, layout, show_empty, wrap_label

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


def _label_positions(x: list[float], y: list[float]) -> list[str]:
    """Spread the labels of points that lie close together over above/below/right/left."""
    spots = ["top center", "bottom center", "middle right", "middle left"]
    order = sorted(range(len(x)), key=lambda i: (round(x[i] / 3), y[i]))
    out = ["top center"] * len(x)
    for rank, i in enumerate(order):
        out[i] = spots[rank % len(spots)]
    return out


def _in_set(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["share_invest"].notna() & table["share_ambition"].notna()]


def quadrant(table: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 480,
             width: int | None = None, thresholds: tuple[float, float] = (0.67, 1.5)) -> go.Figure:
    """Ambition (share of importance, x) against investment (share of yearly cost, y), per area.

    Points on the diagonal are exactly in proportion; the shaded band is "in balans"
    (``thresholds`` = (under, over) from the content). Bubble area = yearly cost;
    colour and symbol = flag. Areas without a complete investment are named below the chart.
    """
    data = _in_set(table)
    fig = go.Figure()
    top = max([0.3, *data["share_invest"], *data["share_ambition"]]) * 100 * 1.15
    under, over = thresholds
    # the "in balans" band between the lines y = under * x and y = over * x
    fig.add_trace(go.Scatter(x=[0, top, top, top / over, 0], y=[0, top * under, top, top, 0], fill="toself",
                             fillcolor="rgba(0,158,115,0.10)", line=dict(width=0), hoverinfo="skip",
                             name=t("balance_band", lang), showlegend=False, mode="lines"))
    fig.add_trace(go.Scatter(x=[0, top], y=[0, top], mode="lines", line=dict(color="#555", dash="dash", width=1.5),
                             name=t("diagonal", lang), hoverinfo="skip", showlegend=False))
    fig.add_annotation(x=top * 0.97, y=top * 0.97, text=t("diagonal", lang), showarrow=False, xanchor="right",
                       yanchor="bottom", textangle=0, font=dict(size=10, color="#555"))
    biggest = float(data["invest_eur"].max()) if len(data) and data["invest_eur"].max() > 0 else 1.0
    positions = dict(zip(data.index, _label_positions(list(data["share_ambition"] * 100),
                                                      list(data["share_invest"] * 100))))
    for flag in ("onder", "balans", "over"):
        part = data[data["flag"] == flag]
        if not len(part):
            continue
        sizes = [max(10.0, 46.0 * math.sqrt(max(v, 0) / biggest)) for v in part["invest_eur"]]
        fig.add_trace(go.Scatter(
            x=list(part["share_ambition"] * 100), y=list(part["share_invest"] * 100), mode="markers+text",
            name=t(FLAG_KEY[flag], lang), text=[wrap_label(s, 14) for s in part["short"]],
            textposition=[positions[i] for i in part.index], textfont=dict(size=11),
            marker=dict(size=sizes, color=FLAG_COLOUR[flag], symbol=FLAG_SYMBOL[flag], opacity=0.85,
                        line=dict(color="white", width=1)),
            customdata=_hover(part, lang), hovertemplate="%{customdata}<extra></extra>"))
    axis = dict(range=[-top * 0.07, top], ticksuffix="%", gridcolor="#eee", zeroline=False)
    fig.update_layout(xaxis=dict(title=t("axis_share_ambition", lang), **axis),
                      yaxis=dict(title=t("axis_share_invest", lang), **axis), plot_bgcolor="white")
    layout(fig, title or t("quadrant_title", lang), height, width, lang)
    fig.update_layout(legend=dict(y=-0.2, yanchor="top"), margin=dict(b=90))
    left_out = table[table["share_invest"].isna() | table["share_ambition"].isna()]
    if not len(data):
        show_empty(fig, t("proportion_empty", lang))
    elif len(left_out):
        fig.add_annotation(text=t("left_out", lang, areas=", ".join(escape(s) for s in left_out["short"])),
                           showarrow=False, xref="paper", yref="paper", x=0, y=1.02, xanchor="left",
                           font=dict(size=11, color="#555"))
    return fig


def investment_bars(table: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
                    width: int | None = None) -> go.Figure:
    """Stacked bars per area: time, money and resources in euros per year (raw units in the hover).

    Incomplete areas show what is known so far, marked "onvolledig".
    """
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
    totals = [format_euro(v, lang) + ("" if c else f" ({t('incomplete', lang)})")
              for v, c in zip(table["known_eur"], table["complete"])]
    fig.add_trace(go.Scatter(y=y, x=list(table["known_eur"]), mode="text", text=totals, textposition="middle right",
                             showlegend=False, hoverinfo="skip"))
    top = max([1.0, *table["known_eur"]]) * 1.35
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed"), legend=dict(traceorder="normal"),
                      xaxis=dict(title=t("axis_eur_year", lang), range=[0, top], tickprefix="€ ", tickformat=",.0f",
                                 gridcolor="#eee"),
                      plot_bgcolor="white")
    layout(fig, title or t("bars_title", lang), height, width, lang)
    fig.update_layout(legend=dict(y=-0.18, yanchor="top"), margin=dict(b=90))
    if table["known_eur"].fillna(0).sum() == 0:
        show_empty(fig, t("investment_empty", lang))
    return fig


def share_difference(table: pd.DataFrame, *, lang: str = "nl", title: str | None = None, height: int = 460,
                     width: int | None = None) -> go.Figure:
    """Diverging bars: share of investment minus share of ambition (percentage points), largest on top."""
    data = _in_set(table).assign(diff=lambda d: (d["share_invest"] - d["share_ambition"]) * 100)
    data = data.sort_values("diff", ascending=False)
    fig = go.Figure(go.Bar(
        y=[wrap_label(s, 18) for s in data["short"]], x=list(data["diff"].round(1)), orientation="h",
        marker=dict(color=[FLAG_COLOUR[f] for f in data["flag"]]),
        text=[_signed(d, lang) for d in data["diff"]], textposition="outside",
        cliponaxis=False, customdata=_hover(data, lang), hovertemplate="%{customdata}<extra></extra>",
        showlegend=False))
    reach = max([5.0, *data["diff"].abs()]) * 1.3
    fig.update_layout(xaxis=dict(title=t("axis_difference", lang), range=[-reach, reach], zeroline=True,
                                 zerolinecolor="#333", gridcolor="#eee", ticksuffix=""),
                      yaxis=dict(autorange="reversed"), plot_bgcolor="white")
    layout(fig, title or t("difference_title", lang), height, width, lang)
    fig.add_annotation(text=t("difference_left", lang), x=0, y=1.0, xref="paper", yref="paper", xanchor="left",
                       yanchor="bottom", showarrow=False, font=dict(size=11, color=VERMILLION))
    fig.add_annotation(text=t("difference_right", lang), x=1, y=1.0, xref="paper", yref="paper", xanchor="right",
                       yanchor="bottom", showarrow=False, font=dict(size=11, color=BLUE))
    if not len(data):
        show_empty(fig, t("proportion_empty", lang))
    return fig


def summary_figure(table: pd.DataFrame, overall: dict, *, school: str, round: str, lang: str = "nl",
                   thresholds: tuple[float, float] = (0.67, 1.5)) -> go.Figure:
    """One page (A4 portrait proportions) for a board report: quadrant, difference, bars and a table."""
    parts = [quadrant(table, lang=lang, thresholds=thresholds), share_difference(table, lang=lang),
             investment_bars(table, lang=lang)]
    fig = make_subplots(rows=3, cols=2, specs=[[{}, {}], [{"colspan": 2}, None], [{"type": "table", "colspan": 2}, None]],
                        row_heights=[0.30, 0.25, 0.45], vertical_spacing=0.07, horizontal_spacing=0.14,
                        subplot_titles=[t("quadrant_title", lang), t("difference_title", lang),
                                        t("bars_title", lang), ""])
    for trace in parts[0].data:
        fig.add_trace(trace.update(showlegend=False), row=1, col=1)
    for trace in parts[1].data:
        fig.add_trace(trace, row=1, col=2)
    for trace in parts[2].data:
        fig.add_trace(trace.update(showlegend=trace.type == "bar"), row=2, col=1)
    fig.update_xaxes(parts[0].layout.xaxis.to_plotly_json(), row=1, col=1)
    fig.update_yaxes(parts[0].layout.yaxis.to_plotly_json(), row=1, col=1)
    fig.update_xaxes(parts[1].layout.xaxis.to_plotly_json(), row=1, col=2)
    fig.update_yaxes(autorange="reversed", row=1, col=2)
    fig.update_xaxes(parts[2].layout.xaxis.to_plotly_json(), row=2, col=1)
    fig.update_yaxes(autorange="reversed", row=2, col=1)
    fig.update_layout(barmode="stack")
    rows = table.assign(flag_text=[t(FLAG_KEY[f], lang) for f in table["flag"]])
    fig.add_trace(go.Table(
        columnwidth=[1.1, 0.5, 0.6, 0.45, 0.6, 3.2],
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
    layout(fig, headline, 1600, 1060, lang)
    fig.update_layout(legend=dict(orientation="v", y=0.66, x=0.99, xanchor="right", yanchor="top",
                                  traceorder="normal", bgcolor="rgba(255,255,255,0.8)"),
                      plot_bgcolor="white", margin=dict(t=110))
    return fig
