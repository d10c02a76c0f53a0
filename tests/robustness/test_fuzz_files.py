"""Fuzzing the two file readers a user points at anything: the session loader and the CSV importer.

Random bytes and mutated valid files (bytes flipped, cut, inserted; the manifest's JSON and the
arrays re-packed after mutation so the zip's checksums do not stop them early) must end in the
documented error -- SessionError or DataError -- or in a valid result, never in another
exception or a hang. Sizes are bounded so the whole file runs in well under 30 s.
"""
from __future__ import annotations

import functools
import io
import json
import os
import zipfile
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.core import session as S
from nnviz.core.csvdata import preview_csv, read_csv
from nnviz.core.data import CLASSIFICATION, DataError, DataSpec, make_dataset
from nnviz.core.history import LossHistory
from nnviz.core.session import Session, SessionError
from nnviz.core.training import TrainConfig, Trainer, network_for

# NNVIZ_FUZZ_EXAMPLES=5000 for a long hunt; CI keeps the default short.
FUZZ = settings(max_examples=int(os.environ.get("NNVIZ_FUZZ_EXAMPLES", "150")), deadline=timedelta(seconds=3), derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@functools.cache
def _valid_session() -> tuple[bytes, dict, dict[str, np.ndarray]]:
    """A valid session file, its manifest and its arrays: trained once, when a test of the
    session loader first draws (not at import, which every xdist worker pays)."""
    data = make_dataset(DataSpec("moons", samples=24))
    t = Trainer(network_for(data, "mse", (3,), ("tanh",), "sigmoid"),
                TrainConfig("mse", "momentum", 0.1, 8), data, seed=2)
    h = LossHistory(8)
    h.extend(1, t.run(3).losses)
    s = Session.from_trainer(t, h, test_epochs=[2], test_values=[0.3], extras={"view": "main"})
    return s.to_bytes(), json.loads(json.dumps(s.manifest())), dict(s.arrays())


CSV_BYTES = ("x1,x2,label\n" + "".join(f"{i * 0.5},{(i * 7) % 5 - 2.25},{'ab'[i % 2]}\n"
                                         for i in range(12))).encode()


# --- mutations ----------------------------------------------------------------------------------

@st.composite
def mutated(draw, original: bytes, max_ops: int = 6) -> bytes:
    """``original`` with a few bytes flipped, replaced, inserted or cut away."""
    b = bytearray(original)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate"]))
        pos = draw(st.integers(0, max(len(b) - 1, 0)))
        if op == "flip" and b:
            b[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and b:
            b[pos] = draw(st.sampled_from([0, 0xFF, 0x7F, 0x80, ord(","), ord("\n"), ord('"')]))
        elif op == "insert":
            b[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete" and b:
            del b[pos:pos + draw(st.integers(1, 16))]
        elif op == "truncate":
            del b[pos:]
    return bytes(b)


def _zip(manifest: bytes, npz: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("manifest.json", manifest)
        z.writestr("arrays.npz", npz)
    return buf.getvalue()


def _npz(arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _manifest() -> dict:
    return _valid_session()[1]


def _arrays() -> dict[str, np.ndarray]:
    return _valid_session()[2]


@functools.cache
def _manifest_text() -> bytes:
    return json.dumps(_manifest(), indent=1).encode()


@functools.cache
def _npz_bytes() -> bytes:
    return _npz(_arrays())


def _lazy(strategy):
    """``strategy()`` built when first drawn from: the valid session is trained then."""
    return st.deferred(strategy)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


def _paths(obj, prefix=()):
    """Every key path into the manifest's nested dicts."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))




def _opens_cleanly_or_says_why(raw: bytes) -> None:
    try:
        s = S.from_bytes(raw)
    except SessionError as e:
        assert str(e)  # a message, never an empty one
        return
    # A file that opens is a session that can train.
    s.make_trainer()


# --- the session loader -------------------------------------------------------------------------

@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_not_a_session(raw):
    _opens_cleanly_or_says_why(raw)


@FUZZ
@given(_lazy(lambda: mutated(_valid_session()[0])))
def test_mutated_session_file(raw):
    _opens_cleanly_or_says_why(raw)


@FUZZ
@given(_lazy(lambda: mutated(_manifest_text(), max_ops=3)))
def test_mutated_manifest_text_repacked(manifest):
    _opens_cleanly_or_says_why(_zip(manifest, _npz_bytes()))


@FUZZ
@given(_lazy(lambda: st.sampled_from(list(_paths(_manifest())))), json_values)
def test_manifest_field_replaced_by_any_json(path, value):
    m = json.loads(json.dumps(_manifest()))
    d = m
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value
    _opens_cleanly_or_says_why(_zip(json.dumps(m).encode(), _npz_bytes()))


@FUZZ
@given(_lazy(lambda: mutated(_npz_bytes(), max_ops=4)))
def test_mutated_arrays_repacked(npz):
    _opens_cleanly_or_says_why(_zip(_manifest_text(), npz))


array_names = _lazy(lambda: st.sampled_from(sorted(_arrays())))
odd_arrays = st.one_of(
    st.just(np.zeros(0, np.float32)),
    st.integers(0, 3).flatmap(lambda nd: st.tuples(*[st.integers(0, 5)] * nd)).flatmap(
        lambda shape: st.sampled_from([np.float32, np.float64, np.int32, np.int64, np.uint32,
                                       np.bool_, np.complex64, "U2"]).map(
            lambda dt: np.ones(shape, dt))),
    st.just(np.full(3, np.nan, np.float32)),
    st.just(np.array([2**40, -1], np.int64)),
)


@FUZZ
@given(st.dictionaries(array_names, odd_arrays, min_size=1, max_size=3))
def test_arrays_replaced_by_odd_shapes_and_types(changes):
    _opens_cleanly_or_says_why(_zip(_manifest_text(), _npz({**_arrays(), **changes})))


# --- the CSV importer ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("csv")


def _imports_cleanly_or_says_why(path) -> None:
    try:
        imp = read_csv(path)
    except DataError as e:
        assert str(e)
    else:
        d = imp.dataset
        # What imports is data the trainer can take: finite float32 points, labels 0..K-1.
        assert d.X.dtype == np.float32 and np.all(np.isfinite(d.X)) and d.X.ndim == 2
        assert len(d.y) == len(d.X) >= 4 and len(d.train_index) >= 2
        if d.task == CLASSIFICATION:
            assert 2 <= d.n_classes <= 10 and d.y.min() >= 0 and d.y.max() < d.n_classes
            assert len(imp.class_names) == d.n_classes
        else:
            assert np.all(np.isfinite(d.y))
    preview = preview_csv(path)  # the dialog's view of the same file: never raises
    assert (preview.error is None) == (preview.data is not None)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_as_csv(csv_dir, raw):
    path = csv_dir / "random.csv"
    path.write_bytes(raw)
    _imports_cleanly_or_says_why(path)


@FUZZ
@given(mutated(CSV_BYTES, max_ops=8))
def test_mutated_csv(csv_dir, raw):
    path = csv_dir / "mutated.csv"
    path.write_bytes(raw)
    _imports_cleanly_or_says_why(path)


csv_cell = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**40, 10**40).map(str),
    st.sampled_from(["", " ", "a", "nan", "inf", "-inf", "1e39", "1,5", '"', '"1,2"', "#", "0x10",
                     "１２", "1_000", "\t", "NaN", "∞"]),
    st.text(max_size=5),
)


@FUZZ
@given(st.lists(st.lists(csv_cell, min_size=0, max_size=4), max_size=30),
       st.sampled_from([",", ";", "\t", " "]))
def test_generated_tables(csv_dir, rows, sep):
    text = "\n".join(sep.join(r) for r in rows)
    path = csv_dir / "table.csv"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _imports_cleanly_or_says_why(path)
