"""What the commands share: their texts (``cli.*`` in data/i18n), problems on stderr, the progress bar and the
argument types. Every command module has ``add(sub, lang)`` (its parser, help in ``lang``) and a ``run`` per
command: parse -> :mod:`imworkbook.api` -> print."""

from __future__ import annotations

import argparse
import sys

from imworkbook.base.i18n import t


def text(key: str, lang: str, /, **values) -> str:
    return t(key, lang, **values)


def say(key: str, lang: str, /, **values) -> None:
    print(text(key, lang, **values), flush=True)


def warn(key: str, lang: str, /, **values) -> None:
    print(text(key, lang, **values), file=sys.stderr, flush=True)


def _show(problem, lang: str) -> None:
    """One problem (or an error made of problems) on stderr, in ``lang``: the one place the CLI shows them."""
    print(problem.text(lang), file=sys.stderr)


def show_all(problems, lang: str) -> None:
    for problem in problems:
        _show(problem, lang)


def parser(sub, name: str, lang: str, summary: str, description: str) -> argparse.ArgumentParser:
    """A command's parser with its ``summary`` and ``description`` (i18n keys) and -h, all in ``lang``."""
    p = sub.add_parser(name, help=text(summary, lang), description=text(description, lang), add_help=False)
    p._positionals.title = text("cli.positionals", lang)
    p._optionals.title = text("cli.options", lang)
    p.add_argument("-h", "--help", action="help", help=text("cli.help_help", lang))
    return p


def progress(what: str, lang: str, total: int = 0, *, min_total: int = 0):
    """``what``: the i18n key of the things counted. The CLI's one progress display, on stderr: a tqdm bar on a terminal ("45/100 reports" with the time left);
    in a log, about ten lines ("45 of 100 reports"). Returns a callback ``(done, total=None)``; nothing is shown
    for fewer than ``min_total`` things."""
    state = {"total": total, "bar": None}
    label = text(what, lang)
    tty = sys.stderr.isatty()

    def tick(done: int, total: int | None = None) -> None:
        if total is not None:
            state["total"] = total
        total = state["total"]
        if total < min_total:
            return
        if tick.tty:
            from tqdm import tqdm

            bar = state["bar"]
            if bar is None:
                bar = state["bar"] = tqdm(total=total, unit="", desc=label, file=sys.stderr, leave=True,
                                          bar_format="{desc}: {bar:30} {n_fmt}/{total_fmt} [{elapsed}<{remaining}]")
            bar.total = total
            bar.update(done - bar.n)
            if done >= total:
                bar.close()
        elif done == total or done % max(1, total // 10) == 0:
            print("  " + text("cli.progress_line", lang, done=done, total=total, what=label), file=sys.stderr,
                  flush=True)

    tick.tty = tty  # a terminal (tests set it)
    return tick


def non_negative_int(lang: str):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(text("cli.not_whole_number", lang, value=repr(value))) from None
        if number < 0:
            raise argparse.ArgumentTypeError(text("cli.not_negative", lang, value=value))
        return number
    return parse


def non_negative_float(lang: str):
    """Minutes as people type them (``0,5`` or ``0.5``), read by the one number reader of the package."""
    def parse(value: str) -> float:
        from imworkbook.base.numbers import parse_number

        try:
            number = parse_number(value)
        except ValueError:
            number = None
        if number is None or not number < float("inf") or number != number:
            raise argparse.ArgumentTypeError(text("cli.not_a_number", lang, value=repr(value)))
        if number < 0:
            raise argparse.ArgumentTypeError(text("cli.not_negative", lang, value=value))
        return number
    return parse


def print_file_check(collected, lang: str) -> None:
    """The files that were not simply loaded (one row each) and the counts."""
    import pandas as pd

    from imworkbook import api

    counts = collected.counts
    with pd.option_context("display.width", 200, "display.max_colwidth", 110, "display.max_rows", 500):
        rows = api.file_check_table(collected, lang, only_problems=True)
        if len(rows):
            print(rows.to_string(index=False))
    say("cli.file_counts", lang, seen=counts["seen"], ok=counts["loaded"], warn=counts["loaded_with_notes"],
        duplicate=counts["duplicate"], refused=counts["refused"], skipped=counts["skipped"])
