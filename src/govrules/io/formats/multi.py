"""Several outputs from one run: ``--format sarif:out.sarif --format markdown:summary.md``.

Each ``--format`` is ``NAME`` (to standard output, or ``-o``) or ``NAME:FILE``. One run
checks each record once; every format encodes it, and each writer gets its own piece.
A file is written beside its final name and moved into place when the run finishes,
so a reader never sees half a file.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TextIO

from govrules.base.files import AtomicFile
from govrules.base.i18n import _
from govrules.io.batch import Encoder, Outcome, Piece, Summary
from govrules.io.formats.common import FormatContext, Writer

__all__ = ["FormatSpec", "MultiEncoder", "MultiWriter", "format_spec"]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """A format name and where it goes (None: the command's output)."""

    name: str
    path: str | None = None


def format_spec(names: Sequence[str]) -> Any:
    """argparse type for ``NAME`` or ``NAME:FILE`` with NAME one of ``names``."""
    def parse(text: str) -> FormatSpec:
        name, sep, path = text.partition(":")
        if name not in names:
            raise argparse.ArgumentTypeError(_(
                "unknown format {name!r} (choose from {formats}; add :FILE to write it to a "
                "file)").format(name=name, formats=", ".join(names)))
        if sep and not path:
            raise argparse.ArgumentTypeError(
                _("{text!r}: give a file after the colon").format(text=text))
        return FormatSpec(name, path or None)
    parse.__name__ = "format"
    return parse


class MultiEncoder:
    """The outcome in every format, as a tuple (picklable when its parts are)."""

    def __init__(self, encoders: Sequence[Encoder]) -> None:
        self.encoders = tuple(encoders)

    def __call__(self, outcome: Outcome) -> tuple[Any, ...]:
        return tuple(encode(outcome) for encode in self.encoders)


class MultiWriter:
    """Hands each writer its own part of every piece; files are committed at the end."""

    def __init__(self, writers: Sequence[Writer], files: Sequence[AtomicFile]) -> None:
        self.writers = tuple(writers)
        self.files = tuple(files)

    @classmethod
    def open(cls, specs: Sequence[FormatSpec], context: FormatContext, out: TextIO,
             make_writer: Any) -> MultiWriter:
        files: list[AtomicFile] = []
        writers: list[Writer] = []
        try:
            for spec in specs:
                stream = out
                if spec.path is not None:
                    files.append(AtomicFile(spec.path, newline=""))
                    stream = files[-1].stream
                writers.append(make_writer(spec.name, context, stream))
        except BaseException:
            for f in files:
                f.abandon()
            raise
        return cls(writers, files)

    def write(self, piece: Piece) -> None:
        for i, writer in enumerate(self.writers):
            writer.write(replace(piece, payload=piece.payload[i]))

    def finish(self, summary: Summary) -> None:
        for writer in self.writers:
            writer.finish(summary)
        for f in self.files:
            f.commit()

    def abandon(self) -> None:
        for f in self.files:
            f.abandon()
