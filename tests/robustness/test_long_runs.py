"""Issue 17 item 12: ``nnviz train`` keeps no per-epoch record in memory. What the printout needs
is printed as it goes, ``--history`` is streamed to its file, ``--save``'s history is the bounded
one: beside the run log (whose checkpoints have their own memory budget), the memory a run holds
does not grow with its length (bench/cli_memory.py measures RSS)."""
from __future__ import annotations

import csv
import tracemalloc

import numpy as np

from nnviz import cli
from nnviz.cli import main
from nnviz.core.session import load as load_session


def _peak_bytes(argv: list[str], monkeypatch) -> int:
    """The most Python and numpy memory held at once while ``main(argv)`` ran, less what its
    run log holds at the end (its checkpoints have their own budget: core/runlog.py)."""
    runs = []
    prepare = cli.prepare_run

    def keep(args):  # the run log stays alive to be measured
        out = prepare(args)
        runs.append(out)
        return out
    monkeypatch.setattr(cli, "prepare_run", keep)
    # Six frames a trace find the run log's allocations (the same bytes as with 30) and cost a
    # third of the time: every allocation of the history's 150,000 rows records its frames, and
    # under pytest 30 were 30 real ones (24 s for the next test, 9 with 10 frames, 6 with 4).
    tracemalloc.start(6)
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        assert main(argv) == 0
        peak = tracemalloc.get_traced_memory()[1] - base
        in_log = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(True, "*runlog.py", all_frames=True)])
        log_bytes = sum(s.size for s in in_log.statistics("filename"))
    finally:
        tracemalloc.stop()
    return peak - log_bytes


def test_the_memory_of_a_train_run_does_not_grow_with_its_length(capsys, monkeypatch):
    main(["train", "--epochs", "10"])  # compile outside the measurement
    short = _peak_bytes(["train", "--epochs", "20000", "--print-every", "1000000"], monkeypatch)
    long = _peak_bytes(["train", "--epochs", "300000", "--print-every", "1000000"], monkeypatch)
    capsys.readouterr()
    # Keeping every epoch's loss held 4 bytes an epoch (1.2 MB here), twice at the end.
    assert long - short < 500_000, (short, long)


def test_history_is_streamed_and_complete(capsys, tmp_path, monkeypatch):
    path = tmp_path / "h.csv"
    main(["train", "--epochs", "10"])
    short = _peak_bytes(["train", "--epochs", "20000", "--history", str(path)], monkeypatch)
    long = _peak_bytes(["train", "--epochs", "150000", "--history", str(path),
                        "--print-every", "50000"], monkeypatch)
    out = capsys.readouterr().out
    assert long - short < 500_000, (short, long)
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["epoch", "loss"] and len(rows) == 150001
    assert [int(r[0]) for r in rows[1:4]] == [1, 2, 3] and int(rows[-1][0]) == 150000
    # The printout still shows the epochs asked for, with the streamed file's values.
    assert f"Loss for epoch 50000: {float(rows[50000][1]):.4f}" in out
    assert f"Loss for epoch 150000: {float(rows[150000][1]):.4f}" in out


def test_save_keeps_the_bounded_history_and_the_last_loss(capsys, tmp_path):
    main(["train", "--epochs", "50000", "--save", str(tmp_path / "s.nnviz"), "--history",
          str(tmp_path / "h.csv")])
    s = load_session(tmp_path / "s.nnviz")
    epochs, values = s.history.arrays()
    assert s.history.count == 50000 and epochs[0] == 1 and len(epochs) <= s.history.capacity
    with open(tmp_path / "h.csv", newline="") as f:
        rows = {int(r[0]): float(r[1]) for r in list(csv.reader(f))[1:]}
    assert np.allclose(values, [rows[e] for e in epochs])
    assert s.history.last == rows[50000]
