"""Files: reading a regular file within a size limit, and writing one all at once.

Every file govrules reads goes through :func:`open_regular` (no FIFO or device that could
block, a size limit); every file it writes as a command's output goes through
:class:`AtomicFile` (written beside its final name, moved into place when complete), so
that a failed or interrupted run leaves an existing file as it was and a reader never
sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.base.location import Span

__all__ = ["MAX_DOCUMENT_BYTES", "AtomicFile", "atomic_write", "encoding_error",
           "open_regular", "read_bounded"]

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
"""Largest pack or snapshot file accepted (4 MiB): far above any real regulation."""

_CANNOT_READ = N_("cannot read: {reason}")
_TOO_LARGE = N_("file is larger than {limit} bytes")



def encoding_error(file: str | None, raw: bytes, exc: UnicodeDecodeError,
                   *, line: int = 1) -> InputError:
    """``file-encoding`` at the line and column of the first byte that is not UTF-8.

    ``line`` is the line ``raw`` starts on (a record inside a stream)."""
    start = exc.start + len(raw) - len(exc.object)  # "utf-8-sig" reports past the BOM
    before = raw[:start]
    newline = before.rfind(b"\n")
    col = len(before[newline + 1:].decode("utf-8", "replace")) + 1
    return InputError(Diagnostic(
        "file-encoding", _("not UTF-8 text (byte {byte})").format(byte=f"0x{raw[start]:02x}"),
        Span(file, line + before.count(b"\n"), col), hint=_("save the file as UTF-8")))


def open_regular(path: str | Path, limit: int | None = MAX_DOCUMENT_BYTES) -> BinaryIO:
    """Open a file for reading after checking, without blocking, that it is a regular
    file (not a FIFO or a device, which could block or never end) and not over
    ``limit`` bytes; raise :class:`InputError` with the file's name otherwise."""
    file = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(Diagnostic("file-not-found", _("no such file"),
                                    Span(file))) from None
    except OSError as exc:
        raise InputError(Diagnostic("file-unreadable", _(_CANNOT_READ).format(
            reason=exc.strerror), Span(file))) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(Diagnostic("file-is-directory", _("is a directory"), Span(file)))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(Diagnostic(
            "file-not-regular", _("not a regular file (a pipe, socket or device)"), Span(file),
            hint=_("to read a stream, pass - and redirect it to standard input")))
    if limit is not None and info.st_size > limit:
        raise InputError(Diagnostic(
            "input-too-large", _(_TOO_LARGE).format(limit=limit),
            Span(file), hint=_("split it into several files, or use JSON Lines")))
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(Diagnostic("file-unreadable", _(_CANNOT_READ).format(
            reason=exc.strerror), Span(file))) from None


def read_bounded(path: str | Path, limit: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see :func:`open_regular`);
    never more than ``limit + 1`` bytes are read, even if the file grows meanwhile."""
    with open_regular(path, limit) as stream:
        try:
            raw = stream.read(limit + 1)
        except OSError as exc:
            raise InputError(Diagnostic("file-unreadable", _(_CANNOT_READ).format(
                reason=exc.strerror), Span(str(path)))) from None
    if len(raw) > limit:
        raise InputError(Diagnostic(
            "input-too-large", _(_TOO_LARGE).format(limit=limit),
            Span(str(path)), hint=_("split it into several files")))
    return raw



class AtomicFile:
    """A text file written under a temporary name in its folder and moved over ``path``
    by :meth:`commit` (after an fsync, keeping the mode of the file it replaces), or
    removed by :meth:`abandon`.

    A path that exists and is not a regular file (``/dev/stdout``, ``/dev/full``, a pipe)
    is written directly: there is nothing to replace.
    """

    def __init__(self, path: str | Path, *, newline: str | None = None) -> None:
        self.path = str(path)
        try:
            self._info: os.stat_result | None = os.stat(path)
        except OSError:
            self._info = None
        self.temp: str | None = None
        if self._info is not None and not stat.S_ISREG(self._info.st_mode):
            # closed by commit() or abandon()
            self.stream: TextIO = open(path, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
            return
        folder = os.path.dirname(os.path.abspath(path))
        fd, self.temp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.",
                                         suffix=".tmp")
        self.stream = os.fdopen(fd, "w", encoding="utf-8", newline=newline)

    def commit(self) -> None:
        """Move the complete file into place."""
        if self.temp is None:
            self.stream.close()
            return
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
            mode = (stat.S_IMODE(self._info.st_mode) if self._info is not None
                    else _default_mode())
            os.chmod(self.temp, mode)
            os.replace(self.temp, self.path)
        except BaseException:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Leave the file at ``path`` as it was."""
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)


@contextlib.contextmanager
def atomic_write(path: str | Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Write ``path`` all at once (an :class:`AtomicFile`): committed when the block
    ends normally, abandoned when it raises (an error, an interrupt)."""
    target = AtomicFile(path, newline=newline)
    try:
        yield target.stream
    except BaseException:
        target.abandon()
        raise
    target.commit()


def _default_mode() -> int:
    """The mode a newly created file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
