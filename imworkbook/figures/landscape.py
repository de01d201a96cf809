"""Figures of the application landscape (pure: data in, ``go.Figure`` out)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from imworkbook.analysis.landscape import TIME_KEYS
from imworkbook.base.i18n import format_number, t
from imworkbook.base.numbers import format_euro
from imworkbook.model.content import LandscapeReference, TimeSettings
from imworkbook.figures.common import (escape, BLUE, GREEN, GREY, NOTE_SIZE, ORANGE, VERMILLION, category_margin,
                                       empty_figure, frame_x, label_width, layout, legend_entry, wrap_label,
                                       wrap_text)
from imworkbook.figures.geometry import DEFAULT_WIDTH, Frame, annotation_box, chars_for, text_size
from imworkbook.figures.labels import LABEL_SIZE, place_labels

REVIEW = "#666666"  # dark grey: a middling score, no colour of one of the four suggestions
TIME_STYLE = {"invest": (GREEN, "circle"), "migrate": (ORANGE, "triangle-up"), "tolerate": (BLUE, "square"),
              "eliminate": (VERMILLION, "x"), "review": (REVIEW, "diamond"), "onbekend": (GREY, "circle-open")}


def coverage_heatmap(matrix: pd.DataFrame, ref: LandscapeReference, *,
                     lang: str = "nl", width: int | None = None) -> go.Figure:
    """Activities (rows, grouped by area) x applications: which application supports which activity.
    Rows without any application (gaps) are marked in the labels; more than one (overlap) too.
    Each area has a row of its own for its name, above its activities (not on the row of another area)."""
    title = t("land_coverage_title", lang)
    if matrix.shape[1] == 0:
        return empty_figure(title, t("land_empty", lang), width=width, lang=lang)
    support = matrix.sum(axis=1)
    z = matrix.astype(int)
    labels, rows, hover, headers = [], [], [], []
    apps = list(matrix.columns)
    for area in ref.areas:
        acts = [act for act in matrix.index if ref.area_of(act) == area.id]
        if not acts:
            continue
        headers.append(len(labels))
        labels.append(f"<b>{escape(area.label(lang))}</b>")
        rows.append([None] * len(apps))
        hover.append([""] * len(apps))
        for act in acts:
            n = support[act]
            mark = " ✕" if n == 0 else f" ({int(n)}×)" if n > 1 else ""
            labels.append(escape(ref.label("activity", act, lang)) + mark)
            rows.append([int(v) for v in z.loc[act]])
            hover.append([t("land_hover_yes" if z.loc[act, app] else "land_hover_no", lang, app=escape(app),
                            activity=escape(ref.label("activity", act, lang))) for app in apps])
    columns = [wrap_label(c, 14) for c in apps]
    fig = go.Figure(go.Heatmap(z=rows, x=columns, y=labels, zmin=0, zmax=1, colorscale=[[0, "#f2f2f2"], [1, BLUE]],
                               showscale=False, xgap=2, ygap=2, hovertext=hover, hoverinfo="text", hoverongaps=False))
    fig.add_trace(legend_entry(t("land_coverage_yes", lang), BLUE))
    fig.add_trace(legend_entry(t("land_coverage_no", lang), "#f2f2f2"))
    # the application names on top, at -35 degrees: as high as their longest line is long (sin 35 = 0.57)
    tops = max(label_width(columns, 11) * 0.57 + 2 * 14 * 0.82, 30)
    height = 170 + 24 * len(labels) + tops
    fig.update_layout(yaxis=dict(autorange="reversed", tickfont=dict(size=11), ticklabelstandoff=4),
                      xaxis=dict(side="top", tickangle=-35, tickfont=dict(size=11)), plot_bgcolor="white")
    # the last name leans out to the right of its column (cos 35 = 0.82): room for it in the right margin
    left = category_margin(labels, 11)
    column = ((width or DEFAULT_WIDTH) - left - 20) / len(apps)
    right = max(20.0, label_width([columns[-1]], 11) * 0.82 - column / 2 + 12)
    layout(fig, title, height, width, lang, notes=[t("land_coverage_legend", lang)],
           legend=[t("land_coverage_yes", lang), t("land_coverage_no", lang)],
           left=left, right=right, top_extra=tops, bottom=8)
    for i in headers[1:]:  # a thin line between the areas
        fig.add_hline(y=i - 0.5, line=dict(color="#666", width=1))
    return fig


def middle_scores(rule: TimeSettings, lang: str) -> str:
    """The middling fits of the rule in words: "3", "2 en 3" / "2 and 3", "2 t/m 4" / "2 to 4"."""
    first, last = rule.low_to + 1, rule.high_from - 1
    if first == last:
        return format_number(first, lang, decimals=0)
    return t("land_time_range" if last - first > 1 else "land_time_pair", lang, first=format_number(first, lang, decimals=0),
             last=format_number(last, lang, decimals=0))


def time_quadrant(inventory: pd.DataFrame, *, rule: TimeSettings | None = None, lang: str = "nl",
                  width: int | None = None, height: int = 540) -> go.Figure:
    """Business fit (x) against technical fit (y) per application, coloured by the TIME suggestion.

    The names of the four zones sit in the plot's corners; the middle band of the content's rule (fits above
    ``low_to`` and below ``high_from``) is a grey cross, explained in a note above the plot (no name in the plot: stacked
    markers can reach any spot of it), so a middling application is not drawn in one of the four. Application names are placed clear of each other and of the markers
    (:func:`~.labels.place_labels`; numbers and a key when they cannot be)."""
    title = t("land_time_title", lang)
    known = inventory.dropna(subset=["business_fit", "technical_fit"])
    if not len(known):
        return empty_figure(title, t("land_time_empty", lang), width=width, lang=lang)
    rule = rule or TimeSettings()
    fig = go.Figure()
    low, high = rule.low_to + 0.5, rule.high_from - 0.5  # edges of the low and the high zone
    corners = {"tolerate": (0.5, low, high, 5.5, 0.5, 5.5, "left", "top"),
               "invest": (high, 5.9, high, 5.5, 5.9, 5.5, "right", "top"),
               "eliminate": (0.5, low, 0.5, low, 0.5, 0.5, "left", "bottom"),
               "migrate": (high, 5.9, 0.5, low, 5.9, 0.5, "right", "bottom")}
    for label, (x0, x1, y0, y1, cx, cy, xa, ya) in corners.items():
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(width=0),
                      fillcolor=TIME_STYLE[label][0], opacity=0.07, layer="below")
        fig.add_annotation(text=f"<b>{t(TIME_KEYS[label], lang)}</b>", name="zone", x=cx, y=cy, xanchor=xa, yanchor=ya,
                           xshift=4 if xa == "left" else -4, yshift=-3 if ya == "top" else 3, showarrow=False,
                           font=dict(color=TIME_STYLE[label][0], size=13))
    if rule.has_middle:  # the middle band: a cross of three rectangles that do not overlap (one even shade)
        for x0, x1, y0, y1 in ((low, high, 0.5, 5.5), (0.5, low, low, high), (high, 5.9, low, high)):
            fig.add_shape(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, line=dict(width=0), fillcolor=REVIEW,
                          opacity=0.10, layer="below")
    # several applications on one point: spread them a little, towards the middle (away from the zone names in
    # the corners); one label names them all
    offsets = known.groupby(["business_fit", "technical_fit"]).cumcount()
    inward_x = known["business_fit"].map(lambda v: 1 if v <= 3 else -1)
    inward_y = known["technical_fit"].map(lambda v: 1 if v <= 3 else -1)
    placed = known.assign(_off=offsets, _x=known["business_fit"] + offsets * 0.12 * inward_x,
                          _y=known["technical_fit"] + offsets * 0.12 * inward_y)
    for label, part in placed.groupby("time", sort=False):
        colour, symbol = TIME_STYLE.get(label, TIME_STYLE["onbekend"])
        fig.add_trace(go.Scatter(
            x=list(part["_x"]), y=list(part["_y"]), mode="markers", name=t(TIME_KEYS[label], lang),
            text=[escape(n) for n in part["name"]],
            marker=dict(size=14, color=colour, symbol=symbol, line=dict(width=1, color="white")),
            customdata=[format_euro(c, lang) for c in part["cost_per_year"]],
            hovertemplate="%{text}<br>" + t("land_axis_business", lang) + ": %{x:.0f}<br>"
                          + t("land_axis_technical", lang) + ": %{y:.0f}<br>%{customdata}" + t("per_year_suffix", lang)
                          + "<extra></extra>"))
    missing = inventory[inventory["business_fit"].isna() | inventory["technical_fit"].isna()]
    notes = [t("land_time_missing", lang, apps=", ".join(missing["name"]))] if len(missing) else []
    if rule.has_middle:  # the note explains the band; the figure grows by its lines, so the plot keeps its size
        notes.append(t("land_time_band", lang, middle=middle_scores(rule, lang)))
        height += round(text_size(wrap_text(notes[-1], chars_for((width or DEFAULT_WIDTH) - 24, NOTE_SIZE)),
                                  NOTE_SIZE)[1])
    fig.update_layout(xaxis=dict(range=[0.5, 5.9], dtick=1, gridcolor="#eee", zeroline=False),
                      yaxis=dict(range=[0.5, 5.5], dtick=1, gridcolor="#eee", zeroline=False), plot_bgcolor="white")
    names = [tr.name for tr in fig.data]
    key_h, key_text = 0.0, ""
    for _attempt in range(2):
        fig.layout.annotations = [a for a in fig.layout.annotations if a.name == "zone"]
        layout(fig, title, height, width, lang, notes=notes, legend=names, left=64, bottom_extra=key_h,
               xtitle=t("land_axis_business", lang), ytitle=t("land_axis_technical", lang))
        frame = Frame.of(fig)
        zones = [annotation_box(a, frame) for a in fig.layout.annotations if a.name == "zone"]
        order = [tr for tr in fig.data]
        xs = [x for tr in order for x in tr.x]
        ys = [y for tr in order for y in tr.y]
        texts = [n for tr in order for n in tr.text]
        result = place_labels(frame, xs, ys, [14] * len(xs), [wrap_label(html.unescape(n), 14) for n in texts],
                              zones, lines=texts, numbers=bool(key_h))
        if not result.numbered or key_h:
            break
        key_text = wrap_text("   ".join(f"{i + 1}\u00a0{n}".replace(" ", "\u00a0") for i, n in enumerate(texts)),
                             chars_for(frame.width - 24, NOTE_SIZE)).replace("\u00a0", " ")
        key_h = text_size(key_text, NOTE_SIZE)[1] + 6
    for p in result.labels:
        fig.add_annotation(text=p.text, name="label", x=p.x, y=p.y, xshift=p.xshift, yshift=p.yshift,
                           xanchor=p.xanchor, yanchor=p.yanchor, showarrow=False, align="left",
                           font=dict(size=LABEL_SIZE, color="#222"), bgcolor="rgba(255,255,255,0.75)")
        if p.leader:
            fig.add_shape(type="line", name="leader", x0=p.leader[0], y0=p.leader[1], x1=p.leader[2], y1=p.leader[3],
                          line=dict(color="#777", width=1))
    if key_text:
        frame = Frame.of(fig)
        fig.add_annotation(text=key_text, name="key", showarrow=False, xref="paper", yref="paper",
                           x=frame_x(frame, 12), xanchor="left", y=frame.to_paper_y(frame.height - key_h - 2),
                           yanchor="top", align="left", font=dict(size=NOTE_SIZE, color="#222"))
    return fig


def cost_per_area(cost: pd.DataFrame, ref: LandscapeReference, *, lang: str = "nl", width: int | None = None) -> go.Figure:
    """Known yearly cost of the applications per activity area (hover: applications with unknown cost)."""
    title = t("land_cost_title", lang)
    if not cost["cost_per_year"].fillna(0).any():
        return empty_figure(title, t("land_empty", lang), width=width, lang=lang)
    labels = [wrap_label(ref.label("area", a, lang), 18) for a in cost.index]
    texts = ["\u00a0" + format_euro(v, lang) for v in cost["cost_per_year"]]
    fig = go.Figure(go.Bar(
        y=labels, x=cost["cost_per_year"], orientation="h", marker_color=BLUE, name=t("land_cost_axis", lang),
        text=texts, textposition="outside", cliponaxis=False, showlegend=False,
        customdata=[[int(n), ", ".join(u) or "–"] for n, u in zip(cost["applications"], cost["unknown_cost"])],
        hovertemplate="%{y}<br>%{text}" + t("per_year_suffix", lang) + "<br>" + t("land_hover_apps", lang)
                      + ": %{customdata[0]}<br>" + t("land_hover_unknown_cost", lang) + ": %{customdata[1]}<extra></extra>"))
    layout(fig, title, 420, width, lang, left=category_margin(labels), right=20, xtitle=t("land_cost_axis", lang))
    frame = Frame.of(fig)
    top = max(1.0, *(v * frame.plot_w / max(frame.plot_w * 0.3, frame.plot_w - label_width([s], 13) - 10)
                     for v, s in zip(cost["cost_per_year"].fillna(0), texts)))
    fig.update_layout(yaxis=dict(autorange="reversed", ticklabelstandoff=6),
                      xaxis=dict(range=[0, top], gridcolor="#eee", tickprefix="€ ", tickformat=",.0f", nticks=5),
                      plot_bgcolor="white")
    return fig


def network_types(frames: dict, ref: LandscapeReference, *, lang: str = "nl", width: int | None = None) -> go.Figure:
    """Facilitator: the share of schools that use each system type, and how often data is registered twice."""
    n = int(frames["n"]["schools"].iloc[0])
    title = t("land_net_title", lang, n=n)
    if frames["types"].empty:
        return empty_figure(title, t("land_net_too_few", lang, n=n), width=width, lang=lang)
    fig = go.Figure()
    types = frames["types"]
    names = [t("land_net_types", lang)]
    fig.add_trace(go.Bar(y=[wrap_label(ref.label("type", x, lang), 30) for x in types["type"]], x=types["share"] * 100,
                         orientation="h", name=names[0], marker_color=BLUE,
                         text=["\u00a0" + format_number(v * 100, lang, 0) + "%" for v in types["share"]],
                         textposition="outside", cliponaxis=False, customdata=types["schools"],
                         hovertemplate="%{y}: %{customdata} " + t("land_net_schools", lang) + "<extra></extra>"))
    twice = frames["register_once"]
    if len(twice):
        names.append(t("land_net_register_once", lang))
        fig.add_trace(go.Bar(y=[wrap_label(t("land_net_twice", lang, object=ref.label("object", x, lang)), 30)
                                for x in twice["object"]],
                             x=twice["share"] * 100, orientation="h", name=names[1],
                             marker_color=VERMILLION,
                             text=["\u00a0" + format_number(v * 100, lang, 0) + "%" for v in twice["share"]],
                             textposition="outside", cliponaxis=False, customdata=twice["schools"],
                             hovertemplate="%{y}: %{customdata} " + t("land_net_schools", lang) + "<extra></extra>"))
    labels = [y for tr in fig.data for y in tr.y]
    layout(fig, title, 190 + (32 if any("<br>" in y for y in labels) else 24) * len(labels), width, lang, legend=names, left=category_margin(labels), right=20,
           xtitle=t("land_net_axis", lang))
    fig.update_layout(yaxis=dict(autorange="reversed", ticklabelstandoff=6),
                      xaxis=dict(range=[0, 115], tickvals=[0, 25, 50, 75, 100], gridcolor="#eee"),
                      plot_bgcolor="white", barmode="overlay")
    return fig
