"""A CSV file with a value far outside its column (1e30 among 0-10): the import dialog says which
cell and what to do, and nothing of the session changes; features of +-3e38 kept as they are
still draw a decision map."""
from __future__ import annotations

import math

import numpy as np
from ..conftest import wait_for_run
from .test_session_actions import import_through_the_menu


def _csv(tmp_path, name, rows):
    # 200 rows: the notebook's 160 training and 40 test points, its programs compiled already
    p = tmp_path / name
    p.write_text("x1,x2,label\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows))
    return p


def test_a_far_value_is_refused_in_the_import_dialog_and_the_session_stays(
        qtbot, main_window, tmp_path, monkeypatch):
    """One cell of 1e30 among values of 0-10 imported without a word: standardised, every
    other point stood on one spot of the plot over a one-colour heat map. The preview now
    refuses it, naming the line, the column and the value, with the box ticked or not; the
    window keeps its data and its run."""
    w = main_window
    rng = np.random.default_rng(4)
    rows = [(round(a, 3), round(b, 3), int(a + b > 10)) for a, b in rng.uniform(0, 10, (200, 2))]
    rows[7] = (1e30, rows[7][1], rows[7][2])  # line 9 of the file: the header is line 1
    path = str(_csv(tmp_path, "far.csv", rows))
    data, run = w.dataset, w.run_id
    seen = {}

    def look_and_cancel(dlg):
        seen["ticked"] = (dlg.summary.text(), dlg.summary.is_error(),
                          dlg.import_button.isEnabled())
        dlg.standardise.setChecked(False)
        seen["unticked"] = (dlg.summary.text(), dlg.import_button.isEnabled())
        dlg.reject()

    import_through_the_menu(w.session_actions, monkeypatch, path, look_and_cancel)
    qtbot.waitUntil(lambda: "unticked" in seen)
    said, is_error, can_import = seen["ticked"]
    assert said.startswith("Cannot import: far.csv: line 9, column 1 (x1): 1e+30 is far "
                           "outside the column's other values (")
    assert "Correct the value or remove the row" in said
    assert is_error and not can_import
    assert seen["unticked"][0].startswith("Cannot import: far.csv: line 9, column 1 (x1): 1e+30")
    assert not seen["unticked"][1]
    assert w.dataset is data and w.run_id == run  # the session as it was


def test_features_of_3e38_kept_as_they_are_draw_a_decision_map(qtbot, main_window, tmp_path):
    """x1 from -3e38 to 3e38, kept unstandardised: the plot's margin took the float32 grid past
    its largest number (points of inf), and no decision map was drawn at all, the warning over
    the plot saying only that the values are far from unit scale."""
    from nnviz.core.csvdata import read_csv
    w = main_window
    rng = np.random.default_rng(5)
    rows = [(f"{a:.4g}e38", round(b, 3), int(a > 0)) for a, b in
            zip(rng.uniform(-3, 3, 200), rng.uniform(0, 10, 200))]
    imported = read_csv(_csv(tmp_path, "wide.csv", rows), standardise=False)
    assert w.session_actions.import_data(imported)
    wait_for_run(qtbot, w)
    assert "far from unit scale and kept as given" in w.hint.text() and w.hint.isVisible()
    b = w.boundary

    def drawn() -> bool:
        b.draw_pending()
        img = b.heat.image
        if img is None or not b.heat.isVisible():
            return False
        r = b.heat.mapRectToView(b.heat.boundingRect())
        return all(math.isfinite(v) for v in (r.left(), r.right(), r.top(), r.bottom())) \
            and r.left() < -2.9e38 and r.right() > 2.9e38
    qtbot.waitUntil(drawn)
    assert np.isfinite(b.heat.image).all()
