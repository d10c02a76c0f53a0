"""A catalogue of bad input for everything Qt-free: the command line, the validating constructors,
CSV import and session files. One case per test; each asserts the words a user reads and that
nothing else changed (no file written, the input file untouched, no traceback).

Cases already covered by tests/core (test_cli.py, test_cli_session.py, test_csvdata.py,
test_session.py) are not repeated here.
"""
from __future__ import annotations

import io
import json
import os
import struct
import threading
import zipfile

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core import session as S
from nnviz.core.csvdata import parse_csv_text, read_csv
from nnviz.core.data import DataError, DataSpec, make_dataset
from nnviz.core.history import LossHistory
from nnviz.core.network import NetworkSpec, SpecError, init_params, save_npz
from nnviz.core.session import Session, SessionError
from nnviz.core.training import TrainConfig, Trainer, TrainingError, network_for

# --- helpers ------------------------------------------------------------------------------------


def _listing(folder) -> dict[str, bytes | None]:
    """Every entry of ``folder`` with its bytes (None for anything but a regular file)."""
    out = {}
    for name in sorted(os.listdir(folder)):
        p = os.path.join(folder, name)
        out[name] = open(p, "rb").read() if os.path.isfile(p) and not os.path.islink(p) \
            and os.path.getsize(p) < 1 << 20 else None
    return out


def _in_thread(fn, timeout: float = 10.0):
    """Run ``fn`` in a daemon thread: (finished, result or exception). A hang fails, not blocks."""
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


# --- the command line ---------------------------------------------------------------------------


def _npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def _weights_of_strings(p):
    spec = NetworkSpec()
    arrays = {}
    for i, ((ws, (out,))) in enumerate(spec.param_shapes()):
        arrays[f"w{i}"] = np.zeros(ws, np.float32)
        arrays[f"b{i}"] = np.zeros((out, 1), np.float32)
    arrays["w0"] = np.full((2, 4), "a")
    return _npz(p / "strings.npz", **arrays)


def _weights_with_nan(p):
    params = init_params(NetworkSpec(), 0)
    save_npz(p / "nan.npz", params)
    with np.load(p / "nan.npz") as f:
        arrays = {k: f[k] for k in f.files}
    arrays["b2"] = np.full_like(arrays["b2"], np.nan)
    return _npz(p / "nan.npz", **arrays)


def _weights_pickled(p):
    arrays = {f"{k}{i}": np.zeros(1, np.float32) for i in range(4) for k in "wb"}
    arrays["w0"] = np.array([{"evil": 1}], dtype=object)
    return _npz(p / "pickle.npz", **arrays)


def _zip_without_weights(p):
    with zipfile.ZipFile(p / "readme.npz", "w") as z:
        z.writestr("readme.txt", "hello")
    return p / "readme.npz"


def _sparse_gigabyte(p):
    path = p / "huge.npz"
    with open(path, "wb") as f:
        f.truncate(1 << 30)  # sparse: costs no disk and no memory
    return path


def _broken_csv(p):
    (p / "words.csv").write_text("x1,x2,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n")
    return p / "words.csv"


def _junk_session(p):
    (p / "junk.nnviz").write_bytes(os.urandom(2048))
    return p / "junk.nnviz"


# (argv with {p} for the test's folder or a callable making a file, words on stderr)
CLI_CASES = [
    (["--hidden", "4,a"], "widths are whole numbers separated by commas"),
    (["--hidden", "4,,4"], "an empty value in the list"),
    (["--hidden", "-4"], "each width must be 1..512, got -4"),
    (["--hidden", "513"], "each width must be 1..512, got 513"),
    (["--hidden", ",".join(["2"] * 17)], "at most 16 hidden layers, got 17"),
    (["--hidden", "1e3"], "widths are whole numbers"),
    (["--lr", ""], "'' is not a number"),
    (["--lr", "-1"], "argument --lr: must be a number above 0 and up to 10000, got -1"),
    (["--lr", "inf"], "argument --lr: must be a number above 0 and up to 10000, got inf"),
    (["--lr", "1e400"], "argument --lr: must be a number above 0 and up to 10000, got 1e400"),
    (["--lr", "1e5"], "argument --lr: must be a number above 0 and up to 10000, got 1e5"),
    (["--samples", "0"], "must be at least 4, got 0"),
    (["--samples", "1.5"], "'1.5' is not a whole number"),
    (["--samples", "99999999999999999999"], "sample count must be a whole number between 4 and 100000"),
    (["--seed", "-1"], "must be at least 0, got -1"),
    (["--seed", "4294967296"], "must be at most 2,147,483,647, got 4,294,967,296"),
    # The window's Seed field holds at most 2**31-1: a larger seed was taken here, then broke it.
    (["--seed", "3000000000"], "must be at most 2,147,483,647, got 3,000,000,000"),
    (["--noise", "nan"], "argument --noise: must be between 0 and 10, got nan"),
    (["--noise", "inf"], "argument --noise: must be between 0 and 10, got inf"),
    (["--noise", "11"], "argument --noise: must be between 0 and 10, got 11"),
    (["--test-fraction", "nan"], "argument --test-fraction: must be between 0 and 0.9, got nan"),
    (["--classes", "2", "--dataset", "multiclass"], "must be at least 3, got 2"),
    (["--epochs", "-5"], "must be at least 0, got -5"),
    (["--batch-size", "10000000"], "batch size must be 0 (full batch) or a whole number up to 1000000"),
    (["--l1", "-1"], "argument --l1: must be between 0 and 10, got -1"),
    (["--l2", "11"], "argument --l2: must be between 0 and 10, got 11"),
    (["--print-every", "0"], "must be at least 1, got 0"),
    (["--loss", ""], "unknown loss ''"),
    (["--dataset", ""], "unknown data set ''"),
    (["--epochs"], "expected one argument"),
    (["--init", "{p}"], "is a folder, not a file"),
    (["--init", "/dev/null"], "/dev/null is not a regular file"),
    (["--init", "{p}/a\x00b.npz"], "no such file"),
    (["--init", _sparse_gigabyte], "is not an .npz file of weights"),
    (["--init", _zip_without_weights], "no w0/b0; the network has 4 layers"),
    (["--init", _weights_of_strings], "strings.npz: w0 holds text; it must hold numbers"),
    (["--init", _weights_with_nan], "layer 2 holds NaN or infinite values"),
    (["--init", _weights_pickled], "pickle.npz: w0 holds object values; only plain numbers are read (nothing is unpickled)"),
    (["--history", "{p}"], "cannot write"),  # a folder
    (["--data", _broken_csv, "--loss", "bce", "--task", "regression"],
     "words.csv: line 2, column 3 (label): 'a' is not a number"),
    (["--session", _junk_session], "junk.nnviz: not an nnviz session"),
    (["--data", "{p}/a\x00b.csv"], "no such file"),
]


def _argv(case_argv, folder):
    out = []
    for a in case_argv:
        if callable(a):
            out.append(str(a(folder)))
        else:
            out.append(a.replace("{p}", str(folder)))
    return out


@pytest.mark.parametrize("argv, words", CLI_CASES,
                         ids=[" ".join(a if isinstance(a, str) else a.__name__ for a in c[0])
                              .replace("\x00", "NUL") for c in CLI_CASES])
def test_cli_rejects_bad_input_in_one_line(capsys, tmp_path, monkeypatch, argv, words):
    inputs = tmp_path / "in"
    inputs.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    argv = _argv(argv, inputs)
    before = _listing(inputs)
    monkeypatch.chdir(work)
    code = main(["train", "--epochs", "3", *argv])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("nnviz: error:") and err.count("\n") == 1, err
    assert words in err
    assert "Traceback" not in err and out == ""  # stopped before training printed anything
    assert os.listdir(work) == [] and _listing(inputs) == before  # nothing written or changed


def test_cli_a_file_name_with_a_newline_stays_one_line(capsys, tmp_path):
    code = main(["train", "--init", str(tmp_path / "a\nb.npz")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "no such file" in err and "a\\nb.npz" in err, err


def test_cli_history_on_a_full_disk_is_one_line(capsys):
    code = main(["train", "--epochs", "2", "--history", "/dev/full"])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write /dev/full" in err and err.count("\n") == 1, err


def test_cli_unknown_command(capsys):
    code = main(["trian"])
    err = capsys.readouterr().err
    assert code == 2 and "invalid choice: 'trian'" in err and err.count("\n") == 1


# --- the validating constructors (settings from a file, an editor, a script) ---------------------

SPEC_CASES = [
    (dict(hidden=(4.5,), activations=("relu",)), "hidden layer 1: width must be 1..512, got 4.5"),
    (dict(hidden=("abc",), activations=("relu",)), "hidden layer 1: width must be 1..512, got 'abc'"),
    (dict(hidden=(float("nan"),), activations=("relu",)), "width must be 1..512, got nan"),
    (dict(hidden=(float("inf"),), activations=("relu",)), "width must be 1..512, got inf"),
    (dict(hidden=(10**30,), activations=("relu",)), "width must be 1..512, got 1000000000000000000000000000000"),
    (dict(hidden=(True,), activations=("relu",)), "width must be 1..512, got True"),
    (dict(hidden=4, activations=("relu",)), "hidden widths must be a list of whole numbers, got 4"),
    (dict(hidden="4,4", activations=("relu", "relu")), "hidden widths must be a list of whole numbers"),
    (dict(hidden=(4,), activations="relu"), "activations must be a list of names"),
    (dict(hidden=(4,), activations=(["relu"],)), "unknown activation ['relu']"),
    (dict(hidden=(4,), activations=("",)), "unknown activation ''"),
    (dict(input_dim="2"), "input width must be 1..512, got '2'"),
    (dict(input_dim=0), "input width must be 1..512, got 0"),
    (dict(output_dim=513), "output width must be 1..512, got 513"),
    (dict(init_scheme=None), "unknown init scheme None"),
]


@pytest.mark.parametrize("kwargs, words", SPEC_CASES, ids=[repr(c[0]) for c in SPEC_CASES])
def test_network_spec_rejects(kwargs, words):
    with pytest.raises(SpecError) as e:
        NetworkSpec(**kwargs)
    assert words in str(e.value)


def test_network_spec_takes_whole_floats_as_ints():
    # 4.0 from a JSON file is 4; the spec stores ints, so shapes stay ints.
    spec = NetworkSpec(input_dim=2.0, hidden=(4.0, np.int64(3)), activations=("relu", "tanh"))
    assert spec.hidden == (4, 3) and all(type(h) is int for h in spec.layer_sizes)
    assert spec == NetworkSpec(hidden=(4, 3), activations=("relu", "tanh"))


CONFIG_CASES = [
    (dict(learning_rate="0.1"), "learning rate must be a positive number up to 10000, got '0.1'"),
    (dict(learning_rate=True), "learning rate must be a positive number up to 10000, got True"),
    (dict(learning_rate=10**400), "learning rate must be a positive number up to 10000"),
    (dict(learning_rate=float("inf")), "learning rate must be a positive number up to 10000, got inf"),
    (dict(learning_rate=-0.0), "learning rate must be a positive number"),
    (dict(batch_size=2.5), "batch size must be 0 (full batch) or a whole number up to 1000000, got 2.5"),
    (dict(batch_size="32"), "batch size must be 0 (full batch) or a whole number up to 1000000, got '32'"),
    (dict(batch_size=-1), "batch size must be 0 (full batch)"),
    (dict(l1="x"), "L1 rate must be between 0 and 10, got 'x'"),
    (dict(l2=10**400), "L2 rate must be between 0 and 10"),
    (dict(l2=float("nan")), "L2 rate must be between 0 and 10, got nan"),
    (dict(loss=None), "unknown loss None"),
    (dict(optimizer=["gd"]), "unknown optimizer ['gd']"),
    (dict(optimizer="GD "), "unknown optimizer 'GD '"),
]


@pytest.mark.parametrize("kwargs, words", CONFIG_CASES, ids=[repr(c[0])[:60] for c in CONFIG_CASES])
def test_train_config_rejects(kwargs, words):
    with pytest.raises(TrainingError) as e:
        TrainConfig(**kwargs)
    assert words in str(e.value)


def test_a_rejected_learning_rate_leaves_the_trainer_as_it_was():
    data = make_dataset(DataSpec("moons", samples=40))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"), TrainConfig("mse", "gd", 0.5),
                data)
    t.run(3)
    before = [np.array(w) for w, _ in t.params]
    for bad in (0, -1, float("nan"), "fast", 1e9):
        with pytest.raises(TrainingError, match="learning rate must be a positive number"):
            t.set_learning_rate(bad)
    assert t.learning_rate == 0.5 and t.config.learning_rate == 0.5 and t.epoch == 3
    assert all(np.array_equal(a, np.array(w)) for a, (w, _) in zip(before, t.params))


def test_a_whole_float_batch_size_is_an_int():
    assert TrainConfig(batch_size=32.0).batch_size == 32


DATA_CASES = [
    (dict(name=["moons"]), "unknown data set ['moons']"),
    (dict(name="Moons"), "unknown data set 'Moons'"),
    (dict(samples="200"), "sample count must be a whole number between 4 and 100000, got '200'"),
    (dict(samples=10.5), "sample count must be a whole number between 4 and 100000, got 10.5"),
    (dict(samples=True), "sample count must be a whole number"),
    (dict(noise="x"), "noise must be between 0 and 10, got 'x'"),
    (dict(noise=10**400), "noise must be between 0 and 10"),
    (dict(noise=-0.1), "noise must be between 0 and 10, got -0.1"),
    (dict(seed=1.5), "seed must be a whole number between 0 and 2,147,483,647, got 1.5"),
    (dict(seed=2**31), "seed must be a whole number between 0 and 2,147,483,647"),
    (dict(test_fraction="0.2"), "test fraction must be between 0 and 0.9, got '0.2'"),
    (dict(test_fraction=float("inf")), "test fraction must be between 0 and 0.9, got inf"),
    (dict(name="multiclass", classes=8.5), "class count must be a whole number between 3 and 8"),
]


@pytest.mark.parametrize("kwargs, words", DATA_CASES, ids=[repr(c[0])[:60] for c in DATA_CASES])
def test_data_spec_rejects(kwargs, words):
    with pytest.raises(DataError) as e:
        DataSpec(**kwargs)
    assert words in str(e.value)


# --- CSV import ----------------------------------------------------------------------------------

CSV_TEXT_CASES = [
    ("1e39,2,a\n3,4,b\n5,6,a\n7,8,b\n", "line 1, column 1 (x1): '1e39' is too large (at most 3.4e+38)"),
    ("x,y\n1,2\n2,-5e38\n3,4\n4,5\n", "line 3, column 2 (y): '-5e38' is too large"),
    ("1,2,0\n3,4,1\n5,6,nan\n7,8,1\n", "line 3, column 3 (label): 'nan' is not a"),
    ("1,2,a\n,,\n5,6,a\n7,8,b\n", "line 2, column 1 (x1) is empty"),
    ("x1,x2,label\n" + "".join(f"{i},{i},{i * 0.37}\n" for i in range(30)),
     "holds 30 different labels"),  # forced below to classification
    ("a;b;c\n1;2;x\n3;4;y\n5,5;x\n7;8;y\n", "line 4 has 2 columns, expected 3"),
    ("1,2,a\n3,4,b\n", "only 2 data rows; at least 4 are needed"),
]


@pytest.mark.parametrize("text, words", CSV_TEXT_CASES, ids=[w[:40] for _, w in CSV_TEXT_CASES])
def test_csv_text_rejects(text, words):
    task = "classification" if "different labels" in words else None
    with pytest.raises(DataError) as e:
        parse_csv_text(text, task)
    assert words in str(e.value)


def test_csv_too_few_training_points_after_the_split():
    with pytest.raises(DataError, match="a test fraction of 0.9 leaves fewer than 2 training points"):
        parse_csv_text("1,2,a\n3,4,b\n5,6,a\n7,8,b\n", test_fraction=0.9)


def _fifo(p):
    os.mkfifo(p / "pipe.csv")
    return p / "pipe.csv"


def _symlink_loop(p):
    os.symlink(p / "b.csv", p / "a.csv")
    os.symlink(p / "a.csv", p / "b.csv")
    return p / "a.csv"


def _sparse_csv(p):
    with open(p / "huge.csv", "wb") as f:
        f.truncate(1 << 30)
    return p / "huge.csv"


def _utf16(p):
    (p / "excel.csv").write_bytes("x1,x2,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n".encode("utf-16"))
    return p / "excel.csv"


def _zip_as_csv(p):
    with zipfile.ZipFile(p / "data.csv", "w") as z:
        z.writestr("data.csv", "1,2,a\n")
    return p / "data.csv"


CSV_FILE_CASES = [
    (lambda p: "/dev/null", "/dev/null is not a regular file"),
    (_fifo, "pipe.csv is not a regular file"),
    (_symlink_loop, "cannot read"),
    (lambda p: p / "a\x00b.csv", "no such file"),
    (lambda p: p / "line\nbreak.csv", "no such file"),
    (_sparse_csv, "huge.csv is too large (1024 MB); the limit is 50 MB"),
    (_utf16, "not a text file"),
    (_zip_as_csv, "not a text file"),
]


@pytest.mark.parametrize("make, words", CSV_FILE_CASES,
                         ids=["dev-null", "fifo", "symlink-loop", "nul-in-name", "newline-in-name",
                              "sparse-1GB", "utf16", "zip"])
def test_csv_file_rejects_without_hanging(tmp_path, make, words):
    path = make(tmp_path)
    before = _listing(tmp_path)
    finished, result = _in_thread(lambda: read_csv(path))
    assert finished, "read_csv hung"
    assert isinstance(result, DataError), repr(result)
    assert words in str(result)
    assert _listing(tmp_path) == before


# --- session files -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good():
    """A small valid session: its manifest (a dict), arrays, and file bytes."""
    data = make_dataset(DataSpec("moons", samples=40))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"),
                TrainConfig("mse", "adam", 0.05, 8), data, seed=1)
    h = LossHistory(16)
    h.extend(1, t.run(5).losses)
    s = Session.from_trainer(t, h)
    return json.loads(json.dumps(s.manifest())), dict(s.arrays()), s.to_bytes()


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


def _session(manifest, arrays) -> bytes:
    m = manifest if isinstance(manifest, (str, bytes)) else json.dumps(manifest)
    return _zip({"manifest.json": m, "arrays.npz": arrays if isinstance(arrays, bytes)
                 else _npz_bytes(arrays)})


def _set(manifest, path, value):
    m = json.loads(json.dumps(manifest))
    d = m
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value
    return m


def _declare_size(raw: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size in the central directory set to ``size``."""
    b = bytearray(raw)
    end = b.rindex(b"PK\x05\x06")  # the end record says where the central directory starts
    i = struct.unpack_from("<I", b, end + 16)[0]
    while True:
        name_len = struct.unpack_from("<H", b, i + 28)[0]
        if b[i + 46:i + 46 + name_len] == member.encode():
            struct.pack_into("<I", b, i + 24, size)
            return bytes(b)
        extra, comment = struct.unpack_from("<HH", b, i + 30)
        i += 46 + name_len + extra + comment


def _huge_array_header() -> bytes:
    """An npz whose data_X declares 2**40 floats (4 TiB) and holds 100 bytes."""
    hdr = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        hdr, {"descr": "<f4", "fortran_order": False, "shape": (2**40,)})
    return _zip({"data_X.npy": b"\x93NUMPY" + hdr.getvalue()[6:] + bytes(100)})


def _inflating_npz() -> bytes:
    """An npz member of 2 MB that declares 2 GB unpacked (a zip bomb, cut short)."""
    raw = _zip({"data_X.npy": bytes(2 << 20)}, zipfile.ZIP_DEFLATED)
    return _declare_size(raw, "data_X.npy", 2 << 30)


# Each: a function of (manifest, arrays) -> file bytes, and the words of the message.
SESSION_CASES = {
    "binary junk": (lambda m, a: bytes(range(256)) * 8, "not an nnviz session (not a zip file)"),
    "a PNG": (lambda m, a: b"\x89PNG\r\n\x1a\n" + bytes(64), "not an nnviz session (not a zip file)"),
    "manifest is a list": (lambda m, a: _session("[]", a), "does not say format 'nnviz-session'"),
    "manifest not utf-8": (lambda m, a: _session(b"\xff\xfe{}", a), "manifest.json is not valid JSON"),
    "manifest nested 200000 deep": (lambda m, a: _session("[" * 200_000, a), "the file is damaged"),
    "version 1.5": (lambda m, a: _session({**m, "version": 1.5}, a), "no valid format version (got 1.5)"),
    "version true": (lambda m, a: _session({**m, "version": True}, a), "no valid format version (got True)"),
    "version 10**30": (lambda m, a: _session({**m, "version": 10**30}, a), "written by a newer nnviz"),
    "manifest too large": (lambda m, a: _session({**m, "extras": {"x": "y" * (1 << 20)}}, a),
                           "manifest.json is too large"),
    "arrays.npz declares 2 GB": (lambda m, a: _declare_size(_session(m, a), "arrays.npz", 2 << 30),
                                 "arrays.npz is too large (2147483648 bytes)"),
    "inner member declares 2 GB": (lambda m, a: _session(m, _inflating_npz()),
                                   "arrays.npz is too large (2147483648 bytes unpacked)"),
    "inner array declares 4 TiB": (lambda m, a: _session(m, _huge_array_header()),
                                   "data_X declares float32 (1099511627776,) (4,398,046,511,104 bytes) but holds 228: the file is damaged"),
    "arrays.npz is a bare .npy": (lambda m, a: _session(m, (lambda b: (np.save(b, np.zeros(3)), b.getvalue())[1])(io.BytesIO())),
                                  "arrays.npz is damaged or holds unsupported data (not an npz archive)"),
    "arrays.npz is text": (lambda m, a: _session(m, b"hello"), "arrays.npz is damaged"),
    "hidden [1e400]": (lambda m, a: _session(_set(m, ("network", "hidden"), [1e400]), a),
                       "network settings: hidden layer 1: width must be 1..512, got inf"),
    "hidden as text": (lambda m, a: _session(_set(m, ("network", "hidden"), "3"), a),
                       "network settings: hidden widths must be a list of whole numbers"),
    "l2 10**400": (lambda m, a: _session(_set(m, ("training", "l2"), 10**400), a),
                   "training settings: L2 rate must be between 0 and 10"),
    "learning rate 10**400": (lambda m, a: _session(_set(m, ("training", "learning_rate"), 10**400), a),
                              "training settings: learning rate must be a positive number"),
    "batch size 2.5": (lambda m, a: _session(_set(m, ("training", "batch_size"), 2.5), a),
                       "training settings: batch size must be 0 (full batch) or a whole number"),
    "generator noise 10**400": (lambda m, a: _session(_set(m, ("data", "generator", "noise"), 10**400), a),
                                "data generator settings: noise must be between 0 and 10"),
    "generator is a list": (lambda m, a: _session(_set(m, ("data", "generator"), ["moons"]), a),
                            "data generator settings"),
    "history last 'abc'": (lambda m, a: _session(_set(m, ("history", "last"), "abc"), a),
                           "history last must be a number or null, got 'abc'"),
    "history stride 3": (lambda m, a: _session(_set(m, ("history", "stride"), 3), a),
                         "history stride must be a power of two, got 3"),
    "history capacity odd": (lambda m, a: _session(_set(m, ("history", "capacity"), 17), a),
                             "history capacity must be an even number"),
    "epoch 10**30": (lambda m, a: _session({**m, "epoch": 10**30}, a),
                     "epoch must be a whole number in 0..9007199254740992"),
    "epoch -1": (lambda m, a: _session({**m, "epoch": -1}, a), "epoch must be a whole number"),
    "seed 'x'": (lambda m, a: _session({**m, "seed": "x"}, a), "seed must be a whole number, got 'x'"),
    "extras a list": (lambda m, a: _session({**m, "extras": [1]}, a), "extras must be an object"),
    "optimizer arrays -1": (lambda m, a: _session({**m, "version": 1,
                                                   "optimizer_state": {"arrays": -1}}, a),
                            "optimizer_state.arrays must be a whole number"),
    "optimizer paths -1": (lambda m, a: _session({**m, "optimizer_state": {"paths": -1}}, a),
                           "optimizer_state.paths must be a list of names"),
    "task unknown": (lambda m, a: _session(_set(m, ("data", "task"), "clustering"), a),
                     "data: unknown task 'clustering'"),
    "X float64": (lambda m, a: _session(m, {**a, "data_X": a["data_X"].astype(np.float64)}),
                  "data: points must be float32 (N, d), got float64"),
    "no points": (lambda m, a: _session(m, {**a, "data_X": np.zeros((0, 2), np.float32)}),
                  "data_X is float32 (0, 2); the manifest declares (40, 2)"),
    "y shorter than X": (lambda m, a: _session(m, {**a, "data_y": a["data_y"][:5]}),
                         "data_y is int32 (5,); the manifest declares (40,)"),
    "test index overlaps": (lambda m, a: _session(m, {**a, "data_test_index": a["data_train_index"][:3]}),
                            "a point is both a training and a test point"),
    "float indices": (lambda m, a: _session(m, {**a, "data_train_index": a["data_train_index"] * 1.0}),
                      "training indices must be a 1-D integer array"),
    "repeated index": (lambda m, a: _session(m, {**a, "data_test_index": np.array([0, 0])}),
                       "test indices repeat a point"),
    "no training points": (lambda m, a: _session(m, {**a, "data_train_index": np.zeros(0, np.int64)}),
                           "there are no training points"),
    "weights float64": (lambda m, a: _session(m, {**a, "w0": a["w0"].astype(np.float64)}),
                        "w0/b0 must be float32"),
    "history values float64": (lambda m, a: _session(m, {**a, "loss_values": a["loss_values"].astype(np.float64)}),
                               "epochs must be integers and values float32"),
}


@pytest.mark.parametrize("case", list(SESSION_CASES))
def test_session_file_rejects(good, tmp_path, case):
    make, words = SESSION_CASES[case]
    manifest, arrays, _ = good
    path = tmp_path / "broken.nnviz"
    path.write_bytes(make(manifest, arrays))
    before = _listing(tmp_path)
    finished, result = _in_thread(lambda: S.load(path), timeout=60)
    assert finished, "opening hung"
    assert isinstance(result, SessionError), repr(result)
    assert words in str(result)
    assert str(result).startswith(f"{path}: ")  # names the file
    assert _listing(tmp_path) == before


def _session_fifo(p):
    os.mkfifo(p / "pipe.nnviz")
    return p / "pipe.nnviz"


def _session_to_dev_zero(p):
    os.symlink("/dev/zero", p / "zero.nnviz")
    return p / "zero.nnviz"


def _session_symlink_loop(p):
    os.symlink(p / "b.nnviz", p / "a.nnviz")
    os.symlink(p / "a.nnviz", p / "b.nnviz")
    return p / "a.nnviz"


def _session_sparse(p):
    with open(p / "huge.nnviz", "wb") as f:
        f.truncate(4 << 30)
    return p / "huge.nnviz"


SESSION_PATH_CASES = [
    (lambda p: "/dev/null", "/dev/null is not a regular file"),
    (_session_fifo, "pipe.nnviz is not a regular file"),
    (_session_to_dev_zero, "zero.nnviz is not a regular file"),
    (_session_symlink_loop, "cannot read"),
    (lambda p: p / "a\x00b.nnviz", "no such file"),
    (_session_sparse, "huge.nnviz is too large to be a session (4294967296 bytes)"),
]


@pytest.mark.parametrize("make, words", SESSION_PATH_CASES,
                         ids=["dev-null", "fifo", "symlink-to-dev-zero", "symlink-loop",
                              "nul-in-name", "sparse-4GB"])
def test_session_path_rejects_without_hanging(tmp_path, make, words):
    path = make(tmp_path)
    before = _listing(tmp_path)
    finished, result = _in_thread(lambda: S.load(path))
    assert finished, "opening hung"
    assert isinstance(result, SessionError), repr(result)
    assert words in str(result)
    assert _listing(tmp_path) == before


def test_the_good_session_opens(good, tmp_path):
    """The cases above break a session that is otherwise valid."""
    manifest, arrays, raw = good
    assert S.from_bytes(raw).epoch == 5
    assert S.from_bytes(_session(manifest, arrays)).epoch == 5


@pytest.mark.parametrize("make, words", [
    (_session_fifo, "pipe.nnviz is not a regular file"),
    (_session_to_dev_zero, "zero.nnviz is not a regular file"),
    (_session_sparse, "too large to be a session"),
    (lambda p: p, "is a folder, not a session file"),
], ids=["fifo", "symlink-to-dev-zero", "sparse-4GB", "folder"])
def test_cli_open_refuses_a_hostile_file_before_any_window(capsys, tmp_path, make, words):
    path = make(tmp_path)
    finished, code = _in_thread(lambda: main(["--open", str(path)]))
    assert finished, "nnviz --open hung"
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("nnviz: error:") and err.count("\n") == 1, err
    assert words in err
