"""The command line calls the same API as the notebooks and speaks Dutch."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import yaml

from imworkbook.cli import main

from ..conftest import PO_EXAMPLE, VO_EXAMPLE


def test_help_is_dutch(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "toon deze hulp en stop" in out and "open het werkboek in JupyterLab" in out


def test_check_content_ok(capsys):
    assert main(["check-content"]) == 0
    assert "In orde: model 'im_volwassenheid'" in capsys.readouterr().out


def test_check_content_reports_a_broken_file(content_copy, capsys):
    path = content_copy / "areas" / "sturing.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"][0]["levels"].pop(5)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["check-content", str(content_copy)]) == 2
    err = capsys.readouterr().err
    assert "sturing.yaml" in err and "niveau 5 ontbreekt" in err


def test_score_prints_the_table(capsys):
    assert main(["score", str(VO_EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Het Baken (vo), ronde 2026-2027" in out and "onbekend" in out and "Totaal" in out


def test_score_on_a_broken_file_exits_2(tmp_path, capsys):
    bad = tmp_path / "kapot.json"
    bad.write_text(PO_EXAMPLE.read_text(encoding="utf-8")[:200], encoding="utf-8")
    assert main(["score", str(bad)]) == 2
    assert "kapot.json" in capsys.readouterr().err


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "opdrachten" in capsys.readouterr().out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_open_starts_jupyterlab_at_the_first_notebook(werkmap):
    port = _free_port()
    exe = shutil.which("imworkbook", path=os.path.dirname(sys.executable)) or "imworkbook"
    proc = subprocess.Popen([exe, "open", "--no-browser", f"--port={port}"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=os.environ.copy())
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within 60 s")
        # the charts' plotly.js (imworkbook/widgets/plot.py) is served in JupyterLab too
        bundle = f"http://127.0.0.1:{port}/voila/templates/imworkbook/static/plotly-imworkbook.min.js"
        with urllib.request.urlopen(bundle, timeout=10) as resp:
            assert resp.status == 200 and resp.read(200).startswith(b"/*! plotly.js v")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "01_volwassenheid.ipynb" in out
    assert (werkmap / "antwoorden").is_dir()


def test_check_content_reports_a_broken_investment_model(content_copy, capsys):
    import shutil

    from imworkbook.base import paths
    target = content_copy.parent / "investment"
    shutil.copytree(paths.data_dir() / "investment", target)
    text = (target / "model.yaml").read_text(encoding="utf-8").replace("under: 0.67", "under: 1.2")
    (target / "model.yaml").write_text(text, encoding="utf-8")
    assert main(["check-content", str(content_copy)]) == 2
    err = capsys.readouterr().err
    assert "investment/model.yaml › thresholds › under: moet kleiner dan 1 zijn; gekregen: 1.2" in err


def test_stopping_the_app_stops_voila_and_its_kernels(tmp_path):
    """`imworkbook app` runs Voila as a child; a SIGTERM to the app (a closed terminal, a service manager, this
    test) must stop Voila too, or every run leaves a server with its kernels behind (seen: 200 kernels)."""
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**__import__("os").environ, "IMWORKBOOK_HOME": str(tmp_path)}
    app = subprocess.Popen([sys.executable, "-m", "imworkbook", "app", "--no-browser", f"--port={port}"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/voila/render/00_start.ipynb"
    try:
        for _ in range(120):
            try:
                assert urllib.request.urlopen(url, timeout=30).status == 200  # this starts a kernel too
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start")
        app.send_signal(signal.SIGTERM)
        started = time.monotonic()
        app.wait(30)
        assert time.monotonic() - started < 12, "the app took its time-out to end after the server had stopped"
        for _ in range(60):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    break  # nobody listens any more: Voila is gone
            time.sleep(0.5)
        else:
            pytest.fail("Voila still runs after the app was stopped")
    finally:
        if app.poll() is None:
            app.kill()


def test_names_from_files_cannot_drive_the_terminal(tmp_path, capsys):
    """A school name with escape codes (colour, clearing the screen, a bidi override) is shown, not obeyed."""
    data = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    data["school"]["name"] = "De Regenboog\x1b[2J\x1b]0;pwned\x07\u202egnp.exe"
    path = tmp_path / "school.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    main(["score", str(path)])
    main(["validate", str(tmp_path)])
    captured = capsys.readouterr()
    for text in (captured.out, captured.err):
        assert not any(ch in text for ch in "\x1b\x07\u202e"), repr(text)
    assert "De Regenboog\ufffd[2J" in captured.out


def test_one_progress_display_a_bar_on_a_terminal_ten_lines_in_a_log(capsys):
    from imworkbook.cli.common import progress

    log = progress("cli.progress_reports", "nl", 100)
    for n in range(1, 101):
        log(n)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 10 and lines[-1].strip() == "100 van 100 rapporten"
    english = progress("cli.progress_reports", "en", 4)
    for n in range(1, 5):
        english(n)
    assert capsys.readouterr().err.splitlines()[-1].strip() == "4 of 4 reports"
    bar = progress("cli.progress_reports", "nl", 7)
    bar.tty = True
    for n in range(1, 8):
        bar(n)
    assert "rapporten" in (err := capsys.readouterr().err) and "7/7" in err
    quiet = progress("cli.progress_files", "nl", min_total=200)
    quiet(5, 10)  # a small batch: no display at all
    assert capsys.readouterr().err == ""


def test_the_command_exits_with_the_code_of_what_it_did(tmp_path, monkeypatch):
    """``python -m imworkbook`` (and the console script, the same entry) ends with the command's own code: the one
    ``main`` gives for a folder, 2 for one that is not there (with the message, not a traceback)."""
    from .. import conftest

    env = os.environ | {"IMWORKBOOK_HOME": str(tmp_path)}
    monkeypatch.setenv("IMWORKBOOK_HOME", str(tmp_path))
    ok = subprocess.run([sys.executable, "-m", "imworkbook", "validate", str(conftest.EXAMPLES / "netwerk")],
                        capture_output=True, text=True, env=env)
    missing = subprocess.run([sys.executable, "-m", "imworkbook", "validate", str(tmp_path / "nergens")],
                             capture_output=True, text=True, env=env)
    assert ok.returncode == main(["validate", str(conftest.EXAMPLES / "netwerk")]) in (0, 1), ok.stderr
    assert missing.returncode == 2 and "nergens" in missing.stderr and "Traceback" not in missing.stderr
