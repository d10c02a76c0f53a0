"""The timeline's epoch label and the header over the run, as a learner at a projector's
1024x768 and text size 150% saw them (review r21 F5, F6): the label stays where it is, in the
window's type, and says what its number is; the header does not grow as the timeline goes
into the past; the rate note names the branch button by the words it shows."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QScrollBar

from tests.gui.test_small_things import blow_up
from tests.gui.test_text_size import _at_150_percent_on_1024_px, _screen

TIMEOUT = 60_000  # a wait for a condition; generous, so a loaded machine only makes it slower

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _where(w, widget) -> QRect:
    """``widget``'s rectangle in the window."""
    return QRect(widget.mapTo(w, widget.rect().topLeft()), widget.size())


def _train_to(w, qtbot, epoch: int) -> None:
    w.step(epoch - w.last_snapshot.live_epoch)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == epoch and not w.last_snapshot.past,
                    timeout=TIMEOUT)


def _go(w, qtbot, epoch: int | None) -> None:
    w.timeline.go(epoch)
    if epoch is None:
        qtbot.waitUntil(lambda: not w.last_snapshot.past, timeout=TIMEOUT)
    else:
        qtbot.waitUntil(lambda: w.last_snapshot.past and w.last_snapshot.epoch == epoch,
                        timeout=TIMEOUT)


def _seen(w) -> tuple[QRect, str]:
    """Where the timeline's label is and what it reads, once the layouts have settled; it is
    in the window's type (the Replay button's beside it) and its text fits it."""
    QApplication.processEvents()
    t = w.timeline
    label = t.label
    assert label.font().pointSizeF() == t.replay.font().pointSizeF(), label.text()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    return _where(w, label), label.text()


@pytest.mark.parametrize("size, factor", [((1024, 768), 1.5), ((1400, 900), 1.5)])
def test_the_timeline_label_stays_in_one_place_in_the_windows_type(
        main_window, qtbot, monkeypatch, size, factor):
    """Review r21 F6 at 1024x768 and 150%: while playing the label was under the slider and
    read a bare "697"; past epoch 1,000 it went up beside the slider ("Live · 1,000"); after
    End it was back on the lower row, smaller than the text around it. It keeps one place
    and one size at a window's size, and says what its number is."""
    w = main_window
    if size == (1024, 768) and factor == 1.5:
        _at_150_percent_on_1024_px(w, qtbot, monkeypatch)
    else:
        _screen(monkeypatch, size[0] + 40, size[1] + 40)
        w.resize(*size)
        w.text_size.choose(factor)
        qtbot.waitUntil(lambda: w.width() == size[0])
    QApplication.processEvents()
    settings_width = w.main_split.sizes()[0]
    at, text = _seen(w)
    seen = {"epoch 0": (at, text)}
    for epoch in (697, 1000):
        _train_to(w, qtbot, epoch)
        seen[f"epoch {epoch}"] = _seen(w)
        assert "Live" in seen[f"epoch {epoch}"][1], seen  # not the bare number
    _go(w, qtbot, 342)
    seen["past"] = _seen(w)
    assert "Past" in seen["past"][1], seen
    _go(w, qtbot, None)
    seen["live again"] = _seen(w)
    assert all(r == at for r, _ in seen.values()), seen
    assert w.main_split.sizes()[0] == settings_width  # (the views did not move either)


def test_after_a_divergence_the_timeline_label_says_restored_where_it_was(main_window, qtbot,
                                                                           monkeypatch):
    """Review r21 F6: after a divergence at 1024x768 and 150% the label read just "0", on the
    lower row, small."""
    w = _at_150_percent_on_1024_px(main_window, qtbot, monkeypatch)
    before, _ = _seen(w)
    blow_up(w, qtbot)
    qtbot.waitUntil(w.banner.isVisible, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: w.last_snapshot.weights_epoch >= 0, timeout=TIMEOUT)
    at, text = _seen(w)
    assert at == before
    assert "restored" in text, text


def _said(w) -> str:
    """The note under the Learning rate field as a user sees it ("" while hidden)."""
    note = w.training_panel.message
    return "" if note.isHidden() else note.text()


def test_the_past_rate_note_names_the_branch_button_by_its_words(main_window, qtbot,
                                                                  monkeypatch):
    """Review r21 F5: at 1024x768 and 150% the note said "(Continue from here branches at it)"
    beside a button that read "Branch". It names the button by its words, and says its new
    words when the window's width changes them."""
    w = _at_150_percent_on_1024_px(main_window, qtbot, monkeypatch)
    fork = w.timeline.fork
    _train_to(w, qtbot, 20)
    first = w.last_snapshot.rates[0][1]
    w.set_learning_rate(3.0)
    _train_to(w, qtbot, 30)
    _go(w, qtbot, 15)  # trained at the first rate: the note says so, and names the button
    qtbot.waitUntil(lambda: _said(w).startswith(f"Epoch 15 trained at learning rate {first:g}"),
                    timeout=TIMEOUT)
    narrow = fork.text()
    assert narrow == "Branch"  # (what the reviewer saw at this size)
    assert f"\u201c{narrow}\u201d" in _said(w), _said(w)
    assert "Continue from here" not in _said(w)
    w.text_size.choose(1.0)
    _screen(monkeypatch, 1440, 940)
    w.resize(1400, 900)
    qtbot.waitUntil(lambda: w.width() == 1400 and fork.text() != narrow)
    qtbot.waitUntil(lambda: f"\u201c{fork.text()}\u201d" in _said(w), timeout=TIMEOUT)
    # Presentation mode folds the button's row away: the note named a button not on the
    # screen (review r31); it names the Run menu's item, and the button again after F11.
    w.presentation.action.trigger()
    qtbot.waitUntil(lambda: "Run \u2192 Continue from here branches at it" in _said(w),
                    timeout=TIMEOUT)
    assert not fork.isVisible()
    w.presentation.action.trigger()
    qtbot.waitUntil(lambda: f"\u201c{fork.text()}\u201d" in _said(w), timeout=TIMEOUT)
    w.set_learning_rate(0.3)  # set in the past: where it applies, the button named
    qtbot.waitUntil(lambda: _said(w).startswith("0.3 applies when training goes on"),
                    timeout=TIMEOUT)
    assert f"\u201c{fork.text()}\u201d" in _said(w), _said(w)


def _header(w) -> tuple[int, int]:
    """The run bar's height and the settings' top (the tab bar's) in the window; the Data
    settings whole under it, with no scroll bar (the bar no taller for the room it keeps)."""
    QApplication.processEvents()
    assert not [b for b in w.panels_scroll.findChildren(QScrollBar)
                if b.orientation() == Qt.Orientation.Vertical and b.isVisible()]
    return w.controls.height(), _where(w, w.side_tabs).top()


def test_the_header_does_not_grow_when_the_timeline_goes_back(main_window, qtbot,
                                                               monkeypatch):
    """Review r21 F5 at 1024x768 and 150%: going into the past added "of 1,000" under the
    epoch, and the toolbar and settings moved down ~8 px (back at End); so did the
    divergence's "restored; diverged after epoch 1"."""
    w = _at_150_percent_on_1024_px(main_window, qtbot, monkeypatch)
    _train_to(w, qtbot, 50)
    live = _header(w)
    _go(w, qtbot, 20)
    assert "of 50" in w.controls.epoch.text()
    assert _header(w) == live
    _go(w, qtbot, None)
    assert _header(w) == live
    blow_up(w, qtbot)
    qtbot.waitUntil(lambda: "diverged" in w.controls.epoch.text(), timeout=TIMEOUT)
    assert _header(w) == live
