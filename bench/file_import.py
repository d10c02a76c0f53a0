"""Reading big files in the window: a 100,000-row CSV import and a 100,000-point session,
this tree beside an older one (issue 18 items 7 and 8), side by side in one run.

    python bench/file_import.py [--before REF] [--runs 3]

``--before`` (default: the commit before this work, 2c62137) is exported with ``git archive`` to
a temporary folder; every measurement runs in a fresh subprocess with that tree or this one
first on the path, the two taking turns. Figures are medians over ``--runs``:

- ``read``: the core alone, ``preview_csv`` on the file (what the import dialog needs): wall
  time and the peak resident memory above the process's memory before it (VmHWM - VmRSS);
- ``import``: the window (all views) imports the CSV through File > Import as a user does, the
  preview accepted: the longest the GUI thread stalls (a 10 ms timer's largest gap) until the
  preview opens, and until the imported data is drawn; the time to each; the peak memory above
  the window's before the import;
- ``open``: the window opens the session saved from that data through File > Open: the longest
  stall and the time until it is drawn, and the peak memory above the window's.

The load average (/proc/loadavg) is printed at the start and at the end.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000


def _status(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _write_csv(path: Path) -> None:
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.normal(size=(ROWS, 2))
    with open(path, "w") as f:
        f.write("x1,x2,label\n")
        for a, b in X:
            f.write(f"{a:.6f},{b:.6f},{'red' if a * b > 0 else 'blue'}\n")


# --- the children -------------------------------------------------------------------------------

def child_read(csv_path: str) -> dict:
    from nnviz.core import csvdata
    base = _status("VmRSS")
    t0 = time.perf_counter()
    pv = csvdata.preview_csv(csv_path)
    dt = time.perf_counter() - t0
    assert pv.data is not None, pv.error
    return {"s": dt, "peak_mb": _status("VmHWM") - base}


def _window():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.main_window import MainWindow
    app = QApplication.instance() or QApplication(sys.argv[:1])
    w = MainWindow()
    w.show()

    def wait(cond, timeout=300.0, settle=False):
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                if settle:
                    return
                raise TimeoutError
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def drawn() -> bool:
        s = w.last_snapshot
        return s is not None and s.run_id == w.run_id

    wait(drawn)
    wait(lambda: False, 1.0, settle=True)  # let the views settle

    gaps = {"max": 0.0, "last": time.perf_counter()}

    def tick() -> None:
        now = time.perf_counter()
        gaps["max"] = max(gaps["max"], now - gaps["last"])
        gaps["last"] = now
    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    return app, w, wait, drawn, gaps, timer


def child_import(csv_path: str) -> dict:
    app, w, wait, drawn, gaps, timer = _window()
    from nnviz.gui import session_dialogs
    out: dict = {}
    base, hwm0 = _status("VmRSS"), _status("VmHWM")
    t0 = time.perf_counter()
    old_run = w.run_id

    def exec_(dialog) -> int:  # the preview is shown: the user presses Import
        now = time.perf_counter()  # (a read in the GUI thread has let no tick through yet)
        out["to_preview_s"] = now - t0
        out["stall_to_preview_s"] = max(gaps["max"], now - gaps["last"])
        return 1
    session_dialogs.ImportDialog.exec = exec_
    gaps["last"] = time.perf_counter()
    w.session_actions.import_dialog(csv_path)
    wait(lambda: w.run_id != old_run and drawn())
    out["to_drawn_s"] = time.perf_counter() - t0
    out["stall_to_drawn_s"] = gaps["max"]
    out["peak_mb"] = max(0.0, _status("VmHWM") - base) if _status("VmHWM") > hwm0 else 0.0
    assert len(w.dataset.X) == ROWS
    timer.stop()
    w.close()
    return out


def child_open(session_path: str) -> dict:
    app, w, wait, drawn, gaps, timer = _window()
    actions = w.session_actions
    base, hwm0 = _status("VmRSS"), _status("VmHWM")
    old_run = w.run_id
    t0 = time.perf_counter()
    actions.ask_path = lambda *a, **k: session_path
    gaps["last"] = time.perf_counter()
    actions.open_action.trigger()
    wait(lambda: w.run_id != old_run and drawn())
    out = {"to_drawn_s": time.perf_counter() - t0, "stall_s": gaps["max"],
           "peak_mb": max(0.0, _status("VmHWM") - base) if _status("VmHWM") > hwm0 else 0.0}
    assert len(w.dataset.X) == ROWS, actions.last_message
    timer.stop()
    w.close()
    return out


def child_make_session(csv_path: str, session_path: str) -> dict:
    from nnviz.core.csvdata import read_csv
    from nnviz.core.session import Session
    from nnviz.core.training import TrainConfig, Trainer, network_for
    data = read_csv(csv_path).dataset
    spec = network_for(data, "mse", (4, 10, 4), ("sigmoid",) * 3, "sigmoid")
    trainer = Trainer(spec, TrainConfig(), data)
    trainer.run(10)
    Session.from_trainer(trainer).save(session_path)
    return {"bytes": os.path.getsize(session_path)}


CHILDREN = {"read": child_read, "import": child_import, "open": child_open,
            "make-session": child_make_session}


# --- the parent ---------------------------------------------------------------------------------

def _run(tree: Path, what: str, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", what, *args],
                       env=env, cwd=str(tree), capture_output=True, text=True, timeout=1800)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    if r.returncode or not lines:
        raise RuntimeError(f"{what} in {tree} failed:\n{r.stdout}\n{r.stderr[-3000:]}")
    return json.loads(lines[-1])


def _export(ref: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                          capture_output=True).stdout
    tar = into / "tree.tar"
    tar.write_bytes(data)
    with tarfile.open(tar) as t:
        t.extractall(into / "tree", filter="data")
    return into / "tree"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", default="2c62137")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:])))
        return 0

    print("load average at the start:", open("/proc/loadavg").read().strip())
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as tmp:
        tmp_path = Path(tmp)
        old = _export(args.before, tmp_path)
        csv_path = tmp_path / "big.csv"
        _write_csv(csv_path)
        session_path = tmp_path / "big.nnviz"
        # Written by the older tree: this one still opens an older format.
        info = _run(old, "make-session", str(csv_path), str(session_path))
        print(f"{ROWS:,}-row CSV: {csv_path.stat().st_size / 2**20:.1f} MB; its session: "
              f"{info['bytes'] / 2**20:.1f} MB; before = {args.before}, after = this tree")
        results: dict[tuple[str, str], list[dict]] = {}
        for _ in range(args.runs):
            for what, arg in (("read", csv_path), ("import", csv_path), ("open", session_path)):
                for name, tree in (("before", old), ("after", ROOT)):
                    results.setdefault((what, name), []).append(_run(tree, what, str(arg)))

    def med(what: str, name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[(what, name)])

    rows = [("read", "s", "preview_csv: time (s)"),
            ("read", "peak_mb", "preview_csv: peak memory above start (MB)"),
            ("import", "stall_to_preview_s", "import: longest GUI stall until the preview (s)"),
            ("import", "to_preview_s", "import: time until the preview opens (s)"),
            ("import", "stall_to_drawn_s", "import: longest GUI stall until drawn (s)"),
            ("import", "to_drawn_s", "import: time until the data is drawn (s)"),
            ("import", "peak_mb", "import: peak memory above the window's (MB)"),
            ("open", "stall_s", "open session: longest GUI stall (s)"),
            ("open", "to_drawn_s", "open session: time until drawn (s)"),
            ("open", "peak_mb", "open session: peak memory above the window's (MB)")]
    print(f"\nmedians of {args.runs} runs")
    print(f"| figure | before | after |\n| --- | ---: | ---: |")
    for what, key, label in rows:
        print(f"| {label} | {med(what, 'before', key):.2f} | {med(what, 'after', key):.2f} |")
    print("\nload average at the end:", open("/proc/loadavg").read().strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
