"""A file the app made, as a download link that works from a workshop server."""

from __future__ import annotations

import html
from pathlib import Path


from imworkbook.base.i18n import t
from imworkbook.apps.feedback import done_html


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
