"""Reports as self-contained HTML files (plotly.js embedded once: they open with no internet).

* :func:`save_proportion_summary`: the one-page summary of workbook 2;
* :func:`board_report` / :func:`save_board_report`: the report for the board (maturity, proportion, where
  to act first, and the position against anonymous peers when a network is given).
"""

from __future__ import annotations

import datetime as _dt
import html as html_lib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from imworkbook.analysis.proportion import compute
from imworkbook.base import paths
from imworkbook.base.i18n import format_number, t
from imworkbook.base.numbers import format_euro
from imworkbook.base.storage import atomic_write_bytes
from imworkbook.figures.plotlyjs import bundle_js, check_traces
from imworkbook.figures.proportion import summary_figure
from imworkbook.model.answers import Answers, school_identity, slug
from imworkbook.model.content import InvestmentModel, MaturityModel, load_investment_model

if TYPE_CHECKING:
    from imworkbook.analysis.network import NetworkData


def format_date(day: _dt.date, lang: str) -> str:
    from babel.dates import format_date as _fmt

    return _fmt(day, format="long", locale="nl_NL" if lang == "nl" else "en_GB")


def proportion_summary(answers: Answers, model: MaturityModel, inv: InvestmentModel | None = None, *,
                       lang: str = "nl"):
    """The one-page summary figure of a school's investment proportion."""
    inv = inv or load_investment_model()
    result = compute(answers, model, inv, lang=lang)
    return summary_figure(result.table, result.overall, school=answers.school.name, round=answers.round, lang=lang,
                          thresholds=(inv.thresholds.under, inv.thresholds.over))


def save_proportion_summary(answers: Answers, model: MaturityModel, folder: str | Path | None = None, *,
                            lang: str = "nl") -> Path:
    """Write ``<werkmap>/rapporten/<school>_<round>_verhouding.html`` (atomically) and return its path."""
    folder = Path(folder) if folder is not None else paths.workspace_dir() / "rapporten"
    fig = proportion_summary(answers, model, lang=lang)
    check_traces(fig.data)
    figure = fig.to_html(include_plotlyjs=False, full_html=False, config={"displaylogo": False})
    title = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", fig.layout.title.text or ""))).strip()
    html = render_page("summary.html.j2", lang=lang, title=title, plotly_js=Markup(bundle_js()), figure=Markup(figure))
    path = folder / f"{slug(answers.school.name)}_{answers.round}_{t('file_summary', lang)}.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    return path


# --- the report for the board ---------------------------------------------------------------------------

REPORT_CSS = """
body {font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color:#1b1b1b;
      max-width: 1040px; margin: 24px auto; padding: 0 18px; line-height: 1.45}
h1 {font-size: 1.6em; margin: 0 0 4px 0} h2 {font-size: 1.25em; margin: 28px 0 8px 0;
      border-bottom: 2px solid #0072B2; padding-bottom: 3px}
.meta {color:#444; margin: 0 0 12px 0} .note {color:#555; font-size: 0.9em}
.charts {display:flex; flex-wrap:wrap; gap: 8px} .charts > div {flex: 0 0 auto}
table.r {border-collapse: collapse; font-size: 0.92em; margin: 6px 0}
table.r th {text-align:left; padding:4px 8px; border-bottom:2px solid #333}
table.r td {padding:3px 8px; border-bottom:1px solid #e5e5e5; vertical-align: top}
table.r td.n {text-align:right; white-space: nowrap}
ol.prio li {margin-bottom: 6px} .missing {background:#fff6e0; border-left: 4px solid #E69F00; padding: 6px 10px}
@media print {.charts > div {page-break-inside: avoid} h2 {page-break-after: avoid}}
"""


HALF = 500  # px: two charts side by side in the 1040 px page; they wrap on a narrow screen or on paper


@dataclass
class BoardReport:
    html: str
    missing: list[str]  # what is not filled in yet (shown in the report too)
    priorities: pd.DataFrame


def _fig_html(fig, first: bool = False) -> str:
    import plotly.io as pio

    check_traces(fig.data)
    return Markup(pio.to_html(fig, include_plotlyjs=False, full_html=False, config={"displaylogo": False}))


def board_report(answers: Answers, model: MaturityModel, inv: InvestmentModel | None = None, *,
                 network: "NetworkData | None" = None, lang: str = "nl", today: _dt.date | None = None) -> BoardReport:
    """The whole report as one self-contained HTML page (plotly.js embedded once, opens offline).

    School and round, maturity (radar, gaps, table), investment proportion (quadrant, difference, table),
    the areas to act on first, and - with ``network`` - the school's position against anonymous peers of the
    same sector and round (no statistic below 5 schools). A half-filled school works: what is missing is listed.
    """
    from imworkbook.analysis.disclosure import MIN_PERCENTILE
    from imworkbook.analysis.network import percentiles, select
    from imworkbook.analysis.priorities import priorities
    from imworkbook.analysis.scoring import area_scores, item_table, overall_score, score_table
    from imworkbook.figures.maturity import gap_bars, radar
    from imworkbook.figures.network import percentile_bars
    from imworkbook.figures.proportion import quadrant, share_difference
    from imworkbook.figures.tables import score_table_html

    inv = inv or load_investment_model()
    today = today or _dt.date.today()
    school = answers.school
    items = item_table(answers, model)
    scores = area_scores(answers, model, lang, items=items)
    total = overall_score(scores)
    prop = compute(answers, model, inv, lang=lang)
    prio = priorities(scores, prop.table, lang=lang, inv=inv)
    th = (inv.thresholds.under, inv.thresholds.over)

    missing = []
    if total["n_answered"] < total["n_items"]:
        open_areas = [f"{row.short} ({int(row.n_items - row.n_answered)})" for row in scores.itertuples()
                      if row.n_answered < row.n_items]
        missing.append(t("report_missing_items", lang, done=int(total["n_answered"]), total=int(total["n_items"]),
                         areas=", ".join(open_areas)))
    incomplete = prop.table[~prop.table["complete"]]
    if len(incomplete):
        missing.append(t("report_missing_investment", lang, n=len(incomplete), total=len(prop.table),
                         areas=", ".join(incomplete["short"])))
    no_importance = prop.table[prop.table["ambition"].isna()]
    if len(no_importance):
        missing.append(t("report_missing_importance", lang, areas=", ".join(no_importance["short"])))

    sector = t("sector_po" if school.sector == "po" else "sector_vo", lang)
    pupils = t("report_pupils", lang, n=school.pupils) if school.pupils else ""
    # for what the answers speak (issue 15): a board reads "the whole board" differently from "one location"
    scope = t("report_scope", lang, scope=t(f"scope_{school.scope}", lang)) if school.scope else ""
    if school.location:
        scope += t("report_location", lang, location=school.location)
    ov = prop.overall
    context = {
        "lang": lang, "css": Markup(REPORT_CSS), "plotly_js": Markup(bundle_js()),
        "title": t("report_title", lang, school=school.name),
        "meta": t("report_meta", lang, round=answers.round, sector=sector, pupils=pupils + scope,
                  date=format_date(today, lang), model=model.version),
        "intro": t("report_intro", lang), "missing": missing, "missing_title": t("report_missing_title", lang),
        "prio_title": t("report_prio_title", lang), "priorities": list(prio["reason"]) if len(prio) else [],
        "prio_how": t("report_prio_how", lang), "prio_none": t("report_prio_none", lang),
        "maturity_title": t("report_maturity_title", lang),
        # 'summary' is content with <b> markup (like in the app); only numbers are filled in
        "maturity_summary": Markup(t("summary", lang, current=format_number(total["current"], lang),
                                     target=format_number(total["target"], lang),
                                     gap=format_number(total["gap"], lang))),
        "radar": _fig_html(radar(scores, lang=lang, width=HALF), True),
        "gaps": _fig_html(gap_bars(scores, lang=lang, width=HALF), False),
        "score_table": Markup(score_table_html(score_table(answers, model, lang, areas=scores), lang=lang)),
        "proportion_title": t("report_proportion_title", lang),
        "proportion_headline": t("report_proportion_headline", lang, eur=format_euro(ov.get("known_eur"), lang),
                                 pp=format_euro(ov.get("invest_per_pupil"), lang),
                                 hours100=format_number(ov.get("hours_per_100", math.nan), lang, 0),
                                 index=format_number(ov.get("index", math.nan), lang, 2),
                                 complete=ov.get("n_complete", 0), total=ov.get("n_areas", 0)),
        "quadrant": _fig_html(quadrant(prop.table, lang=lang, thresholds=th, width=HALF), False),
        "share": _fig_html(share_difference(prop.table, lang=lang, width=HALF), False),
        "proportion_verdict": ov["verdict_text"],
        "proportion_verdict_strong": ov["verdict"] in ("alles_onder", "alles_over"),  # a finding, not a remark
        "proportion_header": [t(k, lang) for k in ("col_area", "ambition", "per_year", "col_per_pupil", "col_reference",
                                                   "col_hours_100", "index", "explanation")],
        "proportion_rows": [{"short": r.short, "ambition": format_number(r.ambition, lang, 0),
                             "eur": format_euro(r.invest_eur, lang), "pp": format_euro(r.invest_per_pupil, lang),
                             "ref": format_euro(r.ref_per_pupil, lang), "hours100": format_number(r.hours_per_100, lang, 0),
                             "index": format_number(r.index, lang, 2),
                             "explanation": r.explanation} for r in prop.table.itertuples()],
        "proportion_note": t("report_reference_note", lang, label=inv.reference.label(lang)),
        "landscape": (_landscape_section(answers, lang)
                      if answers.landscape or answers.proposals or answers.roles.assignments else None),
        "network": None, "footer": t("report_footer", lang),
    }
    if network is not None:
        peers = select(network, round=answers.round, sector=school.sector)
        key = school_identity(school.code, school.name, school.location)
        own = scores[["current", "target", "gap"]].reset_index().assign(key=key, round=answers.round)
        peers = pd.concat([peers[peers["key"] != key][["key", "round", "area_id", "current", "target", "gap"]], own],
                          ignore_index=True)
        n_schools = peers["key"].nunique()
        chart = None
        if n_schools >= MIN_PERCENTILE:
            short = {a.id: a.short(lang) for a in model.areas}
            chart = _fig_html(percentile_bars(percentiles(peers, key), short, school=school.name, lang=lang,
                                              width=2 * HALF), False)
        context["network"] = {"title": t("report_network_title", lang), "chart": chart,
                              "intro": t("report_network_intro", lang, n=n_schools, sector=sector,
                                         round=answers.round, min=MIN_PERCENTILE),
                              "too_few": t("net_too_few_all", lang)}
    page = _template("board_report.html.j2").render(context)
    return BoardReport(page, missing, prio)


def _landscape_section(answers: Answers, lang: str) -> dict:
    """Werkboek 4-6 in the report: what stands out in the application landscape, the advice on proposed
    applications and the flags on roles; only the parts the school filled in."""
    from imworkbook.analysis.landscape import analyse, findings
    from imworkbook.analysis.proportion import hourly_rate
    from imworkbook.analysis.proposals import ADVICE_KEYS, advise
    from imworkbook.analysis.roles import flags
    from imworkbook.figures.landscape import time_quadrant
    from imworkbook.model.content import load_landscape_reference, load_roles_model

    section: dict[str, Any] = {"title": t("report_landscape_title", lang), "inventory": bool(answers.landscape),
                               "proposals": [], "roles": bool(answers.roles.assignments)}
    if answers.landscape:
        ref = load_landscape_reference()
        an = analyse(answers.landscape, ref, lang)
        section |= {"intro": t("report_landscape_intro", lang, n=len(answers.landscape)),
                    "findings": findings(an, ref, lang),
                    "chart": _fig_html(time_quadrant(an.inventory, rule=ref.time, lang=lang,
                                                     width=HALF))}
    if answers.proposals:
        # the advice is worked out again in the report's language (the saved reasons are in the language of the
        # screen they were made on); a proposal never judged in the app (no advice saved) stays "unknown"
        ref = load_landscape_reference()
        inv = load_investment_model()
        rate = hourly_rate(answers, inv)
        section["proposals_title"] = t("report_proposals", lang)
        section["proposals"] = []
        for p in answers.proposals:
            advice = (advise(p, answers.landscape, ref, hourly_rate=rate, years=inv.settings.tco_years, lang=lang)
                      if p.advice else None)
            section["proposals"].append({"name": p.name,
                                         "advice": t(ADVICE_KEYS[advice.verdict], lang) if advice else t("unknown", lang),
                                         "reason": advice.reasons[0] if advice and advice.reasons else ""})
    if answers.roles.assignments:
        section |= {"roles_title": t("report_roles", lang), "no_flags": t("roles_no_flags", lang),
                    "flags": [f.message for f in flags(answers, load_roles_model(), lang)]}
    return section


def render_page(template: str, /, **context: Any) -> str:
    """A whole page from ``imworkbook/report/templates/<template>`` with ``context``; every value is escaped unless it is
    :class:`markupsafe.Markup` (made here from HTML this package built itself)."""
    return _template(template).render(context)


@lru_cache(maxsize=None)
def _template(name: str):
    """A page template from ``imworkbook/report/templates`` (Jinja2, every value escaped unless marked as markup)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    return env.get_template(name)


def report_file_name(answers: Answers, lang: str = "nl") -> str:
    """``<school>_<round>_bestuursrapport.html``, the last word in the report's language."""
    return f"{slug(answers.school.name)}_{answers.round}_{t('file_board_report', lang)}.html"


def save_board_report(answers: Answers, model: MaturityModel, out: str | Path | None = None, *,
                      network: "NetworkData | None" = None, lang: str = "nl") -> Path:
    """Write the board report (atomically); ``out`` is a file, a folder, or None for ``<werkmap>/rapporten``."""
    out = Path(out) if out is not None else paths.workspace_dir() / "rapporten"
    path = out if out.suffix.lower() in (".html", ".htm") else out / report_file_name(answers, lang)
    report = board_report(answers, model, network=network, lang=lang)
    atomic_write_bytes(path, report.html.encode("utf-8"))
    return path
