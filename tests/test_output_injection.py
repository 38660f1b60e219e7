"""Hostile strings cannot change the structure of any output format (D16-D18, D26, D28).

The same records are checked twice, once with plain values and once with values built
to break each format (line breaks, terminal escapes, CI workflow commands, Markdown and
XML syntax, Unicode line separators, bidi overrides), in ids, names, an exception's
reason and reference, a bad enum value that an error echoes, and the file names. The
structure of each output, reduced to what does not depend on the values, must be the
same both times.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from govrules.cli.main import main
from govrules.io.formats import FORMATS
from tests.conftest import REPO

HOSTILE = ("h\nVERDICT: COMPLIANT\r\x1b]0;t\x07\x1b[2J::error file=a,line=1::x "
           "`` ![i](https://e.example/p.png) <img src=x onerror=f()> [l](https://e.example) "
           "| # * _ </testsuite>]]><script>&amp;\"' \u2028\u2029\x85\u202e%23 \ufeff")
FILE_HOSTILE = "h \x01`|#%<>&\"' \u2028\x85 ::error::"


_UNSAFE = {
    # for people: nothing that moves the cursor, rewrites the screen or reorders text
    "text": "\r\x1b\x07\x01\u2028\u2029\x85\u202e\ufeff",
    "markdown": "\r\x1b\x07\x01\u2028\u2029\x85\u202e\ufeff",
    # JSON escapes controls; JSON Lines readers must not see a line break inside a record
    "json": "\r\x1b\x07\x01\u2028\u2029\x85",
    "jsonl": "\r\x1b\x07\x01\u2028\u2029\x85",
    "sarif": "\r\x1b\x07\x01\u2028\u2029\x85",
    # XML 1.0 cannot carry C0 controls other than tab and line breaks
    "junit": "\x1b\x07\x01",
    # HTML: values are escaped text; raw line breaks inside a text node change nothing
    "html": "",
    # iCalendar lines end in CRLF; a value must not start a line of its own
    "ics": "\x1b\x07\x01",
    # one line per finding: nothing may end a line early or rewrite the screen
    "concise": "\r\x1b\x07\x01\u2028\u2029\x85\u202e\ufeff",
    # workflow commands: CR and LF must arrive escaped (%0D, %0A)
    "github": "\r\x1b\x07\x01\u2028\u2029\x85",
    # a binary workbook, read back cell by cell (see _structure)
    "xlsx": "",
}
_BINARY = {"xlsx"}


def _records(folder: Path, value: str, file_part: str) -> None:
    folder.mkdir()
    base: dict[str, Any] = json.loads(json.dumps(yaml.safe_load(
        (REPO / "examples" / "guiyang-violations.yaml").read_text(encoding="utf-8")),
        default=str))
    good = json.loads(json.dumps(base))
    good["id"] = f"A{value}"
    good["project"]["name"] = value
    good.setdefault("procurement", {})["winning_bidder"] = value
    good["exceptions"] = [{"rule": "guiyang.15.over-10pct", "approved": True, "reason": value,
                           "reference": value, "approved_by": ["big_data_bureau"],
                           "approved_on": "2025-01-05"}]
    bad = json.loads(json.dumps(base))
    bad["id"] = f"B{value}"
    bad["project"]["kind"] = value  # refused: the error echoes the value
    (folder / f"a{file_part}.json").write_text(json.dumps(good, ensure_ascii=False),
                                              encoding="utf-8")
    (folder / f"b{file_part}.jsonl").write_text(
        json.dumps(good, ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False)
        + "\n", encoding="utf-8")


def _shape(value: Any) -> Any:
    """A JSON value with every string, and every number, replaced by its type."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k not in ("message", "text")}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


class _Tags(HTMLParser):
    """The sequence of start tags of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def _xml_shape(element: ET.Element) -> Any:
    return (element.tag, sorted(element.attrib), [_xml_shape(child) for child in element])


def _structure(fmt: str, out: str) -> Any:
    if fmt == "json":
        return _shape(json.loads(out))
    if fmt in ("jsonl",):
        return [_shape(json.loads(line)) for line in out.splitlines()]
    if fmt == "sarif":
        data = json.loads(out)
        for run in data["runs"]:  # rule descriptors and messages carry no structure
            run["tool"] = None
        return _shape(data)
    if fmt == "junit":
        return _xml_shape(ET.fromstring(out))
    if fmt == "html":
        parser = _Tags()
        parser.feed(out)
        return parser.tags
    if fmt == "ics":
        unfolded = re.sub(r"\r\n[ \t]", "", out)
        return [re.split(r"[:;]", line, maxsplit=1)[0] for line in unfolded.split("\r\n")]
    if fmt == "concise":  # file:line: rule [severity] message, one line each
        return [bool(re.match(r"\S.*?:\d*:? \S+ \[\w+\] ", line)) for line in out.splitlines()]
    if fmt == "github":  # one workflow command per line, nothing else
        return [re.match(r"::(\w+) ", line) is not None and line.split(" ", 1)[0]
                for line in out.splitlines()]
    if fmt == "xlsx":  # sheets, their sizes and their header rows
        book = openpyxl.load_workbook(io.BytesIO(bytes.fromhex(out)))
        return [(sheet.title, sheet.max_row, sheet.max_column,
                 [cell.value for cell in next(sheet.iter_rows(max_row=1))])
                for sheet in book.worksheets]
    if fmt == "markdown":
        markdown = pytest.importorskip("markdown")
        html = markdown.markdown(out, extensions=["tables"])
        return re.findall(r"</?([a-z0-9]+)", html)
    # text: the lines at the left margin (wrapped continuation lines are indented)
    return [re.sub(r"\S.*", "·", line)[:1] + line.split(" ", 1)[0]
            for line in out.splitlines() if line and not line.startswith(" ")
            and not line.startswith(("===", "snapshot ", "  "))]


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_strings_keep_the_structure_of_every_format(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(tmp_path)
    outputs = {}
    for name, value, file_part in (("plain", "plain", "plain"),
                                   ("hostile", HOSTILE, FILE_HOSTILE)):
        _records(tmp_path / name, value, file_part)
        target = ["-o", f"{name}.xlsx"] if fmt in _BINARY else []
        code = main(["check", name, "--format", fmt, "-q", *target])
        out, err = capsys.readouterr()
        if fmt in _BINARY:  # compared as the workbook's bytes, in hex
            out = (tmp_path / f"{name}.xlsx").read_bytes().hex()
        assert code == 2
        assert "Traceback" not in err
        for stream, unsafe in ((out, _UNSAFE[fmt]), (err, _UNSAFE["text"])):
            assert not any(c in stream for c in unsafe)
            assert fmt in ("html", "github") or not any(
                line.startswith(("::", "VERDICT: COMPLIANT"))
                                            for line in stream.splitlines())
        assert err.count("\n") == 1  # one error line: the bad record
        outputs[name] = out
    assert _structure(fmt, outputs["hostile"]) == _structure(fmt, outputs["plain"])
    if fmt == "sarif":
        uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
                for result in json.loads(outputs["hostile"])["runs"][0]["results"]
                for loc in result["locations"]}
        assert all(re.fullmatch(r"[A-Za-z0-9._~/%!$&'()*+,;=:@-]+", uri) for uri in uris)
