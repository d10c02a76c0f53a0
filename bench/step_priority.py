"""A Step and a seek beside a slow view probe (review r24 F18): a TrainLoop (no Qt) with the
Landscape's probe on a wide network (default 2-512x8-1, 200 moons points), the probe sent again
as the view does (once its functions have compiled); a Step and a seek while the sharpness
compiles, then after it. Prints when each epoch's snapshot came and when its landscape did.

    python bench/step_priority.py [WIDTH]     # minutes at 512 on 2 busy cores

A fresh jax compile cache (a temporary folder) unless JAX_COMPILATION_CACHE_DIR is set: the
compiles are part of what it measures."""
import os, sys, time, threading, tempfile, copy
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", tempfile.mkdtemp())
from nnviz.core.data import make_dataset, DataSpec
from nnviz.core.problem import make_problem, Choices
from nnviz.core.loop import TrainLoop, NewProblem, Step, SetProbe, ShowEpoch
from nnviz.core import landscape_probe as lp
from _turns import clock

width = int(sys.argv[1]) if len(sys.argv) > 1 else 512
T = clock()
snaps = []
def pub(s):
    x = s.extras.get("landscape")
    snaps.append((time.perf_counter(), s.epoch, x, s.pending))
    print(T(), "snapshot epoch", s.epoch, "pending", set(s.pending), "landscape",
          None if x is None else (x.epoch, x.sharpness_compiling, len(x.sharp_epochs), x.sharpness_missing), flush=True)
loop = TrainLoop(publish=pub, status=lambda m: print(T(), "status", m, flush=True))
p = make_problem(make_dataset(DataSpec("moons")), Choices(hidden=(width,) * 8))
loop.post(NewProblem(1, p)); loop.work_once()
loop.post(Step(5)); loop.work_once()
probe = lp.LandscapeProbe()
loop.post(SetProbe("landscape", copy.copy(probe))); loop.work_once()
def work_until(cond, limit=1200):
    end = time.perf_counter() + limit
    while not cond() and time.perf_counter() < end:
        if loop._probes_due:
            loop.work_once()
        elif not loop.commands.empty():
            loop.work_once()
        else:
            time.sleep(0.05)
            s = snaps[-1]
            if s[2] is None and not lp.compiling("map") and not s[3]:
                loop.post(SetProbe("landscape", copy.copy(probe)))
            elif s[2] is not None and s[2].sharpness_compiling and not lp.compiling("sharpness") and not s[3]:
                loop.post(SetProbe("landscape", copy.copy(probe)))
work_until(lambda: snaps[-1][2] is not None and snaps[-1][2].epoch == 5 and not snaps[-1][3])
print(T(), "map drawn; sharpness compiling:", lp.compiling("sharpness"), flush=True)
def timed(cmd, epoch, what):
    ts = time.perf_counter(); n = len(snaps)
    loop.post(cmd)
    work_until(lambda: any(s[1] == epoch for s in snaps[n:]))
    a = time.perf_counter() - ts
    work_until(lambda: snaps[-1][2] is not None and snaps[-1][2].epoch == epoch and not snaps[-1][3])
    b = time.perf_counter() - ts
    print(T(), f"{what}: epoch came in {a:.2f} s, its landscape in {b:.2f} s; sharpness compiling: {lp.compiling('sharpness')}", flush=True)
timed(Step(1), 6, "Step while the sharpness compiles")
timed(ShowEpoch(2), 2, "Seek while the sharpness compiles" if lp.compiling("sharpness") else "Seek")
work_until(lambda: not lp.compiling("sharpness"))
timed(ShowEpoch(None), 6, "Back to live")
timed(Step(1), 7, "Step, sharpness compiled")
