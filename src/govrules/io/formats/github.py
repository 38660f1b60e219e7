"""``github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=F,line=L,title=T::message`` for a violated rule of severity error,
``::warning`` for warning, ``::notice`` for info, for undetermined findings (naming the
facts to supply) and for violations of a pack that does not bind on ``as_of``. A record
that cannot be read is an ``::error`` at its place, titled with the error code. Values
are escaped as the runner expects (``%``, CR and LF everywhere; ``:`` and ``,`` in
properties too).
"""

from __future__ import annotations

from govrules.io.batch import Outcome
from govrules.io.formats.common import FormatContext
from govrules.io.formats.concise import ConciseWriter, finding_lines, place

__all__ = ["GithubEncoder", "GithubWriter", "escape_data", "escape_property"]

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """The message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A ``key=value`` property of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubEncoder:
    def __init__(self, context: FormatContext) -> None:
        self.context = context

    def __call__(self, outcome: Outcome) -> str:
        out: list[str] = []
        for line in finding_lines(outcome):
            if line.level in ("waived", "satisfied", "not_applicable"):
                continue
            command = _COMMAND.get(line.level, "notice") if line.binding else "notice"
            props: list[str] = []
            span = line.span
            if span.file and span.file != "-":
                file = place(span, self.context.root, col=False).rsplit(":", 1)[0] \
                    if span.line is not None else place(span, self.context.root, col=False)
                props.append(f"file={escape_property(file)}")
                if span.line is not None:
                    props.append(f"line={span.line}")
                    if span.col is not None and outcome.result is None:
                        props.append(f"col={span.col}")
            props.append(f"title={escape_property(line.title)}")
            out.append(f"::{command} {','.join(props)}::{escape_data(line.message)}\n")
        return "".join(out)


class GithubWriter(ConciseWriter):
    """Writes each record's annotations as they come (nothing before or after)."""
