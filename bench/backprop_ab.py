"""The Backprop tab's frame, this tree's against another's, alternating every frame in one process.

    python bench/backprop_ab.py /tmp/base                 # the forward stage, 2000 epochs a frame
    python bench/backprop_ab.py /tmp/base update 20

A TrainLoop trains 800 epochs, then makes 40 snapshots EPOCHS_PER_FRAME apart with the probe of
STAGE's numbers, as while the run plays on that stage. The other tree's whole nnviz.gui is loaded
under another name (its view and the widgets it uses; nnviz.core is this tree's); both views
(750x760, the tab's size in the 1400x900 window) are shown side by side and take each snapshot
in turn (the order swapped every frame), ``update_snapshot`` and the paint it causes timed with
the GUI thread's CPU clock (``time.thread_time``). Prints the medians, the 25th percentiles and
their ratio (this / base) with the load: on a busy machine, the ratio is the figure.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import importlib
import importlib.util
import json
import os
import statistics
import sys
import time
from types import SimpleNamespace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("base", help="the other tree (its nnviz/gui)")
    p.add_argument("stage", nargs="?", default="forward", help="the stage on screen")
    p.add_argument("epochs", nargs="?", type=int, default=2000, help="epochs between frames")
    args = p.parse_args()
    import gui  # bench/gui.py: the same problem

    from nnviz.core.backprop import STAGES, BackpropProbe
    from nnviz.core.loop import NewProblem, TrainLoop
    loop = TrainLoop()
    loop._handle(NewProblem(1, gui.the_problem()))
    loop.playing = True
    loop.probes = {"backprop": BackpropProbe(stage=args.stage)}
    loop._run_epochs(800)
    snaps = []
    for _ in range(40):
        loop._run_epochs(args.epochs)
        snaps.append(loop.make_snapshot())

    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    gui_dir = os.path.join(args.base, "nnviz", "gui")
    spec = importlib.util.spec_from_file_location(
        "nnviz_base_gui", os.path.join(gui_dir, "__init__.py"),
        submodule_search_locations=[gui_dir])
    package = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = package
    spec.loader.exec_module(package)
    modules = {"base": importlib.import_module("nnviz_base_gui.backprop_view"),
               "this": importlib.import_module("nnviz.gui.backprop_view")}
    views = {}
    for key, module in modules.items():
        v = module.BackpropView(SimpleNamespace(dataset=loop.trainer.data, playing=True))
        v.go(STAGES.index(args.stage))
        v.resize(750, 760)
        v.show()
        views[key] = v
    for s in snaps[:3]:  # layouts, fonts
        for v in views.values():
            v.update_snapshot(s)
            app.processEvents()
    spent = {k: [] for k in views}
    for rep in range(4):
        for i, s in enumerate(snaps[3:]):
            order = list(views.items())
            for key, v in (order if (i + rep) % 2 == 0 else order[::-1]):
                c = time.thread_time()
                v.update_snapshot(s)
                app.processEvents()
                spent[key].append(time.thread_time() - c)
    out = {f"{k}_cpu_ms_per_frame": round(1000 * statistics.median(x), 2)
           for k, x in spent.items()}
    out.update({f"{k}_p25": round(1000 * statistics.quantiles(x, n=4)[0], 2)
                for k, x in spent.items()})
    out["ratio"] = round(out["this_cpu_ms_per_frame"] / out["base_cpu_ms_per_frame"], 3)
    out.update(stage=args.stage, epochs_per_frame=args.epochs,
               load=open("/proc/loadavg").read().split()[:3])
    print(json.dumps(out))
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main())
