"""imworkbook.base.yamlfile: content YAML read safely; every slip is a ContentError naming file, line and column."""

import pytest
import yaml
from hypothesis import given, strategies as st

from imworkbook.base.errors import ContentError
from imworkbook.base.yamlfile import read_yaml


def _read(tmp_path, text: str | bytes):
    path = tmp_path / "x.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return read_yaml(path, "inhoud/x.yaml")


def _problem(tmp_path, text):
    with pytest.raises(ContentError) as err:
        _read(tmp_path, text)
    (problem,) = err.value.problems
    assert problem.file == "inhoud/x.yaml"
    return problem


def test_a_key_twice_is_an_error_with_its_line(tmp_path):
    problem = _problem(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert problem.code == "content.yaml_duplicate_key"
    assert problem.where_in("nl") == "regel 3, kolom 1" and "'a' komt twee keer voor" in problem.message_in("nl")
    assert problem.where_in("en") == "line 3, column 1" and "'a'" in problem.message_in("en")


def test_no_python_objects(tmp_path):
    problem = _problem(tmp_path, "a: !!python/object/apply:os.system ['echo hoi']\n")
    assert "ongeldige YAML" in problem.message


@pytest.mark.parametrize("text, words", [
    (b"a: \xff\xfe\n", "UTF-8"), ("a: [1, 2\n", "ongeldige YAML"), ("? [1, 2]\n: x\n", "geen lijst of mapping"),
    ("d: 2026-02-30\n", "aanhalingstekens"),
])
def test_each_slip_says_what_to_do(tmp_path, text, words):
    assert words in _problem(tmp_path, text).message


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ContentError, match="bestand niet gevonden"):
        read_yaml(tmp_path / "weg.yaml")


def test_a_bom_is_fine(tmp_path):
    assert _read(tmp_path, "\ufeffa: 1\n".encode("utf-8")) == {"a": 1}


words = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)  # as content holds
plain = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), words),
                     lambda kids: st.one_of(st.lists(kids, max_size=4),
                                            st.dictionaries(words.filter(bool), kids, max_size=4)),
                     max_leaves=12)


@given(plain)
def test_what_the_safe_dumper_writes_reads_back(value):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_text(yaml.safe_dump({"v": value}, allow_unicode=True), encoding="utf-8")
        assert read_yaml(path) == {"v": value}
