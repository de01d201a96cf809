"""The base of every app: the page, its language switch, its status line and what happens on an error."""

from __future__ import annotations

import datetime as _dt
import functools
import html
import traceback
from typing import Callable

import ipywidgets as W

from imworkbook.base.errors import ImworkbookError, error_text
from imworkbook.base.i18n import LANGS, t
from imworkbook.base.preferences import remember_language
from imworkbook.io.session import Session
from imworkbook.apps.feedback import FieldError, done_html, error_html, paragraphs, show_field_error


EMPTY = ""  # dropdown value for "nothing chosen / not answered"


NEW = "__new__"


def name_control(widget: W.Widget, name: str) -> W.Widget:
    """Give a control without a visible label of its own (a cell of a grid, a list under a question) an
    accessible name: its ``description`` (a ``<label for>`` of the control), shown only to screen readers."""
    widget.description = name
    widget.add_class("imw-sr-label")
    return widget


class AppBase:
    """Errors from callbacks shown in the app (never lost in the kernel log) and the widgets put back to
    what is saved afterwards. Subclasses implement :meth:`resync`.

    Feedback shows the outcome of the *last* action, so an error and a success are never on screen together:

    * an error goes to the ``where`` given to :meth:`_guard` (an ``W.HTML`` beside the button pressed), else to
      the banner (:attr:`messages`); a :class:`FieldError` goes beside its field; a "✓ Saved" in
      :attr:`status` loses its tick ("Last saved at …");
    * the next action that succeeds clears the banner and the ``where`` places of earlier errors (field
      messages are cleared by the form when that field is saved or the form is shown again).

    Callbacks run inside other callbacks (a value set in code fires its observers) count as part of the
    outer one: only the outermost decides between success and error.
    """

    lang: str

    def _init_messages(self) -> None:
        self.messages = W.HTML()  # errors from callbacks, newest first
        self.errors: list[str] = []
        self._depth = 0  # how many guarded callbacks are running (nested ones fire from code)
        self._failed = False  # an error in the current outermost callback
        self._error_places: list[W.HTML] = []  # ``where`` places showing an error
        self._saved_at: str | None = None

    def _guard(self, fn: Callable, where: W.HTML | None = None) -> Callable:
        """``fn`` as a callback whose errors are shown in the app (at ``where`` if given, see the class)."""
        @functools.wraps(fn)
        def run(*args, **kwargs):
            outer = self._depth == 0
            if outer:
                self._failed = False
            self._depth += 1
            try:
                try:
                    return fn(*args, **kwargs)
                except FieldError as exc:  # nothing changed; keep what was typed, to correct it
                    self._failed = True
                    show_field_error(exc.widget, exc.place, str(exc), self.lang)
                    self._show_error(str(exc), where, at_field=True)
                    return None
                except (ImworkbookError, ValueError, KeyError, FileExistsError, OSError) as exc:
                    self._failed = True
                    self._show_error(error_text(exc, self.lang), where)
                except Exception:  # pragma: no cover - unexpected: keep the traceback visible
                    self._failed = True
                    self._show_error(t("unexpected_error", self.lang) + "\n" + traceback.format_exc(), where)
                self.resync()
            finally:
                self._depth -= 1
                if outer and not self._failed:
                    self.clear_errors()
        return run

    def resync(self) -> None:  # pragma: no cover - overridden
        pass

    def show_done(self, place: W.HTML, text: str) -> None:
        """Say beside the control used that its action worked (:func:`done_html`)."""
        place.value = done_html(text)

    @property
    def session(self) -> Session | None:
        return self.school.session

    def show_status(self, saved: bool) -> None:
        """"Opened: file" after loading, "✓ Saved at 11:32: file" after every saved change."""
        name = html.escape(self.session.path.name)
        merged = saved and getattr(self.session, "reloaded", False)
        if merged:  # another window changed the file: both changes are kept; show the other one's too
            self.session.reloaded = False
            self.resync()
        if saved:
            self._saved_at = when = _dt.datetime.now().strftime("%H:%M:%S")
            text = f'✓ {html.escape(t("saved", self.lang, time=when))} <code>{name}</code>'
            if merged:
                text += f'<br>{html.escape(t("saved_merged", self.lang))}'
        else:
            self._saved_at = None
            text = html.escape(t("opened", self.lang, path=self.session.path.name))
        self.status.value = f'<span class="imw-status" role="status">{text}</span>'

    def _status_after_error(self) -> None:
        """A "✓ Saved" shown before an error loses its tick: it no longer says the last action worked."""
        status = getattr(self, "status", None)
        if status is None or self._saved_at is None or getattr(self, "school", None) is None \
                or self.session is None:
            return
        status.value = (f'<span class="imw-status-old">{html.escape(t("last_saved", self.lang, time=self._saved_at))} '
                        f'<code>{html.escape(self.session.path.name)}</code></span>')

    def _show_error(self, text: str, where: W.HTML | None = None, *, at_field: bool = False) -> None:
        self.errors.insert(0, text)
        self._status_after_error()
        if at_field:  # the message itself is at the field; beside the button only where to look
            if where is not None:
                where.value = (f'<span class="imw-field-error">✗ '
                               f'{html.escape(t("not_saved_see_field", self.lang))}</span>')
                self._error_places.append(where)
            return
        if where is not None:
            where.value = error_html(text, self.lang)
            self._error_places.append(where)
            return
        self.messages.value = "".join(error_html(e, self.lang) for e in self.errors[:3])

    def clear_errors(self) -> None:
        """After a success: the banner and the places of earlier errors are emptied."""
        if not self.errors and not self._error_places:
            return
        self.errors.clear()
        self.messages.value = ""
        for place in self._error_places:
            if "imw-msg-error" in place.value or "imw-field-error" in place.value:
                place.value = ""
        self._error_places.clear()

    # the language switch -------------------------------------------------------------
    def _framed(self, intro_key: str | None = None) -> None:
        """Put the language switch (and the app's introduction) above ``self.widget``.

        The frame is what is displayed; switching language builds the app again inside it, on the same
        school, so nothing has to be reloaded by the user.
        """
        if not hasattr(self, "frame"):
            self.lang_switch = W.ToggleButtons(options=[(t("language_name", lang), lang) for lang in LANGS],
                                               value=self.lang, style={"button_width": "auto"})
            self.lang_switch.observe(lambda change: self.switch_language(change["new"]), names="value")
            self.frame = W.VBox(layout=W.Layout(width="100%"))
        self.lang_switch.tooltip = t("language", self.lang)
        self.lang_switch.value = self.lang
        for lang in LANGS:  # the page template sets <html lang> and the title from this class
            self.frame.remove_class(f"imw-lang-{lang}")
        self.frame.add_class(f"imw-lang-{self.lang}")
        intro = [W.HTML(f"<div class='imw-intro'>{paragraphs(t(intro_key, self.lang))}</div>")] if intro_key else []
        self.frame.children = (W.HBox([self.lang_switch], layout=W.Layout(justify_content="flex-end")),
                               *intro, self.widget)

    def switch_language(self, lang: str) -> None:
        """Show the app in ``lang`` (``nl``/``en``), keeping the open school; remembered for next time."""
        if lang == self.lang:
            return
        try:
            remember_language(lang)
        except OSError:  # a read-only werkmap: switch anyway, just not remembered
            pass
        self._rebuild(lang)

    def _rebuild(self, lang: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        return getattr(self, "frame", self.widget)._repr_mimebundle_(**kwargs)
