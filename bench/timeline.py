"""Timeline: how long the window takes to show an arbitrary past epoch in every view, and what the
run log costs in memory, after a short and a very long run.

    python bench/timeline.py [--epochs 3000,1000000] [--shows 15]

For each run length it trains the notebook's problem in the real window (offscreen) with Step,
then, with each view shown in turn (the main plot, network, neurons, hidden space, gradients),
moves the timeline to random past epochs and measures from the move to the frame that shows the
epoch drawn (the worker's replay from the nearest checkpoint, the snapshot with the view's
probes, the drawing). Prints one JSON object: per run length and view the median and maximum
milliseconds, the number of checkpoints and the run log's bytes, and the process's RSS growth
over the long run. Targets: <= 50 ms to show an epoch, at 3,000 and at 1,000,000 epochs.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import random
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

VIEWS = ("main", "network", "neurons", "hidden-space", "gradients")


from _proc import memory_mb as rss_mb  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", default="3000,1000000",
                   help="run lengths, comma-separated (default 3000,1000000)")
    p.add_argument("--shows", type=int, default=15, help="past epochs shown per view")
    args = p.parse_args()

    import nnviz.cli  # noqa: F401 -- as the app does: the CLI before PySide6
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from nnviz.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    w = MainWindow()
    w.resize(1400, 900)
    w.show()
    drawn = []
    w.snapshot_drawn.connect(lambda s: drawn.append((time.perf_counter(), s.epoch)))

    def pump_until(done, timeout_s: float) -> bool:
        end = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > end or w.last_error:
                return False
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        return True

    def settle(s: float) -> None:
        end = time.monotonic() + s
        while time.monotonic() < end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    if not pump_until(lambda: w.last_snapshot is not None, 300):
        print(f"timeline: the model did not start: {w.last_error}", file=sys.stderr)
        return 1
    rng = random.Random(0)
    out = {"load_average": os.getloadavg(), "results": []}
    done_epochs, rss0 = 0, rss_mb()
    for n in (int(x) for x in args.epochs.split(",")):
        t0 = time.perf_counter()
        w.step(n - done_epochs)
        if not pump_until(lambda: w.last_snapshot.epoch == n and not w.last_snapshot.past, 3600):
            print(f"timeline: training stopped: {w.last_error}", file=sys.stderr)
            return 1
        train_s = time.perf_counter() - t0
        done_epochs = n
        log = w.worker.loop.log
        row = {"epochs": n, "train_s": round(train_s, 1), "checkpoints": len(log.checkpoints),
               "run_log_bytes": log.nbytes(), "rss_mb": round(rss_mb(), 1), "views": {}}
        for view in VIEWS:
            w.show_view(view)
            settle(0.3)
            times = []
            for _ in range(args.shows + 1):
                e = rng.randrange(0, n)
                drawn.clear()
                t0 = time.perf_counter()
                w.timeline.go(e)
                if not pump_until(lambda: any(ep == e for _, ep in drawn), 60):
                    print(f"timeline: epoch {e} was not shown: {w.last_error}", file=sys.stderr)
                    return 1
                t1 = next(t for t, ep in drawn if ep == e)
                if view != "main":  # the views draw in their own turn, right after the frame
                    v = w._inspection_views[view]
                    pump_until(lambda: getattr(v.snapshot, "epoch", None) == e, 60)
                    t1 = time.perf_counter()
                times.append((t1 - t0) * 1000)
                settle(0.05)
            times = times[1:]  # the first show of a view compiles its probes
            row["views"][view] = {"median_ms": round(statistics.median(times), 1),
                                  "max_ms": round(max(times), 1)}
        w.timeline.go(None)
        pump_until(lambda: not w.last_snapshot.past, 60)
        out["results"].append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    out["rss_growth_mb"] = round(rss_mb() - rss0, 1)
    out["load_average_end"] = os.getloadavg()
    w.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
