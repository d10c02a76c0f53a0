"""The settings at a projector's 1024x768: every group (the data, the training, the network)
in sight or one labelled tab away, none below the fold; side by side at 1400x900 as before; and
a window resized between the two keeps what was typed, and the keyboard where it was."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QTabBar

from .test_presentation import _at_size, layout_problems

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _in_sight(widget) -> bool:
    """Shown whole on the screen: not on a hidden tab, not scrolled or clipped away, inside
    the window."""
    window = widget.window()
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return widget.isVisible() and window.rect().contains(rect) \
        and widget.visibleRegion().boundingRect() == widget.rect()


def _groups(w) -> dict:
    """A field of each settings group, by the name the user reads: the data set's list, the
    loss, and the architecture editor's "+ Add layer"."""
    assert w.editor.add.text() == "+ Add layer"
    return {"Data": w.data_panel.dataset, "Training": w.training_panel.loss,
            "Network": w.editor.add}


def _tab(w, name: str) -> tuple[QTabBar, int] | None:
    """The settings' tab called ``name`` whose label is in sight, if there is one."""
    for bar in w.panels_scroll.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.tabText(i).removesuffix(" \u2022") == name and bar.isTabVisible(i) \
                    and _in_sight(bar) and bar.rect().contains(bar.tabRect(i)):
                return bar, i
    return None


def _no_settings_scrollbar(w) -> None:
    for area in w.panels_scroll.findChildren(QAbstractScrollArea):
        if area.isVisible():
            assert not area.verticalScrollBar().isVisible(), "the settings scroll"


def test_every_settings_group_is_in_sight_or_one_labelled_tab_away_at_1024(main_window,
                                                                           qtbot):
    # One column under the other, the architecture editor (the app's centrepiece) was below
    # the fold of a scroll area at 1024x768: nothing on screen said it was there.
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    groups = _groups(w)

    def at_a_glance() -> None:  # before any click: each group shown, or its tab's name
        for name, field in groups.items():
            assert _in_sight(field) or _tab(w, name) is not None, name
        _no_settings_scrollbar(w)
    qtbot.waitUntil(at_a_glance, timeout=10_000)
    assert not all(_in_sight(f) for f in groups.values())  # (the tabs, not a squeeze)
    for name, field in groups.items():  # and a click brings each whole into view
        if not _in_sight(field):
            bar, i = _tab(w, name)
            qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
        # (the pane grows to the tab's fields as it comes in front: the scroll bar its page
        # showed at the last tab's height goes at the next pass)
        qtbot.waitUntil(lambda: _in_sight(field) and _no_settings_scrollbar(w) is None,
                        timeout=5_000)
        assert layout_problems(w) == [], name


def test_the_settings_stay_side_by_side_at_1400(main_window, qtbot):
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    groups = _groups(w)

    def side_by_side() -> None:
        assert all(_in_sight(f) for f in groups.values())
        assert not any(_tab(w, name) for name in groups)  # no tabs: all of it at once
        left = {k: p.mapTo(w, QPoint(0, 0)).x() for k, p in
                (("data", w.data_panel), ("training", w.training_panel), ("network", w.editor))}
        assert left["data"] == left["training"] < left["network"], left
        assert w.data_panel.title() == "Data" and w.editor.title() == "Network"
        _no_settings_scrollbar(w)
    qtbot.waitUntil(side_by_side, timeout=10_000)


def test_resizing_between_1024_and_1400_keeps_what_was_typed(main_window, qtbot):
    # The Data field typed in is the seed: a new seed makes new points of the same shapes, so
    # entering it compiles nothing (the points field's 3,210 compiled a model that only the
    # window's closing waited for). The width typed, 9, makes the (9, 10, 4) network that
    # test_session_actions' keyboard undo and test_main_window compile on the same data.
    w = main_window
    _at_size(w, qtbot, (1400, 900))
    seed = w.data_panel.seed
    width = w.editor.rows[0].width  # the first hidden layer's units
    qtbot.waitUntil(lambda: _in_sight(seed) and _in_sight(width), timeout=10_000)
    assert seed.value() != 3210 and width.value() != 9

    seed.setFocus()
    seed.selectAll()
    qtbot.keyClicks(seed, "321")  # typed, not yet entered
    _at_size(w, qtbot, (1024, 768))
    # the field typed in stays in front, with the keyboard and its text
    qtbot.waitUntil(lambda: _tab(w, "Network") is not None and _in_sight(seed), timeout=10_000)
    assert seed.text() == "321" and seed.hasFocus()
    qtbot.keyClicks(seed, "0")
    assert seed.text() == "3210"

    bar, i = _tab(w, "Network")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    qtbot.waitUntil(lambda: _in_sight(width), timeout=5_000)
    width.setFocus()
    width.selectAll()
    qtbot.keyClicks(width, "9")
    _at_size(w, qtbot, (1400, 900))  # back side by side: both values there
    qtbot.waitUntil(lambda: _in_sight(seed) and _in_sight(width) and _tab(w, "Network") is None,
                    timeout=10_000)
    assert width.text() == "9" and width.hasFocus()
    assert seed.value() == 3210
    qtbot.keyClick(width, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.editor.draft().hidden[0] == 9, timeout=5_000)

    # The keyboard elsewhere: narrow again, the tab chosen last (Network) is in front.
    w.log_scale.setFocus()
    _at_size(w, qtbot, (1024, 768))
    qtbot.waitUntil(lambda: _tab(w, "Data") is not None and _in_sight(width)
                    and not _in_sight(seed), timeout=10_000)
    assert seed.value() == 3210 and width.value() == 9


def test_a_note_on_a_tab_behind_marks_its_tab(main_window, qtbot, wait_run):
    # New data (on the Data tab) starts a fresh model, and the Network's note says so: on the
    # tab behind, out of sight, but for the mark on its name.
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    noise = w.data_panel.noise
    qtbot.waitUntil(lambda: _in_sight(noise), timeout=10_000)
    bar, i = _tab(w, "Network")
    assert bar.tabText(i) == "Network"  # nothing to say yet
    noise.setValue(0.2)
    note = w.editor.note
    said = note.text()
    assert "starts at epoch 0" in said and not _in_sight(note)
    assert bar.tabText(i) == "Network \u2022" and said in bar.tabToolTip(i)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    qtbot.waitUntil(lambda: _in_sight(note), timeout=5_000)
    wait_run(w)
    w.step(10)  # the model no longer at epoch 0: the note goes, and the mark with it
    wait_run(w, 10)
    qtbot.waitUntil(lambda: bar.tabText(i) == "Network" and said not in bar.tabToolTip(i),
                    timeout=5_000)


@pytest.mark.parametrize("presentation", [False, True], ids=["normal", "presentation"])
def test_play_tells_of_a_refused_width_out_of_sight(main_window, qtbot, presentation):
    # A refusal on the Network tab behind the Data tab, or with the settings folded away in
    # presentation mode: Play trains the last valid network, and the status bar says so (it
    # said nothing: the refusal counted only while on screen).
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    row = w.editor.rows[0]
    w.panels_scroll.reveal(row.width)
    row.width.lineEdit().selectAll()
    qtbot.keyClicks(row.width.lineEdit(), "0")
    qtbot.keyClick(row.width.lineEdit(), Qt.Key.Key_Return)
    assert "'0' is out of range" in row.error.text()
    w.panels_scroll.reveal(w.data_panel.dataset)
    w.set_presentation(presentation)
    qtbot.waitUntil(lambda: not _in_sight(row.error), timeout=5_000)
    w.play()
    try:
        said = w.statusBar().currentMessage()
        assert "refuses a value ('0' is out of range" in said and "(it keeps 4)" in said, said
        # said there, the row's own message goes, as a refused rate's does at Play (it stayed
        # through 550 epochs, review r30 F5)
        assert row.error.text() == "" and not w.editor.has_error()
    finally:
        w.pause()


def test_an_exercise_that_hides_the_data_hides_its_tab(main_window, qtbot, tmp_path):
    from .test_exercise_panel import XOR, _open
    path = tmp_path / "no-data.toml"
    path.write_text(XOR.read_text().replace('locked = ["data"]',
                                            'locked = ["data"]\nhidden = ["data"]'))
    w = main_window
    _at_size(w, qtbot, (1024, 768))
    _open(qtbot, w, path)
    w.side_tabs.setCurrentWidget(w.panels_scroll)  # the settings, beside the exercise
    # no empty Data tab: the Training and the Network ones, one in front
    qtbot.waitUntil(lambda: _tab(w, "Data") is None and _tab(w, "Training") is not None
                    and _in_sight(w.training_panel.loss), timeout=10_000)
    assert _tab(w, "Network") is not None
    w.exercise_actions.close_exercise()
    qtbot.waitUntil(lambda: _tab(w, "Data") is not None, timeout=5_000)


def drag_splitter(split, dy: int) -> None:
    """The user drags the handle between the splitter's first two parts ``dy`` pixels down."""
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication
    handle = split.handle(1)
    start = QPointF(handle.width() / 2, handle.height() / 2)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    for kind, at, buttons in ((QEvent.Type.MouseButtonPress, start, left),
                              (QEvent.Type.MouseMove, start + QPointF(0, dy), left),
                              (QEvent.Type.MouseButtonRelease, start + QPointF(0, dy),
                               Qt.MouseButton.NoButton)):
        QApplication.sendEvent(handle, QMouseEvent(kind, at, handle.mapToGlobal(at), left,
                                                   buttons, none))


@pytest.mark.parametrize("size", [(1024, 768), (1400, 900)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_settings_take_the_height_their_fields_need_and_the_loss_plot_the_rest(
        main_window, qtbot, size):
    # The settings had a fixed 545 px: at 1024x768 ~200 px stayed empty under the Data tab
    # while the loss plot was squeezed to its 150 px minimum.
    w = main_window
    _at_size(w, qtbot, size)
    split = w.left_split

    def fitted() -> None:
        _no_settings_scrollbar(w)  # every field still shown without scrolling
        # no empty band: the settings no taller than their tallest tab (or column) needs
        assert split.sizes()[0] <= w.panels_scroll.needed_height() + 12, split.sizes()
    qtbot.waitUntil(fitted, timeout=10_000)
    assert w.loss_plot.height() > 180  # more than the old 150 px at 1024x768
    # Fields that need more room (four blobs: a "Classes" row) get it, and give it back.
    before = split.sizes()[0]
    w.session_actions.preset_actions["blobs-4"].trigger()
    qtbot.waitUntil(lambda: w.data_panel.classes.isVisibleTo(w.data_panel), timeout=10_000)
    qtbot.waitUntil(fitted, timeout=10_000)
    w.session_actions.preset_actions["moons"].trigger()
    qtbot.waitUntil(lambda: split.sizes()[0] == before, timeout=10_000)
    qtbot.waitUntil(fitted, timeout=10_000)
    # A refusal under a field (its lines) is in sight too, without scrolling.
    panel = w.data_panel
    w.panels_scroll.reveal(panel.test_fraction)
    panel.samples.setValue(4)
    panel.test_fraction.setValue(0.9)  # no training points left: refused, with the reason
    qtbot.waitUntil(lambda: panel.message.isVisible(), timeout=10_000)
    qtbot.waitUntil(fitted, timeout=10_000)
    panel.test_fraction.setValue(0.2)
    panel.samples.setValue(200)
    qtbot.waitUntil(lambda: not panel.message.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: split.sizes()[0] == before, timeout=10_000)
    # The user's own split is kept, through a resize too.
    fitted_height = split.sizes()[0]
    drag_splitter(split, 60)
    chosen = split.sizes()
    assert chosen[0] >= fitted_height + 40
    w.resize(size[0], size[1] + 40)
    qtbot.waitUntil(lambda: w.height() == size[1] + 40)
    QApplication.processEvents()
    assert split.sizes()[0] == chosen[0]


def _band_under(w, panel) -> int:
    """The empty height between ``panel``'s last pixel and the bottom of the settings pane
    (the loss readout's top edge, the splitter's handle in between)."""
    bottom = panel.mapTo(w, QPoint(0, panel.height())).y()
    pane = w.side_tabs
    return pane.mapTo(w, QPoint(0, pane.height())).y() - bottom


@pytest.mark.parametrize("size, factor", [((1024, 768), 1.0), ((1400, 900), 1.5)],
                         ids=["1024x768", "1400x900-150%"])
def test_each_settings_tab_is_as_tall_as_its_own_fields_and_the_loss_chart_takes_the_rest(
        main_window, qtbot, monkeypatch, size, factor):
    # Tabbed, every settings tab was as tall as the Network one: ~150 px of empty grey under
    # the Data and Training tabs, while the loss chart under them shrank to ~135 px at 150%
    # (review r18 #5).
    from .test_text_size import _screen
    _screen(monkeypatch, 1440, 900)
    w = main_window
    w.text_size.set_factor(factor)
    _at_size(w, qtbot, size)
    qtbot.waitUntil(lambda: _tab(w, "Network") is not None, timeout=10_000)
    split = w.left_split
    fields = {"Data": w.data_panel, "Training": w.training_panel, "Network": w.editor}

    def show(name: str) -> None:
        bar, i = _tab(w, name)
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())

    def fitted(name: str) -> None:
        assert _in_sight(fields[name])  # every field of the tab in front, without scrolling
        _no_settings_scrollbar(w)
        assert _band_under(w, fields[name]) <= 24, (name, _band_under(w, fields[name]))

    charts = {}
    for name in ("Network", "Data", "Training", "Network", "Data"):
        show(name)
        qtbot.waitUntil(lambda: fitted(name), timeout=10_000)
        charts[name] = w.loss_plot.height()
    # The shorter tabs give their spare height to the loss chart.
    assert charts["Data"] >= charts["Network"] + 40, charts
    assert charts["Training"] > charts["Network"], charts

    # A split the user dragged stays where it was put, whichever tab is in front.
    drag_splitter(split, -30)
    chosen = split.sizes()
    for name in ("Network", "Data"):
        show(name)
        qtbot.waitUntil(lambda: w.panels_scroll.tabs.currentWidget().isVisible()
                        and _tab(w, name)[0].currentIndex() == _tab(w, name)[1], timeout=5_000)
        QApplication.processEvents()
        assert split.sizes() == chosen, name
