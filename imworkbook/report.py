"""Save the one-page proportion summary as a self-contained HTML file (plotly.js embedded: opens offline)."""

from __future__ import annotations

import re
from pathlib import Path

from . import paths
from .answers import Answers, atomic_write_bytes, slug
from .content import InvestmentModel, MaturityModel, load_investment_model
from .figures.proportion import summary_figure
from .proportion import compute


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
    html = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    title = re.sub(r"<[^>]+>", " ", fig.layout.title.text or "")
    html = html.replace("<head>", f'<head><meta charset="utf-8"><title>{title}</title>', 1)
    path = folder / f"{slug(answers.school.name)}_{answers.round}_verhouding.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    return path
