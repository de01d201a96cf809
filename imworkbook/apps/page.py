"""A notebook's page under Voila's kernel pool: get everything ready, then wait until somebody opens the page.

With a kernel pool (``imworkbook app --pool N``) Voila starts kernels before any request and runs their
notebook. Everything that does not depend on the moment of the request is done then (imports, content,
plotly's first figure); the app itself is built only when the page is requested, so it shows the werkmap and
the language as they are at that moment, not as they were when the kernel started.

This mirrors ``voila.utils.wait_for_request`` (same endpoint and message), which is not used directly because
importing ``voila.utils`` in every kernel costs 40 MB and two seconds (it loads jupyter_server).
"""

from __future__ import annotations

import json
import os

POOL_ENV = "VOILA_PREHEAT"


def in_pool() -> bool:
    """True in a kernel that Voila started ahead of a request (its page is not yet asked for)."""
    return os.environ.get(POOL_ENV) == "True"


def warm_up() -> None:
    """Do the one-time work of a first page, with a blank school: content files, scoring in pandas, the score
    table (pandas' Styler loads Jinja2 and its templates), the first figures and their chart output. Measured
    with werkboek 1: building the app after the request 0.69 s without this, 0.2 s with it. No widgets are made
    here: a widget made before the page connects would be sent to the page as well."""
    import ipywidgets  # noqa: F401

    from imworkbook.analysis.scoring import area_scores, score_table
    from imworkbook.apps.plot import figure_output
    from imworkbook.figures import gap_bars, radar
    from imworkbook.figures.tables import score_table_html
    from imworkbook.model.answers import new_answers
    from imworkbook.model.content import load_model

    model = load_model()
    answers = new_answers("warm-up", "po", model=model)
    scores = area_scores(answers, model, "nl")
    score_table_html(score_table(answers, model, "nl", areas=scores), lang="nl")
    for fig in (radar(scores, lang="nl"), gap_bars(scores, lang="nl")):
        figure_output(fig, {})


def wait_for_page(timeout: float = 5.0) -> None:
    """In a pooled kernel: warm up, then block until the page is requested and take over the request's
    environment (query string, URL); elsewhere (JupyterLab, nbval, a page without pool): return at once."""
    if not in_pool():
        return
    warm_up()
    kernel_id = os.environ.get("VOILA_KERNEL_ID")
    if not kernel_id:
        return
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    from websockets.sync.client import connect

    try:
        with connect(f"{protocol}://{host}:{port}{base}voila/query/{kernel_id}", open_timeout=timeout) as socket:
            message = socket.recv()
    except (OSError, TimeoutError):
        return  # no server to ask: build the app as it is now
    try:
        info = json.loads(message)
    except (TypeError, ValueError):
        return
    if isinstance(info, dict):
        os.environ.update({str(k): str(v) for k, v in info.items()})
    os.environ[POOL_ENV] = "False"
