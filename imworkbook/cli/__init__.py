"""The command line, ``imworkbook <command>``: one module per command (or per group of small ones), each with
``add(sub, lang)`` for its parser and a ``run`` that parses -> calls :mod:`imworkbook.api` -> prints.

The language of every message, table header and ``--help`` text: ``--lang`` anywhere on the command line, else
``IMWORKBOOK_LANG``, else the language chosen last time in the app, else Dutch. It is read before the parser is
built, so ``--help`` is in that language. Exit codes: 0 = fine, 1 = problems found, 2 = file or command unusable.
"""

from __future__ import annotations

import argparse
import sys

from imworkbook import __version__
from imworkbook.base.errors import ImworkbookError, Invalid, error_text, os_error_message
from imworkbook.cli import content, excel_route, merge, network, open_app, report, score
from imworkbook.cli.common import _show, text
from imworkbook.cli.launcher import FIRST_NOTEBOOK, START_NOTEBOOK, app_command  # noqa: F401 - used as cli.X

COMMANDS = (open_app, report, merge, excel_route, content, score, network)


def language(argv: list[str] | None) -> str:
    """The language asked for with ``--lang`` (before or after the command), else the user's
    (:func:`imworkbook.base.preferences.language`: ``IMWORKBOOK_LANG``, the app's last choice, Dutch). Read before the
    parser is built, so that ``--help`` is in it; an unknown or missing value is left for the parser to refuse."""
    from imworkbook.base.i18n import LANGS
    from imworkbook.base.preferences import language as preferred

    argv = sys.argv[1:] if argv is None else argv
    for n, arg in enumerate(argv):
        value = arg[len("--lang="):] if arg.startswith("--lang=") else \
            argv[n + 1] if arg == "--lang" and n + 1 < len(argv) else None
        if value in LANGS:
            return value
    return preferred()


def build_parser(lang: str = "nl") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="imworkbook", add_help=False, description=text("cli.description", lang),
                                     epilog=text("cli.epilog", lang))
    parser._positionals.title = text("cli.positionals", lang)
    parser._optionals.title = text("cli.options", lang)
    parser.add_argument("-h", "--help", action="help", help=text("cli.help_help", lang))
    parser.add_argument("--version", action="version", version=f"imworkbook {__version__}",
                        help=text("cli.version_help", lang))
    parser.add_argument("--lang", dest="ui_lang", choices=["nl", "en"], default=lang, help=text("cli.lang_help", lang))
    sub = parser.add_subparsers(dest="opdracht", metavar=text("cli.metavar_command", lang), title=text("cli.commands", lang))
    for module in COMMANDS:
        module.add(sub, lang)
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


def run() -> None:
    """The ``imworkbook`` command (console script and ``python -m imworkbook``): :func:`main`, then exit with its
    code. Before the process ends, the cycle collector is told to leave alone what is there (``gc.freeze``): at exit
    it would walk every object once more, a network's millions of them (0.15 s after a comparison of 10,000
    schools), only to find nothing to free; memory is given back as always."""
    import gc

    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(out), _Printable(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None) -> int:
    lang = language(argv)
    parser = build_parser(lang)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    lang = args.ui_lang
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(text("cli.file_not_found", lang, path=exc.filename), file=sys.stderr)
        return 2
    except ImworkbookError as exc:
        _show(exc, lang)
        return 2
    except Invalid as exc:  # a value the user gave refused with a code (example-network --rounds 9)
        print(error_text(exc, lang), file=sys.stderr)
        return 2
    except OSError as exc:  # read-only or full disk, no permission, a folder where a file was expected
        print(os_error_message(exc, lang=lang), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
