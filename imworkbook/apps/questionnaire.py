"""The maturity questionnaire as an ipywidgets app, with live radar and gap charts.

One call in a notebook shows it::

    import imworkbook as iw
    iw.vragenlijst()

The app owns its widgets and one :class:`~imworkbook.io.session.Session`; every
change is saved at once (atomically) and re-scored; callbacks copy freshly
computed figures into the displayed ones. Errors in callbacks are shown in the
app, never lost in the kernel log.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from imworkbook.analysis.scoring import area_scores, item_table, overall_score, score_table
from imworkbook.apps.base import EMPTY
from imworkbook.apps.charts import chart_config, show_figure
from imworkbook.apps.report_panel import ReportPanel
from imworkbook.apps.schoolbar import SchoolApp
from imworkbook.apps.style import CHART_WIDTH, CSS
from imworkbook.base.i18n import format_number, t
from imworkbook.figures import gap_bars, radar
from imworkbook.figures.tables import score_table_html
from imworkbook.io.session import Session
from imworkbook.model.content import MaturityModel


def _level_options(model: MaturityModel, lang: str) -> list[tuple[str, Any]]:
    opts: list[tuple[str, Any]] = [(t("choose", lang), EMPTY)]
    opts += [(f"{lv.level} · {lv.label(lang)}", lv.level) for lv in model.levels]
    opts += [(t("weet_niet", lang), "weet_niet"), (t("nvt", lang), "nvt")]
    return opts


class _ItemCard:
    """The widgets of one item: question, help, level descriptors, two selectors and a note."""

    def __init__(self, app: "MaturityApp", number: str, item_id: str):
        self.app, self.item_id = app, item_id
        model, lang = app.model, app.lang
        item = model.item(item_id)
        guidance = "<br><br>".join(html.escape(part) for part in item.guidance(lang).split("\n\n"))
        self.head = W.HTML(
            f'<div class="imw-q">{number} {html.escape(item.question(lang))}</div>'
            f'<div class="imw-help">{guidance}</div>')
        self.levels = W.HTML()
        opts = _level_options(model, lang)
        style = {"description_width": "initial"}
        self.current = W.Dropdown(options=opts, description=t("label_current", lang), style=style,
                                  layout=W.Layout(width="260px"))
        self.target = W.Dropdown(options=opts, description=t("label_target", lang), style=style,
                                 layout=W.Layout(width="260px"))
        self.note = W.Textarea(placeholder=t("note_placeholder", lang), description=t("label_note", lang),
                               style=style, continuous_update=False, rows=2,
                               layout=W.Layout(width="98%"))
        self.remark = W.HTML()
        self.msg = W.HTML()  # an error of this item's save, here and not at the top of the page
        self.current.add_class("imw-current")
        self.target.add_class("imw-target")
        self.note.add_class("imw-note")
        self.refresh()
        self.current.observe(app._guard(self._on_level, where=self.msg), names="value")
        self.target.observe(app._guard(self._on_level, where=self.msg), names="value")
        self.note.observe(app._guard(self._on_note, where=self.msg), names="value")
        self.box = W.VBox([self.head, self.levels, W.HBox([self.current, self.target]), self.note, self.remark,
                           self.msg],
                          layout=W.Layout(border="1px solid #d0d7de", padding="6px 10px", margin="6px 0"))

    def refresh(self) -> None:
        """Show the saved answer (without triggering a save)."""
        a = self.app.session.answers.answer(self.item_id)
        self._setting = True
        try:
            self.current.value = EMPTY if a.current is None else a.current
            self.target.value = EMPTY if a.target is None else a.target
            self.note.value = a.note
        finally:
            self._setting = False
        self._draw_levels(a.current, a.target)

    def _draw_levels(self, current, target) -> None:
        model, lang = self.app.model, self.app.lang
        item = model.item(self.item_id)
        heads, cells = [], []
        for lv in model.levels:
            cls = " ".join(c for c, v in (("cur", current), ("tgt", target)) if v == lv.level)
            tags = ""
            if current == lv.level:
                tags += f'<span class="imw-tag cur">● {t("tag_current", lang)}</span>'
            if target == lv.level:
                tags += f'<span class="imw-tag tgt">◆ {t("tag_target", lang)}</span>'
            heads.append(f"<th>{lv.level} {html.escape(lv.label(lang))}{tags}</th>")
            cells.append(f'<td class="{cls}">{html.escape(item.descriptor(lv.level, lang))}</td>')
        self.levels.value = (f'<table class="imw-levels"><tr>{"".join(heads)}</tr>'
                             f'<tr>{"".join(cells)}</tr></table>')
        texts = []
        if isinstance(current, int) and isinstance(target, int) and target < current:
            texts.append(t("remark_below_short", lang))
        # a level that a consistency rule of the model does not expect (data/maturity/areas: prerequisites)
        answers = self.app.session.answers if self.app.session is not None else None
        if answers is not None:
            levels = {k: (a.current, a.target) for k, a in answers.answers.items()}
            levels[self.item_id] = (current, target)
            for rule, _which in model.unmet(levels):
                if rule.item == self.item_id:
                    texts.append(t("remark_prerequisite_short", lang, why=rule.why(lang)))
        self.remark.value = "".join(f'<span class="imw-remark">{html.escape(x)}</span> '
                                    for x in dict.fromkeys(texts))

    def _on_level(self, change) -> None:
        if self._setting:
            return
        which = "current" if change["owner"] is self.current else "target"
        value = None if change["new"] == EMPTY else change["new"]
        self.app.session.set_level(self.item_id, which, value)
        if which == "current" and value == "nvt" and self.target.value == EMPTY:
            self.app.session.set_level(self.item_id, "target", "nvt")
            self._setting = True
            self.target.value = "nvt"
            self._setting = False
        a = self.app.session.answers.answer(self.item_id)
        self._draw_levels(a.current, a.target)
        self.app.changed()

    def _on_note(self, change) -> None:
        if self._setting:
            return
        self.app.session.set_note(self.item_id, change["new"])
        self.app.changed(rescore=False)


class MaturityApp(SchoolApp):
    """Questionnaire + progress + live charts for one school's answers."""

    def __init__(self, session: Session | None = None, *, lang: str | None = None, folder: str | Path | None = None,
                 model: MaturityModel | None = None):
        lang = self._setup(lang, folder, model)
        self.radar_fig: go.Figure | None = None
        self.gap_fig: go.Figure | None = None
        self.status = W.HTML()
        # progress
        self.progress_bar = W.IntProgress(min=0, max=self.model.n_items, bar_style="info",
                                          layout=W.Layout(width="300px"))
        self.progress_text = W.HTML()
        self.progress_text.add_class("imw-progress")
        self.summary = W.HTML()
        # charts (drawn by show_figure) and the score table; fixed chart widths, so that two fit side by
        # side; the row wraps when they do not
        self.radar_box = W.Box(layout=W.Layout(flex="0 0 auto", margin="0 12px 0 0"))
        self.gap_box = W.Box(layout=W.Layout(flex="0 0 auto"))
        charts = W.HBox([self.radar_box, self.gap_box], layout=W.Layout(flex_flow="row wrap", width="100%"))
        self.table = W.HTML()
        table_box = W.Accordion(children=[self.table], titles=(t("scores_title", lang),), selected_index=None)
        # questionnaire: one tab per area, built when first opened
        self.cards: dict[str, _ItemCard] = {}
        self.area_boxes = [W.VBox() for _ in self.model.areas]
        self.tabs = W.Tab(children=self.area_boxes)
        self.tabs.observe(self._guard(lambda ch: self._build_area(ch["new"])), names="selected_index")
        self.report = ReportPanel(self, self.model)

        self.widget = W.VBox([
            W.HTML(CSS), self.school.widget,
            W.HBox([self.progress_bar, self.progress_text], layout=W.Layout(align_items="center")),
            self.summary, charts, table_box,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('questions', lang))}</h3>"),
            self.tabs, self.status, self.report.widget,
        ], layout=W.Layout(width="100%"))
        self._finish(session, "intro_maturity")

    def resync(self) -> None:
        """Show exactly what the session holds (and so what is on disk)."""
        if self.session is None:
            return
        for card in self.cards.values():
            card.refresh()
        self.school.show_school()

    def after_school_change(self) -> None:
        self.changed(rescore=False)

    # loading a school ---------------------------------------------------------------
    def load(self, session: Session) -> None:
        """Show ``session``'s school (called by the school bar): answers, progress and charts."""
        self.cards.clear()
        for box in self.area_boxes:
            box.children = ()
        self._build_area(self.tabs.selected_index or 0)
        self.show_status(saved=False)
        self.changed(saved=False)

    def _build_area(self, index: int | None) -> None:
        if index is None or self.session is None:
            return
        box = self.area_boxes[index]
        if box.children:
            return
        area = self.model.areas[index]
        lang = self.lang
        cards = []
        for n, item in enumerate(area.items, start=1):
            card = _ItemCard(self, f"{index + 1}.{n}", item.id)
            self.cards[item.id] = card
            cards.append(card.box)
        prev_b = W.Button(description=t("prev_area", lang), icon="arrow-left", disabled=index == 0)
        next_b = W.Button(description=t("next_area", lang), icon="arrow-right",
                          disabled=index == len(self.model.areas) - 1)
        prev_b.on_click(lambda _b: setattr(self.tabs, "selected_index", index - 1))
        next_b.on_click(lambda _b: setattr(self.tabs, "selected_index", index + 1))
        box.children = [W.HTML(f"<p><b>{html.escape(area.name(lang))}</b> — "
                               f"{html.escape(area.description(lang))}</p>"), *cards, W.HBox([prev_b, next_b])]

    # after every change ------------------------------------------------------------
    def scores(self):
        """The current area scores (a pandas DataFrame)."""
        return area_scores(self.session.answers, self.model, self.lang)

    def changed(self, rescore: bool = True, saved: bool = True) -> None:
        self.school.show_notice()
        if saved:
            self.show_status(saved=True)
        if not rescore:
            return
        items = item_table(self.session.answers, self.model)
        scores = area_scores(self.session.answers, self.model, self.lang, items=items)
        total = overall_score(scores)
        done, n = total["n_answered"], total["n_items"]
        self.progress_bar.value = done
        self.progress_text.value = f"<b>{t('progress', self.lang, done=done, total=n)}</b>"
        self.tabs.titles = tuple(
            f"{row.short} ✓" if row.n_answered == row.n_items else f"{row.short} ({int(row.n_answered)}/{int(row.n_items)})"
            for row in scores.itertuples())
        self.summary.value = t("summary", self.lang, current=format_number(total["current"], self.lang),
                               target=format_number(total["target"], self.lang),
                               gap=format_number(total["gap"], self.lang))
        self.table.value = score_table_html(score_table(self.session.answers, self.model, self.lang, areas=scores),
                                            lang=self.lang)
        self.radar_fig = show_figure(self.radar_box, radar(scores, lang=self.lang, width=CHART_WIDTH),
                                     chart_config(self.lang, "radar"))
        self.gap_fig = show_figure(self.gap_box, gap_bars(scores, lang=self.lang, width=CHART_WIDTH),
                                   chart_config(self.lang, "kloof"))


def vragenlijst(school: str | Path | None = None, *, lang: str | None = None, folder: str | Path | None = None) -> MaturityApp:
    """Open the questionnaire.

    ``school``: ``None`` opens the school you saved most recently (or the po
    example the first time); ``"po"`` / ``"vo"`` opens that example school as
    your own working copy; a path opens that answers file.
    """
    return MaturityApp.open(school, lang=lang, folder=folder)
