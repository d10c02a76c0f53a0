"""The training thread's signals handed to the window by a thread of their own (gui/worker.py's
_Courier) or by the training thread itself, in turns in one window of one process.

    python bench/courier_ab.py --hidden 512,512,512,512,512,512,512,512 --views main
    python bench/courier_ab.py --points 100000 --views gradients [--turns 6] [--seconds 8]

bench/gui.py's steady phase of one view (``--views``, as bench/gui.py's) with the courier off
(the training thread emits its snapshots itself, as before it) and on, ``--turns`` times each,
in turns (off-on, on-off, ...), each turn next to a headless phase of the same loop (view_cost's
denominator, as in bench/gui.py; the headless loop has no window and no courier). Prints one
JSON object: per setting the medians of view_cost, frames/s, epochs/s, longest stall and the
training thread's wall time in ``emit`` per snapshot (``emit_ms``: the time it spends handing a
snapshot over, the courier's queue or Qt's signal), each turn's figures, and the load. On a
shared 2-core machine single phases scatter by a third: the medians of the pairs taken in turns
are the figure.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", default="")
    p.add_argument("--points", type=int, default=0)
    p.add_argument("--views", default="main")
    p.add_argument("--turns", type=int, default=6, help="window phases per setting")
    p.add_argument("--seconds", type=float, default=8.0)
    args = p.parse_args()
    problem = {}
    if args.hidden:
        problem["hidden"] = [int(w) for w in args.hidden.split(",")]
    if args.points:
        problem["points"] = args.points
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps(problem)
    import gui  # bench/gui.py: its problem, Recorder and phases
    gui.steady_start()
    load = [os.getloadavg()[0]]
    view = args.views
    app, w, rec = gui.steady_window()
    w.show_view(view)
    rec.watch(view, gui.painted_widget(w, w._inspection_views, view))
    rec.pump(0.5)
    rec.first_frame(view)
    rec.background_ready()
    courier, loop = w.worker._courier, w.worker.loop
    publish, emits = loop._publish, []

    def timed(snapshot):  # the training thread: what handing a snapshot over costs it
        t0 = time.perf_counter()
        publish(snapshot)
        emits.append(time.perf_counter() - t0)
    loop._publish = timed
    rows: dict[str, list[dict]] = {"off": [], "on": []}
    for i in range(args.turns):
        headless = gui.headless_eps(gui.the_problem(), args.seconds / 2)
        for name in ("off", "on") if i % 2 == 0 else ("on", "off"):
            if name == "on":
                courier.start()
            else:
                courier.close()  # send emits where it is called: the training thread
            del emits[:]
            phase = rec.steady(args.seconds, view)
            rows[name].append({"view_cost": phase["epochs_per_second"] / headless,
                               "frames_per_second": phase["frames_per_second"],
                               "epochs_per_second": phase["epochs_per_second"],
                               "headless_epochs_per_second": headless,
                               "max_stall_ms": phase["max_stall_ms"],
                               "gui_cpu_ms_per_frame": phase["gui_cpu_ms_per_frame"],
                               "emit_ms": 1000 * statistics.mean(emits) if emits else None})
    w.shutdown()
    load.append(os.getloadavg()[0])
    out = {name: {k: statistics.median(r[k] for r in rs if r[k] is not None) for k in rs[0]}
           for name, rs in rows.items()}
    out["turns"] = rows
    out["load"] = load
    out["problem"], out["views"] = problem, view
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
