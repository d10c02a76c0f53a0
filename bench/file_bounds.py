"""Peak memory and time of refusing two hostile files (issue 18, items 6 and 7), before and after.

  6. ``nnviz train --init big.npz``: a small .npz whose ``w0`` declares and inflates to GIB GiB.
  7. opening a session zip bomb: a ~1 MB ``.nnviz`` whose ``arrays.npz`` inflates to just under
     1 GiB (the old reader's cap), through ``nnviz.core.session.load``.

"before" is the code at commit BEFORE (extracted with ``git archive``), "after" the working tree;
both run side by side in one run, alternating, each in a fresh process; peak memory is the child's
ru_maxrss (os.wait4), time is wall time to the refusal. Medians of --runs runs.

    python bench/file_bounds.py [--runs 3] [--gib 1] [--before 2c62137]
"""
from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHUNK = 16 << 20


def _npy_header(shape, descr="<f4") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False,
                                              "shape": shape})
    return b"\x93NUMPY" + buf.getvalue()[6:]


def _write_zeros(f, n: int) -> None:
    zeros = bytes(CHUNK)
    while n > 0:
        f.write(zeros[:min(n, CHUNK)])
        n -= CHUNK


def make_init_bomb(path: str, gib: float) -> None:
    """Weights for 2-4-10-4-1 whose w0 declares (2, k) float32 = gib GiB, deflated."""
    k = int(gib * (1 << 30)) // 8
    shapes = [((2, 4), (4, 1)), ((4, 10), (10, 1)), ((10, 4), (4, 1)), ((4, 1), (1, 1))]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (ws, bs) in enumerate(shapes):
            if i == 0:
                with z.open("w0.npy", "w", force_zip64=True) as f:
                    f.write(_npy_header((2, k)))
                    _write_zeros(f, 2 * k * 4)
            else:
                z.writestr(f"w{i}.npy", _npy_header(ws) + bytes(4 * ws[0] * ws[1]))
            z.writestr(f"b{i}.npy", _npy_header(bs) + bytes(4 * bs[0]))


def make_session_bomb(path: str) -> None:
    """A valid small session whose arrays.npz (deflated) also holds ~1 GiB of zeros."""
    sys.path.insert(0, ROOT)
    from nnviz.core.data import DataSpec, make_dataset
    from nnviz.core.session import Session
    from nnviz.core.training import TrainConfig, Trainer, network_for
    data = make_dataset(DataSpec("moons", samples=40))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"), TrainConfig(), data, seed=1)
    s = Session.from_trainer(t)
    junk = (1 << 30) - (2 << 20)  # under the old reader's 1 GiB cap on arrays.npz
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as outer:
        outer.writestr("manifest.json", json.dumps(s.manifest()))
        with outer.open("arrays.npz", "w", force_zip64=True) as f:
            with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as inner:
                for k, v in s.arrays().items():
                    b = io.BytesIO()
                    np.save(b, v)
                    inner.writestr(f"{k}.npy", b.getvalue())
                with inner.open("junk.npy", "w", force_zip64=True) as g:
                    g.write(_npy_header((junk,), "|u1"))
                    _write_zeros(g, junk)


def measure(code_root: str, argv: list[str]) -> tuple[float, float, str]:
    """(peak RSS in MB, wall seconds, last stderr line) of one fresh process."""
    env = {**os.environ, "PYTHONPATH": code_root, "NNVIZ_NO_COMPILE_CACHE": "1",
           "JAX_PLATFORMS": "cpu"}
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, *argv], env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, cwd=code_root)
    err = p.stderr.read().decode(errors="replace")
    _, _, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.stderr.close()
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    return ru.ru_maxrss / 1024, wall, (lines[-1] if lines else "")[:150]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--before", default="2c62137")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = os.path.join(tmp, "before")
        os.mkdir(before)
        tar = subprocess.run(["git", "-C", ROOT, "archive", a.before], capture_output=True,
                             check=True).stdout
        tarfile.open(fileobj=io.BytesIO(tar)).extractall(before)
        init, bomb = os.path.join(tmp, "big.npz"), os.path.join(tmp, "bomb.nnviz")
        make_init_bomb(init, a.gib)
        make_session_bomb(bomb)
        print(f"files: {os.path.basename(init)} {os.path.getsize(init) / 1e6:.1f} MB "
              f"(w0 declares {a.gib:g} GiB); {os.path.basename(bomb)} "
              f"{os.path.getsize(bomb) / 1e6:.1f} MB (arrays.npz inflates to ~1 GiB)")
        cases = {
            "18.6 --init": ["-m", "nnviz", "train", "--init", init, "--epochs", "1"],
            "18.7 session bomb": ["-c", "import sys\nfrom nnviz.core import session as S\n"
                                  "try:\n    S.load(sys.argv[1])\nexcept S.SessionError as e:\n"
                                  "    print(e, file=sys.stderr)\nelse:\n"
                                  "    print('opened: not refused', file=sys.stderr)", bomb],
            "baseline: import nnviz.core.session": ["-c", "import nnviz.core.session"],
        }
        results: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        loads = []
        for _ in range(a.runs):
            for name, argv in cases.items():
                for label, root in (("before", before), ("after", ROOT)):
                    loads.append(open("/proc/loadavg").read().split()[0])
                    results.setdefault((name, label), []).append(measure(root, argv))
        print(f"medians of {a.runs} runs; load average (1 min) during the runs: "
              f"{', '.join(loads)}")
        print(f"{'case':38} {'code':7} {'peak RSS MB':>12} {'time s':>8}  message")
        for (name, label), rs in results.items():
            rss = statistics.median(r[0] for r in rs)
            wall = statistics.median(r[1] for r in rs)
            print(f"{name:38} {label:7} {rss:12.0f} {wall:8.2f}  {rs[-1][2]}")


if __name__ == "__main__":
    main()
