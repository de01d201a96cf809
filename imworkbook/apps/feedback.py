"""Feedback beside an action or a field: messages, errors, the outcome of the last action."""

from __future__ import annotations

import html
import re

import ipywidgets as W

from imworkbook.base.errors import Problem
from imworkbook.base.i18n import t


def messages_html(problems: list[Problem] | list[str], kind: str = "warn", lang: str = "nl") -> str:
    """Problems (worded in ``lang``) or ready texts as a list."""
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p.text(lang) if isinstance(p, Problem) else str(p))}</li>" for p in problems)
    return f'<div class="imw-msg-{kind}"><ul style="margin:0;padding-left:18px">{items}</ul></div>'


def paragraphs(text: str) -> str:
    """Plain content text as HTML: escaped, blank lines make paragraphs, ``**bold**`` bold, ``*this*`` italic."""
    out = []
    for part in text.split("\n\n"):
        if part.strip():
            escaped = html.escape(part.strip()).replace("\n", "<br>")
            escaped = _BOLD.sub(r"<b>\1</b>", escaped)
            out.append("<p>" + _ITALIC.sub(r"<i>\1</i>", escaped) + "</p>")
    return "".join(out)


_BOLD = re.compile(r"[*][*](.+?)[*][*]")


_ITALIC = re.compile(r"(?<![*\w])[*]([^*\n]+?)[*](?![*\w])")


class FieldError(ValueError):
    """A value of one form field that is refused: shown at that field, with the field marked; the form keeps
    what the user typed (no :meth:`AppBase.resync`), so it can be corrected and saved again.

    ``widget`` is the input, ``place`` the ``W.HTML`` beside it for the message."""

    def __init__(self, message: str, widget: W.Widget, place: W.HTML):
        super().__init__(message)
        self.widget, self.place = widget, place


def done_html(text: str) -> str:
    """The outcome of an action that worked, shown beside the control used: "✓ text", announced politely
    (``role="status"``). The one way every app says "done"; an error in the same place replaces it
    (:meth:`AppBase._show_error`) and the next success replaces the error."""
    return f'<span class="imw-status" role="status">✓ {html.escape(text)}</span>'


def error_html(text: str, lang: str) -> str:
    """An error box (announced by screen readers as it appears: ``role="alert"``)."""
    return (f'<div class="imw-msg-error" role="alert"><b>{html.escape(t("error", lang))}</b> '
            f'<pre style="white-space:pre-wrap;margin:0;font-family:inherit">{html.escape(text)}</pre></div>')


def show_field_error(widget: W.Widget, place: W.HTML, text: str, lang: str) -> None:
    """The message of a refused value beside its field, the field marked (red border, also without colour:
    the ✗ and the words "niet opgeslagen")."""
    place.value = (f'<span class="imw-field-error" role="alert">✗ {html.escape(text)} — '
                   f'{html.escape(t("not_saved", lang))}</span>')
    widget.add_class("imw-bad")


def clear_field_error(widget: W.Widget, place: W.HTML) -> None:
    place.value = ""
    widget.remove_class("imw-bad")
