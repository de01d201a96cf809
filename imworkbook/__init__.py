"""imworkbook: een werkboek informatiemanagement voor scholen in po en vo.

De notebook-functies staan hier bij elkaar; ze worden pas geladen als je ze
gebruikt, zodat ``import imworkbook`` snel blijft (pandas, plotly en
ipywidgets worden niet bij de import geladen).

Lagen (van laag naar hoog; een laag importeert nooit een hogere):

0. ``content``, ``answers``, ``errors``, ``i18n``, ``paths``, ``storage``, ``excel``, ``fastlane``, ``collect``, ... --
   datamodel, validatie, bestanden lezen en schrijven
1. ``scoring``, ``proportion``, ``priorities``, ``landscape``, ``proposals``, ``roles``, ``merge``, ``network``,
   ``disclosure``, ``contentcheck``, ... -- berekeningen in pandas
2. ``figures``, ``tables``, ``report``, ``export`` -- figuren (data in, ``plotly.graph_objects.Figure`` uit),
   tabellen, rapporten en exports
3. ``widgets`` -- ipywidgets-apps
4. ``cli``, ``server`` -- de opdrachtregel en de appserver; daarboven ``notebooks/`` (dunne notebooks)

``tests/test_layers.py`` houdt de lijst bij en controleert de richting.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it; imported on first use (PEP 562).
_LAZY = {
    "load_model": "imworkbook.content",
    "load_answers": "imworkbook.files",  # any format: .json, .xlsx, .ods (files.read_any)
    "save_answers": "imworkbook.answers",
    "Answers": "imworkbook.answers",
    "Session": "imworkbook.answers",
    "open_example": "imworkbook.answers",
    "open_school": "imworkbook.answers",
    "list_schools": "imworkbook.answers",
    "item_table": "imworkbook.scoring",
    "area_scores": "imworkbook.scoring",
    "overall_score": "imworkbook.scoring",
    "score_table": "imworkbook.scoring",
    "radar": "imworkbook.figures",
    "gap_bars": "imworkbook.figures",
    "vragenlijst": "imworkbook.widgets.questionnaire",
    "verhouding": "imworkbook.widgets.investment",
    "netwerk": "imworkbook.widgets.network",
    "start": "imworkbook.widgets.start",
    "samenvoegen": "imworkbook.widgets.merge",
    "applicaties": "imworkbook.widgets.landscape",
    "nieuwe_app": "imworkbook.widgets.proposals",
    "rollen": "imworkbook.widgets.roles",
    "collect": "imworkbook.collect",
    "ProportionApp": "imworkbook.widgets.investment",
    "compute_proportion": "imworkbook.proportion",
    "MaturityApp": "imworkbook.widgets.questionnaire",
}

_ALIAS = {"compute_proportion": "compute", "load_answers": "read_any"}

# The one call of each notebook. Under Voila's kernel pool such a call first waits for its page to be
# requested (imworkbook.widgets.page), after its module -- pandas, plotly, ipywidgets -- has been imported.
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
        from .widgets.page import wait_for_page

        wait_for_page()
        return build(*args, **kwargs)

    return page


def __dir__():
    return __all__
