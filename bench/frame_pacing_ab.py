"""The big network's frame pacing (core/loop.py's FRAME_STEPS, BIG_FRAME_S) on and off, in turns
in one window of one process.

    python bench/frame_pacing_ab.py [--hidden 512,512,...] [--turns 6] [--seconds 8]
    python bench/frame_pacing_ab.py --big-frame 25   # BIG_FRAME_S as it is against 1/25 s
    python bench/frame_pacing_ab.py --metrics-every  # METRICS_EVERY_S as it is against 0

bench/gui.py's steady phase of the main view with the pacing off (FRAME_STEPS = 0: frames as
often as the window draws them) and on (or, with ``--big-frame N``, paced with BIG_FRAME_S as it
is, "on", and with 1/N s, "off"; with ``--metrics-every``, the numbers measured at most every
METRICS_EVERY_S while playing, "on", and with every snapshot, "off", at BIG_FRAME_S as it is or
1/N s with ``--big-frame N``), ``--turns`` times each, in turns (off-on, on-off, ...),
next to headless phases of the same loop with each setting (view_cost's denominator, as in
bench/gui.py: the headless loop publishes at the same pace). Prints one JSON object: per
setting the medians of frames/s, epochs/s, the headless epochs/s and view_cost (also against
the headless loop with the pacing off), each turn's figures, and the load. On a shared 2-core machine single phases scatter by a third: the medians
of the pairs taken in turns are the figure.
"""
from __future__ import annotations

import _fresh  # noqa: F401 (first: settings of the process's own; bench/_fresh.py)
import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", default=",".join(["512"] * 8))
    p.add_argument("--turns", type=int, default=6, help="window phases per setting")
    p.add_argument("--seconds", type=float, default=8.0)
    p.add_argument("--big-frame", type=float, default=None,
                   help="compare BIG_FRAME_S with 1/N s (both paced) instead of off and on")
    p.add_argument("--metrics-every", action="store_true",
                   help="compare METRICS_EVERY_S as it is (on) with 0 (off: the numbers with "
                        "every snapshot)")
    args = p.parse_args()
    os.environ["NNVIZ_BENCH_PROBLEM"] = json.dumps(
        {"hidden": [int(w) for w in args.hidden.split(",")]})
    import gui  # bench/gui.py: its problem, Recorder and phases
    from nnviz.core import loop
    gui.steady_start()
    load = [os.getloadavg()[0]]
    on, big, every = loop.FRAME_STEPS, loop.BIG_FRAME_S, loop.METRICS_EVERY_S

    def setting(name: str) -> None:
        if args.metrics_every:
            loop.METRICS_EVERY_S = every if name == "on" else 0.0
            if args.big_frame:
                loop.BIG_FRAME_S = 1 / args.big_frame
        elif args.big_frame:
            loop.BIG_FRAME_S = big if name == "on" else 1 / args.big_frame
        else:
            loop.FRAME_STEPS = on if name == "on" else 0
    app, w, rec = gui.steady_window()
    w.show_view("main")
    rec.watch("main", gui.painted_widget(w, w._inspection_views, "main"))
    rec.pump(0.5)
    rows: dict[str, list[dict]] = {"off": [], "on": []}
    for i in range(args.turns):
        # The headless loop publishes (to nobody) at the same pace as the window's, so each
        # setting has its own denominator; both are measured in every turn, next to the window
        # phases.
        headless = {}
        for name in ("off", "on") if i % 2 == 0 else ("on", "off"):
            setting(name)
            headless[name] = gui.headless_eps(gui.the_problem(), args.seconds / 2)
        for name in ("off", "on") if i % 2 == 0 else ("on", "off"):
            setting(name)
            phase = rec.steady(args.seconds, "main")
            rows[name].append({"frames_per_second": phase["frames_per_second"],
                               "epochs_per_second": phase["epochs_per_second"],
                               "headless_epochs_per_second": headless[name],
                               "view_cost": phase["epochs_per_second"] / headless[name],
                               "view_cost_vs_off": phase["epochs_per_second"] / headless["off"],
                               "max_stall_ms": phase["max_stall_ms"]})
    w.shutdown()
    load.append(os.getloadavg()[0])
    out = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
           for name, rs in rows.items()}
    out["turns"] = rows
    out["load"] = load
    out["off_is"] = "METRICS_EVERY_S = 0" if args.metrics_every else \
        f"BIG_FRAME_S = 1/{args.big_frame:g} s" if args.big_frame else "FRAME_STEPS = 0"
    out["big_frame_s"] = loop.BIG_FRAME_S
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
