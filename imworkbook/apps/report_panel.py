"""The board report section of werkboek 1 and 2: make it and download it."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

from imworkbook.base.i18n import t
from imworkbook.model.content import MaturityModel
from imworkbook.apps.base import AppBase
from imworkbook.apps.downloads import download_link


class ReportPanel:
    """"Make the report for the board": writes it to the werkmap and offers it as a download (a data link,
    so it works in Voila too, where the werkmap is not served)."""

    def __init__(self, app: AppBase, model: MaturityModel):
        self.app, self.model = app, model
        lang = app.lang
        self.button = W.Button(description=t("report_make", lang), button_style="primary", icon="file-text",
                               layout=W.Layout(width="auto"))
        self.result = W.HTML()
        self.button.on_click(app._guard(lambda _b: self.make(), where=self.result))
        self.path: Path | None = None
        self.widget = W.Accordion(children=[W.VBox([W.HTML(f"<div class='imw-help'>{html.escape(t('report_panel_intro', lang))}</div>"),
                                                    self.button, self.result])],
                                  titles=(t("report_section", lang),),
                                  selected_index=None)

    def make(self) -> Path:
        from imworkbook import api

        session = self.app.session
        if session is None:
            raise ValueError(t("report_no_school", self.app.lang))
        self.button.disabled = True
        try:
            self.path = api.board_report(session.answers, self.model, lang=self.app.lang)
        finally:
            self.button.disabled = False
        self.result.value = download_link(self.path, self.app.lang, done=t("report_made", self.app.lang))
        return self.path
