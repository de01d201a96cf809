"""imworkbook.analysis.contentcheck: check-content runs the real computations on answers made from the content folder, so a
folder that would make any screen or report raise is refused with a message naming the file (no traceback)."""

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from imworkbook.analysis import contentcheck
from imworkbook.analysis.contentcheck import synthetic_answers, usability_problems
from imworkbook.base import paths
from imworkbook.base.errors import Problem
from imworkbook.cli import main
from imworkbook.model.content import load_investment_model, load_landscape_reference, load_model, load_roles_model

from ..conftest import CONTENT_PARTS, edit_yaml, whole_content_copy





def test_the_shipped_content_is_usable():
    assert usability_problems() == []


def test_the_synthetic_school_touches_every_part_of_the_content(model):
    inv, ref, roles = load_investment_model(), load_landscape_reference(), load_roles_model()
    answers = synthetic_answers(model, inv, ref, roles, "vo")
    assert all(answers.answer(i).current is not None for i in model.item_ids)
    assert {a.current for a in answers.answers.values()} == {1, 2, 3, 4, 5}
    for area in model.areas:
        assert set(answers.investment.areas[area.id]) == {"ambition", *(f.id for f in inv.fields)}
    assert {a for app in answers.landscape for a in app.activities} == set(ref.activities)
    assert {app.type for app in answers.landscape} == {s.id for s in ref.system_types}
    assert set(answers.roles.assignments) == {t.id for t in roles.tasks}
    from imworkbook.analysis.proportion import compute
    assert set(compute(answers, model, inv).table["flag"]) >= {"onder", "over"}  # more than one path is taken


def _drop_field(field_id):
    return lambda d: d.__setitem__("fields", [f for f in d["fields"] if f["id"] != field_id])


def _rename_first(mapping, new):
    first = next(iter(mapping))
    mapping[new] = mapping.pop(first)


BREAKS = [
    # (file, change, words in the message)
    ("investment/model.yaml", _drop_field("support_hours"), "support_hours"),
    ("investment/model.yaml", _drop_field("tooling"), "tooling"),
    ("investment/model.yaml", lambda d: d["fields"].append(dict(d["fields"][3], id="ambition")), "ambition"),
    ("investment/model.yaml", lambda d: d["reference"]["per_pupil"]["po"].pop("privacy"), "privacy"),
    ("investment/allocation.yaml", lambda d: _rename_first(d["items"][0]["key"], "bestaat_niet"), "bestaat_niet"),
    ("landscape/reference.yaml",
     lambda d: d.__setitem__("system_types", [s for s in d["system_types"] if s["id"] != "anders"]), "anders"),
    ("landscape/reference.yaml", lambda d: d.pop("data_objects"), "data_objects"),
    ("roles/tasks.yaml", lambda d: d["roles"].append(dict(d["roles"][0])), "komt twee keer voor"),
    ("roles/tasks.yaml", lambda d: d.__setitem__("mixed_strong_from_pupils", 0), "mixed_strong_from_pupils"),
    ("maturity/model.yaml", lambda d: d["areas"].append("bestaat_niet"), "bestaat_niet"),
]


@pytest.mark.parametrize("file, change, words", BREAKS, ids=[f"{b[0]}-{b[2]}" for b in BREAKS])
def test_check_content_refuses_a_broken_folder_by_file_and_field(tmp_path, capsys, file, change, words):
    root = whole_content_copy(tmp_path)
    edit_yaml(root / file, change)
    code = main(["check-content", str(root / "maturity")])
    out = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in out.err + out.out
    lines = [line for line in out.err.splitlines() if Path(file).name in line]
    assert any(words in line for line in lines), out.err


def test_a_computation_that_raises_is_named_by_its_file_and_field(monkeypatch):
    """Whatever the schema misses and the code trips over becomes a problem, not a traceback."""
    import imworkbook.analysis.proportion as proportion
    import imworkbook.analysis.roles as roles

    def compute(*args, **kwargs):
        return {}["hours_extra"]

    monkeypatch.setattr(proportion, "compute", compute)
    monkeypatch.setattr(roles, "hours_check", lambda *a, **k: 1 / 0)
    problems = usability_problems()
    missing = next(p for p in problems if p.file == "investment/model.yaml")
    assert (missing.code, missing.where, missing.value("key")) == ("content.cannot_compute_key", "hours_extra",
                                                                  "hours_extra")
    assert missing.message_in("nl") == ("de verhouding tussen investering en ambitie kan met deze inhoud niet worden "
                                        "berekend: de code leest 'hours_extra', maar die staat er niet (meer) in")
    assert missing.message_in("en") == ("the proportion between investment and ambition cannot be computed with "
                                        "this content: the code reads 'hours_extra', but it is not (or no longer) "
                                        "there")
    assert any(p.file == "roles/tasks.yaml" and p.code == "content.cannot_compute" and "ZeroDivisionError" in p.message
               for p in problems)
    assert len(problems) == len({str(p) for p in problems}) == 2  # each once, not per sector and language


def test_check_content_fails_when_a_computation_raises(monkeypatch, capsys):
    import imworkbook.analysis.landscape as landscape

    monkeypatch.setattr(landscape, "findings", lambda *a, **k: [][0])
    assert main(["check-content"]) != 0
    err = capsys.readouterr().err
    assert "landscape/reference.yaml" in err and "IndexError" in err and "Traceback" not in err


def _paths(node, prefix=()):
    """Every key path in a YAML tree (dict keys and list positions)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


FILES = ("investment/model.yaml", "landscape/reference.yaml", "roles/tasks.yaml")
_TREES = {f: yaml.safe_load((paths.data_dir() / f).read_text(encoding="utf-8")) for f in FILES}
_PATHS = [(f, p) for f in FILES for p in _paths(_TREES[f])]
_VALUES = st.one_of(st.none(), st.just(0), st.just(-1), st.just(""), st.just([]), st.just({}), st.just("x"),
                    st.floats(allow_nan=True, allow_infinity=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_PATHS), st.one_of(st.just("delete"), _VALUES))
def test_no_change_to_a_content_file_makes_the_check_raise(target, value):
    """Delete any key or replace any value: the check answers with problems or with 'usable', never a crash;
    and what it calls usable, the computations run on."""
    file, path = target
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for part in CONTENT_PARTS[:4]:
            shutil.copytree(paths.data_dir() / part, root / part)

        def change(d):
            node = d
            for key in path[:-1]:
                node = node[key]
            if value == "delete":
                del node[path[-1]]
            else:
                node[path[-1]] = value

        edit_yaml(root / file, change)
        problems = usability_problems(root)
        assert all(isinstance(p, Problem) and p.file for p in problems)
        if not problems:  # usable: the computations run on it, in every language and sector
            model = load_model(root / "maturity")
            inv, ref = load_investment_model(root / "investment"), load_landscape_reference(root / "landscape")
            roles = load_roles_model(root / "roles")
            for sector in ("po", "vo"):
                assert contentcheck.run_computations(synthetic_answers(model, inv, ref, roles, sector), model, inv,
                                                     ref, roles, "en") == []
