"""The Landscape view's probe: the loss over a plane, the path on it, the 1-D line and the
sharpness over the run, computed in the worker thread from the model shown and its run log.

Settings the GUI sets (on its own copy, sent to the worker: see ``ViewContext.track``):
``kind`` (a key of ``landscape.DIRECTIONS``) and ``pinned``: a plane to keep (the user is
exploring it by hand) instead of one through the weights shown, with the run it belongs to;
``picture``: what the view draws of a new landscape (its colours' levels, its contour lines),
made here in the worker thread and handed out with the result, so that the GUI thread does not
stall on it.

The sharpness history is kept here, per run: one value per checkpoint of the run log (the
checkpoints of the path), filled in as the time budget allows, each estimate starting from the
previous one's eigenvector.

Called by the worker's loop (``preempt.deferrable``), a landscape is computed on a thread of
its own, one at a time, the latest request winning, and the loop is told ``preempt.Later``
meanwhile, or, while the run plays, handed the last landscape with the model placed on it: the
training goes on (review r26 F1: Play after a pause on 2-128x8-1 trained no epoch for ~40 s
while the loop made a landscape between two epochs), and nothing the app waits for as it quits
is inside one of the landscape's XLA calls (F2: the process lived 28 s after Quit). The
result is picked up by the worker's next snapshot. Called elsewhere (a test, the command
line), it computes at once.
"""
from __future__ import annotations

import math
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

import numpy as np

from . import landscape as ls
from . import preempt
from .landscape import Landscape, Line, PathOnPlane, Plane
from .runlog import RunLog
from .sharpness import stability_limit, top_eigenvalue, top_eigenvalues
from .training import padded_size

# Checkpoints whose sharpness is estimated per call while a run plays (one vmapped call); when
# it does not (a pause, a past epoch, a screenshot), all of the history at once.
SHARPNESS_BATCH = 16
IDLE_S = 0.5  # a call this long after the last one is not of a playing run (a pause, a Step)
MAX_SHARPNESS_CACHE = 8192


@dataclass(frozen=True)
class LandscapeResult:
    epoch: int
    run_key: tuple
    spec: object  # the NetworkSpec the plane's flat vectors belong to
    land: Landscape
    path: PathOnPlane
    line: Line | None  # None before the weights have moved
    sharp_epochs: np.ndarray  # epochs with a sharpness estimate so far
    sharp_values: np.ndarray
    limit_epochs: np.ndarray  # the stability limit (2/lr for gd) at the path's epochs
    limit_values: np.ndarray  # NaN where no such limit applies (Adam, ...)
    sharpness_missing: int  # checkpoints still without an estimate
    optimizer: str
    learning_rate: float
    n_train: int  # training points of the run (the numbers use the first ``land.n_points``)
    pinned: bool
    # Between two landscapes of a playing run: the model shown, (epoch, a, b) where it lies on
    # this landscape's plane (see LandscapeProbe._placed); None when the landscape is its own.
    now: tuple[int, float, float] | None = None
    sharpness_compiling: bool = False  # its functions still compile: no sharpness yet
    picture: object = None  # LandscapeProbe.picture(land), made in the worker thread (or None)
    # After a divergence: the earlier epoch whose weights were put back at ``epoch`` (the model
    # shown; the path before it is the run up to the divergence), else -1. Then the line runs
    # from those weights (0) to the path's last point before the divergence (1), the epoch
    # ``line_end``: "initial -> current" was one point, an empty plot.
    restored: int = -1
    line_end: int = -1


_controller = None
# The first call for a network compiles a handful of functions: seconds on a busy machine, in
# which the worker would answer no Pause. They compile on this thread instead, from a call
# made there on the same model (read only), while the worker goes on.
_warm_pool: ThreadPoolExecutor | None = None  # made for the first (after give_up: anew)
_warm: dict[tuple, Future] = {}
_warm_lock = threading.Lock()
# give_up() moves it on: the warm-ups started before stop between their calls.
_generation = 0
# The landscapes computed for the worker's loop, one at a time (see the module's docstring);
# the Future of the last one asked for (those before it are done or end before it).
_job_pool: ThreadPoolExecutor | None = None  # made for the first (after give_up: anew)
_last_job: Future | None = None


def _pool() -> ThreadPoolExecutor:
    """The compile thread's pool (called with _warm_lock held)."""
    global _warm_pool
    if _warm_pool is None:
        _warm_pool = ThreadPoolExecutor(max_workers=1,
                                        thread_name_prefix="nnviz-landscape-compile")
    return _warm_pool


def _unless_given_up(generation: int, warm_up, model) -> None:
    """``warm_up(model)``, stopping between its calls (core.preempt) once give_up() is called."""
    with preempt.when(lambda: _generation != generation):
        warm_up(model)


def give_up() -> None:
    """The app quits: the warm-ups not begun are dropped, and the one under way stops after
    the call under way (an XLA compile or computation cannot be interrupted); then the compile
    thread ends; so does the landscape being computed for the worker, and its thread. Python's
    exit waited for them all: Quit -> Discard on a 2-512x8-1 network ended the process 18 s
    later, the map's and then the sharpness's compiles and first estimate run to the end for
    nobody (review r24 F9). What was not warmed up is started afresh if asked for again
    (another window: none is left when the app quits)."""
    global _generation, _warm_pool, _job_pool
    with _warm_lock:
        _generation += 1
        for key, futs in list(_warm.items()):
            if not all(f.done() for f in futs.values()):
                del _warm[key]
        pools = (_warm_pool, _job_pool)
        _warm_pool = _job_pool = None
    for pool in pools:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def busy() -> bool:
    """Whether a landscape is being computed for the worker (the thread's XLA calls busy)."""
    with _warm_lock:
        return _last_job is not None and not _last_job.done()


def _jobs() -> ThreadPoolExecutor:
    """The thread of the landscapes computed for the worker (called with _warm_lock held).
    Made from the worker's thread, it runs at the worker's lowered priority."""
    global _job_pool
    if _job_pool is None:
        _job_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnviz-landscape")
    return _job_pool


@dataclass(eq=False)
class _Job:
    """A landscape being computed on its own thread for the worker's loop."""
    settings: tuple  # LandscapeProbe.__call__'s: of one run, plane kind and pin
    key: tuple  # what it is the landscape of (LandscapeProbe._key)
    idle: bool  # of a run not playing: the whole sharpness history
    refs: tuple  # the weights and run log whose ids the key holds, kept alive with it
    generation: int = 0
    future: Future | None = None
    cancelled: bool = False  # a newer request, or its view gone: it stops at its next check
    lean: bool = False  # the run plays again: its sharpness history stops at the next batch

    def stopped(self) -> bool:
        return self.cancelled or _generation != self.generation


@dataclass
class _Pace:
    """A probe's pacing and last results, shared by its copies: the view sends the worker a
    copy at every change of its settings, and again while paused to fill in the sharpness
    history. A copy sent while paused knew no landscape: at Play it made a whole new one
    before the play's first frame (review r26 F1)."""
    last_call: float = 0.0
    last: tuple | None = None  # (the settings it was made with, result)
    epoch: int = -1  # of the last call
    costs: list = field(default_factory=list)  # of the last three computations
    next: float = 0.0
    next_place: float = 0.0
    paused: bool = False  # the last call was of a run not playing (ModelAt.playing)
    job: _Job | None = None  # the landscape being computed beside the worker (one at a time)
    done: tuple | None = None  # (key, result, refs) of the last one computed there
    record: tuple | None = None  # (run log, its checkpoints, _Record of them): see _frozen


class _Record:
    """What a landscape reads of a run log (its checkpoints), as they were when it was asked
    for: the worker trains on and adds checkpoints meanwhile."""

    def __init__(self, checkpoints: list) -> None:
        self.checkpoints = checkpoints

    weights_of = RunLog.weights_of


def _compiled(model, probe: "LandscapeProbe", wait: bool = False,
              part: str = "map") -> bool:
    """True once the probe's functions are compiled for ``model``'s network and data; else
    start compiling them in the background (once) and return False (``wait``: wait for it).

    They compile in two parts, one after the other on one thread: ``"map"`` (the grid, the
    path, the line), then ``"sharpness"`` (the Hessian's top eigenvalue, alone and vmapped):
    on a cold cache the sharpness's compiles were two thirds of the ~4.6 s before the first
    picture (a busy machine: over 10 s), so the map is drawn as soon as its own are done and
    the sharpness plot says it is still being prepared."""
    src = getattr(model, "source", model)
    n = ls.points_for(model.spec, int(model.X_train.shape[0]), probe.max_points)
    # The functions compile per padded size (ls.sample_rows): an edited point needs nothing.
    key = (*ls.objective_key(model), padded_size(n), padded_size(int(model.X_train.shape[0])),
           padded_size(int(src.X_test.shape[0])), probe.res)
    with _warm_lock:
        futs = _warm.get(key)
        if futs is None:
            warm = LandscapeProbe(probe.kind, probe.max_points, probe.res, probe.budget)
            pool, gen = _pool(), _generation
            futs = _warm[key] = {
                "map": pool.submit(_unless_given_up, gen, warm._warm_up_map, model),
                "sharpness": pool.submit(_unless_given_up, gen, warm._warm_up_sharpness, model)}
    fut = futs[part]
    if wait:
        fut.result()
    return fut.done()


def compiling(part: str | None = None) -> bool:
    """Whether a probe's functions are still compiling on the background thread (a network's
    map, then its sharpness, which goes on after the first picture). Meanwhile that thread
    traces and lowers in Python, holding the GIL at the worker's lowered priority: the training
    runs at a fraction of its speed (bench/gui.py measures a view once this is over, and says
    how long it took). ``part``: that part's ("map" or "sharpness") alone."""
    with _warm_lock:
        return any(not f.done() for futs in _warm.values() for p, f in futs.items()
                   if part is None or p == part)


def _one_blas_thread():
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController  # scikit-learn's dependency
        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def _restored(model) -> int:
    """The earlier epoch whose weights a divergence put back at ``model``'s epoch (its run
    log's word), or -1 when the weights are that epoch's own."""
    log = getattr(model, "log", None)
    if log is None or not log.checkpoints:
        return -1
    epoch = int(model.epoch)
    of = log.weights_of(epoch)
    return of if 0 <= of != epoch else -1


def _sharpness_batch(spec) -> int:
    """Checkpoints per vmapped sharpness call: fewer for a wide network."""
    return max(1, min(SHARPNESS_BATCH, 2 ** 20 // spec.n_params))


class LandscapeProbe:
    """``probe(model, grid_points) -> LandscapeResult`` (see the module's docstring)."""

    def __init__(self, kind: str = "pca", max_points: int = ls.MAX_POINTS,
                 res: int = ls.GRID_RES, budget: float = 0.05) -> None:
        self.kind, self.max_points, self.res = kind, max_points, res
        self.budget = budget  # the most of the worker's time it takes while a run plays
        self.pinned: tuple[tuple, Plane] | None = None  # (run key, plane)
        # ``picture(land)``: what the view draws of a new landscape, made here (the worker
        # thread) and handed out as ``LandscapeResult.picture``; counted in the budget.
        self.picture = None
        self._sharp: dict = {}  # (run id, epoch, fingerprint) -> sharpness
        # The last computation's result, shared by the copies sent to the worker (as _sharp):
        # see _compute.
        self._memo: dict = {}
        self._vector: np.ndarray | None = None
        self._pinned_land: tuple | None = None  # (key, Landscape) of the pinned plane
        self._pace = _Pace()  # shared by the copies, as _memo and _sharp

    def __call__(self, model, grid_points=None) -> LandscapeResult | None:
        """The result for ``model``; while a run plays, the last one again until its cost is
        amortised to ``budget`` of the time. It throttles itself rather than through
        inspect.Throttled, whose "a frame long after the last one is fresh" would, with a probe
        slower than that gap, make every frame fresh and hold the snapshots at its own pace.
        Called by the worker's loop, a new landscape is computed beside it (see the module's
        docstring)."""
        beside, pace = preempt.deferrable(), self._pace
        run_key = getattr(model, "run_key", None) or (id(model),)
        job = pace.job
        if job is not None and job.settings[0] != run_key:
            job.cancelled = True  # another run's, or branch's: nobody will draw it
        if not _compiled(model, self):
            return None  # compiling in the background: the view says so
        now = time.perf_counter()
        epoch, past = int(model.epoch), bool(getattr(model, "past", False))
        settings = (run_key, self.kind, id(self.pinned), past)
        # Not training by the worker's word (ModelAt.playing, as inspect.Throttled reads it:
        # the snapshot after a Step that drew its progress came within IDLE_S of the last and
        # kept its landscape), or, without that word, long after the last call: fresh.
        # With the worker's word, a playing run is never idle, however long since the last
        # call: the first frame after a pause came long after the paused one's, and was made
        # as a still run's, the whole sharpness history and all (review r24 F5).
        playing = getattr(model, "playing", None)
        idle = past or playing is False or (playing is None and now - pace.last_call > IDLE_S)
        moved = epoch != pace.epoch  # the same epoch again: paused, or weights set by hand
        resumed = bool(playing) and pace.paused  # the first call of a play after a pause
        pace.paused = playing is False
        pace.last_call, pace.epoch = now, epoch
        if beside:
            self._collect(settings, now)
            job = pace.job
            if playing and job is not None and job.idle:
                job.lean = True  # the paused one's sharpness history: not while it plays
        last = pace.last
        if resumed and last is not None and last[0] == settings:
            # Play after a pause: the landscape made while paused is the run's now, and the
            # next one comes at a playing run's pace from here (cost / budget), not in Play's
            # first frame: on 2-512x8-1 that frame waited seconds for it (review r24 F5).
            # The cost: the last landscape's map, path and line (shared by the copies: the one
            # the worker has may have been sent while paused, and made only the sharpness of
            # the paused epoch), not a still run's calls, which estimated the whole sharpness
            # history (tens of seconds on 2-512x8-1: no landscape for minutes after Play).
            cost = self._memo.get("cost", 0.0) or self._cost()
            pace.next = now + cost / self.budget
        if last is not None and last[0] == settings and moved and not idle and now < pace.next:
            return self._place(settings, last[1], model, now)
        if beside:
            return self._beside(model, settings, idle, now)
        # numpy's OpenBLAS threads spin against jax's and the training's: on a busy machine a
        # small SVD of the path stalled far longer than its work. One thread does it at once.
        with _one_blas_thread():
            result = self._compute(model, idle, _compiled(model, self, part="sharpness"))
        done = time.perf_counter()
        self._took(settings, result, done - now, done)
        return result

    def _took(self, settings: tuple, result: LandscapeResult, cost: float, done: float) -> None:
        """A landscape made at ``cost`` seconds: the last, and the next due by the budget."""
        pace = self._pace
        # The median of the last three costs: a call that compiled (the first, a new network)
        # must not keep the view still for twenty times the compile. (The smaller of the last
        # two, as before, was the cheaper of two noisy costs: on a busy machine the probe took
        # 9% of the worker's time, not 5%.)
        pace.costs = [*pace.costs[-2:], cost]
        pace.next = done + self._cost() / self.budget
        pace.last = (settings, result)
        pace.last_call = done

    def _place(self, settings: tuple, r: LandscapeResult, model, now: float) -> LandscapeResult:
        """The landscape ``r``, not due again: the model placed on its plane, a matter of
        microseconds at 200 points, so the white dot moves in every frame instead of jumping
        once a second. Paced by its own cost too (a 2-512x8-1 network's 2M weights take
        milliseconds): until the next placing, the last one."""
        pace = self._pace
        if now < pace.next_place:
            return pace.last[1]
        placed = self._placed(r, model)
        done = time.perf_counter()
        pace.next_place = done + (done - now) / self.budget
        pace.last = (settings, placed)
        return placed

    # -- computed beside the worker's loop ---------------------------------------------------------

    def _key(self, model, settings: tuple, idle: bool, sharpness: bool) -> tuple:
        """What a landscape of ``model`` is of (the weights and record by identity: _Job.refs
        keeps them alive with it)."""
        log = getattr(model, "log", None)
        return (settings, int(model.epoch), id(model.params), id(log),
                len(log.checkpoints) if log is not None else 0, self.res, self.max_points,
                idle, sharpness)

    def _collect(self, settings: tuple, now: float) -> None:
        """The landscape computed beside the worker, once done: the last one now, if of these
        settings (a failure is raised here, in the worker's thread: its view's)."""
        pace = self._pace
        job = pace.job
        if job is None or not job.future.done():
            return
        pace.job = None
        if job.settings != settings or job.future.cancelled():
            return
        try:
            result, cost = job.future.result()
        except preempt.Preempted:  # stopped for a newer one
            return
        self._took(settings, result, cost, now)
        pace.done = (job.key, result, job.refs)

    def _beside(self, model, settings: tuple, idle: bool, now: float) -> LandscapeResult:
        """The landscape due for ``model``, computed beside the worker: while a run plays, the
        last one meanwhile, the model placed on it; else preempt.Later until it comes."""
        pace = self._pace
        key = self._key(model, settings, idle, _compiled(model, self, part="sharpness"))
        done = pace.done
        if idle and done is not None and done[0] == key:
            return done[1]  # this model's, computed
        job = pace.job
        # The one asked for is under way, or, while the run plays, the run's next one: it
        # comes when done (one at a time); else the latest request wins.
        if job is not None and not (job.key == key or (not idle and job.settings == settings)):
            job.cancelled = True
            job = None
        if job is None:
            job = self._submit(model, settings, key, idle)
        last = pace.last
        if not idle and last is not None and last[0] == settings:
            return self._place(settings, last[1], model, now)
        raise preempt.Later(job.future)

    def _submit(self, model, settings: tuple, key: tuple, idle: bool) -> _Job:
        global _last_job
        pace = self._pace
        job = _Job(settings, key, idle, (model.params, getattr(model, "log", None)))
        frozen = self._frozen(model)
        with _warm_lock:
            job.generation = _generation
            job.future = _last_job = _jobs().submit(self._compute_beside, job, frozen, key[-1])
        pace.job = job
        return job

    def _frozen(self, model):
        """What a landscape reads of ``model`` (a ModelAt, whose run's fixed parts are its
        Trainer's, and its run log), as they are now: the worker trains on meanwhile, adds
        checkpoints, and may put edited points in the Trainer. The record is the same object
        while its checkpoints are (the memo of _compute knows it by its id)."""
        pace, log = self._pace, getattr(model, "log", None)
        record = None
        if log is not None:
            held = pace.record
            if held is None or held[0] is not log or held[1] is not log.checkpoints or \
                    len(held[2].checkpoints) != len(log.checkpoints):
                held = pace.record = (log, log.checkpoints, _Record(list(log.checkpoints)))
            record = held[2]
        src = getattr(model, "source", model)
        frozen = SimpleNamespace(
            spec=model.spec, config=model.config, data=model.data, X_train=model.X_train,
            T_train=model.T_train, X_test=src.X_test, T_test=src.T_test,
            initial_params=getattr(src, "initial_params", None), seed=getattr(src, "seed", 0),
            params=model.params, epoch=int(model.epoch),
            learning_rate=float(model.learning_rate), run_key=getattr(model, "run_key", None),
            past=bool(getattr(model, "past", False)), playing=getattr(model, "playing", None),
            log=record)
        frozen.source = frozen
        return frozen

    def _compute_beside(self, job: _Job, model, sharpness: bool) -> tuple:
        """(The landscape, its cost in seconds): on the landscape's thread, stopping between
        its parts once ``job`` is stopped; its sharpness history also once the run plays."""
        t0 = time.perf_counter()
        with _one_blas_thread(), np.errstate(all="ignore"):
            with preempt.when(job.stopped):
                r = self._compute(model, job.idle, sharpness=False)
            if sharpness:
                try:
                    with preempt.when(lambda: job.stopped() or job.lean):
                        r = self._compute(model, job.idle)  # (its map: _compute's memo)
                except preempt.Preempted:
                    if job.stopped():
                        raise
                    r = replace(r, sharpness_compiling=False)  # its history: later
        return r, time.perf_counter() - t0

    def stop_beside(self) -> None:
        """Its view is gone (or the worker stops): the landscape under way beside the worker
        stops at its next check (an XLA call under way ends first, on its own thread)."""
        job = self._pace.job
        if job is not None:
            job.cancelled = True

    def _cost(self) -> float:
        """What a computation costs, by the last three (see __call__)."""
        costs = sorted(self._pace.costs)
        return 0.0 if len(costs) <= 1 else costs[0] if len(costs) == 2 else costs[1]

    def _placed(self, r: LandscapeResult, model) -> LandscapeResult:
        """``r`` with ``model`` placed on its plane (``now``): the nearest point of the plane."""
        (a, b), = r.land.plane.coordinates(ls.flatten(model.params))[0]
        if not (math.isfinite(a) and math.isfinite(b)):  # diverged weights: no place on it
            return r
        return replace(r, now=(int(model.epoch), float(a), float(b)))

    def compile(self, model) -> None:
        """Compile what a call on ``model`` needs, now (a call before that returns None, and
        one before the sharpness's part gives no sharpness)."""
        _compiled(model, self, wait=True)
        _compiled(model, self, wait=True, part="sharpness")

    def _warm_up_map(self, model) -> None:
        """What a call computes but the sharpness, once, for its compiles; failures are the
        real call's."""
        try:
            with _one_blas_thread():
                self._compute(model, True, sharpness=False)
                preempt.check()  # (the app quits: give_up)
                # What a run that has moved computes besides: the line.
                flat = ls.flatten(model.params)
                n = ls.points_for(model.spec, int(model.X_train.shape[0]), self.max_points)
                ls.line_losses(model, flat, flat, max_points=n)
        except Exception:  # noqa: BLE001
            pass

    def _warm_up_sharpness(self, model) -> None:
        """The sharpness's compiles: the model's own estimate and the history's vmapped batch."""
        try:
            with _one_blas_thread():
                flat = ls.flatten(model.params)
                n = ls.points_for(model.spec, int(model.X_train.shape[0]), self.max_points)
                top_eigenvalue(model, ls.unflatten(model.spec, flat.astype(np.float32)),
                               max_points=n)
                preempt.check()  # (the app quits: give_up)
                top_eigenvalues(model, flat[None], n, pad=_sharpness_batch(model.spec))
        except Exception:  # noqa: BLE001
            pass

    def _compute(self, model, idle: bool, sharpness: bool = True) -> LandscapeResult:
        spec, cfg = model.spec, model.config
        n_train = int(model.X_train.shape[0])
        n = ls.points_for(spec, n_train, self.max_points)
        run_key = getattr(model, "run_key", None) or (id(model),)
        # The same model, settings and record as the last computation's (a probe sent again
        # to fill in the sharpness's history while paused, or after it gave way to the user:
        # core.preempt): its map, path and line again, the sharpness alone computed.
        log = getattr(model, "log", None)
        again = (run_key, int(model.epoch), id(model.params), self.kind, id(self.pinned),
                 self.res, self.max_points, bool(getattr(model, "past", False)),
                 id(log), len(log.checkpoints) if log is not None else 0)
        memo = self._memo.get("last")
        t0 = time.perf_counter()
        if memo is not None and memo[0] == again and memo[3] is model.params:
            r, flats = memo[1], memo[2]
            if sharpness:
                se, sv, missing = self._sharpness(model, run_key, r.limit_epochs, flats, n,
                                                  idle)
                r = replace(r, sharp_epochs=se, sharp_values=sv, sharpness_missing=missing,
                            sharpness_compiling=False)
            return r
        preempt.check()
        epochs, flats, lrs = ls.recorded_path(model, ls.path_length(spec))
        centre = flats[-1]
        plane = self._pinned_plane(run_key, centre.size)
        pinned = plane is not None
        preempt.check()
        if plane is None:
            initial = flats[0] if len(flats) > 1 else ls.flatten(
                getattr(model, "source", model).initial_params)
            seed = int(getattr(getattr(model, "source", model), "seed", 0))
            plane = ls.make_plane(self.kind, spec, centre, initial, flats, seed)
            preempt.check()
            land = ls.landscape(model, plane, self.res, n)
        else:
            key = (id(plane), ls.objective_key(model), n)
            if self._pinned_land is None or self._pinned_land[0] != key:
                self._pinned_land = (key, ls.landscape(model, plane, self.res, n))
            land = self._pinned_land[1]
        preempt.check()
        path = ls.project_path(model, plane, epochs, flats, n)
        preempt.check()
        line, line_end = None, -1
        restored = _restored(model)
        if restored >= 0 and len(flats) > 1 and np.any(flats[-2] != centre):
            line_end = int(epochs[-2])
            with np.errstate(over="ignore", invalid="ignore"):
                line = ls.line_losses(model, centre, flats[-2], max_points=n)
        elif len(flats) > 1 and np.any(flats[0] != centre):
            line = ls.line_losses(model, flats[0], centre, max_points=n)
        limits = np.array([stability_limit(cfg.optimizer, lr) or math.nan for lr in lrs])
        picture = self.picture(land) if self.picture is not None else None
        # No sharpness yet: all of it missing (its functions may still compile: _compiled).
        r = LandscapeResult(int(model.epoch), run_key, spec, land, path, line,
                            np.zeros(0, np.int64), np.zeros(0), epochs, limits, len(epochs),
                            cfg.optimizer, float(model.learning_rate), n_train, pinned,
                            sharpness_compiling=not sharpness, picture=picture,
                            restored=restored, line_end=line_end)
        # (the weights kept too: their id, in ``again``, is not another's meanwhile)
        self._memo["last"] = (again, r, flats, model.params)  # kept if the sharpness gives way
        self._memo["cost"] = time.perf_counter() - t0  # a landscape's, but its sharpness
        if sharpness:
            se, sv, missing = self._sharpness(model, run_key, epochs, flats, n, idle)
            r = replace(r, sharp_epochs=se, sharp_values=sv, sharpness_missing=missing)
        return r

    def _pinned_plane(self, run_key: tuple, size: int) -> Plane | None:
        if self.pinned is None:
            return None
        key, plane = self.pinned
        # The plane of another run, or of another network, is no longer the user's.
        return plane if key[:1] == run_key[:1] and plane.centre.size == size else None

    def _sharpness(self, model, run_key, epochs, flats, n, idle):
        spec = model.spec
        tail = (spec.layer_sizes[-2] + 1) * spec.output_dim  # the output layer: a fingerprint
        keys = [(run_key[0], int(e), f[-tail:].tobytes()) for e, f in zip(epochs, flats)]
        if keys[-1] not in self._sharp:  # the model shown, from the last estimate's vector
            preempt.check()
            est = top_eigenvalue(model, ls.unflatten(spec, flats[-1].astype(np.float32)),
                                 start=self._vector, max_points=n)
            if math.isfinite(est.value):
                self._vector = est.vector
            self._sharp[keys[-1]] = est.value
        missing = [i for i, k in enumerate(keys) if k not in self._sharp]
        # The history, oldest first, a batch at a time (vmapped); all of it when not playing.
        batch = _sharpness_batch(spec)
        todo = missing if idle else missing[:batch]
        for start in range(0, len(todo), batch):  # batches of one size: one compile
            if start and preempt.wanted():  # the rest later (the view asks while paused)
                break
            rows = todo[start: start + batch]
            for i, v in zip(rows, top_eigenvalues(model, flats[rows], n, pad=batch)):
                self._sharp[keys[i]] = float(v)
        if len(self._sharp) > MAX_SHARPNESS_CACHE:  # another run's, mostly: start afresh
            keep = set(keys)
            self._sharp = {k: v for k, v in self._sharp.items() if k in keep}
        have = [(e, self._sharp[k]) for e, k in zip(epochs, keys) if k in self._sharp]
        se = np.array([e for e, _ in have], np.int64)
        sv = np.array([v for _, v in have], np.float64)
        return se, sv, len(keys) - len(have)
