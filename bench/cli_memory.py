"""Memory of ``nnviz train`` running flat out: the resident memory (VmRSS) of the process over
time, sampled once a second.

    python bench/cli_memory.py [--seconds 150] [--warmup 10] [--history]

Starts ``python -m nnviz train --epochs MAX_EPOCHS`` (the code of the checkout this script sits
in) and stops it after ``--seconds``; ``--history`` streams every epoch's loss to a file in a
temporary folder (deleted afterwards). Prints the RSS after the warm-up and at the end, the
growth in MB and MB/s, and the load average. Target (issue 17): under 20 MB in 150 s.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


from _proc import loadavg  # noqa: E402
from _proc import memory_mb


def rss_mb(pid: int) -> float:
    return memory_mb("VmRSS", pid)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=150)
    p.add_argument("--warmup", type=float, default=10, help="seconds before the first reading")
    p.add_argument("--history", action="store_true", help="also stream --history to a file")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    from nnviz.cli import MAX_EPOCHS

    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory(prefix="nnviz-cli-memory-") as tmp:
        cmd = [sys.executable, "-m", "nnviz", "train", "--epochs", str(MAX_EPOCHS),
               "--print-every", str(MAX_EPOCHS)]
        if args.history:
            cmd += ["--history", os.path.join(tmp, "history.csv")]
        print(f"load average at the start: {loadavg()}", flush=True)
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
        try:
            t0 = time.monotonic()
            samples = []
            while time.monotonic() - t0 < args.seconds and proc.poll() is None:
                time.sleep(1.0)
                samples.append((time.monotonic() - t0, rss_mb(proc.pid)))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait()
        size = os.path.getsize(os.path.join(tmp, "history.csv")) / 1e6 if args.history else 0
    warm = [(t, r) for t, r in samples if t >= args.warmup]
    if len(warm) < 2:
        print("too short a run to measure")
        return 1
    (ta, ra), (tb, rb) = warm[0], warm[-1]
    peak = max(r for _, r in warm)
    print(f"RSS at {ta:.0f} s: {ra:.1f} MB; at {tb:.0f} s: {rb:.1f} MB (peak {peak:.1f} MB); "
          f"growth {rb - ra:+.1f} MB over {tb - ta:.0f} s = {(rb - ra) / (tb - ta):+.3f} MB/s"
          + (f"; history file {size:.0f} MB" if args.history else ""))
    print(f"load average at the end: {loadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
