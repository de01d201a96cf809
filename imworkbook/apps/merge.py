"""Werkboek 7: merge the answers of several raters of one school into the school's answer."""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

import ipywidgets as W

from imworkbook import api
from imworkbook.analysis.merge import Rater, compare, rater_label
from imworkbook.apps.base import EMPTY, AppBase
from imworkbook.apps.feedback import paragraphs
from imworkbook.apps.style import CSS
from imworkbook.apps.questionnaire import _level_options
from imworkbook.base import paths
from imworkbook.base.i18n import t
from imworkbook.base.preferences import language
from imworkbook.io.reading import load_answers
from imworkbook.io.workspace import EXAMPLES_SUBFOLDER, examples_dir, list_schools
from imworkbook.model.answers import school_identity
from imworkbook.model.content import MaturityModel, load_model, load_rater_roles


def rater_groups(folder: Path, model: MaturityModel) -> dict[str, list[Path]]:
    """Files in the werkmap per school and round, where at least two exist and one has a rater role."""
    schools, _problems = list_schools(folder, model)
    groups: dict[tuple[str, str], list] = {}
    for s in schools:
        key = (school_identity(s.code, s.name, s.location), s.round)
        groups.setdefault(key, []).append(s)
    out = {}
    for files in groups.values():
        raters = [f for f in files if f.rater]
        if len(raters) >= 2:
            first = raters[0]
            out[f"{first.name} · {first.round}"] = sorted(f.path for f in raters)
    return out


class MergeApp(AppBase):
    def __init__(self, folder: str | Path | None = None, *, lang: str | None = None,
                 model: MaturityModel | None = None):
        self.lang = lang = language(lang)
        self.model = model or load_model()
        self.roles = load_rater_roles()
        self.folder = Path(folder) if folder is not None else paths.answers_dir()
        self._init_messages()
        self.raters: list[Rater] = []
        self.table = None
        self.pickers: dict[tuple[str, str], W.Dropdown] = {}
        self.saved: Path | None = None
        st = {"description_width": "initial"}
        self.group = W.Dropdown(description=t("merge_pick", lang), style=st, layout=W.Layout(width="520px"))
        self.group.observe(self._guard(lambda _c: self.show_group()), names="value")
        self.example_button = W.Button(description=t("merge_example", lang), layout=W.Layout(width="auto"))
        self.example_msg = W.HTML()  # the outcome of trying the example, beside its button
        self.example_button.on_click(self._guard(lambda _b: self.add_example(), where=self.example_msg))
        self.files = W.VBox()
        self.summary = W.HTML()
        self.items = W.VBox()
        self.overwrite = W.Checkbox(description=t("merge_overwrite", lang), indent=False, layout=W.Layout(width="auto"))
        self.save_button = W.Button(description=t("merge_save", lang), button_style="primary", disabled=True,
                                    layout=W.Layout(width="auto"))
        self.result = W.HTML()  # the outcome of Save, beside the button (not in the banner at the top)
        self.save_button.on_click(self._guard(lambda _b: self.save(), where=self.result))
        self.status = W.HTML()
        self.widget = W.VBox([
            W.HTML(CSS), W.HBox([self.group, self.example_button], layout=W.Layout(flex_flow="row wrap")),
            self.example_msg,
            self.messages, self.files, self.summary, self.items,
            W.HBox([self.save_button, self.overwrite], layout=W.Layout(align_items="center")), self.result,
        ], layout=W.Layout(width="100%"))
        self.widget.add_class("imw-app")
        self.refresh()
        self._framed("intro_merge")

    def _rebuild(self, lang: str) -> None:
        chosen = self.group.value
        MergeApp.__init__(self, self.folder, lang=lang, model=self.model)
        if chosen in [v for _, v in self.group.options]:
            self.group.value = chosen

    def resync(self) -> None:
        pass

    # choosing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        examples = self.folder / EXAMPLES_SUBFOLDER  # the example raters (add_example): never collected
        self.groups = rater_groups(examples, self.model) if examples.exists() else {}
        self.groups.update(rater_groups(self.folder, self.model) if self.folder.exists() else {})
        options = [(t("merge_pick_placeholder", self.lang), EMPTY)] + [(label, label) for label in self.groups]
        self.group.options = options
        if len(self.groups) == 1:
            self.group.value = next(iter(self.groups))
        if not self.groups:
            self.summary.value = f"<div class='imw-help'>{paragraphs(t('merge_empty', self.lang))}</div>"

    def add_example(self) -> None:
        """Copy the example of three raters (De Regenboog) into ``<werkmap>/antwoorden/voorbeelden/``, to try the
        merge; their merge is saved there too (over your copy of the example school), so it is never collected."""
        folder = self.folder / EXAMPLES_SUBFOLDER
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted((examples_dir() / "invullers").glob("*.json")):
            target = folder / path.name
            if not target.exists():
                shutil.copy2(path, target)
        self.refresh()
        first = next((label for label in self.groups if label.startswith("De Regenboog")), None)
        if first:
            self.group.value = first

    def show_group(self) -> None:
        self.result.value = ""
        self.items.children = ()
        self.save_button.disabled = True
        paths_ = self.groups.get(self.group.value)
        if not paths_:
            self.files.children = ()
            return
        self.raters = []
        for path in paths_:
            answers = load_answers(path, self.model).answers
            self.raters.append(Rater(rater_label(answers, path.name, self.roles, self.lang), answers))
        self.checks = [W.Checkbox(value=True, description=f"{r.label} ({p.name})", indent=False,
                                  layout=W.Layout(width="auto"))
                       for r, p in zip(self.raters, paths_)]
        for box in self.checks:
            box.observe(self._guard(lambda _c: self.show_comparison()), names="value")
        self.files.children = [W.HTML(f"<b>{html.escape(t('merge_raters', self.lang))}</b>"), *self.checks]
        self.show_comparison()

    def chosen_raters(self) -> list[Rater]:
        return [r for r, box in zip(self.raters, self.checks) if box.value]

    # comparing -------------------------------------------------------------------------------
    def show_comparison(self) -> None:
        raters = self.chosen_raters()
        self.pickers = {}
        self.save_button.disabled = len(raters) < 2
        if len(raters) < 2:
            self.items.children = ()
            self.summary.value = f"<p>{html.escape(t('merge_need_two', self.lang))}</p>"
            return
        self.table = table = compare(raters, self.model, self.roles)
        disagree = table[table["disagree"]]
        options = _level_options(self.model, self.lang)
        rows = []
        for item_id, row in disagree.iterrows():
            item = self.model.item(item_id)
            cells = "".join(
                f"<tr><td>{html.escape(r.label)}</td><td>{_text(row[f'current:{r.label}'], self.lang)}</td>"
                f"<td>{_text(row[f'target:{r.label}'], self.lang)}</td></tr>" for r in raters)
            head = W.HTML(f"<div class='imw-q'>{html.escape(item.question(self.lang))}</div>"
                          f"<table class='imw-merge'><tr><th>{html.escape(t('merge_rater', self.lang))}</th>"
                          f"<th>{html.escape(t('label_current', self.lang))}</th>"
                          f"<th>{html.escape(t('label_target', self.lang))}</th></tr>{cells}</table>")
            pick = {}
            for which, label in (("current", "merge_choose_current"), ("target", "merge_choose_target")):
                value = row[f"proposal_{which}"]
                values = [v for _, v in options]
                where = f'<span class="imw-sr-only"> — {html.escape(item.question(self.lang))}</span>'  # which item
                pick[which] = W.Dropdown(options=options, value=value if value in values else EMPTY,
                                         description=html.escape(t(label, self.lang)) + where,
                                         description_allow_html=True, style={"description_width": "initial"},
                                         layout=W.Layout(width="300px"))
                self.pickers[(item_id, which)] = pick[which]
            rows.append(W.VBox([head, W.HBox([pick["current"], pick["target"]])],
                               layout=W.Layout(border="1px solid #E69F00", padding="6px 10px", margin="6px 0")))
        self.items.children = rows
        # the summary last: when it shows the new numbers, the choices below belong to them too
        self.summary.value = "<p>" + t("merge_summary", self.lang, n=len(raters), items=len(table),
                                        disagree=len(disagree), gap=self.roles.disagreement) + "</p>"

    def choices(self) -> dict[tuple[str, str], Any]:
        return {key: (None if d.value == EMPTY else d.value) for key, d in self.pickers.items()}

    # saving -------------------------------------------------------------------------------------
    def save(self) -> Path:
        raters = self.chosen_raters()
        folder = Path(self.groups[self.group.value][0]).parent  # beside the raters' files (examples: voorbeelden/)
        path = api.merged_path(raters, folder)
        if path.exists() and not self.overwrite.value:
            raise FileExistsError(t("merge_exists", self.lang, name=path.name))
        saved = api.merge(raters, path, self.model, overwrite=True, choices=self.choices(), roles=self.roles,
                          lang=self.lang)
        self.saved = path
        text = t("merge_saved", self.lang, name=path.name)
        if saved.backup:
            text += " " + t("merge_backup", self.lang, name=saved.backup.name)
        self.show_done(self.result, text)
        return path


def _text(value: Any, lang: str) -> str:
    if value is None or value != value:
        return "–"
    return html.escape(t(value, lang) if value in ("weet_niet", "nvt") else str(value))


def samenvoegen(folder: str | Path | None = None, *, lang: str | None = None) -> MergeApp:
    """Open werkboek 7: merge several raters of one school (from the werkmap)."""
    return MergeApp(folder, lang=lang)
