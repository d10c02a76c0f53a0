"""Soak: train 1,000,000 epochs (or --epochs N) with the full window open offscreen, as fast as
it goes, and print what a long run costs: the resident memory (VmRSS from /proc/self/status)
after warm-up and at the end, the points the loss plot holds, and the speed.

    python bench/soak.py [--epochs 1000000] [--warmup 20000] [--problem notebook|adam-minibatch]

Target: memory growth under 30 MB from warm-up to the end, and a bounded number of plot points.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import gc
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from _proc import memory_mb as rss_mb  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=1_000_000)
    p.add_argument("--warmup", type=int, default=20_000,
                   help="epochs before the first memory reading (compiles, caches, buffers)")
    p.add_argument("--problem", choices=("notebook", "adam-minibatch"), default="notebook",
                   help="the notebook's moons (full batch GD) or Adam with batches of 32")
    args = p.parse_args()

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.problem import Problem
    from nnviz.core.network import NetworkSpec
    from nnviz.core.training import TrainConfig
    from nnviz.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    problem = None
    if args.problem == "adam-minibatch":
        problem = Problem(make_dataset(DataSpec("moons")), NetworkSpec(),
                          TrainConfig("mse", "adam", 0.01, 32), None, 0)
    w = MainWindow(problem)  # with every installed view, as a user has it
    w.controls.speed.setValue(w.controls.speed.maximum())  # flat out: Play starts at a pace to watch
    w.resize(1400, 900)
    w.show()

    def pump_until(done, timeout_s: float) -> bool:
        end = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > end or w.last_error:
                return False
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.001)
        return True

    def epoch() -> int:
        s = w.last_snapshot
        return s.epoch if s is not None else -1

    if not pump_until(lambda: epoch() == 0, 300):
        print(f"soak: the model did not start: {w.last_error}", file=sys.stderr)
        return 1
    w.play()
    t0 = time.perf_counter()
    if not pump_until(lambda: epoch() >= args.warmup, 3600):
        print(f"soak: warm-up failed: {w.last_error}", file=sys.stderr)
        return 1
    gc.collect()
    warm_rss, warm_epoch, t_warm = rss_mb(), epoch(), time.perf_counter()
    print(f"after warm-up: epoch {warm_epoch:,}, RSS {warm_rss:.1f} MB "
          f"({t_warm - t0:.1f} s)", flush=True)

    readings = []
    next_report = warm_epoch + (args.epochs - warm_epoch) // 5
    while epoch() < args.epochs:
        if not pump_until(lambda: epoch() >= min(next_report, args.epochs), 3600):
            print(f"soak: training stopped: {w.last_error or 'timeout'}", file=sys.stderr)
            return 1
        readings.append((epoch(), rss_mb()))
        print(f"  epoch {readings[-1][0]:>9,}: RSS {readings[-1][1]:.1f} MB", flush=True)
        next_report += (args.epochs - warm_epoch) // 5
    w.pause()
    pump_until(lambda: not w.playing, 30)
    pump_until(lambda: False, 0.5)  # let the last snapshot be drawn
    t_end = time.perf_counter()
    gc.collect()
    end_rss, end_epoch = rss_mb(), epoch()

    train_x, _ = w.loss_plot.train.getData()
    test_x, _ = w.loss_plot.test.getData()
    s = w.last_snapshot
    rate = (end_epoch - warm_epoch) / (t_end - t_warm)
    print(f"at the end:    epoch {end_epoch:,}, RSS {end_rss:.1f} MB")
    print(f"memory growth after warm-up: {end_rss - warm_rss:+.1f} MB (target < 30 MB)")
    print(f"loss plot points: train {0 if train_x is None else len(train_x)}, "
          f"test {0 if test_x is None else len(test_x)} "
          f"(history capacity {len(s.loss_epochs)} kept of {end_epoch:,} epochs)")
    print(f"speed with the window drawing: {rate:,.0f} epochs/s; "
          f"final train loss {s.metrics.train_loss:.4f}")
    w.close()
    grown = end_rss - warm_rss
    return 0 if grown < 30 and train_x is not None and len(train_x) <= 8192 else 1


if __name__ == "__main__":
    raise SystemExit(main())
