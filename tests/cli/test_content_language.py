"""Issue 13.5: ``imworkbook --lang en check-content`` on a broken content folder says what is wrong in English (no
Dutch word), naming the file and the field; the Dutch run names the same problem in Dutch. The refusals of the
content schema (imworkbook.model.content, .glossary) are codes with a text in each language, not Dutch sentences."""

from pathlib import Path

import pytest

from imworkbook import api
from imworkbook.base import paths
from imworkbook.base.errors import ContentError

from ..conftest import edit_yaml, whole_content_copy
from .test_language import dutch_words, run

AREA = "maturity/areas/" + sorted(p.name for p in (paths.data_dir() / "maturity" / "areas").glob("*.yaml"))[0]




def _levels(change):
    def edit(d):
        change(d["items"][0]["levels"])
    return edit


def _drop_field(field_id):
    return lambda d: d.__setitem__("fields", [f for f in d["fields"] if f["id"] != field_id])


BREAKS = [  # (file, change, the code, a word of the place)
    (AREA, _levels(lambda lv: lv.__setitem__(6, dict(lv[5]))), "content.level_unknown", "levels"),
    (AREA, _levels(lambda lv: lv.pop(5)), "content.level_missing", "levels"),
    ("maturity/model.yaml", lambda d: d["levels"].pop(), "content.levels_one_to_five", "levels"),
    ("investment/allocation.yaml", lambda d: d["items"].append(dict(d["items"][0])), "content.duplicate_id",
     "items"),
    ("investment/allocation.yaml", lambda d: d["items"][0]["key"].update({k: v / 2 for k, v in
                                                                          d["items"][0]["key"].items()}),
     "content.key_sum", "items[0]"),
    ("landscape/reference.yaml", lambda d: d["time"].update(low_to=4, high_from=4), "content.time_order", "time"),
    ("investment/model.yaml", _drop_field("hours_other"), "content.formula_fields_missing", "fields"),
    ("investment/model.yaml", lambda d: d["fields"][0].__setitem__("unit", "uren"), "content.not_one_of", "unit"),
    ("roles/tasks.yaml", lambda d: d["tasks"].append(dict(d["tasks"][0])), "content.duplicate_task", "tasks"),
]


def _problems(maturity: Path):
    try:
        check = api.check_content(maturity)
    except ContentError as exc:
        return exc.problems
    return check.problems


@pytest.mark.parametrize("file, change, code, where", BREAKS, ids=[b[2] for b in BREAKS])
def test_a_broken_content_folder_is_refused_in_english_without_dutch(tmp_path, capsys, file, change, code, where):
    root = whole_content_copy(tmp_path)
    edit_yaml(root / file, change)
    problems = [p for p in _problems(root / "maturity") if p.code == code]
    assert len(problems) == 1, _problems(root / "maturity")  # the code is pinned
    problem = problems[0]
    assert problem.file == file
    assert where in problem.where_in("en")

    exit_en, english = run(capsys, "--lang", "en", "check-content", str(root / "maturity"))
    exit_nl, dutch = run(capsys, "check-content", str(root / "maturity"))
    assert exit_en != 0 and exit_nl != 0 and "Traceback" not in english + dutch
    line = next(line for line in english.splitlines() if problem.message_in("en") in line)
    assert Path(file).name in line and where in line
    assert dutch_words(english) == set(), english
    assert problem.message_in("nl") in dutch and problem.message_in("en") not in dutch
    assert problem.message_in("en") != problem.message_in("nl")
    assert dutch_words(problem.message_in("nl")) or dutch_words(dutch), "the Dutch run speaks Dutch"


def test_example_network_with_too_many_rounds_is_refused_in_the_language_asked(tmp_path, capsys):
    """A number a user typed (``--rounds``) is refused with a sentence in their language, not a traceback."""
    code_en, english = run(capsys, "--lang", "en", "example-network", "--rounds", "9", "--out", str(tmp_path / "n"))
    code_nl, dutch = run(capsys, "example-network", "--rounds", "9", "--out", str(tmp_path / "n"))
    assert code_en == code_nl == 2 and "Traceback" not in english + dutch
    assert "rounds" in english and "9" in english and dutch_words(english) == set(), english
    assert "rondes" in dutch and english.strip() != dutch.strip()
    assert not (tmp_path / "n").exists()


def test_a_computation_that_fails_on_the_content_is_named_in_english(monkeypatch, capsys):
    import imworkbook.analysis.landscape as landscape

    monkeypatch.setattr(landscape, "findings", lambda *a, **k: {}["owner"])
    code, english = run(capsys, "--lang", "en", "check-content")
    assert code != 0 and "Traceback" not in english
    line = next(line for line in english.splitlines() if "landscape/reference.yaml" in line)
    assert "findings on the application landscape cannot be computed" in line and "owner" in line
    assert dutch_words(english) == set(), english


def test_every_broken_content_file_is_named_in_one_run(tmp_path, capsys):
    """A network that edits several files and breaks two hears about both at once, not about the second only after
    fixing the first; the files that load are still checked, and the command says the content is not usable."""
    from imworkbook.cli import main

    root = whole_content_copy(tmp_path)
    edit_yaml(root / "maturity/model.yaml", lambda d: d["levels"].pop())
    edit_yaml(root / "investment/model.yaml", lambda d: d["fields"][0].__setitem__("unit", "uren"))
    check = api.check_content(root / "maturity")
    codes = {p.code for p in check.problems}
    assert {"content.levels_one_to_five", "content.not_one_of"} <= codes
    assert check.model is None and check.investment is None and check.roles is not None and not check.loaded
    assert main(["--lang", "en", "check-content", str(root / "maturity")]) == 2  # (2: a file could not be loaded)
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "model.yaml" in shown and "unit" in shown and "levels" in shown
