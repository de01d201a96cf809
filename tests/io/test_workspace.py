"""An example school is practice, never a network school (issue 17): your copy lives in antwoorden/voorbeelden/,
is not listed among your schools, and the collection step reports it as "voorbeeld; niet meegeteld"."""

import shutil
import zipfile

from imworkbook.apps.base import EMPTY
from imworkbook.apps.questionnaire import vragenlijst
from imworkbook.base import paths
from imworkbook.io.collect import STATUS_SKIPPED, collect
from imworkbook.io.workspace import list_schools, open_example

from ..conftest import PO_EXAMPLE, VO_EXAMPLE


def test_the_example_copy_is_kept_apart_from_your_schools(model):
    session = open_example("po", model=model)
    assert session.path == paths.answers_dir() / "voorbeelden" / PO_EXAMPLE.name
    assert not list(paths.answers_dir().glob("*.json"))
    schools, problems = list_schools(model=model)
    assert schools == [] and problems == []


def test_collect_skips_example_copies_in_a_folder_and_in_a_zip(tmp_path, model):
    ronde = tmp_path / "ronde"
    for user in ("school01", "school02"):
        (ronde / user / "voorbeelden").mkdir(parents=True)
        shutil.copy(PO_EXAMPLE, ronde / user / "voorbeelden" / PO_EXAMPLE.name)
    shutil.copy(VO_EXAMPLE, ronde / "school01" / VO_EXAMPLE.name)  # a real school's file
    result = collect(ronde, model)
    assert [d["school"]["name"] for d in result.documents] == ["Het Baken"]
    skipped = result.report[result.report["status"] == STATUS_SKIPPED]
    assert len(skipped) == 2 and set(skipped["melding"]) == {"voorbeeld; niet meegeteld"}
    assert result.counts["seen"] == 3 and result.counts["duplicate"] == 0

    zipped = tmp_path / "ronde.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.write(PO_EXAMPLE, "antwoorden/voorbeelden/" + PO_EXAMPLE.name)
        zf.write(VO_EXAMPLE, "antwoorden/" + VO_EXAMPLE.name)
    result = collect(zipped, model)
    assert [d["school"]["name"] for d in result.documents] == ["Het Baken"]
    assert list(result.report["melding"]).count("voorbeeld; niet meegeteld") == 1


def test_the_picker_shows_the_open_example_and_offers_it_once(model):
    app = vragenlijst(folder=paths.answers_dir())  # first time: the po example is opened
    bar = app.school
    copy = str(paths.answers_dir() / "voorbeelden" / PO_EXAMPLE.name)
    assert bar.picker.value == copy
    labels = dict((v, label) for label, v in bar.picker.options)
    assert labels[copy].startswith("Voorbeeld") and "example:" + PO_EXAMPLE.stem not in labels  # offered once
    assert "example:" + VO_EXAMPLE.stem in labels
    assert bar.open_button.disabled  # the open school is picked: nothing to open
