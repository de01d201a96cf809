"""The start page of the app: what the workbook is for, and three routes (workshop, at home, facilitator)."""

from __future__ import annotations

import html

import ipywidgets as W

from imworkbook.apps.base import AppBase

from imworkbook.apps.feedback import paragraphs

from imworkbook.apps.style import CSS
from imworkbook.base.i18n import t
from imworkbook.base.preferences import language

# route -> (title key, text key, [(notebook, link key), ...]); the notebooks sit beside the start page
ROUTES = {
    "workshop": ("route_workshop_title", "route_workshop_text",
                 [("01_volwassenheid.ipynb", "link_maturity"), ("02_verhouding.ipynb", "link_proportion"),
                  ("07_samenvoegen.ipynb", "link_merge")]),
    "home": ("route_home_title", "route_home_text",
             [("01_volwassenheid.ipynb", "link_maturity"), ("02_verhouding.ipynb", "link_proportion"),
              ("04_applicaties.ipynb", "link_landscape"), ("05_nieuwe_app.ipynb", "link_proposals"),
              ("06_rollen.ipynb", "link_roles")]),
    "facilitator": ("route_facilitator_title", "route_facilitator_text",
                    [("03_netwerk.ipynb", "link_network"), ("04_applicaties.ipynb", "link_landscape")]),
}

START_CSS = """<style>
.imw-routes {display:flex; flex-wrap:wrap; gap:14px; margin:8px 0 14px 0}
.imw-route {flex:1 1 300px; max-width:380px; border:1px solid #d0d7de; border-radius:8px; padding:10px 14px;
            background:#fafbfc}
.imw-route h3 {margin:2px 0 6px 0; font-size:1.1em}
.imw-route p {margin:0 0 6px 0; line-height:1.4}
.imw-route a {display:inline-block; margin:4px 10px 0 0; padding:4px 10px; border-radius:4px;
              background:#0072B2; color:white !important; text-decoration:none; font-weight:600}
.imw-route a:focus-visible {outline:3px solid #E69F00; outline-offset:2px}
</style>"""


class StartApp(AppBase):
    """The welcome page with the three routes, in the chosen language."""

    def __init__(self, *, lang: str | None = None):
        self.lang = lang = language(lang)
        self._init_messages()
        cards = []
        for title_key, text_key, links in ROUTES.values():
            buttons = "".join(f'<a href="{html.escape(nb)}">{html.escape(t(key, lang))}</a>' for nb, key in links)
            cards.append(f'<div class="imw-route"><h3>{html.escape(t(title_key, lang))}</h3>'
                         f'{paragraphs(t(text_key, lang))}<div>{buttons}</div></div>')
        self.routes = W.HTML(START_CSS + f'<div class="imw-routes">{"".join(cards)}</div>')
        self.widget = W.VBox([W.HTML(CSS), self.routes, W.HTML(f"<div class='imw-help'>{paragraphs(t('start_privacy', lang))}</div>")],
                             layout=W.Layout(width="100%"))
        self.widget.add_class("imw-app")
        self._framed("start_intro")

    def _rebuild(self, lang: str) -> None:
        StartApp.__init__(self, lang=lang)


def start(*, lang: str | None = None) -> StartApp:
    """The start page: explains the workbook and links to the notebooks for each route."""
    return StartApp(lang=lang)
