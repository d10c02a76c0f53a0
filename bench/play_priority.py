"""Play after a pause on a wide network, beside a view's probe (review r24 F5): a TrainLoop (no
Qt) on 2-WIDTHx8-1 (glorot; 200 moons points) with one view's probe as the window sends it,
paused with the probe's numbers of the paused epoch computed (the view's state once it has
caught up); then, in turns, a Play (paused again after PLAY_S seconds) and a Step of one
epoch: the time from the command to the first snapshot of a new epoch (what the window paints
next, a frame later), and, for Play, the longest gap between two snapshots in the PLAY_S seconds
after its first (a stall after the first one).

    python bench/play_priority.py [--width 512] [--probe landscape|gradients|regions|none]
                                  [--relu] [--turns 5]

The probes as the views send them: the Landscape's own (budget 5%), the Gradients' and the
Regions' inside inspect.Throttled (12% with a 0.25 s bank; 5%). A jax compile cache of its own
in /tmp (kept between runs: the compiles are not what this measures). Prints each turn and the
medians, with /proc/loadavg."""
import argparse
import copy
import os
import statistics
import sys
import time

os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", "/tmp/nnviz-bench-play-cache")

from _proc import loadavg as load  # noqa: E402
from _turns import clock  # noqa: E402
from nnviz.core import inspect  # noqa: E402
from nnviz.core import landscape_probe as lp  # noqa: E402
from nnviz.core.data import DataSpec, make_dataset  # noqa: E402
from nnviz.core.loop import Pause, Play, SetProbe, Step, TrainLoop, NewProblem  # noqa: E402
from nnviz.core.problem import Choices, make_problem  # noqa: E402
from nnviz.core.regions import RegionsProbe  # noqa: E402

PLAY_S = 3.0
PAUSED_S = 2.0  # paused this long before each Play (longer than landscape_probe.IDLE_S)

ap = argparse.ArgumentParser()
ap.add_argument("--width", type=int, default=512)
ap.add_argument("--probe", default="landscape", choices=["landscape", "gradients", "regions",
                                                         "none"])
ap.add_argument("--relu", action="store_true")
ap.add_argument("--turns", type=int, default=5)
ap.add_argument("--warm", type=int, default=30, help="epochs trained before the first turn")
args = ap.parse_args()

T = clock()


snaps: list = []  # (time, epoch, extras key -> result, pending)


def pub(s) -> None:
    snaps.append((time.perf_counter(), s.epoch, dict(s.extras), set(s.pending)))


loop = TrainLoop(publish=pub)
acts = ("relu",) * 8 if args.relu else None
p = make_problem(make_dataset(DataSpec("moons")),
                 Choices(hidden=(args.width,) * 8, activations=acts, init_scheme="glorot"))
loop.post(NewProblem(1, p))
loop.work_once()
loop.post(Step(args.warm))
while loop._step is not None or not loop.commands.empty():
    loop.work_once()
print(T(), f"2-{args.width}x8-1 {'relu' if args.relu else 'sigmoid'} at epoch",
      loop.trainer.epoch, "probe", args.probe, "load", load(), flush=True)

name = {"landscape": "landscape", "gradients": "gradients", "regions": "regions"}.get(args.probe)
if args.probe == "landscape":
    gui_probe = lp.LandscapeProbe(budget=0.05)
    make = lambda: copy.copy(gui_probe)  # noqa: E731
elif args.probe == "gradients":
    gui_probe = inspect.GradientProbe()
    make = lambda: inspect.Throttled(copy.copy(gui_probe), 0.12, 0.25)  # noqa: E731
elif args.probe == "regions":
    gui_probe = RegionsProbe()
    make = lambda: inspect.Throttled(copy.copy(gui_probe), 0.05)  # noqa: E731
else:
    make = None
if make is not None:
    loop.post(SetProbe(name, make()))


def caught_up() -> bool:
    """The paused window's view shows the paused epoch's numbers, complete; else the probe is
    sent again where the view would send it (its functions compiled, its sharpness missing)."""
    if not snaps:
        return False
    _, epoch, extras, pending = snaps[-1]
    if name is None:
        return True
    r = extras.get(name)
    if pending or loop._probes_due:
        return False
    if args.probe == "landscape":
        if r is None:
            if not lp.compiling("map"):
                loop.post(SetProbe(name, make()))
            return False
        if r.sharpness_compiling:
            if not lp.compiling("sharpness"):
                loop.post(SetProbe(name, make()))
            return False
        if r.sharpness_missing:
            loop.post(SetProbe(name, make()))
            return False
    return r is not None and getattr(r, "epoch", epoch) == epoch


def settle(limit: float = 900.0) -> None:
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        if not loop.commands.empty() or loop._probes_due or loop._dirty or loop.playing \
                or loop._step is not None:
            loop.work_once()
            continue
        if caught_up() and loop.commands.empty():
            return
        time.sleep(0.02)
    print(T(), "did not settle", flush=True)


settle()
print(T(), "settled at epoch", loop.trainer.epoch, flush=True)

steps, plays, stalls = [], [], []
for turn in range(args.turns):
    time.sleep(PAUSED_S)  # the user looks at the paused run a moment before Play
    e = loop.trainer.epoch
    n = len(snaps)
    ts = time.perf_counter()
    loop.post(Play())
    while not any(s[1] > e for s in snaps[n:]):
        loop.work_once()
    got = next(s[0] for s in snaps[n:] if s[1] > e)
    while time.perf_counter() - got < PLAY_S:  # the play's next PLAY_S seconds
        loop.work_once()
    new = [s for s in snaps[n:] if s[1] > e]
    first = new[0][0] - ts
    times = [s[0] for s in new if s[0] - new[0][0] <= PLAY_S]
    gap = max((b - a for a, b in zip(times, times[1:])), default=0.0)
    plays.append(first)
    stalls.append(gap)
    first_epoch = new[0][1]
    loop.post(Pause())
    loop.work_once()
    settle()
    e = loop.trainer.epoch
    n = len(snaps)
    ts = time.perf_counter()
    loop.post(Step(1))
    while not any(s[1] > e for s in snaps[n:]):
        loop.work_once()
    steps.append(next(s[0] for s in snaps[n:] if s[1] > e) - ts)
    print(T(), f"turn {turn}: Play's first epoch {first:.2f} s (epoch {first_epoch}), then "
          f"{len(times) - 1} snapshots in {PLAY_S:.0f} s, the longest gap {gap:.2f} s; Step's "
          f"epoch {steps[-1]:.2f} s; load {load()}", flush=True)
    settle()

print(f"median: Step {statistics.median(steps):.2f} s, Play's first epoch "
      f"{statistics.median(plays):.2f} s (max {max(plays):.2f}), its longest gap after "
      f"{statistics.median(stalls):.2f} s; load {load()}", flush=True)
loop.post(SetProbe(name or "x", None))
loop.work_once()
sys.stdout.flush()
os._exit(0)  # (the landscape's compile thread may still run a warm-up)
