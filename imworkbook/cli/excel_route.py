"""The Excel route for who does not use Jupyter: ``imworkbook template`` (the questionnaire as a workbook) and
``imworkbook import`` (a filled-in workbook back as an answers file)."""

from __future__ import annotations

import argparse

from .common import parser, say, show_all, text, warn


def add(sub, lang: str) -> None:
    p = parser(sub, "template", lang)
    p.add_argument("--xlsx", required=True, metavar=text("metavar_file", lang), help=text("template_xlsx_help", lang))
    p.add_argument("--school", metavar=text("metavar_answers", lang), help=text("template_school_help", lang))
    p.add_argument("--lang", choices=["nl", "en"], help=text("template_lang_help", lang))
    p.set_defaults(func=run_template)

    p = parser(sub, "import", lang)
    p.add_argument("bestand", metavar=text("metavar_file", lang), help=text("import_file_help", lang))
    p.add_argument("--out", metavar=text("metavar_file", lang), help=text("import_out_help", lang))
    p.add_argument("--overwrite", action="store_true", help=text("import_overwrite_help", lang))
    p.set_defaults(func=run_import)


def run_template(args: argparse.Namespace) -> int:
    from .. import api

    lang = args.ui_lang
    path = api.template(args.xlsx, args.school, lang=args.lang or lang)
    say("template_written", lang, path=path)
    say("template_next", lang, suffix=path.suffix, path=path)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from .. import api

    lang = args.ui_lang
    try:
        done = api.import_answers(args.bestand, args.out, overwrite=args.overwrite)
    except FileExistsError as exc:
        warn("exists", lang, path=exc.filename)
        return 2
    show_all(done.problems, lang)
    errors = done.errors
    say("imported", lang, school=done.answers.school.name, round=done.answers.round, n=len(done.answers.answers),
        path=done.path)
    if errors:
        say("imported_cells_unused", lang, n=len(errors))
    return 1 if errors else 0
