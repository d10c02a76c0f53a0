"""Where the test suite's time goes: a pytest plugin that records, per test, its wall and CPU
time and what jax built (issue 16's suite target: almost all of it is XLA compiles).

    PYTHONPATH=.:bench python -m pytest -p compile_census -n 0 tests/gui/test_x.py
    python bench/compile_census.py compile_census.jsonl     # per-file table, costliest first

Each test is one JSON line in ``$NNVIZ_CENSUS`` (default ``compile_census.jsonl``; one file per
xdist worker, the worker's name appended): ``wall`` and ``cpu`` (this process, all threads;
``child_cpu``: the processes it ran), ``programs`` (executables built: jax's backend-compile
events), ``misses`` (compiled by XLA: the persistent compile cache did not have them) and
``hits`` (loaded from that cache), ``compile_s`` (seconds inside those builds, summed over
threads: wall, not CPU) and ``trace_s`` (tracing and lowering to XLA's input). With
``NNVIZ_CENSUS_NAMES=1`` also ``names`` (each program's name and argument shapes), ``keys``
(its persistent-cache key, H for a hit, M for a miss: a key that only one test file misses is
a shape only that file compiles) and ``times`` (each program's name and the seconds its build
took).

A miss costs ~0.5-2 CPU s here (a training chunk; an eager operation far less), a hit the
trace and lowering (~0.1 s) and a load. With -n 0 the first test to use a shape pays its miss:
quote before/after on the same set of tests, each run with a fresh cache (conftest's).
"""
from __future__ import annotations

import collections
import json
import logging
import os
import re
import resource
import sys
import threading
import time

import pytest

_lock = threading.Lock()
_now: dict = {}
_out = None
_watching = False
_last = threading.local()  # the program this thread is compiling (jax logs its name first)


def _fresh() -> dict:
    return {"programs": 0, "misses": 0, "hits": 0, "compile_s": 0.0, "trace_s": 0.0,
            "names": [], "keys": [], "times": []}


def _watch() -> None:
    import jax
    import jax.monitoring

    def duration(event, secs, **kw):
        if event == "/jax/core/compile/backend_compile_duration":
            with _lock:
                _now["programs"] += 1
                _now["compile_s"] += secs
                if names:
                    _now["times"].append((getattr(_last, "name", "?"), round(secs, 4)))
        elif event in ("/jax/core/compile/jaxpr_trace_duration",
                       "/jax/core/compile/jaxpr_to_mlir_module_duration"):
            with _lock:
                _now["trace_s"] += secs

    def count(event, **kw):
        with _lock:
            if event == "/jax/compilation_cache/cache_hits":
                _now["hits"] += 1
            elif event == "/jax/compilation_cache/cache_misses":
                _now["misses"] += 1
    names = os.environ.get("NNVIZ_CENSUS_NAMES") == "1"
    jax.monitoring.register_event_duration_secs_listener(duration)
    jax.monitoring.register_event_listener(count)
    if names:
        jax.config.update("jax_log_compiles", True)  # jax logs each program at WARNING then

        class Names(logging.Handler):
            def emit(self, record):
                msg = record.getMessage()
                m = re.match(r"Compiling (\S+) with global shapes and types (.*?)\. Argument", msg,
                             re.S)
                k = re.search(r"(hit|MISS) for '(.*?)' with key '(.*?)'", msg)
                with _lock:
                    if m:
                        _last.name = f"{m.group(1)} {m.group(2)}"
                        _now["names"].append(_last.name)
                    elif k:
                        _now["keys"].append(("H" if k.group(1) == "hit" else "M", k.group(2),
                                             k.group(3)))
        log = logging.getLogger("jax")
        log.addHandler(Names())
        log.propagate = False  # not on the terminal
        log.setLevel(logging.WARNING)
        logging.getLogger("jax._src.compiler").setLevel(logging.DEBUG)  # misses: DEBUG


def pytest_configure(config):
    global _out
    name = os.environ.get("NNVIZ_CENSUS", "compile_census.jsonl")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    _out = open(f"{name}.{worker}" if worker else name, "a")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _now, _watching
    if not _watching:  # at the first test: after conftest has set jax's cache variables
        _watching = True
        _watch()
    with _lock:
        _now = _fresh()
    t0, c0 = time.perf_counter(), time.process_time()
    k0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    yield
    k1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with _lock:
        row = dict(_now, nodeid=item.nodeid, wall=time.perf_counter() - t0,
                   cpu=time.process_time() - c0,
                   child_cpu=k1.ru_utime + k1.ru_stime - k0.ru_utime - k0.ru_stime)
    if not row["names"]:
        del row["names"], row["keys"], row["times"]
    _out.write(json.dumps(row) + "\n")
    _out.flush()


def main(paths: list[str]) -> None:
    files = collections.defaultdict(collections.Counter)
    for path in paths:
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                c = files[r["nodeid"].split("::")[0]]
                c["tests"] += 1
                for k in ("wall", "cpu", "child_cpu", "compile_s", "trace_s", "programs", "misses",
                          "hits"):
                    c[k] += r.get(k, 0)
    total = sum(files.values(), collections.Counter())
    head = ("tests", "wall", "cpu", "child_cpu", "compile_s", "trace_s", "programs", "misses",
            "hits")
    print(f"{'file':52s}" + "".join(f"{h:>10s}" for h in head))
    for name, c in sorted(files.items(), key=lambda kv: -kv[1]["cpu"]) + [("total", total)]:
        print(f"{name:52s}" + "".join(f"{c[h]:10.1f}" if h.endswith(("wall", "cpu", "_s"))
                                      else f"{c[h]:10d}" for h in head))


if __name__ == "__main__":
    main(sys.argv[1:])
