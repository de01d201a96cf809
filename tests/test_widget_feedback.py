"""The shared feedback of every app (widgets/common.py): the outcome of the last action only."""

import ipywidgets as W

from imworkbook.widgets.common import AppBase, FieldError


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
