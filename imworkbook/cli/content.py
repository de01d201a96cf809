"""``imworkbook check-content``: is a content folder (model, investment model, texts, glossary) usable?"""

from __future__ import annotations

import argparse
import sys

from imworkbook.cli.common import _show, parser, say, text, warn


def add(sub, lang: str) -> None:
    p = parser(sub, "check-content", lang, "cli.check_content_help", "cli.check_content_description")
    p.add_argument("map", nargs="?", metavar=text("cli.metavar_folder", lang), help=text("cli.check_content_folder_help", lang))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from imworkbook import api
    from imworkbook.base.i18n import LANGS

    lang = args.ui_lang
    check = api.check_content(args.map)
    for problem in [*check.problems, *check.remarks]:
        _show(problem, lang)
    if check.remarks:
        warn("cli.content_pending", lang, n=len(check.remarks), pending=", ".join(check.pending))
    if check.problems:
        warn("cli.problems_found", lang, n=len(check.problems))
        return 1 if check.loaded else 2  # (2: a file could not even be loaded)
    model, inv = check.model, check.investment
    rules = model.prerequisites
    mappings = "".join(text("cli.content_mapping", lang, version=v, n=len(m.shared(model)))
                       for (_, v), m in sorted(check.mappings.items()))
    say("cli.content_ok", lang, model=model.id, version=model.version, areas=len(model.areas), items=model.n_items,
        n_rules=len(rules), rules=", ".join(r.id for r in rules) or text("cli.none", lang), mappings=mappings,
        inv_version=inv.version, fields=len(inv.fields), required=sum(f.required for f in inv.fields),
        costs=len(check.allocation.items), roles=len(check.roles.roles), landscape=check.landscape.version,
        low_to=check.landscape.time.low_to, high_from=check.landscape.time.high_from, langs=", ".join(LANGS),
        terms=len(check.glossary.terms))
    sys.stdout.flush()
    return 0
