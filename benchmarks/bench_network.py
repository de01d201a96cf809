"""Network comparison at national scale (a measurement, not a test).

    .venv/bin/python benchmarks/bench_network.py [--schools 10000] [--rounds 3] [--keep DIR]

Prints one table: (a) the bare floor, reading every file and ``json.loads`` only; (b) ``imworkbook compare``
end to end (a separate process, as a facilitator runs it) with its peak memory; (c) the in-memory analysis
(frames + all comparison tables of one round) against a plain pandas groupby of the same numbers.
Targets (issue 4): (c) <= 1 s and <= 3x the plain groupby; (b) <= 3x (a); peak memory <= 1 GB.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", help="generate into (or reuse) this folder")
    args = parser.parse_args()

    from imworkbook.collect import collect
    from imworkbook.generate import generate_network
    from imworkbook.network import comparison_tables, network_frames

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="imworkbook-net-"))
    if not any(folder.rglob("*.json")):
        start = time.perf_counter()
        generate_network(folder, schools=args.schools, rounds=args.rounds, seed=1)
        print(f"generated {args.schools} x {args.rounds} files in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    files = sorted(folder.rglob("*.json"))
    for path in files:  # warm the page cache first, so (a) and (b) both read from memory, not one from disk
        path.read_bytes()

    start = time.perf_counter()
    for path in files:
        json.loads(path.read_bytes())
    floor = time.perf_counter() - start

    env = os.environ | {"IMWORKBOOK_HOME": tempfile.mkdtemp(prefix="imworkbook-bench-home-")}
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-m", "imworkbook", "compare", str(folder)], check=False, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end_to_end = time.perf_counter() - start
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024

    start = time.perf_counter()
    collect(folder, keep_documents=False, workers=1)
    one_process = time.perf_counter() - start
    start = time.perf_counter()
    collected = collect(folder, keep_documents=False)
    all_cores = time.perf_counter() - start
    start = time.perf_counter()
    data = network_frames(collected, secret=b"bench")
    frames = time.perf_counter() - start
    last = sorted(data.schools["round"].unique())[-1]
    start = time.perf_counter()
    comparison_tables(data, round=last)  # per area, per peer group, per item
    analysis = time.perf_counter() - start
    # the same numbers with a plain groupby: per-school area means, then per-area statistics
    items = data.items
    start = time.perf_counter()
    per_school = items.groupby(["key", "round", "area_id"])[["current", "target"]].mean().reset_index()
    one = per_school[per_school["round"] == last]
    one.groupby("area_id")["current"].describe(percentiles=[0.1, 0.25, 0.5, 0.75, 0.9])
    plain = time.perf_counter() - start

    n = len(files)
    print(f"\nNetwork comparison, {args.schools:,} schools x {args.rounds} rounds = {n:,} files "
          f"({sum(p.stat().st_size for p in files) / 1e6:,.0f} MB)\n")
    print("| measurement | seconds | ratio | target |")
    print("|---|---:|---:|---|")
    print(f"| (a) read all files + json.loads only | {floor:.2f} | 1.0 | |")
    print(f"| (b) `imworkbook compare` end to end | {end_to_end:.2f} | {end_to_end / floor:.1f}x (a) | <= 3x (a) |")
    print(f"| collect + check all files, one process (part of b) | {one_process:.2f} | {one_process / floor:.1f}x (a) | |")
    print(f"| the same on {os.cpu_count()} cores, as `compare` does (part of b) | {all_cores:.2f} | "
          f"{all_cores / floor:.1f}x (a) | |")
    print(f"| tidy frames from the collected numbers (part of b) | {frames:.2f} | | |")
    print(f"| (c) in-memory analysis: all comparison tables of one round | {analysis:.2f} | {analysis / plain:.1f}x plain | <= 1 s, <= 3x plain |")
    print(f"| plain pandas groupby of the same numbers | {plain:.2f} | 1.0 | |")
    print(f"| peak memory of (b) | {peak_mb:,.0f} MB | | <= 1024 MB |")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
