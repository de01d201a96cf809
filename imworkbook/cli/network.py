"""A network's files: ``imworkbook validate`` (the file check), ``imworkbook compare`` (the anonymous comparison
and its exports) and ``imworkbook example-network`` (made-up schools to try it on)."""

from __future__ import annotations

import argparse
import sys

from imworkbook.cli.common import parser, print_file_check, progress, say, text, warn


def add(sub, lang: str) -> None:
    p = parser(sub, "validate", lang, "cli.validate_help", "cli.validate_description")
    p.add_argument("map", metavar=text("cli.metavar_folder", lang), help=text("cli.folder_help", lang))
    p.set_defaults(func=run_validate)

    p = parser(sub, "compare", lang, "cli.compare_help", "cli.compare_description")
    p.add_argument("map", metavar=text("cli.metavar_folder", lang), help=text("cli.folder_help", lang))
    p.add_argument("--round", metavar=text("cli.metavar_round", lang), help=text("cli.compare_round_help", lang))
    p.add_argument("--sector", choices=["po", "vo"], help=text("cli.compare_sector_help", lang))
    p.add_argument("--scope", choices=["school", "vestiging", "bestuur"], help=text("cli.compare_scope_help", lang))
    p.add_argument("--xlsx", metavar="XLSX", help=text("cli.compare_xlsx_help", lang))
    # the facilitator's workbook: one option, spelt in the language of the help (both always work)
    shown, hidden = ("--begeleider-xlsx", "--facilitator-xlsx") if lang == "nl" else \
        ("--facilitator-xlsx", "--begeleider-xlsx")
    p.add_argument(shown, dest="facilitator_xlsx", metavar="XLSX", help=text("cli.compare_facilitator_help", lang))
    p.add_argument(hidden, dest="facilitator_xlsx", metavar="XLSX", help=argparse.SUPPRESS)
    p.add_argument("--csv", metavar="CSV", help=text("cli.compare_csv_help", lang))
    p.set_defaults(func=run_compare)

    p = parser(sub, "example-network", lang, "cli.example_network_help", "cli.example_network_description")
    p.add_argument("--schools", type=int, default=40, help=text("cli.example_schools_help", lang))
    p.add_argument("--rounds", type=int, default=3, help=text("cli.example_rounds_help", lang))
    p.add_argument("--seed", type=int, default=1, help=text("cli.example_seed_help", lang))
    p.add_argument("--out", required=True, metavar=text("cli.metavar_folder", lang), help=text("cli.example_out_help", lang))
    p.add_argument("--with-errors", action="store_true", help=text("cli.example_errors_help", lang))
    p.add_argument("--with-landscape", action="store_true", help=text("cli.example_landscape_help", lang))
    p.set_defaults(func=run_example)


def _load(args: argparse.Namespace, lang: str):
    from imworkbook import api

    network = api.load_network(args.map, progress=progress("cli.progress_files", lang, min_total=200),
                               notify=lambda note: print(note, file=sys.stderr), lang=lang)
    print_file_check(network.collected, lang)
    if network.collected.empty:
        warn("cli.no_answers_files", lang, source=args.map)
    return network


def run_validate(args: argparse.Namespace) -> int:
    from imworkbook import api

    network = _load(args, args.ui_lang)
    if network.collected.empty:
        return 2
    return 0 if api.loaded_all(network.collected) else 1


def run_compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from imworkbook import api
    from imworkbook.analysis.network import shared_items
    from imworkbook.base.i18n import format_number
    from imworkbook.model.content import load_model

    lang = args.ui_lang
    network = _load(args, lang)
    if network.collected.empty:
        return 2
    if network.data is None:
        warn("cli.nothing_to_compare", lang)
        return 2
    data = network.data
    rounds = api.rounds(data)
    chosen = args.round or rounds[-1]
    if chosen not in rounds:
        warn("cli.unknown_round", lang, round=repr(chosen), rounds=", ".join(rounds))
        return 2
    tables = api.compare(data, round=chosen, sector=args.sector, scope=args.scope, lang=lang)
    print()
    say("cli.compare_head", lang, round=chosen,
        sector=text("cli.compare_head_sector", lang, sector=args.sector) if args.sector else "",
        scope=text("cli.compare_head_scope", lang, scope=args.scope) if args.scope else "")
    with pd.option_context("display.width", 200, "display.float_format", lambda v: format_number(v, lang, 1)):
        print(api.overview_table(next(iter(tables.values())), lang).to_string(index=False, na_rep="–"))
    where = {"round": chosen, "sector": args.sector, "scope": args.scope}
    if len(rounds) > 1 and chosen != rounds[0]:
        model = load_model()
        before = rounds[rounds.index(chosen) - 1]
        say("cli.rounds_share", lang, before=before, round=chosen, n=shared_items(data, before, chosen),
            items=model.n_items, version=model.version)
    for kind, path, key in (("xlsx", args.xlsx, "cli.export_shareable"),
                            ("facilitator", args.facilitator_xlsx, "cli.export_facilitator"),
                            ("csv", args.csv, "cli.export_csv")):
        if path:
            api.export_network(tables, kind, path, **where, report=network.collected, lang=lang)
            say(key, lang, path=path)
    return 0 if api.loaded_all(network.collected) else 1


def run_example(args: argparse.Namespace) -> int:
    from imworkbook import api

    written = api.example_network(args.out, schools=args.schools, rounds=args.rounds, seed=args.seed,
                                  with_errors=args.with_errors, with_landscape=args.with_landscape)
    say("cli.example_written", args.ui_lang, n=len(written), folder=args.out)
    return 0
