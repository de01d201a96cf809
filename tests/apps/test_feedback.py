"""The shared feedback of every app (imworkbook/apps/feedback.py): the outcome of the last action only."""

import ipywidgets as W

from imworkbook.apps.base import AppBase

from imworkbook.apps.feedback import FieldError


class Tiny(AppBase):
    """An app with one field, one button and a place beside it; resync counts."""

    def __init__(self):
        self.lang = "nl"
        self._init_messages()
        self.resyncs = 0
        self.field, self.field_msg, self.beside = W.Text(), W.HTML(), W.HTML()
        self.inner = W.Text()
        self.inner.observe(self._guard(self._inner), names="value")

    def resync(self):
        self.resyncs += 1

    def _inner(self, change):
        if change["new"] == "kapot":
            raise ValueError("binnenin mislukt")

    def act(self, outcome):
        if outcome == "field":
            raise FieldError("geen getal: 'x'", self.field, self.field_msg)
        if outcome == "error":
            raise OSError("schijf vol")
        if outcome == "nested":
            self.inner.value = "kapot"  # a value set in code fires a guarded observer that fails
        self.beside.value = "<span class='imw-status'>✓ Klaar.</span>"


def test_an_error_beside_the_button_goes_at_the_next_success_and_a_field_error_keeps_the_input():
    app = Tiny()
    press = app._guard(app.act, where=app.beside)
    press("error")
    assert "schijf vol" in app.beside.value and 'role="alert"' in app.beside.value and app.messages.value == ""
    assert app.resyncs == 1
    press("ok")
    assert app.beside.value == "<span class='imw-status'>✓ Klaar.</span>" and not app.errors
    press("field")
    assert "imw-bad" in app.field._dom_classes and "geen getal" in app.field_msg.value
    assert app.resyncs == 1  # a refused field value puts nothing back: what was typed stays
    assert "Niet opgeslagen" in app.beside.value and "✓" not in app.beside.value  # no stale success beside it
    assert "Klaar" not in app.beside.value


def test_a_nested_failure_counts_for_the_outer_action():
    app = Tiny()
    press = app._guard(app.act)
    press("nested")
    assert "binnenin mislukt" in app.messages.value and app.errors  # not cleared by the outer callback's end
    press("ok")
    assert app.messages.value == "" and not app.errors


# the apps themselves: an error is said beside the control used, and the next success takes it away --------------

def _disk_full(monkeypatch):
    import os

    from imworkbook.base import storage

    def refuse(*args, **kwargs):
        raise OSError(28, os.strerror(28))
    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    return lambda: monkeypatch.undo()


def test_werkboek_1_a_failed_save_is_said_at_the_item_and_gone_after_the_next_answer(tmp_path, monkeypatch, model):
    from imworkbook.apps.questionnaire import vragenlijst

    app = vragenlijst("po", folder=tmp_path)
    first, second = (app.cards[i.id] for i in model.areas[0].items[:2])
    healed = _disk_full(monkeypatch)
    first.current.value = 1 if first.current.value != 1 else 2
    assert "de schijf is vol" in first.msg.value and 'role="alert"' in first.msg.value
    assert app.messages.value == "" and second.msg.value == ""  # not at the top of the page, not elsewhere
    healed()
    second.current.value = 1 if second.current.value != 1 else 2
    assert first.msg.value == "" and not app.errors and "✓" in app.status.value


def test_werkboek_2_a_failed_save_is_said_in_its_area(tmp_path, monkeypatch):
    from imworkbook.apps.investment import verhouding

    app = verhouding("po", folder=tmp_path)
    form = next(iter(app.forms.values()))
    healed = _disk_full(monkeypatch)
    form.note.value = "besproken"
    assert "de schijf is vol" in form.msg.value and app.messages.value == ""
    healed()
    form.note.value = "besproken in het MT"
    assert form.msg.value == "" and not app.errors


def test_werkboek_6_a_failed_save_is_said_under_the_table_and_gone_after_the_next(tmp_path, monkeypatch):
    from imworkbook.apps.roles import rollen

    app = rollen("po", folder=tmp_path)
    cells = list(app.cells.values())
    healed = _disk_full(monkeypatch)
    cells[0].value = "R" if cells[0].value != "R" else "C"
    assert "de schijf is vol" in app.raci_msg.value and app.messages.value == ""
    healed()
    cells[1].value = "I" if cells[1].value != "I" else "C"
    assert app.raci_msg.value == "" and not app.errors


def test_werkboek_7_each_message_beside_its_button_and_gone_after_the_next_success(tmp_path, monkeypatch):
    import shutil

    from imworkbook.apps.merge import MergeApp

    app = MergeApp(tmp_path)
    healed = _disk_full(monkeypatch)

    def no_copy(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(shutil, "copy2", no_copy)
    app.example_button.click()
    assert "de schijf is vol" in app.example_msg.value and app.messages.value == "" and app.result.value == ""
    healed()
    app.example_button.click()  # now it works: the example's raters are there and the message is gone
    assert app.example_msg.value == "" and app.group.value and not app.save_button.disabled
    app.save_button.click()
    assert "✓" in app.result.value and 'role="status"' in app.result.value
    app.save_button.click()  # the merged file exists now and overwrite is off: refused, beside Save
    assert "imw-msg-error" in app.result.value and "✓" not in app.result.value and app.messages.value == ""
    app.overwrite.value = True
    app.save_button.click()
    assert "✓" in app.result.value and not app.errors


def test_after_trying_the_werkboek_7_example_werkboeken_1_to_6_open_your_own_school(tmp_path, model):
    from imworkbook.apps.investment import verhouding
    from imworkbook.apps.merge import MergeApp
    from imworkbook.apps.questionnaire import vragenlijst
    from imworkbook.apps.roles import rollen
    from imworkbook.io.session import Session

    own = Session.create("Onze School", "po", "2026-2027", folder=tmp_path, model=model)
    merge = MergeApp(tmp_path)
    merge.example_button.click()
    merge.overwrite.value = True
    merge.save_button.click()  # the example's merge is now the newest file in the werkmap
    assert "✓" in merge.result.value
    for open_app in (vragenlijst, verhouding, rollen):
        assert open_app(folder=tmp_path).session.path == own.path
    first_time = tmp_path / "leeg"  # without a school of your own, the example you tried last opens
    MergeApp(first_time).example_button.click()
    assert vragenlijst(folder=first_time).session.answers.school.name == "De Regenboog"
