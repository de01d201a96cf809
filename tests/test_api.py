"""imworkbook.api: the jobs the CLI and the apps share, called directly."""

import json
import zipfile

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imworkbook import api
from imworkbook.analysis.network import SIZE_BANDS
from imworkbook.base.i18n import t
from imworkbook.io.collect import REPORT_HEADER_KEYS
from imworkbook.cli import main
from imworkbook.model.content import load_model

from .conftest import EXAMPLES, PO_EXAMPLE, VO_EXAMPLE

NETWORK = EXAMPLES / "netwerk" / "2026-2027"
RATERS = sorted((EXAMPLES / "invullers").glob("*.json"))


def test_a_folder_or_zip_is_a_batch_a_file_or_workbook_is_not(tmp_path):
    folder_zip = tmp_path / "net.zip"
    with zipfile.ZipFile(folder_zip, "w") as zf:
        zf.write(PO_EXAMPLE, PO_EXAMPLE.name)
    sheet = api.template(tmp_path / "v.xlsx", VO_EXAMPLE)  # an .xlsx is a zip inside, but one school
    assert [api.is_batch(p) for p in (NETWORK, folder_zip, PO_EXAMPLE, sheet)] == [True, True, False, False]


def test_score_reads_the_file_and_gives_the_table_in_the_language():
    result, nl = api.score(PO_EXAMPLE, "nl")
    _, en = api.score(PO_EXAMPLE, "en")
    assert result.answers.school.name == "De Regenboog" and len(nl) == len(en) == len(load_model().areas) + 1
    assert list(nl.columns) != list(en.columns) and nl.iloc[:, 1:].equals(en.iloc[:, 1:].set_axis(nl.columns[1:], axis=1))


def test_batch_reports_never_overwrite_a_school_with_the_same_name(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    for n in range(3):  # three schools called "De Regenboog" (different codes), and one broken file
        doc["school"]["code"] = f"0{n}AA"
        (src / f"regenboog{n}.json").write_text(json.dumps(doc), encoding="utf-8")
    (src / "kapot.json").write_text("{", encoding="utf-8")
    ticks = []
    done = api.board_reports(src, tmp_path / "out", lang="en", progress=lambda n, total: ticks.append((n, total)))
    assert len(done.written) == len(set(done.written)) == 3 and all(p.exists() for p in done.written)
    assert done.refused == 1 and ticks == [(1, 3), (2, 3), (3, 3)]
    assert all(p.parent == tmp_path / "out" for p in done.written)


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(api.EXPORT_KINDS), round=st.from_regex(r"20[0-9]{2}-20[0-9]{2}", fullmatch=True),
       sector=st.sampled_from([None, "po", "vo"]), band=st.sampled_from([None, *(label for _, _, label in SIZE_BANDS)]),
       scope=st.sampled_from([None, "school", "bestuur"]))
def test_export_names_say_what_they_hold_and_are_plain_file_names(kind, round, sector, band, scope):
    name = api.export_name(kind, round=round, sector=sector, band=band, scope=scope)
    assert name.startswith(f"netwerk_{round}") and not set(name) & set("≤>–/\\ ")
    assert name.endswith("_begeleider.xlsx" if kind == "facilitator" else
                         "_deelbaar.csv" if kind == "csv" else "_deelbaar.xlsx")
    for part in (sector, scope):
        assert (part is None) or f"_{part}" in name


def test_network_exports_only_the_facilitators_holds_school_names(tmp_path):
    network = api.load_network(NETWORK)
    assert api.loaded_all(network.collected) and network.data is not None
    round = api.rounds(network.data)[-1]
    tables = api.compare(network.data, round=round)
    shared = api.export_network(tables, "xlsx", tmp_path / "s.xlsx", round=round, report=network.collected.report)
    private = api.export_network(tables, "facilitator", round=round, report=network.collected.report)
    csv = api.export_network(tables, "csv", round=round)
    assert private.name == api.export_name("facilitator", round=round) and csv.suffix == ".csv"
    names = set(network.collected.report["school"])

    def text(path):
        book = openpyxl.load_workbook(path, read_only=True)
        return " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)

    assert not any(n in text(shared) for n in names) and all(n in text(private) for n in names)
    with pytest.raises(ValueError):
        api.export_network(tables, "pdf", round=round)


def test_the_facilitators_export_takes_the_file_check_in_the_language_of_the_export(tmp_path):
    """Given the Collected itself (as the CLI and the app do), the facilitator's export makes the file check in the
    export's language, statuses and headers too; the shareable export does not hold it at all."""
    network = api.load_network(NETWORK)
    round = api.rounds(network.data)[-1]
    for lang, loaded in (("en", "loaded"), ("nl", "geladen")):
        tables = api.compare(network.data, round=round, lang=lang)
        private = api.export_network(tables, "facilitator", tmp_path / f"p_{lang}.xlsx", round=round,
                                     report=network.collected, lang=lang)
        shared = api.export_network(tables, "xlsx", tmp_path / f"s_{lang}.xlsx", round=round,
                                    report=network.collected, lang=lang)
        book = openpyxl.load_workbook(private, read_only=True)
        rows = list(book[t("net_xl_sheet_validation", lang)].iter_rows(values_only=True))
        assert list(rows[0]) == [t(key, lang) for key in REPORT_HEADER_KEYS.values()]
        assert len(rows) == 1 + len(network.collected.report)
        assert {r[3] for r in rows[1:]} == {t("status_ok", lang)} and t("status_ok", lang).lower() == loaded
        assert t("net_xl_sheet_validation", lang) not in openpyxl.load_workbook(shared, read_only=True).sheetnames


def test_a_folder_without_usable_files_has_no_network(tmp_path):
    (tmp_path / "kapot.json").write_text("{", encoding="utf-8")
    network = api.load_network(tmp_path)
    assert network.data is None and not api.loaded_all(network.collected)


def test_file_check_and_overview_in_english():
    network = api.load_network(EXAMPLES / "netwerk")
    check = api.file_check_table(network.collected, "en", only_problems=True)
    assert 0 < len(check) < len(network.collected.report)
    assert "loaded" not in set(check["status"]) and {"refused", "duplicate"} <= set(check["status"])
    assert list(check.columns)[:2] == ["file", "school"]
    round = api.rounds(network.data)[-1]
    small = next(iter(api.compare(network.data, round=round, sector="vo", lang="en").values()))  # reasons given
    en = api.overview_table(small, "en")
    assert list(en.columns)[:2] == ["area", "number of schools"]
    assert set(en["area"]) == {a.name("en") for a in load_model().areas}
    reasons = set(en["explanation"].dropna()) - {""}
    assert reasons and all(r in ("too few schools", "would give away a smaller group") or r.startswith("halves: ")
                           for r in reasons), reasons
    nl = next(iter(api.compare(network.data, round=round, sector="vo", lang="nl").values()))
    assert api.overview_table(nl, "nl").columns.tolist()[:3] == ["gebied", "aantal scholen", "huidig: gemiddelde"]


def test_merge_keeps_a_backup_in_the_cli_as_in_the_app(tmp_path):
    raters, problems = api.read_raters(RATERS, lang="en")
    assert problems == [] and len(raters) == 3 and len({r.label for r in raters}) == 3
    out = api.merged_path(raters, tmp_path)
    assert out.name == "de-regenboog_2026-2027.json"
    first = api.merge(raters, out)
    assert first.backup is None and out.exists()
    with pytest.raises(FileExistsError):
        api.merge(raters, out)
    assert main(["merge", *map(str, RATERS), "--out", str(out), "--overwrite"]) == 0
    backups = [p for p in tmp_path.rglob("*") if p.is_file() and p != out]
    assert len(backups) == 1  # the CLI's merge now keeps the file it replaced, as werkboek 7 does
    assert "visie.ambitieniveau" in api.disagreements(raters)


def test_template_and_import_round_trip(tmp_path, werkmap):
    sheet = api.template(tmp_path / "v.xlsx", VO_EXAMPLE, lang="en")
    done = api.import_answers(sheet)
    assert done.path.parent == werkmap / "antwoorden" and done.errors == []
    original = api.load_answers(VO_EXAMPLE).answers
    assert done.answers.school.name == original.school.name and done.answers.answers.keys() == original.answers.keys()
    with pytest.raises(FileExistsError):
        api.import_answers(sheet)
    assert api.import_answers(sheet, overwrite=True).path == done.path


def test_check_content_finds_a_word_the_glossary_forbids(tmp_path):
    import shutil

    from imworkbook.base import paths

    assert api.check_content().ok
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    model = data / "maturity" / "model.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("en: Matu", "en: Your work folder matu", 1),
                     encoding="utf-8")
    check = api.check_content(data / "maturity")
    assert not check.ok and len(check.problems) == 1 and "title.en" in str(check.problems[0])
    assert main(["check-content", str(data / "maturity")]) == 1
