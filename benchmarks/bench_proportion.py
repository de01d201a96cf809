"""Speed of the investment-proportion workbook (a measurement, not a test).

    .venv/bin/python benchmarks/bench_proportion.py

Target (issue 3): recomputing all indices and redrawing the figures after one changed input
<= 100 ms in the kernel.
"""

from __future__ import annotations

import statistics
import tempfile
import time


def main() -> None:
    from imworkbook.analysis.proportion import compute
    from imworkbook.apps.investment import verhouding
    from imworkbook.io.reading import load_answers
    from imworkbook.model.content import load_model

    model = load_model()
    folder = tempfile.mkdtemp(prefix="imworkbook-bench-")
    app = verhouding("po", folder=folder)
    answers = load_answers(app.session.path, model).answers

    def timed(fn, n: int) -> list[float]:
        out = []
        for i in range(n):
            start = time.perf_counter()
            fn(i)
            out.append(time.perf_counter() - start)
        return out

    pure = timed(lambda i: compute(answers, model), 50)
    field = app.forms["visie"].inputs["licence_per_year"]
    change = timed(lambda i: setattr(field, "value", str(100 + i)), 40)  # parse, save, compute, 3 charts
    app.what_if.widget.selected_index = 0
    slider = app.what_if.sliders["rollen"][1]
    what_if = timed(lambda i: setattr(slider, "value", 1000.0 + 100 * i), 40)
    print(f"compute() only, 8 areas:                  {statistics.median(pure) * 1000:6.1f} ms")
    print(f"one changed input (save + 3 charts):      {statistics.median(change) * 1000:6.1f} ms"
          f"   first {change[0] * 1000:.0f} ms   (target <= 100 ms)")
    print(f"one what-if slider move (no save):        {statistics.median(what_if) * 1000:6.1f} ms"
          f"   first {what_if[0] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
