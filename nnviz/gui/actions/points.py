"""Edit points on the plot: a click adds a point of the chosen class, a right-click deletes the nearest.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from PySide6.QtCore import Qt

from nnviz.core import csvdata
from nnviz.core.data import DataError, Dataset
from nnviz.core.errors import NnvizError


USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

DELETE_RADIUS = 0.05
PLOT = "Data & model plot"  # the plot the points are edited on, by its tab's name


class PointsMixin:
    """Edit points on the plot: a click adds a point of the chosen class, a right-click deletes the nearest."""

    def _edit_mode(self) -> str | None:
        """"2d" (points in the plane), "1d" (x, y of a curve) or None (cannot edit)."""
        d = self.window.dataset
        if d is None:
            return None
        if d.n_features == 2:
            return "2d"
        if d.n_features == 1 and not d.is_classification:
            return "1d"
        return None

    def _toggle_edit_points(self) -> None:
        on = self.edit_points_action.isChecked()
        if on and self._edit_mode() is None:
            self.edit_points_action.setChecked(False)
            self.show_error("Edit points", "Points can be edited on the plot only for data "
                            "with two features, or one feature and a value to fit.")
            return
        self.edit_toolbar.setVisible(on)
        self.window.worker.editing_points(on)  # compiles for edited points ahead, beside training
        self._update_edit_toolbar()
        if on:
            # The plot it edits in front: switched on from the Gradients tab, "Click the plot"
            # named a plot that was not there.
            self.window.show_view("main")
            self._status(f"Click the {PLOT} to add a point; right-click deletes the nearest.")

    def stop_editing_points(self) -> None:
        self.edit_points_action.setChecked(False)
        self._toggle_edit_points()

    def _update_edit_toolbar(self) -> None:
        d = self.window.dataset
        mode = self._edit_mode()
        if mode is None:
            if self.edit_points_action.isChecked():
                self.edit_points_action.setChecked(False)
                self.edit_toolbar.hide()
            return
        clf = d.is_classification
        self._class_widget.setVisible(clf)
        self._value_widget.setVisible(not clf and mode == "2d")
        if clf:
            names = self.class_names(d) or tuple(str(i) for i in range(d.n_classes))
            keep = self.edit_class.currentIndex()
            self.edit_class.blockSignals(True)
            self.edit_class.clear()
            for i, n in enumerate(names):
                self.edit_class.addItem(f"class {n}" if n == str(i) else f"{n} (class {i})", i)
            self.edit_class.setCurrentIndex(keep if 0 <= keep < len(names) else 0)
            self.edit_class.blockSignals(False)
            what = "add a point of this class"
        elif mode == "2d":
            what = "add a point with this value"
        else:
            what = "add a point (x, y) where you click"
        # Which plot, said: the toolbar stays while another tab is in front. At the cap the bar
        # says a click cannot add (review r23 F19: a modal box came up at every click instead).
        if len(d.X) >= csvdata.MAX_ROWS:
            self.edit_hint.setText(f"  {len(d.X):,} points, the most nnviz trains on: a click "
                                   f"adds none.  Right-click on the {PLOT}: delete the nearest "
                                   "point.  ")
            return
        self.edit_hint.setText(f"  Click the {PLOT}: {what}.  Right-click: delete the "
                               "nearest point.  ")

    def _plot_clicked(self, ev) -> None:
        if not self.edit_points_action.isChecked() or ev.double():
            return
        vb = self.window.boundary.getPlotItem().vb
        pos = ev.scenePos()
        if not vb.sceneBoundingRect().contains(pos):
            return
        p = vb.mapSceneToView(pos)
        if ev.button() == Qt.MouseButton.LeftButton:
            self.add_point(p.x(), p.y())
            ev.accept()
        elif ev.button() == Qt.MouseButton.RightButton:
            self.delete_point_near(p.x(), p.y())
            ev.accept()

    def add_point(self, x: float, y: float) -> bool:
        """Add a training point at plot coordinates (x, y): of the chosen class (or value)."""
        d, mode = self.window.dataset, self._edit_mode()
        if mode is None:
            return False
        if len(d.X) >= csvdata.MAX_ROWS:  # said in the bar and the status line, not a box a click
            self._status(f"Not added: the data has {len(d.X):,} points, the most nnviz trains "
                         "on. Right-click deletes a point.", 10000)
            return False
        if mode == "1d":
            coords, target = (x,), y
        elif d.is_classification:
            coords, target = (x, y), self.edit_class.currentData() or 0
        else:
            coords, target = (x, y), self.edit_value.value()
        try:
            new = csvdata.with_point_added(d, coords, target)
        except DataError as e:
            self.show_error("Add a point", str(e))
            return False
        return self._load_edited(new, "added point")

    def delete_point_near(self, x: float, y: float) -> bool:
        """Delete the point nearest plot coordinates (x, y), if one is close on screen."""
        d, mode = self.window.dataset, self._edit_mode()
        if mode is None:
            return False
        (x0, x1), (y0, y1) = self.window.boundary.getPlotItem().vb.viewRange()
        scale = (x1 - x0 or 1.0, y1 - y0 or 1.0)
        q = (x, y)
        i, dist = csvdata.nearest_point(d, q, scale, targets=(mode == "1d"))
        if dist > DELETE_RADIUS * math.sqrt(2):
            self._status("No point near the click to delete.")
            return False
        try:
            new = csvdata.with_point_removed(d, i)
        except DataError as e:
            self.show_error("Delete a point", str(e))
            return False
        # The point named: at 100,000 points the one deleted is seldom among those drawn, and
        # nothing vanished where the click was (review r23 F19).
        at = ", ".join(f"{v:.3g}" for v in np.asarray(d.X[i]).ravel())
        if mode == "1d":
            what = f"({at}, {float(d.y[i]):.3g})"
        elif d.is_classification:
            what = f"({at}) of class {int(d.y[i])}"
        else:
            what = f"({at}), value {float(d.y[i]):.3g}"
        return self._load_edited(new, "deleted point", f"Deleted the point {what}")

    def _load_edited(self, new: Dataset, text: str, said: str | None = None) -> bool:
        names = self.class_names()
        if names:
            self._class_names[new] = names
        before = self._current
        if not self._put_points(new, text):
            # No run to go on (nothing loaded yet): a fresh one on the edited points.
            ok = self._load(text, replace(self._current, dataset=new, params=None))
            if ok:
                self._status(f"{text.capitalize()}: {len(new.X)} points; a fresh model starts "
                             "at epoch 0.")
            return ok
        from nnviz.gui.actions.undo import PointsCommand
        self.undo_stack.push(PointsCommand(self, text, before.dataset, new))
        now = self.window.last_snapshot
        at = f" from epoch {now.live_epoch:,}" if now is not None else ""
        self._status(f"{said or text.capitalize()}: {len(new.X):,} points; training goes "
                     f"on{at}.")
        return True

    def _put_points(self, data: Dataset, text: str) -> bool:
        """The run goes on on ``data`` (an edit of its points, or its undo): no new run."""
        if not self.window.edit_points(data, text):
            return False
        self._current = replace(self._current, dataset=data)
        self._update_edit_toolbar()
        return True
