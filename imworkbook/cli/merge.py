"""``imworkbook merge``: several raters of one school into the school's answers (as werkboek 7 does)."""

from __future__ import annotations

import argparse
from pathlib import Path

from imworkbook.cli.common import parser, say, show_all, text, warn


def add(sub, lang: str) -> None:
    p = parser(sub, "merge", lang, "cli.merge_help", "cli.merge_description")
    p.add_argument("bestanden", nargs="+", metavar=text("cli.metavar_files", lang), help=text("cli.merge_files_help", lang))
    p.add_argument("--out", metavar=text("cli.metavar_file", lang), help=text("cli.merge_out_help", lang))
    p.add_argument("--overwrite", action="store_true", help=text("cli.merge_overwrite_help", lang))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from imworkbook import api

    lang = args.ui_lang
    raters, problems = api.read_raters(args.bestanden, lang=lang)
    show_all(problems, lang)
    out = Path(args.out) if args.out else api.merged_path(raters, Path(args.bestanden[0]).parent)
    if out.exists() and not args.overwrite:
        warn("cli.exists", lang, path=out)
        return 2
    if any(out.resolve() == Path(n).resolve() for n in args.bestanden):
        warn("cli.merge_out_is_rater", lang)
        return 2
    disagree = api.disagreements(raters)
    saved = api.merge(raters, out, overwrite=args.overwrite, lang=lang)
    merged = saved.merged
    say("cli.merged", lang, n=len(raters), school=merged.school.name, round=merged.round, path=out)
    if saved.backup:
        say("cli.backup_kept", lang, name=saved.backup.name)
    if disagree:
        say("cli.merge_disagree", lang, n=len(disagree))
        for item_id in disagree:
            note = merged.answers[item_id].note if item_id in merged.answers else None
            print(f"  {item_id}: {note.splitlines()[0]}" if note else f"  {item_id}")
    return 0
