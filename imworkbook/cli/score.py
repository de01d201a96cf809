"""``imworkbook score``: the scores per area of one answers file."""

from __future__ import annotations

import argparse

from imworkbook.cli.common import parser, say, show_all, text


def add(sub, lang: str) -> None:
    p = parser(sub, "score", lang, "cli.score_help", "cli.score_description")
    p.add_argument("bestand", metavar=text("cli.metavar_file", lang), help=text("cli.score_file_help", lang))
    p.add_argument("--lang", choices=["nl", "en"], help=text("cli.score_lang_help", lang))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from imworkbook import api
    from imworkbook.base.i18n import t

    lang = args.ui_lang
    table_lang = args.lang or lang
    result, table = api.score(args.bestand, table_lang)
    show_all(result.problems, lang)
    a = result.answers
    say("cli.score_head", lang, school=a.school.name, sector=a.school.sector, round=a.round)
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table.to_string(index=False, na_rep=t("unknown", table_lang)))
    return 1 if any(p.severity == "error" for p in result.problems) else 0
