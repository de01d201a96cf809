"""ipywidgets apps (the highest package layer; only notebooks sit above it)."""

import sys

# Start-up time of every app page: plotly's FigureWidget imports nbformat, which imports jsonschema, whose
# optional "iri" format checker imports rfc3987_syntax, which builds a grammar at import: about 1 s of a
# 2 s start. Nothing here validates IRIs, so that optional import is skipped (jsonschema itself expects
# it may be missing), unless something in this process has loaded it already.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
