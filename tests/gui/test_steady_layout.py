"""The texts that change every frame (the epoch counter, the metrics, the timeline's line) do not
lay the whole window out again each time, and a text that needs more room still gets it."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.gui.widgets import LabelRoom


class _Events(QObject):
    """Counts the events of one type a widget receives (LayoutRequest: for a window, its
    layouts; Paint: its paints)."""

    def __init__(self, widget: QWidget, kind: QEvent.Type = QEvent.Type.LayoutRequest) -> None:
        super().__init__(widget)
        self.kind = kind
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt)
        if event.type() == self.kind:
            self.count += 1
        return False


def _flush() -> None:
    """Deliver every posted event (layout requests are posted): no time waited."""
    for _ in range(3):  # a delivered request may post the next one up
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def test_training_does_not_lay_the_window_out_at_every_frame(bare_window, qtbot):
    # Every frame set the epoch counter's, the metrics' and the timeline's text; QLabel.setText
    # asks for a new layout, and that climbed to the window: ~30 layouts of the whole window a
    # second, 13% of the GUI thread's time on the Backprop tab (bench/layout_requests.py).
    w = bare_window
    layouts = _Events(w)
    texts, frames = set(), []
    start = w.last_snapshot.epoch

    def drawn(s) -> None:
        frames.append(s.epoch)
        texts.add((w.controls.epoch.text(), w.metrics.text(), w.timeline.label.text()))
    w.snapshot_drawn.connect(drawn)
    w.play()  # the button's new text ("Pause") is a new layout: counted from the first frame on
    qtbot.waitUntil(lambda: any(e > start for e in frames), timeout=120_000)
    _flush()  # the layouts that frame asked for
    layouts.count, frames[:] = 0, []
    texts.clear()
    qtbot.waitUntil(lambda: len(frames) >= 40, timeout=120_000)
    n, count = len(frames), layouts.count
    w.pause()
    w.snapshot_drawn.disconnect(drawn)
    # the texts did change with the frames (what the user watches), ...
    assert len(texts) >= n // 2, (len(texts), n)
    assert f"Epoch {frames[-1]:,}" in w.controls.epoch.text()
    # ... the window was laid out again only when a text needed another size (the timeline's
    # shortest wording, the number alone, wider at 10 and at 100), not at every frame (before:
    # more than once a frame)
    assert count <= n // 4, (count, n)


def test_a_longer_text_gets_its_room(bare_window, qtbot):
    w = bare_window
    w.resize(1024, 768)
    epoch = w.controls.epoch
    qtbot.waitUntil(lambda: w.width() == 1024 and epoch.width() > 0)
    narrow = epoch.width()
    w.controls.set_epoch(123_456_789)  # wider than the room it had ("Epoch 100,000")

    def fits(label: QLabel, text: str) -> bool:
        return label.fontMetrics().horizontalAdvance(text) <= label.contentsRect().width()
    qtbot.waitUntil(lambda: fits(epoch, "Epoch 123,456,789"))
    assert w.width() == 1024  # the bar made room, the window stayed
    w.controls.set_epoch(7)
    qtbot.waitUntil(lambda: epoch.width() == narrow)  # and it gives the room back

    # The metrics wrap at 1024 px: a longer line (a diverging run's numbers) gets a second line
    # of height, a short one gives it back.
    metrics = w.metrics
    one_line = metrics.fontMetrics().lineSpacing()
    metrics.setText("<b>Train</b> loss 1.234e+38 &middot; accuracy 50.0% &nbsp;&nbsp; "
                    "<b>Test</b> loss 9.876e+37 &middot; accuracy 50.0% " * 3)
    qtbot.waitUntil(lambda: metrics.height() >= metrics.heightForWidth(metrics.width())
                    and metrics.height() >= 2 * one_line)
    metrics.setText("loss 0.1")
    qtbot.waitUntil(lambda: metrics.height() < 2 * one_line)


def test_a_label_room_asks_for_a_layout_only_when_the_size_changes(qtbot):
    top = QWidget()
    qtbot.addWidget(top)
    lay = QVBoxLayout(top)
    label = QLabel("Epoch 1")
    room = LabelRoom(label)
    other = QLabel("below")
    lay.addWidget(room)
    lay.addWidget(other)
    lay.addStretch(1)
    top.show()
    qtbot.waitExposed(top)
    _flush()  # the layouts of showing it
    layouts = _Events(top)
    for text in ("Epoch 2", "Epoch 3", "Epoch 4"):  # the same width (digits are as wide)
        label.setText(text)
        _flush()  # its request delivered, if it made one
    assert layouts.count == 0
    assert label.text() == "Epoch 4" and label.geometry() == room.rect()

    label.setText("A much longer line than before, wider than the window was")
    qtbot.waitUntil(lambda: layouts.count >= 1)
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())

    # A word-wrapped label: taller when its text takes more lines at its width.
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    _flush()  # its least width no longer the long line's
    top.resize(120, 400)
    qtbot.waitUntil(lambda: top.width() == 120)
    label.setText("one two three four five six seven eight nine ten eleven twelve")
    def taller() -> None:
        assert label.height() >= label.heightForWidth(label.width()) \
            > 2 * label.fontMetrics().lineSpacing(), (label.size(), top.size())
        assert other.y() >= label.height()
    qtbot.waitUntil(taller)
    label.setText("one two")
    qtbot.waitUntil(lambda: label.height() < 2 * label.fontMetrics().lineSpacing())

    # Hidden with its label, shown with it; the layout closes and opens the gap.
    label.hide()
    qtbot.waitUntil(lambda: not room.isVisible() and other.y() < 20)
    label.show()
    qtbot.waitUntil(lambda: room.isVisible() and other.y() > label.height())


def test_a_caption_at_a_line_break_does_not_move_what_is_below_it_each_frame(qtbot):
    """A live caption whose new text takes one line, then two, then one (the Gradients tab's
    "now 3× the output's", "now 1.02× the output's" at 1400 px) keeps the height of two lines:
    the plots under it stay put, and are not laid out again each frame. Once it has needed one
    line for a while, the line is given back."""
    top = QWidget()
    qtbot.addWidget(top)
    lay = QVBoxLayout(top)
    label = QLabel()
    label.setWordWrap(True)
    room = LabelRoom(label)
    below = QLabel("the plots")
    lay.addWidget(room)
    lay.addWidget(below)
    lay.addStretch(1)
    top.resize(160, 300)
    top.show()
    qtbot.waitExposed(top)
    short, long = "ratio 3x", "the first layer's ratio now 1.02x of the output's"
    line = label.fontMetrics().lineSpacing()
    label.setText(short)
    qtbot.waitUntil(lambda: room.height() == label.heightForWidth(label.width()) < 2 * line)
    at_one_line = below.y()
    label.setText(long)  # more room: at once
    qtbot.waitUntil(lambda: room.height() == label.heightForWidth(label.width()) >= 2 * line
                    and below.y() >= at_one_line + line)
    at_two_lines = below.y()
    room._give_back.setInterval(600_000)  # "a while" never ends within this part of the test
    layouts = _Events(top)
    for text in (short, long) * 5:  # frame after frame
        label.setText(text)
        _flush()
        assert below.y() == at_two_lines, text
        assert label.text() == text and label.isVisible()
    assert layouts.count == 0
    label.setText(short)
    _flush()
    # the one line sits at the top of the room, where the two began
    assert label.y() == 0 and label.height() == label.heightForWidth(label.width())
    room._give_back.setInterval(10)  # and now a while passes
    label.setText(short + " ")  # any new text of one line
    qtbot.waitUntil(lambda: below.y() == at_one_line and room.height() == label.height())


def test_the_metrics_wrap_between_the_train_and_the_test_numbers(bare_window, qtbot):
    """At 1024 px the metrics take two lines: the training set's numbers, then the test set's,
    each whole ("Test loss 0.1118 ·" was broken from its "accuracy 85.0%")."""
    from PySide6.QtGui import QTextDocument
    w = bare_window
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024 and "Test" in w.metrics.text())
    doc = QTextDocument()
    doc.setDefaultFont(w.metrics.font())
    doc.setDocumentMargin(0)
    doc.setHtml(w.metrics.text())
    doc.setTextWidth(w.metrics.contentsRect().width())
    doc.size()  # lays it out
    block = doc.firstBlock()
    layout, text = block.layout(), block.text()
    lines = [text[layout.lineAt(i).textStart():][:layout.lineAt(i).textLength()].strip()
             for i in range(layout.lineCount())]
    assert len(lines) == 2, lines
    assert lines[0].startswith("Train") and lines[0].endswith("%"), lines
    assert lines[1].startswith("Test") and lines[1].endswith("%"), lines


def _metric_lines(label: QLabel, width: int | None = None) -> list[tuple[float, float, str]]:
    """The metrics line's lines as its word-wrapped label lays them out at ``width`` (its own
    by default): each line's left edge, its width and its text."""
    from PySide6.QtGui import QTextDocument, QTextOption
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    option = doc.defaultTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as a word-wrapped QLabel lays it out
    doc.setDefaultTextOption(option)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width() if width is None else width)
    doc.size()  # lays it out
    lines, block = [], doc.begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append((line.cursorToX(line.textStart())[0], line.naturalTextWidth(),
                          text[line.textStart():line.textStart() + line.textLength()]))
        block = block.next()
    return lines


def _words(line: str) -> str:
    return " ".join(line.replace("\u2060", "").replace("\u2028", " ").split())


def test_a_long_training_line_keeps_every_word_clear_of_log_scale(bare_window, qtbot):
    """At 1024 px "Train loss after epoch 100,000: 6.78e-06 · accuracy 100.0%" was wider than
    the label beside "Log scale": its end ran under the check box, cut. It breaks at its "·"
    now, and the test set's numbers start a line of their own."""
    import dataclasses
    from PySide6.QtCore import QPoint, QRect
    from nnviz.core.training import Metrics
    w = bare_window
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024 and "Test" in w.metrics.text())
    w._latest = dataclasses.replace(w.last_snapshot, epoch=100_000, live_epoch=100_000,
                                    metrics=Metrics(6.78e-06, 1.0, 0.0123, 0.875))
    w._draw_latest()
    metrics, box = w.metrics, w.log_scale

    def shown_whole() -> None:
        lines = _metric_lines(metrics)
        room = metrics.contentsRect().width()
        assert all(width <= room for _, width, _ in lines), (room, lines)  # none cut ...
        words = [_words(text) for _, _, text in lines]
        assert words == ["Train loss after epoch 100,000: 6.78e-06 \u00b7", "accuracy 100.0%",
                         "Test loss 0.0123 \u00b7 accuracy 87.5%"], words
        assert {x for x, _, _ in lines} == {0}  # ... each from the left edge
        label = QRect(metrics.mapTo(w, QPoint(0, 0)), metrics.size())
        assert label.right() < box.mapTo(w, QPoint(0, 0)).x()  # ... clear of "Log scale"
        assert metrics.height() >= len(lines) * metrics.fontMetrics().lineSpacing()
    qtbot.waitUntil(shown_whole)
    # Given the room, the training set's numbers are one line again; and back, no new frame.
    w.resize(1400, 768)
    qtbot.waitUntil(lambda: [_words(t)[:5] for *_, t in _metric_lines(metrics)][:1]
                    == ["Train"] and "accuracy 100.0%" in _words(_metric_lines(metrics)[0][2]))
    w.resize(1024, 768)
    qtbot.waitUntil(shown_whole)


def test_the_test_line_starts_where_the_train_line_does(bare_window, qtbot):
    """" &nbsp;&nbsp; " between the sets broke after its first space at some widths: the Test
    line began with the other two, a space to the right of "Train"."""
    w = bare_window
    qtbot.waitUntil(lambda: "Test" in w.metrics.text())
    wrapped = 0
    for width in range(200, 700, 3):  # from two lines to one
        lines = _metric_lines(w.metrics, width)
        wrapped += len(lines) > 1
        assert {x for x, _, _ in lines} == {0}, (width, lines)
        assert not any(text[:1].isspace() for _, _, text in lines), (width, lines)
    assert wrapped > 20


def test_a_frame_paints_the_metrics_line_once(bare_window, qtbot, monkeypatch):
    # The room and the layouts asked the label itself for its sizes after each new text: QLabel
    # lays its rich text out again at each width asked and repaints itself, and a text first
    # laid out in its paint asks for a repaint from within it: every frame painted the window a
    # second (here a third) time for this line (0.6-1 ms a frame at 100,000 points;
    # bench/main_frame.py).
    import dataclasses
    w = bare_window
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.metrics.isVisible())
    w.resize(1024, 768)  # two lines
    qtbot.waitUntil(lambda: w.width() == 1024)
    _flush()
    paints = _Events(w.metrics, QEvent.Type.Paint)
    base = w.last_snapshot
    for i in range(1, 5):
        texts, n = w.metrics.text(), paints.count
        w._latest = dataclasses.replace(base, epoch=base.epoch + 7 * i,
                                        live_epoch=base.live_epoch + 7 * i)
        w._draw_latest()
        _flush()
        assert w.metrics.text() != texts  # a new line of numbers ...
        if i > 1:  # (the first frame: what the resize left to paint)
            assert paints.count - n == 1, (paints.count - n, i)  # ... painted once

    # The same text again (a frame whose numbers did not change): not measured at all.
    asked = []
    for name in ("sizeHint", "minimumSizeHint", "heightForWidth"):
        for obj in (w.metrics, w.metrics._ruler):
            real = getattr(obj, name)
            monkeypatch.setattr(obj, name, lambda *a, _r=real, _n=name: asked.append(_n) or _r(*a))
    n = paints.count
    w.metrics.setText(w.metrics.text())
    _flush()
    assert asked == [] and paints.count == n
