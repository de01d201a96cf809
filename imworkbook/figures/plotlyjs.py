"""The plotly.js that draws the app's charts and reports: a partial bundle with only the trace types the figure
functions make (1.4 MB instead of plotly's 4.8 MB), built by ``scripts/build_plotly.sh`` from
``tools/plotly-bundle/`` and shipped in the ``imworkbook`` Voila template. The app loads it on every page
(:mod:`imworkbook.apps.plot`); the board report and the one-page summary embed it, so they open offline.
``tests/figures/test_plotlyjs.py`` keeps :data:`TRACES`, the bundle and the Python plotly version in step."""

from __future__ import annotations

from functools import lru_cache

from imworkbook.base import paths

#: The trace types in the bundle (tools/plotly-bundle/entry.js). A figure with another type would stay blank,
#: so it is refused by :func:`check_traces` with the remedy.
TRACES = frozenset({"scatter", "bar", "box", "heatmap", "scatterpolar", "table"})

#: Where the bundle is, in the package; served by Voila at ``voila/templates/imworkbook/static/…``.
BUNDLE = paths.PACKAGE_DIR / "jupyter" / "voila" / "templates" / "imworkbook" / "static" / "plotly-imworkbook.min.js"
BUNDLE_URL_PATH = "voila/templates/imworkbook/static/plotly-imworkbook.min.js"


def check_traces(data: list) -> None:
    """Refuse traces (dicts of a figure's JSON, or plotly trace objects) that the bundle cannot draw."""
    types = {trace.get("type", "scatter") if isinstance(trace, dict) else (trace.type or "scatter")
             for trace in data}
    unknown = sorted(types - TRACES)
    if unknown:
        raise ValueError(f"chart type {', '.join(unknown)} is not in the app's plotly.js "
                         "(imworkbook/figures/plotlyjs.py TRACES; add it in tools/plotly-bundle and rebuild)")


@lru_cache(maxsize=1)
def bundle_js() -> str:
    """The bundle's text (read once: a batch of reports embeds it in every file)."""
    return BUNDLE.read_text(encoding="utf-8")
