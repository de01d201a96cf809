"""Werkboek 5: critical questions for a proposed application, ending in an advice that is saved and printable."""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

import ipywidgets as W
from markupsafe import Markup

from imworkbook.analysis.proportion import hourly_rate
from imworkbook.analysis.proposals import ADVICE_KEYS, QUESTIONS, Advice, advise, answered
from imworkbook.apps.base import name_control
from imworkbook.apps.downloads import download_link
from imworkbook.apps.feedback import FieldError, clear_field_error
from imworkbook.apps.schoolbar import SchoolApp
from imworkbook.apps.style import CSS
from imworkbook.base import paths
from imworkbook.base.errors import error_text
from imworkbook.base.i18n import t
from imworkbook.base.numbers import format_input, parse_number
from imworkbook.base.storage import atomic_write_bytes
from imworkbook.io.session import Session
from imworkbook.model.answers import Proposal, slug
from imworkbook.model.content import OTHER_TYPE, MaturityModel, load_investment_model, load_landscape_reference
from imworkbook.report.board import render_page

NEW = "__new__"
VERDICT_COLOUR = {"ga_door": "#009E73", "eerst_uitzoeken": "#E69F00", "niet_doen": "#D55E00"}


class ProposalApp(SchoolApp):
    def __init__(self, session: Session | None = None, *, lang: str | None = None, folder: str | Path | None = None,
                 model: MaturityModel | None = None):
        lang = self._setup(lang, folder, model)
        self.ref = load_landscape_reference()
        self._setting = False
        self.advice: Advice | None = None
        st = {"description_width": "initial"}
        self.pick = W.Dropdown(description=t("prop_pick", lang), style=st, layout=W.Layout(width="460px"))
        self.pick.observe(self._guard(lambda _c: self.show_proposal()), names="value")
        self.f_name = W.Text(description=t("prop_name", lang), style=st, layout=W.Layout(width="460px"))
        self.name_msg = W.HTML(layout=W.Layout(max_width="460px"))
        self.editing: str | None = None  # the saved proposal the form shows (None: a new one)
        self.f_type = W.Dropdown(description=t("land_type", lang), style=st, layout=W.Layout(width="460px"),
                                 options=[(s.label(lang), s.id) for s in self.ref.system_types])
        self.f_goal = W.Textarea(placeholder=t("prop_goal_placeholder", lang), rows=3, layout=W.Layout(width="640px"))
        acts = [(f"{self.ref.label('area', self.ref.area_of(a.id), lang)} · {a.label(lang)}", a.id)
                for a in self.ref.activities.values()]
        self.f_activities = W.SelectMultiple(options=acts, rows=7, layout=W.Layout(width="640px"))
        yes_no = [(t("answer_yes", lang), "ja"), (t("answer_no", lang), "nee"), (t("weet_niet", lang), "weet_niet")]
        self.f_technical = W.ToggleButtons(options=yes_no, value=None, description=t("prop_technical", lang), style=st)
        self.f_maintenance = W.ToggleButtons(options=yes_no, value=None, description=t("prop_maintenance", lang), style=st)
        self.f_objects = W.SelectMultiple(options=[(d.label(lang) + (" *" if d.personal else ""), d.id)
                                                   for d in self.ref.data_objects], rows=7, layout=W.Layout(width="420px"))
        self.f_agreement = W.ToggleButtons(options=[*yes_no, (t("nvt", lang), "nvt")], value=None,
                                           description=t("prop_agreement", lang), style=st)
        self.f_costs = {key: W.Text(description=t(label, lang), style=st, layout=W.Layout(width="300px"),
                                    continuous_update=False)  # checked when typed, not at every key
                        for key, label in (("cost_once", "prop_cost_once"), ("cost_implementation", "prop_cost_impl"),
                                           ("licence_year", "prop_licence"), ("hours_year", "prop_hours"))}
        self.cost_msgs = {key: W.HTML(layout=W.Layout(max_width="300px")) for key in self.f_costs}  # below each amount
        for w in (self.f_name, self.f_type, self.f_goal, self.f_activities, self.f_technical, self.f_maintenance,
                  self.f_objects, self.f_agreement, *self.f_costs.values()):
            w.observe(self._guard(lambda _c: self.update_advice()), names="value")

        # the question above each field is its name (shown once, as the question)
        for n, key, w in ((1, "prop_q1", self.f_goal), (2, "prop_q2", self.f_activities), (4, "prop_q4", self.f_objects)):
            name_control(w, f"{n}. {t(key, lang)}")

        def question(n: int, key: str, *body):
            return W.VBox([W.HTML(f"<div class='imw-q'>{n}. {html.escape(t(key, lang))}</div>"), *body],
                          layout=W.Layout(border="1px solid #d0d7de", padding="6px 10px", margin="6px 0"))

        self.existing = W.HTML()
        self.advice_box = W.HTML()
        self.save_button = W.Button(description=t("prop_save", lang), button_style="primary", layout=W.Layout(width="auto"))
        self.result = W.HTML()  # the outcome of Save / Print, beside the buttons
        self.save_button.on_click(self._guard(lambda _b: self.save(), where=self.result))
        self.print_button = W.Button(description=t("prop_print", lang), layout=W.Layout(width="auto"))
        self.print_button.on_click(self._guard(lambda _b: self.printable(), where=self.result))
        self.status = W.HTML()
        self.widget = W.VBox([
            W.HTML(CSS), self.school.widget, self.pick,
            W.HBox([W.VBox([self.f_name, self.name_msg]), self.f_type],
                   layout=W.Layout(flex_flow="row wrap", align_items="flex-start")),
            question(1, "prop_q1", self.f_goal),
            question(2, "prop_q2", self.f_activities, self.existing),
            question(3, "prop_q3", self.f_technical, self.f_maintenance),
            question(4, "prop_q4", self.f_objects, W.HTML(f"<div class='imw-help'>{html.escape(t('prop_personal_note', lang))}</div>"),
                     self.f_agreement),
            question(5, "prop_q5", W.HBox([W.VBox([w, self.cost_msgs[key]]) for key, w in self.f_costs.items()],
                                          layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))),
            self.advice_box, W.HBox([self.save_button, self.print_button]), self.result, self.status,
        ], layout=W.Layout(width="100%"))
        self._finish(session, "intro_proposals")

    def _rebuild(self, lang: str) -> None:
        keep = self.pick.value
        super()._rebuild(lang)
        if keep in [v for _, v in self.pick.options]:
            self.pick.value = keep

    def resync(self) -> None:
        pass

    def after_school_change(self) -> None:
        self.update_advice()

    def load(self, session: Session) -> None:
        self.refresh_pick()

    def refresh_pick(self, keep: str | None = None) -> None:
        names = [p.name for p in self.session.answers.proposals]
        self.pick.options = [(n, n) for n in names] + [(t("prop_new", self.lang), NEW)]
        self.pick.value = keep if keep in names else (names[-1] if names else NEW)
        self.show_proposal()

    def show_proposal(self) -> None:
        p = next((x for x in self.session.answers.proposals if x.name == self.pick.value), None) if self.session else None
        self.editing = p.name if p else None
        clear_field_error(self.f_name, self.name_msg)
        self._setting = True
        try:
            self.f_name.value = p.name if p else ""
            self.f_type.value = p.type if p and p.type in [v for _, v in self.f_type.options] else OTHER_TYPE
            self.f_goal.value = p.goal if p else ""
            known = {v for _, v in self.f_activities.options}
            self.f_activities.value = tuple(a for a in (p.activities if p else []) if a in known)
            self.f_technical.value = p.technical_fit if p else None
            self.f_maintenance.value = p.maintenance if p else None
            objects = {v for _, v in self.f_objects.options}
            self.f_objects.value = tuple(o for o in (p.data_objects if p else []) if o in objects)
            self.f_agreement.value = p.processing_agreement if p else None
            for key, w in self.f_costs.items():
                value = getattr(p, key) if p else None
                w.value = format_input(value, self.lang)
        finally:
            self._setting = False
        self.result.value = ""
        self.update_advice()

    def proposal(self) -> Proposal:
        costs = {}
        for key, w in self.f_costs.items():
            try:
                costs[key] = parse_number(w.value)
            except ValueError as exc:  # at the field; what was typed stays there to correct it
                raise FieldError(f"{w.description}: {error_text(exc, self.lang)}", w, self.cost_msgs[key]) from None
            clear_field_error(w, self.cost_msgs[key])
        return Proposal(name=self.f_name.value.strip() or t("prop_unnamed", self.lang), type=self.f_type.value,
                        goal=self.f_goal.value, activities=list(self.f_activities.value),
                        technical_fit=self.f_technical.value, maintenance=self.f_maintenance.value,
                        data_objects=list(self.f_objects.value), processing_agreement=self.f_agreement.value, **costs)

    def _advise(self, proposal: Proposal):
        """The advice with the school's own hourly rate and the model's period (one rule, for showing and saving)."""
        inv = load_investment_model()
        return advise(proposal, self.session.answers.landscape, self.ref, hourly_rate=hourly_rate(self.session.answers, inv),
                      years=inv.settings.tco_years, lang=self.lang)

    def update_advice(self) -> None:
        if self._setting or self.session is None:
            return
        lang = self.lang
        proposal = self.proposal()
        n = answered(proposal)
        if not n:  # an empty form gets no verdict: say what to do instead
            self.advice = None
            self.existing.value = ""
            self.advice_box.value = (f"<div class='imw-advice-empty' role='status' style='border-left:6px solid #888;"
                                     f"padding:6px 12px;margin:8px 0'><b>{html.escape(t('prop_empty_title', lang))}</b> "
                                     f"{html.escape(t('prop_empty', lang))}</div>")
            return
        self.advice = advice = self._advise(proposal)
        if advice.equivalents:
            self.existing.value = (f"<div class='imw-msg-warn'>{html.escape(t('prop_existing_found', lang))} "
                                   + ", ".join(f"<b>{html.escape(n)}</b>" for n, _ in advice.equivalents) + "</div>")
        else:
            self.existing.value = f"<div class='imw-help'>{html.escape(t('prop_existing_none', lang))}</div>"
        self.advice_box.value = advice_html(advice, lang, answered=n)

    def _require_answers(self, proposal: Proposal) -> None:
        if not answered(proposal):
            raise ValueError(t("prop_empty_refused", self.lang))

    def save(self) -> None:
        proposal = self.proposal()
        if proposal.name != self.editing and any(p.name == proposal.name for p in self.session.answers.proposals):
            # saving replaces the proposal of that name: never one the form does not show
            raise FieldError(f"{self.f_name.description}: {t('prop_name_exists', self.lang, name=proposal.name)}",
                             self.f_name, self.name_msg)
        self._require_answers(proposal)
        advice = self.advice or self._advise(proposal)
        proposal.advice, proposal.reasons = advice.verdict, advice.reasons
        proposal.decided_at = _dt.date.today().isoformat()
        self.session.save_proposal(proposal, replace=self.editing)  # a renamed proposal replaces itself, not a copy
        self.editing = proposal.name
        self.refresh_pick(proposal.name)
        self.show_status(saved=True)
        self.show_done(self.result, t('prop_saved', self.lang))

    def printable(self) -> Path:
        """A one-page HTML of the proposal and its advice (print it from the browser), with a download link."""
        lang = self.lang
        p, answers = self.proposal(), self.session.answers
        self._require_answers(p)
        rows = [(t("prop_q1", lang), p.goal or "–"),
                (t("prop_q2", lang), ", ".join(self.ref.label("activity", a, lang) for a in p.activities) or "–"),
                (t("prop_technical", lang), _choice(p.technical_fit, lang)),
                (t("prop_maintenance", lang), _choice(p.maintenance, lang)),
                (t("prop_q4", lang), ", ".join(self.ref.label("object", o, lang) for o in p.data_objects) or "–"),
                (t("prop_agreement", lang), _choice(p.processing_agreement, lang))]
        page = render_page("proposal.html.j2", lang=lang, name=p.name, title=t("prop_print_title", lang, name=p.name),
                           school=answers.school.name, round=answers.round, date=_dt.date.today().isoformat(),
                           rows=[(k, str(v)) for k, v in rows], advice=Markup(advice_html(self.advice, lang)))
        path = paths.workspace_dir() / "rapporten" / f"{slug(answers.school.name)}_{slug(p.name)}_{t('file_advice', lang)}.html"
        atomic_write_bytes(path, page.encode("utf-8"))
        self.result.value = download_link(path, lang, done=t("prop_printed", lang))
        return path


def _choice(value: str | None, lang: str) -> str:
    return {"ja": t("answer_yes", lang), "nee": t("answer_no", lang), "weet_niet": t("weet_niet", lang), "nvt": t("nvt", lang)}.get(
        value or "", t("unknown", lang))


def advice_html(advice: Advice | None, lang: str, answered: int = QUESTIONS) -> str:
    """The verdict with its reasons; under ``answered`` of the five questions it says on how many it rests."""
    if advice is None:
        return ""
    colour = VERDICT_COLOUR[advice.verdict]
    partial = (f"<div class='imw-help'>{html.escape(t('prop_advice_partial', lang, n=answered, total=QUESTIONS))}</div>"
               if answered < QUESTIONS else "")
    return (f"<div class='imw-advice' style='border-left:6px solid {colour};padding:6px 12px;margin:8px 0'>"
            f"<div style='font-size:1.25em;font-weight:700;color:{colour}'>{html.escape(t('prop_advice', lang))}: "
            f"{html.escape(t(ADVICE_KEYS[advice.verdict], lang))}</div>{partial}<ul>"
            + "".join(f"<li>{html.escape(r)}</li>" for r in advice.reasons) + "</ul></div>")


def nieuwe_app(school: str | Path | None = None, *, lang: str | None = None,
               folder: str | Path | None = None) -> ProposalApp:
    """Open werkboek 5: critical questions for a proposed application."""
    return ProposalApp.open(school, lang=lang, folder=folder)
