"""The investment-proportion app: time, money and resources per area against its importance, with live
charts and a what-if panel that never touches the saved answers.

    import imworkbook as iw
    iw.verhouding()
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import plotly.graph_objects as go

from imworkbook.io.session import Session
from imworkbook.model.content import (Allocation, InvestmentField, InvestmentModel, MaturityModel, load_allocation,
                                      load_investment_model)
from imworkbook.analysis.proportion import ProportionResult, checks, compute, levy_attribution
from imworkbook.analysis.scoring import area_scores
from imworkbook.base.errors import error_text
from imworkbook.base.i18n import format_hours, format_money, format_number, t
from imworkbook.base.numbers import format_euro, format_input
from imworkbook.figures.proportion import investment_bars, quadrant, share_difference
from imworkbook.report.board import proportion_summary, save_proportion_summary
from imworkbook.apps.base import EMPTY
from imworkbook.apps.charts import chart_config, show_figure
from imworkbook.apps.downloads import download_link
from imworkbook.apps.feedback import FieldError, clear_field_error
from imworkbook.apps.report_panel import ReportPanel
from imworkbook.apps.schoolbar import SchoolApp
from imworkbook.apps.style import CHART_WIDTH, CSS

FLAG_KEY = {"onder": "flag_onder", "balans": "flag_balans", "over": "flag_over", "onbekend": "flag_onbekend"}


class _AreaForm:
    """The inputs of one area: importance, the fields of data/investment/model.yaml, a note; with a
    message at each field, the running total and the plain-language explanation."""

    def __init__(self, app: "ProportionApp", index: int, area_id: str):
        self.app, self.area_id = app, area_id
        lang, inv = app.lang, app.inv
        area = app.model.area(area_id)
        st = {"description_width": "260px"}
        self.maturity = W.HTML()
        opts = [(t("choose", lang), EMPTY)] + [(f"{lv.level} · {lv.label(lang)}", lv.level)
                                                for lv in inv.ambition_levels]
        self.ambition = W.Dropdown(options=opts, description=t("ambition", lang), style=st,
                                   layout=W.Layout(width="480px"))
        self.ambition.add_class("imw-ambition")
        self.ambition_help = W.HTML()
        self.msg = W.HTML()  # an error of a save in this area, in the area and not at the top of the page
        self.ambition.observe(app._guard(self._on_ambition, where=self.msg), names="value")
        self.inputs: dict[str, W.Widget] = {}
        self.field_msgs: dict[str, W.HTML] = {}
        self.choice_help: dict[str, W.HTML] = {}
        main = [W.HTML(f"<b>{html.escape(t('inv_required_title', lang))}</b>")]
        main += [self._field_row(f, st) for f in inv.fields if f.required]
        optional = [self._field_row(f, st) for f in inv.fields if not f.required]
        self.optional = W.Accordion(children=[W.VBox([
            W.HTML(f"<div class='imw-help'>{html.escape(t('inv_optional_help', lang))}</div>"), *optional])],
            titles=(t("inv_optional_title", lang),), selected_index=None)
        self.guide = W.HTML(_area_guide(app.allocation, area_id, lang))
        groups = [W.VBox(main, layout=W.Layout(margin="4px 0")), self.guide, self.optional]
        self.note = W.Textarea(description=t("label_note", lang), placeholder=t("note_placeholder", lang),
                               continuous_update=False, rows=2, style=st, layout=W.Layout(width="98%"))
        self.note.observe(app._guard(self._on_note, where=self.msg), names="value")
        self.total = W.HTML()
        self.total.add_class("imw-area-total")
        self.explanation = W.HTML()
        self.warnings = W.HTML()
        self._setting = False
        prev_b = W.Button(description=t("prev_area", lang), icon="arrow-left", disabled=index == 0)
        next_b = W.Button(description=t("next_area", lang), icon="arrow-right",
                          disabled=index == len(app.model.areas) - 1)
        prev_b.on_click(lambda _b: setattr(app.tabs, "selected_index", index - 1))
        next_b.on_click(lambda _b: setattr(app.tabs, "selected_index", index + 1))
        self.box = W.VBox([
            W.HTML(f"<p><b>{html.escape(area.name(lang))}</b> — {html.escape(area.description(lang))}</p>"),
            self.maturity, self.ambition, self.ambition_help, *groups, self.note, self.total, self.explanation,
            self.warnings, self.msg, W.HBox([prev_b, next_b])])
        self.refresh()

    def _field_row(self, f: InvestmentField, st: dict) -> W.Widget:
        lang = self.app.lang
        if f.unit == "choice":  # every value defined in data/investment/model.yaml
            widget: W.Widget = W.Dropdown(options=[(t("choose", lang), EMPTY)]
                                          + [(c.label(lang), c.value) for c in f.choices],
                                          description=f.label(lang), style=st, layout=W.Layout(width="480px"))
            self.choice_help[f.id] = W.HTML()
        else:
            empty = "unknown_placeholder" if f.required or f.detail_of else "optional_placeholder"
            widget = W.Text(description=f.label(lang), placeholder=t(empty, lang), style=st,
                            continuous_update=False, layout=W.Layout(width="480px"))
        widget.tooltip = f.help(lang)
        widget.add_class(f"imw-f-{f.id}")
        widget.observe(self.app._guard(lambda change, field=f: self._on_field(field, change), where=self.msg),
                       names="value")
        self.inputs[f.id] = widget
        self.field_msgs[f.id] = msg = W.HTML()
        help_text = W.HTML(f'<div class="imw-help" style="margin:0 0 0 268px">{html.escape(f.help(lang))}</div>')
        rows = [W.HBox([widget, msg], layout=W.Layout(align_items="center")), help_text]
        if f.id in self.choice_help:
            rows.append(self.choice_help[f.id])
        return W.VBox(rows)

    def _show_choice_help(self) -> None:
        for field_id, place in self.choice_help.items():
            value = self.inputs[field_id].value
            choice = next((c for c in self.app.inv.field(field_id).choices if c.value == value), None)
            place.value = (f'<div class="imw-help" style="margin-left:268px"><i>{html.escape(choice.label(self.app.lang))}'
                           f'</i>: {html.escape(choice.description(self.app.lang))}</div>' if choice else "")

    # showing what is saved ----------------------------------------------------------------
    def refresh(self) -> None:
        values = self.app.session.answers.investment.areas.get(self.area_id, {})
        self._setting = True
        try:
            amb = values.get("ambition")
            self.ambition.value = EMPTY if amb is None else int(amb)
            for field_id, widget in self.inputs.items():
                v = values.get(field_id)
                if isinstance(widget, W.Dropdown):
                    widget.value = EMPTY if v is None else int(v)
                else:
                    widget.value = format_input(v, self.app.lang)
                clear_field_error(widget, self.field_msgs[field_id])
            self.note.value = values.get("note", "")
        finally:
            self._setting = False
        self._show_ambition_help()
        self._show_choice_help()

    def _show_ambition_help(self) -> None:
        level = self.ambition.value
        self.ambition_help.value = (
            f'<div class="imw-help" style="margin-left:268px">'
            f'{html.escape(self.app.inv.ambition_levels[level - 1].description(self.app.lang))}</div>'
            if level != EMPTY else "")

    def show_result(self, row, maturity_row, warnings: list[str]) -> None:
        lang = self.app.lang
        self.maturity.value = (f'<div class="imw-help">{t("maturity_line", lang, current=format_number(maturity_row["current"], lang), target=format_number(maturity_row["target"], lang), gap=format_number(maturity_row["gap"], lang))}</div>')
        parts = t("area_total_parts", lang, time=format_euro(row["time_known_eur"], lang),
                  money=format_euro(row["money_known_eur"], lang),
                  resources=format_euro(row["resources_known_eur"], lang))
        status = "" if row["complete"] else f' <span class="imw-field-warn">({t("incomplete", lang)})</span>'
        pupils = self.app.session.answers.school.pupils
        absolute = (t("area_absolute", lang, pp=format_euro(row["known_eur"] / pupils, lang),
                      ref=format_euro(row["ref_per_pupil"], lang),
                      hours100=format_number(row["hours_known"] / pupils * 100, lang, 0))
                    if pupils else "")
        self.total.value = (f"<b>{t('area_total', lang, eur=format_euro(row['known_eur'], lang))}</b>{status}"
                            f" <span style='color:#555'>{parts}</span><br>{html.escape(absolute)}")
        self.explanation.value = f"<div>{html.escape(row['explanation'])}</div>"
        self.warnings.value = "".join(f'<div class="imw-field-warn">⚠ {html.escape(w)}</div>' for w in warnings)

    # changes --------------------------------------------------------------------------
    def _on_field(self, field: InvestmentField, change) -> None:
        if self._setting:
            return
        widget, msg = self.inputs[field.id], self.field_msgs[field.id]
        value = None if change["new"] == EMPTY else change["new"]
        try:
            self.app.session.set_investment(self.area_id, field.id, value)
        except ValueError as exc:  # wrong input: said at the field, what was typed stays there to correct it
            raise FieldError(error_text(exc, self.app.lang), widget, msg) from None
        clear_field_error(widget, msg)
        self._show_choice_help()
        if isinstance(widget, W.Text):
            self._setting = True
            widget.value = format_input(self.app.session.answers.investment.areas[self.area_id][field.id],
                                        self.app.lang)
            self._setting = False
        self.app.changed()

    def _on_ambition(self, change) -> None:
        if self._setting:
            return
        self.app.session.set_investment(self.area_id, "ambition", None if change["new"] == EMPTY else change["new"])
        self._show_ambition_help()
        self.app.changed()

    def _on_note(self, change) -> None:
        if self._setting:
            return
        self.app.session.set_investment(self.area_id, "note", change["new"])
        self.app.changed(rescore=False)


class ProportionApp(SchoolApp):
    """Investment inputs per area + live quadrant, difference and bar charts + what-if."""

    def __init__(self, session: Session | None = None, *, lang: str | None = None, folder: str | Path | None = None,
                 model: MaturityModel | None = None, inv: InvestmentModel | None = None):
        lang = self._setup(lang, folder, model)
        self.inv = inv or load_investment_model()
        self.allocation = load_allocation()
        self.result: ProportionResult | None = None
        st = {"description_width": "initial"}
        self.rate = W.Text(description=t("label_hourly_rate", lang), style=st, continuous_update=False,
                           layout=W.Layout(width="320px"))
        self.staff = W.Text(description=t("label_staff_fte", lang), style=st, continuous_update=False,
                            layout=W.Layout(width="320px"))
        self.levy = W.Text(description=t("label_levy", lang), style=st, continuous_update=False,
                           placeholder=t("unknown_placeholder", lang), layout=W.Layout(width="420px"))
        self.levy.add_class("imw-levy")
        self.levy_attribution = W.Dropdown(
            options=[(t("levy_by_hours", lang), "support_hours"), (t("levy_even", lang), "even")],
            description=t("label_levy_attribution", lang), style=st, layout=W.Layout(width="560px"))
        self.levy_help = W.HTML(f"<div class='imw-help'>{html.escape(t('levy_help', lang))}</div>",
                                layout=W.Layout(max_width="860px"))
        self.setting_msgs = {"hourly_rate": W.HTML(), "staff_fte": W.HTML(), "levy_eur": W.HTML(),
                             "levy_attribution": W.HTML()}  # a message beside each
        self.setting_widgets = {"hourly_rate": self.rate, "staff_fte": self.staff, "levy_eur": self.levy,
                                "levy_attribution": self.levy_attribution}
        self._setting = False
        for key, widget in self.setting_widgets.items():
            widget.observe(self._guard(lambda change, key=key: self._on_setting(key, change)), names="value")
        self.guide = AllocationGuide(self)
        self.progress_bar = W.IntProgress(min=0, max=len(self.model.areas), bar_style="info",
                                          layout=W.Layout(width="300px"))
        self.progress_text = W.HTML()
        self.progress_text.add_class("imw-progress")
        self.summary = W.HTML()
        self.school_messages = W.HTML()
        self.quadrant_box = W.Box(layout=W.Layout(flex="0 0 auto", margin="0 12px 0 0"))
        self.diff_box = W.Box(layout=W.Layout(flex="0 0 auto"))
        self.bars_box = W.Box()
        self.figs: dict[str, go.Figure] = {}
        charts = W.VBox([W.HBox([self.quadrant_box, self.diff_box], layout=W.Layout(flex_flow="row wrap")),
                         self.bars_box])
        self.forms: dict[str, _AreaForm] = {}
        self.area_boxes = [W.VBox() for _ in self.model.areas]
        self.tabs = W.Tab(children=self.area_boxes)
        self.tabs.observe(self._guard(lambda ch: self._build_area(ch["new"])), names="selected_index")
        self.what_if = WhatIf(self)
        self.summary_box = W.Box()
        self.summary_link = W.HTML()
        make = W.Button(description=t("summary_make", lang), icon="file-text", button_style="info")
        make.on_click(self._guard(lambda _b: self.make_summary(), where=self.summary_link))
        save = W.Button(description=t("summary_save", lang), icon="download")
        save.on_click(self._guard(lambda _b: self.save_summary(), where=self.summary_link))
        self.board = W.Accordion(children=[W.VBox([
            W.HTML(f"<div class='imw-help'>{html.escape(t('summary_intro', lang))}</div>"),
            W.HBox([make, save]), self.summary_link, self.summary_box])], titles=(t("summary_title", lang),),
            selected_index=None)
        self.status = W.HTML()
        self.report = ReportPanel(self, self.model)
        self.widget = W.VBox([
            W.HTML(CSS), self.school.widget,
            W.HBox([W.VBox([self.rate, self.setting_msgs["hourly_rate"]]),
                    W.VBox([self.staff, self.setting_msgs["staff_fte"]])],
                   layout=W.Layout(flex_flow="row wrap", align_items="flex-start")),
            W.HBox([W.VBox([self.levy, self.setting_msgs["levy_eur"]]),
                    W.VBox([self.levy_attribution, self.setting_msgs["levy_attribution"]])],
                   layout=W.Layout(flex_flow="row wrap", align_items="flex-start")),
            self.levy_help,
            W.HBox([self.progress_bar, self.progress_text], layout=W.Layout(align_items="center")),
            self.summary, self.school_messages, charts,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('inputs_title', lang))}</h3>"),
            self.guide.widget, self.tabs, self.status, self.what_if.widget, self.board, self.report.widget,
        ], layout=W.Layout(width="100%"))
        self._finish(session, "intro_proportion")

    def _init_extra(self) -> dict:
        return {"inv": self.inv}

    def resync(self) -> None:
        if self.session is None:
            return
        for form in self.forms.values():
            form.refresh()
        self.school.show_school()
        self._show_settings()

    def after_school_change(self) -> None:
        self.changed()  # the number of pupils changes the per-pupil figures

    def load(self, session: Session) -> None:
        self.forms.clear()
        for box in self.area_boxes:
            box.children = ()
        self._show_settings()
        self._build_area(self.tabs.selected_index or 0)
        self.show_status(saved=False)
        self.changed(saved=False)

    def _show_settings(self) -> None:
        inv, st = self.session.answers.investment, self.inv.settings
        self._setting = True
        try:
            for key, widget in self.setting_widgets.items():
                clear_field_error(widget, self.setting_msgs[key])
            self.rate.value = format_input(inv.hourly_rate, self.lang)
            self.rate.placeholder = t("default_value", self.lang, value=format_input(st.hourly_rate, self.lang))
            self.staff.value = format_input(inv.staff_fte, self.lang)
            pupils = self.session.answers.school.pupils
            estimate = pupils * st.staff_fte_per_pupil[self.session.answers.school.sector] if pupils else None
            self.staff.placeholder = (t("estimate_value", self.lang, value=format_number(estimate, self.lang))
                                      if estimate else t("unknown_placeholder", self.lang))
            self.levy.value = format_input(inv.levy_eur, self.lang)
            self.levy_attribution.value = levy_attribution(self.session.answers, self.inv)
        finally:
            self._setting = False

    def _on_setting(self, key: str, change) -> None:
        if self._setting:
            return
        widget = self.setting_widgets[key]
        try:
            self.session.set_investment_setting(key, change["new"])
        except ValueError as exc:  # at the field, kept to correct
            raise FieldError(f"{widget.description}: {exc}", widget, self.setting_msgs[key]) from None
        clear_field_error(widget, self.setting_msgs[key])
        self._show_settings()
        self.changed()

    def _build_area(self, index: int | None) -> None:
        if index is None or self.session is None or self.area_boxes[index].children:
            return
        area_id = self.model.areas[index].id
        form = _AreaForm(self, index, area_id)
        self.forms[area_id] = form
        self.area_boxes[index].children = [form.box]
        if self.result is not None:
            self._show_forms()

    # after every change ------------------------------------------------------------------
    def changed(self, rescore: bool = True, saved: bool = True) -> None:
        self.school.show_notice()
        if saved:
            self.show_status(saved=True)
        if not rescore:
            return
        answers = self.session.answers
        self.maturity = area_scores(answers, self.model, self.lang)
        self.result = result = compute(answers, self.model, self.inv, lang=self.lang, maturity=self.maturity)
        table, overall = result.table, result.overall
        self.progress_bar.value = overall["n_complete"]
        self.progress_text.value = (f"<b>{t('areas_complete', self.lang, done=overall['n_complete'], total=overall['n_areas'])}</b>")
        self.summary.value = t("proportion_summary", self.lang, eur=format_euro(overall["known_eur"], self.lang),
                               pp=format_euro(overall["invest_per_pupil"], self.lang),
                               hours=format_hours(overall["hours"], self.lang),
                               hours100=format_number(overall["hours_per_100"], self.lang, 0),
                               index=format_number(overall["index"], self.lang, 2))
        if overall["verdict"] == "verhouding":  # the other verdicts are school messages (a warning) below
            self.summary.value += f"<br>{html.escape(overall['verdict_text'])}"
        self.tabs.titles = tuple(
            f"{row.short} ✓" if row.complete and row.ambition == row.ambition else f"{row.short} …"
            for row in table.itertuples())
        th = (self.inv.thresholds.under, self.inv.thresholds.over)
        self.figs["quadrant"] = show_figure(self.quadrant_box, quadrant(table, lang=self.lang, width=CHART_WIDTH,
                                                                        thresholds=th),
                                            chart_config(self.lang, "kwadrant"))
        self.figs["difference"] = show_figure(self.diff_box, share_difference(table, lang=self.lang,
                                                                              width=CHART_WIDTH),
                                              chart_config(self.lang, "verschil"))
        self.figs["bars"] = show_figure(self.bars_box, investment_bars(table, lang=self.lang,
                                                                       width=2 * CHART_WIDTH + 12),
                                        chart_config(self.lang, "tijd-geld-middelen"))
        self._show_forms()
        self.what_if.reset()

    def make_summary(self) -> None:
        """Show the one-page summary for the board (a static figure of the current answers)."""
        fig = proportion_summary(self.session.answers, self.model, self.inv, lang=self.lang)
        self.summary_fig = show_figure(self.summary_box, fig, chart_config(self.lang, "samenvatting"))

    def save_summary(self) -> Path:
        path = save_proportion_summary(self.session.answers, self.model, lang=self.lang)
        self.summary_link.value = download_link(path, self.lang, done=t("summary_saved", self.lang))
        return path

    def _show_forms(self) -> None:
        warnings: dict[str | None, list[str]] = {}
        for area_id, _field, message in checks(self.session.answers, self.result, self.inv, self.lang):
            warnings.setdefault(area_id, []).append(message)
        self.school_messages.value = "".join(f'<div class="imw-msg-warn">{html.escape(m)}</div>'
                                             for m in [*self.result.messages, *warnings.get(None, [])])
        for area_id, form in self.forms.items():
            form.show_result(self.result.table.loc[area_id], self.maturity.loc[area_id], warnings.get(area_id, []))


def _area_guide(allocation: Allocation, area_id: str, lang: str) -> str:
    """One line under an area's money field: which common costs belong (partly) here by the default key."""
    parts = [f"{item.label(lang)} {format_number(item.key[area_id] * 100, lang, 0)}%"
             for item in allocation.items if area_id in item.key]
    text = t("guide_area", lang, items="; ".join(parts)) if parts else t("guide_area_none", lang)
    return f'<div class="imw-help" style="margin-left:268px">{html.escape(text)}</div>'


class AllocationGuide:
    """The allocation guide beside the inputs: the rules, the default key per common cost as a table (cost x
    area, % of the cost), and a small calculator that splits an amount by a key (shown only, never saved)."""

    def __init__(self, app: ProportionApp):
        self.app = app
        lang, alloc = app.lang, app.allocation
        areas = app.model.areas
        head = "".join(f"<th scope='col'>{html.escape(a.short(lang))}</th>" for a in areas)
        rows = []
        for item in alloc.items:
            cells = ("".join(f"<td style='text-align:right'>{format_number(item.key[a.id] * 100, lang, 0) + '%' if a.id in item.key else ''}</td>"
                             for a in areas) if not item.exclude else
                     f"<td colspan='{len(areas)}'><i>{html.escape(t('guide_exclude', lang))}</i></td>")
            rows.append(f"<tr><th scope='row' style='text-align:left;font-weight:normal'><b>{html.escape(item.label(lang))}</b>"
                        f"<br><span class='imw-help'>{html.escape(item.example(lang))}</span></th>{cells}</tr>")
        style = ("<style>.imw-guide td, .imw-guide th {border-bottom:1px solid #ddd; padding:2px 8px; "
                 "vertical-align:top} .imw-guide th[scope=col] {vertical-align:bottom}</style>")
        table = (f"{style}<table class='imw-guide' style='border-collapse:collapse'><caption style='text-align:left'>"
                 f"{html.escape(t('guide_caption', lang))}</caption><tr><th scope='col' style='text-align:left'>"
                 f"{html.escape(t('guide_cost', lang))}</th>{head}</tr>{''.join(rows)}</table>")
        rules = "".join(f"<li>{html.escape(r(lang))}</li>" for r in alloc.rules)
        self.item = W.Dropdown(options=[(i.label(lang), i.id) for i in alloc.items if not i.exclude],
                               description=t("guide_calc_item", lang), style={"description_width": "initial"},
                               layout=W.Layout(width="460px"))
        self.amount = W.Text(description=t("guide_calc_amount", lang), style={"description_width": "initial"},
                             continuous_update=False, placeholder="8.000", layout=W.Layout(width="300px"))
        self.amount.add_class("imw-guide-amount")
        self.result = W.HTML()
        self.result.add_class("imw-guide-result")
        for w in (self.item, self.amount):
            w.observe(app._guard(lambda _c: self.split()), names="value")
        body = W.VBox([W.HTML(f"<ul>{rules}</ul>{table}"),
                       W.HTML(f"<p><b>{html.escape(t('guide_calc_title', lang))}</b></p>"),
                       W.HBox([self.item, self.amount], layout=W.Layout(flex_flow="row wrap")), self.result])
        self.widget = W.Accordion(children=[body], titles=(t("guide_title", lang),), selected_index=None)

    def split(self) -> dict[str, float]:
        """The amount typed, split over the areas by the chosen key (shown in the guide; nothing is saved)."""
        from imworkbook.base.numbers import parse_number

        lang = self.app.lang
        try:
            amount = parse_number(self.amount.value)
        except ValueError as exc:
            self.result.value = f'<div class="imw-field-warn">{html.escape(error_text(exc, lang))}</div>'
            return {}
        if amount is None:
            self.result.value = ""
            return {}
        item = next(i for i in self.app.allocation.items if i.id == self.item.value)
        shares = {a.id: amount * item.key[a.id] for a in self.app.model.areas if a.id in item.key}
        names = {a.id: a.short(lang) for a in self.app.model.areas}
        self.result.value = "<ul>" + "".join(f"<li>{html.escape(names[a])}: {format_euro(v, lang)}</li>"
                                             for a, v in shares.items()) + "</ul>"
        return shares


class WhatIf:
    """Sliders per area for importance and yearly investment. They move the index, the flag and the
    quadrant point live, on a copy: the saved answers never change."""

    def __init__(self, app: ProportionApp):
        self.app = app
        lang = app.lang
        self.rows = W.VBox()
        self.sliders: dict[str, tuple[W.IntSlider, W.FloatSlider, W.HTML]] = {}
        self.readouts: dict[str, W.HTML] = {}  # the euros of each slider as people write them ("€ 6.923")
        self.quadrant_box = W.Box()
        self.outcome = W.HTML()
        reset = W.Button(description=t("whatif_reset", lang), icon="undo",
                         layout=W.Layout(width="auto", align_self="flex-start"))  # the whole text, not clipped
        reset.on_click(app._guard(lambda _b: self.reset()))
        body = W.VBox([W.HTML(f"<div class='imw-help'>{html.escape(t('whatif_intro', lang))}</div>"),
                       self.rows, reset, self.outcome, self.quadrant_box])
        self.widget = W.Accordion(children=[body], titles=(t("whatif_title", lang),), selected_index=None)
        self.widget.observe(app._guard(self._on_open), names="selected_index")
        self._busy = False
        self.result = None

    @property
    def is_open(self) -> bool:
        return self.widget.selected_index == 0

    def _on_open(self, change) -> None:
        if change["new"] == 0:
            self.reset()

    def reset(self) -> None:
        """Sliders back to the saved values (for the complete areas with an importance). Only done while
        the panel is open, so answering elsewhere stays fast."""
        if not self.is_open or self.app.result is None:
            return
        table = self.app.result.table
        usable = table[table["complete"] & table["ambition"].notna()]
        top = round(max([1000.0, *usable["invest_eur"]]) * 3, -2)
        self._busy = True
        try:
            if list(usable.index) != list(self.sliders):
                self._build_rows(usable, top)
            for area_id, row in usable.iterrows():
                amb, eur, _flag = self.sliders[area_id]
                eur.max = max(eur.max, top)
                amb.value, eur.value = int(row["ambition"]), float(row["invest_eur"])
        finally:
            self._busy = False
        self.update()

    def _build_rows(self, usable, top: float) -> None:
        rows = []
        self.sliders = {}
        lang = self.app.lang
        for area_id, row in usable.iterrows():
            area = f'<span class="imw-sr-only"> — {html.escape(row["short"])}</span>'  # the name says the area
            amb = W.IntSlider(value=int(row["ambition"]), min=1, max=5, description=html.escape(t("ambition", lang)) + area,
                              description_allow_html=True, continuous_update=False, layout=W.Layout(width="300px"))
            eur = W.FloatSlider(value=float(row["invest_eur"]), min=0, max=top, step=100,
                                description=html.escape(t("per_year", lang)) + area, description_allow_html=True,
                                continuous_update=False,  # its own readout would say "6,923": see the readout
                                readout=False, layout=W.Layout(width="380px"))
            amb.add_class("imw-whatif-ambition")
            eur.add_class("imw-whatif-invest")
            flag = W.HTML()
            for w in (amb, eur):
                w.observe(self.app._guard(lambda _c: self.update()), names="value")
            self.sliders[area_id] = (amb, eur, flag)
            self.readouts[area_id] = readout = W.HTML(format_money(eur.value, lang), layout=W.Layout(width="90px"))
            readout.add_class("imw-readout")
            pair = W.HBox([eur, readout], layout=W.Layout(align_items="center"))
            pair.add_class("imw-slider-pair")
            rows.append(W.HBox([W.HTML(f"<b>{html.escape(row['short'])}</b>", layout=W.Layout(width="150px")),
                                amb, pair, flag], layout=W.Layout(align_items="center")))
        self.rows.children = rows

    def overrides(self) -> dict[str, dict[str, float]]:
        return {a: {"ambition": amb.value, "invest_eur": eur.value} for a, (amb, eur, _) in self.sliders.items()}

    def update(self) -> None:
        if self._busy or self.app.session is None:
            return
        app, lang = self.app, self.app.lang
        result = compute(app.session.answers, app.model, app.inv, lang=lang, overrides=self.overrides(),
                         maturity=app.maturity)
        saved = app.result.table
        for area_id, (_amb, eur, flag) in self.sliders.items():
            self.readouts[area_id].value = format_money(eur.value, lang)
            new, old = result.table.loc[area_id], saved.loc[area_id]
            moved = "" if new["flag"] == old["flag"] else f" ({t('was', lang)} {t(FLAG_KEY[old['flag']], lang).lower()})"
            flag.value = (f"{t(FLAG_KEY[new['flag']], lang)} · {t('index', lang).lower()} "
                          f"{format_number(new['index'], lang, 2)}{moved}")
        self.outcome.value = t("whatif_overall", lang, index=format_number(result.overall["index"], lang, 2),
                               before=format_number(app.result.overall["index"], lang, 2))
        th = (app.inv.thresholds.under, app.inv.thresholds.over)
        self.figure = show_figure(self.quadrant_box, quadrant(result.table, lang=lang, width=CHART_WIDTH,
                                                              thresholds=th, title=t("whatif_chart", lang)),
                                  chart_config(lang, "wat-als"))
        self.result = result


def verhouding(school: str | Path | None = None, *, lang: str | None = None, folder: str | Path | None = None) -> ProportionApp:
    """Open the investment-proportion app (same school choice as :func:`~imworkbook.vragenlijst`)."""
    return ProportionApp.open(school, lang=lang, folder=folder)
