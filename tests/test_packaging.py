"""The project's promises about itself: dependencies in step, README commands, clean notebooks."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib

from .conftest import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def _readme_command(marker: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```(?:bash|sh)?\n(.+?)\n```", text, re.S)
    assert match, f"README.md has no code block after <!-- {marker} -->"
    return match.group(1).strip()


def test_environment_yml_names_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {Requirement(r).name.lower(): str(Requirement(r).specifier)
              for r in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and dep not in ("pip",) and not dep.startswith("python"):
            req = Requirement(dep)
            conda[req.name.lower()] = str(req.specifier)
    assert conda == wanted
    assert any(isinstance(d, dict) and "-e ." in d.get("pip", []) for d in env["dependencies"])
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"]


def test_ci_runs_exactly_the_readme_test_command():
    command = _readme_command("test-command")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    runs = [line.strip() for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert runs[-1] == f"exec {command}"


def test_readme_open_command_installs_and_opens():
    command = _readme_command("open-command")
    assert "pip install -e ." in command and command.endswith("imworkbook app")


def test_readme_documents_the_conda_route():
    assert "conda env create -f environment.yml" in (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_dutch_named(path):
    assert re.fullmatch(r"\d\d_[a-z_]+\.ipynb", path.name)
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            lines = [ln for ln in "".join(cell["source"]).splitlines() if ln.strip() and not ln.strip().startswith("#")]
            assert len(lines) <= 3, f"{path.name}: a cell this long belongs in the package:\n" + "\n".join(lines)


def test_the_open_and_app_commands_point_at_existing_notebooks():
    from imworkbook.cli import FIRST_NOTEBOOK, START_NOTEBOOK

    names = [nb.name for nb in NOTEBOOKS]
    assert names[0] == START_NOTEBOOK and FIRST_NOTEBOOK in names


def test_werkmap_is_ignored_by_git():
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "check-ignore", "werkmap/antwoorden/x.json"], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0
