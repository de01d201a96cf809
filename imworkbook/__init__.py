"""imworkbook: een werkboek informatiemanagement voor scholen in po en vo.

De notebook-functies staan hier bij elkaar; ze worden pas geladen als je ze
gebruikt, zodat ``import imworkbook`` snel blijft (pandas, plotly en
ipywidgets worden niet bij de import geladen).

Lagen, elk een subpakket (van laag naar hoog; een laag importeert alleen zichzelf en lagere lagen):

0. ``base`` -- paden, voorkeuren, teksten (i18n) en getallen, meldingen (``Problem``), grenzen, atomair opslaan
1. ``model`` -- de inhoud (volwassenheidsmodel, investeringsmodel, landschap, rollen) en het schema van een
   antwoordenbestand
2. ``io`` -- antwoordenbestanden lezen (met omzetting van oude versies) en schrijven, de Excel-route, een netwerk
   inlezen, exports
3. ``analysis`` -- berekeningen in pandas (scores, verhouding, prioriteiten, landschap, rollen, samenvoegen,
   netwerk en de anonimiteitsregel)
4. ``figures`` -- figuren (data in, ``plotly.graph_objects.Figure`` uit) en tabellen
5. ``report`` -- HTML-documenten uit Jinja2-sjablonen
6. ``api`` -- de taken die de opdrachtregel en de apps allebei doen
7. ``apps`` (ipywidgets) en ``cli`` (opdrachtregel, appserver); daarboven ``notebooks/`` (dunne notebooks)

``tests/test_layers.py`` controleert de richting en dat er geen importkring is.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it; imported on first use (PEP 562).
_LAZY = {
    "load_model": "imworkbook.model.content",
    "load_answers": "imworkbook.io.files",  # any format: .json, .xlsx, .ods (files.read_any)
    "save_answers": "imworkbook.io.writing",
    "Answers": "imworkbook.model.answers",
    "Session": "imworkbook.io.session",
    "open_example": "imworkbook.io.workspace",
    "open_school": "imworkbook.io.workspace",
    "list_schools": "imworkbook.io.workspace",
    "item_table": "imworkbook.analysis.scoring",
    "area_scores": "imworkbook.analysis.scoring",
    "overall_score": "imworkbook.analysis.scoring",
    "score_table": "imworkbook.analysis.scoring",
    "radar": "imworkbook.figures",
    "gap_bars": "imworkbook.figures",
    "vragenlijst": "imworkbook.apps.questionnaire",
    "verhouding": "imworkbook.apps.investment",
    "netwerk": "imworkbook.apps.network",
    "start": "imworkbook.apps.start",
    "samenvoegen": "imworkbook.apps.merge",
    "applicaties": "imworkbook.apps.landscape",
    "nieuwe_app": "imworkbook.apps.proposals",
    "rollen": "imworkbook.apps.roles",
    "collect": "imworkbook.io.collect",
    "ProportionApp": "imworkbook.apps.investment",
    "compute_proportion": "imworkbook.analysis.proportion",
    "MaturityApp": "imworkbook.apps.questionnaire",
}

_ALIAS = {"compute_proportion": "compute", "load_answers": "read_any"}

# The one call of each notebook. Under Voila's kernel pool such a call first waits for its page to be
# requested (imworkbook.apps.page), after its module -- pandas, plotly, ipywidgets -- has been imported.
_PAGES = {"start", "vragenlijst", "verhouding", "netwerk", "applicaties", "nieuwe_app", "rollen", "samenvoegen"}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'imworkbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _ALIAS.get(name, name))
    if name in _PAGES:
        value = _page(value)
    globals()[name] = value
    return value


def _page(build):
    import functools

    @functools.wraps(build)
    def page(*args, **kwargs):
        from imworkbook.apps.page import wait_for_page

        wait_for_page()
        return build(*args, **kwargs)

    return page


def __dir__():
    return __all__
