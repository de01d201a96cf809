"""One helper offers every file the app makes as a download from the browser (issue 10): on a workshop
server the participant's computer is not the server, so the path alone is no use."""

import base64
import html
import re

import pytest

from imworkbook.apps.downloads import download_link

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _href(link: str) -> tuple[str, bytes]:
    mime, data = re.search(r'href="data:([^"]+);base64,([^"]+)"', link).groups()
    return html.unescape(mime), base64.b64decode(data)


@pytest.mark.parametrize("name, mime", [("rapport.html", "text/html"), ("lijst.xlsx", XLSX),
                                        ("overzicht.csv", "text/csv;charset=utf-8"), ("OUD.HTML", "text/html"),
                                        ("iets.onbekend", "application/octet-stream")])
def test_mime_follows_the_suffix_and_the_file_is_in_the_link(tmp_path, name, mime):
    path = tmp_path / name
    path.write_bytes(b"a;b\n1;2\n")
    link = download_link(path, "nl")
    assert _href(link) == (mime, b"a;b\n1;2\n")
    assert f'download="{name}"' in link and 'class="imw-download"' in link


def test_a_given_mime_wins(tmp_path):
    path = tmp_path / "x.html"
    path.write_text("<html></html>", encoding="utf-8")
    assert _href(download_link(path, "nl", mime="text/plain"))[0] == "text/plain"


def test_label_in_the_page_language_and_the_server_path_as_secondary_info(tmp_path):
    path = tmp_path / "de-regenboog_2026-2027_verhouding.html"
    path.write_bytes(b"x" * 2_400_000)
    nl, en = download_link(path, "nl", done="Rapport gemaakt."), download_link(path, "en")
    assert "Download de-regenboog_2026-2027_verhouding.html</a>" in nl and "2,4 MB" in nl
    assert "✓ Rapport gemaakt." in nl and "Ook bewaard in de werkmap" in nl and str(path) in nl
    assert "Download de-regenboog_2026-2027_verhouding.html</a>" in en and "2.4 MB" in en
    assert "Also saved in the workbook folder" in en and "✓" not in en  # no status line asked for
    assert nl.index("imw-download\"") < nl.index(str(path))  # the download first, the path after it


def test_quotes_and_angle_brackets_in_a_file_name_are_escaped(tmp_path):
    path = tmp_path / 'school "De <b>Boog" & <script>.csv'  # (no "/" in a file name)
    path.write_text("kop\n", encoding="utf-8")
    link = download_link(path, "en")
    assert "<b>" not in link and "<script>" not in link and 'De "' not in link
    assert 'download="school &quot;De &lt;b&gt;Boog&quot; &amp; &lt;script&gt;.csv"' in link
    assert "Download school &quot;De &lt;b&gt;Boog&quot; &amp; &lt;script&gt;.csv</a>" in link
    # the attribute values stay closed: every quote in the tag belongs to an attribute
    tag = re.search(r"<a [^>]*>", link).group(0)
    assert tag.count('"') == 8  # class, download, type, href


def test_every_export_of_the_apps_offers_its_download(tmp_path, werkmap):
    """Werkboek 1-5: the board report, the one-page summary, the network Excel/CSV, the inventory, the
    printed proposal. Each writes its file and shows the link to exactly that file."""
    from imworkbook.apps.investment import verhouding
    from imworkbook.apps.landscape import applicaties
    from imworkbook.apps.network import netwerk
    from imworkbook.apps.proposals import nieuwe_app

    shown = []
    prop = verhouding("po", folder=tmp_path)
    shown.append((prop.save_summary(), prop.summary_link.value, "text/html"))
    net = netwerk()
    shown.append((net.export("xlsx"), net.export_msg.value, XLSX))
    shown.append((net.export("csv"), net.export_msg.value, "text/csv;charset=utf-8"))
    land = applicaties("po", folder=tmp_path)
    shown.append((land.export(), land.excel_msg.value, XLSX))
    proposal = nieuwe_app("po", folder=tmp_path)
    shown.append((proposal.printable(), proposal.result.value, "text/html"))
    for path, value, mime in shown:
        assert path.exists() and path.parent == werkmap / "rapporten"
        assert f'download="{path.name}"' in value and f"Download {path.name}" in value and str(path) in value
        assert _href(value) == (mime, path.read_bytes())
    assert not (prop.errors or net.errors or land.errors or proposal.errors)
