"""Labels for the points of a scatter chart that do not print over each other, over a marker or past the plot.

:func:`place_labels` tries, for each point (or group of points whose markers touch: one label for the group),
the eight places around it, first close by and then further out with a thin leader line; the most crowded
points go first. When a name does not fit anywhere, every point gets a number instead and the names go
in a numbered key under the chart (the figure writes it). Everything is computed in the figure's own
pixels (:class:`~.geometry.Frame`), so the result is checked without a browser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from imworkbook.figures.geometry import Box, Frame, data_of, text_size

LABEL_SIZE = 11
# unit directions, in order of preference: right, left, above, below, then the corners
DIRECTIONS = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1)]
DISTANCES = [3, 12, 24, 40, 60, 85]  # px beyond the marker's edge; from 12 on with a leader line


@dataclass
class Placed:
    text: str
    x: float  # data coordinates of the point the label belongs to
    y: float
    xshift: float
    yshift: float
    xanchor: str
    yanchor: str
    box: Box
    leader: tuple[float, float, float, float] | None = None  # data coordinates x0, y0, x1, y1


@dataclass
class Layout:
    labels: list[Placed] = field(default_factory=list)
    numbered: bool = False  # True: the labels are numbers (point i is number i + 1); the caller writes the key
    unplaced: int = 0  # labels put at the least crowded place (nowhere was free)


def _clusters(px: list[tuple[float, float]], radii: list[float]) -> list[list[int]]:
    parent = list(range(len(px)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(px)):
        for j in range(i + 1, len(px)):
            if math.dist(px[i], px[j]) < radii[i] + radii[j] + 2:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(px)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _candidate(cx: float, cy: float, r: float, d: float, dx: int, dy: int, w: float, h: float):
    norm = math.hypot(dx, dy)
    ux, uy = dx / norm, dy / norm
    ax, ay = cx + ux * (r + d), cy + uy * (r + d)  # the point of the label nearest to the marker
    xanchor = "left" if dx > 0 else "right" if dx < 0 else "center"
    yanchor = "top" if dy > 0 else "bottom" if dy < 0 else "middle"
    x0 = ax - {"left": 0, "center": w / 2, "right": w}[xanchor]
    y0 = ay - {"top": 0, "middle": h / 2, "bottom": h}[yanchor]
    return Box(x0, y0, x0 + w, y0 + h), ax, ay, xanchor, yanchor


def _try(frame: Frame, texts: list[str], groups: list[list[int]], px, radii, obstacles: list[Box],
         force: bool) -> tuple[list[Placed], int] | None:
    """Place one label per group; None when one does not fit (unless ``force``: then the least bad place)."""
    markers = [Box(x - r, y - r, x + r, y + r) for (x, y), r in zip(px, radii)]
    area = Box(frame.plot.x0 + 2, frame.plot.y0 + 2, frame.plot.x1 - 2, frame.plot.y1 - 2)

    def crowd(g: list[int]) -> float:  # markers near the group
        cx, cy = px[g[0]]
        return -sum(1 for p in px if math.dist(p, (cx, cy)) < 80)

    placed: list[tuple[int, Placed]] = []
    taken: list[Box] = list(obstacles)
    unplaced = 0
    for gi in sorted(range(len(groups)), key=lambda k: crowd(groups[k])):
        g = groups[gi]
        cx = sum(px[i][0] for i in g) / len(g)
        cy = sum(px[i][1] for i in g) / len(g)
        r = max(math.dist(px[i], (cx, cy)) + radii[i] for i in g)
        w, h = text_size(texts[gi], LABEL_SIZE)
        w, h = w + 2, h + 2
        best, best_cost = None, math.inf
        for d in DISTANCES:
            for dx, dy in DIRECTIONS:
                box, ax, ay, xa, ya = _candidate(cx, cy, r, d, dx, dy, w, h)
                cost = 0.0
                if not box.inside(area, tol=0):
                    cost += 1e6 if not force else 1e4 + 1
                cost += sum(box.area_with(m) for m in markers) + sum(box.area_with(o) for o in taken)
                cost += sum(1.0 for o in taken if box.overlaps(o, pad=2))
                if cost == 0:
                    best, best_cost = (box, ax, ay, xa, ya, d), 0
                    break
                if cost < best_cost:
                    best, best_cost = (box, ax, ay, xa, ya, d), cost
            if best_cost == 0:
                break
        if best_cost > 0:
            if not force:
                return None
            unplaced += 1
        box, ax, ay, xa, ya, d = best
        x, y = data_of(frame, cx, cy)
        leader = None
        if d > DISTANCES[0]:
            norm = math.hypot(ax - cx, ay - cy) or 1
            ex, ey = cx + (ax - cx) / norm * r, cy + (ay - cy) / norm * r  # from the marker's edge
            leader = (*data_of(frame, ex, ey), *data_of(frame, ax, ay))
        placed.append((gi, Placed(texts[gi], x, y, ax - cx, cy - ay, xa, ya, box, leader)))
        taken.append(box)
    return [p for _, p in sorted(placed, key=lambda item: item[0])], unplaced


def place_labels(frame: Frame, xs: list[float], ys: list[float], sizes: list[float], names: list[str],
                 obstacles: list[Box] = (), *, lines: list[str] | None = None, numbers: bool = False) -> Layout:
    """Labels for points at data coordinates ``xs``/``ys`` with marker diameters ``sizes`` (px).

    ``names`` are plotly texts (``<br>`` allowed); ``lines``: the same names on one line each, for the
    label of a group of points (one name a line). ``obstacles``: boxes (px) that labels keep clear of.
    ``numbers``: numbers straight away (the caller has made room for the key already)."""
    px = [frame.px(x, y) for x, y in zip(xs, ys)]
    radii = [s / 2 for s in sizes]
    groups = _clusters(px, radii)
    lines = lines or names
    texts = [names[g[0]] if len(g) == 1 else "<br>".join(lines[i] for i in g) for g in groups]
    done = None if numbers else _try(frame, texts, groups, px, radii, list(obstacles), force=False)
    if done is not None:
        return Layout(done[0])
    numbers = ["<br>".join(str(i + 1) for i in g) if len(g) <= 2 else _span(g) for g in groups]
    placed, unplaced = _try(frame, numbers, groups, px, radii, list(obstacles), force=True)
    return Layout(placed, numbered=True, unplaced=unplaced)


def _span(group: list[int]) -> str:
    """Numbers of a group as short as possible: "1–3, 5"."""
    nums = sorted(i + 1 for i in group)
    runs: list[list[int]] = []
    for n in nums:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
