"""Exit codes of ``nnviz --screenshot`` run many times in a row, for every ``--show`` view.

A screenshot that saved its file must exit 0: a crash at interpreter shutdown (SIGSEGV, exit
-11 here, 139 in a shell) is a failure even though the picture was written.

    python bench/screenshot_exits.py [--runs 20] [--runs-for gradients=100 ...] [--views ...]
                                      [--epochs 0]

Each run is a fresh process (``python -m nnviz --screenshot ... --show VIEW``) with the code of
the checkout this script sits in first on the path. Prints, per view, the runs, the count of
each exit code, and whether every run wrote its file; the load average before and after. Exits
1 if any run did not exit 0.
"""
from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = ("main", "network", "neurons", "hidden-space", "gradients", "lessons", "lesson-1",
         "lesson-2", "lesson-3", "lesson-4", "lesson-5", "baseline")


from _proc import loadavg  # noqa: E402


def one_run(view: str, out: Path, epochs: int, timeout: float) -> tuple[int, bool, str]:
    """(exit code, file written, last line of stderr) of one screenshot process."""
    if out.exists():
        out.unlink()
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "nnviz", "--screenshot", str(out), "--show", view]
    if epochs:
        cmd += ["--epochs", str(epochs)]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -999, out.exists(), "timed out"
    err = p.stderr.strip().splitlines()
    return p.returncode, out.exists() and out.stat().st_size > 0, err[-1] if err else ""


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=20, help="runs per view (default 20)")
    p.add_argument("--runs-for", action="append", default=[], metavar="VIEW=N",
                   help="another run count for one view, e.g. gradients=100")
    p.add_argument("--views", nargs="*", default=list(VIEWS))
    p.add_argument("--epochs", type=int, default=0, help="--epochs of each screenshot")
    p.add_argument("--timeout", type=float, default=600)
    args = p.parse_args()
    counts = {v: args.runs for v in args.views}
    for item in args.runs_for:
        view, _, n = item.partition("=")
        counts[view] = int(n)

    print(f"load average at the start: {loadavg()}", flush=True)
    t0 = time.monotonic()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="nnviz-shots-") as tmp:
        for view, n in counts.items():
            codes: collections.Counter = collections.Counter()
            missing, notes = 0, []
            for i in range(n):
                code, written, last = one_run(view, Path(tmp) / f"{view}.png", args.epochs,
                                              args.timeout)
                codes[code] += 1
                missing += not written
                if code != 0:
                    notes.append(f"run {i + 1}: exit {code}: {last}")
            bad = n - codes[0]
            failed += bad
            summary = ", ".join(f"exit {c}: {k}" for c, k in sorted(codes.items()))
            print(f"{view:13s} runs {n:4d}  {summary}  no file: {missing}", flush=True)
            for line in notes[:5]:
                print(f"    {line}", flush=True)
    print(f"load average at the end: {loadavg()}; {time.monotonic() - t0:.0f} s in all; "
          f"runs that did not exit 0: {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
