"""A plotly figure as one output of an ``Output`` widget, drawn by the app's own, smaller plotly.js.

Why not plotly's mime bundle (``application/vnd.plotly.v1+json``)? It is drawn by the jupyterlab-plotly
extension, and Voila loads every installed extension before it connects the page to its kernel: 4.8 MB of
JavaScript on every page, before the first widget can appear, most of it for chart types the app never draws
(maps, 3D, WebGL). The app serves a partial plotly.js instead (1.4 MB, :mod:`imworkbook.figures.plotlyjs`), which the page template starts loading
in ``<head>`` next to Voila's own code, and ``imworkbook app`` switches the extension off for its pages
(:func:`imworkbook.cli.server.server_config`). See README, "Performance".

The output is HTML: the chart's JSON in a ``<script type="application/json">`` (every ``<``, ``>`` and ``&``
escaped, so text in a chart can never end the script element) and a small script that draws it as soon as
plotly.js is there, loading it itself when the page template did not (JupyterLab). Outputs of an ``Output``
widget are trusted, so JupyterLab and Voila run that script.
"""

from __future__ import annotations

import json
import re
from typing import Any

import plotly.graph_objects as go

from imworkbook.figures.plotlyjs import BUNDLE_URL_PATH as BUNDLE_PATH
from imworkbook.figures.plotlyjs import TRACES, check_traces

BUNDLE_ID = "imw-plotly-js"

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}

# Draws the chart before this script; loads the bundle once per page when the template has not started it.
# Charts in a closed accordion have no width yet: a ResizeObserver draws them again at their size when shown.
_DRAW = """(function (script) {
  var host = script.parentNode, div = host.querySelector('.imw-plot'), spec;
  try { spec = JSON.parse(host.querySelector('.imw-plot-spec').textContent); } catch (e) { return; }
  var w = window;
  if (!w.imwPlotly) {
    w.imwPlotly = new Promise(function (resolve, reject) {
      if (w.Plotly && w.Plotly.newPlot) { resolve(w.Plotly); return; }
      var tag = document.getElementById('%(id)s');
      if (!tag || tag.getAttribute('data-failed')) {  // not started by the page template, or it failed: (re)try
        var base = '/';
        try { base = JSON.parse(document.getElementById('jupyter-config-data').textContent).baseUrl || '/'; }
        catch (e) {}
        if (tag) { tag.id = ''; }
        tag = document.createElement('script');
        tag.id = '%(id)s'; tag.async = true; tag.src = base + '%(path)s';
        document.head.appendChild(tag);
      }
      tag.addEventListener('load', function () { resolve(w.Plotly); });
      tag.addEventListener('error', function () { tag.setAttribute('data-failed', '1'); w.imwPlotly = null; reject(); });
      if (w.Plotly && w.Plotly.newPlot) { resolve(w.Plotly); }
    });
  }
  w.imwPlotly.then(function (Plotly) {
    Plotly.newPlot(div, spec.data, spec.layout, spec.config).then(function () {
      if (spec.layout.width || !w.ResizeObserver) { return; }
      var width = div.clientWidth;
      new ResizeObserver(function () {
        if (div.isConnected && div.clientWidth && div.clientWidth !== width) {
          width = div.clientWidth; Plotly.Plots.resize(div);
        }
      }).observe(div);
    });
  }, function () {
    div.textContent = div.getAttribute('data-failed');
  });
})(document.currentScript);"""


def _script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` (escaped as ``\\u003c`` etc., which JSON
    reads back as the same characters)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub(r"[<>&]", lambda m: _HTML_ESCAPES[m.group()], text)


def figure_spec_json(fig: go.Figure, config: dict) -> dict:
    """The chart as plotly.js draws it: ``data``, ``layout`` (numpy arrays and dates as plain JSON) and
    ``config``."""
    import plotly.io as pio

    spec = json.loads(pio.to_json(fig, validate=False))
    spec.setdefault("layout", {})
    spec["config"] = config
    check_traces(spec.get("data", []))
    return spec


def figure_output(fig: go.Figure, config: dict, *, failed: str = "") -> dict:
    """One output of an ``Output`` widget that draws ``fig`` (see the module's text), with the chart's title as
    the plain-text stand-in. ``failed`` is shown in the chart's place if plotly.js cannot be loaded."""
    spec = figure_spec_json(fig, config)
    title = re.sub(r"<[^>]+>", " ", str(fig.layout.title.text or "")).strip()
    layout = spec["layout"]
    size = "".join(f"{name}:{int(layout[name])}px;" for name in ("width", "height") if layout.get(name))
    html = (f'<div class="imw-plot" style="{size}" data-failed="{_attribute(failed)}"></div>'
            f'<script type="application/json" class="imw-plot-spec">{_script_json(spec)}</script>'
            f"<script>{_DRAW % {'id': BUNDLE_ID, 'path': BUNDLE_PATH}}</script>")
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/html": html, "text/plain": title or "plotly chart"}}


def output_spec(output: dict) -> dict:
    """The chart (``data``, ``layout``, ``config``) inside an output made by :func:`figure_output`."""
    match = re.search(r'<script type="application/json" class="imw-plot-spec">(.*?)</script>',
                      output["data"]["text/html"], re.S)
    if match is None:
        raise ValueError("not a chart output")
    return json.loads(match.group(1))


def _attribute(text: str) -> str:
    import html

    return html.escape(text, quote=True)
