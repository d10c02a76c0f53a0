"""Your own data: Import CSV (read off the GUI thread, with a preview) and the example files.

A part of :class:`nnviz.gui.session_actions.SessionActions` (one job per module)."""
from __future__ import annotations

import os

from PySide6.QtWidgets import QDialog

from nnviz.core import csvdata
from nnviz.core import session as session_io
from nnviz.core.errors import NnvizError

from ..session_dialogs import ImportDialog

USER_ERRORS = (NnvizError, OSError)  # the user's errors, and the disk's

CSV_FILTER = "CSV files (*.csv *.txt *.tsv);;All files (*)"
def example_files() -> list[tuple[str, str, str]]:
    """(name, path, first comment line) of each example CSV shipped in nnviz.resources."""
    from importlib import resources
    folder = resources.files("nnviz.resources").joinpath("examples")
    out = []
    try:
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        if not entry.name.endswith(".csv"):
            continue
        path = os.fspath(entry)  # the package is installed as files, not zipped
        first = entry.read_text("utf-8").splitlines()[0]
        out.append((entry.name, path, first.lstrip("# ").strip()))
    return out


def _dropped_file(mime) -> str | None:
    """The one local .nnviz or CSV file being dragged, else None."""
    if mime is None or not mime.hasUrls():
        return None
    urls = [u for u in mime.urls() if u.isLocalFile()]
    if len(urls) != 1:
        return None
    path = urls[0].toLocalFile()
    ok = path.lower().endswith((session_io.SUFFIX, ".csv", ".txt", ".tsv"))
    return path if ok else None




# What an import says while an open exercise keeps its data (its menu item greyed out).
DATA_KEPT = "The exercise keeps its data: Close the exercise to import your own."


class ImportMixin:
    """Your own data: Import CSV (read off the GUI thread, with a preview) and the example files."""

    def import_dialog(self, path: str | None = None) -> None:
        """Preview a CSV file (asked for when ``path`` is None) and import it if accepted.
        Refused while an exercise keeps its data (Import CSV greyed out): a file dropped on the
        window, or an example from the menu, put fruit.csv under an open XOR exercise, its
        goal checked on the fruit (review r31)."""
        if not self.import_action.isEnabled():
            self._status(DATA_KEPT)
            return
        path = path or self.ask_path("Import CSV", CSV_FILTER, save=False)
        if not path:
            return
        seed = self.window.current_problem().seed

        def show(preview: csvdata.CsvPreview) -> None:
            self._worked(path)  # read: its folder is the last folder
            dlg = ImportDialog(preview, self.window, seed=seed)
            if dlg.exec() == QDialog.DialogCode.Accepted and dlg.imported is not None:
                self.import_data(dlg.imported)

        # Read off the GUI thread (a big file takes seconds); the preview opens once it is read.
        self.jobs.start("Import CSV", f"Reading {os.path.basename(path)}\u2026",
                        lambda progress: csvdata.preview_csv(path, seed=seed, progress=progress),
                        show, lambda e: self._job_failed("Import CSV", e))

    def import_data(self, imported: csvdata.ImportedData) -> bool:
        """Train on imported data with the current network and settings: what the user chose
        stays, the rest fits the data (as when a data set is chosen in the panel)."""
        data = imported.dataset
        notes: list[str] = []
        try:
            problem = self.window.problem_for(data, notes, self.window.current_problem().seed)
        except USER_ERRORS as e:
            self.show_error("Cannot import", str(e))
            return False
        spec, config = problem.spec, problem.config
        if imported.class_names:
            self._class_names[data] = imported.class_names
        ok = self._load(f"import of {data.name}", problem)
        if ok:
            d = data
            far = csvdata.scale_warnings(imported, imported_already=True)
            kind = (f"{d.n_classes} classes ({', '.join(imported.class_names or ())})"
                    if d.is_classification else
                    f"regression of {d.target_name}" if d.target_name else "regression")
            self._status(f"Imported {d.name}: {len(d.X)} points, {kind}. Network "
                         f"{spec.shapes_text()}, loss {config.loss}, learning rate "
                         f"{config.learning_rate:g}." + (" Note: " + "; ".join(notes) + "."
                                                         if notes else "")
                         + (f" {imported.scaling_text()}." if imported.scaling_text() else "")
                         + (f" {far}" if far else ""))
            if far:  # over the plot, while this problem stays: the status line goes, is cut
                self.window.show_hint(far)
        return ok
