"""Sessions, CSV import, exports, presets, undo and point editing in the real window (qtbot,
offscreen, real training thread)."""
from __future__ import annotations

import csv
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QPointF, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from nnviz.core import presets  # noqa: E402
from nnviz.core import session as session_io  # noqa: E402
from nnviz.core.csvdata import parse_csv_text, read_csv  # noqa: E402
from nnviz.core.data import DataSpec  # noqa: E402
from nnviz.core.network import NetworkSpec, load_npz  # noqa: E402
from ..conftest import FIRST_SNAPSHOT_MS, session_copy, with_far_value  # noqa: E402
from .test_settings_tabs import drag_splitter  # noqa: E402

TIMEOUT = 60_000


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch):
    """Each test gets its own QSettings file: nothing leaks between tests or into ~/.config."""
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("NNVIZ_SETTINGS", str(path))
    return path


def _window(qtbot, **kw):
    from nnviz.gui import session_actions
    from nnviz.gui.main_window import MainWindow

    w = MainWindow(install_extras=False, **kw)
    qtbot.addWidget(w)
    actions = session_actions.install(w)
    w.show()
    wait_run(qtbot, w)
    return w, actions


@pytest.fixture
def win(qtbot):
    w, actions = _window(qtbot)
    yield w, actions
    w.close()
    assert not w.worker.is_running()


def wait_run(qtbot, w, epoch=None):
    def ready():
        s = w.last_snapshot
        return s is not None and s.run_id == w.run_id and (epoch is None or s.epoch == epoch)
    # A preset's or an import's first snapshot waits for its problem's compile: as long as the
    # first window's (the sine preset's took over 60 s at load ~20 beside another test's).
    qtbot.waitUntil(ready, timeout=FIRST_SNAPSHOT_MS)
    return w.last_snapshot


def shown_title(w):
    """The window's title as the window manager shows it: Qt's "[*]" an asterisk while the
    window is modified, nothing otherwise."""
    return w.windowTitle().replace("[*]", "*" if w.isWindowModified() else "")


def _step(qtbot, w, n):
    target = (w.last_snapshot.epoch if w.last_snapshot else 0) + n
    w.step(n)
    return wait_run(qtbot, w, target)


def _shortcuts(w):
    out = {}
    for a in w.actions():
        for k in a.shortcuts():
            out[k.toString()] = a
    return out


def test_menus_and_shortcuts_and_a_failed_save(win, qtbot, tmp_path):
    """The menus and keys, then a save that fails, on one window (a window each, alike at
    epoch 0; the menus are only read)."""
    _menus_and_shortcuts(win)
    _a_failed_save_says_why(win, qtbot, tmp_path)


def _menus_and_shortcuts(win):
    w, actions = win
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles[:4] == ["&File", "&Edit", "&Presets", "&Run"]
    file_items = [a.text() for a in w.file_menu.actions() if a.text()]
    assert file_items[:7] == ["&Open session...", "Open &recent", "&Save session",
                              "Save session &as...", "&Import CSV...", "Import exa&mple",
                              "&Export"]
    # One key a mnemonic: "x" was on Import example, Exercises, Open exercise and Save as
    # exercise, and Alt+F, X went to the first only (a teacher's review).
    import re
    mnemonics = [m.group(1).lower() for t in file_items
                 if (m := re.search(r"&([^&])", t.replace("&&", "")))]
    assert len(mnemonics) == len(file_items)
    assert len(set(mnemonics)) == len(mnemonics), file_items
    for menu in w.menuBar().actions():  # (the Run menu had s, f and l twice; View p)
        items = [a.text().replace("&&", "") for a in menu.menu().actions() if a.text()]
        keys = [m.group(1).lower() for t in items if (m := re.search(r"&([^&])", t))]
        assert len(set(keys)) == len(keys), (menu.text(), items)
    keys = _shortcuts(w)
    assert keys["Ctrl+S"] is actions.save_action
    assert keys["Ctrl+Shift+S"] is actions.save_as_action
    assert keys["Ctrl+O"] is actions.open_action
    assert keys["Ctrl+Z"] is actions.undo_action
    assert keys["Ctrl+Shift+Z"] is actions.redo_action
    exports = [a.text() for a in actions.export_menu.actions() if a.text()]
    assert len(exports) == 10  # images, CSV and weights; script, notebook, ONNX, animation
    assert set(actions.preset_actions) >= {"moons", "xor", "spiral", "circles", "blobs-4"}


def _the_window_installs_the_actions_itself(main_window):
    w = main_window  # install_extras=True (MainWindow's default): it imports this module
    assert hasattr(w, "session_actions") and callable(w.open_session), "installs itself"


def test_save_and_open_go_on_exactly(win, qtbot, tmp_path):
    w, actions = win
    _step(qtbot, w, 25)
    path = str(tmp_path / "run.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    assert shown_title(w) == "run.nnviz \u2014 nnviz"
    assert actions.recent_files() == [path]
    saved = session_io.load(path)
    assert saved.epoch == 25 and saved.spec == NetworkSpec()
    expected = saved.make_trainer().run(10).losses  # what going on from the file must give

    # Something else happens; then the session comes back and goes on exactly.
    actions.load_preset(presets.get("xor"))
    wait_run(qtbot, w)
    actions.open_session(path)
    s = wait_run(qtbot, w, 25)
    assert w.current_problem().spec == NetworkSpec()
    assert w.controls.epoch.text() == "Epoch 25"
    assert len(s.loss_values) == 25  # the loss curve came back too
    s = _step(qtbot, w, 10)
    assert np.array_equal(s.loss_values[-10:], expected)
    # Over the untrained XOR run, with the run at epoch 25 behind it in Undo: a step back.
    assert actions.undo_action.text().replace("&", "") == "Undo open run.nnviz"


def test_sessions_refused_leave_the_run_alone(win, qtbot, tmp_path, monkeypatch):
    """Four files refused on one window (a window each: four alike at epoch 0): a broken
    one, one with a seed the window cannot hold, one at an epoch no run reaches, one with a
    value far outside its column. The broken one first, while nothing is saved (its title is
    the unsaved window's); each part's box closed before the next, whose box must come of its
    own; epochs counted from where each part starts."""
    _a_broken_session_leaves_the_run_alone(win, qtbot, tmp_path)
    _close_the_message(qtbot, win[1])
    _a_session_with_a_seed_the_window_cannot_hold_is_refused_in_words(win, qtbot, tmp_path)
    _close_the_message(qtbot, win[1])
    _a_session_at_an_epoch_no_run_reaches_is_refused_as_damaged(win, qtbot, tmp_path,
                                                                monkeypatch)
    _close_the_message(qtbot, win[1])
    _a_session_with_a_far_value_is_refused_naming_its_row_and_column(win, qtbot, tmp_path,
                                                                     monkeypatch)


def _close_the_message(qtbot, actions):
    actions.message_box.close()
    qtbot.waitUntil(lambda: actions.message_box is None, timeout=TIMEOUT)


def _a_broken_session_leaves_the_run_alone(win, qtbot, tmp_path):
    w, actions = win
    start = w.last_snapshot.epoch
    _step(qtbot, w, 5)
    before = w.current_problem()
    bad = tmp_path / "bad.nnviz"
    bad.write_bytes(b"PK\x03\x04 truncated")
    actions._open_reporting(str(bad))
    qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)  # read off the GUI thread
    assert "damaged" in actions.last_message and "bad.nnviz" in actions.last_message
    assert actions.message_box is not None and actions.message_box.isVisible()
    assert "damaged" in actions.message_box.text()
    assert w.current_problem() == before and shown_title(w) == "nnviz*"  # unsaved epochs
    assert _step(qtbot, w, 1).epoch == start + 6, "broken"  # the run goes on where it was
    with pytest.raises(session_io.SessionError, match="not an nnviz session"):
        (tmp_path / "text.nnviz").write_text("hello")
        w.open_session(str(tmp_path / "text.nnviz"))  # what `nnviz --open` calls


def _with_seed(src: str, dst: str, seed: int) -> None:
    """A copy of the session ``src`` whose every seed in the manifest is ``seed``."""
    def put(v):
        if isinstance(v, dict):
            return {k: seed if k == "seed" else put(x) for k, x in v.items()}
        return [put(x) for x in v] if isinstance(v, list) else v
    session_copy(src, dst, manifest=put)


def _trained_and_changed(qtbot, w, actions, tmp_path, change):
    """Train 3 epochs, save good.nnviz, ``change(good, big)`` writes big.nnviz from it: the
    problem shown and big.nnviz's path."""
    _step(qtbot, w, 3)
    before = w.current_problem()
    good, big = str(tmp_path / "good.nnviz"), str(tmp_path / "big.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(good)
    change(good, big)
    return before, big


def _a_session_with_a_seed_the_window_cannot_hold_is_refused_in_words(win, qtbot, tmp_path):
    # Seeds 2**31..2**32-1 were read, then the Seed field (a 32-bit spin box) raised
    # OverflowError: a red "Something went wrong" banner and a half-opened run.
    w, actions = win
    start = w.last_snapshot.epoch
    before, big = _trained_and_changed(qtbot, w, actions, tmp_path,
                                       lambda good, big: _with_seed(good, big, 3_000_000_000))
    actions._open_reporting(big)
    qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)
    assert actions.message_box is not None and actions.message_box.isVisible()
    text = actions.message_box.text()
    assert "seed must be a whole number between 0 and 2,147,483,647" in text, text
    assert "Traceback" not in text and "OverflowError" not in text
    assert w.current_problem() == before
    assert _step(qtbot, w, 1).epoch == start + 4, "seed"  # the run goes on where it was


def _a_session_at_an_epoch_no_run_reaches_is_refused_as_damaged(win, qtbot, tmp_path,
                                                                monkeypatch):
    """A reviewer's copy with "epoch": 1000000000000 opened (File > Open): the header read
    "Epoch 1,000,000,000,000", then two "Something went wrong: OverflowError" dialogs (the
    timeline's slider). It is refused as damaged and the run shown stays."""
    w, actions = win
    start = w.last_snapshot.epoch
    before, big = _trained_and_changed(
        qtbot, w, actions, tmp_path,
        lambda good, big: session_copy(good, big,
                                       manifest=lambda m: {**m, "epoch": 1_000_000_000_000}))
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: big)
    actions.open_dialog()  # File > Open...
    qtbot.waitUntil(lambda: actions.message_box is not None and
                    actions.message_box.isVisible(), timeout=TIMEOUT)
    text = actions.message_box.text()
    assert "big.nnviz" in text and "the file is damaged" in text, text
    assert "OverflowError" not in text and "went wrong" not in text
    assert w.controls.epoch.text() == f"Epoch {start + 3:,}" and w.current_problem() == before
    assert not w.banner.isVisible()
    assert _step(qtbot, w, 1).epoch == start + 4, "epoch"  # the run goes on where it was


def _a_session_with_a_far_value_is_refused_naming_its_row_and_column(win, qtbot, tmp_path,
                                                                    monkeypatch):
    """A file written before the CSV import refused far values, or edited by hand, with one
    x1 of 1e30 among the moons' -1 to 2: it opened with every other point drawn on one spot
    and nothing said. It is refused as the import refuses the value, naming the session's row
    and column and its set; the data, the run and the title stay."""
    w, actions = win
    start = w.last_snapshot.epoch
    seen = {}

    def far(good, big):
        seen["X"] = with_far_value(good, big, row=8, column=0)
    before, big = _trained_and_changed(qtbot, w, actions, tmp_path, far)
    data, run, title = w.dataset, w.run_id, shown_title(w)
    others = np.delete(seen["X"][:, 0], 8)
    which = "test" if 8 in w.dataset.test_index else "training"
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: big)
    actions.open_dialog()  # File > Open...
    qtbot.waitUntil(lambda: actions.message_box is not None and
                    actions.message_box.isVisible(), timeout=TIMEOUT)
    assert actions.message_box.text() == (
        f"{big}: the data's row 8 ({which} set), column 1 (x1): 1e+30 is far outside the "
        f"column's other values ({others.min():.3g} to {others.max():.3g}). The plot's range "
        "and the standardised feature would be dominated by it, every other point drawn on "
        "one spot. Correct the value or remove the row; if such values are real, give the "
        "column's logarithm instead")
    assert w.dataset is data and w.run_id == run and w.current_problem() == before
    assert shown_title(w) == title and not w.banner.isVisible()
    assert _step(qtbot, w, 1).epoch == start + 4, "far"  # the run goes on where it was


def _a_failed_save_says_why(win, qtbot, tmp_path):
    w, actions = win
    actions.save_to(str(tmp_path / "missing" / "x.nnviz"))
    qtbot.waitUntil(lambda: "could not save" in actions.last_message, timeout=TIMEOUT)
    assert actions.message_box.isVisible() and actions.path is None, "a failed save"


def test_a_window_closed_in_presentation_mode_remembers_the_normal_columns(qtbot):
    """Presentation mode gives the settings' column to the plot (36% of the width): closing
    in it saved that, and the next window, in the normal mode, opened with the settings and
    the timeline squeezed (its label on two lines at 1024 px)."""
    w, _ = _window(qtbot)
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024)
    normal = w.main_split.sizes()
    w.set_presentation(True)
    qtbot.waitUntil(lambda: w.main_split.sizes()[0] < normal[0] - 20)
    w.close()
    w2, _ = _window(qtbot)
    try:
        w2.resize(1024, 768)
        qtbot.waitUntil(lambda: w2.width() == 1024)
        assert not w2.presentation.active  # set_presentation is not remembered
        qtbot.waitUntil(lambda: abs(w2.main_split.sizes()[0] - normal[0]) <= 2)
    finally:
        w2.close()


def test_recent_files_and_geometry_are_remembered(qtbot, tmp_path, own_settings):
    w, actions = _window(qtbot)
    path = str(tmp_path / "a.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    w.resize(w.width(), 700)
    qtbot.waitUntil(lambda: w.height() == 700)
    QApplication.processEvents()
    drag_splitter(w.right_split, -60)  # the user makes the loss plot taller than it was
    sizes = w.right_split.sizes()
    assert sizes[1] > 250
    w.close()
    w2, actions2 = _window(qtbot)
    try:
        assert actions2.recent_files() == [path]
        assert [a.toolTip() for a in actions2.recent_menu.actions()][0] == path
        # (The offscreen screen is small, so only the height can show the restored geometry.)
        assert w2.height() == 700
        assert w2.right_split.sizes() == sizes
        assert actions2.last_folder() == str(tmp_path)
        # A recent file that is gone is dropped with a message.
        os.remove(path)
        actions2.recent_menu.actions()[0].trigger()
        assert "is gone" in actions2.last_message and actions2.recent_files() == []
    finally:
        w2.close()


def test_undo_redo_restore_the_architecture(win, qtbot):
    w, actions = win
    row = w.editor.rows[1]
    row.width.setValue(7)  # the user types 7 into hidden layer 2
    wait_run(qtbot, w)
    assert w.current_problem().spec.hidden == (4, 7, 4)
    assert actions.undo_action.isEnabled() and "hidden layer 2" in actions.undo_action.text()
    actions.undo_action.trigger()
    assert w.current_problem().spec.hidden == (4, 10, 4)
    assert [r.width.value() for r in w.editor.rows] == [4, 10, 4]
    wait_run(qtbot, w)
    actions.redo_action.trigger()
    assert w.current_problem().spec.hidden == (4, 7, 4)
    assert [r.width.value() for r in w.editor.rows] == [4, 7, 4]
    # Adding a layer and a data change are steps too; undo walks back through them all.
    w.editor.add.click()
    w.data_panel.noise.setValue(0.3)
    assert w.current_problem().source.noise == 0.3
    assert w.current_problem().spec.hidden == (4, 7, 4, 4)
    assert actions.undo_stack.count() == 3  # 7 wide; a layer added; the noise
    for _ in range(3):
        actions.undo_action.trigger()
    assert actions.undo_stack.index() == 0 and actions.undo_stack.count() == 3  # undo adds none
    data, spec = w.current_problem().source, w.current_problem().spec
    assert data.resolved() == DataSpec("moons").resolved() and spec == NetworkSpec()
    assert w.data_panel.noise.value() == pytest.approx(0.1)
    wait_run(qtbot, w)


def test_undo_keeps_the_learning_rate_then_undo_with_the_keyboard(win, qtbot):
    """Two undo checks on one window (a window each, alike at epoch 0): the learning rate kept
    under an undone width, then Ctrl+Z and Ctrl+Shift+Z (from the (4, 10, 4) the first leaves:
    its 9 wide first layer a change again)."""
    _undo_keeps_the_learning_rate_in_use(win, qtbot)
    _undo_with_the_keyboard(win, qtbot)


def _undo_with_the_keyboard(win, qtbot):
    w, actions = win
    w.editor.rows[0].width.setValue(9)
    assert w.current_problem().spec.hidden[0] == 9
    w.activateWindow()
    w.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.current_problem().spec.hidden[0] == 4, "Ctrl+Z"
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert w.current_problem().spec.hidden[0] == 9, "Ctrl+Shift+Z"
    wait_run(qtbot, w)


def test_presets_load_and_undo_and_the_notebooks_weights(win, qtbot):
    """A preset loaded and undone, then the notebook's preset, on one window (a window each,
    alike at epoch 0; the second loads its own problem whatever the window showed)."""
    _presets_load_and_undo(win, qtbot)
    _the_notebook_preset_starts_from_the_notebooks_weights(win, qtbot)


def _presets_load_and_undo(win, qtbot):
    w, actions = win
    actions.preset_actions["blobs-4"].trigger()
    p = w.current_problem()
    data, spec, config, _ = p.source, p.spec, p.config, p.seed
    assert data.name == "multiclass" and data.classes == 4
    assert spec.output_dim == 4 and spec.output_activation == "softmax"
    assert config.loss == "cross-entropy" and w.training_panel.loss.currentData() == "cross-entropy"
    assert "Press Play" in actions.last_message
    s = _step(qtbot, w, 20)
    assert s.loss_values[-1] < s.loss_values[0]
    actions.undo_action.trigger()
    assert w.current_problem().source.resolved() == DataSpec("moons").resolved()
    wait_run(qtbot, w)


def _the_notebook_preset_starts_from_the_notebooks_weights(win, qtbot):
    from nnviz.core.lessons import replay
    w, actions = win
    actions.preset_actions["moons"].trigger()
    s = wait_run(qtbot, w)
    assert s.epoch == 0, "the notebook preset's run"
    for (wt, _), w_nb in zip(s.params, replay().moons_initial_weights):
        assert np.array_equal(wt, np.asarray(w_nb, np.float32)), "the notebook's weights"


def _fruit_csv(tmp_path):
    rng = np.random.default_rng(2)
    X = rng.uniform(-1, 1, size=(40, 2))
    p = tmp_path / "fruit.csv"
    p.write_text("width,height,fruit\n" + "".join(
        f"{a:.3f},{b:.3f},{'apple' if a * b > 0 else 'pear'}\n" for a, b in X))
    return p


def test_import_dialog_previews_and_refuses_bad_files(qtbot, tmp_path):
    from nnviz.gui.session_dialogs import ImportDialog
    dlg = ImportDialog(str(_fruit_csv(tmp_path)))
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 10 and dlg.table.columnCount() == 3
    assert dlg.table.horizontalHeaderItem(2).text() == "fruit"
    assert dlg.import_button.isEnabled()
    assert dlg.summary.text() == ("40 points, 2 features (width, height); classification, "
                                  "2 classes (apple, pear); 32 training / 8 test points")
    dlg.task.setCurrentIndex(dlg.task.findData("regression"))
    assert not dlg.import_button.isEnabled()
    assert "line 2, column 3 (fruit)" in dlg.summary.text()
    dlg.task.setCurrentIndex(0)
    dlg.test_fraction.setValue(0.5)
    assert "20 training / 20 test" in dlg.summary.text() and dlg.imported is not None

    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,a\n3,4,b\n5,,a\n7,8,b\n")
    dlg2 = ImportDialog(str(bad))
    qtbot.addWidget(dlg2)
    assert not dlg2.import_button.isEnabled() and dlg2.imported is None
    assert "line 3, column 2 (x2) is empty" in dlg2.summary.text()
    assert dlg2.table.rowCount() == 4  # the user sees the lines in question


def test_the_import_preview_labels_its_rows_with_the_lines_the_message_names(qtbot, tmp_path):
    # A reviewer's CSV with a header row: the message said "line 3, column 2 (b) is empty"
    # and the preview showed that row as row 2. The rows are labelled by their file lines (a
    # comment and a blank line skipped too), so the line named is the row labelled so.
    import re

    from nnviz.gui.session_dialogs import ImportDialog
    bad = tmp_path / "weird.csv"
    bad.write_text("# points\na,b,label\n1,2,x\n\n3,,y\nfoo,4,x\n5,6,\n")
    dlg = ImportDialog(str(bad))
    qtbot.addWidget(dlg)
    said = dlg.summary.text()
    assert "line 5, column 2 (b) is empty" in said
    line = re.search(r"line (\d+), column (\d+)", said)
    vertical = Qt.Orientation.Vertical
    labels = [str(dlg.table.model().headerData(i, vertical)) for i in range(dlg.table.rowCount())]
    assert labels == ["3", "5", "6", "7"]
    row = labels.index(line.group(1))
    assert dlg.table.item(row, int(line.group(2)) - 1).text() == ""  # the empty cell named
    assert dlg.table.item(row, 0).text() == "3"


def test_the_import_dialog_says_it_standardises_features_in_cm_and_can_keep_them(qtbot):
    """resources/examples/fruit.csv measures fruit in cm: the preview says its features are
    standardised and how; unticking the box keeps the file's numbers."""
    import os

    from nnviz.gui.session_dialogs import ImportDialog
    path = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "examples",
                        "fruit.csv")
    dlg = ImportDialog(path)
    qtbot.addWidget(dlg)
    assert dlg.standardise.isChecked()
    assert "width (standardised), height (standardised)" in dlg.summary.text()
    assert "The features were standardised" in dlg.summary.text()
    assert "width = (value \u2212 6.251) / 0.9631" in dlg.summary.text()
    assert dlg.imported.dataset.feature_names == ("width (standardised)", "height (standardised)")
    dlg.standardise.setChecked(False)
    assert "standardised" not in dlg.summary.text()
    d = dlg.imported.dataset
    assert d.feature_names == ("width", "height") and d.X[0].tolist() == pytest.approx([7.54, 7.4])


def _far_csv(tmp_path):
    """A reviewer's file: x1 near unit scale, x2 in the 1e12s. 200 rows, the notebook's 160
    training and 40 test points: its import trains on the window's notebook programs (100 rows
    were a model of 80 and 20 points to compile, that only the window's closing waited for)."""
    rng = np.random.default_rng(3)
    p = tmp_path / "huge.csv"
    p.write_text("x1,x2,y\n" + "".join(
        f"{a:.3f},{b * 1e12:.6g},{int(a > 0)}\n" for a, b in rng.normal(size=(200, 2))))
    return p


def _text_contrast(label) -> float:
    """The contrast of ``label``'s drawn text with its ground: the most common pixel against
    the one farthest from it (the text's own colour, at the middle of its strokes)."""
    from nnviz.gui import colors
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), np.uint8)[: h * stride].reshape(h, stride)
    px = rows[:, : w * 3].reshape(-1, 3)
    values, counts = np.unique(px, axis=0, return_counts=True)
    ground = values[np.argmax(counts)]
    return max(colors.contrast(ground, v) for v in values)


def test_the_import_summary_is_readable_and_as_large_as_the_dialog_in_presentation_mode(
        win, qtbot, tmp_path):
    """Both themes on one window (a window each, alike at epoch 0): each part sets and
    restores its own look and mode."""
    for theme in ("light", "dark"):
        _the_import_summary_in_presentation_mode(win, qtbot, tmp_path, theme)


def _the_import_summary_in_presentation_mode(win, qtbot, tmp_path, theme):
    """The summary ("120 points, 2 features ... 96 training / 24 test points") and the
    standardisation note were ~8 px dark green on dark grey in presentation mode, while an
    error in the same place was large and red."""
    from nnviz.gui import colors, look
    from nnviz.gui.session_dialogs import ImportDialog
    w, _ = win
    try:
        colors.set_look(theme)
        look.restyle(w)
        w.set_presentation(True)
        dlg = ImportDialog(str(_far_csv(tmp_path)), w)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        assert "x2 = (value" in dlg.summary.text(), theme  # the note on standardising
        assert dlg.summary.isVisible() and not dlg.summary.is_error(), theme
        assert dlg.font().pointSizeF() == pytest.approx(w.font().pointSizeF()), theme  # large
        assert dlg.summary.fontInfo().pixelSize() == dlg.fontInfo().pixelSize(), theme
        assert _text_contrast(dlg.summary) >= 4.5, theme  # WCAG's for text of this size
        dlg.close()
    finally:
        w.set_presentation(False)
        colors.set_look(colors.DEFAULT_THEME, colors.DEFAULT_PALETTE)
        look.restyle(w)


def test_the_import_dialog_warns_of_a_feature_far_from_unit_scale_kept_as_it_is(
        win, qtbot, tmp_path, monkeypatch):
    """Unticked "Standardise" on a column of ~1e12: no word in the dialog, and the run then
    stalled at loss 0.1960 with nothing saying why. The dialog warns, naming the column; the
    window's message after the import says it again."""
    from nnviz.gui.session_dialogs import ImportDialog
    w, actions = win
    path = str(_far_csv(tmp_path))
    dlg = ImportDialog(path, w)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.scale_warning.isVisible()  # standardised: nothing to warn of
    dlg.standardise.setChecked(False)
    assert dlg.scale_warning.isVisible() and dlg.import_button.isEnabled()
    said = dlg.scale_warning.text()
    assert "x2" in said and "x1" not in said and "far from unit scale" in said
    assert "Standardise" in said
    dlg.standardise.setChecked(True)
    assert not dlg.scale_warning.isVisible()
    dlg.close()

    def untick_and_import(dlg):
        dlg.standardise.setChecked(False)
        dlg.import_button.click()
    import_through_the_menu(actions, monkeypatch, path, untick_and_import)
    qtbot.waitUntil(lambda: w.dataset.name == "huge", timeout=TIMEOUT)
    assert "x2" in actions.last_message and "far from unit scale" in actions.last_message
    # and over the plot, where it stays while this problem does (the status line goes)
    assert w.hint.isVisible() and "x2" in w.hint.text() and "Standardise" in w.hint.text()


def import_through_the_menu(actions, monkeypatch, path: str, in_preview) -> None:
    """File > Import CSV of ``path``, and ``in_preview(dialog)`` once its preview shows (the
    file is read off the GUI thread first)."""
    from PySide6.QtCore import QTimer

    from nnviz.gui.session_dialogs import ImportDialog
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: path)

    def when_shown():
        dlg = next((d for d in QApplication.topLevelWidgets()
                    if isinstance(d, ImportDialog) and d.isVisible()), None)
        if dlg is None:
            QTimer.singleShot(50, when_shown)
            return
        in_preview(dlg)
    QTimer.singleShot(0, when_shown)
    actions.import_action.trigger()


def _import_fruit_through_the_menu(win, qtbot, tmp_path, monkeypatch) -> None:
    """File > Import CSV of the test's fruit.csv, its preview's Import clicked."""
    w, actions = win
    import_through_the_menu(actions, monkeypatch, str(_fruit_csv(tmp_path)),
                            lambda dlg: dlg.import_button.click())
    qtbot.waitUntil(lambda: w.dataset.name == "fruit", timeout=TIMEOUT)


def test_import_csv_through_the_menu_and_undo(win, qtbot, tmp_path, monkeypatch):
    w, actions = win
    _import_fruit_through_the_menu(win, qtbot, tmp_path, monkeypatch)
    d = w.dataset
    assert d.name == "fruit" and len(d.X) == 40 and d.feature_names == ("width", "height")
    assert w.data_panel.dataset.currentText() == "fruit (loaded)"
    assert actions.class_names() == ("apple", "pear")
    s = _step(qtbot, w, 30)
    assert s.epoch == 30
    actions.undo_action.trigger()
    assert w.dataset.name == "moons"
    actions.redo_action.trigger()
    assert w.dataset is d
    wait_run(qtbot, w)


def test_the_windows_script_export_of_an_imported_csv_names_its_classes(win, qtbot, tmp_path,
                                                                       monkeypatch):
    """File > Export > Python script of a CSV's run holds the file's class names (its labels
    held 0/1 only, and predict's columns had no names)."""
    import ast
    w, actions = win
    _import_fruit_through_the_menu(win, qtbot, tmp_path, monkeypatch)
    _step(qtbot, w, 20)
    script = tmp_path / "fruit.py"
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT):
        actions.export_code("script", str(script))
    names = [n.value for n in ast.parse(script.read_text()).body if isinstance(n, ast.Assign)
             and getattr(n.targets[0], "id", None) == "CLASS_NAMES"]
    assert len(names) == 1 and ast.literal_eval(names[0]) == ["apple", "pear"]


def test_the_import_preview_is_not_covered_by_a_stale_progress_dialog(win, qtbot, tmp_path,
                                                                      monkeypatch):
    """The preview stays open longer than the progress dialog's show-after delay: the finished
    read's "Reading ..." dialog must not appear over it (it was modal, so the preview's buttons,
    the window and Escape were all dead), and the preview's Cancel works."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from nnviz.gui import file_jobs
    from nnviz.gui.session_dialogs import ImportDialog
    w, actions = win
    path = str(_fruit_csv(tmp_path))
    monkeypatch.setattr(actions, "ask_path", lambda *a, **k: path)
    seen: dict = {}

    def look(dlg):  # a while after the preview opened: past every show-after timer
        seen["progress"] = [d.labelText() for d in QApplication.topLevelWidgets()
                            if isinstance(d, QProgressDialog) and d.isVisible()]
        seen["modal"] = QApplication.activeModalWidget()
        seen["preview"] = dlg
        dlg.buttons.button(dlg.buttons.StandardButton.Cancel).click()

    def find_preview():  # runs inside the preview's own event loop once it is open
        dlg = next((d for d in QApplication.topLevelWidgets()
                    if isinstance(d, ImportDialog) and d.isVisible()), None)
        if dlg is None:
            QTimer.singleShot(20, find_preview)
            return
        QTimer.singleShot(2 * file_jobs.SHOW_AFTER_MS, lambda: look(dlg))
    QTimer.singleShot(0, find_preview)
    actions.import_action.trigger()
    qtbot.waitUntil(lambda: "preview" in seen, timeout=TIMEOUT)
    assert seen["progress"] == []  # no "Reading fruit.csv..." over the preview
    assert seen["modal"] is seen["preview"]  # the preview takes the clicks
    qtbot.waitUntil(lambda: not seen["preview"].isVisible(), timeout=TIMEOUT)  # Cancel worked
    assert QApplication.activeModalWidget() is None  # the window is usable again
    assert w.dataset.name == "moons"  # cancelled: nothing imported


def test_import_regression_fits_the_network(win, qtbot):
    w, actions = win
    imported = parse_csv_text("x,y\n" + "".join(f"{i / 10},{np.sin(i / 10):.4f}\n"
                                                 for i in range(30)), name="curve")
    assert actions.import_data(imported)
    p = w.current_problem()
    data, spec, config, _ = p.source, p.spec, p.config, p.seed
    assert spec.input_dim == 1 and spec.output_activation == "linear" and config.loss == "mse"
    assert "regression" in actions.last_message
    assert _step(qtbot, w, 5).epoch == 5


def _wait_file(qtbot, actions, path):
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT) as sig:
        yield
    assert sig.args == [path]


def test_exports_produce_readable_files(win, qtbot, tmp_path):
    from PySide6.QtSvg import QSvgRenderer
    w, actions = win
    # A picture as large as its view: at the window's least width (the test screen is 800 px
    # wide) the view was 399 px; a laptop's window is the case here.
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024)
    s = _step(qtbot, w, 12)
    for which in ("plot", "loss", "view"):
        png, svg = str(tmp_path / f"{which}.png"), str(tmp_path / f"{which}.svg")
        assert actions.export_plot(which, png) and actions.export_plot(which, svg)
        img = QImage(png)
        assert img.width() >= 400 and img.height() >= 100
        assert QSvgRenderer(svg).isValid()
    # The points are drawn as shapes: the only bitmaps in the SVG are the heatmap and colour bar
    # (pixmap-cached symbols would each be an <image>).
    assert open(tmp_path / "plot.svg").read().count("<image") <= 3
    # The decision plot's PNG shows the orange/blue background, not a blank image.
    img = QImage(str(tmp_path / "plot.png"))
    colours = {img.pixelColor(x, y).name() for x in range(0, img.width(), 7)
               for y in range(0, img.height(), 7)}
    assert len(colours) > 20

    hist = str(tmp_path / "h.csv")
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT):
        actions.export("history", hist)
    rows = list(csv.reader(open(hist)))
    assert rows[0] == ["epoch", "loss", "test_loss_every_few_epochs", "weights_after_epochs"]
    train = [(int(r[0]), float(r[1])) for r in rows[1:] if r[1]]
    test = [(int(r[0]), float(r[2])) for r in rows[1:] if r[2]]
    assert [e for e, _ in train] == list(range(1, 13))
    assert np.array_equal(np.float32([v for _, v in train]), s.loss_values)  # to the last digit
    assert [e for e, _ in test] == s.test_epochs.tolist()  # the test loss where it was measured
    # Row 13 holds the final weights' test loss (drawn at E + 1): in the range said (r21 F7),
    # and it says they are the weights after the 12 epochs trained (r28 F2).
    assert rows[-1][0] == "13" and rows[-1][1] == "" and rows[-1][3] == "12"
    assert actions.last_message == "Exported h.csv: the losses, epochs 1 to 13."

    npz = str(tmp_path / "w.npz")
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT):
        actions.export("weights", npz)
    with np.load(npz) as f:
        assert f["w0"].shape == (2, 4) and f["b0"].shape == (4, 1)
    for (a, b), (c, d) in zip(load_npz(npz, NetworkSpec()), s.params):
        assert np.array_equal(np.asarray(a), c) and np.array_equal(np.asarray(b), d)

    data_csv = str(tmp_path / "d.csv")
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT):
        actions.export("data", data_csv)
    back = read_csv(data_csv).dataset
    assert np.array_equal(back.X, w.dataset.X) and np.array_equal(back.y, w.dataset.y)

    assert not actions.export_plot("plot", str(tmp_path / "x.jpg"))
    assert "png or .svg" in actions.last_message


def _edit_points_switched_on_elsewhere_brings_the_plot_it_edits(main_window, qtbot):
    # A reviewer switched "Edit points on the plot" on from the Gradients tab: "Click the plot
    # to add a point", and no plot to click. The plot it edits comes to the front, and the
    # toolbar, which stays on other tabs, names it.
    w = main_window
    actions = w.session_actions
    w.show_view("gradients")
    assert w.current_view() == "gradients"
    actions.edit_points_action.trigger()
    assert actions.edit_toolbar.isVisible()
    assert w.current_view() == "main" and w.boundary.isVisible()
    assert "Data & model plot" in actions.edit_hint.text()
    w.show_view("gradients")  # looked elsewhere while editing: the toolbar says where
    assert "Click the Data & model plot" in actions.edit_hint.text()
    actions.edit_points_action.trigger()  # off
    assert not actions.edit_toolbar.isVisible()


def _the_edit_points_bars_done_is_drawn_as_a_button(main_window, qtbot, theme):
    """r13: "Done" on the Edit points bar was drawn flat, plain text beside the hint: nothing
    showed it was something to press. It has a button's edge on its four sides, as Play has."""
    from PySide6.QtWidgets import QAbstractButton
    w = main_window
    w.look_actions[("theme", theme)].trigger()
    actions = w.session_actions
    actions.edit_points_action.trigger()
    bar = actions.edit_toolbar
    qtbot.waitUntil(bar.isVisible)
    done, = [b for b in bar.findChildren(QAbstractButton) if b.text() == "Done"]
    qtbot.waitUntil(lambda: (bar.palette().window().color().lightness() < 80)
                    == (theme == "dark"))
    img = bar.grab().toImage()
    ground = img.pixelColor(bar.width() - 3, bar.height() // 2)  # the bar's empty end
    r = done.geometry()

    def edge(points) -> float:
        """The share of ``points`` drawn unlike the bar's ground."""
        def unlike(x, y):
            c = img.pixelColor(x, y)
            return abs(c.red() - ground.red()) + abs(c.green() - ground.green()) \
                + abs(c.blue() - ground.blue()) > 40
        return sum(unlike(x, y) for x, y in points) / len(points)

    xs, ys = range(r.left() + 4, r.right() - 3), range(r.top() + 4, r.bottom() - 3)
    sides = {  # the most drawn of the three lines nearest each side
        "top": max(edge([(x, r.top() + d) for x in xs]) for d in range(3)),
        "bottom": max(edge([(x, r.bottom() - d) for x in xs]) for d in range(3)),
        "left": max(edge([(r.left() + d, y) for y in ys]) for d in range(3)),
        "right": max(edge([(r.right() - d, y) for y in ys]) for d in range(3)),
    }
    assert min(sides.values()) >= 0.9, (theme, sides)
    done.click()
    assert not bar.isVisible() and not actions.edit_points_action.isChecked(), theme


def test_edit_points_on_the_plot_and_at_the_cap(win, qtbot, monkeypatch):
    """Points edited on the moons, then at the most points nnviz trains on, on one window (a
    window each, alike at epoch 0). The plot's part first: it ends with Edit points off and
    the moons' 200 points back, where the cap's part starts."""
    _edit_points_on_the_plot(win, qtbot)
    assert not win[1].edit_points_action.isChecked() and win[0].dataset.name == "moons"
    _edit_points_at_the_cap_says_so_in_the_bar_and_names_the_point_deleted(win, qtbot,
                                                                           monkeypatch)


def _edit_points_on_the_plot(win, qtbot):
    w, actions = win
    n = len(w.dataset.X)
    actions.edit_points_action.trigger()
    assert actions.edit_toolbar.isVisible()
    assert [actions.edit_class.itemText(i) for i in range(2)] == ["class 0", "class 1"]
    actions.edit_class.setCurrentIndex(1)
    # A real click on the plot, at data coordinates (1.5, 1.0).
    pi = w.boundary.getPlotItem()
    scene_pos = pi.vb.mapViewToScene(QPointF(1.5, 1.0))
    view_pos = w.boundary.mapFromScene(scene_pos)
    qtbot.mouseClick(w.boundary.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert len(w.dataset.X) == n + 1
    assert w.dataset.X[-1] == pytest.approx([1.5, 1.0], abs=0.05) and w.dataset.y[-1] == 1
    assert w.data_panel.dataset.currentText() == "edited moons"  # nothing was loaded
    wait_run(qtbot, w)
    # Undone, the point is gone: the status corner does not go on saying "added point".
    actions.undo_action.trigger()
    assert len(w.dataset.X) == n
    qtbot.waitUntil(lambda: w.controls.status.text() == "undo: added point", timeout=TIMEOUT)
    actions.redo_action.trigger()
    assert len(w.dataset.X) == n + 1
    wait_run(qtbot, w)
    # A right-click on it, where it is drawn now, deletes it again. (Where it was clicked is
    # not where it is drawn: the click's place was taken as the Edit points bar came, before
    # the plot's range settled under it, and the x range widened from 3.9 to 4.5-4.7 for a
    # moment. The same place later lay 0.06-0.08 of the plot's size from the point, about the
    # delete radius: a right-click there deleted it at 931 px wide, not at 833.)
    view_pos = w.boundary.mapFromScene(pi.vb.mapViewToScene(QPointF(*w.dataset.X[-1])))
    qtbot.mouseClick(w.boundary.viewport(), Qt.MouseButton.RightButton, pos=view_pos)
    assert len(w.dataset.X) == n
    # Far from every point, a right-click deletes nothing.
    assert not actions.delete_point_near(50.0, 50.0)
    assert "No point near" in actions.last_message
    # Undo walks back: the point comes back, then goes again.
    actions.undo_action.trigger()
    assert len(w.dataset.X) == n + 1
    actions.undo_action.trigger()
    assert len(w.dataset.X) == n and w.dataset.name == "moons"
    wait_run(qtbot, w)
    # Without edit mode, clicks do nothing to the data.
    actions.stop_editing_points()
    assert not actions.edit_toolbar.isVisible()
    qtbot.mouseClick(w.boundary.viewport(), Qt.MouseButton.LeftButton, pos=view_pos)
    assert len(w.dataset.X) == n
    # nor does a right-click, and no menu of pyqtgraph's pops up over the plot or the loss
    # chart (their menus are never built: they would offer log axes and transforms the views
    # do not expect).
    for plot in (w.boundary, w.loss_plot):
        qtbot.mouseClick(plot.viewport(), Qt.MouseButton.RightButton,
                         pos=plot.viewport().rect().center())
        assert QApplication.activePopupWidget() is None, type(plot).__name__
    assert len(w.dataset.X) == n
    # The edits' news in the run's corner ("undo: deleted point") is news for a moment: it
    # stood long after the editing, through a save (review r30).
    assert "point" in w.controls.status.text()
    qtbot.waitUntil(lambda: w.controls.status.text() == "", timeout=TIMEOUT)


def test_edit_points_on_a_curve(win, qtbot):
    w, actions = win
    actions.preset_actions["sine"].trigger()
    n = len(w.dataset.X)
    actions.edit_points_action.trigger()
    assert not actions._class_widget.isVisible()
    assert actions.add_point(0.5, 2.0)
    assert w.dataset.X[-1, 0] == np.float32(0.5) and w.dataset.y[-1] == np.float32(2.0)
    assert actions.delete_point_near(0.5, 2.0) and len(w.dataset.X) == n
    wait_run(qtbot, w)


def _edit_points_at_the_cap_says_so_in_the_bar_and_names_the_point_deleted(win, qtbot,
                                                                            monkeypatch):
    """Review r23 F19: at the most points nnviz trains on, every click popped a modal box the
    bar had not warned of, and a right-click deleted a point seldom among those drawn, with
    nothing said of which. The bar says a click adds none, a click says so in the status line
    (no box), and the deleted point is named."""
    from nnviz.core import csvdata
    w, actions = win
    n = len(w.dataset.X)
    monkeypatch.setattr(csvdata, "MAX_ROWS", n)  # the 200 points are the most, here
    actions.edit_points_action.trigger()
    assert "the most nnviz trains on: a click adds none" in actions.edit_hint.text()
    assert not actions.add_point(0.5, 0.5)
    assert actions.message_box is None and len(w.dataset.X) == n
    assert w.statusBar().currentMessage().startswith(f"Not added: the data has {n:,} points")
    x1, x2 = (float(v) for v in w.dataset.X[7])
    label = int(w.dataset.y[7])
    assert actions.delete_point_near(x1, x2) and len(w.dataset.X) == n - 1
    said = w.statusBar().currentMessage()
    assert said.startswith(f"Deleted the point ({x1:.3g}, {x2:.3g}) of class {label}: "
                           f"{n - 1:,} points"), said
    # Under the cap again, the bar offers the click as before.
    assert "Click the" in actions.edit_hint.text() and "adds none" not in actions.edit_hint.text()
    wait_run(qtbot, w)


def test_example_data_imports(win, qtbot, monkeypatch):
    from nnviz.gui import session_actions
    from nnviz.gui.session_dialogs import ImportDialog
    w, actions = win
    examples = {name: path for name, path, _ in session_actions.example_files()}
    assert set(examples) == {"fruit.csv", "daylight.csv"}
    names = [a.text().replace("&", "") for a in actions.examples_menu.actions()]
    assert names == ["daylight.csv", "fruit.csv"]
    assert "fruit" in actions.examples_menu.actions()[1].toolTip()
    seen = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: seen.append(self.summary.text()) or 1)
    actions.examples_menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)  # read off the GUI thread
    assert seen and "3 classes (apple, lemon, pear)" in seen[0]
    p = w.current_problem()
    data, spec, config, _ = p.source, p.spec, p.config, p.seed
    assert data.name == "fruit" and spec.output_dim == 3 and w.dataset.n_classes == 3
    wait_run(qtbot, w)


def test_drop_a_session_or_a_csv_on_the_window(win, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QMimeData, QPoint, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.session_dialogs import ImportDialog
    w, actions = win
    _step(qtbot, w, 4)
    path = str(tmp_path / "dropped.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    actions.preset_actions["xor"].trigger()

    def drop(file_path):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(file_path))])
        args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier)
        enter = QDragEnterEvent(QPoint(300, 300), *args)  # as a real drag: enter, then drop
        QApplication.sendEvent(w, enter)
        if not enter.isAccepted():
            return False
        ev = QDropEvent(QPointF(300, 300), *args)
        QApplication.sendEvent(w, ev)
        return ev.isAccepted()

    assert drop(path)
    qtbot.waitUntil(lambda: not actions.jobs.jobs, timeout=TIMEOUT)  # read off the GUI thread
    assert shown_title(w) == "dropped.nnviz \u2014 nnviz" and w.current_problem().source.name == "moons"
    wait_run(qtbot, w, 4)
    seen = []
    monkeypatch.setattr(ImportDialog, "exec", lambda self: seen.append(self.path) or 0)
    assert drop(_fruit_csv(tmp_path))
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert seen == [str(tmp_path / "fruit.csv")]  # the preview opens; cancelled here
    assert not drop(tmp_path / "picture.png")  # not ours: not taken


def _undo_keeps_the_learning_rate_in_use(win, qtbot):
    w, actions = win
    field = w.training_panel.lr.lineEdit()
    field.setText("0.3")  # the user types a rate and presses Enter
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert w.current_problem().config.learning_rate == 0.3
    # A rate change is not a reset; it is an undo step of its own (undone below the width).
    assert "learning rate" in actions.undo_action.text()
    w.editor.rows[0].width.setValue(9)  # (9, 10, 4): the keyboard undo test's shape above
    actions.undo_action.trigger()
    p = w.current_problem()
    data, spec, config, _ = p.source, p.spec, p.config, p.seed
    assert spec.hidden == (4, 10, 4) and config.learning_rate == 0.3, "rate kept under undo"
    wait_run(qtbot, w)


def test_what_the_readme_says_of_training_settings_mid_run(win, qtbot):
    """README, Train: the learning rate changes and the run goes on; a change of loss,
    optimiser, batch size or L1/L2 starts a fresh model at epoch 0, and Undo brings the
    trained run back (the README said they all changed "without losing the run")."""
    w, actions = win
    tp = w.training_panel
    field = tp.lr.lineEdit()
    field.setText("0.3")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    trained = _step(qtbot, w, 20)
    assert w.last_snapshot.run_id == trained.run_id  # the rate: same run, on from its epoch
    for change in (lambda: tp.loss.setCurrentIndex(tp.loss.findData("cross-entropy")),
                   lambda: tp.optimizer.setCurrentIndex(tp.optimizer.findData("adam")),
                   lambda: tp.batch.setValue(8),
                   lambda: tp.regularizer.setCurrentIndex(tp.regularizer.findData("L2"))):
        change()
        assert "a fresh model" in w.statusBar().currentMessage()
        assert wait_run(qtbot, w, 0).epoch == 0
        actions.undo_action.trigger()  # the trained run comes back
        back = wait_run(qtbot, w, 20)
        np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])
    assert w.current_problem().config.learning_rate == 0.3


def test_imported_data_and_its_class_names_survive_save_and_open(win, qtbot, tmp_path):
    w, actions = win
    assert actions.import_data(read_csv(_fruit_csv(tmp_path)))
    _step(qtbot, w, 3)
    path = str(tmp_path / "fruit.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    actions.preset_actions["xor"].trigger()
    assert actions.class_names() is None
    actions.open_session(path)
    wait_run(qtbot, w, 3)
    assert w.data_panel.dataset.currentText() == "fruit (loaded)"
    assert actions.class_names() == ("apple", "pear")
    actions.edit_points_action.trigger()
    assert [actions.edit_class.itemText(i) for i in range(2)] == ["apple (class 0)",
                                                                 "pear (class 1)"]


def test_a_session_saved_from_python_shows_the_same_class_names_as_every_other_run(
        win, qtbot, tmp_path):
    # The README's run.save("moons.nnviz") of nnviz.train(X, y) keeps y's labels, 0 and 1;
    # File > Open showed them bare ("0  1 ... background: P(1)") where nnviz.show and the
    # window's own runs say "class 0  class 1 ... P(class 1)". A file's own names still show.
    import nnviz
    w, actions = win
    own_key = w.legend.text()
    assert "class 0" in own_key and "P(class 1)" in own_key  # the window's own run
    X, y = nnviz.datasets.make("moons")
    path = str(tmp_path / "moons.nnviz")
    nnviz.train(X, y, epochs=5).save(path)  # the notebook's network: the window's programs
    actions.open_session(path)
    wait_run(qtbot, w, 5)
    key = w.legend.text()
    assert "class 0" in key and "class 1" in key and "P(class 1)" in key, key
    assert "P(1)" not in key
    assert actions.class_names() == ("0", "1")  # the file's labels kept (a script's names)
    assert actions.import_data(read_csv(_fruit_csv(tmp_path)))
    wait_run(qtbot, w)
    key = w.legend.text()
    assert "apple" in key and "pear" in key and "class 0" not in key, key


def test_undo_brings_back_the_trained_run_not_a_fresh_model(win, qtbot):
    # A reviewer trained 500 epochs, picked another data set by mistake and pressed Ctrl+Z: the
    # moons came back at epoch 0 with fresh weights. Undo and redo now bring back each side's
    # run as it was left: its epoch, weights and loss curve.
    w, actions = win
    wait_run(qtbot, w)
    trained = _step(qtbot, w, 60)
    w.data_panel.noise.setValue(0.3)  # a data edit: a fresh model on other points
    wait_run(qtbot, w, 0)
    other = _step(qtbot, w, 5)
    actions.undo_action.trigger()

    back = wait_run(qtbot, w, 60)
    assert w.current_problem().source.noise == pytest.approx(0.1)
    assert w.data_panel.noise.value() == pytest.approx(0.1)
    assert back.metrics.train_loss == pytest.approx(trained.metrics.train_loss, rel=1e-6)
    np.testing.assert_array_equal(back.params[0][0], trained.params[0][0])
    assert w.loss_plot.train.getData()[0][-1] == 60  # its loss curve, not one point
    actions.redo_action.trigger()
    again = wait_run(qtbot, w, 5)
    assert w.current_problem().source.noise == pytest.approx(0.3)
    np.testing.assert_array_equal(again.params[0][0], other.params[0][0])
    _step(qtbot, w, 3)  # and it trains on from there
    actions.undo_action.trigger()  # the first run again, kept when it was left a second time
    wait_run(qtbot, w, 60)


def status_fits(w) -> bool:
    """The status bar's message is whole: as wide as the bar left of the run's status."""
    bar = w.statusBar()
    right = min([c.x() for c in bar.children() if c.isWidgetType() and c.isVisible()
                 and c.x() > 0] + [bar.width()])
    return bar.fontMetrics().horizontalAdvance(bar.currentMessage()) <= right - 12


def test_only_the_trained_runs_near_the_present_step_are_kept(win, qtbot):
    # Each kept run holds its record (tens of MB for a wide network): the KEPT_RUNS trained runs
    # nearest the present step come back trained, farther ones as a fresh model of their
    # settings, and the status bar says so when Undo comes back to one of those (it went
    # silently). Not when it is let go: said after each preset or lesson loaded once four
    # runs had trained, it was noise in front of a class (a teacher's review).
    from nnviz.gui.actions.undo import KEPT_RUNS
    w, actions = win
    w.resize(1024, 768)
    qtbot.waitUntil(lambda: w.width() == 1024)
    wait_run(qtbot, w)
    edits = KEPT_RUNS + 2
    for i in range(edits):
        _step(qtbot, w, 3)
        w.data_panel.noise.setValue(0.11 + 0.01 * i)
        wait_run(qtbot, w, 0)
        QApplication.processEvents()  # (the note came a moment after the step's message)
        assert "Undo keeps" not in w.statusBar().currentMessage()
    # Short and plain, whole in the status bar at 1024 px (it was a long sentence naming the
    # step, joined to the step's own message, cut off mid-word).
    note = ("Undo: a fresh model, not the run at epoch 3 (Undo keeps the last 4 trained runs; "
            "Save keeps a run).")
    epochs = []
    for i in range(edits):
        actions.undo_action.trigger()
        epochs.append(wait_run(qtbot, w).epoch)
        if i < KEPT_RUNS:
            QApplication.processEvents()
            assert "Undo keeps" not in w.statusBar().currentMessage()
        else:
            qtbot.waitUntil(lambda: w.statusBar().currentMessage() == note, timeout=TIMEOUT)
            assert status_fits(w)
    assert epochs == [3] * KEPT_RUNS + [0] * (edits - KEPT_RUNS), epochs
    for _ in range(edits):  # and forward again: the trained runs undone are kept for redo
        actions.redo_action.trigger()
        epochs.append(wait_run(qtbot, w).epoch)
    assert epochs[edits:] == [0] + [3] * KEPT_RUNS + [0], epochs


def test_the_editing_points_class_box_shows_a_files_whole_class_name(win, qtbot, tmp_path):
    """Editing points on the moons, then importing fruit.csv: the class box read "apple (cl",
    sized for "class 0" when first shown. It now shows "apple (class 0)" whole."""
    w, actions = win
    actions.edit_points_action.trigger()
    box = actions.edit_class
    qtbot.waitUntil(box.isVisible, timeout=TIMEOUT)
    actions.edit_toolbar.layout().activate()  # laid out with the moons' "class 0"
    assert actions.import_data(read_csv(_fruit_csv(tmp_path)))
    wait_run(qtbot, w)
    if not actions.edit_points_action.isChecked():
        actions.edit_points_action.trigger()
    assert box.currentText() == "apple (class 0)"
    need = box.fontMetrics().horizontalAdvance("apple (class 0)") + 20  # + the arrow
    qtbot.waitUntil(lambda: box.isVisible() and box.width() >= need, timeout=TIMEOUT)


def test_the_full_windows_session_view_stop_and_edit_points_bar(main_window, qtbot, tmp_path):
    """On one full window (a window each: five alike at epoch 0): a session reopens on its
    view and with its Stop at; then Edit points switched on from another tab, and the bar's
    Done drawn as a button on the light theme, then the dark. First: the full window has
    the session actions without being given them (a window of its own built for that)."""
    _the_window_installs_the_actions_itself(main_window)
    _a_session_reopens_on_the_view_it_was_saved_on(main_window, qtbot, tmp_path)
    _a_session_keeps_where_play_stops(main_window, qtbot, tmp_path)
    _edit_points_switched_on_elsewhere_brings_the_plot_it_edits(main_window, qtbot)
    for theme in ("light", "dark"):
        _the_edit_points_bars_done_is_drawn_as_a_button(main_window, qtbot, theme)


def _a_session_reopens_on_the_view_it_was_saved_on(main_window, qtbot, tmp_path):
    """Saved while the Network tab was in front, a session opens on it again (it opened on the
    main tab, whatever view the teacher had prepared)."""
    w = main_window
    actions = w.session_actions
    w.show_view("network")
    path = str(tmp_path / "net.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(path)
    w.show_view("main")
    actions.open_session(path)
    assert w.current_view() == "network"
    assert w.tabs.currentWidget() is w._views["network"]


def _a_session_keeps_where_play_stops(main_window, qtbot, tmp_path):
    """A teacher's session that stops at the lesson's picture opens with that Stop at (it opened
    as "never": review r23 F10); one saved without a stop clears the field's."""
    w = main_window
    actions = w.session_actions
    field = w.controls.stop_at
    field.setValue(1234)  # as typed
    stopping = str(tmp_path / "stops.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(stopping)
    field.setValue(0)
    never = str(tmp_path / "never.nnviz")
    with qtbot.waitSignal(actions.saved, timeout=TIMEOUT):
        actions.save_to(never)
    field.setValue(77)
    actions.open_session(stopping)
    assert field.value() == 1234 and w.stop_at() == 1234
    actions.open_session(never)
    assert field.value() == 0 and w.stop_at() is None


def _house_csv(tmp_path):
    """A reviewer's file: area_m2 (50-250) and price_k = 1.5 area + noise (75-375)."""
    rng = np.random.default_rng(0)
    area = rng.uniform(50, 250, 100)
    price = 1.5 * area + rng.normal(0, 10, 100)
    p = tmp_path / "house.csv"
    p.write_text("area_m2,price_k\n" + "".join(f"{a:.6f},{b:.6f}\n" for a, b in zip(area, price)))
    return p


def test_house_prices_are_standardised_on_import_and_every_place_says_so(
        win, qtbot, tmp_path, monkeypatch):
    """Prices of 75-375 fitted a flat line at the mean (R² 0.000) and nothing said why. The
    preview says the target is standardised and how; unticked, it warns; imported, the axis,
    the data panel and the metrics line say the numbers are standardised, and the fit is
    good after 300 epochs."""
    from nnviz.gui.session_dialogs import ImportDialog
    w, actions = win
    path = str(_house_csv(tmp_path))
    dlg = ImportDialog(path, w)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.standardise_target.isChecked() and dlg.standardise_target.isEnabled()
    said = dlg.summary.text()
    assert "regression of price_k (standardised)" in said
    assert "The target was standardised too" in said and "price_k = (value \u2212 2" in said
    assert not dlg.scale_warning.isVisible()
    dlg.standardise_target.setChecked(False)  # the escape: the file's prices
    assert "price_k (standardised)" not in dlg.summary.text()
    assert dlg.imported.dataset.target_scaling is None
    assert dlg.imported.dataset.y.max() > 300
    assert dlg.scale_warning.isVisible() and dlg.import_button.isEnabled()
    warned = dlg.scale_warning.text()
    assert "the target price_k" in warned and "flat line at the mean" in warned
    assert "Tick Standardise regression targets" in warned
    dlg.close()

    import_through_the_menu(actions, monkeypatch, path, lambda dlg: dlg.import_button.click())
    qtbot.waitUntil(lambda: w.dataset.name == "house", timeout=TIMEOUT)
    assert "The target was standardised too" in actions.last_message
    assert "target standardised" in w.data_panel.task.text()
    axis = w.boundary.getPlotItem().getAxis
    qtbot.waitUntil(lambda: axis("left").labelText == "price_k (standardised)", timeout=TIMEOUT)
    wait_run(qtbot, w)
    # The 300 epochs at full speed: 60 paced frames at the default 5 epochs a frame were
    # ~2.5 CPU s of drawing; the fit after epoch 300 is the same at any speed.
    w.controls.speed.setValue(w.controls.speed.maximum())
    s = _step(qtbot, w, 300)
    assert s.metrics.train_accuracy > 0.9  # R²: a fit, not the flat line
    qtbot.waitUntil(lambda: "standardised units" in w.metrics.text(), timeout=TIMEOUT)


def test_a_presets_note_stops_promising_the_stop_once_past_it(win, qtbot):
    # "Press Play (Space): it stops at epoch 1,000" stayed over the plot at epoch 1,805 (a
    # teacher's review): past the stop, or with Stop at changed, the note no longer says it.
    w, actions = win
    p = presets.get("blobs-linear")
    assert actions.load_preset(p)
    wait_run(qtbot, w, 0)
    promise = f"it stops at epoch {p.epochs:,}"
    assert promise in w.hint.text() and w.hint.isVisible()
    # r29 L5: Play stopped at 500 under "Press Play (Space): it stops at epoch 500, where the
    # result shows": the note says it has stopped there, what that is and how to go on.
    # Played at full speed: nothing here reads the frames before the stop, which Play keeps
    # exactly at any speed (at the default 5 epochs a frame, 100 paced frames drawn).
    w.controls.speed.setValue(w.controls.speed.maximum())
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.last_snapshot.live_epoch
                    == p.epochs and not w.playing, timeout=TIMEOUT)
    there = (f"Stopped at epoch {p.epochs:,}: this is the result. Play (Space) trains on "
             "past it.")
    qtbot.waitUntil(lambda: there in w.hint.text(), timeout=TIMEOUT)
    assert promise not in w.hint.text() and "Press Play" not in w.hint.text()
    assert w.hint.isVisible() and w.hint.text().startswith("Blobs")
    _step(qtbot, w, 5)
    qtbot.waitUntil(lambda: promise not in w.hint.text(), timeout=TIMEOUT)
    assert w.hint.isVisible() and w.hint.text().startswith("Blobs")
    assert f"epoch {p.epochs:,}" in w.hint.text()  # where its result shows, still said
    assert actions.load_preset(p)  # again; then Stop at set to never by hand
    wait_run(qtbot, w, 0)
    assert promise in w.hint.text()
    w.controls.stop_at.setValue(0)
    assert promise not in w.hint.text()


def test_a_presets_note_says_when_the_run_is_the_learners_own_and_its_stop_goes_with_its_data(
        win, qtbot):
    # Review r20 F6: after the rate was changed mid-run, "5. Moons: the notebook's final
    # figure ... where the result shows" stood over 99% accuracy, the notebook's being 88%.
    # F9: the preset's Stop at 1,000 stayed for an imported CSV's run, and stopped it there.
    from .test_problem_defaults import choose, type_rate
    w, actions = win
    p = presets.get("moons")
    assert actions.load_preset(p)
    wait_run(qtbot, w, 0)
    note = w.hint.text()
    assert "notebook" in note and w.controls.stop_at.value() == p.epochs
    _step(qtbot, w, 10)
    assert w.hint.text() == note  # trained as the preset says: the note as it was
    type_rate(qtbot, w, "2")
    qtbot.waitUntil(lambda: w.hint.text() == (
        f"{note} You changed the learning rate to 2 at epoch 10: this is your own run now, "
        f"not the preset's (Presets \u2192 {p.title} loads it again)."), timeout=TIMEOUT)
    assert w.controls.stop_at.value() == p.epochs  # the same data: its stop stays
    assert actions.load_preset(p)  # loaded again: the preset's own note
    wait_run(qtbot, w, 0)
    assert w.hint.text() == note
    # Other data: the preset's stop goes with its note.
    panel = w.data_panel
    choose(panel.dataset, "blobs")
    qtbot.waitUntil(lambda: w.current_problem().source.name == "blobs", timeout=TIMEOUT)
    assert not w.hint.isVisible()
    assert w.stop_at() is None and w.controls.stop_at.value() == 0  # "never"
    # A stop the learner typed is theirs: it stays with other data.
    w.controls.stop_at.setValue(300)
    choose(panel.dataset, "moons")
    qtbot.waitUntil(lambda: w.current_problem().source.name == "moons", timeout=TIMEOUT)
    assert w.stop_at() == 300


def test_the_loss_export_says_which_branch_it_holds(win, qtbot, tmp_path):
    # Review r20 F5: "the losses of epochs 1 to 2,097, the whole run" was the shown branch's
    # only, run 1's curve beside it on the plot not in the file. Review r21 F7: "run 2's
    # losses, epochs 1 to 842 (not run 1)" then read as none of run 1's numbers, but epochs
    # 1 to 312 were run 1's, the file had a row 843 past the range named, and most rows' test
    # loss was empty without a word why.
    w, actions = win
    _step(qtbot, w, 300)
    w.timeline.slider.setValue(200)
    qtbot.waitUntil(lambda: w.last_snapshot.epoch == 200, timeout=TIMEOUT)
    w.timeline.fork.click()
    qtbot.waitUntil(lambda: w.last_snapshot.branch == "run 2", timeout=TIMEOUT)
    _step(qtbot, w, 100)
    hist = tmp_path / "branch.csv"
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT):
        actions.export("history", str(hist))
    message = actions.last_message
    assert message == ("Exported branch.csv: epochs 1 to 301 of run 2's path (run 1 to epoch "
                       "200, then run 2); test loss only every few epochs.")
    rows = list(csv.reader(open(hist)))
    assert rows[0] == ["epoch", "loss", "test_loss_every_few_epochs", "weights_after_epochs"]
    epochs = [int(r[0]) for r in rows[1:]]
    assert epochs == list(range(1, 302))  # every row within the range said, and no other
    assert [int(r[0]) for r in rows[1:] if r[1]] == list(range(1, 301))  # the train losses
    assert 0 < sum(1 for r in rows[1:] if not r[2]) < 300  # the test loss on some rows only


def test_a_loss_export_of_a_branch_of_a_branch_names_its_whole_path(win, qtbot, tmp_path):
    # run 3 forked from run 2 at 30, itself forked from run 1 at 20: epochs 1 to 20 are run
    # 1's, 21 to 30 run 2's (r21 F7).
    w, actions = win
    _step(qtbot, w, 25)
    for at, name in ((20, "run 2"), (30, "run 3")):
        if at > w.last_snapshot.epoch:
            _step(qtbot, w, at - w.last_snapshot.epoch + 3)
        w.timeline.slider.setValue(at)
        qtbot.waitUntil(lambda: w.last_snapshot.epoch == at, timeout=TIMEOUT)
        w.timeline.fork.click()
        qtbot.waitUntil(lambda: w.last_snapshot.branch == name, timeout=TIMEOUT)
    _step(qtbot, w, 5)
    hist = tmp_path / "b3.csv"
    with qtbot.waitSignal(actions.exported, timeout=TIMEOUT):
        actions.export("history", str(hist))
    assert actions.last_message == ("Exported b3.csv: epochs 1 to 36 of run 3's path (run 1 "
                                    "to epoch 20, run 2 to epoch 30, then run 3).")
    assert [int(r[0]) for r in list(csv.reader(open(hist)))[1:]] == list(range(1, 37))


def test_a_data_set_picked_from_the_list_has_its_own_test_split(win, qtbot):
    # The moons lesson's test fraction 0 (every point trained on, as the notebook) stayed for
    # the blobs picked next from the Data list: no test points, no test curve (a teacher's
    # review). Picked from the list, a data set comes with its defaults, as a preset's does.
    w, actions = win
    assert actions.load_preset(presets.get("moons"))
    wait_run(qtbot, w, 0)
    panel = w.data_panel
    assert panel.test_fraction.value() == 0 and len(w.dataset.test_index) == 0
    panel.dataset.setCurrentIndex(panel.dataset.findData("blobs"))
    qtbot.waitUntil(lambda: w.current_problem().source.name == "blobs", timeout=TIMEOUT)
    wait_run(qtbot, w, 0)
    assert panel.test_fraction.value() == pytest.approx(0.2)
    assert len(w.dataset.test_index) > 0 and w.show_test.isEnabled()
    assert " 0 test points" not in panel.task.text()
