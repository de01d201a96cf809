"""Shared look of all figures: colour-blind-safe colours, fonts, layout, notes, legends, the empty state.

The layout is computed in the figure's own pixels (:mod:`.geometry`): the title and notes get the top
margin they need, the legend sits below the axis title with the bottom margin it needs, so nothing a
figure writes lands on the plot or on another text, in Dutch or in English.
"""

from __future__ import annotations

import textwrap
import html
from typing import Iterable

import plotly.graph_objects as go

from imworkbook.figures.geometry import (DEFAULT_HEIGHT, DEFAULT_WIDTH, LINE_H, Frame, chars_for, legend_height,
                                         text_size)

# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
GREY = "#999999"
FONT_SIZE = 13
FONT = dict(family="Segoe UI, Helvetica, Arial, sans-serif", size=FONT_SIZE)
TITLE_SIZE = 16
NOTE_SIZE = 11
EMPTY_SIZE = 15
TICKS = 22  # px under the plot for a row of tick labels
AXIS_TITLE = 26  # px for an axis title
AXIS_TITLE_SIZE = 14


def escape(text: str) -> str:
    """Text for plotly's labels (they read a little HTML): ``<`` ``>`` ``&`` escaped; quotes stay as they are,
    since plotly writes ``&quot;`` and ``&#x27;`` literally."""
    return html.escape(text, quote=False)


def wrap_label(label: str, width: int = 12) -> str:
    """Break a long chart label into two lines at the space nearest its middle (plotly ``<br>``)."""
    if len(label) <= width or " " not in label:
        return escape(label)
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return escape(label[:cut]) + "<br>" + escape(label[cut + 1:])


def wrap_text(text: str, width: int = 60) -> str:
    """Plotly does not wrap text: break ``text`` into lines of at most ``width`` characters (``<br>``)."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False)) or text


def label_width(labels: Iterable[str], size: float = FONT_SIZE) -> float:
    """Width (px) of the widest of these (plotly) labels: for a margin that fits the longest one."""
    return max((text_size(str(label), size)[0] for label in labels), default=0.0)


def _titled(title: str, width: float) -> str:
    return "<br>".join(wrap_text(line, chars_for(width - 24, TITLE_SIZE)) for line in title.split("<br>"))


def layout(fig: go.Figure, title: str, height: int, width: int | None, lang: str, *, notes: Iterable[str] = (),
           legend: Iterable[str] | None = None, left: float = 70, right: float = 24, top_extra: float = 0,
           bottom: float = TICKS + AXIS_TITLE, bottom_extra: float = 0, xtitle: str | None = None,
           ytitle: str | None = None) -> go.Figure:
    """Title (wrapped to the width), fonts, margins and separators of a figure; ``notes`` under the title
    (outside the plot area), ``legend`` (the names in it) horizontal under the x-axis title.

    ``left``/``right``: px for what is beside the plot (tick labels, axis title); ``bottom``: px for what is
    under it before the legend (ticks and axis title); ``top_extra``: px above the plot for more than the
    title and notes (ticks on top); ``bottom_extra``: px under the legend (a key). ``xtitle``/``ytitle``: axis
    titles, wrapped to the plot's width/height (the bottom margin grows by the lines the x title needs beyond one)."""
    w, h = width or DEFAULT_WIDTH, height or DEFAULT_HEIGHT
    if xtitle:
        xtitle = wrap_text(xtitle, chars_for(w - left - right, AXIS_TITLE_SIZE))
        bottom += xtitle.count("<br>") * LINE_H * AXIS_TITLE_SIZE
    title = _titled(title, w)
    title_h = text_size(title, TITLE_SIZE)[1]
    notes = [wrap_text(n, chars_for(w * 0.98 - 16, NOTE_SIZE)) for n in notes if n]
    notes_h = sum(text_size(n, NOTE_SIZE)[1] + 4 for n in notes)
    top = 12 + title_h + 10 + notes_h + top_extra + (6 if notes else 0)
    names = list(legend or [])
    leg_h = legend_height(names, w - 20) if names else 0
    b = bottom + leg_h + bottom_extra + 8
    # plotly draws a title of more than one line about 11 px higher than its yanchor says (measured in Chromium)
    title_y = 12 + (11 if "<br>" in title else 0)
    fig.update_layout(title=dict(text=title, x=0.02, xanchor="left", xref="container", y=1 - title_y / h,
                                 yanchor="top", yref="container", font=dict(size=TITLE_SIZE)),
                      font=FONT, height=h, width=width, paper_bgcolor="white",
                      margin=dict(l=left, r=right, t=top, b=b, autoexpand=False),
                      separators=",." if lang == "nl" else ".,", showlegend=bool(names))
    frame = Frame(w, h, left, right, top, b)
    if xtitle:
        fig.update_xaxes(title=dict(text=xtitle, font=dict(size=AXIS_TITLE_SIZE), standoff=8))
    if ytitle:
        ytitle = wrap_text(ytitle, chars_for(frame.plot_h, AXIS_TITLE_SIZE))
        fig.update_yaxes(title=dict(text=ytitle, font=dict(size=AXIS_TITLE_SIZE), standoff=8))
    if names:
        fig.update_layout(legend=dict(orientation="h", x=frame_x(frame, 8), xanchor="left", yanchor="top",
                                      y=-(bottom + 4) / frame.plot_h, font=dict(size=FONT_SIZE)))
    y = 12 + title_h + 8
    for note in notes:
        fig.add_annotation(text=note, name="note", showarrow=False, xref="paper", yref="paper",
                           x=frame_x(frame, 0.02 * w), xanchor="left", y=frame.to_paper_y(y), yanchor="top",
                           align="left", font=dict(size=NOTE_SIZE, color="#444"))
        y += text_size(note, NOTE_SIZE)[1] + 4
    return fig


def frame_x(frame: Frame, px: float) -> float:
    """Pixels from the figure's left edge as plotly "paper" x (0-1 over the plot area)."""
    return (px - frame.l) / frame.plot_w


def empty_figure(title: str, text: str, *, height: int = 300, width: int | None = None,
                 lang: str = "nl") -> go.Figure:
    """The one empty state of every chart: its title and one sentence (what to do), no axes, no plot."""
    fig = go.Figure()
    w = width or DEFAULT_WIDTH
    layout(fig, title, height, width, lang, left=20, right=20, bottom=20)
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False), plot_bgcolor="white")
    fig.add_annotation(text=wrap_text(text, chars_for(w - 60, EMPTY_SIZE)), name="empty", showarrow=False,
                       x=0.5, y=0.5, xref="paper", yref="paper", align="center",
                       font=dict(size=EMPTY_SIZE, color="#444"))
    return fig


def legend_entry(name: str, colour: str, symbol: str = "square") -> go.Scatter:
    """A legend entry for a colour that bars or cells use (no data: not in the chart's table)."""
    return go.Scatter(x=[None], y=[None], mode="markers", name=name, hoverinfo="skip",
                      marker=dict(color=colour, symbol=symbol, size=12))


def category_margin(labels: Iterable[str], size: float = FONT_SIZE) -> float:
    """Left margin (px) for horizontal bars: the longest category label and a little air."""
    return label_width(labels, size) + 18  # with ``ticklabelstandoff=6``; wrap long labels (wrap_label) first


def rotated_ticks(labels: Iterable[str], angle: float, size: float = FONT_SIZE) -> float:
    """Height (px) under (or above) the plot of category labels drawn at ``angle`` degrees."""
    import math

    labels = list(labels)
    w = label_width(labels, size)
    h = max((text_size(str(label), size)[1] for label in labels), default=LINE_H * size)
    a = math.radians(abs(angle))
    return w * math.sin(a) + h * math.cos(a) + 8
