"""Sessions: a save/open round trip is exact, a reopened run goes on as if never stopped, a save
that fails half-way leaves the old file, and every broken file gets a message naming the problem."""
from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pytest

from nnviz.core import session as S
from nnviz.core.data import DataSpec, from_arrays, make_dataset
from nnviz.core.history import LossHistory
from nnviz.core.network import NetworkSpec
from nnviz.core.session import Session, SessionError
from nnviz.core.training import TrainConfig, Trainer, network_for


def _trainer(optimizer="adam", batch_size=16, lr=0.05, seed=3, data=None):
    data = data or make_dataset(DataSpec("moons"))
    spec = network_for(data, "mse", (4, 10, 4), ("sigmoid",) * 3, "sigmoid")
    return Trainer(spec, TrainConfig("mse", optimizer, lr, batch_size), data, seed=seed)


@pytest.fixture(scope="module")
def trained():
    """A mini-batch Adam run stopped at epoch 37, with its (compacted) history."""
    t = _trainer()
    h = LossHistory(16)
    h.extend(1, t.run(37).losses)
    return Session.from_trainer(t, h, test_epochs=[10, 20, 30], test_values=[0.3, 0.2, 0.1],
                                extras={"grid_resolution": 64})


def _assert_same(a: Session, b: Session) -> None:
    for name in ("X", "y", "train_index", "test_index"):
        x, y = getattr(a.dataset, name), getattr(b.dataset, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert (a.dataset.task, a.dataset.n_classes, a.dataset.name, a.dataset.spec,
            a.dataset.feature_names) == (b.dataset.task, b.dataset.n_classes, b.dataset.name,
                                         b.dataset.spec, b.dataset.feature_names)
    assert (a.spec, a.config, a.seed, a.epoch, a.class_names, a.extras) == \
           (b.spec, b.config, b.seed, b.epoch, b.class_names, b.extras)
    for pa, pb in ((a.params, b.params), (a.initial_params, b.initial_params)):
        for (wa, ba), (wb, bb) in zip(pa, pb, strict=True):
            assert np.array_equal(wa, wb) and np.array_equal(ba, bb)
    assert len(a.opt_state) == len(b.opt_state)
    for x, y in zip(a.opt_state, b.opt_state):
        assert x.dtype == y.dtype and np.array_equal(x, y)
    assert np.array_equal(a.key, b.key)
    for x, y in zip(a.history.arrays(), b.history.arrays()):
        assert np.array_equal(x, y)
    assert (a.history.stride, a.history.count, a.history.capacity) == \
           (b.history.stride, b.history.count, b.history.capacity)
    assert np.array_equal(a.history.last, b.history.last, equal_nan=True)
    assert (a.history.best, a.history.best_epoch) == (b.history.best, b.history.best_epoch)
    assert np.array_equal(a.test_epochs, b.test_epochs)
    assert np.array_equal(a.test_values, b.test_values)


def test_round_trip_is_exact(trained, tmp_path):
    path = tmp_path / "run.nnviz"
    trained.save(path)
    back = S.load(path)
    _assert_same(trained, back)
    assert back.epoch == 37 and back.history.stride > 1  # the history had compacted


def test_file_is_a_documented_zip_without_pickle(trained, tmp_path):
    path = tmp_path / "run.nnviz"
    trained.save(path)
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["arrays.npz", "manifest.json"]
        manifest = json.loads(z.read("manifest.json"))
        arrays = np.load(io.BytesIO(z.read("arrays.npz")), allow_pickle=False)
        assert arrays["w0"].shape == (2, 4) and arrays["b0"].shape == (4,)
    assert manifest["format"] == "nnviz-session" and manifest["version"] == S.FORMAT_VERSION
    assert manifest["network"]["hidden"] == [4, 10, 4]
    assert manifest["training"]["optimizer"] == "adam"
    assert manifest["data"]["generator"]["name"] == "moons"
    assert manifest["epoch"] == 37


@pytest.mark.parametrize("optimizer,batch_size", [("adam", 16), ("momentum", 0), ("rmsprop", 16)])
def test_reopened_run_continues_exactly(optimizer, batch_size, tmp_path):
    straight = _trainer(optimizer, batch_size)
    expected = straight.run(60).losses

    first = _trainer(optimizer, batch_size)
    h = LossHistory(8)
    part1 = first.run(25).losses
    h.extend(1, part1)
    Session.from_trainer(first, h).save(tmp_path / "half.nnviz")
    del first  # nothing survives but the file

    reopened = S.load(tmp_path / "half.nnviz")
    trainer = reopened.make_trainer()
    assert trainer.epoch == 25
    part2 = trainer.run(35).losses
    assert np.array_equal(np.concatenate([part1, part2]), expected)
    for (wa, ba), (wb, bb) in zip(trainer.params, straight.params):
        assert np.array_equal(np.asarray(wa), np.asarray(wb))
        assert np.array_equal(np.asarray(ba), np.asarray(bb))
    # The reopened history goes on as the uninterrupted one does.
    full = LossHistory(8)
    full.extend(1, expected)
    reopened.history.extend(26, part2)
    for x, y in zip(reopened.history.arrays(), full.arrays()):
        assert np.array_equal(x, y)
    # Restart goes back to the saved initial weights.
    trainer.restart()
    assert np.array_equal(trainer.run(25).losses, part1)


def test_changed_learning_rate_is_kept(tmp_path):
    t = _trainer("gd", 0, lr=1.0)
    t.run(5)
    t.set_learning_rate(0.25)
    Session.from_trainer(t).save(tmp_path / "lr.nnviz")
    back = S.load(tmp_path / "lr.nnviz").make_trainer()
    assert back.learning_rate == 0.25 and back.config.learning_rate == 0.25
    assert np.array_equal(back.run(5).losses, t.run(5).losses)


def test_imported_points_with_class_names_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    y = np.arange(30) % 3
    data = from_arrays(X, y, "classification", seed=1, name="flowers")
    spec = network_for(data, "cross-entropy", (5,), ("tanh",), "softmax")
    t = Trainer(spec, TrainConfig("cross-entropy", "gd", 0.5), data, seed=1)
    s = Session.from_trainer(t, class_names=("iris", "rose", "tulip"))
    assert s.data_source == "points"
    s.save(tmp_path / "own.nnviz")
    back = S.load(tmp_path / "own.nnviz")
    assert back.data_source == "points" and back.dataset.spec is None
    assert back.class_names == ("iris", "rose", "tulip")
    assert back.dataset.name == "flowers"
    _assert_same(s, back)


def test_a_session_without_optimizer_state_starts_fresh(tmp_path):
    t = _trainer("adam", 16)
    s = Session.from_trainer(t)
    s.opt_state, s.key = None, None
    s.save(tmp_path / "fresh.nnviz")
    back = S.load(tmp_path / "fresh.nnviz").make_trainer()
    assert np.array_equal(back.run(10).losses, _trainer("adam", 16).run(10).losses)


# --- atomic saving -------------------------------------------------------------------------------

def _boom_on_arrays(monkeypatch):
    real = zipfile.ZipFile.writestr

    def writestr(self, name, data, *a, **k):
        if name == "arrays.npz":  # the manifest is already in the file: a save cut half-way
            raise OSError(28, "No space left on device")
        return real(self, name, data, *a, **k)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)


def test_a_save_that_fails_half_way_keeps_the_old_file(trained, tmp_path, monkeypatch):
    path = tmp_path / "run.nnviz"
    trained.save(path)
    before = path.read_bytes()
    t = _trainer()
    t.run(3)
    _boom_on_arrays(monkeypatch)
    with pytest.raises(SessionError, match="could not save .*No space left"):
        Session.from_trainer(t).save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["run.nnviz"]  # no temporary file left behind
    monkeypatch.undo()
    _assert_same(trained, S.load(path))


def test_a_failed_first_save_creates_nothing(trained, tmp_path, monkeypatch):
    _boom_on_arrays(monkeypatch)
    with pytest.raises(SessionError):
        trained.save(tmp_path / "new.nnviz")
    assert os.listdir(tmp_path) == []


def test_save_into_a_missing_folder(trained, tmp_path):
    with pytest.raises(SessionError, match="could not save .*run.nnviz: no such folder"):
        trained.save(tmp_path / "nope" / "run.nnviz")


def test_save_keeps_the_file_mode(trained, tmp_path):
    path = tmp_path / "run.nnviz"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    trained.save(path)
    assert os.stat(path).st_mode & 0o777 == 0o640


# --- broken files ----------------------------------------------------------------------------------

@pytest.fixture()
def parts(trained):
    return json.loads(json.dumps(trained.manifest())), dict(trained.arrays())


def _write(path, manifest, arrays, **np_kw):
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    with zipfile.ZipFile(path, "w") as z:
        if manifest is not None:
            z.writestr("manifest.json", manifest if isinstance(manifest, str) else json.dumps(manifest))
        z.writestr("arrays.npz", buf.getvalue())
    return path


def test_missing_and_empty_and_foreign_files(tmp_path):
    with pytest.raises(SessionError, match="no such file"):
        S.load(tmp_path / "absent.nnviz")
    (tmp_path / "empty.nnviz").write_bytes(b"")
    with pytest.raises(SessionError, match="empty"):
        S.load(tmp_path / "empty.nnviz")
    (tmp_path / "text.nnviz").write_text("x1,x2,label\n1,2,0\n")
    with pytest.raises(SessionError, match="text.nnviz: not an nnviz session .not a zip file.; "
                                           "it looks like a CSV file: File . Import CSV opens "
                                           "it as data"):
        S.load(tmp_path / "text.nnviz")  # (review r20 F11: "not a zip file" alone)
    (tmp_path / "words.nnviz").write_text("just some words\n")
    with pytest.raises(SessionError, match=r"words.nnviz: not an nnviz session \(not a zip "
                                           r"file\)$"):
        S.load(tmp_path / "words.nnviz")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(SessionError, match="no manifest.json"):
        S.load(tmp_path / "other.zip")
    with pytest.raises(SessionError, match="is a folder"):
        S.load(tmp_path)


def test_truncated_and_corrupt_files(trained, tmp_path):
    raw = trained.to_bytes()
    (tmp_path / "cut.nnviz").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SessionError, match="damaged"):
        S.load(tmp_path / "cut.nnviz")
    # Flip bytes inside the compressed arrays: the zip's CRC check catches it.
    bad = bytearray(raw)
    start = raw.index(b"arrays.npz") + 200
    for i in range(start, start + 64):
        bad[i] ^= 0xFF
    (tmp_path / "flipped.nnviz").write_bytes(bytes(bad))
    with pytest.raises(SessionError, match="damaged"):
        S.load(tmp_path / "flipped.nnviz")


def test_foreign_or_newer_manifest(parts, tmp_path):
    manifest, arrays = parts
    with pytest.raises(SessionError, match="not valid JSON"):
        S.load(_write(tmp_path / "a.nnviz", "{not json", arrays))
    with pytest.raises(SessionError, match="does not say format"):
        S.load(_write(tmp_path / "b.nnviz", {**manifest, "format": "something-else"}, arrays))
    newer = S.FORMAT_VERSION + 1
    with pytest.raises(SessionError, match=f"newer nnviz.*format version {newer}.*Update nnviz"):
        S.load(_write(tmp_path / "c.nnviz", {**manifest, "version": newer}, arrays))
    with pytest.raises(SessionError, match="no valid format version"):
        S.load(_write(tmp_path / "d.nnviz", {**manifest, "version": "one"}, arrays))


def test_wrong_shapes_nan_and_missing_arrays(parts, tmp_path):
    manifest, arrays = parts
    cases = [
        ({"w1": np.zeros((4, 9), np.float32)}, r"current weights, layer 1: w1 \(4, 9\)"),
        ({"initial_b0": np.zeros(3, np.float32)}, r"initial weights, layer 0"),
        ({"w2": np.full((10, 4), np.nan, np.float32)}, "layer 2: NaN or infinite"),
        ({"data_X": np.full((200, 2), np.inf, np.float32)}, "data points hold NaN or infinite"),
        ({"data_X": np.zeros((200, 3), np.float32)}, r"data_X is float32 \(200, 3\); the manifest declares \(200, 2\)"),
        ({"data_y": np.full(200, 5, np.int32)}, r"class labels must lie in 0..1"),
        ({"data_train_index": np.array([0, 500])}, "outside the 200 data points"),
        ({"opt/inner_state/0/mu/0/0": np.zeros((3, 3), np.float32)},
         r"optimiser state array inner_state/0/mu/0/0 is float32 \(3, 3\)"),
        ({"opt/inner_state/0/mu/1/0": np.full((4, 10), np.nan, np.float32)},
         "optimiser state array inner_state/0/mu/1/0 holds NaN"),
        ({"opt/inner_state/0/nu/9/0": np.zeros(3, np.float32)},
         "manifest.json and arrays.npz name different arrays"),
        ({"loss_epochs": np.array([3, 2, 1] + [0] * 7)}, "loss history"),
        ({"shuffle_key": np.zeros(3, np.uint32)}, "shuffling key"),
    ]
    for i, (change, message) in enumerate(cases):
        with pytest.raises(SessionError, match=message):
            S.load(_write(tmp_path / f"{i}.nnviz", manifest, {**arrays, **change}))
    missing = dict(arrays)
    del missing["initial_w1"]
    with pytest.raises(SessionError, match="initial_w1 is missing"):
        S.load(_write(tmp_path / "missing.nnviz", manifest, missing))


def test_a_value_far_outside_its_column_is_refused_naming_row_column_and_set(parts, tmp_path):
    """A file written before the CSV import refused such values, or edited by hand: one 1e30
    among the moons' -1 to 2 opened with every other point drawn on one spot, nothing said.
    It is refused by the import's rule, naming the row as data_X counts it and its set; the
    window's message speaks of the plot, the others of the column's scale."""
    manifest, arrays = parts
    test = int(arrays["data_test_index"][0])
    X = arrays["data_X"].copy()
    X[test, 1] = -1e30
    others = np.delete(X[:, 1], test)
    path = _write(tmp_path / "far.nnviz", manifest, {**arrays, "data_X": X})
    where = (f"{path}: the data's row {test} (test set), column 2 (x2): -1e+30 is far outside "
             f"the column's other values ({others.min():.3g} to {others.max():.3g}). ")
    advice = (". Correct the value or remove the row; if such values are real, give the "
              "column's logarithm instead")
    with pytest.raises(SessionError) as e:
        S.load(path)
    assert str(e.value) == where + (
        "The feature's scale would be dominated by it: standardised, every other value would "
        "become nearly the same number, the points no longer told apart") + advice
    with pytest.raises(SessionError) as e:
        S.load(path, plotted=True)
    assert str(e.value) == where + (
        "The plot's range and the standardised feature would be dominated by it, every other "
        "point drawn on one spot") + advice
    X[test, 1] = 2.5  # the same file with a value of the column's own: opened
    assert S.load(_write(tmp_path / "ok.nnviz", manifest, {**arrays, "data_X": X})).epoch == 37


def test_a_regression_target_far_outside_the_others_is_refused_too(tmp_path):
    data = make_dataset(DataSpec("sine"))
    spec = network_for(data, "mse", (4,), ("tanh",), "linear")
    s = Session.from_trainer(Trainer(spec, TrainConfig("mse", "gd", 0.05), data, seed=0))
    arrays = dict(s.arrays())
    row = int(arrays["data_train_index"][3])
    arrays["data_y"] = arrays["data_y"].copy()
    arrays["data_y"][row] = 9e20
    with pytest.raises(SessionError, match=rf"the data's row {row} \(training set\), the target "
                                           r"\(y\): 9e\+20 is far outside .* The target's scale"):
        S.load(_write(tmp_path / "far.nnviz", s.manifest(), arrays))


def test_pickled_arrays_are_refused(parts, tmp_path):
    manifest, arrays = parts
    arrays = {**arrays, "w0": np.array([object()], dtype=object)}
    with pytest.raises(SessionError, match="nothing is unpickled"):
        S.load(_write(tmp_path / "pickle.nnviz", manifest, arrays))


def test_bad_settings_are_named(parts, tmp_path):
    manifest, arrays = parts
    bad_net = {**manifest, "network": {**manifest["network"], "activations": ["sigmoid", "nope", "sigmoid"]}}
    with pytest.raises(SessionError, match="network settings: unknown activation 'nope'"):
        S.load(_write(tmp_path / "a.nnviz", bad_net, arrays))
    bad_train = {**manifest, "training": {**manifest["training"], "learning_rate": -1}}
    with pytest.raises(SessionError, match="training settings: learning rate"):
        S.load(_write(tmp_path / "b.nnviz", bad_train, arrays))
    unknown_key = {**manifest, "training": {**manifest["training"], "warp": 9}}
    with pytest.raises(SessionError, match="training settings"):
        S.load(_write(tmp_path / "c.nnviz", unknown_key, arrays))
    misfit = {**manifest, "training": {**manifest["training"], "loss": "cross-entropy"}}
    with pytest.raises(SessionError, match="do not fit together: cross-entropy"):
        S.load(_write(tmp_path / "d.nnviz", misfit, arrays))
    no_net = {k: v for k, v in manifest.items() if k != "network"}
    with pytest.raises(SessionError, match="'network' section is missing"):
        S.load(_write(tmp_path / "e.nnviz", no_net, arrays))


def test_an_invalid_session_is_not_saved(trained, tmp_path):
    broken = Session(**{**trained.__dict__, "params": trained.params[:-1]})
    with pytest.raises(SessionError, match="current weights have 3 layers; the network 2 -> 4 -> 10 -> 4 -> 1 has 4"):
        broken.save(tmp_path / "x.nnviz")
    assert not (tmp_path / "x.nnviz").exists()


def test_no_test_set_and_linear_network(tmp_path):
    # The notebook's regression baseline: no hidden layer, every point a training point.
    data = make_dataset(DataSpec("line", test_fraction=0.0))
    spec = NetworkSpec(1, (), (), 1, "linear")
    t = Trainer(spec, TrainConfig("mse", "gd", 0.01), data)
    t.run(4)
    Session.from_trainer(t).save(tmp_path / "line.nnviz")
    back = S.load(tmp_path / "line.nnviz")
    assert back.dataset.test_index.size == 0 and back.dataset.task == "regression"
    assert np.array_equal(back.make_trainer().run(3).losses, t.run(3).losses)


def test_a_process_killed_while_saving_leaves_the_old_file(tmp_path):
    """The real thing: a process is SIGKILLed in the middle of writing a save (held there on
    purpose); the file at the path is still the complete old session."""
    import signal
    import subprocess
    import sys

    script = tmp_path / "saver.py"
    script.write_text(
        "import sys, time\n"
        "from nnviz.core import session as S\n"
        "from nnviz.core.data import DataSpec, make_dataset\n"
        "from nnviz.core.network import NetworkSpec\n"
        "from nnviz.core.training import TrainConfig, Trainer\n"
        "s = S.Session.from_trainer(Trainer(NetworkSpec(), TrainConfig(),\n"
        "                                   make_dataset(DataSpec())))\n"
        "s.save(sys.argv[1])\n"
        "print('saved', flush=True)\n"
        "def half_written(f, manifest, arrays):\n"
        "    f.write(b'PK\\x03\\x04 the first bytes of the new file')\n"
        "    f.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(120)\n"
        "S._write_zip = half_written\n"
        "s.extras['second'] = True\n"
        "s.save(sys.argv[1])\n")
    path = tmp_path / "run.nnviz"
    p = subprocess.Popen([sys.executable, str(script), str(path)], stdout=subprocess.PIPE,
                         cwd=os.path.dirname(os.path.dirname(S.__file__)))
    try:
        assert p.stdout.readline().strip() == b"saved"
        assert p.stdout.readline().strip() == b"writing"
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()
    s = S.load(path)  # the old session, whole
    assert "second" not in s.extras and s.spec == NetworkSpec()
    # The cut-short write is a hidden temporary file beside it (nothing can remove it after a
    # SIGKILL, until the next save into this folder); the session file was never opened for writing.
    assert [f for f in os.listdir(tmp_path) if f.startswith(".nnviz-")]


def test_a_bad_scaling_or_target_name_is_named(parts, tmp_path):
    # data.scaling: the (mean, sd) of each standardised feature of a CSV import
    manifest, arrays = parts
    good = {**manifest, "data": {**manifest["data"], "scaling": [[6.2, 0.9], [7.9, 1.2]]}}
    assert S.load(_write(tmp_path / "ok.nnviz", good, arrays)).dataset.scaling == (
        (6.2, 0.9), (7.9, 1.2))
    for i, bad in enumerate(([[6.2, 0.9]], [[6.2, 0.0], [7.9, 1.2]], [[6.2, "x"], [1, 1]])):
        with pytest.raises(SessionError, match=r"data: scaling must list a finite \[mean, sd"):
            S.load(_write(tmp_path / f"{i}.nnviz", {
                **manifest, "data": {**manifest["data"], "scaling": bad}}, arrays))
    with pytest.raises(SessionError, match="data: target_name must be text"):
        S.load(_write(tmp_path / "t.nnviz", {
            **manifest, "data": {**manifest["data"], "target_name": 3}}, arrays))


def _rewritten(out, manifest: dict, parts: dict):
    """A copy of a saved session at ``out`` with ``manifest`` for its manifest."""
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest))
        z.writestr("arrays.npz", parts["arrays.npz"])
    return out


def _damaged(path, key: str, value, **fields):
    """The session saved at ``path`` loaded again with its manifest's ``key`` set to ``value``
    ("absent": left out) and ``fields`` set as given."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    m = dict(json.loads(parts["manifest.json"]), **fields)
    if value == "absent":
        del m[key]
    else:
        m[key] = value
    return S.load(_rewritten(path.parent / "damaged.nnviz", m, parts))


def test_the_epoch_shown_when_saved_comes_back_and_a_damaged_one_is_let_go(tmp_path):
    """Saved while the timeline showed epoch 12 of 30, a session says so (the window opens
    there). Without the field (files written before), or with one that is no epoch of the live
    branch before its end, it opens at the live end: the file itself opens as it would."""
    from nnviz.core import runlog as R
    t = _trainer("gd", 0, 0.5)
    log = R.RunLog()
    R.advance(t, log, 30)
    path = tmp_path / "past.nnviz"
    Session.from_trainer(t, run=R.Run(log), shown_epoch=12).save(path)
    assert S.load(path).shown_epoch == 12
    Session.from_trainer(t, run=R.Run(log)).save(tmp_path / "live.nnviz")
    assert S.load(tmp_path / "live.nnviz").shown_epoch is None
    for value in ("absent", None, -1, 30, 31, 10**12, "12", 12.0, True, [12], {"epoch": 12}):
        back = _damaged(path, "shown_epoch", value)
        assert back.shown_epoch is None, value
        assert back.epoch == 30 and back.run.log.losses.count == 30, value


def test_a_rate_typed_at_the_epoch_shown_comes_back_and_a_damaged_one_is_let_go(tmp_path):
    """Saved with a rate typed while epoch 12 was shown, a session keeps it as the rate waiting
    there (the window's note, a branch from 12 at it), besides going on at it from its end.
    Without it, with no epoch shown, or with no learning rate nnviz takes, it has none."""
    from nnviz.core import runlog as R
    t = _trainer("gd", 0, 0.5)
    log = R.RunLog()
    R.advance(t, log, 30)
    path = tmp_path / "past.nnviz"
    Session.from_trainer(t, run=R.Run(log), shown_epoch=12, learning_rate=2.0).save(path)
    back = S.load(path)
    assert (back.shown_epoch, back.pending_learning_rate) == (12, 2.0)
    assert back.config.learning_rate == 2.0  # the live end goes on at it, as before
    Session.from_trainer(t, run=R.Run(log), learning_rate=2.0).save(tmp_path / "live.nnviz")
    assert S.load(tmp_path / "live.nnviz").pending_learning_rate is None  # applied at the end
    for value, shown in (("absent", 12), (None, 12), (0, 12), (-1.0, 12), (1e5, 12), ("2", 12),
                         (True, 12), ([2.0], 12), (2.0, None), (2.0, 31)):
        back = _damaged(path, "pending_learning_rate", value, shown_epoch=shown)
        assert back.pending_learning_rate is None, value
        assert back.epoch == 30 and back.config.learning_rate == 2.0, value


def test_a_branchs_best_loss_comes_back_exactly_though_its_curve_was_thinned(tmp_path):
    """The run's lowest loss is kept as it ran, not read from the thinned curve again."""
    from nnviz.core import runlog as R
    t = _trainer("gd", 0, 0.5)
    log = R.RunLog(losses=LossHistory(8))
    losses = R.advance(t, log, 60).losses
    assert log.losses.stride > 1 and log.losses.best == float(np.min(losses))
    path = tmp_path / "thinned.nnviz"
    Session.from_trainer(t, run=R.Run(log)).save(path)
    back = S.load(path).run.log.losses
    assert (back.best, back.best_epoch) == (log.losses.best, log.losses.best_epoch)
    assert back.best_epoch == int(np.argmin(losses)) + 1
