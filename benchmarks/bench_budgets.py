"""The cost of hostile inputs (a measurement, not a test): time and peak memory per attack file.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_budgets.py [--only NAME] [--timeout 150] [--keep DIR]

Builds each attack file (small on disk, huge in what it claims; see benchmarks/attacks.py), then loads it in a
fresh process, as ``imworkbook import`` (one workbook) or ``imworkbook validate`` / ``compare`` (a network zip,
``collect(..., keep_documents=False)``) would, and prints the wall time, the peak memory (max RSS of that process)
and the first words of the verdict. A process that runs past ``--timeout`` is stopped and shown as such; each
runs with an address-space limit of 8 GB so a runaway case cannot take the machine down. Targets (issue 11): every
refusal <= 5 s and <= 300 MB; the zip with 300 members (1.5 GB unpacked, all loaded) costs about as much memory as
the one with 10.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attacks  # noqa: E402

LOAD_ONE = """
import sys
from imworkbook.base.errors import AnswersFileError
from imworkbook.io.reading import load_answers
try:
    r = load_answers(sys.argv[1])
    print('geladen:', r.answers.school.name, len(r.problems), 'meldingen')
except AnswersFileError as exc:
    print('geweigerd:', str(exc).replace(chr(10), ' ')[:150])
"""

COLLECT = """
import sys
from imworkbook.io.collect import collect
c = collect(sys.argv[1], keep_documents=False, workers=1)
print(c.counts, '|', '; '.join(c.report['melding'].astype(str).str[:90].tolist()[-2:]))
"""

COLLECT_FOLDER = COLLECT.replace("collect(sys.argv[1]", "collect(__import__('pathlib').Path(sys.argv[1]).parent")

CASES = {  # name: (builder, file name, child program)
    "xlsx-miljoen-rijen": (lambda: attacks.xlsx_million_rows(), "rijen.xlsx", LOAD_ONE),
    "xlsx-miljoen-rijen-in-map": (lambda: attacks.xlsx_million_rows(), "map/rijen.xlsx", COLLECT_FOLDER),
    "xlsx-lege-rijen": (lambda: attacks.xlsx_many_empty_rows(), "leeg.xlsx", LOAD_ONE),
    "xlsx-gedeelde-teksten": (lambda: attacks.xlsx_shared_strings(), "teksten.xlsx", LOAD_ONE),
    "xlsx-opmaak-300.000": (lambda: attacks.xlsx_styles(), "opmaak.xlsx", LOAD_ONE),
    "xlsx-bom-2GB": (lambda: attacks.xlsx_bomb(inflated=2 << 30), "bom.xlsx", LOAD_ONE),
    "xlsx-bom-liegt": (lambda: attacks.xlsx_bomb(inflated=2 << 30, lie=True), "bomlieg.xlsx", LOAD_ONE),
    "zip-lid-liegt-2GB": (lambda: attacks.zip_lying_member(2 << 30), "lieg.zip", COLLECT),
    "zip-10-leden-4,9MB": (lambda: attacks.zip_many_large(10), "tien.zip", COLLECT),
    "zip-300-leden-4,9MB": (lambda: attacks.zip_many_large(300), "driehonderd.zip", COLLECT),
}


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", help="run only these cases (repeatable)")
    parser.add_argument("--timeout", type=float, default=150)
    parser.add_argument("--keep", help="build the attack files into (or reuse them from) this folder")
    args = parser.parse_args()
    pythonpath = os.pathsep.join(str(Path(p).resolve()) for p in os.environ.get("PYTHONPATH", ".").split(os.pathsep))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="imworkbook-attacks-"))
    print(f"{'geval':<28} {'bestand':>9} {'tijd':>8} {'max RSS':>9}  uitkomst")
    for name, (build, file_name, program) in CASES.items():
        if args.only and name not in args.only:
            continue
        path = folder / name / file_name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(build())
        start = time.perf_counter()
        home = tempfile.mkdtemp(prefix="imworkbook-bench-")
        proc = subprocess.Popen([sys.executable, "-c", program, str(path)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=_limit, cwd=home,  # not the checkout:
                                env=os.environ | {"IMWORKBOOK_HOME": home, "PYTHONPATH": pythonpath})  # -c imports cwd
        timer = threading.Timer(args.timeout, proc.kill)
        timer.start()
        try:  # the child's own rusage (getrusage(RUSAGE_CHILDREN) would be the maximum over all cases)
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode == -9 and elapsed >= args.timeout:
            verdict = f"gestopt na {args.timeout:.0f} s"
        elif proc.returncode != 0:
            lines = err.strip().splitlines()
            verdict = f"exit {proc.returncode}: " + (lines[-1][:120] if lines else "")
        else:
            verdict = out.strip().replace("\n", " ")[:160]
        size = path.stat().st_size
        print(f"{name:<28} {size / 1024:>6.0f} KB {elapsed:>6.1f} s {usage.ru_maxrss / 1024:>6.0f} MB  {verdict}",
              flush=True)


if __name__ == "__main__":
    main()
