"""Play while the paused epoch's landscape is still being made, and Stop with one under way
(review r26 F1, F2): a TrainLoop (no Qt) on its own thread, as in the window, on 2-WIDTHx8-1
(200 moons points) with the Landscape's probe as the view sends it. Each turn: Play for PLAY_S
seconds, Pause; once the paused snapshot is out, the probe is sent again (the view does so
while paused, the sharpness history missing); WAIT_S later, Play: the time to the first
snapshot of a new epoch, and the epochs trained in the PLAY_S seconds after Play. At the end,
paused again with the probe sent again, Stop: the time the loop's thread takes to end (what
the window waits for as it closes).

    python bench/landscape_beside.py [--width 128] [--turns 3]

Run it on two trees for a side-by-side figure (PYTHONPATH=tree). A jax compile cache of its
own in /tmp. Prints each turn and the medians, with /proc/loadavg."""
import argparse
import copy
import os
import statistics
import sys
import threading
import time

os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", "/tmp/nnviz-bench-play-cache")

from _proc import loadavg as load  # noqa: E402
from _turns import clock  # noqa: E402
from nnviz.core import landscape_probe as lp  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.loop import NewProblem, Pause, Play, SetProbe, Stop, TrainLoop  # noqa: E402
from nnviz.core.problem import Choices, make_problem  # noqa: E402

PLAY_S = 3.0
WAIT_S = 1.5  # paused this long after the probe is sent again (the review's 1.5 s)
LIMIT_S = 180.0  # a Play that shows no new epoch in this long is cut off

ap = argparse.ArgumentParser()
ap.add_argument("--width", type=int, default=128)
ap.add_argument("--turns", type=int, default=3)
args = ap.parse_args()
T = clock()


snaps: list = []  # (time, epoch)
loop = TrainLoop(publish=lambda s: snaps.append((time.perf_counter(), s.epoch)))
loop.post(NewProblem(1, make_problem(make_dataset(DataSpec("moons")),
                                     Choices(hidden=(args.width,) * 8))))
gui = lp.LandscapeProbe(budget=0.05)
loop.post(SetProbe("landscape", copy.copy(gui)))
thread = threading.Thread(target=loop.run_forever, name="loop")
thread.start()
while not snaps:
    time.sleep(0.01)
gui.compile(loop.trainer)  # (its compiles are not what this measures)
print(T(), f"2-{args.width}x8-1 sigmoid, compiled; load {load()}", flush=True)


def pause() -> None:
    n = len(snaps)
    loop.post(Pause())
    while len(snaps) == n or loop.playing:
        time.sleep(0.01)
    loop.post(SetProbe("landscape", copy.copy(gui)))  # as the view does while paused


firsts, trained = [], []
for turn in range(args.turns):
    loop.post(Play())
    time.sleep(PLAY_S)
    pause()
    time.sleep(WAIT_S)
    e, n, ts = loop.trainer.epoch, len(snaps), time.perf_counter()
    loop.post(Play())
    while not any(s[1] > e for s in snaps[n:]) and time.perf_counter() - ts < LIMIT_S:
        time.sleep(0.005)
    got = next((s for s in snaps[n:] if s[1] > e), None)
    first = got[0] - ts if got else LIMIT_S
    time.sleep(max(0.0, ts + PLAY_S - time.perf_counter()))
    done = max((s[1] for s in snaps[n:] if s[0] <= ts + PLAY_S), default=e) - e
    firsts.append(first)
    trained.append(done)
    print(T(), f"turn {turn}: Play at epoch {e:,}: its first new epoch after {first:.2f} s"
          f"{'' if got else ' (cut off)'}, {done:,} epochs in its first {PLAY_S:.0f} s; "
          f"load {load()}", flush=True)
    pause()

time.sleep(0.3)
ts = time.perf_counter()
loop.stopping.set()
loop.post(Stop())
lp.give_up()  # (as the app does as it quits)
thread.join()
stop = time.perf_counter() - ts
print(f"median: Play's first new epoch {statistics.median(firsts):.2f} s (max "
      f"{max(firsts):.2f}), epochs in its first {PLAY_S:.0f} s {statistics.median(trained):,.0f}; "
      f"Stop: the loop's thread ended after {stop:.2f} s; load {load()}", flush=True)
sys.stdout.flush()
os._exit(0)  # (a landscape's call may still run on its thread: the app does not wait either)
