"""Board reports (a measurement, not a test): one report, and a batch of 500 through the CLI.

    .venv/bin/python benchmarks/bench_report.py [--schools 500]

Targets (issue 5): one report <= 2 s; 500 reports in batch <= 3 min; each file <= 5 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=500)
    args = parser.parse_args()

    from imworkbook.base.paths import data_dir
    from imworkbook.io.generate import generate_network
    from imworkbook.io.reading import load_answers
    from imworkbook.model.content import load_model
    from imworkbook.report.board import save_board_report

    work = Path(tempfile.mkdtemp(prefix="imworkbook-reports-"))
    model = load_model()
    example = load_answers(data_dir() / "examples" / "de-regenboog_2026-2027.json", model).answers
    times = []
    for _ in range(5):
        start = time.perf_counter()
        path = save_board_report(example, model, work / "een.html")
        times.append(time.perf_counter() - start)
    size = path.stat().st_size

    generate_network(work / "net", schools=args.schools, rounds=1, seed=3)
    env = os.environ | {"IMWORKBOOK_HOME": str(work / "home")}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "imworkbook", "report", str(work / "net"), "--out", str(work / "uit")],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    batch = time.perf_counter() - start
    made = list((work / "uit").glob("*.html"))
    biggest = max(p.stat().st_size for p in made)

    print("| measurement | result | target |")
    print("|---|---:|---|")
    print(f"| one report (in process, median of 5; first {times[0]:.2f} s) | {sorted(times)[2]:.2f} s | <= 2 s |")
    print(f"| size of one report | {size / 1e6:.2f} MB | <= 5 MB |")
    print(f"| `imworkbook report` batch, {len(made)} schools (end to end) | {batch:.0f} s "
          f"({batch / len(made):.2f} s each) | <= 180 s for 500 |")
    print(f"| largest report in the batch | {biggest / 1e6:.2f} MB | <= 5 MB |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
