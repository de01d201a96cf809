"""Shared look of all figures: colour-blind-safe colours, fonts, layout, empty states."""

from __future__ import annotations

import textwrap

from html import escape

import plotly.graph_objects as go


# Okabe-Ito
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
GREEN = "#009E73"
GREY = "#999999"
FONT = dict(family="Segoe UI, Helvetica, Arial, sans-serif", size=13)


def wrap_label(label: str, width: int = 12) -> str:
    """Break a long chart label into two lines at the space nearest its middle (plotly ``<br>``)."""
    if len(label) <= width or " " not in label:
        return escape(label)
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return escape(label[:cut]) + "<br>" + escape(label[cut + 1:])


def wrap_text(text: str, width: int = 60) -> str:
    """Plotly does not wrap text: break ``text`` into lines of at most ``width`` characters (``<br>``)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def show_empty(fig: go.Figure, text: str) -> go.Figure:
    """Write ``text`` in the middle of an empty chart (what to do, not just "no data"), wrapped to fit."""
    fig.add_annotation(text=wrap_text(text), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font=dict(size=15, color="#555"))
    return fig


def layout(fig: go.Figure, title: str, height: int, width: int | None, lang: str) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0.02, xanchor="left"), font=FONT, height=height, width=width,
                      margin=dict(l=40, r=40, t=70, b=40), paper_bgcolor="white",
                      legend=dict(orientation="h", yanchor="bottom", y=-0.15, x=0.5, xanchor="center"),
                      separators=",." if lang == "nl" else ".,")
    return fig


