"""Command line: ``imworkbook open``, ``imworkbook check-content``, ``imworkbook score``.

The CLI only translates: it parses arguments, calls the same functions the
notebooks call, and turns known errors into a Dutch message and an exit code
(0 = in orde, 1 = problemen gevonden, 2 = bestand of opdracht onbruikbaar).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

from . import __version__, paths
from .errors import ImworkbookError

FIRST_NOTEBOOK = "01_volwassenheid.ipynb"


def _notebook_folder() -> Path:
    """The notebooks to open: the checkout's own, or a copy in the werkmap for an installed package."""
    shipped = paths.notebooks_dir()
    if shipped.parent == paths.PACKAGE_DIR:  # installed wheel: work on a copy the user owns
        target = paths.workspace_dir() / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for nb in shipped.glob("*.ipynb"):
            if not (target / nb.name).exists():
                shutil.copy2(nb, target / nb.name)
        return target
    return shipped


def cmd_open(args: argparse.Namespace) -> int:
    folder = _notebook_folder()
    paths.answers_dir().mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={folder}",
               f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}"]
    if args.no_browser:
        command.append("--no-browser")
    if args.port:
        command.append(f"--port={args.port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses otherwise
        command.append("--allow-root")
    print(f"Het werkboek opent in JupyterLab: {folder / FIRST_NOTEBOOK}")
    print(f"Je antwoorden worden bewaard in: {paths.answers_dir()}")
    print("Stoppen: Ctrl+C in dit venster.", flush=True)
    if os.name == "posix":  # become JupyterLab, so Ctrl+C and stop signals reach it directly
        os.execv(command[0], command)
    return subprocess.call(command)


def cmd_check_content(args: argparse.Namespace) -> int:
    from .content import load_investment_model, load_model
    from .i18n import LANGS, check_strings

    folder = Path(args.map) if args.map else None
    model = load_model(folder)
    inv = load_investment_model(folder.parent / "investment" if folder else None)
    problems = [*model.warnings, *check_strings()]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} probleem/problemen gevonden.", file=sys.stderr)
        return 1
    print(f"In orde: model '{model.id}' versie {model.version}: {len(model.areas)} gebieden, "
          f"{model.n_items} items; investeringsmodel versie {inv.version} met {len(inv.fields)} velden; "
          f"teksten in {', '.join(LANGS)}.")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from .answers import load_answers
    from .content import load_model
    from .scoring import score_table

    model = load_model()
    result = load_answers(args.bestand, model)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    a = result.answers
    print(f"{a.school.name} ({a.school.sector}), ronde {a.round}")
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(score_table(a, model, args.lang).to_string(index=False, na_rep="onbekend"))
    return 1 if any(p.severity == "fout" for p in result.problems) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imworkbook", add_help=False,
        description="Werkboek informatiemanagement voor scholen (po/vo): volwassenheid per gebied, "
                    "nu en gewenst.",
        epilog="Uitkomst: 0 = in orde, 1 = problemen gevonden, 2 = bestand of opdracht onbruikbaar.",
    )
    parser.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")
    parser.add_argument("--version", action="version", version=f"imworkbook {__version__}",
                        help="toon het versienummer en stop")
    sub = parser.add_subparsers(dest="opdracht", metavar="OPDRACHT", title="opdrachten")
    parser._optionals.title = "opties"

    p = sub.add_parser("open", help="open het werkboek in JupyterLab, bij het eerste notebook",
                       description="Start JupyterLab bij het eerste notebook van het werkboek.")
    p.add_argument("--no-browser", action="store_true", help="geen browser openen (alleen de server starten)")
    p.add_argument("--port", type=int, help="poort voor JupyterLab (standaard: 8888 of de eerstvolgende vrije)")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser("check-content", help="controleer de inhoudsbestanden (model, teksten)",
                       description="Controleer het volwassenheidsmodel en de teksten, bijvoorbeeld na het "
                                   "aanpassen door een netwerk.")
    p.add_argument("map", nargs="?", help="map met model.yaml en areas/ (standaard: data/maturity); "
                                          "het investeringsmodel staat ernaast in ../investment/")
    p.set_defaults(func=cmd_check_content)

    p = sub.add_parser("score", help="toon de scores per gebied van een antwoordenbestand",
                       description="Lees een antwoordenbestand en toon de scores per gebied.")
    p.add_argument("bestand", help="het antwoordenbestand (.json)")
    p.add_argument("--lang", choices=["nl", "en"], default="nl", help="taal van de tabel (standaard: nl)")
    p.set_defaults(func=cmd_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(f"Bestand niet gevonden: {exc.filename}", file=sys.stderr)
        return 2
    except ImworkbookError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
