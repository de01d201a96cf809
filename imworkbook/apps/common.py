"""What every app shares: the school bar (choose, open, create a school, edit its details), the style
sheet, visible error messages and the live-chart helper."""

from __future__ import annotations

import datetime as _dt
import functools
import html
import re
import traceback
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W
import plotly.graph_objects as go

from imworkbook.apps.plot import figure_output
from imworkbook.base import paths
from imworkbook.base.errors import ImworkbookError, Problem, error_text
from imworkbook.base.i18n import LANGS, t
from imworkbook.base.preferences import language, remember_language
from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.io.workspace import EXAMPLES_SUBFOLDER, list_examples, list_schools, open_example
from imworkbook.model.answers import SCOPES, current_round
from imworkbook.model.content import MaturityModel, load_model, load_rater_roles

EMPTY = ""  # dropdown value for "nothing chosen / not answered"


def _scope_options(lang: str) -> list[tuple[str, str]]:
    """For what a school answers (school.scope): not said, one school, one location, the whole board."""
    return [(t("scope_none", lang), EMPTY)] + [(t(SCOPE_LABELS[s], lang), s) for s in SCOPES]


SCOPE_LABELS = {"school": "scope_school", "vestiging": "scope_vestiging", "bestuur": "scope_bestuur"}  # i18n keys
NEW = "__new__"
CHART_WIDTH = 470  # px; two charts side by side fit a notebook beside JupyterLab's file browser

CSS = """
<style>
.imw-q {font-weight:600; font-size:1.02em; line-height:1.35}
.imw-help {color:#444; font-size:0.92em; margin:2px 0 6px 0; line-height:1.35}
.imw-levels {border-collapse:separate; border-spacing:4px; width:100%; table-layout:fixed}
.imw-levels td {vertical-align:top; font-size:0.86em; line-height:1.3; padding:4px 6px; border-radius:4px;
                background:#f6f8fa; border:2px solid transparent}
.imw-levels td.cur {border-color:#0072B2; background:#e5f1f8}
.imw-levels td.tgt {border-color:#E69F00; border-style:dashed; background:#fdf3e1}
.imw-levels td.cur.tgt {border-style:solid double}
.imw-levels th {font-size:0.82em; text-align:left; color:#333; padding:0 6px}
.imw-tag {font-size:0.8em; font-weight:700; margin-left:4px}
.imw-tag.cur {color:#0072B2} .imw-tag.tgt {color:#9a6700}
.imw-remark {color:#9a6700; font-size:0.9em}
.imw-msg-error {background:#fdecea; border-left:4px solid #D55E00; padding:6px 10px; margin:4px 0}
.imw-msg-warn {background:#fff8e1; border-left:4px solid #E69F00; padding:6px 10px; margin:4px 0}
.imw-status {color:#2b6a3f; font-size:0.9em}
.imw-status-old {color:#444; font-size:0.9em}
.imw-intro {max-width:60em; line-height:1.45}
.imw-download {display:inline-block; margin-top:6px; padding:5px 12px; border-radius:4px; background:#0072B2;
               color:white !important; text-decoration:none; font-weight:600; overflow-wrap:anywhere}
.imw-download:hover {background:#005a8c}
.imw-download:focus-visible {outline:3px solid #1b1b1b !important; outline-offset:2px}
.imw-download-size {color:#444; font-size:0.9em; margin-left:6px}
.imw-server-path {color:#555; font-size:0.85em; margin-top:2px} .imw-server-path code {overflow-wrap:anywhere}
.imw-intro p {margin:0 0 6px 0}
.imw-merge {border-collapse:collapse; margin:4px 0} .imw-merge th, .imw-merge td {padding:2px 14px 2px 0; text-align:left}
.imw-field-error {color:#b3261e; font-size:0.88em}
.imw-field-warn {color:#8a5a00; font-size:0.88em}
.imw-field-error, .imw-field-warn {display:inline-block; line-height:1.35; margin:2px 0}
.imw-bad input {border-color:#D55E00 !important; background:#fdecea !important}
.imw-app select:focus-visible, .imw-app input:focus-visible, .imw-app textarea:focus-visible,
.imw-app button:focus-visible {outline:3px solid #0072B2 !important; outline-offset:1px}
.imw-app textarea::placeholder, .imw-app textarea {font-family:inherit}
.imw-app .lm-TabBar-tab {flex:0 1 auto !important; min-width:fit-content !important; max-width:none !important;
                         color:#222}
.imw-app .lm-TabBar-content {flex-wrap:wrap}
.imw-app .lm-TabBar-tabLabel {color:#222}  /* the theme's 54% black on grey is 4.4:1, under AA's 4.5:1 */
.imw-sr-only, .imw-sr-label > .widget-label {position:absolute !important; width:1px !important;
  height:1px !important; padding:0 !important; margin:-1px !important; overflow:hidden !important;
  clip:rect(0 0 0 0) !important; white-space:nowrap !important; border:0 !important}
.imw-chart-data {margin:2px 0 8px 0; font-size:0.9em}
.imw-chart-data summary {cursor:pointer; color:#0b5a8c}
.imw-chart-data summary:focus-visible {outline:3px solid #0072B2; outline-offset:1px}
.imw-chart-data table {border-collapse:collapse; margin-top:4px}
.imw-chart-data th, .imw-chart-data td {padding:1px 10px 1px 0; text-align:left; border-bottom:1px solid #e3e6ea}
</style>
"""


def messages_html(problems: list[Problem] | list[str], kind: str = "warn", lang: str = "nl") -> str:
    """Problems (worded in ``lang``) or ready texts as a list."""
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p.text(lang) if isinstance(p, Problem) else str(p))}</li>" for p in problems)
    return f'<div class="imw-msg-{kind}"><ul style="margin:0;padding-left:18px">{items}</ul></div>'


DOWNLOAD_MIME = {".html": "text/html", ".htm": "text/html",
                 ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".csv": "text/csv;charset=utf-8", ".json": "application/json", ".pdf": "application/pdf"}


def _file_size(n: int, lang: str) -> str:
    from imworkbook.base.i18n import format_number

    if n < 1_000_000:
        return f"{max(1, round(n / 1000))} kB"
    return f"{format_number(n / 1_000_000, lang, 1)} MB"


def download_link(path: str | Path, lang: str, mime: str | None = None, *, done: str = "") -> str:
    """HTML that offers a file the app wrote as a download from the browser, the one way every app does it.

    On a workshop server the participant's computer is not the server, so a path alone is no use: the file
    itself goes into the page as a ``data:`` link (Voila does not serve the werkmap), labelled "Download
    <name>" in ``lang``. The path on the server stays as secondary information. ``mime`` is guessed from the
    suffix (:data:`DOWNLOAD_MIME`); ``done`` is an optional status line shown first ("✓ Report made.").
    """
    import base64
    import mimetypes

    path = Path(path)
    data = path.read_bytes()
    mime = mime or DOWNLOAD_MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] \
        or "application/octet-stream"
    name = html.escape(path.name, quote=True)
    encoded = base64.b64encode(data).decode("ascii")
    status = f'<div>{done_html(done)}</div>' if done else ""
    return (f'<div class="imw-download-box">{status}'
            f'<a class="imw-download" download="{name}" type="{html.escape(mime, quote=True)}" '
            f'href="data:{html.escape(mime, quote=True)};base64,{encoded}">'
            f'<span aria-hidden="true">⬇ </span>{html.escape(t("download_file", lang, name=path.name))}</a>'
            f'<span class="imw-download-size">{_file_size(len(data), lang)}</span>'
            f'<div class="imw-server-path">{html.escape(t("download_saved_at", lang))} '
            f'<code>{html.escape(str(path))}</code></div></div>')


PNG_NAMES = {"dekking": "png_dekking", "heatmap": "png_heatmap", "investering": "png_investering", "kosten": "png_kosten",
             "netwerk": "png_netwerk", "percentielen": "png_percentielen", "time": "png_time", "trend": "png_trend", "wat-als": "png_wat_als",
             "kloof": "png_kloof", "kwadrant": "png_kwadrant", "netwerk-applicaties": "png_netwerk_applicaties", "radar": "png_radar",
             "samenvatting": "png_samenvatting", "tijd-geld-middelen": "png_tijd_geld_middelen", "verschil": "png_verschil"}  # chart -> its file name's text


def chart_config(lang: str, name: str) -> dict:
    """plotly.js config for the live charts: only the PNG button, its tooltip and file name in ``lang``, no logo.
    ``name``: one of :data:`PNG_NAMES` (the chart's Dutch file name), written in ``lang``."""
    return {"displaylogo": False, "modeBarButtons": [["toImage"]], "locale": lang,
            "locales": {lang: {"dictionary": {"Download plot as a PNG": t("modebar_png", lang),
                                              "Download plot as a png": t("modebar_png", lang)}}},
            "toImageButtonOptions": {"format": "png", "filename": t(PNG_NAMES[name], lang), "scale": 2}}


def name_control(widget: W.Widget, name: str) -> W.Widget:
    """Give a control without a visible label of its own (a cell of a grid, a list under a question) an
    accessible name: its ``description`` (a ``<label for>`` of the control), shown only to screen readers."""
    widget.description = name
    widget.add_class("imw-sr-label")
    return widget


MAX_TABLE_ROWS = 120


def _plain(value: Any) -> str:
    """Text of a label as plotly shows it: without tags (``<br>``) and entities (``&amp;``)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(value)))).strip()


def _decoration(trace: Any) -> bool:
    """A trace that draws no data: a shaded zone or a reference line (no hover), or labels only."""
    return getattr(trace, "hoverinfo", None) == "skip" or str(getattr(trace, "mode", None) or "") == "text"


def chart_table_html(fig: go.Figure, lang: str) -> str:
    """The text alternative of a chart: a table of what it draws (per series the points: x and y, or the
    direction and length of a radar, or label and value), behind a ``<details>`` with the chart's title.
    Visible to everyone, so a keyboard or screen-reader user reads the same numbers the chart shows.
    Zones, reference lines and text-only label traces are decoration and left out."""
    from imworkbook.base.i18n import format_number

    def cell(v: Any) -> str:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = float(v)
            return format_number(v, lang, 0 if v.is_integer() or abs(v) >= 100 else 1)
        return _plain(v) if v is not None else ""

    title = _plain(fig.layout.title.text or "") or t("chart_untitled", lang)
    summary = f'<summary>{html.escape(t("chart_table", lang, title=title))}</summary>'
    maps = [tr for tr in fig.data if getattr(tr, "type", None) == "heatmap" and tr.z is not None]
    if maps:  # a heat map reads best as the same grid: a row per row of the chart, a column per column
        trace = maps[0]
        xs = list(trace.x) if trace.x is not None else list(range(len(trace.z[0])))
        ys = list(trace.y) if trace.y is not None else list(range(len(trace.z)))
        head = "<th></th>" + "".join(f'<th scope="col">{html.escape(_plain(x))}</th>' for x in xs)
        body = "".join(f'<tr><th scope="row">{html.escape(_plain(y))}</th>'
                       + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>"
                       for y, row in list(zip(ys, trace.z))[:MAX_TABLE_ROWS])
        return (f'<details class="imw-chart-data">{summary}<table><thead><tr>{head}</tr></thead>'
                f'<tbody>{body}</tbody></table></details>')
    rows: list[tuple[str, str, str, str]] = []  # series, label of a point, x, y
    x_title, y_title = (_plain(axis.title.text or "") for axis in (fig.layout.xaxis, fig.layout.yaxis))
    heads = (x_title or t("chart_col_category", lang), y_title or t("chart_col_value", lang))
    for trace in fig.data:
        if _decoration(trace):
            continue
        name = _plain(getattr(trace, "name", None) or "")
        pairs: list[tuple[Any, Any]] = []
        labels: list[Any] = []
        if getattr(trace, "r", None) is not None and getattr(trace, "theta", None) is not None:
            pairs, heads = list(zip(trace.theta, trace.r)), (t("chart_col_category", lang), t("chart_col_value", lang))
        elif getattr(trace, "labels", None) is not None and getattr(trace, "values", None) is not None:
            pairs, heads = list(zip(trace.labels, trace.values)), (t("chart_col_category", lang), t("chart_col_value", lang))
        elif getattr(trace, "x", None) is not None and getattr(trace, "y", None) is not None:
            horizontal = getattr(trace, "orientation", None) == "h"
            xs, ys = list(trace.x), list(trace.y)
            pairs = list(zip(ys, xs)) if horizontal else list(zip(xs, ys))
            if horizontal:
                heads = (y_title or t("chart_col_category", lang), x_title or t("chart_col_value", lang))
            texts = getattr(trace, "text", None)
            mode = str(getattr(trace, "mode", None) or "")
            if ("text" in mode or "markers" in mode) and texts is not None \
                    and not isinstance(texts, str) and len(texts) == len(pairs):  # labelled points (names as
                # text on the chart, or placed beside them by the figure and kept in ``text`` for the hover)
                labels = list(texts)
        for i, (a, b) in enumerate(pairs):
            rows.append((name, _plain(labels[i]) if labels else "", cell(a), cell(b)))
    rows = [r for r in rows if r[2] or r[3]]
    if not rows:
        return (f'<div class="imw-chart-data imw-sr-only">{html.escape(t("chart_table_empty", lang, title=title))}'
                f'</div>')
    labelled = any(r[1] for r in rows)
    columns = [t("chart_col_series", lang), *([t("chart_col_category", lang)] if labelled else []), *heads]
    more = len(rows) - MAX_TABLE_ROWS
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in (r if labelled else (r[0], r[2], r[3])))
                   + "</tr>" for r in rows[:MAX_TABLE_ROWS])
    if more > 0:
        body += f'<tr><td colspan="{len(columns)}">{html.escape(t("chart_table_more", lang, n=more))}</td></tr>'
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    return (f'<details class="imw-chart-data">{summary}'
            f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>')


def show_figure(box: W.Box, fig: go.Figure, config: dict) -> go.Figure:
    """Show ``fig`` in ``box`` (in an Output widget) and return it, with its text alternative under it
    (:func:`chart_table_html`, in the language of the chart's ``config``).

    Not a ``FigureWidget``: plotly >= 6 builds that on anywidget, which sends plotly's whole JavaScript bundle
    (5 MB) along with *every* chart. Measured in Voila: the questionnaire page went from 6 s to ready (see the
    README), and the network page (five charts) from 9.6 s. A new figure replaces the output in one message,
    drawn by the app's own plotly.js (:mod:`imworkbook.apps.plot`).
    """
    out = box.children[0] if box.children and isinstance(box.children[0], W.Output) else None
    if out is None or len(box.children) < 2:
        out = out or W.Output()
        box.children = (out, W.HTML())
        box.layout.flex_flow = "column"  # the table under its chart (charts sit side by side in their boxes)
    # reserve the chart's size, so the page does not jump while it draws, and charts with a width sit side by side
    out.layout.min_height = f"{int(fig.layout.height or 450)}px"
    out.layout.width = f"{int(fig.layout.width) + 4}px" if fig.layout.width else "100%"
    out.outputs = (figure_output(fig, config, failed=t("chart_load_failed", config.get("locale", "nl"))),)
    box.children[1].layout.width = out.layout.width
    box.children[1].value = chart_table_html(fig, config.get("locale", "nl"))
    return fig


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


def open_session(school: str | Path | None, folder: Path, model: MaturityModel) -> Session:
    """``None``: your own school saved most recently; without one, the example tried most recently (or the po
    example the first time); ``"po"``/``"vo"``: that example as your own working copy; a path: that answers file.

    An example is never the remembered school while you have one of your own: after trying the example of
    werkboek 7 (saved in ``voorbeelden/``), werkboeken 1-6 still open your school."""
    if school is None:
        def recent(found):
            return sorted(found, key=lambda s: (s.saved_at or "", s.path.stat().st_mtime), reverse=True)
        schools = (recent(list_schools(folder, model)[0])
                   or recent(list_schools(folder / EXAMPLES_SUBFOLDER, model)[0]))
        return Session.open(schools[0].path, model) if schools else open_example("po", folder, model)
    if str(school) in ("po", "vo") or not str(school).endswith(".json"):
        return open_example(str(school), folder, model)
    return Session.open(school, model)


class SchoolApp(AppBase):
    """An app on one school's answers file (werkboek 1, 2, 4, 5, 6): language, model, werkmap, school bar.

    Subclasses call :meth:`_setup` first and :meth:`_finish` last in ``__init__``, and implement ``load``."""

    def _setup(self, lang: str | None, folder: str | Path | None, model: MaturityModel | None) -> str:
        self.lang = language(lang)
        self.model = model or load_model()
        self.folder = Path(folder) if folder is not None else paths.answers_dir()
        self._init_messages()
        self.school = SchoolBar(self, self.folder, self.model, on_load=self.load)
        return self.lang

    def _finish(self, session: Session | None, intro_key: str) -> None:
        self.widget.add_class("imw-app")
        if session is not None:
            self.school.load(session)
        self._framed(intro_key)

    def load(self, session: Session) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _rebuild(self, lang: str) -> None:
        """Build the app again in ``lang`` on the same school, on the same tab (see :meth:`switch_language`)."""
        tabs = getattr(self, "tabs", None)
        tab = tabs.selected_index if tabs is not None else None
        type(self).__init__(self, self.session, lang=lang, folder=self.folder, model=self.model, **self._init_extra())
        if tab is not None:
            self.tabs.selected_index = tab

    def _init_extra(self) -> dict:
        """Further ``__init__`` arguments an app keeps when it is built again."""
        return {}

    @classmethod
    def open(cls, school: str | Path | None = None, *, lang: str | None = None, folder: str | Path | None = None):
        """The app on ``school`` (see :func:`open_session`), files in ``folder`` (default: the werkmap)."""
        model = load_model()
        folder = Path(folder) if folder is not None else paths.answers_dir()
        return cls(open_session(school, folder, model), lang=lang, folder=folder, model=model)


class SchoolBar:
    """Choose a school (own files, examples, a new one), open it, and edit its details.

    Choosing in the list only prepares; the Open button loads, so arrow keys never switch school.
    ``on_load(session)`` is called with every school that is opened or created.
    """

    def __init__(self, app: AppBase, folder: Path, model: MaturityModel, on_load: Callable[[Session], None]):
        self.app, self.folder, self.model, self.on_load = app, folder, model, on_load
        self.session: Session | None = None
        self._picking = False
        self._setting = False
        self.folder_problems: list[Problem] = []
        lang, st = app.lang, {"description_width": "initial"}
        self.picker = W.Dropdown(description=t("label_school", lang), style=st, layout=W.Layout(width="460px"))
        self.picker.add_class("imw-picker")
        self.picker.observe(app._guard(self._on_pick_change), names="value")
        self.open_button = W.Button(description=t("open_school", lang), icon="folder-open", button_style="primary",
                                    disabled=True)
        self.open_button.on_click(app._guard(self._on_open))
        # a new school
        self.n_name = W.Text(description=t("label_name", lang), style=st)
        self.n_sector = W.Dropdown(description=t("label_sector", lang), style=st,
                                   options=[(t("sector_po", lang), "po"), (t("sector_vo", lang), "vo")])
        self.n_round = W.Text(description=t("label_round", lang), value=current_round(), style=st,
                              layout=W.Layout(width="220px"))
        self.n_pupils = W.BoundedIntText(description=t("label_pupils", lang), min=0, max=50_000, style=st,
                                         layout=W.Layout(width="220px"))
        self.n_scope = W.Dropdown(description=t("label_scope", lang), style=st, layout=W.Layout(width="300px"),
                                  options=_scope_options(lang), value="school")
        roles = load_rater_roles()
        self.n_rater = W.Dropdown(description=t("label_rater", lang), style=st, layout=W.Layout(width="360px"),
                                  options=[(t("rater_school", lang), EMPTY)] + [(r.label(lang), r.id) for r in roles.roles])
        create = W.Button(description=t("create", lang), button_style="primary", icon="plus")
        create.on_click(app._guard(self.create))
        self.new_box = W.VBox([W.HTML(f"<b>{html.escape(t('new_school_title', lang))}</b>"),
                               W.HBox([self.n_name, self.n_sector, self.n_round, self.n_pupils, self.n_scope,
                                       self.n_rater, create],
                                      layout=W.Layout(flex_flow="row wrap")),
                               W.HTML(f"<div class='imw-help'>{html.escape(t('rater_help', lang))}</div>")],
                              layout=W.Layout(border="1px solid #0072B2", padding="6px 10px", display="none"))
        # details of the open school
        self.f_name = W.Text(description=t("label_name", lang), style=st, continuous_update=False)
        self.f_code = W.Text(description=t("label_code", lang), style=st, continuous_update=False,
                             placeholder=t("code_placeholder", lang), layout=W.Layout(width="220px"))
        self.f_sector = W.Dropdown(description=t("label_sector", lang), style=st,
                                   options=[(t("sector_po", lang), "po"), (t("sector_vo", lang), "vo")],
                                   layout=W.Layout(width="260px"))
        self.f_pupils = W.BoundedIntText(description=t("label_pupils", lang), style=st, min=0, max=50_000,
                                         layout=W.Layout(width="220px"))
        self.f_scope = W.Dropdown(description=t("label_scope", lang), style=st, layout=W.Layout(width="300px"),
                                  options=_scope_options(lang))
        self.f_location = W.Text(description=t("label_location", lang), style=st, continuous_update=False,
                                 placeholder=t("location_placeholder", lang), layout=W.Layout(width="220px"))
        self.f_round = W.HTML()
        for w in (self.f_name, self.f_code, self.f_sector, self.f_pupils, self.f_scope, self.f_location):
            w.observe(app._guard(self._on_field), names="value")
        self.notice = W.HTML()
        self.widget = W.VBox([
            W.HBox([self.picker, self.open_button]), self.new_box, app.messages, self.notice,
            W.HBox([self.f_name, self.f_code, self.f_sector, self.f_pupils, self.f_scope, self.f_location,
                    self.f_round], layout=W.Layout(flex_flow="row wrap")),
            W.HTML(f"<div class='imw-help'>{html.escape(t('scope_help', lang))}</div>")])
        self.refresh()

    # the list -------------------------------------------------------------------------
    def refresh(self) -> None:
        schools, problems = list_schools(self.folder, self.model)
        copies, _ = list_schools(self.folder / EXAMPLES_SUBFOLDER, self.model)  # your copies of the examples
        own = {s.path.name for s in copies}
        lang = self.app.lang
        options: list[tuple[str, Any]] = [(t("pick_placeholder", lang), EMPTY)]
        roles = load_rater_roles()
        options += [(f"{s.name} ({s.sector}) · {s.round}" + (f" · {roles.label(s.rater, lang)}" if s.rater else ""),
                     str(s.path)) for s in schools]
        options += [(t("example_option", lang, name=s.name, sector=s.sector), str(s.path)) for s in copies]
        for p in list_examples():
            if p.name not in own:
                a = load_answers(p, self.model).answers
                options.append((t("example_option", lang, name=a.school.name, sector=a.school.sector),
                                "example:" + p.stem))
        options.append((t("new_school_option", lang), NEW))
        self._picking = True
        try:
            self.picker.options = options
            values = {v for _, v in options}
            current = str(self.session.path) if self.session is not None else EMPTY
            self.picker.value = current if current in values else EMPTY
        finally:
            self._picking = False
        self.open_button.disabled = True
        self.folder_problems = problems
        self.show_notice()

    def show_notice(self) -> None:
        """Warnings about the open file (and the back-up made of it) and about unreadable files in the folder."""
        own = self.session.problems if self.session is not None else []
        self.notice.value = messages_html([*own, *self.folder_problems], "warn", self.app.lang)

    def _on_pick_change(self, change) -> None:
        if self._picking:
            return
        value = change["new"]
        self.new_box.layout.display = "flex" if value == NEW else "none"
        self.open_button.disabled = value in (EMPTY, NEW) or (
            self.session is not None and value == str(self.session.path))

    def _on_open(self, _button=None) -> None:
        value = self.picker.value
        if value in (EMPTY, NEW):
            return
        if value.startswith("example:"):
            self.load(open_example(value.split(":", 1)[1], folder=self.folder, model=self.model))
        else:
            self.load(Session.open(value, self.model))

    def create(self, _button=None) -> None:
        if not self.n_name.value.strip():
            raise ValueError(t("name_required", self.app.lang))
        session = Session.create(self.n_name.value, self.n_sector.value, self.n_round.value.strip(),
                                 pupils=self.n_pupils.value or None, folder=self.folder, model=self.model,
                                 scope=self.n_scope.value or None,
                                 rater=self.n_rater.value or None)
        self.new_box.layout.display = "none"
        self.load(session)

    def load(self, session: Session) -> None:
        self.session = session
        self.show_school()
        lang = self.app.lang
        rater = session.answers.rater
        self.f_round.value = (f"<b>{t('label_round', lang)}</b> {html.escape(session.answers.round)}"
                              + (f" · <b>{t('label_rater', lang)}</b> {html.escape(load_rater_roles().label(rater, lang))}"
                                 if rater else ""))
        self.refresh()
        self.on_load(session)

    # the details ------------------------------------------------------------------------
    def show_school(self) -> None:
        s = self.session.answers.school
        self._setting = True
        try:
            self.f_name.value, self.f_code.value = s.name, s.code or ""
            self.f_sector.value, self.f_pupils.value = s.sector, s.pupils or 0
            self.f_scope.value, self.f_location.value = s.scope or EMPTY, s.location or ""
        finally:
            self._setting = False

    def _on_field(self, change) -> None:
        if self._setting or self.session is None:
            return
        self.session.update_school(name=self.f_name.value, code=self.f_code.value.strip() or None,
                                   sector=self.f_sector.value, pupils=self.f_pupils.value or None,
                                   scope=self.f_scope.value or None, location=self.f_location.value.strip() or None)
        self.refresh()
        self.app.after_school_change()


class ReportPanel:
    """"Make the report for the board": writes it to the werkmap and offers it as a download (a data link,
    so it works in Voila too, where the werkmap is not served)."""

    def __init__(self, app: AppBase, model: MaturityModel):
        self.app, self.model = app, model
        lang = app.lang
        self.button = W.Button(description=t("report_make", lang), button_style="primary", icon="file-text",
                               layout=W.Layout(width="auto"))
        self.result = W.HTML()
        self.button.on_click(app._guard(lambda _b: self.make(), where=self.result))
        self.path: Path | None = None
        self.widget = W.Accordion(children=[W.VBox([W.HTML(f"<div class='imw-help'>{html.escape(t('report_panel_intro', lang))}</div>"),
                                                    self.button, self.result])],
                                  titles=(t("report_section", lang),),
                                  selected_index=None)

    def make(self) -> Path:
        from imworkbook import api

        session = self.app.session
        if session is None:
            raise ValueError(t("report_no_school", self.app.lang))
        self.button.disabled = True
        try:
            self.path = api.board_report(session.answers, self.model, lang=self.app.lang)
        finally:
            self.button.disabled = False
        self.result.value = download_link(self.path, self.app.lang, done=t("report_made", self.app.lang))
        return self.path
