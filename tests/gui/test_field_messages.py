"""A field's message says what the field holds now, in the same words for every field, and showing
it moves nothing: a new user's review at 1400x900 (/tmp/revA 21c, 22c, 23c, 30-32)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .test_presentation import _at_size

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _type(qtbot, field, text: str) -> None:
    """Select all of ``field``, type ``text``, press Enter, as a user does."""
    field.window().panels_scroll.reveal(field)
    edit = field.lineEdit()
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _settled(w) -> None:
    """The layouts done: the settings' height fitted to their fields (as its timer does)."""
    for _ in range(3):
        QApplication.processEvents()
        w.settings_height.fit()


def test_a_refused_rate_message_goes_when_the_field_shows_a_valid_rate_again(bare_window, qtbot,
                                                                             wait_run):
    # "abc" in Learning rate, Enter: refused. Then Points changed: the window put the rate that
    # fits the new data back in the field ("5"), and the red "'abc' is not a number" stayed
    # under it, through other edits, until a session was opened.
    w = bare_window
    panel = w.training_panel
    _type(qtbot, panel.lr, "abc")
    assert panel.message.is_error() and "'abc' is not a number" in panel.message.text()
    _type(qtbot, panel.lr, "abc")  # the same again: still said
    assert panel.message.is_error()
    _type(qtbot, w.data_panel.samples, "60")
    wait_run(w)
    assert w.data_panel.samples.value() == 60
    shown = panel.lr.currentText()
    assert float(shown) == panel.lr.value()  # the field holds a valid rate again ...
    assert not panel.message.is_error() and not panel.message.isVisible()  # ... and says so

    # While the field holds the refused text, its message stays, another field's edit or not.
    _type(qtbot, panel.lr, "x1")
    batch = panel.batch.value()
    _type(qtbot, panel.batch, "-5")  # refused too: the latest message shows
    assert panel.batch.value() == batch
    assert panel.message.text().startswith("'-5' is out of range: Batch size takes 0")
    _type(qtbot, panel.batch, "10")  # accepted: its refusal goes
    assert not panel.message.text().startswith("'-5'")
    # (a new batch size may put a fitting rate back in the field: the rate's message goes too)
    assert panel.message.text().startswith("'x1' is not a number") == \
        (panel.lr.currentText() == "x1")
    _type(qtbot, panel.lr, "x1")
    assert panel.message.text().startswith("'x1' is not a number")
    _type(qtbot, panel.lr, "0.5")  # corrected: no message
    assert not panel.message.isVisible()


# Each value is typed into one window, one after another: each case ends with the field's own
# value typed back and no message, as a fresh window starts (a window per value, seven built,
# proved nothing more).
DATA_REFUSALS = [
    ("samples", "-50", "'-50' is out of range: Points takes 4 to 100,000 (it keeps {})."),
    ("samples", "0", "'0' is out of range: Points takes 4 to 100,000 (it keeps {})."),
    ("samples", "999999", "'999999' is out of range: Points takes 4 to 100,000 (it keeps {})."),
    ("seed", "-1", "'-1' is out of range: Seed takes 0 to 2,147,483,647 (it keeps {})."),
    ("noise", "-0.5", "'-0.5' is out of range: Noise takes 0 to 10 (it keeps {})."),
    ("samples", "-", "'-' is not a number: Points takes 4 to 100,000 (it keeps {})."),
    # Letters were dropped as they were typed, without a word (review r5).
    ("samples", "abc", "'abc' is not a number: Points takes 4 to 100,000 (it keeps {})."),
]


def test_every_data_field_refuses_in_the_same_words_and_changes_nothing(bare_window, qtbot):
    # Points "-50" was taken as 50 without a word (Qt dropped the minus sign) while "0" got a
    # range message. Every value out of range is refused, quoted as typed, with the range.
    w = bare_window
    panel = w.data_panel
    for field, typed, words in DATA_REFUSALS:
        f = getattr(panel, field)
        assert not panel.message.isVisible(), typed  # the case before left no message
        before, run = f.value(), w.run_id
        _type(qtbot, f, typed)
        kept = f"{before:,}" if isinstance(before, int) else f"{before:g}"
        assert f.value() == before and f.text() == f.textFromValue(before), typed
        assert panel.message.is_error() and panel.message.text() == words.format(kept), typed
        assert w.run_id == run, typed  # nothing changed
        f.lineEdit().setFocus()  # focus leaving and coming back says nothing new
        assert panel.message.is_error(), typed
        _type(qtbot, f, f.textFromValue(before))  # the value it has, typed: the refusal is over
        assert not panel.message.isVisible() and w.run_id == run, typed


def test_a_layer_width_beyond_the_field_is_quoted_as_typed(bare_window, qtbot):
    # "99999" was cut to 9999 as it was typed, and the message said "not 9999".
    w = bare_window
    row = w.editor.rows[1]
    _type(qtbot, row.width, "99999")
    assert row.width.value() == 10
    assert row.error.text() == "'99999' is out of range: Layer 2 takes 1 to 512 units " \
                               "(it keeps 10)."
    # It said what the last edit did: the next edit, in any panel, takes it away.
    _type(qtbot, w.data_panel.samples, "60")
    assert w.data_panel.samples.value() == 60
    assert not row.error.isVisible()


def test_letters_in_a_whole_number_field_are_refused_with_a_message(bare_window, qtbot):
    # "abc" typed into a layer's width or into Stop at epoch: nothing typed, nothing said,
    # while "-3" or "100000" got a clear message (a keyboard user's review, r5).
    w = bare_window
    row = w.editor.rows[0]
    _type(qtbot, row.width, "abc")
    assert row.width.value() == 4 and row.width.text() == "4"
    assert row.error.is_error() and row.error.text() == (
        "'abc' is not a number: Layer 1 takes 1 to 512 units (it keeps 4).")
    _type(qtbot, row.width, "4")  # the field valid again: the message goes
    assert not row.error.isVisible()
    stop = w.controls.stop_at
    stop.lineEdit().setFocus()
    stop.lineEdit().selectAll()
    qtbot.keyClicks(stop.lineEdit(), "x")
    qtbot.keyClick(stop.lineEdit(), Qt.Key.Key_Return)
    assert stop.value() == 0 and stop.text() == "never"
    assert w.controls.stop_message.text() == "'x' is not a number."
    stop.setValue(300)
    assert not w.controls.stop_message.isVisible()


def test_a_message_moves_no_panel_sideways_and_is_shown_whole(bare_window, qtbot):
    # A refused width under a layer pushed the Network column sideways and the Data panel
    # narrower. (A message takes its lines from the loss chart while it shows: two lines kept
    # for one under the Data and Training fields took 65 px of the chart for good.)
    w = bare_window
    _at_size(w, qtbot, (1400, 900))
    _settled(w)

    def geometry():
        return [(p.x(), p.width()) for p in (w.data_panel, w.training_panel, w.editor)]

    before = geometry()
    _type(qtbot, w.data_panel.samples, "0")
    _type(qtbot, w.training_panel.lr, "abc")
    _type(qtbot, w.editor.rows[0].width, "99999")
    _settled(w)
    for m in (w.data_panel.message, w.training_panel.message, w.editor.rows[0].error):
        assert m.is_error() and m.isVisible()
        assert m.heightForWidth(m.width()) <= m.height()  # shown whole
    assert geometry() == before


def test_a_refusal_and_the_past_rate_note_show_together_without_scrolling_at_1400(
        main_window, qtbot, wait_run):
    # Points refused and a rate set at a past epoch of the timeline: the two messages stack in
    # the settings' left column (Data over Training), 2 and 4 lines. With the multiclass data
    # (its Classes row) the settings at 1400x900 got a scroll bar, the rate note half under
    # it. Both show whole now; the lines come from the loss chart while they show, and go back
    # to it after.
    from PySide6.QtWidgets import QAbstractScrollArea
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    data, training = w.data_panel, w.training_panel
    run = w.run_id
    data.dataset.setCurrentIndex(data.dataset.findData("multiclass"))
    qtbot.waitUntil(lambda: w.run_id != run, timeout=10_000)
    wait_run(w)
    w.step(200)
    wait_run(w, 200)
    w.timeline.slider.setValue(120)
    qtbot.waitUntil(lambda: w.last_snapshot.past and w.last_snapshot.epoch == 120,
                    timeout=60_000)
    _settled(w)
    chart = w.loss_plot.height()
    kept = data.samples.value()
    _type(qtbot, training.lr, "0.0025")
    _type(qtbot, data.samples, "0")
    refusal, note = data.message, training.message
    assert refusal.is_error() and refusal.text().startswith("'0' is out of range: Points")
    assert note.text().startswith("0.0025 applies when training goes on")

    def both_whole() -> None:
        for area in w.panels_scroll.findChildren(QAbstractScrollArea):
            if area.isVisible():
                assert not area.verticalScrollBar().isVisible(), "the settings scroll"
        for m in (refusal, note):
            assert m.isVisible() and m.heightForWidth(m.width()) <= m.height(), m.text()
            assert m.visibleRegion().boundingRect() == m.rect(), m.text()  # nothing cut off
    qtbot.waitUntil(both_whole, timeout=10_000)
    assert w.loss_plot.height() >= 100  # the chart still reads
    # The messages go (the number it keeps typed again; the live end, where the rate
    # applies): the chart has its height back.
    _type(qtbot, data.samples, str(kept))
    w.timeline.go(None)
    qtbot.waitUntil(lambda: not refusal.isVisible() and not note.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: w.loss_plot.height() == chart, timeout=10_000)


def test_a_refused_rate_is_readable_in_the_dark_theme(main_window, qtbot):
    """Reviewer (dark theme, 'abc' in Learning rate): the refused field turned pale pink and kept
    the theme's light grey text, ~1.1:1: what was typed could not be read."""
    import numpy as np
    from nnviz.gui import colors
    from .test_boundary_plot import _pixels
    w = main_window
    w.look_actions[("theme", "dark")].trigger()
    _type(qtbot, w.training_panel.lr, "abc")
    assert "'abc' is not a number" in w.training_panel.message.text()
    edit = w.training_panel.lr.lineEdit()
    edit.deselect()
    px = _pixels(edit).reshape(-1, 3)
    values, counts = np.unique(px, axis=0, return_counts=True)
    ground = values[np.argmax(counts)]
    assert colors.contrast(ground, (253, 231, 233)) < 1.1  # the refusal's pink, ...
    # the text's pixels: what stands out 4.5:1 from the field (a text cursor is ~14 of them)
    ink = sum(int(c) for v, c in zip(values, counts) if colors.contrast(ground, v) >= 4.5)
    assert ink >= 40, ink  # ... and the text typed on it reads


def test_a_list_entrys_description_is_said_from_the_keyboard(bare_window, qtbot):
    """Keyboard newcomer: what "gd", "momentum" or "mse" mean was only in tooltips, shown under
    the mouse. Tabbed into, and arrowed through when open, a list says its entry's."""
    from nnviz.core.training import OPTIMIZERS
    w = bare_window
    box = w.training_panel.optimizer
    w.panels_scroll.reveal(box)
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus)
    assert w.statusBar().currentMessage() == f"gd: {OPTIMIZERS['gd']}"
    box.showPopup()
    qtbot.waitUntil(box.view().isVisible)
    qtbot.keyClick(box.view(), Qt.Key.Key_Down)
    entry = box.itemText(box.view().currentIndex().row())
    assert entry != "gd" and w.statusBar().currentMessage() == f"{entry}: {OPTIMIZERS[entry]}"
    box.hidePopup()
    assert box.currentText() == "gd"  # arrowing through the open list chose nothing


def test_stop_at_epochs_refusal_keeps_its_title_and_goes_when_training_starts(
        bare_window, qtbot, wait_run):
    """"abc" + Enter in Stop at epoch: the field went back to 3,000 and red "'abc' is not a
    number." took the place of its title "Stop at epoch", and stayed through a click on the
    plot and Step, about a value the field no longer held (r19 #17). The title stays; the
    refusal is said beside the field, and goes as a refused batch size's does (the next edit)
    and when training starts."""
    from PySide6.QtWidgets import QLabel
    w = bare_window
    _at_size(w, qtbot, (1400, 900))
    wait_run(w)
    bar, stop, message = w.controls, w.controls.stop_at, w.controls.stop_message
    [title] = [t for t in bar.findChildren(QLabel) if t.text() == "Stop at epoch"]
    w.set_stop_at(3000)
    QApplication.processEvents()
    height = bar.height()

    def refuse() -> None:
        stop.lineEdit().setFocus()
        stop.lineEdit().selectAll()
        qtbot.keyClicks(stop.lineEdit(), "abc")
        qtbot.keyClick(stop.lineEdit(), Qt.Key.Key_Return)
        qtbot.waitUntil(message.isVisible)

    refuse()
    assert stop.text() == "3,000" and message.text() == "'abc' is not a number."
    assert title.isVisible() and title.text() == "Stop at epoch"  # the field keeps its name
    QApplication.processEvents()
    assert bar.height() == height
    assert message.geometry().left() >= stop.geometry().right()  # beside the field
    assert message.shown_text() == message.text()  # whole, at 1400
    # Step: training starts at the stop in use, and the refusal about "abc" goes.
    run, epoch = w.run_id, w.last_snapshot.epoch
    qtbot.mouseClick(bar.step, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not message.isVisible())
    wait_run(w, epoch + 1)
    assert title.isVisible() and stop.text() == "3,000" and w.stop_at() == 3000
    # Play too; and the next edit, as for every field's refusal.
    refuse()
    qtbot.mouseClick(bar.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not message.isVisible())
    w.pause()
    refuse()
    _type(qtbot, w.data_panel.samples, "60")
    qtbot.waitUntil(lambda: not message.isVisible())
    assert title.isVisible()
