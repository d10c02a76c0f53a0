"""Files nnviz writes and reads (issues 17 and 18): outputs that never destroy what the user has
(inputs, symlinks, devices, the old file on a full disk) and files read within declared bounds
(npy headers, zip headers, the manifest's sizes) before any data is read or inflated.

A full disk is a real one for the writing process: RLIMIT_FSIZE makes a write past a few kB fail
(EFBIG, with SIGXFSZ ignored), in a child process so nothing else here is limited.
"""
from __future__ import annotations

import io
import json
import os
import stat
import struct
import subprocess
import sys
import threading
import time
import zipfile

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core import session as S
from nnviz.core.data import DataSpec, make_dataset
from nnviz.core.history import LossHistory
from nnviz.core.network import NetworkSpec, init_params, save_npz
from nnviz.core.session import Session, SessionError
from nnviz.core.training import TrainConfig, Trainer, network_for

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = {**os.environ, "PYTHONPATH": ROOT, "NNVIZ_NO_COMPILE_CACHE": "1",
       "QT_QPA_PLATFORM": "offscreen"}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _in_thread(fn, timeout: float = 20.0):
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 -- handed back to the test
            box["value"] = e
    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    return not t.is_alive(), box.get("value")


def _good_session(**kw) -> Session:
    data = make_dataset(DataSpec("moons", samples=40))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"),
                TrainConfig("mse", "adam", 0.05, 8), data, seed=1)
    h = LossHistory(16)
    h.extend(1, t.run(5).losses)
    return Session.from_trainer(t, h, **kw)


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _npz_bytes(arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _session_bytes(manifest, arrays, compression=zipfile.ZIP_STORED) -> bytes:
    npz = arrays if isinstance(arrays, bytes) else _npz_bytes(arrays)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", json.dumps(manifest), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("arrays.npz", npz, compress_type=compression)
    return buf.getvalue()


def _good_parts():
    s = _good_session()
    return json.loads(json.dumps(s.manifest())), dict(s.arrays())


# --- 18.1: --screenshot onto a session, or onto a full disk --------------------------------------

def test_screenshot_onto_a_session_is_refused_and_the_session_kept(capsys, tmp_path):
    path = tmp_path / "run.nnviz"
    _good_session().save(path)
    before = path.read_bytes()
    code, out, err = run(capsys, "--screenshot", path)
    assert code == 2, err
    assert "run.nnviz is a session, not a picture: use --open" in err
    assert path.read_bytes() == before


def test_screenshot_onto_other_files_that_are_not_pictures_is_refused(capsys, tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("my notes\n")
    code, _, err = run(capsys, "--screenshot", path)
    assert code == 2 and "notes.png is not a picture" in err, err
    assert path.read_text() == "my notes\n"


def _limited(code: str, limit: int) -> str:
    return ("import resource, signal, sys\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, resource.RLIM_INFINITY))\n"
            + code)


def _png(path, size=(300, 300)):
    rng = np.random.default_rng(0)
    from zlib import compress
    h, w = size
    raw = b"".join(b"\x00" + rng.integers(0, 256, w * 3, dtype=np.uint8).tobytes()
                   for _ in range(h))

    def chunk(kind, data):
        import zlib
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", compress(raw)) + chunk(b"IEND", b""))
    path.write_bytes(png)
    return png


def test_screenshot_on_a_full_disk_keeps_the_old_picture(tmp_path):
    path = tmp_path / "shot.png"
    old = _png(path)  # ~270 kB of noise
    code = _limited(f"from nnviz.cli import main\nsys.exit(main(['--screenshot', {str(path)!r}]))",
                    64 << 10)
    r = subprocess.run([sys.executable, "-c", code], env=ENV, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode != 0 and "cannot write" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert path.read_bytes() == old
    assert sorted(os.listdir(tmp_path)) == ["shot.png"]  # no temporary left behind


# --- 18.2: an output that is an input or another output ------------------------------------------

def _csv(path):
    path.write_text("x1,x2,label\n" + "".join(f"{i},{i % 3},{'ab'[i % 2]}\n" for i in range(20)))
    return path.read_bytes()


def test_history_over_the_data_csv_is_refused_before_training(capsys, tmp_path):
    data = tmp_path / "d.csv"
    before = _csv(data)
    code, out, err = run(capsys, "train", "--data", data, "--history", data, "--epochs", 3)
    assert code == 2 and out == ""
    assert f"--history {data} is the same file as --data {data}" in err
    assert data.read_bytes() == before


def test_history_over_the_session_is_refused(capsys, tmp_path):
    s = tmp_path / "s.nnviz"
    _good_session().save(s)
    before = s.read_bytes()
    link = tmp_path / "other-name.nnviz"
    link.symlink_to(s)  # the same file by another name
    code, out, err = run(capsys, "train", "--session", s, "--history", link, "--epochs", 3)
    assert code == 2 and out == "" and "is the same file as --session" in err, err
    assert s.read_bytes() == before


def test_history_and_save_on_one_file_is_refused(capsys, tmp_path):
    x = tmp_path / "x"
    code, out, err = run(capsys, "train", "--history", x, "--save", x, "--epochs", 3)
    assert code == 2 and out == ""
    assert "--history and --save both name" in err
    assert not x.exists()


def test_save_over_the_init_weights_is_refused(capsys, tmp_path):
    w = tmp_path / "w.npz"
    save_npz(w, init_params(NetworkSpec(), 0))
    before = w.read_bytes()
    code, _, err = run(capsys, "train", "--init", w, "--save", w, "--epochs", 3)
    assert code == 2 and "is the same file as --init" in err, err
    assert w.read_bytes() == before


# --- 18.3 / 18.4: symlinks, FIFOs, devices, long names -------------------------------------------

def test_save_writes_through_a_symlink(capsys, tmp_path):
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "s.nnviz"
    target.write_bytes(b"old")
    link = tmp_path / "link.nnviz"
    link.symlink_to(target)
    code, _, err = run(capsys, "train", "--epochs", 3, "--save", link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert S.load(target).epoch == 3


def test_save_to_a_fifo_is_refused_before_training(capsys, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out, err = run(capsys, "train", "--epochs", 3, "--save", fifo)
    assert code == 2 and out == "", err
    assert "it is a FIFO (named pipe); nnviz writes only regular files" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_save_to_a_device_is_refused_and_the_device_kept(capsys, tmp_path):
    dev = tmp_path / "null"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    code, out, err = run(capsys, "train", "--epochs", 3, "--save", dev)
    assert code == 2 and out == "" and "it is a device" in err, err
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_history_to_a_fifo_without_reader_does_not_block(capsys, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    finished, code = _in_thread(lambda: main(["train", "--epochs", "3", "--history", str(fifo)]))
    assert finished, "nnviz blocked on the FIFO"
    err = capsys.readouterr().err
    assert code == 2 and "FIFO" in err, err


def test_the_longest_legal_name_is_saved(capsys, tmp_path):
    name = "s" * (255 - len(".nnviz")) + ".nnviz"
    code, _, err = run(capsys, "train", "--epochs", 3, "--save", tmp_path / name)
    assert code == 0, err
    assert S.load(tmp_path / name).epoch == 3


def test_a_name_too_long_is_refused_before_training(capsys, tmp_path):
    name = "s" * 256
    code, out, err = run(capsys, "train", "--epochs", 3, "--history", tmp_path / name)
    assert code == 2 and out == "" and "file name is longer than the 255 bytes" in err, err


# --- 18.5: temporaries a kill left behind ---------------------------------------------------

def test_stale_temporaries_of_nnviz_are_removed_on_the_next_save(tmp_path):
    old = time.time() - 3600
    stale = [tmp_path / ".nnviz-abcd1234.tmp", tmp_path / ".nnviz-zz_9y8x7.tmp"]
    for p in stale:
        p.write_bytes(b"x" * 1000)
        os.utime(p, (old, old))
    fresh = tmp_path / ".nnviz-fresh123.tmp"  # another nnviz's save, going on right now
    fresh.write_bytes(b"y")
    foreign = tmp_path / ".s.nnviz.abcd1234.tmp"  # not nnviz's pattern
    foreign.write_bytes(b"z")
    os.utime(foreign, (old, old))
    _good_session().save(tmp_path / "s.nnviz")
    left = sorted(os.listdir(tmp_path))
    assert left == sorted([".nnviz-fresh123.tmp", ".s.nnviz.abcd1234.tmp", "s.nnviz"]), left


def test_temporary_names_are_short(tmp_path, monkeypatch):
    from nnviz.core import fileio
    seen = []
    real = fileio.tempfile.mkstemp

    def spy(*a, **kw):
        fd, name = real(*a, **kw)
        seen.append(os.path.basename(name))
        return fd, name
    monkeypatch.setattr(fileio.tempfile, "mkstemp", spy)
    _good_session().save(tmp_path / ("s" * 200 + ".nnviz"))
    assert seen and all(len(n) <= 20 for n in seen), seen


# --- 18.6: --init weights whose header declares gigabytes ------------------------------------------

def _declare_size(raw: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size (central directory) set to ``size``."""
    b = bytearray(raw)
    end = b.rindex(b"PK\x05\x06")
    i = struct.unpack_from("<I", b, end + 16)[0]
    while True:
        name_len = struct.unpack_from("<H", b, i + 28)[0]
        if b[i + 46:i + 46 + name_len] == member.encode():
            struct.pack_into("<I", b, i + 24, size)
            return bytes(b)
        extra, comment = struct.unpack_from("<HH", b, i + 30)
        i += 46 + name_len + extra + comment


def _npy_header(shape, descr="<f4") -> bytes:
    hdr = io.BytesIO()
    np.lib.format.write_array_header_1_0(hdr, {"descr": descr, "fortran_order": False,
                                              "shape": shape})
    return b"\x93NUMPY" + hdr.getvalue()[6:]


def test_init_weights_declaring_gigabytes_are_refused_from_the_header(capsys, tmp_path):
    members = {f"{k}{i}.npy": _npy_header((1,)) + bytes(4) for i in range(4) for k in "wb"}
    members["w0.npy"] = _npy_header((2, 2**28)) + bytes(2 << 20)  # declares 2 GiB
    raw = _zip(members, zipfile.ZIP_DEFLATED)
    path = tmp_path / "big.npz"
    path.write_bytes(_declare_size(raw, "w0.npy", (2 << 30) + 128))
    code, out, err = run(capsys, "train", "--init", path, "--epochs", 3)
    assert code == 2 and out == ""
    assert "big.npz is too large (2147484700 bytes unpacked); the weights of the network " \
           "2 -> 4 -> 10 -> 4 -> 1 allow at most" in err, err


def test_init_weights_of_another_shape_are_named_from_the_header(capsys, tmp_path):
    members = {f"{k}{i}.npy": _npy_header((1,)) + bytes(4) for i in range(4) for k in "wb"}
    members["w0.npy"] = _npy_header((2, 2**20)) + bytes(1 << 10)  # 8 MB declared, 1 kB held
    path = tmp_path / "big.npz"
    path.write_bytes(_zip(members))
    code, _, err = run(capsys, "train", "--init", path, "--epochs", 3)
    assert code == 2 and "w0 declares float32 (2, 1048576)" in err and "the file is damaged" in err, err


def test_init_weights_big_endian_are_converted(capsys, tmp_path):
    params = init_params(NetworkSpec(), 3)
    arrays = {}
    for i, (w, b) in enumerate(params):
        arrays[f"w{i}"] = np.asarray(w).astype(">f4")
        arrays[f"b{i}"] = np.asarray(b).reshape(-1, 1).astype(">f4")
    np.savez(tmp_path / "be.npz", **arrays)
    code, _, err = run(capsys, "train", "--init", tmp_path / "be.npz", "--epochs", 3)
    assert code == 0, err


# --- 18.7 / 17.6: zip bombs and sessions beyond the limits -----------------------------------------

def test_a_session_zip_bomb_is_refused_before_inflating(tmp_path):
    m, a = _good_parts()
    a["data_X"] = np.zeros((40, 2), np.float32)
    a["junk"] = np.zeros(200 << 20, np.uint8)  # 200 MB of zeros: deflates to ~200 kB
    raw = _session_bytes(m, a, zipfile.ZIP_DEFLATED)
    path = tmp_path / "bomb.nnviz"
    path.write_bytes(raw)
    assert path.stat().st_size < 2 << 20
    finished, result = _in_thread(lambda: S.load(path), timeout=60)
    assert finished
    assert isinstance(result, SessionError), result
    assert "arrays.npz would inflate from" in str(result)


def test_a_session_of_three_million_points_is_refused_from_the_manifest(tmp_path):
    m, a = _good_parts()
    n = 3_000_000
    a["data_X"] = np.zeros((n, 2), np.float32)
    a["data_y"] = np.zeros(n, np.float32)
    a["data_train_index"] = np.arange(n)
    a["data_test_index"] = np.zeros(0, np.int64)
    m["data"]["n_points"] = n
    path = tmp_path / "big.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match="3,000,000 points; nnviz's limit is 100,000 points"):
        S.load(path)


def test_a_session_whose_arrays_declare_more_points_than_the_manifest_is_refused(tmp_path):
    m, a = _good_parts()
    a["data_X"] = np.zeros((200_000, 2), np.float32)
    path = tmp_path / "big.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match=r"data_X is float32 \(200000, 2\); the manifest "
                                           r"declares \(40, 2\)"):
        S.load(path)


def test_a_session_whose_history_is_longer_than_the_limit_is_refused(tmp_path):
    m, a = _good_parts()
    a["test_epochs"] = np.zeros((1 << 24) + 2, np.int64)
    a["test_values"] = np.zeros((1 << 24) + 2, np.float32)
    path = tmp_path / "long.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match="test_epochs holds 16,777,218 points; nnviz's limit "
                                           "is 16,777,216"):
        S.load(path)


# --- 17.3: arrays of the wrong kind --------------------------------------------------------------

def test_a_raw_member_in_arrays_npz_is_a_clear_message(tmp_path):
    m, a = _good_parts()
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as z:
        for k, v in a.items():
            b = io.BytesIO()
            np.save(b, v)
            z.writestr(f"{k}.npy", b.getvalue() if k != "test_values" else b"raw bytes, not npy")
    path = tmp_path / "raw.nnviz"
    path.write_bytes(_session_bytes(m, npz.getvalue()))
    with pytest.raises(SessionError, match="test_values is not a numpy array"):
        S.load(path)


def test_a_test_history_of_strings_is_a_clear_message(tmp_path):
    m, a = _good_parts()
    a["test_epochs"] = np.array([1, 2], np.int64)
    a["test_values"] = np.array(["0.5", "0.4"])
    path = tmp_path / "str.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match="test_values holds text; it must hold numbers"):
        S.load(path)


def test_test_epochs_of_floats_are_refused(tmp_path):
    m, a = _good_parts()
    a["test_epochs"] = np.array([1.5, 2.0])
    a["test_values"] = np.array([0.5, 0.4], np.float32)
    path = tmp_path / "f.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match="test_epochs must hold whole numbers, got float64"):
        S.load(path)


def test_big_endian_session_arrays_are_converted(tmp_path):
    m, a = _good_parts()
    a = {k: (v.astype(v.dtype.newbyteorder(">")) if v.dtype.itemsize > 1 else v)
         for k, v in a.items()}
    path = tmp_path / "be.nnviz"
    path.write_bytes(_session_bytes(m, a))
    s = S.load(path)
    assert s.epoch == 5 and s.dataset.X.dtype == np.float32


# --- 18.9: a closed pipe ---------------------------------------------------------------------------

def test_train_into_a_closed_pipe_exits_quietly():
    p = subprocess.Popen([sys.executable, "-m", "nnviz", "train", "--print-every", "1",
                          "--epochs", "20000"], env=ENV, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()  # as `| head -1` does
    err = p.stderr.read().decode()
    code = p.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert code in (0, 141), code


# --- 18.10: messages and edges ----------------------------------------------------------------

@pytest.mark.parametrize("cut", [19, 60, 120, 137])
def test_a_session_cut_in_its_last_bytes_is_damaged(tmp_path, cut):
    raw = _good_session().to_bytes()
    with pytest.raises(SessionError, match="damaged"):
        S.from_bytes(raw[:-cut])


@pytest.mark.parametrize("option", ["--session", "--data", "--init"])
def test_a_folder_as_an_input_says_folder(capsys, tmp_path, option):
    code, _, err = run(capsys, "train", option, tmp_path)
    assert code == 2 and f"{tmp_path} is a folder, not a file" in err, err


def test_a_session_at_the_epoch_limit_is_refused_on_open(tmp_path):
    m, a = _good_parts()
    m["epoch"] = 2**31
    path = tmp_path / "late.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match=r"the file is damaged: epoch 2,147,483,648 is beyond "
                                           r"2,147,483,647"):
        S.load(path)
    m["epoch"] = 2**31 - 1  # the last epoch the timeline counts: opens
    path.write_bytes(_session_bytes(m, a))
    assert S.load(path).epoch == 2**31 - 1


def _refused(tmp_path, m, a, match):
    path = tmp_path / "bad.nnviz"
    path.write_bytes(_session_bytes(m, a))
    with pytest.raises(SessionError, match=match):
        S.load(path)
    import nnviz  # the Python API reads with the same checks
    with pytest.raises(SessionError, match=match):
        nnviz.load(path)


def test_a_session_whose_numbers_no_run_reaches_is_refused_as_damaged(tmp_path):
    """A reviewer's copy with "epoch": 1000000000000 opened: the header read "Epoch
    1,000,000,000,000" and two dialogs said "Something went wrong: OverflowError" (the
    timeline's slider). That, and every other count of epochs in the manifest beyond what a
    run reaches, is refused as damaged."""
    cases = [
        (lambda m, a: m.__setitem__("epoch", 10**12), r"epoch 1,000,000,000,000 is beyond"),
        (lambda m, a: m["history"].__setitem__("count", 10**12),
         r"a loss history counts 1,000,000,000,000 epochs"),
        (lambda m, a: m["history"].__setitem__("count", 6),  # the session is at epoch 5
         r"its loss history runs to epoch 6, past the session's epoch 5"),
        (lambda m, a: m["history"].__setitem__("stride", 2**60),
         r"a loss history's stride 1,152,921,504,606,846,976 is beyond 2\^31"),
        (lambda m, a: (a.__setitem__("test_epochs", np.array([3, 10**12], np.int64)),
                       a.__setitem__("test_values", np.ones(2, np.float32))),
         r"the test loss has epochs outside 0..6"),
    ]
    for change, match in cases:
        m, a = _good_parts()
        change(m, a)
        _refused(tmp_path, m, a, "the file is damaged: " + match)


def _branched_parts():
    """A run of 60 epochs, branched at 30 and trained 20 more ("run 2", live at 50)."""
    from nnviz.core import runlog as R
    data = make_dataset(DataSpec("moons", samples=40))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"),
                TrainConfig("mse", "gd", 0.5, 0), data, seed=1)
    log = R.RunLog()
    R.advance(t, log, 60)
    run = R.Run(log)
    R.continue_from(t, run, 30, R.state_at(t, log, 30)[1], 2.0)
    R.advance(t, run.log, 20)
    s = Session.from_trainer(t, run=run)
    return json.loads(json.dumps(s.manifest())), dict(s.arrays())


def test_a_branch_forked_after_its_parent_ends_is_refused_as_damaged(tmp_path):
    m, a = _branched_parts()
    assert [b["parent"] for b in m["run"]["branches"]] == [None, "run 1"]
    S.load(_write(tmp_path, m, a))  # as written: opens
    m["run"]["branches"][1]["fork_epoch"] = 45  # run 1 ends at 60: still a fork within it
    S.load(_write(tmp_path, m, a))
    _refused(tmp_path, *_shortened(m, a, 0, 40),  # run 1 trained only to 40
             r"the file is damaged: run branch 'run 2' forks at epoch 45, after its parent "
             r"'run 1' ends \(epoch 40\)")
    m, a = _branched_parts()
    m["run"]["branches"][1]["fork_epoch"] = 51  # after its own end
    _refused(tmp_path, m, a, r"run branch 'run 2' forks at epoch 51, after its own end \(50\)")


def test_a_branch_whose_parent_is_not_in_the_run_opens_without_one(tmp_path):
    """nnviz wrote such files: deleting "run 1" left "run 2" naming it (Run.delete now lets the
    name go). The branch keeps its whole record; only the link goes."""
    m, a = _branched_parts()
    m["run"]["branches"][1]["parent"] = "run 7"
    s = S.load(_write(tmp_path, m, a))
    assert [(b.name, b.parent, b.epoch) for b in s.run.branches] == \
        [("run 1", None, 60), ("run 2", None, 50)]
    m["run"]["branches"][1]["parent"] = "run 2"  # itself (renamed after its parent went)
    assert S.load(_write(tmp_path, m, a)).run.branches[1].parent is None
    m["run"]["branches"][0]["parent"] = "run 2"  # each the other's parent: no run does that
    m["run"]["branches"][1]["parent"] = "run 1"
    m["run"]["branches"][0]["fork_epoch"] = 10
    _refused(tmp_path, m, a, r"the file is damaged: run branch 'run 1' descends from itself")


def _write(tmp_path, m, a):
    path = tmp_path / "branched.nnviz"
    path.write_bytes(_session_bytes(m, a))
    return path


def _shortened(m, a, i, end):
    """Branch ``i`` of the run cut to end at ``end``: its losses, test points and checkpoints
    after it left out, as if it had been trained only that far."""
    b, k = m["run"]["branches"][i], f"run/{i}/"
    b["history"]["count"] = end
    keep = a[k + "loss_epochs"] <= end
    a[k + "loss_epochs"], a[k + "loss_values"] = a[k + "loss_epochs"][keep], \
        a[k + "loss_values"][keep]
    keep = a[k + "test_epochs"] <= end
    a[k + "test_epochs"], a[k + "test_values"] = a[k + "test_epochs"][keep], \
        a[k + "test_values"][keep]
    if k + "grads_epochs" in a:
        keep = a[k + "grads_epochs"] <= end
        a[k + "grads_epochs"], a[k + "grads_values"] = a[k + "grads_epochs"][keep], \
            a[k + "grads_values"][keep]
    keep = a[k + "checkpoint_epochs"] <= end
    for name in [n for n in a if n.startswith(k + "checkpoint")]:
        a[name] = a[name][keep]
    for field in ("checkpoints", "checkpoint_points", "checkpoint_weights_of"):
        b[field] = [v for v, kept in zip(b[field], keep) if kept]
    return m, a


def test_a_session_with_a_deflated_arrays_npz_still_opens(tmp_path):
    """Older nnviz deflated arrays.npz: it is inflated (within the bounds) and opens as before."""
    m, a = _good_parts()
    path = tmp_path / "old.nnviz"
    path.write_bytes(_session_bytes(m, a, zipfile.ZIP_DEFLATED))
    assert S.load(path).epoch == 5


def test_a_tiny_zip_that_starts_like_a_member_is_not_a_session():
    raw = b"PK\x03\x04" + b"PK\x05\x06" + bytes(18)  # a local header's magic, then an empty zip
    with pytest.raises(SessionError, match="not an nnviz session"):
        S.from_bytes(raw)


def test_a_damaged_array_header_is_a_clear_message(tmp_path):
    m, a = _good_parts()
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as z:
        for k, v in a.items():
            b = io.BytesIO()
            np.save(b, v)
            raw = b.getvalue()
            if k == "data_X":  # the header's dict left open: numpy's tokenizer gives up
                raw = raw[:10] + raw[10:].replace(b"}", b" ", 1)
            z.writestr(f"{k}.npy", raw)
    path = tmp_path / "hdr.nnviz"
    path.write_bytes(_session_bytes(m, npz.getvalue()))
    with pytest.raises(SessionError, match="data_X: the array's header is damaged"):
        S.load(path)


def test_init_weights_of_an_unknown_zip_version_are_a_clear_message(capsys, tmp_path):
    path = tmp_path / "w.npz"
    save_npz(path, init_params(NetworkSpec(), 0))
    b = bytearray(path.read_bytes())
    cd = struct.unpack_from("<I", b, b.rindex(b"PK\x05\x06") + 16)[0]
    b[cd + 6] = 109  # "version needed to extract" of the first member: 10.9
    path.write_bytes(bytes(b))
    code, _, err = run(capsys, "train", "--init", path, "--epochs", 3)
    assert code == 2 and "zip file version 10.9" in err and "Traceback" not in err, err
