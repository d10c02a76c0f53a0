"""Hostile CSV files (issues 17 and 18): a 200 kB field, binary files, line separators inside a
label, and the memory a 100,000-row import takes."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from nnviz.core import csvdata
from nnviz.core.csvdata import parse_csv_text, preview_csv, read_csv
from nnviz.core.data import DataError


def _file(tmp_path, content, name="data.csv"):
    p = tmp_path / name
    p.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return p


def test_a_200_kB_field_is_cut_in_the_preview_and_refused_with_a_reason(tmp_path):
    long = "w" * 200_000
    p = _file(tmp_path, f"x1,x2,label\n1,2,a\n3,4,{long}\n5,6,a\n7,8,b\n", "long.csv")
    pv = preview_csv(p)  # raised csv.Error ("field larger than field limit") before
    assert pv.data is None
    assert "long.csv: line 3, column 3 (label)" in pv.error and "200,000 characters" in pv.error
    cell = pv.rows[1][2]
    assert cell.startswith("wwww") and len(cell) < 100 and "200,000 characters" in cell
    assert pv.rows[0] == ("1", "2", "a") and pv.header == ("x1", "x2", "label")
    with pytest.raises(DataError, match="line 3, column 3"):
        read_csv(p)


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"1,2,a\n\x01\x02\x03\x1b,4,b\n",
])
def test_a_binary_file_is_named_in_the_message(tmp_path, content):
    p = _file(tmp_path, content, "holiday.csv")
    with pytest.raises(DataError, match="^holiday.csv: this is not a text file"):
        read_csv(p)
    assert preview_csv(p).error.startswith("holiday.csv: this is not a text file")


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0c"])
def test_a_line_separator_inside_a_label_does_not_split_the_line(sep):
    text = (f"x1,x2,label\n1,2,a{sep}b\n3,4,c\n5,6,a{sep}b\n7,8,c\n")
    imp = parse_csv_text(text, test_fraction=0)
    assert imp.class_names == (f"a{sep}b", "c") and imp.dataset.y.tolist() == [0, 1, 0, 1]
    with pytest.raises(DataError, match=r"^line 6, column 2 \(x2\): 'x' is not a number"):
        parse_csv_text(text + "9,x,c\n")
    spaced = f"1 2 a{sep}b\n3 4 c\n5 6 a{sep}b\n7 8 c\n"  # whitespace-separated: the same
    assert parse_csv_text(spaced).class_names == (f"a{sep}b", "c")


def test_windows_and_old_mac_line_ends_still_count_as_lines():
    for end in ("\r\n", "\r"):
        text = end.join(["x1,x2,label", "1,2,a", "3,4,b", "5,6,a", "7,oops,b", ""])
        with pytest.raises(DataError, match=r"^line 5, column 2"):
            parse_csv_text(text)


def test_reading_100k_rows_takes_memory_in_proportion_to_the_data(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100_000, 2))
    lines = [f"{a:.6f},{b:.6f},{'red' if a * b > 0 else 'blue'}" for a, b in X]
    p = _file(tmp_path, "x1,x2,label\n" + "\n".join(lines) + "\n", "big.csv")
    size = p.stat().st_size
    del lines
    tracemalloc.start()
    try:
        imp = read_csv(p)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    d = imp.dataset
    assert d.X.shape == (100_000, 2) and d.X.dtype == np.float32 and d.n_classes == 2
    assert np.allclose(d.X, X, atol=1e-6)
    # The file's bytes and its text, plus a few copies of the 2.4 MB of numbers: not the
    # ~90 MB of Python lists and strings a line-by-line list of records took.
    assert peak < 4 * size, f"peak {peak / 2**20:.1f} MB for a {size / 2**20:.1f} MB file"


def test_progress_is_reported_and_may_stop_the_reading(tmp_path):
    p = _file(tmp_path, "x1,x2,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(20_000)))
    seen: list[float] = []
    imp = csvdata.read_csv(p, progress=seen.append)
    assert len(imp.dataset.X) == 20_000
    assert seen and seen == sorted(seen) and 0 <= seen[0] and seen[-1] == 1.0

    class Stop(Exception):
        pass

    def stop(fraction: float) -> None:
        raise Stop

    with pytest.raises(Stop):
        csvdata.read_csv(p, progress=stop)
