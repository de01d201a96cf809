"""The facilitator's app: collect a network's files, show the validation report first, then compare the
schools anonymously per round and peer group, with one school highlighted by name.

    import imworkbook as iw
    iw.netwerk()
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as W
import plotly.graph_objects as go

from imworkbook import api
from imworkbook.analysis.disclosure import MIN_GROUP, OK, WOULD_BETRAY
from imworkbook.base import paths
from imworkbook.base.i18n import t
from imworkbook.base.preferences import language
from imworkbook.figures.network import area_boxes, network_scatter, percentile_bars, school_heatmap, trend_lines
from imworkbook.io.collect import STATUS_DUPLICATE, STATUS_OK, STATUS_REFUSED, STATUS_SKIPPED, STATUS_WARN
from imworkbook.model.answers import SCOPES
from imworkbook.model.content import MaturityModel, load_model
from imworkbook.analysis.network import (SIZE_BANDS, group_status, heatmap_frame, percentiles, select, shared_items,
                                         trend)
from imworkbook.apps.base import EMPTY, AppBase
from imworkbook.apps.charts import chart_config, show_figure
from imworkbook.apps.downloads import download_link
from imworkbook.apps.schoolbar import SCOPE_LABELS
from imworkbook.apps.style import CHART_WIDTH, CSS


def example_network_dir() -> Path:
    return paths.data_dir() / "examples" / "netwerk"


class NetworkApp(AppBase):
    def __init__(self, folder: str | Path | None = None, *, lang: str | None = None, model: MaturityModel | None = None):
        self.lang = lang = language(lang)
        self.model = model or load_model()
        self.short = {a.id: a.short(lang) for a in self.model.areas}
        self.collected = None
        self.data = None
        self.figs: dict[str, go.Figure] = {}  # the charts on screen, by box
        self._init_messages()
        st = {"description_width": "initial"}
        self.folder = W.Text(value=str(folder or example_network_dir()), description=t("net_folder", lang),
                             style=st, layout=W.Layout(width="640px"))
        self.load_button = W.Button(description=t("net_load", lang), icon="folder-open", button_style="primary")
        self.load_msg = W.HTML()  # an error of loading, under the folder and its button
        self.notices = W.HTML()  # notices of the network secret (not errors: they stay)
        self.load_button.on_click(self._guard(lambda _b: self.load(), where=self.load_msg))
        self.progress = W.IntProgress(min=0, max=1, layout=W.Layout(width="300px", visibility="hidden"))
        self.report = W.HTML()
        self.report_all = W.HTML()
        self.round = W.Dropdown(description=t("net_round", lang), style=st)
        self.group = W.Dropdown(description=t("net_group", lang), style=st,
                                options=[(t("net_group_all", lang), EMPTY), ("po", "sector:po"), ("vo", "sector:vo")]
                                + [(f"{t('net_band', lang)} {label}", f"band:{label}") for _, _, label in SIZE_BANDS]
                                + [(f"{t('label_scope', lang)}: {t(SCOPE_LABELS[s], lang)}", f"scope:{s}") for s in SCOPES])
        self.school = W.Dropdown(description=t("net_school", lang), style=st, layout=W.Layout(width="460px"))
        self.round.observe(self._guard(self._on_round), names="value")
        self.group.observe(self._guard(self._on_round), names="value")  # the school list follows the group
        self.school.observe(self._guard(lambda _c: self.refresh()), names="value")
        self.info = W.HTML()
        # fixed-width charts side by side; the rows wrap on a narrow screen
        self.boxes = {name: W.Box(layout=W.Layout(flex="0 0 auto", margin="0 12px 0 0"))
                      for name in ("boxes", "percentiles", "trend", "heatmap", "scatter")}
        export_xlsx = W.Button(description=t("net_export_xlsx", lang), icon="download", layout=W.Layout(width="auto"),
                               tooltip=t("net_export_xlsx_tip", lang))
        export_csv = W.Button(description=t("net_export_csv", lang), icon="download", layout=W.Layout(width="auto"))
        export_own = W.Button(description=t("net_export_facilitator", lang), icon="lock", layout=W.Layout(width="auto"),
                              tooltip=t("net_export_facilitator_tip", lang))
        self.export_msg = W.HTML()  # the outcome of an export, beside its buttons
        export_xlsx.on_click(self._guard(lambda _b: self.export("xlsx"), where=self.export_msg))
        export_csv.on_click(self._guard(lambda _b: self.export("csv"), where=self.export_msg))
        export_own.on_click(self._guard(lambda _b: self.export("facilitator"), where=self.export_msg))
        self.controls = W.VBox([W.HBox([self.round, self.group, self.school], layout=W.Layout(flex_flow="row wrap")),
                                self.info], layout=W.Layout(display="none"))
        self.charts = W.VBox([
            W.HBox([self.boxes["boxes"], self.boxes["percentiles"]], layout=W.Layout(flex_flow="row wrap")),
            self.boxes["trend"], W.HBox([self.boxes["heatmap"], self.boxes["scatter"]],
                                        layout=W.Layout(flex_flow="row wrap")),
            W.HTML(f"<p>{html.escape(t('net_export_kinds', lang))}</p>"),
            W.HBox([export_xlsx, export_csv, export_own], layout=W.Layout(flex_flow="row wrap")), self.export_msg],
            layout=W.Layout(display="none"))
        self.widget = W.VBox([
            W.HTML(CSS), W.HBox([self.folder, self.load_button]), self.progress, self.load_msg, self.messages,
            self.notices,
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('net_report_title', lang))}</h3>"), self.report,
            W.Accordion(children=[self.report_all], titles=(t("net_report_all", lang),), selected_index=None),
            W.HTML(f"<h3 style='margin:8px 0 0 0'>{html.escape(t('net_compare_title', lang))}</h3>"),
            self.controls, self.charts], layout=W.Layout(width="100%"))
        self.widget.add_class("imw-app")
        self._busy = False
        self.load()
        self._framed("intro_network")

    def _rebuild(self, lang: str) -> None:
        chosen = (self.round.value, self.group.value, self.school.value)
        NetworkApp.__init__(self, self.folder.value, lang=lang, model=self.model)
        for widget, value in zip((self.round, self.group, self.school), chosen):
            if value in [o[1] if isinstance(o, tuple) else o for o in widget.options]:
                widget.value = value

    def resync(self) -> None:
        pass

    # loading --------------------------------------------------------------------------
    def _tick(self, done: int, total: int) -> None:
        self.progress.max = max(total, 1)
        self.progress.value = done

    def load(self) -> None:
        self.progress.layout.visibility = "visible"
        network = api.load_network(Path(self.folder.value.strip()).expanduser(), self.model, progress=self._tick,
                                   keep_documents=False, notify=self._notice, lang=self.lang,
                                   workers=1)  # no fork() inside a kernel
        self.collected = network.collected
        self.progress.layout.visibility = "hidden"
        self.report.value = self._report_html(only_problems=True)
        self.report_all.value = self._report_html(only_problems=False)
        if not len(self.collected):
            self.controls.layout.display = self.charts.layout.display = "none"
            return
        self.data = network.data
        rounds = sorted(self.data.schools["round"].unique())
        self._busy = True
        try:
            self.round.options = rounds
            self.round.value = rounds[-1]
            self._school_options()
            self._default_group()
            self._school_options(self.school.value)  # the schools of the group it starts on
        finally:
            self._busy = False
        self.controls.layout.display = self.charts.layout.display = "flex"
        self.refresh()

    def _default_group(self) -> None:
        """Start on a group the anonymity rule shows: all schools if it can, else the chosen school's sector (in the
        example network, all schools minus po would betray the 5 vo schools, so "all" shows nothing)."""
        if self.group.value != EMPTY or OK in group_status(self.data, self.round.value).values():
            return
        schools = self.data.schools[self.data.schools["round"] == self.round.value].set_index("key")
        key = self.school.value
        sectors = ([schools.at[key, "sector"]] if key in schools.index else []) + ["po", "vo"]
        for sector in sectors:
            if OK in group_status(self.data, self.round.value, sector).values():
                self.group.value = f"sector:{sector}"
                return

    def _notice(self, text: str) -> None:
        self.notices.value += f'<div class="imw-msg-warn" role="status">{html.escape(text)}</div>'

    def _report_html(self, only_problems: bool) -> str:
        c = self.collected.counts
        lang = self.lang
        head = t("net_counts", lang, seen=c["seen"], ok=c[STATUS_OK], warn=c[STATUS_WARN],
                 dup=c[STATUS_DUPLICATE], refused=c[STATUS_REFUSED], skipped=c[STATUS_SKIPPED])
        rows = api.file_check_table(self.collected, lang, only_problems=only_problems)
        if not len(rows):
            return f"<p>{html.escape(head)}</p>" if only_problems else ""
        table = rows.to_html(index=False, escape=True, border=0, classes="imw-report")
        style = ("<style>.imw-report{border-collapse:collapse;font-size:0.88em}.imw-report th,.imw-report td"
                 "{text-align:left;padding:3px 8px;border-bottom:1px solid #e5e5e5;vertical-align:top}</style>")
        return f"{style}<p>{html.escape(head)}</p>{table}" if only_problems else f"{style}{table}"

    def _on_round(self, _change) -> None:
        """Another round or group: offer the schools of that round and group (keeping the chosen one when it is
        in them)."""
        if self._busy or self.data is None:
            return
        keep = self.school.value
        self._busy = True
        try:
            self._school_options(keep)
        finally:
            self._busy = False
        self.refresh()

    def _school_options(self, keep: str | None = None) -> None:
        """The schools of the chosen round and group (po/vo, size band, scope): the list follows the group."""
        sector, band, scope = self._group()
        schools = select(self.data, self.round.value, sector, band, frame="schools", scope=scope)
        options = sorted(zip(schools["name"], schools["key"]))
        self.school.options = [(t("net_no_school", self.lang), EMPTY)] + options
        keys = [k for _, k in options]
        self.school.value = keep if keep in keys else (keys[0] if keys else EMPTY)

    # comparing ----------------------------------------------------------------------------
    def _group(self) -> tuple[str | None, str | None, str | None]:
        """The chosen peer group as (sector, band, scope); None = not restricted."""
        value = self.group.value or ""
        kind, _, val = value.partition(":")
        return tuple(val if kind == dim else None for dim in ("sector", "band", "scope"))  # type: ignore[return-value]

    def refresh(self) -> None:
        if self._busy or self.data is None:
            return
        lang, data = self.lang, self.data
        sector, band, scope = self._group()
        key = self.school.value or None
        name = dict((v, k) for k, v in self.school.options).get(key, "") if key else ""
        current = select(data, self.round.value, sector, band, scope=scope)
        status = group_status(data, self.round.value, sector, band, scope)
        rounds = sorted(data.schools["round"].unique())
        shared = (t("net_shared", lang, a=rounds[-2], b=rounds[-1], n=shared_items(data, rounds[-2], rounds[-1]))
                  if len(rounds) > 1 else "")
        sentence = shown_sentence(current['key'].nunique(), status, self.short, lang)
        self.info.value = (f"<p>{html.escape(sentence)} "
                           f"{html.escape(t('net_rule', lang))} {html.escape(shared)}</p>")
        # the charts of the schools' own levels show what the rule releases, as the sentence says
        released = current[current["area_id"].map(status).eq(OK)]
        shown = {a: s for a, s in self.short.items() if status.get(a) == OK}  # the areas it releases
        w = CHART_WIDTH
        figs = self.figs
        if shown:
            figs["boxes"] = show_figure(self.boxes["boxes"], area_boxes(released, shown, highlight=key,
                                                                        highlight_name=name, lang=lang, width=w + 160),
                                        chart_config(lang, "netwerk"))
        else:  # no empty axes with a message that contradicts the sentence: the sentence itself
            self._nothing_shown("boxes", t("net_boxes_title", lang), sentence)
        if key and not shown:
            self._nothing_shown("percentiles", t("net_percentile_title", lang, school=name), sentence)
        elif key:
            figs["percentiles"] = show_figure(self.boxes["percentiles"], percentile_bars(percentiles(current, key, status),
                                                                                         self.short,
                                                                   school=name, lang=lang, width=w - 20),
                        chart_config(lang, "percentielen"))
        else:
            self.boxes["percentiles"].children = ()
            figs.pop("percentiles", None)
        history = select(data, None, sector, band, scope=scope)
        own = (history[history["key"] == key].set_index(["area_id", "round"])["current"] if key else None)
        figs["trend"] = show_figure(self.boxes["trend"], trend_lines(trend(data, sector, band, scope), self.short, own=own, school=name, lang=lang,
                                                     width=2 * w + 140), chart_config(lang, "trend"))
        if shown:
            figs["heatmap"] = show_figure(self.boxes["heatmap"], school_heatmap(
                heatmap_frame(released, data.schools, key, order=list(shown)), shown, highlight_name=name, lang=lang,
                width=w + 60), chart_config(lang, "heatmap"))
        else:
            self._nothing_shown("heatmap", t("net_heatmap_title", lang), sentence)
        figs["scatter"] = show_figure(self.boxes["scatter"], network_scatter(current, highlight=key, school=name, lang=lang, width=w),
                    chart_config(lang, "investering"))

    def _nothing_shown(self, name: str, title: str, sentence: str) -> None:
        """Instead of the chart ``name``: its title and why nothing is shown (the sentence above the charts)."""
        self.figs.pop(name, None)
        self.boxes[name].children = (W.HTML(
            f"<div class='imw-nothing-shown' style='max-width:{CHART_WIDTH + 60}px;padding:12px;margin:8px 0;"
            f"border:1px dashed #999;color:#333'><b>{html.escape(title)}</b><br>{html.escape(sentence)}</div>"),)

    def export(self, kind: str) -> Path:
        """Write the export ``kind`` (see :func:`imworkbook.api.export_network`) of the group shown, into
        ``<werkmap>/rapporten``, and offer it as a download."""
        sector, band, scope = self._group()
        where = {"round": self.round.value, "sector": sector, "band": band, "scope": scope}
        tables = api.compare(self.data, self.model, **where, lang=self.lang)
        path = api.export_network(tables, kind, **where, report=self.collected, lang=self.lang)
        self.export_msg.value = download_link(path, self.lang, done=t("net_exported", self.lang))
        return path


def shown_sentence(n: int, status: dict[str, str], short: dict[str, str], lang: str) -> str:
    """What the comparison shows of a group of ``n`` schools, as the anonymity rule decided per area (``status``
    from :func:`imworkbook.analysis.network.group_status`), and why the rest is not shown."""
    shown = [a for a in short if status.get(a) == OK]
    withheld = [a for a in short if a in status and status[a] != OK]
    if not n:
        return t("net_shown_empty", lang)
    if not shown:
        key = "net_shown_none_betray" if WOULD_BETRAY in status.values() else "net_shown_none_few"
        return t(key, lang, n=n, min=MIN_GROUP)
    if not withheld:
        return t("net_shown_all", lang, n=n)
    return t("net_shown_some", lang, n=n, k=len(shown), total=len(shown) + len(withheld),
             areas=", ".join(short[a] for a in withheld))


def netwerk(folder: str | Path | None = None, *, lang: str | None = None) -> NetworkApp:
    """Open the facilitator's comparison on ``folder`` (default: the example network in data/)."""
    return NetworkApp(folder, lang=lang)
