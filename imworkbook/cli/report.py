"""``imworkbook report``: the board report of one school, or of every school in a folder or zip."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from imworkbook.cli.common import parser, progress, say, show_all, text, warn


def add(sub, lang: str) -> None:
    p = parser(sub, "report", lang, "cli.report_help", "cli.report_description")
    p.add_argument("antwoorden", metavar=text("cli.metavar_answers", lang), help=text("cli.report_answers_help", lang))
    p.add_argument("--network", metavar=text("cli.metavar_folder", lang), help=text("cli.report_network_help", lang))
    p.add_argument("--out", metavar=text("cli.metavar_file_or_folder", lang), help=text("cli.report_out_help", lang))
    p.add_argument("--lang", choices=["nl", "en"], help=text("cli.report_lang_help", lang))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from imworkbook import api

    lang, report_lang = args.ui_lang, args.lang or args.ui_lang
    source = Path(args.antwoorden)
    if not source.exists():
        raise FileNotFoundError(2, "not found", str(source))
    batch = api.is_batch(source)
    if batch and args.out and Path(args.out).suffix.lower() in (".html", ".htm"):
        warn("cli.report_out_folder", lang)
        return 2
    network = same = None
    network_source = args.network or (source if batch else None)
    if network_source:
        same = batch and Path(network_source) == source
        network = api.load_network(network_source, keep_documents=same,
                                   notify=lambda note: print(note, file=sys.stderr), lang=lang)
    if not batch:
        result = api.load_answers(source)
        show_all(result.problems, lang)
        path = api.board_report(result.answers, out=args.out, network=network and network.data, lang=report_lang)
        say("cli.report_written", lang, path=path, size=_mb(path.stat().st_size, lang))
        return 0
    done = api.board_reports(source, args.out, network=network.data, collected=network.collected if same else None,
                             lang=report_lang, progress=progress("cli.progress_reports", lang))
    if not done.written:
        warn("cli.no_usable_files", lang)
        return 2
    say("cli.reports_written", lang, n=len(done.written), folder=done.folder)
    if done.refused:
        warn("cli.files_not_used", lang, n=done.refused, source=source)
    return 0 if not done.refused else 1


def _mb(size: int, lang: str) -> str:
    from imworkbook.base.i18n import format_number

    return format_number(size / 1e6, lang, 1)
