"""``imworkbook open`` (JupyterLab at the first notebook) and ``imworkbook app`` (the app, without code)."""

from __future__ import annotations

import argparse

from imworkbook.base import paths
from imworkbook.cli import launcher
from imworkbook.cli.common import non_negative_float, non_negative_int, parser, say, text


def add(sub, lang: str) -> None:
    p = parser(sub, "open", lang, "cli.open_help", "cli.open_description")
    p.add_argument("--no-browser", action="store_true", help=text("cli.no_browser_help", lang))
    p.add_argument("--port", type=int, help=text("cli.open_port_help", lang))
    p.set_defaults(func=run_open)

    p = parser(sub, "app", lang, "cli.app_help", "cli.app_description")
    p.add_argument("--no-browser", action="store_true", help=text("cli.no_browser_help", lang))
    p.add_argument("--port", type=int, help=text("cli.app_port_help", lang))
    p.add_argument("--lang", choices=["nl", "en"], help=text("cli.app_lang_help", lang))
    p.add_argument("--pool", type=non_negative_int(lang), metavar="N", help=text("cli.pool_help", lang))
    p.add_argument("--refill-after", type=non_negative_float(lang), metavar="SEC", help=text("cli.refill_help", lang))
    p.add_argument("--cull-idle", type=non_negative_float(lang), metavar="MIN", help=text("cli.cull_idle_help", lang))
    p.add_argument("--cull-disconnected", type=non_negative_float(lang), metavar="MIN",
                   help=text("cli.cull_disconnected_help", lang))
    p.set_defaults(func=run_app)


def run_open(args: argparse.Namespace) -> int:
    lang = args.ui_lang
    folder = launcher.notebook_folder()
    paths.answers_dir().mkdir(parents=True, exist_ok=True)
    command = launcher.lab_command(folder, port=args.port, no_browser=args.no_browser)
    say("cli.open_where", lang, path=folder / launcher.FIRST_NOTEBOOK)
    say("cli.answers_kept", lang, path=paths.answers_dir())
    say("cli.stop_hint", lang)
    return launcher.become(command)


def run_app(args: argparse.Namespace) -> int:
    import webbrowser

    from imworkbook.base.preferences import remember_language

    lang = args.ui_lang
    folder = launcher.notebook_folder()
    paths.answers_dir().mkdir(parents=True, exist_ok=True)
    if args.lang:
        remember_language(args.lang)
    port = args.port or launcher.free_port(8866)
    command, env = launcher.app_command(folder, port, pool=args.pool, cull_idle=args.cull_idle,
                                        cull_disconnected=args.cull_disconnected, refill_after=args.refill_after)
    url = launcher.app_url(port)

    def ready() -> None:
        say("cli.app_ready", lang, url=url)
        if not args.no_browser:
            webbrowser.open(url)

    say("cli.app_starting", lang)
    say("cli.answers_kept", lang, path=paths.answers_dir())
    say("cli.stop_hint", lang)
    launcher.when_ready(port, ready)
    return launcher.serve(command, env)
