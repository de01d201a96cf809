"""The Kubernetes route (docs/kubernetes.md): the Helm values, the image and the collection script agree.

No cluster is needed: the values file is checked against the chart's own schema (vendored from Zero to
JupyterHub, docs/k8s/z2jh-4.4.0/), merged with the chart's defaults the way helm merges them, and
docs/k8s/verzamel.sh runs against a fake kubectl that serves volumes from a temporary folder.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path, PurePosixPath

import pytest
import yaml

from ..conftest import REPO, PO_EXAMPLE, VO_EXAMPLE

K8S = REPO / "docs" / "k8s"
CHART_VERSION = "4.4.0"
CHART = K8S / f"z2jh-{CHART_VERSION}"
VALUES = K8S / "values.yaml"
DOCKERFILE = K8S / "Dockerfile"
COLLECT = K8S / "verzamel.sh"


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def _server_config(values) -> dict:
    files = values["singleuser"]["extraFiles"]
    (config,) = [f["data"] for f in files.values() if f["mountPath"].endswith("/jupyter_server_config.json")]
    return config


def _bytes(quantity) -> float:
    """A Kubernetes/KubeSpawner memory quantity (512M, 1G, 1Gi, 2.5e8) in bytes."""
    match = re.fullmatch(r"([0-9.]+(?:e[0-9]+)?)\s*([KMGT]i?)?", str(quantity))
    assert match, f"not a memory quantity: {quantity!r}"
    number, unit = float(match.group(1)), match.group(2) or ""
    base = 1024 if unit.endswith("i") else 1000
    return number * base ** (" KMGT".index(unit[:1]) if unit else 0)


def _helm_merge(defaults: dict, override: dict) -> dict:
    """Helm's coalescing of -f values over a chart's defaults: maps merge, anything else replaces, null deletes."""
    merged = dict(defaults)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _helm_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def test_participants_land_on_the_start_page_of_the_app(values):
    url = values["singleuser"]["defaultUrl"]
    assert url.startswith("/voila/render/"), "participants must land in Voila (the app), not in JupyterLab"
    notebook = url.removeprefix("/voila/render/")
    assert (REPO / "notebooks" / notebook).is_file(), f"defaultUrl names {notebook}, which is not in notebooks/"
    assert notebook == "00_start.ipynb"

    config = _server_config(values)
    root = config["ServerApp"]["root_dir"]
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert f"{root} " in dockerfile or f"{root};" in dockerfile, f"the image does not create {root}"
    template = config["VoilaConfiguration"]["template"]
    assert (REPO / "imworkbook" / "jupyter" / "voila" / "templates" / template).is_dir()
    from imworkbook.cli.server import DENIED_EXTENSIONS

    assert set(DENIED_EXTENSIONS) <= set(config["VoilaConfiguration"].get("extension_denylist", [])), \
        "the pod's pages must not load the 4.8 MB plotly extension either (imworkbook/widgets/plot.py)"
    env = values["singleuser"]["extraEnv"]
    assert env["JUPYTER_PATH"] in dockerfile, "the Voila template folder must come from the image"


def test_answers_live_in_the_participants_own_volume(values):
    storage = values["singleuser"]["storage"]
    assert storage["type"] == "dynamic"
    home = PurePosixPath(values["singleuser"]["extraEnv"]["IMWORKBOOK_HOME"])
    assert home.is_relative_to(storage["homeMountPath"]), "the werkmap must be on the persistent volume"
    root = PurePosixPath(_server_config(values)["ServerApp"]["root_dir"])
    assert not root.is_relative_to(storage["homeMountPath"]), "the notebooks are shared, read-only content"
    script = COLLECT.read_text(encoding="utf-8")
    assert f"ANTWOORDEN:-{home / 'antwoorden'}}}" in script, "verzamel.sh must read the same werkmap"
    assert f"HOME_IN_POD={storage['homeMountPath']}" in script


def test_idle_servers_and_kernels_are_culled(values):
    cull = values["cull"]
    assert cull["enabled"] is True
    assert isinstance(cull["timeout"], int) and cull["timeout"] >= 15 * 60, "a coffee break must not stop servers"
    assert isinstance(cull["every"], int) and 0 < cull["every"] <= cull["timeout"]
    kernels = _server_config(values)["MappingKernelManager"]
    assert kernels["cull_idle_timeout"] > 0 and 0 < kernels["cull_interval"] <= kernels["cull_idle_timeout"]
    assert kernels["cull_connected"] is False, "a kernel with an open page must stay"


def test_per_user_limits_are_consistent(values):
    memory, cpu = values["singleuser"]["memory"], values["singleuser"]["cpu"]
    assert _bytes(memory["limit"]) >= _bytes(memory["guarantee"])
    # measured 290-350 MB per participant with werkboek 1 open: the guarantee must cover that
    assert _bytes(memory["guarantee"]) >= 350e6
    assert cpu["limit"] >= cpu["guarantee"] > 0


def test_no_password_in_the_values_file():
    text = VALUES.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(user_password|admin_password|password)\s*:", text, re.M)


def test_one_chart_version_everywhere():
    assert f"k8s-singleuser-sample:{CHART_VERSION}" in DOCKERFILE.read_text(encoding="utf-8")
    assert f"versie {CHART_VERSION}" in VALUES.read_text(encoding="utf-8")
    assert f"--version {CHART_VERSION}" in (REPO / "docs" / "kubernetes.md").read_text(encoding="utf-8")
    for name in ("values.schema.yaml", "values.yaml"):
        assert f"tag {CHART_VERSION} (commit " in (CHART / name).read_text(encoding="utf-8")[:400]


def test_image_requirements_are_pinned():
    lines = [ln.split("#")[0].strip() for ln in (K8S / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    pins = dict(ln.split("==") for ln in lines if ln)
    assert all(re.fullmatch(r"[0-9][0-9A-Za-z.]*", v) for v in pins.values()), pins
    assert {"voila", "ipywidgets", "pandas", "plotly", "openpyxl", "nbval"} <= set(pins)


def test_values_validate_against_the_chart_schema(values):
    jsonschema = pytest.importorskip("jsonschema")
    schema = yaml.safe_load((CHART / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(_helm_merge(defaults, values))]
    assert errors == []
    # the check has teeth: a misspelt key and a wrong type are refused
    typo = _helm_merge(defaults, _helm_merge(values, {"singleuser": {"memory": {"limt": "1G"}}}))
    assert any("limt" in e.message for e in validator.iter_errors(typo))
    wrong = _helm_merge(defaults, _helm_merge(values, {"cull": {"timeout": "3600"}}))
    assert any("integer" in e.message for e in validator.iter_errors(wrong))


FAKE_KUBECTL = r'''
"""A stand-in for kubectl: just the calls verzamel.sh makes, served from the folder in FAKE_CLUSTER."""
import json, os, subprocess, sys
from pathlib import Path
import yaml

cluster = Path(os.environ["FAKE_CLUSTER"])
args = sys.argv[1:]
with open(cluster / "calls.log", "a") as log:
    log.write(json.dumps(args) + "\n")
if args[:1] == ["--namespace"]:
    assert args[1] == "werkboek", args
    args = args[2:]
state = json.loads((cluster / "state.json").read_text())

def save():
    (cluster / "state.json").write_text(json.dumps(state))

if args[:2] == ["get", "pvc"]:
    assert "component=singleuser-storage" in args[args.index("-l") + 1]
    for name, user in state["pvcs"].items():
        print(f"{name}\t{user}")
elif args[:2] == ["get", "pods"]:
    assert "component=singleuser-server" in args[args.index("-l") + 1]
    assert "--field-selector=status.phase=Running" in args
    for pod, claim in state["running"].items():
        print(f"{pod}\t{claim} ")
elif args[:1] == ["apply"]:
    manifest = yaml.safe_load(sys.stdin.read())
    spec = manifest["spec"]
    claim = spec["volumes"][0]["persistentVolumeClaim"]
    if claim["claimName"] in state.get("broken", []):
        sys.exit("error: the server could not find the requested resource")
    assert claim["readOnly"] is True and spec["containers"][0]["volumeMounts"][0]["readOnly"] is True
    state["helpers"][manifest["metadata"]["name"]] = claim["claimName"]
    save()
elif args[:1] == ["wait"]:
    assert args[-1].startswith("--timeout")
elif args[:2] == ["delete", "pod"]:
    state["helpers"].pop(args[2], None)
    state["deleted"].append(args[2])
    save()
elif args[:1] == ["exec"]:
    pod, container = args[1], args[args.index("-c") + 1]
    command = args[args.index("--") + 1:]
    assert command[:2] == ["sh", "-c"], command
    claim = state["running"].get(pod) or state["helpers"][pod]
    assert container == ("notebook" if pod in state["running"] else "lezer")
    home = str(cluster / "volumes" / claim)
    command = [part.replace("/home/jovyan", home) for part in command]
    sys.exit(subprocess.run(command).returncode)
else:
    sys.exit(f"fake kubectl: unexpected call {args}")
'''


def _fake_cluster(tmp_path: Path, broken: list[str]) -> dict:
    cluster = tmp_path / "cluster"
    answers = cluster / "volumes" / "claim-school001" / "imworkbook" / "antwoorden"
    answers.mkdir(parents=True)
    shutil.copy(PO_EXAMPLE, answers / PO_EXAMPLE.name)
    shutil.copy(PO_EXAMPLE, answers / f"{PO_EXAMPLE.stem}.origineel-20261130-101500.json")  # a backup
    (answers / f".{PO_EXAMPLE.name}.x1y2.tmp").write_text("{half")  # a save in progress
    (answers / "stiekem.json").symlink_to(tmp_path / "geheim.json")  # never follow links out of a volume
    (tmp_path / "geheim.json").write_text('{"geheim": true}')
    answers2 = cluster / "volumes" / "claim-school002" / "imworkbook" / "antwoorden"
    answers2.mkdir(parents=True)
    shutil.copy(VO_EXAMPLE, answers2 / VO_EXAMPLE.name)
    (cluster / "volumes" / "claim-leeg").mkdir(parents=True)  # logged in, never saved anything
    state = {
        "pvcs": {"claim-school001": "school001", "claim-school002": "school002", "claim-leeg": "",
                 **{name: name.removeprefix("claim-") for name in broken}},
        "running": {"jupyter-school001": "claim-school001"},
        "helpers": {}, "deleted": [], "broken": broken,
    }
    (cluster / "state.json").write_text(json.dumps(state))
    kubectl = tmp_path / "bin" / "kubectl"
    kubectl.parent.mkdir()
    kubectl.write_text(f"#!{sys.executable}\n" + textwrap.dedent(FAKE_KUBECTL))
    kubectl.chmod(0o755)
    env = os.environ | {
        "FAKE_CLUSTER": str(cluster),
        "PATH": os.pathsep.join([str(kubectl.parent), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    }
    return env


@pytest.mark.skipif(not shutil.which("bash") or not shutil.which("tar"), reason="needs bash and tar")
@pytest.mark.parametrize("broken", [[], ["claim-kapot"]])
def test_collect_script_copies_each_participants_answers_and_validates(tmp_path, broken):
    env = _fake_cluster(tmp_path, broken)
    out = tmp_path / "verzameld"
    result = subprocess.run(["bash", str(COLLECT), str(out)], env=env, capture_output=True, text=True,
                            timeout=120)
    print(result.stdout, result.stderr)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        f"school001/{PO_EXAMPLE.name}", f"school002/{VO_EXAMPLE.name}"]
    assert sorted(p.name for p in out.iterdir()) == sorted(["school001", "school002", "claim-leeg", *(
        [b.removeprefix("claim-") for b in broken])])
    assert "2 bestanden: 2 geladen" in result.stdout  # imworkbook validate ran on the collected folder
    state = json.loads((tmp_path / "cluster" / "state.json").read_text())
    assert state["helpers"] == {}, "every helper pod is deleted again"
    assert len(state["deleted"]) == 2 + len(broken)  # no running server: school002, claim-leeg (and the broken one)
    if broken:
        assert result.returncode == 1
        assert "NIET gelezen" in result.stderr and "kapot" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
