"""One bounded reader for every ``.npz`` nnviz opens: ``--init`` weights, sessions, imports.

numpy's ``np.load`` trusts each member's header: a 4 MB file whose ``w0`` declares 4 GiB makes it
allocate 4 GiB before anyone can look at the shape, and a deflated member inflates in full. Here
the zip's declared sizes and compression ratios are checked first, then every member's npy header
(dtype and shape) is read and handed to the caller's check, and only then is any array's data
read. Nothing is unpickled; big-endian arrays come back in the machine's byte order.
"""
from __future__ import annotations

import io
import os
import stat
import tokenize
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Callable, Mapping

import numpy as np
from numpy.lib import format as npy

from . import limits
from .errors import NnvizError


class NpzError(NnvizError):
    """An .npz nnviz will not read; the message says why (the caller adds the file's name)."""


@dataclass(frozen=True)
class ArrayHeader:
    """What an npy member declares, before its data is read."""

    name: str
    shape: tuple[int, ...]
    dtype: np.dtype

    @property
    def nbytes(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n * self.dtype.itemsize

    def describe(self) -> str:
        return f"{self.name} {self.dtype.name} {self.shape}"


Check = Callable[[Mapping[str, ArrayHeader]], None]

_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                RuntimeError, NotImplementedError, ValueError, KeyError)


def check_members(z: zipfile.ZipFile, max_bytes: int, what: str, within: str = "") -> None:
    """NpzError if the zip's members declare more than ``max_bytes`` unpacked in all, or one
    inflates suspiciously far (a zip bomb), before anything is inflated. ``within`` says what
    sets the bound, for the message."""
    total = sum(info.file_size for info in z.infolist())
    if total > max_bytes:
        within = within or f"nnviz's limits ({limits.describe()})"
        raise NpzError(f"{what} is too large ({total} bytes unpacked); {within} allow at most "
                       f"{max_bytes:,} bytes")
    for info in z.infolist():
        if (info.compress_type != zipfile.ZIP_STORED
                and info.file_size > limits.COMPRESSION_CHECK_BYTES
                and info.file_size > limits.MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            raise NpzError(f"{what}: {info.filename} would inflate from "
                           f"{info.compress_size:,} to {info.file_size:,} bytes, more than "
                           f"{limits.MAX_COMPRESSION_RATIO} times; nnviz does not unpack it")


def _header(f: BinaryIO, name: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    try:
        version = npy.read_magic(f)
    except ValueError:
        raise NpzError(f"{name} is not a numpy array (an .npz holds .npy members only)") from None
    if version not in ((1, 0), (2, 0)):
        raise NpzError(f"{name}: npy format version {version} is not supported")
    read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
    try:
        return read(f)
    except (ValueError, SyntaxError, TypeError, EOFError, tokenize.TokenError) as e:
        # numpy parses the header's text with tokenize and ast: a damaged one raises any of these
        raise NpzError(f"{name}: the array's header is damaged ({e})") from None


def _array_name(member: str) -> str:
    return member[:-4] if member.endswith(".npy") else member


def read_headers(z: zipfile.ZipFile, names: set[str] | None = None) -> dict[str, ArrayHeader]:
    """Each member's declared name, shape and dtype (only ``names``, if given); NpzError for
    anything but plain numbers."""
    out: dict[str, ArrayHeader] = {}
    for info in z.infolist():
        name = _array_name(info.filename)
        if names is not None and name not in names:
            continue
        with z.open(info) as f:
            shape, _, dtype = _header(f, name)
        if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
            raise NpzError(f"{name} holds {dtype} values; only plain numbers are read (nothing "
                           "is unpickled)")
        if dtype.kind not in "biuf":
            raise NpzError(f"{name} holds {_kind_name(dtype)}; it must hold numbers")
        out[name] = ArrayHeader(name, tuple(int(d) for d in shape), dtype)
        if out[name].nbytes > info.file_size:
            raise NpzError(f"{name} declares {dtype.name} {out[name].shape} "
                           f"({out[name].nbytes:,} bytes) but holds {info.file_size:,}: the file "
                           "is damaged")
    return out


def _kind_name(dtype: np.dtype) -> str:
    if dtype.kind in "US":
        return "text"
    if dtype.kind == "c":
        return "complex numbers"
    if dtype.kind in "mM":
        return "dates or times"
    return f"{dtype} values"


def _read_data(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    with z.open(info) as f:
        a = npy.read_array(f, allow_pickle=False)
    if a.dtype.byteorder not in "=|":  # big-endian on a little-endian machine, or the reverse
        a = a.astype(a.dtype.newbyteorder("="))
    return a


def read_zip(z: zipfile.ZipFile, *, max_bytes: int, what: str, check: Check | None = None,
             names: set[str] | None = None, within: str = "") -> dict[str, np.ndarray]:
    """The arrays of an open npz zip, checked as the module says; ``names``: only these."""
    try:
        check_members(z, max_bytes, what, within)
        headers = read_headers(z, names)
    except NpzError:
        raise
    except _READ_ERRORS as e:
        raise NpzError(f"{what} is damaged ({e})") from None
    if check is not None:
        check(headers)  # the caller's refusal goes out as the caller raised it
    try:
        return {_array_name(i.filename): _read_data(z, i) for i in z.infolist()
                if names is None or _array_name(i.filename) in names}
    except MemoryError:
        raise NpzError(f"{what}: an array larger than memory") from None
    except _READ_ERRORS as e:
        raise NpzError(f"{what} is damaged ({e})") from None


def read_npz(source: str | os.PathLike | bytes | BinaryIO, *, max_bytes: int, what: str = "",
             check: Check | None = None, names: set[str] | None = None,
             within: str = "") -> dict[str, np.ndarray]:
    """The arrays of an ``.npz`` (a path, its bytes or a seekable file), read within bounds.

    ``max_bytes`` bounds what the members may unpack to in all; ``check`` sees every declared
    header before any data is read and raises (any exception) to refuse. NpzError otherwise.
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        what = what or name
        try:
            mode = os.stat(name).st_mode
        except FileNotFoundError:
            raise NpzError(f"no such file: {name}") from None
        except (OSError, ValueError) as e:
            raise NpzError(f"cannot read {name}: {getattr(e, 'strerror', None) or e}") from None
        if stat.S_ISDIR(mode):
            raise NpzError(f"{name} is a folder, not an .npz file")
        if not stat.S_ISREG(mode):  # a FIFO would block, a device never end
            raise NpzError(f"{name} is not a regular file")
    elif isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(source)
    what = what or "the .npz file"
    try:
        z = zipfile.ZipFile(source)
    except _READ_ERRORS as e:  # NotImplementedError: a member of a newer zip version
        raise NpzError(f"{what} is not an .npz file ({e})") from None
    with z:
        return read_zip(z, max_bytes=max_bytes, what=what, check=check, names=names,
                        within=within)
