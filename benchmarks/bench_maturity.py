"""Speed of the maturity workbook (a measurement, not a test).

    .venv/bin/python benchmarks/bench_maturity.py

Targets (issue 2): ``import imworkbook`` <= 0.5 s; one changed answer re-scores and
redraws both figures in <= 100 ms in the kernel for 60 items.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def import_time(runs: int = 7) -> float:
    """Median wall time of ``import imworkbook`` in a fresh interpreter."""
    code = "import time; t = time.perf_counter(); import imworkbook; print(time.perf_counter() - t)"
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                                  text=True).stdout) for _ in range(runs))


def first_app_time(runs: int = 3) -> float:
    """Fresh interpreter: import everything and build the app on the po example (informative)."""
    code = ("import tempfile, time; t = time.perf_counter(); import imworkbook as iw; "
            "iw.vragenlijst('po', folder=tempfile.mkdtemp()); print(time.perf_counter() - t)")
    return statistics.median(float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                                  text=True).stdout) for _ in range(runs))


def model_with_60_items():
    """The shipped model plus two copied areas: 10 areas x 6 items."""
    from imworkbook.model.content import Area, load_model, MaturityModel

    model = load_model()
    extra = []
    for source, new_id in ((model.areas[0], "extra_a"), (model.areas[1], "extra_b")):
        data = source.model_dump()
        data["id"] = new_id
        for item in data["items"]:
            item["id"] = new_id + "." + item["id"].split(".", 1)[1]
        extra.append(Area.model_validate(data))
    return MaturityModel(id=model.id, version=model.version, title=model.title, levels=model.levels,
                         areas=model.areas + tuple(extra))


def change_time(changes: int = 60) -> tuple[float, float, int]:
    from imworkbook.apps.questionnaire import MaturityApp
    from imworkbook.io.session import Session
    from imworkbook.model.answers import ItemAnswer, new_answers

    model = model_with_60_items()
    folder = Path(tempfile.mkdtemp(prefix="imworkbook-bench-"))
    answers = new_answers("Benchmarkschool", "po", "2026-2027", model=model)
    for i, item_id in enumerate(model.item_ids):
        answers.answers[item_id] = ItemAnswer(current=1 + i % 4, target=2 + i % 4)
    session = Session(answers, folder / "bench.json", model)
    session.save()
    app = MaturityApp(session, model=model, folder=folder)
    card = app.cards[model.item_ids[0]]
    timings = []
    for n in range(changes):
        start = time.perf_counter()
        card.current.value = 5 - n % 5  # differs every time: save + re-score + redraw both figures
        timings.append(time.perf_counter() - start)
    return timings[0], statistics.median(timings[1:]), model.n_items


def main() -> None:
    imp = import_time()
    app = first_app_time()
    first, median, n = change_time()
    print(f"import imworkbook:                        {imp * 1000:7.0f} ms   (target <= 500 ms)")
    print(f"first questionnaire in a new kernel:      {app * 1000:7.0f} ms   (imports pandas, plotly, ipywidgets)")
    print(f"one change, {n} items, first (cold):       {first * 1000:7.0f} ms")
    print(f"one change, {n} items, median of 59:       {median * 1000:7.0f} ms   (target <= 100 ms)")


if __name__ == "__main__":
    main()
