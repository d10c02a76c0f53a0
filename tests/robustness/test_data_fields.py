"""Issue 17 item 4: junk typed into the data panel's fields while training (and ``-0`` in Noise)
never raises: each value is refused beside the panel or taken as the number it means."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from nnviz.core.data import DATASETS, DataSpec, make_dataset

pytestmark = [pytest.mark.qt_log_ignore("propagateSizeHints")]


def _type_into(qtbot, field, text):
    edit = field.lineEdit()
    edit.setFocus()
    edit.selectAll()
    if not text.isascii():  # QTest types ASCII only; a paste goes through the same validator
        edit.insert(text)
    elif text:
        qtbot.keyClicks(edit, text)
    else:
        qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_minus_zero_noise_makes_the_noiseless_data_set(name):
    # -0.0 passed the range check (0 <= -0.0) and then numpy refused "scale < 0".
    noiseless = make_dataset(DataSpec(name, noise=0.0))
    minus = make_dataset(DataSpec(name, noise=-0.0))
    assert (minus.X == noiseless.X).all() and (minus.y == noiseless.y).all()
    assert str(minus.spec.noise) == "0.0"


JUNK = ["-0", "-0.0", "-0,00", "1e400", "nan", "inf", "-", "e", "99999999999", "-5", "0x10",
        "١٢", "\u00a0", "12abc", ",", "0.0000001"]


@pytest.mark.parametrize("field", ["noise", "test_fraction", "samples", "seed", "classes"])
def test_junk_typed_into_a_data_field_while_training_never_raises(bare_window, qtbot, wait_run,
                                                                  field):
    w = bare_window
    if field == "classes":
        w.data_panel.dataset.setCurrentIndex(w.data_panel.dataset.findData("multiclass"))
        wait_run(w, 0)
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 0, timeout=30_000)
    for text in JUNK:
        _type_into(qtbot, getattr(w.data_panel, field), text)
        qtbot.wait(20)
        assert not w.last_error, f"{text!r} in {field}: {w.last_error}"
        assert not w.banner.isVisible(), f"{text!r} in {field}: {w.banner.text()}"
    # The window still trains the settings the fields show.
    w.play()
    run = w.run_id
    qtbot.waitUntil(lambda: w.last_snapshot is not None and w.last_snapshot.run_id == run
                    and w.last_snapshot.epoch > 0, timeout=60_000)
    assert not w.last_error
    spec = w.current_problem().source
    assert spec == w.data_panel.spec()


def test_minus_zero_typed_into_noise_while_training_starts_the_noiseless_set(bare_window, qtbot,
                                                                             wait_run):
    w = bare_window
    w.play()
    qtbot.waitUntil(lambda: w.last_snapshot.epoch > 0, timeout=30_000)
    _type_into(qtbot, w.data_panel.noise, "-0")
    wait_run(w, 0)
    assert not w.last_error and not w.banner.isVisible()
    assert w.current_problem().source.noise == 0.0
    assert "fresh model" in w.editor.note.text()
