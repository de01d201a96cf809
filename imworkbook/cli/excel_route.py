"""The Excel route for who does not use Jupyter: ``imworkbook template`` (the questionnaire as a workbook) and
``imworkbook import`` (a filled-in workbook back as an answers file)."""

from __future__ import annotations

import argparse

from imworkbook.cli.common import parser, say, show_all, text, warn


def add(sub, lang: str) -> None:
    p = parser(sub, "template", lang, "cli.template_help", "cli.template_description")
    p.add_argument("--xlsx", required=True, metavar=text("cli.metavar_file", lang), help=text("cli.template_xlsx_help", lang))
    p.add_argument("--school", metavar=text("cli.metavar_answers", lang), help=text("cli.template_school_help", lang))
    p.add_argument("--lang", choices=["nl", "en"], help=text("cli.template_lang_help", lang))
    p.set_defaults(func=run_template)

    p = parser(sub, "import", lang, "cli.import_help", "cli.import_description")
    p.add_argument("bestand", metavar=text("cli.metavar_file", lang), help=text("cli.import_file_help", lang))
    p.add_argument("--out", metavar=text("cli.metavar_file", lang), help=text("cli.import_out_help", lang))
    p.add_argument("--overwrite", action="store_true", help=text("cli.import_overwrite_help", lang))
    p.set_defaults(func=run_import)


def run_template(args: argparse.Namespace) -> int:
    from imworkbook import api

    lang = args.ui_lang
    path = api.template(args.xlsx, args.school, lang=args.lang or lang)
    say("cli.template_written", lang, path=path)
    say("cli.template_next", lang, suffix=path.suffix, path=path)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from imworkbook import api

    lang = args.ui_lang
    try:
        done = api.import_answers(args.bestand, args.out, overwrite=args.overwrite)
    except FileExistsError as exc:
        warn("cli.exists", lang, path=exc.filename)
        return 2
    show_all(done.problems, lang)
    errors = done.errors
    say("cli.imported", lang, school=done.answers.school.name, round=done.answers.round, n=len(done.answers.answers),
        path=done.path)
    if errors:
        say("cli.imported_cells_unused", lang, n=len(errors))
    return 1 if errors else 0
