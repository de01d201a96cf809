"""Werkboek 6: roles, tasks, responsibilities and authorities (RACI per role, not per person), with flags."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W

from imworkbook.analysis.roles import flags, hours_check
from imworkbook.apps.base import EMPTY, name_control
from imworkbook.apps.feedback import FieldError, clear_field_error
from imworkbook.apps.schoolbar import SchoolApp
from imworkbook.apps.style import CSS
from imworkbook.base.errors import error_text
from imworkbook.base.i18n import t
from imworkbook.base.numbers import format_input
from imworkbook.io.session import Session
from imworkbook.model.content import MaturityModel, load_roles_model

LETTER_KEYS = {"R": "raci_r", "A": "raci_a", "C": "raci_c", "I": "raci_i"}


class RolesApp(SchoolApp):
    def __init__(self, session: Session | None = None, *, lang: str | None = None, folder: str | Path | None = None,
                 model: MaturityModel | None = None):
        lang = self._setup(lang, folder, model)
        self.roles = load_roles_model()
        self._setting = False
        options = [("–", EMPTY)] + [(letter, letter) for letter in LETTER_KEYS]
        cell = W.Layout(width="64px")
        self.cells: dict[tuple[str, str], W.Dropdown] = {}
        self.raci_msg = W.HTML()  # an error of a save in the table, right under it
        header = [W.HTML("", layout=W.Layout(width="380px"))] + [
            W.HTML(f"<div class='imw-raci-head'>{html.escape(r.label(lang))}</div>", layout=W.Layout(width="64px"))
            for r in self.roles.roles]
        rows = [W.HBox(header)]
        for side, title in (("vraag", "roles_side_demand"), ("aanbod", "roles_side_supply")):
            rows.append(W.HTML(f"<div class='imw-q' style='margin-top:8px'>{html.escape(t(title, lang))}</div>"))
            for task in [tk for tk in self.roles.tasks if tk.side == side]:
                widgets = [W.HTML(html.escape(task.label(lang)), layout=W.Layout(width="380px"))]
                for role in self.roles.roles:
                    d = W.Dropdown(options=options, value=EMPTY, layout=cell)
                    name_control(d, t("raci_cell_name", lang, task=task.label(lang), role=role.label(lang)))
                    d.observe(self._guard(lambda ch, tk=task.id, r=role.id: self._on_cell(tk, r, ch),
                                          where=self.raci_msg), names="value")
                    self.cells[(task.id, role.id)] = d
                    widgets.append(d)
                rows.append(W.HBox(widgets, layout=W.Layout(align_items="center")))
        self.hours = {r.id: W.Text(description=r.label(lang), style={"description_width": "initial"},
                                   layout=W.Layout(width="300px"), continuous_update=False) for r in self.roles.roles}
        self.hours_msgs = {r: W.HTML(layout=W.Layout(max_width="300px")) for r in self.hours}  # below each
        for role_id, w in self.hours.items():
            w.observe(self._guard(lambda ch, r=role_id: self._on_hours(r, ch)), names="value")
        self.flags = W.HTML()
        self.hours_msg = W.HTML()
        self.status = W.HTML()
        legend = " · ".join(f"<b>{k}</b> = {html.escape(t(v, lang))}" for k, v in LETTER_KEYS.items())
        self.widget = W.VBox([
            W.HTML(CSS + "<style>.imw-raci-head{font-size:0.78em;line-height:1.1;text-align:center;"
                   "height:3.4em;overflow:hidden}</style>"), self.school.widget,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('roles_flags_title', lang))}</h3>"), self.flags,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('roles_raci_title', lang))}</h3>"
                   f"<div class='imw-help'>{legend}</div>"), W.VBox(rows), self.raci_msg,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('roles_hours_title', lang))}</h3>"),
            W.HBox([W.VBox([w, self.hours_msgs[r]]) for r, w in self.hours.items()],
                   layout=W.Layout(flex_flow="row wrap", align_items="flex-start")), self.hours_msg, self.status,
        ], layout=W.Layout(width="100%"))
        self._finish(session, "intro_roles")

    def resync(self) -> None:
        if self.session is not None:
            self.show()

    def after_school_change(self) -> None:
        self.show_flags()

    def load(self, session: Session) -> None:
        self.show()

    def show(self) -> None:
        self._setting = True
        try:
            given = self.session.answers.roles
            for (task, role), d in self.cells.items():
                d.value = given.assignments.get(task, {}).get(role, EMPTY)
            for role, w in self.hours.items():
                value = given.hours.get(role)
                w.value = format_input(value, self.lang)
                clear_field_error(w, self.hours_msgs[role])
        finally:
            self._setting = False
        self.show_flags()

    def _on_cell(self, task: str, role: str, change) -> None:
        if self._setting or self.session is None:
            return
        self.session.set_role(task, role, None if change["new"] == EMPTY else change["new"])
        self.show_status(saved=True)
        self.show_flags()

    def _on_hours(self, role: str, change) -> None:
        if self._setting or self.session is None:
            return
        widget = self.hours[role]
        try:
            self.session.set_role_hours(role, change["new"])
        except ValueError as exc:  # at the field; what was typed stays there to correct it
            raise FieldError(f"{widget.description}: {error_text(exc, self.lang)}", widget, self.hours_msgs[role]) from None
        clear_field_error(widget, self.hours_msgs[role])
        self.show_status(saved=True)
        self.show_flags()

    def show_flags(self) -> None:
        lang = self.lang
        found = flags(self.session.answers, self.roles, lang)
        done = sum(1 for tk in self.roles.tasks if self.session.answers.roles.assignments.get(tk.id))
        progress = t("roles_progress", lang, done=done, total=len(self.roles.tasks))
        items = "".join(f"<div class='imw-msg-{'error' if f.kind == 'mixed_strong' else 'warn'}'>{html.escape(f.message)}</div>"
                        for f in found)
        if not done:  # nothing filled in is not "nothing stands out": say what to do
            self.flags.value = (f"<p role='status'><b>{html.escape(t('roles_empty_title', lang, total=len(self.roles.tasks)))}</b> "
                                f"{html.escape(t('roles_empty', lang))}</p>")
        else:
            quiet = t("roles_no_flags", lang) + (" " + t("roles_left", lang, n=len(self.roles.tasks) - done)
                                                 if done < len(self.roles.tasks) else "")
            self.flags.value = f"<p>{html.escape(progress)}</p>" + (items or f"<p>{html.escape(quiet)}</p>")
        self.hours_msg.value = f"<p>{html.escape(hours_check(self.session.answers, lang).message)}</p>"


def rollen(school: str | Path | None = None, *, lang: str | None = None,
           folder: str | Path | None = None) -> RolesApp:
    """Open werkboek 6: roles, tasks, responsibilities and authorities of a school."""
    return RolesApp.open(school, lang=lang, folder=folder)
