"""Every file nnviz writes goes through here: outputs that never destroy what the user has.

:func:`atomic_write` writes a temporary file in the target's own folder, flushes and syncs it,
then renames it over the target: an interrupted or failed write (a full disk, a kill) leaves the
old file as it was. A symlink is written through (the file it points to is replaced, in that
file's folder); a FIFO, a device or a socket is refused, never opened (opening a FIFO blocks, and
as root replacing /dev/null would destroy it). Temporary names are short (``.nnviz-XXXXXXXX.tmp``)
so any legal target name works, and temporaries that an earlier nnviz left behind (a kill during a
save) are removed on the next write to that folder.

:func:`check_output` runs the same checks up front, so a long run does not end in a file that
cannot be written; :func:`check_distinct` refuses an output that is an input or another output.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from contextlib import contextmanager, suppress
from typing import BinaryIO, Iterator, Mapping

TEMP_PREFIX = ".nnviz-"
TEMP_SUFFIX = ".tmp"
# mkstemp's random part: 8 characters of [a-z0-9_]. Only these names are ever removed.
_TEMP_NAME = re.compile(r"\A\.nnviz-[a-z0-9_]{8}\.tmp\Z")
# Temporaries older than this process cannot belong to a save it is doing.
_PROCESS_START = time.time()


class OutputError(OSError):
    """An output nnviz will not write; the message names the file and says why (``reason``:
    the why alone, for callers that name the file their own way)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


def _refuse(name: str, reason: str) -> OutputError:
    return OutputError(f"cannot write {name}: {reason}", reason)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def resolve_output(path: str | os.PathLike) -> str:
    """The real file ``path`` writes to (symlinks followed), checked without opening it.

    OutputError if it is a folder or a special file, if its folder is missing or not writable,
    or if the name is longer than the file system allows.
    """
    name = os.fspath(path)
    if not name or "\0" in name:
        raise OutputError(f"cannot write {name!r}: not a valid file name")
    real = os.path.realpath(name)  # through every symlink, even one that points nowhere yet
    folder, base = os.path.split(real)
    try:
        name_max = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        name_max = 255
    if len(os.fsencode(base)) > name_max:
        raise _refuse(name, f"the file name is longer than the {name_max} bytes this file "
                            "system allows")
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise _refuse(name, str(e.strerror or e)) from None
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise _refuse(name, "it is a folder")
        if not stat.S_ISREG(mode):
            raise _refuse(name, f"it is {_kind(mode)}; nnviz writes only regular files")
    if not os.path.isdir(folder):
        raise _refuse(name, f"no such folder {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _refuse(name, f"the folder {folder} is not writable")
    return real


def check_output(path: str | os.PathLike) -> None:
    """Raise OutputError now if ``path`` could not be written later (see resolve_output)."""
    resolve_output(path)


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name one file: the same resolved path, or the same device and inode."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def check_distinct(outputs: Mapping[str, str | None],
                   inputs: Mapping[str, str | None] = {}) -> None:
    """OutputError if an output is the same file as an input or as another output.

    Keys are what the user typed (``"--history"``), values the paths (None: not given).
    """
    outs = [(k, v) for k, v in outputs.items() if v]
    ins = [(k, v) for k, v in inputs.items() if v]
    for i, (k, p) in enumerate(outs):
        for k2, p2 in ins:
            if same_file(p, p2):
                raise OutputError(f"{k} {p} is the same file as {k2} {p2}: writing it would "
                                  f"destroy the input; choose another file for {k}")
        for k2, p2 in outs[:i]:
            if same_file(p, p2):
                raise OutputError(f"{k2} and {k} both name {p}: one would overwrite the other; "
                                  "give them different files")


def remove_stale_temporaries(folder: str) -> int:
    """Remove nnviz's own temporary files in ``folder`` older than this process; the count."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        with suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_mtime < _PROCESS_START:
                os.unlink(entry.path)
                removed += 1
    return removed


def _new_file_mode() -> int:
    # What open() would have given a new file: 0o666 less the umask (read without changing it).
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o644


def output_mode(target: str) -> int:
    """The permissions a file written in ``target``'s place should get: the old file's when
    it is replaced, else what a plain open() would give (0o666 less the umask). A temporary
    file from mkstemp is 0o600; chmod it to this before it takes the target's place."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return _new_file_mode()


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` only once everything was written and flushed.

    On any error the temporary file is removed and ``path`` is left as it was; the error is an
    OSError (OutputError when the target is refused before anything is written).
    """
    target = resolve_output(path)
    folder = os.path.dirname(target)
    remove_stale_temporaries(folder)
    mode = output_mode(target)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    # Make the rename itself durable (POSIX); not possible on every platform.
    with suppress(OSError, AttributeError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


_PICTURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"GIF87a", b"GIF89a",
                  b"II*\x00", b"MM\x00*")


def existing_kind(path: str | os.PathLike) -> str | None:
    """What is at ``path`` now: None (nothing, or an empty file), "picture", "session" (an
    nnviz session or another zip) or "other" -- so a picture is never written over a file the
    user may need."""
    real = os.path.realpath(path)
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):  # never open a FIFO: that blocks
            return "other"
        with open(real, "rb") as f:
            head = f.read(512)
    except FileNotFoundError:
        return None
    except OSError:
        return "other"
    if not head:
        return None
    if head.startswith(_PICTURE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "picture"
    text = head.lstrip().lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in head.lower():
        return "picture"
    if head[:4] == b"PK\x03\x04":
        return "session" if b"manifest.json" in head[:64] else "zip"
    return "other"


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see atomic_write)."""
    with atomic_write(path) as f:
        f.write(data)
