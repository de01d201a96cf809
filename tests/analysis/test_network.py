"""Network comparison: generator, collecting (report counts, duplicates, zip slip, size limit), anonymity,
statistics against plain pandas, exports safe against formula injection, CLI exit codes."""

import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from imworkbook.analysis.disclosure import MIN_GROUP, MIN_PERCENTILE, OK, TOO_FEW, WOULD_BETRAY
from imworkbook.cli import main
from imworkbook.figures.network import area_boxes, percentile_bars
from imworkbook.io.cells import FORMULA_START as DANGEROUS, safe_cell
from imworkbook.io.cells import clean_text
from imworkbook.io.collect import STATUS_DUPLICATE, STATUS_OK, STATUS_REFUSED, collect
from imworkbook.io.export import write_csv, write_xlsx
from imworkbook.io.generate import ERROR_FILES, generate_network, write_zip_slip
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import MAX_FILE_BYTES
from imworkbook.analysis.network import (NetworkData, comparison_tables, group_status, heatmap_frame, network_frames,
                                         percentiles, pseudonym, released_levels, select, trend)

from ..conftest import REPO

EXAMPLE_NETWORK = REPO / "data" / "examples" / "netwerk"


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    out = tmp_path_factory.mktemp("net")
    generate_network(out, schools=30, rounds=3, seed=3, with_errors=True)
    return out


@pytest.fixture(scope="module")
def collected(network):
    return collect(network)


@pytest.fixture(scope="module")
def data(collected):
    return network_frames(collected.documents, secret=b"geheim")


def test_generator_is_deterministic_and_realistic(tmp_path):
    one = generate_network(tmp_path / "a", schools=60, rounds=2, seed=5)
    two = generate_network(tmp_path / "b", schools=60, rounds=2, seed=5)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    d = network_frames(collect(tmp_path / "a").documents)
    first = d.schools[d.schools["round"] == d.schools["round"].min()]
    assert 0.75 <= (first["sector"] == "po").mean() <= 0.97
    assert first.loc[first["sector"] == "vo", "pupils"].min() >= 400
    assert first.loc[first["sector"] == "po", "pupils"].median() < 400
    by_round = d.areas.groupby("round")["current"].median()
    assert by_round.iloc[-1] > by_round.iloc[0]  # improving over rounds
    assert d.items.groupby(["key", "round"]).size().lt(48).any()  # some items unanswered


def test_report_has_one_line_per_file_and_the_counts_add_up(network, collected):
    files = [p for p in network.rglob("*") if p.is_file()]
    assert len(collected.report) == len(files)
    counts = collected.counts
    assert counts["seen"] == sum(v for k, v in counts.items() if k != "seen") == len(files)
    assert set(collected.report.loc[collected.report["status"] != STATUS_OK, "melding"].str.len() > 0) == {True}
    assert len(collected.documents) == counts["loaded"] + counts["loaded_with_notes"]
    refused = set(collected.report.loc[collected.report["status"] == STATUS_REFUSED, "bestand"])
    assert {f"fouten/{n}" for n in ("kapot.json", "leeg.json", "ander-programma.json", "te-nieuw.json",
                                    "excel-export.csv")} == refused
    assert set(ERROR_FILES) == {Path(b).name for b in collected.report["bestand"] if b.startswith("fouten/")}


def test_duplicate_school_is_reported_and_counted_once(collected, data):
    dup = collected.report[collected.report["status"] == STATUS_DUPLICATE]
    assert list(dup["bestand"]) == ["fouten/dubbel.json"] and "zelfde school en ronde" in dup["melding"].iloc[0]
    assert not data.schools.duplicated(["key", "round"]).any()


def test_schema_1_file_is_migrated(collected):
    row = collected.report[collected.report["bestand"] == "fouten/oud-schema-1.json"].iloc[0]
    assert row["status"] == STATUS_OK and row["school"].endswith("(oud)")


def test_zip_with_a_climbing_path_is_refused_and_the_rest_loads(tmp_path):
    good = REPO / "data" / "examples" / "de-regenboog_2026-2027.json"
    z = write_zip_slip(tmp_path / "inzending.zip", good)
    c = collect(z)
    assert list(c.report["status"]) == [STATUS_OK, STATUS_REFUSED]
    assert "zip slip" in c.report["melding"].iloc[1]
    assert not (tmp_path.parent / "buiten.json").exists() and not (tmp_path / "buiten.json").exists()


def test_too_large_file_is_refused_without_being_read(tmp_path, monkeypatch):
    big = tmp_path / "groot.json"
    with open(big, "wb") as handle:  # a sparse file: large on paper, nothing read
        handle.seek(MAX_FILE_BYTES + 10)
        handle.write(b"0")
    (tmp_path / "goed.json").write_bytes((REPO / "data" / "examples" / "het-baken_2026-2027.json").read_bytes())
    real = Path.read_bytes

    def guarded(self):
        assert self.name != "groot.json", "the big file must not be read"
        return real(self)
    monkeypatch.setattr(Path, "read_bytes", guarded)
    c = collect(tmp_path)
    row = c.report.set_index("bestand").loc["groot.json"]
    assert row["status"] == STATUS_REFUSED and "te groot" in row["melding"]
    assert len(c.documents) == 1


def test_no_statistic_for_groups_below_six(data):
    released = released_levels(data)
    small = released[released["n"] < MIN_GROUP]
    assert len(small) and (small["status"] == TOO_FEW).all() and small[["current", "lower", "upper"]].isna().all().all()
    shown = released[released["status"] == OK]
    assert len(shown) and shown["current"].notna().all() and (shown["n"] >= MIN_GROUP).all()


def test_released_means_are_plain_means_rounded(data):
    released = released_levels(data)
    shown = released[(released["status"] == OK) & ~released["cohort"] & (released["band"] == "alle")]
    assert len(shown)
    for row in shown.itertuples():
        part = data.areas[(data.areas["round"] == row.round) & (data.areas["area_id"] == row.area_id)]
        if row.sector != "alle":
            part = part[part["sector"] == row.sector]
        part = part.dropna(subset=["current", "target", "gap"])
        assert row.n == part["key"].nunique()
        assert row.current == pytest.approx(round(part["current"].mean(), 1))


def test_the_example_network_total_is_withheld_because_it_would_betray_the_vo_schools(data):
    """All schools = po + the few vo schools: releasing both totals would give the vo schools' mean by subtraction."""
    last = data.schools["round"].max()
    status = group_status(data, last)
    vo = data.schools[(data.schools["round"] == last) & (data.schools["sector"] == "vo")]["key"].nunique()
    assert 0 < vo < MIN_GROUP
    assert set(status.values()) == {WOULD_BETRAY}
    assert set(group_status(data, last, "po").values()) == {OK}


def test_percentile_places_the_school_rounded_and_respects_the_thresholds(data):
    areas = select(data, round=data.schools["round"].max(), sector="po")
    key = areas["key"].iloc[0]
    pct = percentiles(areas, key)
    for area_id, row in pct.iterrows():
        values = areas[areas["area_id"] == area_id].dropna(subset=["current", "target", "gap"])["current"]
        exact = (values <= row["current"]).mean() * 100
        assert row["percentile"] == max(10, round(exact / 10) * 10) and row["percentile"] % 10 == 0
    few_keys = list(areas["key"].unique()[:MIN_PERCENTILE - 1])
    few = percentiles(areas[areas["key"].isin(few_keys + [key])], key)
    assert few["te_weinig"].all() and few["percentile"].isna().all()


def test_trend_uses_only_schools_present_in_every_round(data):
    areas = data.areas.copy()
    dropped = areas["key"].iloc[0]
    areas = areas[~((areas["key"] == dropped) & (areas["round"] == areas["round"].min()))]
    result = trend(NetworkData(data.schools, data.items, areas), "po")
    assert (result.groupby(level=0)["n"].nunique() == 1).all()  # same schools in every round
    complete = areas.dropna(subset=["current", "target", "gap"])
    po = complete[complete["sector"] == "po"]
    every = po.groupby(["area_id", "key"])["round"].nunique() == areas["round"].nunique()
    per_area = every.groupby(level=0).sum()
    assert (result.groupby(level=0)["n"].first() == per_area.reindex(result.index.levels[0])).all()
    assert not any(k == dropped for _, k in every[every].index)


def test_only_the_highlighted_school_has_a_name(data):
    areas = select(data, round=data.schools["round"].max())
    key = areas["key"].iloc[0]
    name = data.schools.set_index("key").loc[key, "name"].iloc[0]
    table = heatmap_frame(areas, data.schools, key)
    others = [label for label in table.index if label != name]
    assert name in table.index and all(label.startswith("S-") and len(label) == 14 for label in others)
    assert not set(others) & set(data.schools["name"])


def test_pseudonyms_are_stable_and_need_the_secret():
    assert pseudonym("90AB", b"a") == pseudonym("90AB", b"a")
    assert pseudonym("90AB", b"a") != pseudonym("90AB", b"b")
    assert pseudonym("90AB", b"a") != pseudonym("90AC", b"a")


def test_figures_draw_nothing_for_thin_groups(data, model):
    short = {a.id: a.short("nl") for a in model.areas}
    areas = select(data, round=data.schools["round"].max())
    thin = areas[areas["key"].isin(areas["key"].unique()[:MIN_GROUP - 1])]
    fig = area_boxes(thin, short)
    assert not [tr for tr in fig.data if tr.type == "box"]
    assert any("te weinig" in a.text.lower() for a in fig.layout.annotations)
    key = thin["key"].iloc[0]
    bars = percentile_bars(percentiles(thin, key), short, school="X")
    assert not bars.data and [a.name for a in bars.layout.annotations] == ["empty"]  # a sentence, no bars


# --- exports ---------------------------------------------------------------------------------

@given(st.sampled_from(DANGEROUS), st.text(max_size=20))
def test_safe_text_neutralises_every_formula_start(first, rest):
    value = safe_cell(first + rest, csv=True)
    assert value.startswith("'") and value[1:] == clean_text(first + rest)  # control characters removed


def test_exports_are_safe_to_open_in_excel(tmp_path, data):
    nasty = pd.DataFrame({"school": ["=HYPERLINK(\"http://x\",\"klik\")", "+31 20", "-2+3", "@SUM(A1)", "\tx",
                                     "gewoon"], "waarde": [1.5, 2.25, np.nan, 4.0, 5.0, 6.0]})
    x = write_xlsx({"Blad": nasty}, tmp_path / "uit.xlsx")
    ws = load_workbook(x)["Blad"]
    cells = [ws.cell(row=r, column=1) for r in range(2, 8)]  # the text as typed, in text cells: never run
    assert [c.value for c in cells] == list(nasty["school"]) and all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:5]) and not cells[5].quotePrefix
    assert ws.cell(row=2, column=2).number_format == "#,##0.00" and ws.cell(row=4, column=2).value is None
    c = write_csv(nasty, tmp_path / "uit.csv")
    text = c.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "school;waarde" and ";1,50" in text and "'=HYPERLINK" in text
    assert not any(line.startswith(DANGEROUS) for line in text.splitlines())


def test_comparison_tables_have_dutch_headers_and_no_names(data, collected):
    tables = comparison_tables(data, round=data.schools["round"].max())
    assert set(tables) == {"Overzicht", "Per groep", "Per item"}
    text = " ".join(t.to_csv() for t in tables.values())
    assert not any(name in text for name in data.schools["name"])
    columns = " ".join(" ".join(t.columns) for t in tables.values())
    assert "gemiddelde onderste helft" in columns and "toelichting" in columns
    assert not any(word in columns for word in ("mediaan", "kwartiel", "P10", "P90"))  # no order statistics


# --- command line ---------------------------------------------------------------------------

def test_cli_validate_exit_codes(tmp_path, network, capsys):
    clean = tmp_path / "schoon"
    generate_network(clean, schools=6, rounds=1, seed=2)
    assert main(["validate", str(clean)]) == 0
    assert main(["validate", str(network)]) == 1
    out = capsys.readouterr().out
    assert "kapot.json" in out and "geweigerd" in out
    assert main(["validate", str(tmp_path / "bestaat-niet")]) == 2


def test_cli_compare_writes_a_shareable_and_a_facilitator_export(tmp_path, network, capsys):
    x, own, c = tmp_path / "netwerk.xlsx", tmp_path / "eigen.xlsx", tmp_path / "overzicht.csv"
    main(["compare", str(network), "--xlsx", str(x), "--begeleider-xlsx", str(own), "--csv", str(c)])
    shared = load_workbook(x)
    assert shared.sheetnames == ["Lees mij", "Overzicht", "Per groep", "Per item"]  # no names, no file names
    assert "DEELBAAR" in shared["Lees mij"]["A2"].value
    private = load_workbook(own)
    assert private.sheetnames[-1] == "Validatie" and "BEGELEIDER" in private["Lees mij"]["A2"].value
    names = {cell.value for cell in private["Validatie"]["B"][1:]} - {None, ""}
    shared_text = " ".join(str(cell.value) for ws in shared for row in ws.iter_rows() for cell in row)
    assert names and not any(name in shared_text for name in names)
    assert c.read_text(encoding="utf-8-sig").startswith("gebied;aantal scholen")
    out = capsys.readouterr().out
    assert "Ronde " in out and "deelbaar" in out and "niet delen" in out


def test_committed_example_network_loads(model):
    c = collect(EXAMPLE_NETWORK)
    assert len(c.documents) >= 100 and c.counts["refused"] >= 1
    d = network_frames(c.documents, model)
    assert d.schools["round"].nunique() == 3 and d.schools["key"].nunique() >= 40


def test_generator_scales_past_the_name_combinations(tmp_path):
    files = generate_network(tmp_path, schools=2500, rounds=1, seed=9)
    assert len(files) == len(set(files)) == 2500


def _old_question_set(tmp_path, model):
    data = json.loads((REPO / "data" / "examples" / "het-baken_2026-2027.json").read_text(encoding="utf-8"))
    data["model"]["version"] = "0.9"
    data["round"] = "2025-2026"
    renamed = {"visie.visie_schooldoelen": "visie.visie", "visie.ambitieniveau": "visie.ambitie"}
    data["answers"] = {renamed.get(k, k): v for k, v in data["answers"].items()}
    data["answers"]["sturing.dashboards"] = {"current": 3, "target": 4, "note": "vervallen vraag"}
    path = tmp_path / "oud.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


def test_older_question_set_is_mapped_and_nothing_is_lost(tmp_path, model):
    path, data = _old_question_set(tmp_path, model)
    result = load_answers(path, model)
    a = result.answers
    assert a.answer("visie.visie_schooldoelen").current == data["answers"]["visie.visie"]["current"]
    assert "visie.visie" not in a.answers and a.model.version == model.version
    assert a.set_aside["items"]["sturing.dashboards"]["note"] == "vervallen vraag"
    assert any("omgezet naar versie" in str(p) for p in result.problems)


def test_rounds_with_different_question_sets_share_items(tmp_path, model):
    path, _ = _old_question_set(tmp_path, model)
    (tmp_path / "nieuw.json").write_bytes((REPO / "data" / "examples" / "het-baken_2026-2027.json").read_bytes())
    from imworkbook.analysis.network import shared_items
    d = network_frames(collect(tmp_path).documents, model)
    assert shared_items(d, "2025-2026", "2026-2027") == d.items.loc[d.items["round"] == "2025-2026", "item_id"].nunique()
    assert d.schools["key"].nunique() == 1  # the same school in both rounds: a trend is possible
    # the count from the numbers kept with the frames is the count over the rows
    rows = NetworkData(d.schools, d.items, d.areas)
    assert rows._round_items is None and d._round_items is not None
    for a, b in (("2025-2026", "2026-2027"), ("2026-2027", "2026-2027"), ("2025-2026", "2030-2031")):
        assert shared_items(d, a, b) == shared_items(rows, a, b)


def test_mapping_to_unknown_items_is_a_content_error(tmp_path):
    import shutil

    from imworkbook.base import paths
    from imworkbook.base.errors import ContentError
    from imworkbook.model.content import load_mappings
    folder = tmp_path / "maturity"
    shutil.copytree(paths.data_dir() / "maturity", folder)
    (folder / "mappings" / "kapot.yaml").write_text(
        "model: im_volwassenheid\nfrom_version: '0.8'\nto_version: '1.0'\nitems:\n  a.b: visie.bestaat_niet\n",
        encoding="utf-8")
    with pytest.raises(ContentError, match="kapot.yaml › items: verwijst naar items die niet in het model staan"):
        load_mappings(folder)


def test_parallel_reading_gives_the_same_report_and_numbers(network, collected, monkeypatch, tmp_path):
    """A large folder is read by worker processes in chunks; the result must not depend on that, also when
    the two copies of a duplicated school land in different chunks."""
    import shutil

    import imworkbook.io.collect as C

    first = sorted(network.rglob("*.json"))[0]
    shutil.copytree(network, tmp_path / "net")
    (tmp_path / "net" / "zz-later").mkdir()
    shutil.copy(first, tmp_path / "net" / "zz-later" / first.name)  # the same school again, in the last chunk
    sequential = collect(tmp_path / "net")
    monkeypatch.setattr(C, "PARALLEL_FROM", 1)
    monkeypatch.setattr(C, "CHUNK_MIN", 7)
    parallel = collect(tmp_path / "net", keep_documents=False, workers=2)
    assert parallel.documents == [] and len(parallel) == len(sequential.documents)
    pd.testing.assert_frame_equal(parallel.report, sequential.report)
    assert (parallel.report["status"] == STATUS_DUPLICATE).sum() == (sequential.report["status"] == STATUS_DUPLICATE).sum() >= 1
    assert parallel.report["bestand"].iloc[-1].startswith("zz-later/")
    assert parallel.report["status"].iloc[-1] == STATUS_DUPLICATE
    a = network_frames(sequential, secret=b"x")
    b = network_frames(parallel, secret=b"x")
    for name in ("schools", "items", "areas"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    c = network_frames(sequential.documents, secret=b"x")  # from the documents themselves
    pd.testing.assert_frame_equal(a.areas, c.areas)


def test_invented_school_codes_are_unique_at_national_scale():
    from imworkbook.io.generate import school_code

    codes = [school_code(s) for s in range(30_000)]
    assert len(set(codes)) == len(codes)
    assert all(c.startswith("9") for c in codes)


def test_two_schools_with_one_pseudonym_are_an_error_not_a_merge(collected, model, monkeypatch):
    import imworkbook.analysis.network as N
    from imworkbook.base.errors import ImworkbookError

    monkeypatch.setattr(N, "pseudonym", lambda key, secret: "S-000000000000")
    with pytest.raises(ImworkbookError, match="dezelfde schuilnaam"):
        network_frames(collected, model)


def test_a_new_secret_comes_with_the_advice_to_keep_a_copy(tmp_path):
    from imworkbook.analysis.network import network_secret

    said = []
    network_secret(tmp_path, notify=said.append)
    network_secret(tmp_path, notify=said.append)  # the second time: nothing new to say
    assert len(said) == 1 and "Bewaar er een kopie van" in said[0] and str(tmp_path) in said[0]


def test_pseudonyms_are_long_enough_for_a_national_network():
    codes = {pseudonym(f"{i:05d}AA", b"k" * 64) for i in range(30_000)}
    assert len(codes) == 30_000 and all(len(c) == 14 for c in codes)


@pytest.mark.parametrize("rate", [None, 80.0])
def test_the_network_computes_each_area_investment_as_the_school_own_app_does(model, rate):
    """One rule (proportion.investment_eur), with the school's own hourly rate: the same euros in app and network."""
    from imworkbook.analysis.proportion import compute
    from imworkbook.io.fastlane import as_document
    from imworkbook.io.reading import load_answers

    from ..conftest import PO_EXAMPLE

    answers = load_answers(PO_EXAMPLE, model).answers
    answers.investment.hourly_rate = rate
    own = compute(answers, model).table["invest_eur"]
    areas = network_frames([as_document(answers)], model).areas.set_index("area_id")["invest_eur"]
    assert own.notna().sum() >= 6
    pd.testing.assert_series_equal(areas.reindex(own.index), own, check_names=False)


def test_the_same_school_with_and_without_a_code_is_pointed_out(tmp_path, model):
    """Found in review: identity is the code, else the name; the same school once with and once without its code
    counted as two. Names are not unique, so it is a remark on the file without a code, not a merge."""
    from imworkbook.io.writing import save_answers
    from imworkbook.model.answers import new_answers

    for name, code in (("De Regenboog", "01AB"), ("De Regenboog", None), ("学校", None), ("学园", None)):
        answers = new_answers(name, "po", "2026-2027", code=code, model=model)
        save_answers(answers, tmp_path / f"{name}-{code}.json")
    report = collect(tmp_path).report.set_index("bestand")
    assert "wél een schoolcode" in report.loc["De Regenboog-None.json", "melding"]
    assert "schoolcode" not in report.loc["De Regenboog-01AB.json", "melding"]
    assert (report["status"] != "duplicate").all()  # two schools in another script are two schools


def test_area_scores_are_the_plain_means_of_the_item_levels(data):
    """network_frames groups item rows by numbers, not strings: each area score is still the plain mean of that
    school's item levels in that round (and the count of its levels)."""
    g = data.items.groupby(["key", "round", "area_id"])
    plain = pd.DataFrame({"current": g["current"].mean(), "target": g["target"].mean(), "gap": g["gap"].mean(),
                          "n_levels": g["current"].count()})
    got = data.areas.dropna(subset=["n_levels"]).set_index(["key", "round", "area_id"])
    assert sorted(got.index) == sorted(plain.index)
    pd.testing.assert_frame_equal(got.loc[plain.index, list(plain.columns)], plain, check_dtype=False)


def test_the_item_rows_of_a_round_carry_their_school_peer_groups(data):
    """The rows the disclosure rule checks for items are those of ``select`` (joined by position), also when a
    school appears twice in a round (then joined the plain way)."""
    from imworkbook.analysis.network import _items_with_groups

    twice = NetworkData(pd.concat([data.schools, data.schools.iloc[[0]]], ignore_index=True), data.items, data.areas)
    for network in (data, twice):
        for round_ in sorted(data.schools["round"].unique()):
            got = _items_with_groups(network, round_)
            expected = select(network, round_, frame="items").reset_index(drop=True)
            pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


@given(st.lists(st.one_of(st.none(), st.just(float("nan")), st.integers(-5, 3000), st.floats(-5, 3000)), max_size=30))
def test_size_bands_follow_the_band_table(pupils):
    """The vectorised size bands (network_frames) say what the table SIZE_BANDS says, value by value: a number of
    pupils within a band's bounds (both included) gets its label, anything else (unknown, negative, between two
    bands) ``onbekend``."""
    from imworkbook.analysis.network import SIZE_BANDS, size_bands

    def by_table(p):
        if p is None or p != p:
            return "onbekend"
        return next((label for low, high, label in SIZE_BANDS if low <= p <= high), "onbekend")

    assert size_bands(pupils) == [by_table(p) for p in pupils]


def test_parallel_reading_without_fork_sends_the_files_along(network, monkeypatch):
    """Where worker processes are not made by fork (Windows, macOS), they cannot see the list of files of the
    process that made them: each task carries its own files, with the same result."""
    import multiprocessing

    import imworkbook.io.collect as C

    monkeypatch.setattr(C, "PARALLEL_FROM", 1)
    monkeypatch.setattr(C, "CHUNK_MIN", 5)
    shared = collect(network, keep_documents=False, workers=2)
    monkeypatch.setattr(multiprocessing, "get_start_method", lambda *a, **k: "spawn")
    sent = collect(network, keep_documents=False, workers=2)
    pd.testing.assert_frame_equal(shared.report, sent.report)
    assert shared.columns["schools"] == sent.columns["schools"] and len(sent.columns["schools"]) > 5
    assert C._SHARED == []  # (let go after the work)
