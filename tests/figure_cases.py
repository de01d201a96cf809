"""Figures of every kind built from real and awkward data, for the layout tests (and to look at them:
``test-artifacts/charts/gallery.py`` renders these in Chromium). Each case is (name, figure)."""

from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from imworkbook.analysis.disclosure import TOO_FEW
from imworkbook.analysis.landscape import analyse, network_landscape
from imworkbook.analysis.network import heatmap_frame, network_frames, percentiles, select, trend
from imworkbook.analysis.proportion import compute
from imworkbook.analysis.scoring import area_scores
from imworkbook.figures.landscape import cost_per_area, coverage_heatmap, network_types, time_quadrant
from imworkbook.figures.maturity import gap_bars, radar
from imworkbook.figures.network import area_boxes, network_scatter, percentile_bars, school_heatmap, trend_lines
from imworkbook.figures.proportion import investment_bars, quadrant, share_difference, summary_figure
from imworkbook.io.collect import collect
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import new_answers
from imworkbook.model.content import load_landscape_reference, load_model

from .conftest import EXAMPLES, PO_EXAMPLE, VO_EXAMPLE

LANGS = ("nl", "en")
WIDTHS = {"radar": 470, "gap": 470, "quadrant": 470, "difference": 470, "bars": 952, "time": 530, "cost": 470,
          "coverage": 960, "net_types": 940, "boxes": 630, "percentiles": 450, "trend": 1080, "heatmap": 530,
          "scatter": 470}


@lru_cache(maxsize=None)
def examples(lang: str):
    model = load_model()
    return {name: load_answers(path, model).answers for name, path in (("po", PO_EXAMPLE), ("vo", VO_EXAMPLE))}


def proportion_table(name: str, lang: str) -> pd.DataFrame:
    return _proportion_table(name, lang).copy()


@lru_cache(maxsize=None)
def _proportion_table(name: str, lang: str) -> pd.DataFrame:
    return compute(examples(lang)[name], load_model(), lang=lang).table


def with_shares(table: pd.DataFrame, ambition, invest, euros) -> pd.DataFrame:
    """``table`` with other shares and euros (NaN = not counted); the flag follows the index as in the content."""
    out = table.copy()
    out["share_ambition"], out["share_invest"], out["invest_eur"] = ambition, invest, euros
    index = out["share_invest"] / out["share_ambition"]
    out["index"] = index
    out["flag"] = ["onbekend" if not (i == i) else "onder" if i < 0.67 else "over" if i > 1.5 else "balans"
                   for i in index]
    return out


def awkward_tables(lang: str) -> dict[str, pd.DataFrame]:
    """One area filled, all areas equal, extreme euros (0 and huge), the example with nothing counted."""
    base = proportion_table("po", lang)
    n = len(base)
    one = [1.0] + [math.nan] * (n - 1)
    return {
        "one_area": with_shares(base, one, one, [12_000.0] + [math.nan] * (n - 1)),
        "all_equal": with_shares(base, [1 / n] * n, [1 / n] * n, [5_000.0] * n),
        "extreme": with_shares(base, [0.3, 0.0, 0.1, 0.2, 0.1, 0.1, 0.1, 0.1][:n],
                               [0.999, 0.0, 0.001, 0.0, 0.0, 0.0, 0.0, 0.0][:n],
                               [2_500_000_000.0, 0.0, 2_500_000.0, 0, 0, 0, 0, 0][:n]),
        "nothing": with_shares(base, [math.nan] * n, [math.nan] * n, [math.nan] * n).assign(
            known_eur=0.0, time_known_eur=0.0, money_known_eur=0.0, resources_known_eur=0.0),
    }


def maturity_cases(lang: str):
    model = load_model()
    for name, answers in examples(lang).items():
        scores = area_scores(answers, model, lang)
        yield f"radar_{name}_{lang}", radar(scores, lang=lang, width=WIDTHS["radar"])
        yield f"gap_{name}_{lang}", gap_bars(scores, lang=lang, width=WIDTHS["gap"])
    empty = area_scores(new_answers("Leeg", "po", "2026-2027", model=model), model, lang)
    yield f"radar_empty_{lang}", radar(empty, lang=lang, width=WIDTHS["radar"])
    yield f"gap_empty_{lang}", gap_bars(empty, lang=lang, width=WIDTHS["gap"])


def proportion_cases(lang: str):
    tables = {"po": proportion_table("po", lang), "vo": proportion_table("vo", lang), **awkward_tables(lang)}
    for name, table in tables.items():
        yield f"quadrant_{name}_{lang}", quadrant(table, lang=lang, width=WIDTHS["quadrant"])
        yield f"quadrant_{name}_report_{lang}", quadrant(table, lang=lang, width=500)
        yield f"difference_{name}_{lang}", share_difference(table, lang=lang, width=WIDTHS["difference"])
        yield f"bars_{name}_{lang}", investment_bars(table, lang=lang, width=WIDTHS["bars"])


def summary_cases(lang: str):
    for name, table in {"po": proportion_table("po", lang), **awkward_tables(lang)}.items():
        yield f"summary_{name}_{lang}", summary_figure(table, {"index": 0.8, "invest_eur": 1000.0,
                                                               "invest_per_pupil": 10.0},
                                                       school="De Regenboog", round="2026-2027", lang=lang)


def landscape_cases(lang: str):
    ref = load_landscape_reference()
    for name, answers in examples(lang).items():
        an = analyse(answers.landscape, ref, lang)
        yield f"time_{name}_{lang}", time_quadrant(an.inventory, rule=ref.time, lang=lang,
                                                   width=WIDTHS["time"])
        yield f"coverage_{name}_{lang}", coverage_heatmap(an.coverage, ref, lang=lang, width=max(
            WIDTHS["coverage"], 460 + 90 * an.coverage.shape[1]))
        yield f"cost_{name}_{lang}", cost_per_area(an.cost, ref, lang=lang, width=WIDTHS["cost"])
    empty = analyse([], ref, lang)
    yield f"time_empty_{lang}", time_quadrant(empty.inventory, rule=ref.time, lang=lang,
                                              width=WIDTHS["time"])
    yield f"coverage_empty_{lang}", coverage_heatmap(empty.coverage, ref, lang=lang, width=WIDTHS["coverage"])
    yield f"cost_empty_{lang}", cost_per_area(empty.cost, ref, lang=lang, width=WIDTHS["cost"])
    frames = network_landscape(_landscape_docs(), ref)
    yield f"net_types_{lang}", network_types(frames, ref, lang=lang, width=WIDTHS["net_types"])
    yield f"net_types_few_{lang}", network_types(network_landscape(_landscape_docs()[:2], ref), ref, lang=lang,
                                                 width=WIDTHS["net_types"])


@lru_cache(maxsize=1)
def _collected():
    return collect(EXAMPLES / "netwerk")


def _landscape_docs() -> list[dict]:
    import json

    docs = [json.loads(p.read_text(encoding="utf-8")) for p in (PO_EXAMPLE, VO_EXAMPLE)]
    return docs * 4  # eight inventories: enough schools for the network chart


@lru_cache(maxsize=1)
def _network():
    return network_frames(_collected().documents, secret=b"test")


def network_cases(lang: str):
    model = load_model()
    short = {a.id: a.short(lang) for a in model.areas}
    data = _network()
    rnd = data.schools["round"].max()
    current = select(data, rnd)
    key = current["key"].iloc[0]
    name = "Basisschool De Sterrenkijker"
    # every area withheld by the rule (which areas a real group gets depends on the generated network)
    status = {area_id: TOO_FEW for area_id in short}
    yield f"boxes_{lang}", area_boxes(current, short, highlight=key, highlight_name=name, lang=lang,
                                      width=WIDTHS["boxes"])
    yield f"percentiles_withheld_{lang}", percentile_bars(percentiles(current, key, status), short, school=name,
                                                          lang=lang,
                                                 width=WIDTHS["percentiles"])
    yield f"percentiles_all_{lang}", percentile_bars(percentiles(current, key), short, school=name, lang=lang,
                                                     width=2 * 500)
    history = select(data)
    own = history[history["key"] == key].set_index(["area_id", "round"])["current"]
    yield f"trend_{lang}", trend_lines(trend(data), short, own=own, school=name, lang=lang, width=WIDTHS["trend"])
    yield f"heatmap_{lang}", school_heatmap(heatmap_frame(current, data.schools, key, order=list(short)), short,
                                            highlight_name=name, lang=lang, width=WIDTHS["heatmap"])
    yield f"scatter_{lang}", network_scatter(current, highlight=key, school=name, lang=lang, width=WIDTHS["scatter"])
    yield f"trend_empty_{lang}", trend_lines(trend(data).iloc[0:0], short, lang=lang, width=WIDTHS["trend"])
    thin = current[current["key"].isin(current["key"].unique()[:3])]
    yield f"boxes_thin_{lang}", area_boxes(thin, short, lang=lang, width=WIDTHS["boxes"])
    yield f"percentiles_thin_{lang}", percentile_bars(percentiles(thin, key), short, school=name, lang=lang,
                                                      width=WIDTHS["percentiles"])
    yield f"scatter_thin_{lang}", network_scatter(thin, lang=lang, width=WIDTHS["scatter"])
    yield f"heatmap_thin_{lang}", school_heatmap(heatmap_frame(thin, data.schools, None, order=list(short)), short,
                                                 lang=lang, width=WIDTHS["heatmap"])


def all_cases(lang: str):
    for maker in (maturity_cases, proportion_cases, landscape_cases, network_cases):
        yield from maker(lang)


def everything():
    return [case for lang in LANGS for case in all_cases(lang)]

