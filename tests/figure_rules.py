"""Layout rules of a finished figure, checked in its own pixels (estimated text boxes, see
imworkbook/figures/geometry.py): what the figure writes stays inside the figure, texts do not print over each
other, notes stay outside the plot, point labels inside it and off the markers, the legend below the plot."""

from __future__ import annotations



from imworkbook.figures.common import TITLE_SIZE
from imworkbook.figures.geometry import Box, Frame, annotation_box, legend_height, lines, text_size

OUTSIDE_PLOT = {"note", "key", "direction", "value"}


def _category_px(fig, frame: Frame, ann) -> Box | None:
    """The box of an annotation placed on a category of the y axis (the value column of bar charts)."""
    cats: list = []
    for tr in fig.data:
        if getattr(tr, "orientation", None) == "h" and tr.y is not None:
            cats += [c for c in tr.y if c not in cats]
    if ann.y not in cats:
        return None
    i = cats.index(ann.y)
    reversed_ = fig.layout.yaxis.autorange == "reversed"
    frac = (i + 0.5) / len(cats)
    y = frame.t + (frac if reversed_ else 1 - frac) * frame.plot_h
    w, h = text_size(ann.text, ann.font.size or 13)
    x = frame.from_paper(ann.x, 0)[0] + (ann.xshift or 0)
    return Box(x, y - h / 2, x + w, y + h / 2)


def boxes(fig) -> list[tuple[str, Box]]:
    """(name, box) of every annotation of the figure's main axes (subplot titles and data on categories too)."""
    frame = Frame.of(fig)
    out = []
    for ann in fig.layout.annotations:
        if isinstance(ann.y, str):
            box = _category_px(fig, frame, ann)
        elif (ann.xref or "x") not in ("x", "paper") or (ann.yref or "y") not in ("y", "paper"):
            continue
        else:
            box = annotation_box(ann, frame)
        if box is not None:
            out.append((ann.name or "", box))
    return out


def title_box(fig) -> Box:
    frame = Frame.of(fig)
    w, h = text_size(fig.layout.title.text or "", TITLE_SIZE)
    x = (fig.layout.title.x or 0) * frame.width
    return Box(x, 12, x + w, 12 + h)


def markers(fig, frame: Frame) -> list[Box]:
    out = []
    for tr in fig.data:
        if tr.type != "scatter" or "markers" not in str(tr.mode or "") or tr.x is None:
            continue
        sizes = tr.marker.size if isinstance(tr.marker.size, (list, tuple)) else [tr.marker.size or 6] * len(tr.x)
        for x, y, s in zip(tr.x, tr.y, sizes):
            if x is None or y is None or isinstance(x, str) or isinstance(y, str):
                continue
            px, py = frame.px(x, y)
            out.append(Box(px - s / 2, py - s / 2, px + s / 2, py + s / 2))
    return out


def check_layout(fig) -> list[str]:
    """Every broken rule, as a sentence (empty list: the figure keeps them all)."""
    problems = []
    frame = Frame.of(fig)
    found = boxes(fig)
    tb = title_box(fig)
    if not tb.inside(frame.paper):
        problems.append(f"title runs out of the figure: {lines(fig.layout.title.text)}")
    for name, box in found:
        text = name
        if not box.inside(frame.paper):
            problems.append(f"{name or 'annotation'} runs out of the figure: {box}")
        if box.overlaps(tb):
            problems.append(f"{text} prints over the title")
        if name in OUTSIDE_PLOT and box.overlaps(frame.plot):
            problems.append(f"{name} prints on the plot: {box} vs {frame.plot}")
        if name in ("label", "zone") and not box.inside(frame.plot):
            problems.append(f"{name} outside the plot area: {box}")
    for i, (n1, b1) in enumerate(found):
        for n2, b2 in found[i + 1:]:
            if b1.overlaps(b2):
                problems.append(f"{n1} and {n2} print over each other: {b1} {b2}")
    dots = markers(fig, frame)
    for name, box in found:
        if name in ("label", "zone", "note", "key") and any(box.overlaps(m) for m in dots):
            problems.append(f"{name} sits on a marker: {box}")
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    if fig.layout.showlegend and names and fig.layout.legend.y is not None and fig.layout.legend.y < 0:
        top = frame.from_paper(0, fig.layout.legend.y)[1]
        bottom = top + legend_height(names, frame.width - 20)
        if top < frame.plot.y1 or bottom > frame.height + 0.5:
            problems.append(f"legend ({top:.0f}-{bottom:.0f} px) not between the plot ({frame.plot.y1:.0f}) "
                            f"and the bottom ({frame.height})")
        legend = Box(0, top, frame.width, bottom)
        problems += [f"{n} prints over the legend" for n, b in found if b.overlaps(legend) and n != "key"]
    for axis, room in (("xaxis", frame.plot_w), ("yaxis", frame.plot_h)):
        title = fig.layout[axis].title
        if fig.layout[axis].visible is not False and title.text:
            w = text_size(title.text, title.font.size or 14)[0]
            if w > room + 1:
                problems.append(f"{axis} title wider than the plot ({w:.0f} > {room:.0f} px): {title.text}")
    if fig.layout.yaxis.visible is not False and fig.layout.yaxis.type != "linear":
        cats = [c for tr in fig.data if getattr(tr, "orientation", None) == "h" and tr.y is not None for c in tr.y]
        if cats:
            size = fig.layout.yaxis.tickfont.size or 13
            widest = max(text_size(str(c), size)[0] for c in cats)
            if widest + 4 > frame.l:
                problems.append(f"category labels ({widest:.0f} px) wider than the left margin ({frame.l:.0f} px)")
    return problems


def is_empty_state(fig) -> bool:
    """The one empty state: no data drawn, no visible axes, one sentence."""
    return (not fig.data and fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
            and not fig.layout.polar.radialaxis.range
            and [a.name for a in fig.layout.annotations] == ["empty"])



