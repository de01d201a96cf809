"""Network comparison at national scale (a measurement, not a test).

    .venv/bin/python benchmarks/bench_network.py [--schools 10000] [--rounds 3] [--keep DIR] [--repeat 1]

Prints one table: (a) the bare floor, reading every file and ``json.loads`` only; (b) ``imworkbook compare``
end to end, run as a facilitator runs it (``python -m imworkbook compare ...`` in a separate process), without
an export, with the shareable Excel export (``--xlsx``) and with both Excel exports (``--xlsx
--begeleider-xlsx``, the facilitator's whole job), each with the peak memory (RSS) of its process; then the parts:
(c) the in-memory analysis (frames + all comparison tables of one round) against a plain pandas groupby of the
same numbers, and each Excel export written on its own.
Targets (issue 4, issue 13): (c) <= 1 s and <= 3x the plain groupby; (b) with the shareable Excel export (`compare
--xlsx`) <= 3x (a); peak memory <= 1 GB. With both exports (the facilitator's Validatie sheet, a row per file) it is
measured beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(seconds, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime)
"""


def cpu_now() -> float:
    """CPU seconds of this process and of its finished children (the workers of a parallel collect)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def end_to_end(arguments: list[str], env: dict, cwd: Path) -> tuple[float, float, int, float]:
    """Seconds, peak RSS (MB), exit code and CPU seconds (all its processes) of ``python -m imworkbook
    <arguments>``. The command runs under a small parent process of its own, so RUSAGE_CHILDREN is the peak of that
    one command (not the maximum over every command this benchmark has started). It runs in ``cwd`` (not in the
    source tree), so ``-m imworkbook`` is the package on the path, as for a user."""
    out = subprocess.run([sys.executable, "-c", RUN, sys.executable, "-m", "imworkbook", *arguments], env=env,
                         capture_output=True, text=True, check=True, cwd=cwd).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2]), float(out[3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", help="generate into (or reuse) this folder")
    parser.add_argument("--repeat", type=int, default=1, help="run each end-to-end command this often (best time)")
    args = parser.parse_args()

    from imworkbook.analysis.network import FACILITATOR, SHAREABLE, comparison_tables, export_sheets, network_frames
    from imworkbook.io.collect import collect
    from imworkbook.io.export import write_xlsx
    from imworkbook.io.generate import generate_network

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="imworkbook-net-"))
    if not any(folder.rglob("*.json")):
        start = time.perf_counter()
        generate_network(folder, schools=args.schools, rounds=args.rounds, seed=1)
        print(f"generated {args.schools} x {args.rounds} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    files = sorted(folder.rglob("*.json"))
    for path in files:  # warm the page cache first, so (a) and (b) both read from memory, not one from disk
        path.read_bytes()

    floor = floor_cpu = float("inf")
    for _ in range(args.repeat):  # (the best of as many runs as the commands get)
        start, cpu = time.perf_counter(), time.process_time()
        for path in files:
            json.loads(path.read_bytes())
        floor, floor_cpu = min(floor, time.perf_counter() - start), min(floor_cpu, time.process_time() - cpu)

    out = Path(tempfile.mkdtemp(prefix="imworkbook-bench-out-"))
    env = os.environ | {"IMWORKBOOK_HOME": tempfile.mkdtemp(prefix="imworkbook-bench-home-")}
    commands = [
        ("`compare`, no export", []),
        ("`compare --xlsx` (shareable)", ["--xlsx", str(out / "net_deelbaar.xlsx")]),
        ("`compare --xlsx --begeleider-xlsx` (both)", ["--xlsx", str(out / "net_deelbaar.xlsx"),
                                                       "--begeleider-xlsx", str(out / "net_begeleider.xlsx")]),
    ]
    runs = []
    for label, extra in commands:
        results = [end_to_end(["compare", str(folder), *extra], env, out) for _ in range(args.repeat)]
        seconds = min(r[0] for r in results)
        peak = max(r[1] for r in results)
        cpu = min(r[3] for r in results)
        if any(r[2] not in (0, 1) for r in results):
            print(f"{label}: exit code {[r[2] for r in results]}", file=sys.stderr)
        runs.append((label, seconds, peak, cpu))

    part_cpu = {}
    start, c = time.perf_counter(), cpu_now()
    collected = collect(folder, keep_documents=False)
    all_cores, part_cpu["collect"] = time.perf_counter() - start, cpu_now() - c
    start, c = time.perf_counter(), cpu_now()
    data = network_frames(collected, secret=b"bench")
    frames, part_cpu["frames"] = time.perf_counter() - start, cpu_now() - c
    last = sorted(data.schools["round"].unique())[-1]
    start, c = time.perf_counter(), cpu_now()
    tables = comparison_tables(data, round=last)  # per area, per peer group, per item
    analysis, part_cpu["analysis"] = time.perf_counter() - start, cpu_now() - c
    # the same numbers with a plain groupby: per-school area means, then per-area statistics
    items = data.items
    start = time.perf_counter()
    per_school = items.groupby(["key", "round", "area_id"])[["current", "target"]].mean().reset_index()
    one = per_school[per_school["round"] == last]
    one.groupby("area_id")["current"].describe(percentiles=[0.1, 0.25, 0.5, 0.75, 0.9])
    plain = time.perf_counter() - start
    where = {"round": last, "sector": None, "scope": None}
    start, c = time.perf_counter(), cpu_now()
    write_xlsx(export_sheets(tables, SHAREABLE, **where), out / "part_deelbaar.xlsx")
    shareable, part_cpu["shareable"] = time.perf_counter() - start, cpu_now() - c
    start, c = time.perf_counter(), cpu_now()
    write_xlsx(export_sheets(tables, FACILITATOR, **where, report=collected.report), out / "part_begeleider.xlsx")
    facilitator, part_cpu["facilitator"] = time.perf_counter() - start, cpu_now() - c
    rows = {name: len(frame) for name, frame in tables.items()} | {"Validatie": len(collected.report)}

    n = len(files)
    schools, rounds = data.schools["key"].nunique(), data.schools["round"].nunique()
    print(f"\nNetwork comparison, {schools:,} schools x {rounds} rounds = {n:,} files "
          f"({sum(p.stat().st_size for p in files) / 1e6:,.0f} MB); {os.cpu_count()} cores; "
          f"rows per sheet: {', '.join(f'{k} {v:,}' for k, v in rows.items())}\n")
    print("| measurement | seconds | ratio | peak memory | CPU seconds (all processes) | target |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| (a) read all files + json.loads only | {floor:.2f} | 1.0 | | {floor_cpu:.2f} | |")
    for label, seconds, peak, cpu in runs:
        print(f"| (b) {label}, end to end | {seconds:.2f} | {seconds / floor:.1f}x (a) | {peak:,.0f} MB "
              f"| {cpu:.2f} | {'<= 3x (a), ' if 'begeleider' not in label else ''}<= 1024 MB |")
    print(f"| collect + check all files on {os.cpu_count()} cores, as `compare` does (part of b) | {all_cores:.2f} "
          f"| {all_cores / floor:.1f}x (a) | | {part_cpu['collect']:.2f} | |")
    print(f"| tidy frames from the collected numbers (part of b) | {frames:.2f} | | | {part_cpu['frames']:.2f} | |")
    print(f"| (c) in-memory analysis: all comparison tables of one round (part of b) | {analysis:.2f} "
          f"| {analysis / plain:.1f}x plain | | {part_cpu['analysis']:.2f} | <= 1 s, <= 3x plain |")
    print(f"| plain pandas groupby of the same numbers | {plain:.2f} | 1.0 | | | |")
    print(f"| shareable Excel export on its own (part of b) | {shareable:.2f} | | | {part_cpu['shareable']:.2f} | |")
    print(f"| facilitator Excel export on its own (part of b) | {facilitator:.2f} | | | {part_cpu['facilitator']:.2f} | |")
    shutil.rmtree(out, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
