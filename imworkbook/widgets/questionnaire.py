"""The maturity questionnaire as an ipywidgets app, with live radar and gap charts.

One call in a notebook shows it::

    import imworkbook as iw
    iw.vragenlijst()

The app owns its widgets and one :class:`~imworkbook.answers.Session`; every
change is saved at once (atomically) and re-scored; callbacks copy freshly
computed figures into the displayed ones. Errors in callbacks are shown in the
app, never lost in the kernel log.
"""

from __future__ import annotations

import datetime as _dt
import functools
import html
import traceback
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W
import plotly.graph_objects as go

from .. import paths
from ..answers import (Session, current_round, list_examples, list_schools, load_answers,
                       open_example)
from ..content import MaturityModel, load_model
from ..errors import ImworkbookError, Problem
from ..figures import gap_bars, radar
from ..i18n import format_number, t
from ..tables import score_table_html
from ..scoring import area_scores, item_table, overall_score, score_table

EMPTY = ""  # dropdown value for "not answered"
CHART_WIDTH = 470  # px; two charts side by side fit a notebook beside JupyterLab's file browser
NEW = "__new__"

_CSS = """
<style>
.imw-q {font-weight:600; font-size:1.02em; line-height:1.35}
.imw-help {color:#444; font-size:0.92em; margin:2px 0 6px 0; line-height:1.35}
.imw-levels {border-collapse:separate; border-spacing:4px; width:100%; table-layout:fixed}
.imw-levels td {vertical-align:top; font-size:0.86em; line-height:1.3; padding:4px 6px; border-radius:4px;
                background:#f6f8fa; border:2px solid transparent}
.imw-levels td.cur {border-color:#0072B2; background:#e5f1f8}
.imw-levels td.tgt {border-color:#E69F00; border-style:dashed; background:#fdf3e1}
.imw-levels td.cur.tgt {border-style:solid double}
.imw-levels th {font-size:0.82em; text-align:left; color:#333; padding:0 6px}
.imw-tag {font-size:0.8em; font-weight:700; margin-left:4px}
.imw-tag.cur {color:#0072B2} .imw-tag.tgt {color:#9a6700}
.imw-remark {color:#9a6700; font-size:0.9em}
.imw-msg-error {background:#fdecea; border-left:4px solid #D55E00; padding:6px 10px; margin:4px 0}
.imw-msg-warn {background:#fff8e1; border-left:4px solid #E69F00; padding:6px 10px; margin:4px 0}
.imw-status {color:#2b6a3f; font-size:0.9em}
.imw-app select:focus-visible, .imw-app input:focus-visible, .imw-app textarea:focus-visible,
.imw-app button:focus-visible {outline:3px solid #0072B2 !important; outline-offset:1px}
.imw-app textarea::placeholder, .imw-app textarea {font-family:inherit}
.imw-app .lm-TabBar-tab {flex:0 1 auto !important; min-width:fit-content !important; max-width:none !important;
                         color:#222}
.imw-app .lm-TabBar-content {flex-wrap:wrap}
</style>
"""


def _level_options(model: MaturityModel, lang: str) -> list[tuple[str, Any]]:
    opts: list[tuple[str, Any]] = [(t("choose", lang), EMPTY)]
    opts += [(f"{lv.level} · {lv.label(lang)}", lv.level) for lv in model.levels]
    opts += [(t("weet_niet", lang), "weet_niet"), (t("nvt", lang), "nvt")]
    return opts


def _messages_html(problems: list[Problem] | list[str], kind: str = "warn") -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
    return f'<div class="imw-msg-{kind}"><ul style="margin:0;padding-left:18px">{items}</ul></div>'


def _config(lang: str, name: str) -> dict:
    """plotly.js config for the live charts: only the PNG button, Dutch tooltip, no logo."""
    return {"displaylogo": False, "modeBarButtons": [["toImage"]], "locale": lang,
            "locales": {lang: {"dictionary": {"Download plot as a PNG": t("modebar_png", lang),
                                              "Download plot as a png": t("modebar_png", lang)}}},
            "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}


def _shape(fig) -> tuple:
    return tuple(tr.type for tr in fig.data), len(fig.layout.annotations or ())


def _update_changed(target, new: dict, skip: tuple[str, ...] = ()) -> None:
    """Set the top-level properties of a plotly object whose value differs from ``new``."""
    old = target.to_plotly_json()
    changed = {k: v for k, v in new.items() if k not in skip and old.get(k) != v}
    if changed:
        target.update(changed, overwrite=True)


def show_figure(box: W.Box, fig: go.Figure, config: dict) -> go.FigureWidget:
    """Show ``fig`` in ``box``.

    When the displayed chart has the same traces, its data is updated in place
    (a smooth redraw). Otherwise a new ``FigureWidget`` built from ``fig``
    replaces it: in Voila a FigureWidget only reliably draws traces it was
    created with, so traces are never added to a displayed one.
    """
    current = box.children[0] if box.children else None
    if isinstance(current, go.FigureWidget) and _shape(current) == _shape(fig):
        # send only what changed: validating a whole layout (with its template) costs ~0.5 s
        with current.batch_update():
            for old, new in zip(current.data, fig.data):
                _update_changed(old, new.to_plotly_json())
            _update_changed(current.layout, fig.layout.to_plotly_json(), skip=("template",))
        return current
    widget = go.FigureWidget(fig)
    widget._config = config
    box.children = (widget,)
    if current is not None:
        current.close()
    return widget


class _ItemCard:
    """The widgets of one item: question, help, level descriptors, two selectors and a note."""

    def __init__(self, app: "MaturityApp", number: str, item_id: str):
        self.app, self.item_id = app, item_id
        model, lang = app.model, app.lang
        item = model.item(item_id)
        self.head = W.HTML(
            f'<div class="imw-q">{number} {html.escape(item.question(lang))}</div>'
            f'<div class="imw-help">{html.escape(item.help(lang))}</div>')
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
        self.current.add_class("imw-current")
        self.target.add_class("imw-target")
        self.note.add_class("imw-note")
        self.refresh()
        self.current.observe(app._guard(self._on_level), names="value")
        self.target.observe(app._guard(self._on_level), names="value")
        self.note.observe(app._guard(self._on_note), names="value")
        self.box = W.VBox([self.head, self.levels, W.HBox([self.current, self.target]), self.note, self.remark],
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
        if isinstance(current, int) and isinstance(target, int) and target < current:
            self.remark.value = f'<span class="imw-remark">{html.escape(t("remark_below_short", lang))}</span>'
        else:
            self.remark.value = ""

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


class MaturityApp:
    """Questionnaire + progress + live charts for one school's answers."""

    def __init__(self, session: Session | None = None, *, lang: str = "nl", folder: str | Path | None = None,
                 model: MaturityModel | None = None):
        self.lang = lang
        self.model = model or load_model()
        self.folder = Path(folder) if folder is not None else paths.answers_dir()
        self.session: Session | None = None
        self.radar_fig: go.FigureWidget | None = None
        self.gap_fig: go.FigureWidget | None = None
        self._school_setting = False
        self._picking = False
        self._folder_problems: list[Problem] = []
        lang = self.lang

        self.messages = W.HTML()  # errors from callbacks, newest first
        self.errors: list[str] = []
        self.notice = W.HTML()
        self.status = W.HTML()
        # school choice
        self.picker = W.Dropdown(description=t("label_school", lang), style={"description_width": "initial"},
                                 layout=W.Layout(width="460px"))
        self.picker.add_class("imw-picker")
        self.picker.observe(self._guard(self._on_pick_change), names="value")
        self.open_button = W.Button(description=t("open_school", lang), icon="folder-open", button_style="primary",
                                    disabled=True)
        self.open_button.on_click(self._guard(self._on_open))
        self.new_box = self._new_school_form()
        self.new_box.layout.display = "none"
        # school details
        st = {"description_width": "initial"}
        self.f_name = W.Text(description=t("label_name", lang), style=st, continuous_update=False)
        self.f_code = W.Text(description=t("label_code", lang), style=st, continuous_update=False,
                             placeholder=t("code_placeholder", lang), layout=W.Layout(width="220px"))
        self.f_sector = W.Dropdown(description=t("label_sector", lang), style=st,
                                   options=[(t("sector_po", lang), "po"), (t("sector_vo", lang), "vo")],
                                   layout=W.Layout(width="260px"))
        self.f_pupils = W.BoundedIntText(description=t("label_pupils", lang), style=st, min=0, max=50_000,
                                         layout=W.Layout(width="220px"))
        self.f_round = W.HTML()
        for w in (self.f_name, self.f_code, self.f_sector, self.f_pupils):
            w.observe(self._guard(self._on_school_field), names="value")
        self.details = W.HBox([self.f_name, self.f_code, self.f_sector, self.f_pupils, self.f_round],
                              layout=W.Layout(flex_flow="row wrap"))
        # progress
        self.progress_bar = W.IntProgress(min=0, max=self.model.n_items, bar_style="info",
                                          layout=W.Layout(width="300px"))
        self.progress_text = W.HTML()
        self.progress_text.add_class("imw-progress")
        self.summary = W.HTML()
        # charts (the FigureWidgets inside are made by show_figure) and the score table
        # fixed chart widths: a FigureWidget does not follow its container in every front end
        # (JupyterLab draws it 700 px wide); the row wraps when both do not fit
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

        self.widget = W.VBox([
            W.HTML(_CSS), W.HBox([self.picker, self.open_button]), self.new_box, self.messages,
            self.notice, self.details,
            W.HBox([self.progress_bar, self.progress_text], layout=W.Layout(align_items="center")),
            self.summary, charts, table_box, W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('questions', lang))}</h3>"),
            self.tabs, self.status,
        ], layout=W.Layout(width="100%"))
        self.widget.add_class("imw-app")
        self._refresh_picker()
        if session is not None:
            self.load(session)

    # plumbing ---------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _guard(self, fn: Callable) -> Callable:
        """Run a callback; show any error in the app instead of losing it in the kernel log, and put
        the widgets back to what is saved (a refused change must not stay on screen)."""
        @functools.wraps(fn)
        def run(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (ImworkbookError, ValueError, KeyError, FileExistsError, OSError) as exc:
                self._show_error(str(exc).strip("'\""))
            except Exception:  # pragma: no cover - unexpected: keep the traceback visible
                self._show_error(t("unexpected_error", self.lang) + "\n" + traceback.format_exc())
            self._resync()
        return run

    def _resync(self) -> None:
        """Show exactly what the session holds (and so what is on disk)."""
        if self.session is None:
            return
        for card in self.cards.values():
            card.refresh()
        self._show_school()

    def _show_error(self, text: str) -> None:
        self.errors.insert(0, text)
        shown = "".join(f'<div class="imw-msg-error"><b>{html.escape(t("error", self.lang))}</b> '
                        f'<pre style="white-space:pre-wrap;margin:0;font-family:inherit">{html.escape(e)}</pre></div>'
                        for e in self.errors[:3])
        self.messages.value = shown

    # school choice --------------------------------------------------------------------
    def _refresh_picker(self) -> None:
        schools, problems = list_schools(self.folder, self.model)
        own = {s.path.name for s in schools}
        options: list[tuple[str, Any]] = [(t("pick_placeholder", self.lang), EMPTY)]
        options += [(f"{s.name} ({s.sector}) · {s.round}", str(s.path)) for s in schools]
        for p in list_examples():
            if p.name not in own:
                a = load_answers(p, self.model).answers
                options.append((t("example_option", self.lang, name=a.school.name, sector=a.school.sector),
                                "example:" + p.stem))
        options.append((t("new_school_option", self.lang), NEW))
        self._picking = True
        try:
            self.picker.options = options
            if self.session is not None and str(self.session.path) in dict((v, k) for k, v in options):
                self.picker.value = str(self.session.path)
            else:
                self.picker.value = EMPTY
        finally:
            self._picking = False
        self.open_button.disabled = True
        self._folder_problems = problems
        self._show_notice()

    def _on_pick_change(self, change) -> None:
        """Choosing in the list only prepares; the Open button loads (so arrow keys never switch school)."""
        if self._picking:
            return
        value = change["new"]
        self.new_box.layout.display = "flex" if value == NEW else "none"
        self.open_button.disabled = value in (EMPTY, NEW) or (
            self.session is not None and value == str(self.session.path))

    def _on_open(self, _button=None) -> None:
        value = self.picker.value
        if value in (EMPTY, NEW):
            return
        if value.startswith("example:"):
            self.load(open_example(value.split(":", 1)[1], folder=self.folder, model=self.model))
        else:
            self.load(Session.open(value, self.model))

    def _new_school_form(self) -> W.Box:
        lang, st = self.lang, {"description_width": "initial"}
        self.n_name = W.Text(description=t("label_name", lang), style=st)
        self.n_sector = W.Dropdown(description=t("label_sector", lang), style=st,
                                   options=[(t("sector_po", lang), "po"), (t("sector_vo", lang), "vo")])
        self.n_round = W.Text(description=t("label_round", lang), value=current_round(), style=st,
                              layout=W.Layout(width="220px"))
        self.n_pupils = W.BoundedIntText(description=t("label_pupils", lang), min=0, max=50_000, style=st,
                                         layout=W.Layout(width="220px"))
        create = W.Button(description=t("create", lang), button_style="primary", icon="plus")
        create.on_click(self._guard(self._on_create))
        return W.VBox([W.HTML(f"<b>{html.escape(t('new_school_title', lang))}</b>"),
                       W.HBox([self.n_name, self.n_sector, self.n_round, self.n_pupils, create],
                              layout=W.Layout(flex_flow="row wrap"))],
                      layout=W.Layout(border="1px solid #0072B2", padding="6px 10px"))

    def _on_create(self, _button=None) -> None:
        if not self.n_name.value.strip():
            raise ValueError(t("name_required", self.lang))
        session = Session.create(self.n_name.value, self.n_sector.value, self.n_round.value.strip(),
                                 pupils=self.n_pupils.value or None, folder=self.folder, model=self.model)
        self.new_box.layout.display = "none"
        self.load(session)

    def _show_notice(self) -> None:
        """Warnings about the open file (and the back-up made of it) and about unreadable files in the folder."""
        own = self.session.problems if self.session is not None else []
        self.notice.value = _messages_html([*own, *self._folder_problems], "warn")

    def _show_school(self) -> None:
        s = self.session.answers.school
        self._school_setting = True
        try:
            self.f_name.value, self.f_code.value = s.name, s.code or ""
            self.f_sector.value, self.f_pupils.value = s.sector, s.pupils or 0
        finally:
            self._school_setting = False

    def _on_school_field(self, change) -> None:
        if self._school_setting or self.session is None:
            return
        self.session.update_school(name=self.f_name.value, code=self.f_code.value.strip() or None,
                                   sector=self.f_sector.value, pupils=self.f_pupils.value or None)
        self._refresh_picker()
        self.changed(rescore=False)

    # loading a school ---------------------------------------------------------------
    def load(self, session: Session) -> None:
        """Show ``session``'s school: details, answers, progress and charts."""
        self.session = session
        self._show_school()
        self.f_round.value = f"<b>{t('label_round', self.lang)}</b> {html.escape(session.answers.round)}"
        self.cards.clear()
        for box in self.area_boxes:
            box.children = ()
        self._refresh_picker()
        self._build_area(self.tabs.selected_index or 0)
        self.status.value = (f'<span class="imw-status">{html.escape(t("opened", self.lang, path=session.path.name))}'
                             "</span>")
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

    def tabel(self):
        """The scores per area as a readable table (headers in the app's language)."""
        return score_table(self.session.answers, self.model, self.lang)

    def changed(self, rescore: bool = True, saved: bool = True) -> None:
        self._show_notice()
        if saved:
            when = _dt.datetime.now().strftime("%H:%M:%S")
            self.status.value = (f'<span class="imw-status">✓ {html.escape(t("saved", self.lang, time=when))}'
                                 f' <code>{html.escape(self.session.path.name)}</code></span>')
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
                               target=format_number(total["target"], self.lang), gap=format_number(total["gap"], self.lang))
        self.table.value = score_table_html(score_table(self.session.answers, self.model, self.lang, areas=scores),
                                            lang=self.lang)
        self.radar_fig = show_figure(self.radar_box, radar(scores, lang=self.lang, width=CHART_WIDTH),
                                     _config(self.lang, "radar"))
        self.gap_fig = show_figure(self.gap_box, gap_bars(scores, lang=self.lang, width=CHART_WIDTH),
                                   _config(self.lang, "kloof"))


def vragenlijst(school: str | Path | None = None, *, lang: str = "nl", folder: str | Path | None = None) -> MaturityApp:
    """Open the questionnaire.

    ``school``: ``None`` opens the school you saved most recently (or the po
    example the first time); ``"po"`` / ``"vo"`` opens that example school as
    your own working copy; a path opens that answers file.
    """
    model = load_model()
    folder = Path(folder) if folder is not None else paths.answers_dir()
    if school is None:
        schools, _ = list_schools(folder, model)
        session = Session.open(schools[0].path, model) if schools else open_example("po", folder, model)
    elif str(school) in ("po", "vo") or not str(school).endswith(".json"):
        session = open_example(str(school), folder, model)
    else:
        session = Session.open(school, model)
    return MaturityApp(session, lang=lang, folder=folder, model=model)
