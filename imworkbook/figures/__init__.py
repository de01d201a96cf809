"""Figures as pure functions: tidy data in, ``plotly.graph_objects.Figure`` out.

Colours are from the Okabe-Ito palette (readable with every common form of colour
blindness); series also differ in line style or marker so charts work in greyscale.
"""

from imworkbook.figures.common import wrap_label
from imworkbook.figures.maturity import gap_bars, radar

__all__ = ["radar", "gap_bars", "wrap_label"]
