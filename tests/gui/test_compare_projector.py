"""The Compare tab on a projector (1024 x 768, presentation mode), as review r25 found it: a
sweep without test points showed two columns of "n/a" and hid its training accuracy (F2); the
sweep's two-line status message was painted over by the score plot (F4); while a sweep
compiled, the tab said both "Compiling a sweep..." and "No sweep yet" (F10)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import FIRST_SNAPSHOT_MS

from .test_compare_layout import _cells_whole

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _on_a_projector(qtbot, w) -> None:
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: (w.width(), w.height()) == (1024, 768), timeout=5000)
    w.set_presentation(True)
    w.show_view("compare")


def _activations_at_epoch_20(qtbot, w):
    """Lesson 4's Activations sweep on a projector, trained 20 epochs, its table sized: the
    Compare view."""
    _on_a_projector(qtbot, w)
    view = w._inspection_views["compare"]
    view.start_ready("activations")
    w.step(20)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 20
                    and view.table._sized, timeout=FIRST_SNAPSHOT_MS)
    return view


def _at_epoch_5(qtbot, w, view) -> None:
    """The sweep just started stepped to epoch 5 and drawn there, its table sized."""
    w.step(5)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == 5 and view.table._sized, timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()


def _shown_columns(table) -> list[str]:
    header, model = table.horizontalHeader(), table.model()
    return [" ".join(str(model.headerData(c, Qt.Orientation.Horizontal) or "").split())
            for c in range(header.count()) if not header.isSectionHidden(c)]


def test_a_sweep_without_test_points_shows_its_training_accuracy_not_n_a(qtbot, main_window):
    """Lesson 4's Activations sweep (the notebook's 200 points, none held out) at 1024 x 768
    in presentation mode: the table read activation | train loss | test loss | test acc.,
    every test cell "n/a", and no accuracy at all."""
    w = main_window
    view = _activations_at_epoch_20(qtbot, w)
    QApplication.processEvents()
    shown = _shown_columns(view.table)
    assert "train acc." in shown, shown
    assert not any(t.startswith("test") for t in shown), shown
    model = view.table.model()
    cells = [str(model.index(r, c).data() or "") for r in range(model.rowCount())
             for c in range(model.columnCount())
             if not view.table.horizontalHeader().isSectionHidden(c)]
    assert "n/a" not in cells, cells
    header = view.table.horizontalHeader()
    acc = next(c for c in range(header.count())
               if str(model.headerData(c, Qt.Orientation.Horizontal)).split() == ["train", "acc."])
    assert all(model.index(r, acc).data().endswith("%") for r in range(model.rowCount()))
    # A sweep with test points keeps its test columns.
    view.start_ready("lr")
    _at_epoch_5(qtbot, w, view)
    shown = _shown_columns(view.table)
    assert "test loss" in shown and "test acc." in shown, shown


def test_the_width_sweep_shows_its_training_accuracy_on_a_projector(qtbot, main_window):
    """`nnviz --presentation --sweep width` at 1024 x 768: the table read widths | train loss |
    test loss | test acc., its training accuracy left out for want of room, though whether a
    width can fit its training points is the sweep's question. A sweep over the width now
    leaves out the training loss (the score plot's dots beside it) instead; every column
    shown is whole, and the lr sweep still leaves out its training accuracy first."""
    w = main_window
    _on_a_projector(qtbot, w)
    view = w._inspection_views["compare"]
    view.start_ready("width")
    _at_epoch_5(qtbot, w, view)
    shown = _shown_columns(view.table)
    assert "train acc." in shown and "test acc." in shown and "test loss" in shown, shown
    assert _cells_whole(view.table) == []
    assert view.table.horizontalScrollBar().maximum() == 0  # no column a scroll away
    view.start_ready("lr")
    _at_epoch_5(qtbot, w, view)
    assert "train loss" in _shown_columns(view.table)


def _message_hidden(w) -> list[str]:
    """The points of the status message's words (each line, every 10 px along it) where
    something else than the message is on top."""
    bar = w.statusBar()
    lines = bar.displayed_message().split("\n")
    fm = bar.fontMetrics()
    room = bar.message_rect()
    over = bar.overhang()
    if len(lines) > 1 and over is None:
        return ["no overhang for a message of two lines"]
    widget = over if len(lines) > 1 else bar
    top = (widget.height() - len(lines) * fm.lineSpacing()) // 2
    hidden = []
    for i, line in enumerate(lines):
        y = top + i * fm.lineSpacing() + fm.lineSpacing() // 2
        for x in range(room.left() + 2, room.left() + fm.horizontalAdvance(line) - 1, 10):
            at = widget.mapTo(w, QPoint(x, y))
            if w.childAt(at) is not widget:
                hidden.append(f"{line!r} at {x}: {type(w.childAt(at)).__name__}")
    return hidden


def test_the_sweeps_two_line_message_is_not_painted_over_on_a_projector(qtbot, main_window):
    """Lessons -> 4 -> Try it live at 1024 x 768 in presentation mode: the status message
    "Sweep "Activations": Play (Space) trains it to epoch 2,000, where the answer shows." read
    "...epoch 2,00(" / "shows.", the score plot over its middle. It was fitted to the room
    beside the run's status when it came; the status then said "compiling the sweep..." and
    the message, on two lines in less room, had no line over the window's edge (or one of
    the width before). The sentence is now the banner's over the tab alone (the status bar
    repeated it); a status message that long still reads whole beside the sweep."""
    w = main_window
    _on_a_projector(qtbot, w)
    w.show_view("lessons")
    lessons = w._inspection_views["lessons"]
    lessons.show_lesson("activations")
    button = lessons.pages["activations"].try_button
    qtbot.waitUntil(button.isVisible, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    bar, status = w.statusBar(), w.controls.status
    # Said once, over the tab: the status bar said the same sentence below it.
    message = w.hint.text()
    assert message.startswith("Sweep \u201cActivations\u201d") and w.hint.isVisible()
    assert bar.currentMessage() != message
    qtbot.waitUntil(lambda: status.text() != "", timeout=5000)  # the worker's news beside it
    # The sweep drawn beside the status bar (the score plot, where a two-line message was
    # painted over), and a message that long there: whole, whatever the status says.
    view = w._inspection_views["compare"]
    qtbot.waitUntil(lambda: view.score_plot.isVisible(), timeout=FIRST_SNAPSHOT_MS)
    for note in ("compiling the sweep...", "sweep compiled in 1.7 s", ""):
        bar.showMessage(message, 60_000)
        status.setText(note)
        qtbot.waitUntil(lambda: bar.displayed_message().replace("\n", " ") == message
                        and _message_hidden(w) == [], timeout=5000)


def test_a_compiling_sweep_does_not_say_there_is_no_sweep(qtbot, main_window):
    """`nnviz --sweep activations`: the header said "Compiling a sweep of 5 members..." and
    the body below it "No sweep yet. Pick a ready-made sweep on the left..." at once."""
    w = main_window
    _on_a_projector(qtbot, w)
    view = w._inspection_views["compare"]
    view.start_ready("activations")
    assert view.title.text().startswith("Compiling a sweep of 5 members")
    QApplication.processEvents()
    assert not (view.empty.isVisible() and "No sweep yet" in view.empty.text())
    assert view.empty.isVisible() and "ompiling" in view.empty.text()
    w.step(2)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 2
                    and view.table.isVisible(), timeout=FIRST_SNAPSHOT_MS)
    assert not view.empty.isVisible()
    view.end_sweep()
    qtbot.waitUntil(lambda: view.empty.isVisible() and "No sweep yet" in view.empty.text(),
                    timeout=5000)


def test_a_new_sweep_compiling_leaves_no_numbers_of_the_last_one(qtbot, main_window):
    """Lesson 4's Activations sweep trained, then New sweep -> Learning rate: the header read
    "Compiling a sweep of 7 members..." over the Activations sweep's table ("as of epoch") and
    tiles, as if they were the new sweep's (review r26 F3). The body says the new one
    compiles, and its own numbers come with its first epoch."""
    w = main_window
    _on_a_projector(qtbot, w)
    view = w._inspection_views["compare"]
    view.start_ready("activations")
    w.step(20)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 20
                    and view.table.isVisible() and view.table.model().rowCount() == 5,
                    timeout=FIRST_SNAPSHOT_MS)
    view.start_ready("lr")  # (checked before the new sweep's first frame can come)
    assert view.title.text().startswith("Compiling a sweep of 7 members")
    assert not view.table.isVisible() and view.table.model().rowCount() == 0
    assert not view.tiles.isVisible() and view.tiles.n == 0
    assert view.empty.isVisible() and "Compiling a sweep of 7 members" in view.empty.text()
    assert not view.promote_button.isEnabled() and not view.beside_button.isEnabled()
    w.step(5)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.sweep_id == view.sweep_id
                    and view.drawn.epoch == 5 and view.table.isVisible(),
                    timeout=FIRST_SNAPSHOT_MS)
    assert view.table.model().rowCount() == 7 and not view.empty.isVisible()


def test_the_loss_chart_before_the_first_epoch_says_what_comes_not_empty_axes(qtbot,
                                                                             main_window):
    """Lessons -> 4 -> Try it live, before Play: the empty log-scale loss chart's axis read
    "5" and "2" beside epochs 1-9, numbers of nothing (review r26 F5). It says what comes
    there, in the mode's size; the first epoch brings the axes and the curves."""
    from .test_views_helpers import axis_texts
    w = main_window
    _on_a_projector(qtbot, w)
    view = w._inspection_views["compare"]
    view.start_ready("activations")
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 0
                    and view.curves.isVisible(), timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()
    pi = view.curves.getPlotItem()

    def numbers() -> list[str]:
        return [text for side in ("left", "bottom") if pi.getAxis(side).isVisible()
                for _, _, text in axis_texts(pi.getAxis(side)) if text.strip()]
    assert numbers() == [], numbers()
    waiting = view.curves.waiting
    assert waiting.isVisible() and "training loss appears here" in waiting.toPlainText()
    # in presentation mode's size, as the table's text beside it; inside the plot's width
    assert waiting.textItem.font().pointSizeF() >= 0.9 * view.table.font().pointSizeF()
    assert waiting.textItem.boundingRect().width() <= view.curves.width()
    w.step(5)
    qtbot.waitUntil(lambda: view.drawn is not None and view.drawn.epoch == 5,
                    timeout=FIRST_SNAPSHOT_MS)
    QApplication.processEvents()
    assert not waiting.isVisible()
    left = [text for _, _, text in axis_texts(pi.getAxis("left")) if text.strip()]
    assert pi.getAxis("left").isVisible() and left, left


def test_the_tiles_of_one_grid_are_named_in_one_form(qtbot, main_window):
    """The Activations sweep with New sweep open (tiles narrower): the top row read "sigmoid",
    "softmax", "★ tanh" and the second "activation cos", "activation relu", each label in
    the longest form its own tile fitted (review r26 F4). A grid's labels take one form."""
    w = main_window
    view = _activations_at_epoch_20(qtbot, w)
    if not view.panel.isVisible():
        view.panel_toggle.click()  # New sweep open: the tiles as the reviewer had them
    tiles = view.tiles

    def shown() -> list[str]:
        QApplication.processEvents()
        tiles.fit_labels()  # what the zero timer after a resize does, done now
        return [t.textItem.toPlainText().replace("\u2605 ", "") for t in tiles.labels]
    qtbot.waitUntil(lambda: tiles.n == 5 and view.panel.isVisible(), timeout=5000)
    names = shown()
    assert sorted(n.removeprefix("activation ") for n in names) == \
        ["cos", "relu", "sigmoid", "softmax", "tanh"], names
    full = [n.startswith("activation ") for n in names]
    assert all(full) or not any(full), names
    # wide tiles: the full form for every one
    view.panel_toggle.click()
    w.set_presentation(False)
    w.resize(1600, 1000)
    qtbot.waitUntil(lambda: all(n.startswith("activation ") for n in shown()), timeout=5000)
