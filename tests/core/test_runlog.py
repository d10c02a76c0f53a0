"""The run log: any recorded epoch is reachable exactly, branches continue bit for bit, and the
record stays bounded however long the run."""
from __future__ import annotations

import jax
import numpy as np
import pytest

from nnviz.core import runlog as R
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.training import TrainConfig, Trainer, network_for


def _trainer(optimizer="adam", batch=16, lr=0.01, samples=200, hidden=(4, 10, 4),
             activation="sigmoid", output="sigmoid"):
    data = make_dataset(DataSpec("moons", samples=samples))
    spec = network_for(data, "mse", hidden, (activation,) * len(hidden), output)
    return Trainer(spec, TrainConfig("mse", optimizer, lr, batch), data, seed=5)


def _same_state(a, b) -> bool:
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(np.array_equal(np.asarray(x), np.asarray(y))
                                      for x, y in zip(la, lb))


def test_any_epoch_is_reached_exactly_from_the_checkpoints():
    """Adam with mini-batches of 16 (so the shuffling key matters too): the state after epoch
    777 of a 3,000-epoch recorded run equals a straight run of 777 epochs, bit for bit."""
    t = _trainer()
    log = R.RunLog()
    R.advance(t, log, 3000)
    assert t.epoch == 3000 and log.losses.count == 3000
    assert 777 not in set(log.checkpoint_epochs())  # a replay is needed, not a lookup

    at, state = R.state_at(t, log, 777)
    straight = _trainer()
    straight.run(777)
    assert at == 777 and _same_state(state, straight.state)
    # The live run is untouched by the replay.
    assert t.epoch == 3000


def test_checkpoints_are_dense_early_and_sparse_later():
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog()
    R.advance(t, log, 5000)
    e = log.checkpoint_epochs()
    assert list(e[:33]) == list(range(33))  # every epoch at first
    gaps = np.diff(e)
    assert gaps[-1] > 50 * gaps[0]  # ... then further apart
    assert gaps.max() <= R.MAX_GAP


def test_the_record_is_bounded_after_a_long_run():
    """Checkpoints stay within their budget (a small one here, to see the thinning) and the
    replay to any epoch stays exact after thinning. 200,000 epochs thin the checkpoints 15
    times (every doubling of the epoch from 41 on; a million thinned 18 times, in 5x the time)
    and fill the loss history's capacity 48 times over."""
    t = _trainer("gd", 0, 1.0)
    size = R.state_nbytes(t.state)
    log = R.RunLog(budget_bytes=40 * size)
    R.advance(t, log, 200_000)
    assert t.epoch == 200_000 and log.max_gap >= 2**15 * R.MAX_GAP  # thinned 15 times
    assert len(log.checkpoints) <= 40 + 1  # + the pinned start
    assert len(log.losses) <= log.losses.capacity
    assert log.nbytes() < 2 * 2**20
    at, state = R.state_at(t, log, 123_457)
    straight = _trainer("gd", 0, 1.0)
    straight.run(123_457)
    assert at == 123_457 and _same_state(state, straight.state)


def test_a_state_the_budget_keeps_few_of_is_checkpointed_no_closer_than_they_are_kept():
    """A 2-512x8-1 network's budget holds 8 of its states: a checkpoint (an 8 MB copy and a
    gradient pass as costly as an epoch) every epoch would be thinned away as fast as it was
    taken. They come epoch / 8 apart instead, and every epoch is still reached exactly."""
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog(budget_bytes=R.MIN_CHECKPOINTS * R.state_nbytes(t.state))
    taken = []
    R.advance(t, log, 2000, on_checkpoint=lambda lg: taken.append(lg.checkpoints[-1].epoch))
    assert all(b - a >= max(1, a // R.MIN_CHECKPOINTS) for a, b in zip(taken, taken[1:]))
    assert len(taken) < 60  # a roomy budget takes ~170 over these 2,000 epochs (dense early)
    at, state = R.state_at(t, log, 1234)
    straight = _trainer("gd", 0, 1.0)
    straight.run(1234)
    assert at == 1234 and _same_state(state, straight.state)


def test_a_branch_with_unchanged_settings_reproduces_the_run():
    t = _trainer()
    log = R.RunLog()
    R.advance(t, log, 600)
    original = log.losses.arrays()

    run = R.Run(log)
    at, state = R.state_at(t, log, 250)
    child = run.branch(250, state)
    assert run.log is child and child.parent == "run 1" and child.fork_epoch == 250
    t.epoch, t.state = 250, state
    R.advance(t, child, 350)
    assert np.array_equal(child.losses.arrays()[1], original[1])
    assert np.array_equal(child.losses.arrays()[0], original[0])


def test_a_branch_with_a_lower_learning_rate_keeps_the_past_and_changes_the_future():
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog()
    R.advance(t, log, 400)
    run = R.Run(log)
    at, state = R.state_at(t, log, 100)
    t.epoch, t.state = 100, state
    t.set_learning_rate(0.1)
    child = run.branch(100, t.state)
    R.advance(t, child, 300)
    e0, v0 = log.losses.arrays()
    e1, v1 = child.losses.arrays()
    assert np.array_equal(v1[:100], v0[:100])
    assert not np.array_equal(v1[100:], v0[100:])
    # The original branch is still there, whole.
    assert run.branches[0].losses.count == 400


def test_branch_names_rename_and_delete():
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog()
    R.advance(t, log, 20)
    run = R.Run(log)
    run.branch(10, R.state_at(t, log, 10)[1])
    assert run.names() == ["run 1", "run 2"]
    run.rename("run 2", "  lr 0.1 ")
    assert run.names() == ["run 1", "lr 0.1"]
    with pytest.raises(ValueError, match="already"):
        run.rename("run 1", "lr 0.1")
    with pytest.raises(ValueError, match="name"):
        run.rename("run 1", "   ")
    run.delete("lr 0.1")
    assert run.names() == ["run 1"] and run.active == 0
    with pytest.raises(ValueError, match="only branch"):
        run.delete("run 1")


def test_deleting_a_branch_lets_its_children_go_of_its_name():
    """"run 2" forked from "run 1", "run 1" deleted: run 2 still named it as its parent, a name
    the next branch given it would have taken over (and a session kept the dangling name)."""
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog()
    R.advance(t, log, 20)
    run = R.Run(log)
    run.branch(10, R.state_at(t, log, 10)[1])
    assert run.branches[1].parent == "run 1"
    run.delete("run 1")
    assert [(b.name, b.parent, b.fork_epoch) for b in run.branches] == [("run 2", None, 10)]


def test_a_branch_keeps_its_colour_for_its_life_and_in_a_saved_session(tmp_path):
    """Colours went by a branch's place in the run: deleting "run 2" gave "run 3" its colour.
    Each keeps the one it was made with; a new branch takes the first one free; a session
    keeps them, and one written before they were saved gives them in the branches' order."""
    import json
    import zipfile

    from nnviz.core import session as S
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog()
    R.advance(t, log, 20)
    run = R.Run(log)
    for epoch in (5, 10):
        run.active = 0
        run.branch(epoch, R.state_at(t, log, epoch)[1])
    colours = lambda r: {b.name: b.colour for b in r.branches}  # noqa: E731
    assert colours(run) == {"run 1": 0, "run 2": 1, "run 3": 2}
    run.delete("run 2")
    assert colours(run) == {"run 1": 0, "run 3": 2}
    run.active = 0
    run.branch(15, R.state_at(t, log, 15)[1])  # named "run 4": run 3 is taken
    assert colours(run) == {"run 1": 0, "run 3": 2, "run 4": 1}
    path = tmp_path / "run.nnviz"
    S.Session.from_trainer(t, run=run).save(path)
    assert colours(S.load(path).make_run()) == colours(run)
    # The same file as an nnviz before this wrote it: no "colour" in the manifest.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(parts["manifest.json"])
    for b in manifest["run"]["branches"]:
        del b["colour"]
    parts["manifest.json"] = json.dumps(manifest).encode()
    older = tmp_path / "older.nnviz"
    with zipfile.ZipFile(older, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert colours(S.load(older).make_run()) == {"run 1": 0, "run 3": 1, "run 4": 2}


def test_a_divergence_pins_the_restored_weights():
    t = _trainer("gd", 0, 100.0, activation="relu", output="linear")  # 3.6, 1e19, ..., inf
    log = R.RunLog()
    result = R.advance(t, log, 50)
    assert result.diverged
    last = log.checkpoints[-1]
    assert last.pinned == "restored" and last.epoch == t.epoch
    at, state = R.state_at(t, log, t.epoch)
    assert _same_state(state, t.state)


def _rewrite_manifest(path, out, change) -> None:
    """``path``'s session written to ``out`` with ``change(manifest)`` applied."""
    import json
    import zipfile
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    manifest = json.loads(parts["manifest.json"])
    change(manifest)
    parts["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_a_saved_session_keeps_what_its_divergence_said(tmp_path):
    """A reopened session lost its divergence: the window's banner and the counter's "weights
    of epoch N" were gone (reviewer). The branch's divergence and the restored checkpoint's
    weights_of are saved; files written before (neither field) open without them; a broken
    field is refused with a message."""
    from nnviz.core import session as S
    t = _trainer("gd", 0, 100.0, activation="relu", output="linear")
    log = R.RunLog()
    assert R.advance(t, log, 50).diverged
    log.divergence = (t.epoch, f"Training diverged after epoch {t.epoch}: ...")
    path = tmp_path / "diverged.nnviz"
    S.Session.from_trainer(t, run=R.Run(log)).save(path)
    back = S.load(path).make_run().log
    assert back.divergence == log.divergence
    assert back.weights_of(t.epoch) == log.weights_of(t.epoch) == t.best_epoch < t.epoch

    def older(m):
        for b in m["run"]["branches"]:
            del b["divergence"], b["checkpoint_weights_of"]
    _rewrite_manifest(path, tmp_path / "older.nnviz", older)
    old = S.load(tmp_path / "older.nnviz").make_run().log
    assert old.divergence is None and old.weights_of(t.epoch) == t.epoch

    def broken(m):
        m["run"]["branches"][0]["divergence"] = {"epoch": "3", "message": 7}
    _rewrite_manifest(path, tmp_path / "broken.nnviz", broken)
    with pytest.raises(S.SessionError, match="divergence must be null or"):
        S.load(tmp_path / "broken.nnviz")

    def later(m):  # weights of an epoch after the checkpoint's own: not a restore
        m["run"]["branches"][0]["checkpoint_weights_of"][-1] = t.epoch + 5
    _rewrite_manifest(path, tmp_path / "later.nnviz", later)
    with pytest.raises(S.SessionError, match="checkpoint_weights_of"):
        S.load(tmp_path / "later.nnviz")


def test_a_saved_run_reopens_with_its_branches_and_every_epoch_reachable(tmp_path):
    from nnviz.core import session as S
    t = _trainer()
    log = R.RunLog()
    R.advance(t, log, 500)
    run = R.Run(log)
    at, state = R.state_at(t, log, 200)
    t.epoch, t.state = 200, state
    t.set_learning_rate(0.002)
    child = run.branch(200, t.state)
    R.advance(t, child, 100)
    S.Session.from_trainer(t, run=run).save(tmp_path / "run.nnviz")

    s = S.load(tmp_path / "run.nnviz")
    back = s.make_run()
    assert back.names() == ["run 1", "run 2"] and back.active == 1
    assert back.branches[1].parent == "run 1" and back.branches[1].fork_epoch == 200
    reopened = s.make_trainer()
    assert reopened.epoch == 300
    for b_saved, b_back in zip(run.branches, back.branches):
        assert np.array_equal(b_saved.losses.arrays()[1], b_back.losses.arrays()[1])
        assert list(b_saved.checkpoint_epochs()) == list(b_back.checkpoint_epochs())
    # Any epoch of either branch is reached exactly from the reopened record.
    for branch, epoch in ((0, 377), (1, 250), (0, 123)):
        _, want = R.state_at(t, run.branches[branch], epoch)
        _, got = R.state_at(reopened, back.branches[branch], epoch)
        assert _same_state(got, want), (branch, epoch)
    # The reopened live branch goes on exactly as the original does.
    original = t.run(50).losses
    assert np.array_equal(reopened.run(50).losses, original)


def test_a_session_of_format_1_reaches_only_its_own_epoch():
    from pathlib import Path

    from nnviz.core import session as S
    s = S.load(Path(__file__).resolve().parent.parent / "fixtures" / "sessions-v1"
               / "notebook-gd-e100.nnviz")
    assert s.run is None and s.make_run() is None
    t = s.make_trainer()
    log = R.RunLog()
    log.checkpoint(t.epoch, t.state, "start")
    at, state = R.state_at(t, log, 40)  # before the record: the first reachable epoch
    assert at == 100 and _same_state(state, t.state)


def test_a_run_full_of_branches_refuses_another_and_changes_nothing():
    t = _trainer("gd", 0, 1.0)
    log = R.RunLog()
    R.advance(t, log, 40)
    run = R.Run(log)
    for i in range(R.MAX_BRANCHES - 1):
        R.continue_from(t, run, 10 + i, R.state_at(t, run.log, 10 + i)[1])
    assert len(run.branches) == R.MAX_BRANCHES and t.epoch == 10 + R.MAX_BRANCHES - 2
    before = (t.epoch, len(run.log.checkpoints), run.active)
    with pytest.raises(R.BranchError, match="at most 16 branches"):
        R.continue_from(t, run, 5, R.state_at(t, run.log, 5)[1])
    assert (t.epoch, len(run.log.checkpoints), run.active) == before


def test_the_window_checkpoints_a_cheap_problem_less_often_and_still_reaches_every_epoch():
    """The notebook's problem (160 training points, 111 weights: an epoch costs ~6 us) gets
    checkpoints up to 4 x MAX_GAP epochs apart in the window's loop (each one split a playing
    chunk in pieces), a problem whose epochs cost more MAX_GAP; an epoch between two of the
    sparser checkpoints is still reached exactly."""
    from nnviz.core.loop import NewProblem, TrainLoop
    from nnviz.core.problem import notebook_problem

    assert R.RunLog.max_gap_for(160, 111) == 4 * R.MAX_GAP
    assert R.RunLog.max_gap_for(240, 111) == 2 * R.MAX_GAP  # 300 points
    assert R.RunLog.max_gap_for(80_000, 111) == R.MAX_GAP
    assert R.RunLog.max_gap_for(160, 1_500_000) == R.MAX_GAP  # a 2-512x8-1 network

    loop = TrainLoop()
    loop._handle(NewProblem(1, notebook_problem()))
    log, t = loop.log, loop.trainer
    assert log.max_gap == 4 * R.MAX_GAP
    R.advance(t, log, 150_000)
    e = log.checkpoint_epochs()
    assert np.diff(e).max() == 4 * R.MAX_GAP  # not 1,024
    between = int(e[-2]) + 2_049
    at, state = R.state_at(t, log, between)
    straight = notebook_problem().make_trainer()
    straight.run(between)
    assert at == between and _same_state(state, straight.state)
