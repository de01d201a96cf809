"""Where things land on a chart, in pixels of the figure itself, without a browser.

Plotly places text only when it draws; to keep labels, notes and legends apart the figures estimate
text boxes beforehand: a line of text is about 0.6 em wide per character (Segoe UI, Helvetica and Arial
average 0.5-0.55 em; digits and capitals are wider, so 0.6 is the safe side) and 1.3 em high.
The same estimates let the tests check a finished figure (:func:`annotation_box`, :class:`Frame`).
Coordinates: pixels from the top-left corner of the whole figure (the "paper" in plotly's words is the
plot area; here ``paper`` means the figure's full width x height).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

CHAR_W = 0.6  # average glyph width, in em
LINE_H = 1.3  # line height, in em
DEFAULT_WIDTH = 700  # plotly's size when a figure has no width or height of its own
DEFAULT_HEIGHT = 450


def lines(text: str) -> list[str]:
    """The lines of a plotly text as they are drawn: split at ``<br>``, without tags and entities."""
    return [html.unescape(re.sub(r"<[^>]+>", "", part)) for part in re.split(r"<br\s*/?>", str(text))]


def text_size(text: str, size: float) -> tuple[float, float]:
    """Estimated width and height (px) of a text drawn at font ``size``."""
    parts = lines(text)
    return max(len(p) for p in parts) * CHAR_W * size, len(parts) * LINE_H * size


def chars_for(width_px: float, size: float) -> int:
    """How many characters of font ``size`` fit on a line of ``width_px``."""
    return max(8, int(width_px / (CHAR_W * size)))


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: "Box", pad: float = 0.0) -> bool:
        return (self.x0 < other.x1 + pad and other.x0 < self.x1 + pad
                and self.y0 < other.y1 + pad and other.y0 < self.y1 + pad)

    def inside(self, other: "Box", tol: float = 0.5) -> bool:
        return (self.x0 >= other.x0 - tol and self.x1 <= other.x1 + tol
                and self.y0 >= other.y0 - tol and self.y1 <= other.y1 + tol)

    def area_with(self, other: "Box") -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return max(0.0, w) * max(0.0, h)


@dataclass(frozen=True)
class Frame:
    """A figure's size, margins and (linear) axis ranges: maps data and plot-area coordinates to pixels."""
    width: float
    height: float
    l: float
    r: float
    t: float
    b: float
    x_range: tuple[float, float] = (0.0, 1.0)
    y_range: tuple[float, float] = (0.0, 1.0)

    @classmethod
    def of(cls, fig) -> "Frame":
        lay = fig.layout
        m = lay.margin
        xr = tuple(lay.xaxis.range) if lay.xaxis.range is not None else (0.0, 1.0)
        yr = tuple(lay.yaxis.range) if lay.yaxis.range is not None else (0.0, 1.0)
        return cls(lay.width or DEFAULT_WIDTH, lay.height or DEFAULT_HEIGHT,
                   80 if m.l is None else m.l, 80 if m.r is None else m.r,
                   100 if m.t is None else m.t, 80 if m.b is None else m.b, xr, yr)

    @property
    def plot_w(self) -> float:
        return self.width - self.l - self.r

    @property
    def plot_h(self) -> float:
        return self.height - self.t - self.b

    @property
    def paper(self) -> Box:
        return Box(0, 0, self.width, self.height)

    @property
    def plot(self) -> Box:
        return Box(self.l, self.t, self.width - self.r, self.height - self.b)

    def px(self, x: float, y: float) -> tuple[float, float]:
        """Data coordinates to pixels."""
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return (self.l + (x - x0) / (x1 - x0) * self.plot_w,
                self.t + (1 - (y - y0) / (y1 - y0)) * self.plot_h)

    def from_paper(self, x: float, y: float) -> tuple[float, float]:
        """Plotly "paper" coordinates (0-1 over the plot area) to pixels."""
        return self.l + x * self.plot_w, self.t + (1 - y) * self.plot_h

    def to_paper_y(self, px_y: float) -> float:
        return 1 - (px_y - self.t) / self.plot_h


def _anchor(anchor: str | None, default: str) -> str:
    return default if anchor in (None, "auto") else anchor


def annotation_box(ann, frame: Frame, default_size: float = 13) -> Box:
    """The box (px) an annotation's text takes, from its position, anchors, shifts and font size.

    Supports ``xref``/``yref`` "paper" and the figure's one linear x/y axis; with an arrow, the text is
    centred on the arrow's tail (plotly's default), given in pixels from the head."""
    size = (ann.font.size if ann.font and ann.font.size else None) or default_size
    w, h = text_size(ann.text or "", size)
    w, h = w + 2 * (ann.borderpad or 1), h + 2 * (ann.borderpad or 1)
    xref, yref = ann.xref or "x", ann.yref or "y"
    if xref == "paper" and yref == "paper":
        x, y = frame.from_paper(ann.x or 0, ann.y or 0)
    else:
        px, py = frame.px(ann.x or 0, ann.y or 0)
        qx, qy = frame.from_paper(ann.x or 0, ann.y or 0)
        x, y = (px if xref.startswith("x") else qx), (py if yref.startswith("y") else qy)
    x += ann.xshift or 0
    y -= ann.yshift or 0
    if ann.showarrow is not False:  # plotly's default: an arrow, text centred on its tail
        cx, cy = x + (ann.ax if ann.ax is not None else -10), y + (ann.ay if ann.ay is not None else -30)
        return Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    xa, ya = _anchor(ann.xanchor, "center"), _anchor(ann.yanchor, "middle")
    x0 = x - {"left": 0, "center": w / 2, "right": w}[xa]
    y0 = y - {"top": 0, "middle": h / 2, "bottom": h}[ya]
    return Box(x0, y0, x0 + w, y0 + h)


def legend_height(names: list[str], width: float, size: float = 13) -> float:
    """Height (px) of a horizontal legend with these entries within ``width``.

    Plotly puts the entries on one row when they fit; otherwise in a grid of equal columns as wide as the
    widest entry (symbol 40 px, text, gap), as many columns as fit (measured in Chromium, plotly.js 3)."""
    items = [40 + text_size(name, size)[0] + 10 for name in names]
    if not items:
        return 0.0
    if sum(items) <= width:
        rows = 1
    else:
        columns = max(1, int(width // max(items)))
        rows = -(-len(items) // columns)
    return rows * (LINE_H * size + 6) + 6


def data_of(frame: Frame, px: float, py: float) -> tuple[float, float]:
    """Pixels to data coordinates (the inverse of :meth:`Frame.px`)."""
    (x0, x1), (y0, y1) = frame.x_range, frame.y_range
    return (x0 + (px - frame.l) / frame.plot_w * (x1 - x0),
            y0 + (1 - (py - frame.t) / frame.plot_h) * (y1 - y0))


def subplot_frame(fig, x: str = "xaxis", y: str = "yaxis") -> Frame:
    """The frame of one subplot of a figure (its axes' domains within the plot area)."""
    whole = Frame.of(fig)
    xa, ya = fig.layout[x], fig.layout[y]
    dx, dy = xa.domain or (0, 1), ya.domain or (0, 1)
    x0, x1 = whole.l + dx[0] * whole.plot_w, whole.l + dx[1] * whole.plot_w
    y1, y0 = whole.t + (1 - dy[0]) * whole.plot_h, whole.t + (1 - dy[1]) * whole.plot_h
    return Frame(whole.width, whole.height, x0, whole.width - x1, y0, whole.height - y1,
                 tuple(xa.range) if xa.range is not None else (0.0, 1.0),
                 tuple(ya.range) if ya.range is not None else (0.0, 1.0))
