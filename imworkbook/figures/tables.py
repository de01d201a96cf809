"""Tables for people: a scores DataFrame in, styled HTML out (pure functions, like the figures)."""

from __future__ import annotations

import pandas as pd

from imworkbook.base.i18n import format_number, t


def score_table_html(table: pd.DataFrame, *, lang: str = "nl") -> str:
    """HTML of :func:`imworkbook.analysis.scoring.score_table`: one decimal (:func:`imworkbook.base.i18n.format_number`), no index,
    the total row in bold, unknown values written out, and a note on how the gap is computed."""
    numeric = table.columns[1:4]
    styler = (table.style
              .format(lambda v: format_number(v, lang, 1), subset=list(numeric))
              .hide(axis="index")
              .set_table_styles([
                  {"selector": "", "props": "border-collapse:collapse; font-size:0.92em"},
                  {"selector": "th", "props": "text-align:left; padding:4px 10px; border-bottom:2px solid #333"},
                  {"selector": "td", "props": "padding:3px 10px; border-bottom:1px solid #e5e5e5"},
              ])
              .set_properties(subset=[table.columns[0]], **{"text-align": "left"})
              .set_properties(subset=list(table.columns[1:]), **{"text-align": "right"})
              .apply(lambda row: ["font-weight:bold" if row.name == len(table) - 1 else "" for _ in row], axis=1))
    return styler.to_html() + f'<div style="font-size:0.85em;color:#555">{t("gap_note", lang)}</div>'
