#!/usr/bin/env bash
# Rebuild the app's plotly.js (imworkbook/jupyter/voila/templates/imworkbook/static/plotly-imworkbook.min.js):
# plotly.js with only the trace types the app draws, 1.4 MB instead of the 4.8 MB full bundle that the
# jupyterlab-plotly extension loads on every page (see README, "Performance"). Needs node and npm; only needed
# after a change of the plotly version or of the trace types (tests/figures/test_plotlyjs.py says when).
set -euo pipefail
cd "$(dirname "$0")/../tools/plotly-bundle"
OUT="$(pwd)/../../imworkbook/jupyter/voila/templates/imworkbook/static/plotly-imworkbook.min.js"
npm install --no-audit --no-fund --ignore-scripts
node build.js "$OUT"
ls -l "$OUT"
