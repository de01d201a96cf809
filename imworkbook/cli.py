"""Command line: ``imworkbook open``, ``imworkbook check-content``, ``imworkbook score``.

The CLI only translates: it parses arguments, calls the same functions the
notebooks call, and turns known errors into a Dutch message and an exit code
(0 = in orde, 1 = problemen gevonden, 2 = bestand of opdracht onbruikbaar).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from . import __version__, paths
from .errors import ImworkbookError, os_error_message

FIRST_NOTEBOOK = "01_volwassenheid.ipynb"
START_NOTEBOOK = "00_start.ipynb"


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
    env = _jupyter_env()  # the 'imworkbook' template's static files: the charts' plotly.js (widgets/plot.py)
    if os.name == "posix":  # become JupyterLab, so Ctrl+C and stop signals reach it directly
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)


def _jupyter_env() -> dict[str, str]:
    """The environment for JupyterLab and the app server: the package's Jupyter folder (the ``imworkbook`` Voila
    template with the charts' plotly.js) on ``JUPYTER_PATH``, before anything the user had there."""
    extra = str(paths.PACKAGE_DIR / "jupyter")
    return os.environ | {"JUPYTER_PATH": os.pathsep.join(p for p in (extra, os.environ.get("JUPYTER_PATH")) if p)}


def _free_port(preferred: int) -> int:
    import socket

    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError("geen vrije poort gevonden")


def app_command(folder: Path, port: int, *, pool: int | None = None, cull_idle: float | None = None,
                cull_disconnected: float | None = None, refill_after: float | None = None
                ) -> tuple[list[str], dict[str, str]]:
    """The command (and environment) that serves the notebooks as an app: code hidden, offline.

    It runs Voila through :mod:`imworkbook.server` (kernels that end with their page, a kernel pool, culling)
    with the ``imworkbook`` template (in the package): Voila's lab template without the CDN links, plus the
    message on a page whose kernel was ended.
    """
    env = _jupyter_env()
    command = [sys.executable, "-m", "imworkbook.server", str(folder), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--template=imworkbook", "--VoilaConfiguration.show_tracebacks=True"]
    for flag, value in (("--pool", pool), ("--cull-idle", cull_idle), ("--cull-disconnected", cull_disconnected),
                        ("--refill-after", refill_after)):
        if value is not None:
            command.append(f"{flag}={value}")
    return command, env


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel getal: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"mag niet negatief zijn: {text}")
    return value


def _non_negative_float(text: str) -> float:
    """Minutes as people type them (``0,5`` or ``0.5``), read by the one number reader of the package."""
    from .numbers import parse_number

    try:
        value = parse_number(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None or not value < float("inf"):
        raise argparse.ArgumentTypeError(f"geen getal: {text!r}")
    return value


def cmd_app(args: argparse.Namespace) -> int:
    import threading
    import time
    import urllib.error
    import urllib.request
    import webbrowser

    from .preferences import remember_language

    folder = _notebook_folder()
    paths.answers_dir().mkdir(parents=True, exist_ok=True)
    if args.lang:
        remember_language(args.lang)
    port = args.port or _free_port(8866)
    command, env = app_command(folder, port, pool=args.pool, cull_idle=args.cull_idle,
                               cull_disconnected=args.cull_disconnected, refill_after=args.refill_after)
    url = f"http://127.0.0.1:{port}/voila/render/{START_NOTEBOOK}"

    def open_when_ready() -> None:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/api/shutdown", timeout=1)
            except urllib.error.HTTPError:
                break  # the server answers
            except OSError:
                time.sleep(0.25)
                continue
            break
        print(f"Het werkboek staat klaar: {url}", flush=True)
        if not args.no_browser:
            webbrowser.open(url)

    print("Het werkboek start als app (zonder code), even geduld…")
    print(f"Je antwoorden worden bewaard in: {paths.answers_dir()}")
    print("Stoppen: Ctrl+C in dit venster.", flush=True)
    threading.Thread(target=open_when_ready, daemon=True).start()
    proc = subprocess.Popen(command, env=env, preexec_fn=_die_with_parent if sys.platform == "linux" else None)

    stopping: list[float] = []

    def stop(*_args) -> None:
        """Ctrl+C, a closed terminal or a kill: ask the server to stop (it shuts its kernels down). Only a signal
        is sent here; the wait below notices the end (a wait inside the handler would wait for the lock of the
        wait it interrupted, and so take its whole time-out)."""
        if not stopping:
            stopping.append(time.monotonic())
            try:
                proc.terminate()
            except OSError:
                pass

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    while True:
        try:
            code = proc.wait(timeout=0.5)
            return 0 if stopping else code
        except KeyboardInterrupt:
            stop()
        except subprocess.TimeoutExpired:
            if stopping and time.monotonic() - stopping[0] > 20:
                proc.kill()


def _die_with_parent() -> None:
    """Linux: the Voila server gets SIGTERM when ``imworkbook app`` dies, however it dies (no orphan servers)."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def cmd_check_content(args: argparse.Namespace) -> int:
    from .content import (investment_problems, load_allocation, load_investment_model, load_mappings, load_model,
                          load_rater_roles)
    from .glossary import check_data, load_glossary
    from .i18n import LANGS, check_strings

    folder = Path(args.map) if args.map else None
    model = load_model(folder)
    inv = load_investment_model(folder.parent / "investment" if folder else None)
    allocation = load_allocation(folder.parent / "investment" if folder else None)
    roles = load_rater_roles(folder.parent / "raters" if folder else None)
    data = folder.parent if folder else None
    glossary = load_glossary(data if data is not None and (data / "glossary.yaml").exists() else None)
    words = check_data(data, glossary)  # forbidden variants of the glossary's terms (data/glossary.yaml)
    remarks = [p for p in words if p.severity == "note"]  # in files still being rewritten (pending)
    problems = [*model.warnings, *investment_problems(inv, allocation, model), *check_strings(),
                *(p for p in words if p.severity != "note")]
    for problem in [*problems, *remarks]:
        print(problem, file=sys.stderr)
    if remarks:
        print(f"{len(remarks)} woord(en) in bestanden die nog worden herschreven (pending in glossary.yaml: "
              f"{', '.join(glossary.pending)}); die tellen nog niet mee.", file=sys.stderr)
    if problems:
        print(f"{len(problems)} probleem/problemen gevonden.", file=sys.stderr)
        return 1
    mappings = load_mappings(folder)
    rules = model.prerequisites
    print(f"In orde: model '{model.id}' versie {model.version}: {len(model.areas)} gebieden, "
          f"{model.n_items} items, {len(rules)} samenhangsregels ({', '.join(r.id for r in rules) or 'geen'}); "
          + "".join(f"omzetting vanaf versie {v}: {len(m.shared(model))} items gedeeld; "
                    for (_, v), m in sorted(mappings.items()))
          + f"investeringsmodel versie {inv.version} met {len(inv.fields)} velden "
          f"({sum(f.required for f in inv.fields)} nodig per gebied) en een verdeelsleutel voor "
          f"{len(allocation.items)} kostenposten; "
          f"{len(roles.roles)} rollen van invullers; "
          f"teksten in {', '.join(LANGS)}; woordenlijst met {len(glossary.terms)} begrippen gevolgd.")
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from .files import read_any
    from .content import load_model
    from .scoring import score_table

    model = load_model()
    result = read_any(args.bestand, model)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    a = result.answers
    print(f"{a.school.name} ({a.school.sector}), ronde {a.round}")
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(score_table(a, model, args.lang).to_string(index=False, na_rep="onbekend"))
    return 1 if any(p.severity == "error" for p in result.problems) else 0


def _print_report(collected) -> None:
    import pandas as pd

    counts = collected.counts
    with pd.option_context("display.width", 200, "display.max_colwidth", 110, "display.max_rows", 500):
        problems = collected.report_in("nl")
        problems = problems[collected.report["status"] != "loaded"]
        if len(problems):
            print(problems.to_string(index=False))
    print(f"{counts['seen']} bestanden: {counts['loaded']} geladen, {counts['loaded_with_notes']} geladen "
          f"met opmerkingen, {counts['duplicate']} dubbel, {counts['refused']} geweigerd, "
          f"{counts['skipped']} overgeslagen.")


NO_ANSWERS_FILES = ("Geen antwoordenbestanden (.json, .xlsx of .ods) gevonden in {}; controleer of dit de goede map of zip "
                    "is.")


def cmd_validate(args: argparse.Namespace) -> int:
    from .collect import collect

    collected = collect(args.map, progress=Progress("bestanden gelezen", min_total=200), keep_documents=False)
    _print_report(collected)
    if collected.empty:
        print(NO_ANSWERS_FILES.format(args.map), file=sys.stderr)
        return 2
    counts = collected.counts
    return 0 if counts["loaded"] + counts["skipped"] == counts["seen"] else 1


def cmd_compare(args: argparse.Namespace) -> int:
    import pandas as pd

    from .collect import collect
    from .export import write_csv, write_xlsx
    from .network import FACILITATOR, SHAREABLE, comparison_tables, export_sheets, network_frames, network_secret

    collected = collect(args.map, progress=Progress("bestanden gelezen", min_total=200), keep_documents=False)
    _print_report(collected)
    if collected.empty:
        print(NO_ANSWERS_FILES.format(args.map), file=sys.stderr)
        return 2
    if not len(collected):
        print("Geen bruikbare antwoordenbestanden: er valt niets te vergelijken.", file=sys.stderr)
        return 2
    data = network_frames(collected, secret=network_secret(notify=lambda text: print(text, file=sys.stderr)))
    rounds = sorted(data.schools["round"].unique())
    chosen = args.round or rounds[-1]
    if chosen not in rounds:
        print(f"Ronde {chosen!r} komt niet voor; wel: {', '.join(rounds)}", file=sys.stderr)
        return 2
    tables = comparison_tables(data, round=chosen, sector=args.sector, scope=args.scope)
    overview = tables["Overzicht"]
    print(f"\nRonde {chosen}" + (f", sector {args.sector}" if args.sector else "")
          + (f", antwoord voor {args.scope}" if args.scope else "") + ":")
    with pd.option_context("display.width", 200, "display.float_format", lambda v: f"{v:.1f}".replace(".", ",")):
        cols = ["gebied", "aantal scholen", "huidig: gemiddelde", "gewenst: gemiddelde", "kloof: gemiddelde",
                "€ per leerling: gemiddelde", "toelichting"]
        print(overview[cols].to_string(index=False, na_rep="–"))
    where = {"round": chosen, "sector": args.sector, "scope": args.scope}
    if len(rounds) > 1 and chosen != rounds[0]:
        from .content import load_model
        from .network import shared_items
        before = rounds[rounds.index(chosen) - 1]
        print(f"Rondes {before} en {chosen} delen {shared_items(data, before, chosen)} items "
              f"(van de {load_model().n_items} in versie {load_model().version} van de vragenlijst).")
    if args.xlsx:
        write_xlsx(export_sheets(tables, SHAREABLE, **where), args.xlsx)
        print(f"Excel, deelbaar (anoniem, mag naar alle scholen): {args.xlsx}")
    if args.facilitator_xlsx:
        write_xlsx(export_sheets(tables, FACILITATOR, **where, report=collected.report_in("nl")), args.facilitator_xlsx)
        print(f"Excel, alleen voor de begeleider (met schoolnamen en bestanden; niet delen): {args.facilitator_xlsx}")
    if args.csv:
        write_csv(overview, args.csv)
        print(f"CSV, deelbaar (anoniem): {args.csv}")
    counts = collected.counts
    return 0 if counts["loaded"] + counts["skipped"] == counts["seen"] else 1


class Progress:
    """The one progress display of the CLI, on stderr: a tqdm bar on a terminal ("45/100 rapporten", with the time
    left), about ten plain lines in a log ("45 van 100 rapporten"). Call it with the number done (and the total,
    when the caller only learns it on the way, as :func:`imworkbook.collect.collect` does)."""

    def __init__(self, what: str, total: int = 0, min_total: int = 0):
        self.what, self.total, self.min_total = what, total, min_total
        self.tty = sys.stderr.isatty()
        self.bar = None

    def __call__(self, done: int, total: int | None = None) -> None:
        self.total = total if total is not None else self.total
        if self.total < self.min_total:
            return
        if self.tty:
            if self.bar is None:
                from tqdm import tqdm

                self.bar = tqdm(total=self.total, unit="", desc=self.what, file=sys.stderr, leave=True,
                                bar_format="{desc}: {bar:30} {n_fmt}/{total_fmt} [{elapsed}<{remaining}]")
            self.bar.total = self.total
            self.bar.update(done - self.bar.n)
            if done >= self.total:
                self.bar.close()
            return
        if done == self.total or done % max(1, self.total // 10) == 0:
            print(f"  {done} van {self.total} {self.what}", file=sys.stderr, flush=True)


def cmd_report(args: argparse.Namespace) -> int:
    import zipfile

    from .answers import Answers
    from .files import read_any
    from .collect import collect
    from .content import load_model
    from .network import network_frames, network_secret
    from .report import report_file_name, save_board_report

    model = load_model()
    source = Path(args.antwoorden)
    if not source.exists():
        raise FileNotFoundError(2, "niet gevonden", str(source))
    batch = source.is_dir() or zipfile.is_zipfile(source)
    network = None
    network_source = args.network or (source if batch else None)
    if network_source:
        collected = collect(network_source, model, keep_documents=batch and Path(network_source) == source)
        network = network_frames(collected, model, secret=network_secret(notify=lambda text: print(text, file=sys.stderr)))
    if not batch:
        result = read_any(source, model)
        for problem in result.problems:
            print(problem, file=sys.stderr)
        path = save_board_report(result.answers, model, args.out, network=network, lang=args.lang)
        print(f"Rapport: {path} ({path.stat().st_size / 1e6:.1f} MB)")
        return 0
    if args.out and Path(args.out).suffix.lower() in (".html", ".htm"):
        print("Bij een map of zip is --out een map (één rapport per school).", file=sys.stderr)
        return 2
    if not (args.network is None or Path(args.network) == source):
        collected = collect(source, model)
    out = Path(args.out) if args.out else paths.workspace_dir() / "rapporten"
    documents = collected.documents
    if not documents:
        print("Geen bruikbare antwoordenbestanden gevonden.", file=sys.stderr)
        return 2
    bar = Progress("rapporten", len(documents))
    names: dict[str, int] = {}
    for n, doc in enumerate(documents, start=1):
        answers = Answers.model_validate(doc)
        name = report_file_name(answers)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:  # two schools with the same name: never overwrite one report with another
            name = name.replace("_bestuursrapport", f"_{names[name]}_bestuursrapport")
        save_board_report(answers, model, out / name, network=network, lang=args.lang)
        bar(n)
    print(f"{len(documents)} rapporten in {out}")
    refused = len(collected.report) - len(documents)
    if refused:
        print(f"{refused} bestand(en) niet gebruikt; zie: imworkbook validate {source}", file=sys.stderr)
    return 0 if not refused else 1


def cmd_merge(args: argparse.Namespace) -> int:
    from .answers import file_name
    from .files import read_any
    from .content import load_model
    from .merge import Rater, compare, merge_and_save, rater_label

    model = load_model()
    raters = []
    for name in args.bestanden:
        result = read_any(name, model)
        for problem in result.problems:
            print(problem, file=sys.stderr)
        raters.append(Rater(rater_label(result.answers, Path(name).name), result.answers))
    table = compare(raters, model)
    first = raters[0].answers
    out = Path(args.out) if args.out else Path(args.bestanden[0]).parent / file_name(first.school.name, first.round)
    if out.exists() and not args.overwrite:
        print(f"{out} bestaat al; kies met --out een andere naam of vervang het met --overwrite.", file=sys.stderr)
        return 2
    if any(out.resolve() == Path(n).resolve() for n in args.bestanden):
        print("--out mag niet een van de invullers zijn.", file=sys.stderr)
        return 2
    saved = merge_and_save(raters, model, out, overwrite=args.overwrite)  # with a backup, as werkboek 7 makes
    merged = saved.merged
    disagree = table[table["disagree"]]
    print(f"Samengevoegd: {len(raters)} invullers van {merged.school.name}, ronde {merged.round} -> {out}")
    if saved.backup:
        print(f"Het vorige bestand is bewaard als {saved.backup.name}")
    if len(disagree):
        print(f"{len(disagree)} item(s) waarop de invullers 2 of meer niveaus verschillen (voorstel gebruikt; "
              "bespreek ze, of kies in werkboek 7):")
        for item_id in disagree.index:
            print(f"  {item_id}: " + merged.answers[item_id].note.splitlines()[0] if item_id in merged.answers
                  else f"  {item_id}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .files import read_any
    from .excel import write_template

    answers = read_any(args.school).answers if args.school else None
    path = write_template(args.xlsx, answers=answers, lang=args.lang)
    print(f"Vragenlijst: {path}")
    print(f"Vul de gele cellen in, sla op (als {path.suffix}, of .xlsx/.ods) en lees het in met: imworkbook import "
          + str(path))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .answers import file_name, save_answers
    from .files import read_any

    result = read_any(args.bestand)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    answers = result.answers
    out = Path(args.out) if args.out else paths.answers_dir() / file_name(answers.school.name, answers.round,
                                                                           answers.rater)
    if out.exists() and not args.overwrite:
        print(f"{out} bestaat al; kies met --out een andere naam of vervang het met --overwrite.", file=sys.stderr)
        return 2
    save_answers(answers, out)
    errors = [p for p in result.problems if p.severity == "error"]
    print(f"Ingelezen: {answers.school.name}, ronde {answers.round}, {len(answers.answers)} items -> {out}"
          + (f" ({len(errors)} cel(len) niet gebruikt, zie hierboven)" if errors else ""))
    return 1 if errors else 0


def cmd_example_network(args: argparse.Namespace) -> int:
    from .generate import generate_network

    paths_written = generate_network(args.out, schools=args.schools, rounds=args.rounds, seed=args.seed,
                                     with_errors=args.with_errors, with_landscape=args.with_landscape)
    print(f"{len(paths_written)} bestanden geschreven in {args.out}")
    return 0


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

    p = sub.add_parser("app", help="start het werkboek als app (zonder code) op een startpagina",
                       description="Start het werkboek als app in de browser (Voila): geen code, alleen de "
                                   "invulschermen en grafieken. De startpagina legt de drie routes uit: workshop, "
                                   "thuis en begeleider. Werkt zonder internet.")
    p.add_argument("--no-browser", action="store_true", help="geen browser openen (alleen de server starten)")
    p.add_argument("--port", type=int, help="poort (standaard: 8866 of een vrije)")
    p.add_argument("--lang", choices=["nl", "en"], help="taal van de app (wordt onthouden; in de app te wisselen)")
    p.add_argument("--pool", type=_non_negative_int, metavar="N",
                   help="zoveel kernels staan klaar voor de startpagina en werkboek 1, zodat ze snel openen "
                        "(standaard 1; in een workshop: ongeveer het aantal deelnemers dat tegelijk begint; "
                        "elke klaarstaande kernel kost ± 110 MB geheugen; 0 = uit)")
    p.add_argument("--refill-after", type=_non_negative_float, metavar="SEC",
                   help="zo veel seconden nadat een klaarstaande kernel is gebruikt, start de server een nieuwe "
                        "(standaard 5: niet terwijl de pagina nog laadt). In een workshop langer (bijvoorbeeld 30), "
                        "zodat de zaal eerst binnen is voordat de server nieuwe kernels start; zie docs/workshop.md")
    p.add_argument("--cull-idle", type=_non_negative_float, metavar="MIN",
                   help="een open pagina die zo veel minuten niet gebruikt is, wordt gesloten (antwoorden zijn "
                        "al bewaard; de pagina zegt het en herladen gaat verder). Standaard 60; 0 = nooit")
    p.add_argument("--cull-disconnected", type=_non_negative_float, metavar="MIN",
                   help="de kernel van een pagina die weg is zonder af te sluiten (laptop dicht, netwerk weg) "
                        "stopt na zo veel minuten. Standaard 2; 0 = nooit")
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("report", help="maak het rapport voor het bestuur (HTML, werkt zonder internet)",
                       description="Maak het rapport voor het bestuur: volwassenheid, verhouding, waar eerst aan "
                                   "werken en (met een netwerk) de plek tussen anonieme andere scholen. Eén "
                                   "HTML-bestand dat zonder internet opent. Geef een map of zip om voor elke "
                                   "school een rapport te maken; die scholen vormen dan ook het netwerk.")
    p.add_argument("antwoorden", help="een antwoordenbestand (.json), of een map of zip met antwoordenbestanden")
    p.add_argument("--network", metavar="MAP", help="map of zip met de antwoordenbestanden van het netwerk")
    p.add_argument("--out", metavar="BESTAND_OF_MAP",
                   help="het rapport (.html) of een map (standaard: rapporten/ in je werkmap)")
    p.add_argument("--lang", choices=["nl", "en"], default="nl", help="taal van het rapport (standaard: nl)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("merge", help="voeg de antwoorden van meerdere invullers van één school samen",
                       description="Voeg de antwoordenbestanden van meerdere invullers (rollen) van dezelfde school "
                                   "en ronde samen tot het antwoord van de school. Per item wordt de middelste "
                                   "waarde voorgesteld; waar invullers 2 of meer niveaus verschillen staat dat in "
                                   "de toelichting. Kiezen per item kan in werkboek 7.")
    p.add_argument("bestanden", nargs="+", help="de antwoordenbestanden van de invullers (.json)")
    p.add_argument("--out", help="het samengevoegde bestand (standaard: <school>_<ronde>.json ernaast)")
    p.add_argument("--overwrite", action="store_true", help="een bestaand bestand met die naam vervangen")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("template", help="maak de vragenlijst als Excel-bestand (voor wie geen Jupyter gebruikt)",
                       description="Maak een Excel-werkmap met alle vragen, de beschrijving van elk niveau, "
                                   "keuzelijsten en uitleg. Alleen de antwoordcellen zijn te wijzigen. Een "
                                   "ingevulde werkmap leest het werkboek in als gewoon antwoordenbestand.")
    p.add_argument("--xlsx", required=True, metavar="BESTAND",
                   help="het bestand dat gemaakt wordt: .xlsx (Excel) of .ods (LibreOffice; daarvoor is LibreOffice "
                        "nodig)")
    p.add_argument("--school", metavar="ANTWOORDEN", help="vul het sjabloon alvast met dit antwoordenbestand")
    p.add_argument("--lang", choices=["nl", "en"], default="nl", help="taal van de vragen (standaard: nl)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("import", help="lees een ingevulde Excel-vragenlijst in als antwoordenbestand",
                       description="Lees een ingevulde Excel-vragenlijst (uit Excel of LibreOffice) en bewaar het "
                                   "als antwoordenbestand in je werkmap. Wat niet klopt wordt per cel gemeld; de "
                                   "rest wordt gewoon ingelezen.")
    p.add_argument("bestand", help="de ingevulde vragenlijst (.xlsx of .ods)")
    p.add_argument("--out", help="het antwoordenbestand (standaard: in je werkmap)")
    p.add_argument("--overwrite", action="store_true", help="een bestaand bestand vervangen")
    p.set_defaults(func=cmd_import)

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

    p = sub.add_parser("validate", help="controleer alle antwoordenbestanden in een map of zip",
                       description="Lees alle antwoordenbestanden (ook in submappen of een zip) en toon per "
                                   "bestand wat er mis is. Uitkomst 0 alleen als elk bestand in orde is.")
    p.add_argument("map", help="map of zip met antwoordenbestanden")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("compare", help="vergelijk de scholen van een netwerk (anoniem) en exporteer",
                       description="Vergelijk alle scholen in een map of zip, anoniem: geen getallen voor "
                                   "groepen van minder dan 6 scholen, en niet waar ze samen met een andere groep een "
                                   "kleinere groep zouden verraden (docs/privacy.md).")
    p.add_argument("map", help="map of zip met antwoordenbestanden")
    p.add_argument("--round", help="ronde, bijvoorbeeld 2026-2027 (standaard: de laatste)")
    p.add_argument("--sector", choices=["po", "vo"], help="alleen deze sector")
    p.add_argument("--scope", choices=["school", "vestiging", "bestuur"],
                   help="alleen antwoorden voor één school, één vestiging of het hele bestuur")
    p.add_argument("--xlsx", help="schrijf de deelbare Excel-werkmap (anoniem, mag naar alle scholen) naar dit bestand")
    p.add_argument("--begeleider-xlsx", dest="facilitator_xlsx", metavar="XLSX",
                   help="schrijf de Excel-werkmap voor de begeleider (met de validatielijst: schoolnamen en bestanden; "
                        "niet delen) naar dit bestand")
    p.add_argument("--csv", help="schrijf het overzicht als CSV (; en decimale komma) naar dit bestand")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("example-network", help="maak een voorbeeldnetwerk van verzonnen scholen",
                       description="Schrijf realistische, verzonnen antwoordenbestanden voor een netwerk.")
    p.add_argument("--schools", type=int, default=40, help="aantal scholen (standaard 40)")
    p.add_argument("--rounds", type=int, default=3, help="aantal rondes (standaard 3)")
    p.add_argument("--seed", type=int, default=1, help="startwaarde van het toeval (zelfde seed = zelfde bestanden)")
    p.add_argument("--out", required=True, help="map om in te schrijven")
    p.add_argument("--with-errors", action="store_true", help="voeg een bekende set kapotte bestanden toe")
    p.add_argument("--with-landscape", action="store_true",
                   help="geef de scholen in de laatste ronde een applicatieoverzicht (werkboek 4)")
    p.set_defaults(func=cmd_example_network)
    return parser


_CONTROL = {c: "\ufffd" for c in [*range(0x00, 0x20), 0x7f, *range(0x80, 0xa0), *range(0x202a, 0x202f),
                                     *range(0x2066, 0x206a)] if c not in (0x09, 0x0a, 0x0d)}


class _Printable:
    """A terminal stream that shows control characters (escape codes, bidi overrides) in names from files as
    \ufffd instead of letting them act on the terminal."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text.translate(_CONTROL))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(out), _Printable(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None) -> int:
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
    except OSError as exc:  # read-only or full disk, no permission, a folder where a file was expected
        print(os_error_message(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
