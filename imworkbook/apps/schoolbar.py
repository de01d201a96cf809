"""The school bar: choose, open or create a school, edit its details; the base of the school apps."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W

from imworkbook.base import paths
from imworkbook.base.errors import Problem
from imworkbook.base.i18n import t
from imworkbook.base.preferences import language
from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.io.workspace import EXAMPLES_SUBFOLDER, list_examples, list_schools, open_example
from imworkbook.model.answers import SCOPES, current_round
from imworkbook.model.content import MaturityModel, load_model, load_rater_roles
from imworkbook.apps.base import AppBase, EMPTY, NEW
from imworkbook.apps.feedback import messages_html


def _scope_options(lang: str) -> list[tuple[str, str]]:
    """For what a school answers (school.scope): not said, one school, one location, the whole board."""
    return [(t("scope_none", lang), EMPTY)] + [(t(SCOPE_LABELS[s], lang), s) for s in SCOPES]


SCOPE_LABELS = {"school": "scope_school", "vestiging": "scope_vestiging", "bestuur": "scope_bestuur"}  # i18n keys


def open_session(school: str | Path | None, folder: Path, model: MaturityModel) -> Session:
    """``None``: your own school saved most recently; without one, the example tried most recently (or the po
    example the first time); ``"po"``/``"vo"``: that example as your own working copy; a path: that answers file.

    An example is never the remembered school while you have one of your own: after trying the example of
    werkboek 7 (saved in ``voorbeelden/``), werkboeken 1-6 still open your school."""
    if school is None:
        def recent(found):
            return sorted(found, key=lambda s: (s.saved_at or "", s.path.stat().st_mtime), reverse=True)
        schools = (recent(list_schools(folder, model)[0])
                   or recent(list_schools(folder / EXAMPLES_SUBFOLDER, model)[0]))
        return Session.open(schools[0].path, model) if schools else open_example("po", folder, model)
    if str(school) in ("po", "vo") or not str(school).endswith(".json"):
        return open_example(str(school), folder, model)
    return Session.open(school, model)


class SchoolApp(AppBase):
    """An app on one school's answers file (werkboek 1, 2, 4, 5, 6): language, model, werkmap, school bar.

    Subclasses call :meth:`_setup` first and :meth:`_finish` last in ``__init__``, and implement ``load``."""

    def _setup(self, lang: str | None, folder: str | Path | None, model: MaturityModel | None) -> str:
        self.lang = language(lang)
        self.model = model or load_model()
        self.folder = Path(folder) if folder is not None else paths.answers_dir()
        self._init_messages()
        self.school = SchoolBar(self, self.folder, self.model, on_load=self.load)
        return self.lang

    def _finish(self, session: Session | None, intro_key: str) -> None:
        self.widget.add_class("imw-app")
        if session is not None:
            self.school.load(session)
        self._framed(intro_key)

    def load(self, session: Session) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _rebuild(self, lang: str) -> None:
        """Build the app again in ``lang`` on the same school, on the same tab (see :meth:`switch_language`)."""
        tabs = getattr(self, "tabs", None)
        tab = tabs.selected_index if tabs is not None else None
        type(self).__init__(self, self.session, lang=lang, folder=self.folder, model=self.model, **self._init_extra())
        if tab is not None:
            self.tabs.selected_index = tab

    def _init_extra(self) -> dict:
        """Further ``__init__`` arguments an app keeps when it is built again."""
        return {}

    @classmethod
    def open(cls, school: str | Path | None = None, *, lang: str | None = None, folder: str | Path | None = None):
        """The app on ``school`` (see :func:`open_session`), files in ``folder`` (default: the werkmap)."""
        model = load_model()
        folder = Path(folder) if folder is not None else paths.answers_dir()
        return cls(open_session(school, folder, model), lang=lang, folder=folder, model=model)


class SchoolBar:
    """Choose a school (own files, examples, a new one), open it, and edit its details.

    Choosing in the list only prepares; the Open button loads, so arrow keys never switch school.
    ``on_load(session)`` is called with every school that is opened or created.
    """

    def __init__(self, app: AppBase, folder: Path, model: MaturityModel, on_load: Callable[[Session], None]):
        self.app, self.folder, self.model, self.on_load = app, folder, model, on_load
        self.session: Session | None = None
        self._picking = False
        self._setting = False
        self.folder_problems: list[Problem] = []
        lang, st = app.lang, {"description_width": "initial"}
        self.picker = W.Dropdown(description=t("label_school", lang), style=st, layout=W.Layout(width="460px"))
        self.picker.add_class("imw-picker")
        self.picker.observe(app._guard(self._on_pick_change), names="value")
        self.open_button = W.Button(description=t("open_school", lang), icon="folder-open", button_style="primary",
                                    disabled=True)
        self.open_button.on_click(app._guard(self._on_open))
        # a new school
        self.n_name = W.Text(description=t("label_name", lang), style=st)
        self.n_sector = W.Dropdown(description=t("label_sector", lang), style=st,
                                   options=[(t("sector_po", lang), "po"), (t("sector_vo", lang), "vo")])
        self.n_round = W.Text(description=t("label_round", lang), value=current_round(), style=st,
                              layout=W.Layout(width="220px"))
        self.n_pupils = W.BoundedIntText(description=t("label_pupils", lang), min=0, max=50_000, style=st,
                                         layout=W.Layout(width="220px"))
        self.n_scope = W.Dropdown(description=t("label_scope", lang), style=st, layout=W.Layout(width="300px"),
                                  options=_scope_options(lang), value="school")
        roles = load_rater_roles()
        self.n_rater = W.Dropdown(description=t("label_rater", lang), style=st, layout=W.Layout(width="360px"),
                                  options=[(t("rater_school", lang), EMPTY)] + [(r.label(lang), r.id) for r in roles.roles])
        create = W.Button(description=t("create", lang), button_style="primary", icon="plus")
        create.on_click(app._guard(self.create))
        self.new_box = W.VBox([W.HTML(f"<b>{html.escape(t('new_school_title', lang))}</b>"),
                               W.HBox([self.n_name, self.n_sector, self.n_round, self.n_pupils, self.n_scope,
                                       self.n_rater, create],
                                      layout=W.Layout(flex_flow="row wrap")),
                               W.HTML(f"<div class='imw-help'>{html.escape(t('rater_help', lang))}</div>")],
                              layout=W.Layout(border="1px solid #0072B2", padding="6px 10px", display="none"))
        # details of the open school
        self.f_name = W.Text(description=t("label_name", lang), style=st, continuous_update=False)
        self.f_code = W.Text(description=t("label_code", lang), style=st, continuous_update=False,
                             placeholder=t("code_placeholder", lang), layout=W.Layout(width="220px"))
        self.f_sector = W.Dropdown(description=t("label_sector", lang), style=st,
                                   options=[(t("sector_po", lang), "po"), (t("sector_vo", lang), "vo")],
                                   layout=W.Layout(width="260px"))
        self.f_pupils = W.BoundedIntText(description=t("label_pupils", lang), style=st, min=0, max=50_000,
                                         layout=W.Layout(width="220px"))
        self.f_scope = W.Dropdown(description=t("label_scope", lang), style=st, layout=W.Layout(width="300px"),
                                  options=_scope_options(lang))
        self.f_location = W.Text(description=t("label_location", lang), style=st, continuous_update=False,
                                 placeholder=t("location_placeholder", lang), layout=W.Layout(width="220px"))
        self.f_round = W.HTML()
        for w in (self.f_name, self.f_code, self.f_sector, self.f_pupils, self.f_scope, self.f_location):
            w.observe(app._guard(self._on_field), names="value")
        self.notice = W.HTML()
        self.widget = W.VBox([
            W.HBox([self.picker, self.open_button]), self.new_box, app.messages, self.notice,
            W.HBox([self.f_name, self.f_code, self.f_sector, self.f_pupils, self.f_scope, self.f_location,
                    self.f_round], layout=W.Layout(flex_flow="row wrap")),
            W.HTML(f"<div class='imw-help'>{html.escape(t('scope_help', lang))}</div>")])
        self.refresh()

    # the list -------------------------------------------------------------------------
    def refresh(self) -> None:
        schools, problems = list_schools(self.folder, self.model)
        copies, _ = list_schools(self.folder / EXAMPLES_SUBFOLDER, self.model)  # your copies of the examples
        own = {s.path.name for s in copies}
        lang = self.app.lang
        options: list[tuple[str, Any]] = [(t("pick_placeholder", lang), EMPTY)]
        roles = load_rater_roles()
        options += [(f"{s.name} ({s.sector}) · {s.round}" + (f" · {roles.label(s.rater, lang)}" if s.rater else ""),
                     str(s.path)) for s in schools]
        options += [(t("example_option", lang, name=s.name, sector=s.sector), str(s.path)) for s in copies]
        for p in list_examples():
            if p.name not in own:
                a = load_answers(p, self.model).answers
                options.append((t("example_option", lang, name=a.school.name, sector=a.school.sector),
                                "example:" + p.stem))
        options.append((t("new_school_option", lang), NEW))
        self._picking = True
        try:
            self.picker.options = options
            values = {v for _, v in options}
            current = str(self.session.path) if self.session is not None else EMPTY
            self.picker.value = current if current in values else EMPTY
        finally:
            self._picking = False
        self.open_button.disabled = True
        self.folder_problems = problems
        self.show_notice()

    def show_notice(self) -> None:
        """Warnings about the open file (and the back-up made of it) and about unreadable files in the folder."""
        own = self.session.problems if self.session is not None else []
        self.notice.value = messages_html([*own, *self.folder_problems], "warn", self.app.lang)

    def _on_pick_change(self, change) -> None:
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

    def create(self, _button=None) -> None:
        if not self.n_name.value.strip():
            raise ValueError(t("name_required", self.app.lang))
        session = Session.create(self.n_name.value, self.n_sector.value, self.n_round.value.strip(),
                                 pupils=self.n_pupils.value or None, folder=self.folder, model=self.model,
                                 scope=self.n_scope.value or None,
                                 rater=self.n_rater.value or None)
        self.new_box.layout.display = "none"
        self.load(session)

    def load(self, session: Session) -> None:
        self.session = session
        self.show_school()
        lang = self.app.lang
        rater = session.answers.rater
        self.f_round.value = (f"<b>{t('label_round', lang)}</b> {html.escape(session.answers.round)}"
                              + (f" · <b>{t('label_rater', lang)}</b> {html.escape(load_rater_roles().label(rater, lang))}"
                                 if rater else ""))
        self.refresh()
        self.on_load(session)

    # the details ------------------------------------------------------------------------
    def show_school(self) -> None:
        s = self.session.answers.school
        self._setting = True
        try:
            self.f_name.value, self.f_code.value = s.name, s.code or ""
            self.f_sector.value, self.f_pupils.value = s.sector, s.pupils or 0
            self.f_scope.value, self.f_location.value = s.scope or EMPTY, s.location or ""
        finally:
            self._setting = False

    def _on_field(self, change) -> None:
        if self._setting or self.session is None:
            return
        self.session.update_school(name=self.f_name.value, code=self.f_code.value.strip() or None,
                                   sector=self.f_sector.value, pupils=self.f_pupils.value or None,
                                   scope=self.f_scope.value or None, location=self.f_location.value.strip() or None)
        self.refresh()
        self.app.after_school_change()
