"""What one frame of the network or neurons view costs the GUI thread, away from the window.

    python bench/view_frame.py --views network --hidden 512,512,512,512,512,512,512,512
    python bench/view_frame.py --views neurons --frames 40
    python bench/view_frame.py --views gradients --hidden 4,10,4   # new numbers every frame
    python bench/view_frame.py --views hidden-space --hidden 4,10,4 --points 100000
    python bench/view_frame.py --views gradients --hidden 4,10,4 --profile /tmp/g.prof

A TrainLoop trains the problem (bench/gui.py's: the moons, sigmoid layers of ``--hidden``) and
makes ``--frames`` snapshots one epoch apart with the probes the window runs while the view is
shown (the maps probe throttled as views.py throttles it, the gradient probe as always); then the
view alone (1380 x 800, offscreen) draws them: ``update_snapshot`` and the paint it causes, as
the window's frame does. Prints one JSON object: the view's CPU ms a frame (median and mean:
``time.process_time``, the whole process, so XLA's threads are idle then) and the worker's CPU ms
a snapshot, with the load average. CPU time, not wall time: on a busy machine the figure to
compare is taken alternately with the other code (PYTHONPATH=...) in the same minutes.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--views", choices=("network", "neurons", "gradients", "hidden-space"),
                   default="network")
    p.add_argument("--hidden", default="512,512,512,512,512,512,512,512")
    p.add_argument("--frames", type=int, default=30)
    p.add_argument("--points", type=int, default=None, help="moons points (default 200)")
    p.add_argument("--size", default="1380x800", help="the view's size, WxH (default 1380x800; "
                   "in the 1400x900 window a tab's view is ~750x760)")
    p.add_argument("--profile", default=None, help="a file: cProfile of the frames")
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps(
        {"hidden": [int(w) for w in args.hidden.split(",")], "points": args.points})
    load_before = open("/proc/loadavg").read().split()[:3]
    import gui  # bench/gui.py: the same problem

    from nnviz.core import inspect
    from nnviz.core.loop import NewProblem, TrainLoop
    from nnviz.gui.views import GRADIENT_BUDGET, MAP_BUDGET

    loop = TrainLoop()
    loop._handle(NewProblem(1, gui.the_problem()))
    loop.playing = True
    if args.views == "gradients":  # new numbers in every frame: the view's whole drawing
        loop.probes = {"gradients": inspect.GradientProbe()}
    elif args.views == "hidden-space":
        loop.probes = {"hidden-space": inspect.HiddenSpaceProbe()}
    else:
        loop.probes = {"gradients": inspect.Throttled(inspect.GradientProbe(), GRADIENT_BUDGET),
                       args.views: inspect.Throttled(inspect.NeuronMapsProbe(), MAP_BUDGET)}
    for _ in range(3):  # compiles
        loop._run_epochs(1)
        loop.make_snapshot()
    snaps, worker = [], []
    for _ in range(args.frames):
        loop._run_epochs(1)
        time.sleep(0.03)  # the epoch done (jax is asynchronous): the snapshot's own cost
        c = time.process_time()
        snaps.append(loop.make_snapshot())
        worker.append(time.process_time() - c)

    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    if args.views == "network":
        from nnviz.gui.network_view import NetworkView
        view = NetworkView()
    elif args.views == "gradients":
        from nnviz.gui.gradient_view import GradientView
        view = GradientView()
    elif args.views == "hidden-space":
        from nnviz.gui.hidden_space import HiddenSpaceView
        view = HiddenSpaceView()
    else:
        from nnviz.gui.neuron_maps import NeuronMapsView
        view = NeuronMapsView()
    view.extras_key = args.views
    view.resize(*(int(v) for v in args.size.lower().split("x")))
    view.show()
    for s in snaps[:3]:  # layouts, fonts, first images
        view.update_snapshot(s)
        app.processEvents()
    gui_ms = []
    profiler = None
    if args.profile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    for s in snaps:
        c = time.process_time()
        view.update_snapshot(s)
        app.processEvents()  # the paint it asked for
        gui_ms.append(1000 * (time.process_time() - c))
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(json.dumps({
        "view": args.views, "hidden": args.hidden, "frames": len(snaps),
        "gui_cpu_ms_per_frame": statistics.median(gui_ms),
        "gui_cpu_ms_per_frame_mean": statistics.mean(gui_ms),
        "worker_cpu_ms_per_snapshot": 1000 * statistics.median(worker),
        "load_before": load_before, "load_after": open("/proc/loadavg").read().split()[:3]},
        indent=1))
    os._exit(0)  # no need to wait for Qt's teardown


if __name__ == "__main__":
    raise SystemExit(main())
