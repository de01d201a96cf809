"""Werkboek 4: the school's application landscape (inventory, coverage, register once, TIME, cost)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go

from imworkbook.analysis.landscape import TIME_KEYS, analyse, findings, network_landscape
from imworkbook.base import paths
from imworkbook.base.errors import error_text
from imworkbook.base.i18n import t
from imworkbook.base.numbers import format_input, parse_number
from imworkbook.figures.landscape import cost_per_area, coverage_heatmap, network_types, time_quadrant
from imworkbook.io.excel import read_inventory, write_inventory
from imworkbook.io.session import Session
from imworkbook.model.answers import slug
from imworkbook.model.content import OTHER_TYPE, MaturityModel, load_landscape_reference
from imworkbook.apps.base import EMPTY
from imworkbook.apps.charts import chart_config, show_figure
from imworkbook.apps.downloads import download_link
from imworkbook.apps.feedback import FieldError, clear_field_error, done_html, messages_html
from imworkbook.apps.schoolbar import SchoolApp
from imworkbook.apps.style import CHART_WIDTH, CSS

NEW = "__new__"


class LandscapeApp(SchoolApp):
    def __init__(self, session: Session | None = None, *, lang: str | None = None, folder: str | Path | None = None,
                 model: MaturityModel | None = None):
        lang = self._setup(lang, folder, model)
        self.ref = load_landscape_reference()
        self.figs: dict[str, go.Figure] = {}
        st = {"description_width": "initial"}
        wide = W.Layout(width="460px")
        self.apps = W.Select(description=t("land_apps", lang), style=st, rows=9, layout=W.Layout(width="360px"))
        self.apps.add_class("imw-land-apps")
        self._listing = False  # the list is being rebuilt in code: not a choice of the user
        self.editing: str | None = None  # the application the form shows (None: a new one); a save replaces it
        self.apps.observe(self._guard(self._on_pick), names="value")
        self.f_name = W.Text(description=t("land_name", lang), style=st, layout=wide)
        self.f_type = W.Dropdown(description=t("land_type", lang), style=st, layout=wide,
                                 options=[(s.label(lang), s.id) for s in self.ref.system_types])
        self.f_supplier = W.Text(description=t("land_supplier", lang), style=st, layout=wide)
        acts = [(f"{self.ref.label('area', self.ref.area_of(a.id), lang)} · {a.label(lang)}", a.id)
                for a in self.ref.activities.values()]
        objects = [(d.label(lang), d.id) for d in self.ref.data_objects]
        self.f_activities = W.SelectMultiple(description=t("land_activities", lang), options=acts, rows=8, style=st,
                                             layout=W.Layout(width="560px"))
        self.f_masters = W.SelectMultiple(description=t("land_masters", lang), options=objects, rows=6, style=st,
                                          layout=W.Layout(width="380px"))
        self.f_uses = W.SelectMultiple(description=t("land_uses", lang), options=objects, rows=6, style=st,
                                       layout=W.Layout(width="380px"))
        self.f_cost_year = W.Text(description=t("land_cost_year", lang), style=st, layout=W.Layout(width="260px"))
        self.f_cost_once = W.Text(description=t("land_cost_once", lang), style=st, layout=W.Layout(width="260px"))
        self.f_users = W.Text(description=t("land_users", lang), style=st, layout=W.Layout(width="200px"))
        fits = [("—", EMPTY)] + [(str(n), n) for n in range(1, 6)]
        self.f_business = W.Dropdown(description=t("land_business_fit", lang), options=fits, style=st)
        self.f_technical = W.Dropdown(description=t("land_technical_fit", lang), options=fits, style=st)
        self.f_note = W.Textarea(description=t("label_note", lang), style=st, rows=2, layout=W.Layout(width="560px"))
        self.form_msg = W.HTML()  # the outcome of Save / Delete, beside the buttons
        self.form_msg.add_class("imw-land-result")
        self.save_button = W.Button(description=t("land_save", lang), button_style="primary")
        self.save_button.on_click(self._guard(lambda _b: self.save_app(), where=self.form_msg))
        self.delete_button = W.Button(description=t("land_delete", lang), button_style="danger")
        self.delete_button.on_click(self._guard(lambda _b: self.delete_app(), where=self.form_msg))
        # a message beside every field that can be refused (FieldError), keyed like the form's values
        self.field_inputs = {"name": self.f_name, "supplier": self.f_supplier, "cost_year": self.f_cost_year,
                             "cost_once": self.f_cost_once, "users": self.f_users, "note": self.f_note}
        self.field_msgs = {key: W.HTML() for key in self.field_inputs}
        for key, w in self.field_inputs.items():
            w.add_class(f"imw-land-{key.replace('_', '-')}")

        def with_msg(key: str) -> W.VBox:  # the message as wide as its field: a long one wraps below it
            field, msg = self.field_inputs[key], self.field_msgs[key]
            msg.layout.max_width = field.layout.width
            return W.VBox([field, msg])
        form = W.VBox([
            with_msg("name"), self.f_type, with_msg("supplier"), self.f_activities,
            W.HBox([self.f_masters, self.f_uses], layout=W.Layout(flex_flow="row wrap")),
            W.HBox([with_msg("cost_year"), with_msg("cost_once"), with_msg("users")],
                   layout=W.Layout(flex_flow="row wrap", align_items="flex-start")),
            W.HBox([self.f_business, self.f_technical]), with_msg("note"),
            W.HBox([self.save_button, self.delete_button]), self.form_msg],
            layout=W.Layout(border="1px solid #d0d7de", padding="6px 10px"))
        form.add_class("imw-land-form")
        # Excel
        self.upload = W.FileUpload(accept=".xlsx", multiple=False, description=t("land_import", lang),
                                   layout=W.Layout(width="auto"))
        self.excel_msg = W.HTML()
        self.upload.observe(self._guard(lambda _c: self.import_upload(), where=self.excel_msg), names="value")
        export = W.Button(description=t("land_export", lang), layout=W.Layout(width="auto"))
        export.on_click(self._guard(lambda _b: self.export(), where=self.excel_msg))
        # analysis
        self.findings = W.HTML()
        self.table = W.HTML()  # the whole inventory at a glance
        self.boxes = {name: W.Box(layout=W.Layout(flex="0 0 auto", margin="0 12px 0 0"))
                      for name in ("coverage", "time", "cost", "network")}
        self.net_folder = W.Text(value=str(paths.data_dir() / "examples" / "netwerk"),
                                 description=t("net_folder", lang), style=st, layout=W.Layout(width="560px"))
        net_button = W.Button(description=t("net_load", lang), button_style="info")
        self.net_msg = W.HTML()
        net_button.on_click(self._guard(lambda _b: self.show_network(), where=self.net_msg))
        network = W.Accordion(children=[W.VBox([W.HTML(f"<div class='imw-help'>{html.escape(t('land_net_help', lang))}</div>"),
                                                W.HBox([self.net_folder, net_button]), self.net_msg,
                                                self.boxes["network"]])],
                              titles=(t("land_net_section", lang),), selected_index=None)
        self.status = W.HTML()
        self.widget = W.VBox([
            W.HTML(CSS), self.school.widget,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('land_inventory_title', lang))}</h3>"),
            W.HBox([self.apps, form], layout=W.Layout(flex_flow="row wrap", align_items="flex-start")),
            W.HBox([self.upload, export], layout=W.Layout(flex_flow="row wrap")), self.excel_msg, self.status,
            self.table,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('land_findings_title', lang))}</h3>"), self.findings,
            self.boxes["coverage"],
            W.HBox([self.boxes["time"], self.boxes["cost"]], layout=W.Layout(flex_flow="row wrap")),
            network,
        ], layout=W.Layout(width="100%"))
        self._finish(session, "intro_landscape")

    def resync(self) -> None:
        """After a refused action: the list follows the file, the form keeps what the user typed and goes on
        editing the same application (a new one stays new), so the next save never replaces another one."""
        if self.session is None:
            return
        names = [a.name for a in self.session.answers.landscape]
        if self.editing is not None and self.editing not in names:
            self.editing = None  # removed meanwhile (another window): saving the form adds it again
        self.refresh_list(self.editing, show=False)

    def after_school_change(self) -> None:
        pass

    # the inventory -----------------------------------------------------------------------------
    def load(self, session: Session) -> None:
        self.refresh_list()
        self.changed(saved=False)

    def refresh_list(self, keep: str | None = None, *, show: bool = True) -> None:
        """The list of applications, with ``keep`` chosen (``None``: the first; :data:`NEW`: a new one).
        ``show=False`` leaves the form as it is (``keep`` must then be what the form edits)."""
        names = [a.name for a in self.session.answers.landscape]
        options = [(n, n) for n in names] + [(t("land_new", self.lang), NEW)]
        value = keep if keep in names or keep == NEW else (names[0] if names else NEW)
        if not show and keep is None:
            value = NEW
        self._listing = True  # new options make the Select choose its first one: not a choice to show
        try:
            self.apps.options = options
            self.apps.value = value
        finally:
            self._listing = False
        if show:
            self.show_app()

    def _on_pick(self, _change) -> None:
        if not self._listing:
            self.show_app()

    def current(self):
        return next((a for a in self.session.answers.landscape if a.name == self.apps.value), None)

    def show_app(self) -> None:
        app = self.current()
        self.editing = app.name if app else None
        self.form_msg.value = ""
        for key, w in self.field_inputs.items():
            clear_field_error(w, self.field_msgs[key])
        self.delete_button.disabled = app is None
        self.f_name.value = app.name if app else ""
        self.f_type.value = app.type if app and app.type in [v for _, v in self.f_type.options] else OTHER_TYPE
        self.f_supplier.value = app.supplier if app else ""
        known = {v for _, v in self.f_activities.options}
        self.f_activities.value = tuple(a for a in (app.activities if app else []) if a in known)
        objects = {v for _, v in self.f_masters.options}
        self.f_masters.value = tuple(o for o in (app.masters if app else []) if o in objects)
        self.f_uses.value = tuple(o for o in (app.uses if app else []) if o in objects)
        self.f_cost_year.value = format_input(app.cost_year if app else None, self.lang)
        self.f_cost_once.value = format_input(app.cost_once if app else None, self.lang)
        self.f_users.value = "" if not app or app.users is None else str(app.users)
        self.f_business.value = app.business_fit if app and app.business_fit else EMPTY
        self.f_technical.value = app.technical_fit if app and app.technical_fit else EMPTY
        self.f_note.value = app.note if app else ""

    def field_error(self, key: str, message: str) -> FieldError:
        """A refused value of field ``key``, its label in front: "Kosten per jaar (€): geen getal: …"."""
        widget = self.field_inputs[key]
        return FieldError(f"{widget.description}: {message}", widget, self.field_msgs[key])

    def _number(self, key: str) -> float | None:
        try:
            return parse_number(self.field_inputs[key].value)
        except ValueError as exc:
            raise self.field_error(key, error_text(exc, self.lang)) from None

    def form_values(self) -> dict[str, Any]:
        """What the form shows, as an application; a refused value raises :class:`FieldError` at its field."""
        if not self.f_name.value.strip():
            raise self.field_error("name", t("land_name_required", self.lang))
        cost_year, cost_once, users = self._number("cost_year"), self._number("cost_once"), self._number("users")
        if users is not None and users != int(users):
            raise self.field_error("users", t("land_users_whole", self.lang))
        return {"name": self.f_name.value, "type": self.f_type.value, "supplier": self.f_supplier.value,
                "activities": list(self.f_activities.value), "masters": list(self.f_masters.value),
                "uses": list(self.f_uses.value), "cost_year": cost_year,
                "cost_once": cost_once, "users": None if users is None else int(users),
                "business_fit": None if self.f_business.value == EMPTY else self.f_business.value,
                "technical_fit": None if self.f_technical.value == EMPTY else self.f_technical.value,
                "note": self.f_note.value}

    def save_app(self) -> None:
        """Save the form as the application it shows (:attr:`editing`), or as a new one."""
        values = self.form_values()
        name = values["name"].strip()
        if self.editing is None and any(a.name.lower() == name.lower() for a in self.session.answers.landscape):
            # the model would replace the application of that name: a new one never overwrites another
            raise self.field_error("name", t("land_name_exists", self.lang, name=name))
        try:
            self.session.set_application(values, replace=self.editing)
        except ValueError as exc:  # "cost_year: …" from the model: at that field when there is one
            problems = getattr(exc, "problems", [])
            if len(problems) == 1 and problems[0].where in self.field_inputs:
                raise self.field_error(problems[0].where, problems[0].message_in(self.lang)) from None
            raise
        self.refresh_list(name)
        self.show_done(self.form_msg, t('land_saved', self.lang))
        self.changed()

    def delete_app(self) -> None:
        if self.editing is not None:
            name = self.editing
            self.session.delete_application(name)
            self.refresh_list()
            self.show_done(self.form_msg, t("land_deleted", self.lang, name=name))
            self.changed()

    def import_upload(self) -> None:
        files = self.upload.value
        if not files:
            return
        item = files[0] if isinstance(files, (list, tuple)) else next(iter(files.values()))
        data = bytes(item["content"])
        apps, problems = read_inventory(data, item.get("name", "upload.xlsx"), self.ref)
        for app in apps:
            exists = any(a.name == app.name for a in self.session.answers.landscape)
            self.session.set_application(app, replace=app.name if exists else None)
        self.excel_msg.value = (done_html(t('land_imported', self.lang, n=len(apps)))
                                + messages_html(problems, "warn", self.lang))
        self.refresh_list()
        self.changed()

    def export(self) -> Path:
        answers = self.session.answers
        path = paths.workspace_dir() / "rapporten" / f"{slug(answers.school.name)}_{answers.round}_{t('file_applications', self.lang)}.xlsx"
        write_inventory(path, answers.landscape, self.ref, self.lang)
        self.excel_msg.value = download_link(path, self.lang, done=t("land_exported", self.lang))
        return path

    # analysis ----------------------------------------------------------------------------------
    def changed(self, saved: bool = True) -> None:
        if saved:
            self.show_status(saved=True)
        lang = self.lang
        self.analysis = an = analyse(self.session.answers.landscape, self.ref, lang)
        items = findings(an, self.ref, lang) + an.unknown_ids
        counts = an.inventory["time"].value_counts()
        time_line = ", ".join(f"{t(TIME_KEYS[k], lang)}: {int(counts[k])}" for k in TIME_KEYS if k in counts)
        self.findings.value = ("<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in items) + "</ul>"
                               if items else f"<p>{html.escape(t('land_no_findings', lang))}</p>") + (
            f"<p>{html.escape(t('land_time_summary', lang, counts=time_line))}</p>" if time_line else "")
        self.table.value = inventory_html(an.inventory, self.ref, lang)
        self.figs["coverage"] = show_figure(self.boxes["coverage"], coverage_heatmap(
            an.coverage, self.ref, lang=lang, width=max(2 * CHART_WIDTH + 20, 460 + 90 * an.coverage.shape[1])),
            chart_config(lang, "dekking"))
        self.figs["time"] = show_figure(self.boxes["time"], time_quadrant(an.inventory, rule=self.ref.time,
                                                                          lang=lang, width=CHART_WIDTH + 60),
                                        chart_config(lang, "time"))
        self.figs["cost"] = show_figure(self.boxes["cost"], cost_per_area(an.cost, self.ref, lang=lang,
                                                                          width=CHART_WIDTH), chart_config(lang, "kosten"))

    def show_network(self) -> None:
        from imworkbook.io.collect import collect

        collected = collect(Path(self.net_folder.value.strip()).expanduser(), self.model)
        frames = network_landscape(collected.documents, self.ref)
        self.figs["network"] = show_figure(self.boxes["network"], network_types(frames, self.ref, lang=self.lang,
                                                                                width=2 * CHART_WIDTH),
                                           chart_config(self.lang, "netwerk-applicaties"))


def inventory_html(inventory, ref, lang: str) -> str:
    """The inventory as a compact table: name, kind, supplier, cost per year, fits and TIME."""
    from imworkbook.base.numbers import format_euro

    if inventory.empty:
        return ""
    head = [t("land_name", lang), t("land_type", lang), t("land_supplier", lang), t("land_cost_year", lang),
            t("land_business_fit", lang), t("land_technical_fit", lang), "TIME"]
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in (
            r.name, ref.label("type", r.type, lang), r.supplier or "–",
            format_euro(r.cost_per_year, lang),
            "–" if r.business_fit != r.business_fit or r.business_fit is None else int(r.business_fit),
            "–" if r.technical_fit != r.technical_fit or r.technical_fit is None else int(r.technical_fit),
            t(TIME_KEYS[r.time], lang))) + "</tr>" for r in inventory.itertuples())
    return ("<table class='imw-merge' style='margin:6px 0'><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head)
            + f"</tr>{rows}</table>")


def applicaties(school: str | Path | None = None, *, lang: str | None = None,
                folder: str | Path | None = None) -> LandscapeApp:
    """Open werkboek 4: the application landscape of a school (same school choice as werkboek 1)."""
    return LandscapeApp.open(school, lang=lang, folder=folder)
