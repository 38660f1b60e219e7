"""Regressions of the reliability review (``shared/reviews/reliability.md``, D1-D28).

Each test is built from the review's reproduction and named after its defect id. The
faults a process meets from outside (a killed worker, Ctrl-C, a broken pipe, a full
disk, closed standard streams) run the real command in a subprocess.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml

from govrules.base.errors import (
    CalendarError,
    Diagnostic,
    ExpressionError,
    GovrulesError,
    InputError,
    PackError,
    SnapshotError,
)
from govrules.base.loader import Span, parse_document
from govrules.cli.main import EXIT_BROKEN_PIPE, main
from govrules.engine.evaluate import evaluate
from govrules.io import batch, json_array
from govrules.io.batch import CheckOptions, Outcome, Piece
from govrules.io.formats import make_encoder
from govrules.io.formats.common import FormatContext
from govrules.io.inputs import read_records
from govrules.model.pack import parse_pack
from tests.conftest import REPO, demo_pack_text

EXAMPLE = REPO / "examples" / "guiyang-violations.yaml"
COMPLIANT = REPO / "examples" / "compliant.yaml"
ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=str))  # dates as text, as JSON has them


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def codes(items: list[dict[str, Any]]) -> list[str]:
    return [e["code"] for item in items for e in item.get("errors", [])]


def csv_rows(count: int, bad: str | None = None, at: int = 0) -> str:
    rows = ["id,city,as_of,budget.original"]
    rows += [f"P{i},guiyang,2025-11-20,500万元" for i in range(count)]
    if bad is not None:
        rows.insert(at + 1, bad)
    return "\n".join(rows) + "\n"


def govrules(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govrules", *args], capture_output=True,
                          text=True, env=ENV, timeout=240, check=False, **kwargs)


# -- D1-D5: no record lost ---------------------------------------------------------------


@pytest.mark.parametrize("cls", [GovrulesError, InputError, SnapshotError, PackError,
                                 ExpressionError, CalendarError])
def test_d1_errors_survive_pickling(cls: type[GovrulesError]) -> None:
    error = cls([Diagnostic("csv-row", "b", Span("f.csv", 3, 2), path="x", hint="h"),
                 Diagnostic("csv-cell", "a", Span("f.csv", 2))])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is cls
    assert again.diagnostics == error.diagnostics
    assert str(again) == str(error)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "sarif", "junit"])
def test_d1_jobs_2_keeps_every_record_when_one_fails_to_read(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(csv_rows(300, "bad,guiyang,2025-11-20,1,extra", at=300), encoding="utf-8")
    code, out, err = cli(capsys, "check", str(path), "--jobs", "2", "--format", fmt, "-q")
    assert code == 2
    assert "BrokenProcessPool" not in err
    if fmt == "jsonl":
        items = jsonl(out)
        assert len(items) == 301
        assert [i["source"] for i in items] == [f"{path}:{n}" for n in range(2, 303)]
        assert codes(items) == ["csv-row"]
    elif fmt == "json":
        assert len(json.loads(out)) == 301
    elif fmt == "sarif":
        assert len(json.loads(out)["runs"][0]["invocations"]) == 1
    else:
        suites = ET.fromstring(out).findall("testsuite")
        assert len(suites) == 301


def test_d1_jobs_2_jsonl_with_a_line_that_is_not_utf8(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = json.dumps({"id": "A", "city": "guiyang", "as_of": "2025-11-20"}).encode()
    path = tmp_path / "r.jsonl"
    path.write_bytes(b"\n".join([line] * 150 + [b'{"id": "\xff"}'] + [line] * 150) + b"\n")
    code, out, _ = cli(capsys, "check", str(path), "--jobs", "2", "--format", "jsonl", "-q")
    items = jsonl(out)
    assert code == 2
    assert len(items) == 301
    assert items[150]["errors"][0]["code"] == "file-encoding"
    assert items[150]["errors"][0]["line"] == 151
    assert items[150]["errors"][0]["col"] == 9


@pytest.mark.parametrize(("cell", "code"), [("²", "snapshot-type"), ("①", "snapshot-type"),
                                            ("3", None)])
def test_d2_one_bad_csv_cell_stops_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, cell: str, code: str | None) -> None:
    path = tmp_path / "s.csv"
    path.write_text("id,city,as_of,security.graded_protection.level\n"
                    f"A,guiyang,2025-11-20,3\nB,guiyang,2025-11-20,{cell}\n"
                    "C,guiyang,2025-11-20,3\n", encoding="utf-8")
    exit_code, out, _ = cli(capsys, "check", str(path), "--format", "jsonl", "-q")
    items = jsonl(out)
    assert [i.get("snapshot_id") for i in items] == ["A", None if code else "B", "C"]
    assert codes(items) == ([code] if code else [])
    assert exit_code == (2 if code else 0)


def test_d2_huge_number_in_a_csv_json_cell_or_array_element(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    csv_path = tmp_path / "n.csv"
    csv_path.write_text("id,city,as_of,budget.adjustments\n"
                        "A,guiyang,2025-11-20,[]\n"
                        f'B,guiyang,2025-11-20,"[{{""amount"": {"1" * 5000}}}]"\n'
                        "C,guiyang,2025-11-20,[]\n", encoding="utf-8")
    elements = [{"id": f"E{i}", "city": "guiyang", "as_of": "2025-11-20"} for i in range(20)]
    text = json.dumps(elements, indent=1).replace('"E10"', "7" * 5000)
    array = tmp_path / "a.json"
    array.write_text(text, encoding="utf-8")
    code, out, _ = cli(capsys, "check", str(csv_path), str(array), "--format", "jsonl", "-q")
    items = jsonl(out)
    assert code == 2
    assert len(items) == 23
    assert codes(items) == ["csv-cell", "json-number"]
    assert items[13]["errors"][0]["line"] == text[:text.index("7" * 5000)].count("\n") + 1


def _killer(fmt: str, main_pid: int, marker: str, victim: int, *,
            once: bool) -> Callable[[Outcome], Any]:
    """An encoder whose worker process dies (SIGKILL) on record ``victim``: once, when
    ``marker`` does not exist yet, or every time."""
    encode = make_encoder(fmt, FormatContext())

    def run(outcome: Outcome) -> Any:
        in_worker = os.getpid() != main_pid
        if in_worker and outcome.record.index == victim and not (once and os.path.exists(marker)):
            Path(marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return encode(outcome)

    return run


def _records(tmp_path: Path, count: int) -> list[Any]:
    path = tmp_path / "k.jsonl"
    line = json.dumps({"id": "A", "city": "guiyang", "as_of": "2025-11-20"})
    path.write_text("\n".join(line.replace('"A"', f'"R{i}"') for i in range(count)) + "\n",
                    encoding="utf-8")
    return list(read_records([str(path)]))


def _run_with(records: list[Any], encoder: Callable[[], Any]) -> list[Piece]:
    return list(batch.run(records, CheckOptions(), encoder, jobs=2, chunk_size=8))


def test_d3_a_killed_worker_is_replaced_and_its_records_retried(tmp_path: Path) -> None:
    records = _records(tmp_path, 80)
    marker = str(tmp_path / "killed")
    pieces = _run_with(records, functools.partial(
        _killer, "jsonl", os.getpid(), marker, 37, once=True))
    assert os.path.exists(marker)  # the worker did die
    assert [p.index for p in pieces] == list(range(80))
    assert all(p.verdict is not None for p in pieces)


def test_d3_a_chunk_that_kills_its_worker_twice_is_reported_record_by_record(
        tmp_path: Path) -> None:
    records = _records(tmp_path, 80)
    pieces = _run_with(records, functools.partial(
        _killer, "jsonl", os.getpid(), str(tmp_path / "m"), 37, once=False))
    assert [p.index for p in pieces] == list(range(80))
    lost = [p.index for p in pieces if p.verdict is None]
    assert lost == list(range(32, 40))  # the chunk of 8 holding record 37, no other
    assert all(p.internal and "worker-lost" in p.errors[0] for p in pieces if p.verdict is None)
    summary = batch.Summary()
    for piece in pieces:
        summary.add(piece)
    assert summary.exit_code == 3


def test_d4_invalid_bytes_in_csv_keep_the_rows_around_them(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rows = [f"R{i},guiyang,2025-11-20,500万元" for i in range(600)]  # over 8 KiB before
    data = ("id,city,as_of,budget.original\n" + "\n".join(rows[:401])).encode()
    data += "\nBAD,guiyang,2025-11-20,caf\xe9\n".encode("latin-1")
    data += ("\n".join(rows[401:]) + "\n").encode()
    path = tmp_path / "latin.csv"
    path.write_bytes(data)
    code, out, _ = cli(capsys, "check", str(path), "--format", "jsonl", "-q")
    items = jsonl(out)
    assert code == 2
    assert len(items) == 601
    bad = items[401]["errors"][0]
    assert (bad["code"], bad["line"], bad["col"]) == ("file-encoding", 403, 27)
    assert items[400]["snapshot_id"] == "R400"
    assert items[402]["snapshot_id"] == "R401"


def test_d4_invalid_bytes_in_a_short_csv_and_in_a_json_array(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_array, "CHUNK", 256)  # the bad byte far from a chunk's start
    small = tmp_path / "s.csv"
    small.write_bytes(b"id,city,as_of\nA,guiyang,2025-11-20\nB\xff,guiyang,2025-11-20\n"
                      b"C,guiyang,2025-11-20\n")
    elements = [{"id": f"E{i}", "city": "guiyang", "as_of": "2025-11-20"} for i in range(60)]
    raw = json.dumps(elements, indent=1).encode().replace(b'"E30"', b'"E\xe930"')
    array = tmp_path / "a.json"
    array.write_bytes(raw)
    code, out, _ = cli(capsys, "check", str(small), str(array), "--format", "jsonl", "-q")
    items = jsonl(out)
    assert code == 2
    assert [i.get("snapshot_id") for i in items[:3]] == ["A", None, "C"]
    assert (items[1]["errors"][0]["line"], items[1]["errors"][0]["col"]) == (3, 2)
    assert len(items) == 3 + 60
    assert items[3 + 30]["errors"][0]["code"] == "file-encoding"
    assert items[3 + 29]["snapshot_id"] == "E29"
    assert items[3 + 31]["snapshot_id"] == "E31"


def test_d5_output_file_atomic(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "o.sarif"
    out.write_text("PRECIOUS", encoding="utf-8")
    out.chmod(0o640)
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: {id: x}\n", encoding="utf-8")
    code, _, _ = cli(capsys, "check", str(EXAMPLE), "--policy", str(bad), "--format", "sarif",
                     "-o", str(out))
    assert code == 2
    assert out.read_text(encoding="utf-8") == "PRECIOUS"

    def interrupted(*_: Any, **__: Any) -> Any:
        raise KeyboardInterrupt
    with monkeypatch.context() as patch:
        patch.setattr(batch.Evaluator, "check", interrupted)
        code, _, _ = cli(capsys, "check", str(EXAMPLE), "--format", "sarif", "-o", str(out))
    assert code == 130
    assert out.read_text(encoding="utf-8") == "PRECIOUS"

    code, _, _ = cli(capsys, "check", str(EXAMPLE), "--format", "sarif", "-o", str(out))
    assert code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert out.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "o.sarif"]


# -- D6-D15: no internal error from input ---------------------------------------------------


@pytest.mark.parametrize("value", ["1.0e+28", "1.0e+40", "'" + "1" * 30 + "元'",
                                   "'" + "1" * 29 + "万元'", str(10**30)])
def test_d6_huge_money_is_a_located_error(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path, value: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("original: 500万元", f"original: {value}")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "original:" in t)
    code, _, err = cli(capsys, "check", str(path))
    assert code == 2
    assert f"{path}:{line}:" in err
    assert "snapshot-value" in err or "snapshot-type" in err


def test_d6_huge_money_in_json_and_the_api(tmp_path: Path) -> None:
    data = example()
    data["budget"]["adjustments"][0]["amount"] = 10**40
    with pytest.raises(SnapshotError) as info:
        evaluate(data)
    assert info.value.diagnostics[0].path == "budget.adjustments[0].amount"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(example(), ensure_ascii=False).replace('"500万元"', "1e400"),
                    encoding="utf-8")
    with pytest.raises(SnapshotError):
        evaluate(str(path))


def test_d7_long_json_integer_is_a_located_error(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    doc = tmp_path / "big.json"
    doc.write_text('{"id": "A", "city": "guiyang",\n "budget": {"original": ' + "1" * 5000
                   + "}}", encoding="utf-8")
    lines = tmp_path / "big.jsonl"
    lines.write_text('{"id": "B", "city": "guiyang"}\n{"x": ' + "2" * 5000 + "}\n",
                     encoding="utf-8")
    code, out, err = cli(capsys, "check", str(doc), str(lines), "--format", "jsonl", "-q")
    items = jsonl(out)
    assert code == 2
    assert [(e["code"], e["line"], e["col"]) for i in items for e in i.get("errors", [])] == [
        ("json-number", 2, 25), ("json-number", 2, 7)]
    assert "internal-error" not in err


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x1b"])
def test_d8_control_character_in_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      char: str) -> None:
    snap = tmp_path / "c.yaml"
    snap.write_text(f"city: guiyang\nid: a{char}b\nas_of: 2025-11-20\n", encoding="utf-8")
    code, _, err = cli(capsys, "check", str(snap))
    assert code == 2
    assert f"{snap}:2:6: yaml-character" in err
    pack = tmp_path / "p.yaml"
    pack.write_text((REPO / "policies" / "guiyang.yaml").read_text(encoding="utf-8")
                    .replace('version: "1.0.0"', f'version: "1.0.0"{char}', 1),
                    encoding="utf-8")
    code, out, err = cli(capsys, "lint", str(pack))
    assert code == 2
    assert "yaml-character" in out + err
    with pytest.raises(InputError) as info:
        parse_document(f"a: {char}", "x.yaml")
    assert info.value.code == "yaml-character"


def test_d9_year_9999_is_a_located_error(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("as_of: 2025-11-20", "as_of: 9999-12-31")
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("as_of:"))
    for city in ("guiyang", "shangrao", "all"):
        code, _, err = cli(capsys, "check", str(path), "--city", city)
        assert code == 2
        assert f"{path}:{line}:" in err
        assert "snapshot-value" in err
    with pytest.raises(SystemExit) as info:
        main(["check", str(EXAMPLE), "--as-of", "9999-12-31"])
    assert info.value.code == 2


def _chain(depth: int) -> str:
    derived = ["  - name: d0\n    type: bool\n    expr: contract.filed"]
    derived += [f"  - name: d{i}\n    type: bool\n    expr: d{i - 1} or contract.filed"
                for i in range(1, depth)]
    return demo_pack_text("derived:\n" + "\n".join(derived) + f"""
rules:
  - id: demo.2.chain
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: not d{depth - 1}
    message: {{zh: 未备案, en: Not filed}}
""")


def test_d10_derived_chain_deeper_than_the_limit_is_a_pack_error() -> None:
    pack = parse_pack(_chain(64), "chain.yaml")
    report = evaluate({"contract": {"filed": False}}, pack=pack, as_of="2025-01-01")
    assert report.findings[0].status == "violated"
    with pytest.raises(PackError) as info:
        parse_pack(_chain(1000), "chain.yaml")
    assert {d.code for d in info.value.diagnostics} == {"expr-too-complex"}
    assert info.value.diagnostics[0].span is not None
    assert info.value.diagnostics[0].span.line is not None


def test_d11_fifo_in_a_folder_or_named_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.yaml").write_text(COMPLIANT.read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(folder / "b.yaml")
    (folder / "c.yaml").write_text(COMPLIANT.read_text(encoding="utf-8"), encoding="utf-8")
    os.mkfifo(tmp_path / "named.jsonl")
    started = time.monotonic()
    result = govrules("check", str(folder), str(tmp_path / "named.jsonl"), "--format", "jsonl",
                      "-q")
    assert time.monotonic() - started < 120
    items = jsonl(result.stdout)
    assert result.returncode == 2
    assert len(items) == 4
    assert codes(items) == ["file-not-regular", "file-not-regular"]


def test_d12_oversized_and_endless_files_are_refused_before_reading(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(1 << 30)  # sparse: 1 GiB that takes no room
    monkeypatch.chdir(tmp_path)  # no settings file (govrules.toml, pyproject.toml) here
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
    code, _, err = cli(capsys, "check", str(huge), "/dev/zero", "--city", "guiyang")
    assert code == 2
    assert f"{huge}: input-too-large" in err
    assert "/dev/zero: file-not-regular" in err
    code, _, err = cli(capsys, "check", str(EXAMPLE), "--policy", "/dev/zero")
    assert code == 2
    assert "file-not-regular" in err
    code, out, err = cli(capsys, "lint", "/dev/zero")
    assert code == 2
    assert "file-not-regular" in out + err


def test_d13_long_lists_are_linear_in_time_and_report_size() -> None:
    data = example()
    timings = []
    for count in (10_000, 40_000):
        data["budget"]["adjustments"] = [{"amount": 1}] * count
        started = time.process_time()
        report = evaluate(data, as_of="2025-11-20")
        timings.append(time.process_time() - started)
        assert len(report.model_dump_json()) < 100_000
    assert timings[1] < 20  # 40,000 items: well under a second per thousand
    finding = next(f for f in report.findings if f.rule == "guiyang.15.within-10pct")
    assert finding.status == "undetermined"
    assert "budget.adjustments[].explanation_filed" in finding.missing
    data["budget"]["adjustments"] = [{"amount": 1}] * 3
    small = evaluate(data, as_of="2025-11-20")
    finding = next(f for f in small.findings if f.rule == "guiyang.15.within-10pct")
    assert "budget.adjustments[2].explanation_filed" in finding.missing


def test_d14_closed_stdin_and_stdout_are_errors_not_crashes(tmp_path: Path) -> None:
    command = f"{sys.executable} -m govrules"
    closed_in = subprocess.run(["bash", "-c", f"{command} check - --city guiyang <&-"],
                               capture_output=True, text=True, env=ENV, timeout=120,
                               check=False)
    assert closed_in.returncode == 2
    assert "stdin-closed" in closed_in.stderr
    closed_out = subprocess.run(["bash", "-c", f"{command} check {EXAMPLE} >&-"],
                                capture_output=True, text=True, env=ENV, timeout=120,
                                check=False)
    assert closed_out.returncode == 2
    assert "standard output is closed" in closed_out.stderr
    for result in (closed_in, closed_out):
        assert "Traceback" not in result.stderr
        assert "internal" not in result.stderr


def test_d15_broken_pipe_exits_non_zero_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(csv_rows(300), encoding="utf-8")
    script = (f"set -o pipefail; {sys.executable} -m govrules check {path} --format jsonl "
              "| head -1 > /dev/null; echo ${PIPESTATUS[0]}")
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=ENV,
                            timeout=240, check=False)
    assert result.stdout.strip() == str(EXIT_BROKEN_PIPE)
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr


# -- D16-D18, D26, D28: no forged output ---------------------------------------------------


FORGED_ID = ("X\nVERDICT: COMPLIANT  [0 violated]\n::error file=README.md,line=1::forged"
             "\r\x1b]0;pwned\x07\x1b[2J\u202e")


def test_d16_text_output_cannot_be_forged(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    data = example()
    data["id"] = FORGED_ID
    data["exceptions"] = [{"rule": "guiyang.15.over-10pct", "approved": True,
                           "reason": "ok\nVERDICT: COMPLIANT", "reference": "r\x1b[31m",
                           "approved_by": ["big_data_bureau"], "approved_on": "2025-01-05"}]
    path = tmp_path / "i.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    bad = tmp_path / "b\n::error::x\x1b[2J.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    code, out, err = cli(capsys, "check", str(path), str(bad))
    assert code == 2
    for stream in (out, err):
        assert not any(c in stream for c in "\r\x1b\x07\u202e")
        assert not any(line.startswith(("VERDICT: COMPLIANT", "::")) for line in
                       stream.splitlines())
    assert sum(line.startswith("VERDICT: ") for line in out.splitlines()) == 1
    assert "VERDICT: NON-COMPLIANT" in out
    assert "X\\nVERDICT: COMPLIANT" in out
    code, out, _ = cli(capsys, "explain", str(path), "--rule", "guiyang.15.over-10pct")
    assert "\x1b" not in out
    assert not any(line.startswith("VERDICT") for line in out.splitlines())
    code, out, _ = cli(capsys, "compare", str(path), "--format", "text")
    assert "\x1b" not in out
    assert "X\\nVERDICT" in out


def test_d17_markdown_cannot_be_injected(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    markdown = pytest.importorskip("markdown")
    payload = ("x` ![FORGED](https://evil.example/p.png) <img src=x onerror=FORGED()> "
               "[FORGED](https://evil.example) ``\r# FORGED")
    data = example()
    data["id"] = payload
    data["project"]["kind"] = payload
    good = example()
    good["id"] = payload
    (tmp_path / "a.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps(good), encoding="utf-8")
    _, out, _ = cli(capsys, "check", str(tmp_path), "--format", "markdown")
    html = markdown.markdown(out, extensions=["tables"])
    assert "<img" not in html
    assert "<a " not in html
    assert "<h1>" not in html
    assert "\r" not in out
    _, out, _ = cli(capsys, "compare", str(tmp_path / "b.json"), "--format", "markdown")
    html = markdown.markdown(out, extensions=["tables"])
    assert "<img" not in html
    assert "<a " not in html


def test_d18_junit_is_well_formed_whatever_the_file_names(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a\x01b.yaml").write_text(COMPLIANT.read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (tmp_path / "c\x02d.yaml").write_text("id: [\n", encoding="utf-8")
    _, out, _ = cli(capsys, "check", str(tmp_path), "--format", "junit", "-q")
    suites = ET.fromstring(out).findall("testsuite")
    assert len(suites) >= 2
    assert any("\ufffd" in (s.get("file") or "") for s in suites)


def test_d26_jsonl_escapes_line_separators(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    data = example()
    data["id"] = "a\u2028b\x85c\u2029d"
    path = tmp_path / "u.jsonl"
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n" + json.dumps({"id": 3}) + "\n",
                    encoding="utf-8")
    _, out, _ = cli(capsys, "check", str(path), "--format", "jsonl", "-q")
    assert not any(c in out for c in "\u2028\u2029\x85")
    lines = out.splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["snapshot_id"] == "a\u2028b\x85c\u2029d"


def test_d28_sarif_uris_are_percent_encoded(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    name = "a b#c%d\"e.yaml"
    (tmp_path / name).write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli(capsys, "check", name, "--format", "sarif")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for result in json.loads(out)["runs"][0]["results"]
            for loc in result["locations"]}
    assert uris == {"a%20b%23c%25d%22e.yaml"}
    assert unquote(uris.pop()) == name


# -- D19-D25, D27: refused what the contract refuses, with places ------------------------


@pytest.mark.parametrize("replacement", ["funding: !custom", "funding: !!python/object:os.system",
                                         "funding: !!set", "funding: !!omap"])
def test_d19_tags_on_mappings_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          replacement: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "t.yaml"
    path.write_text(text.replace("\nfunding:\n", f"\n{replacement}\n"), encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t == "funding:")
    code, _, err = cli(capsys, "check", str(path), "-q")
    assert code == 2
    assert f"{path}:{line}:10: yaml-tag" in err


@pytest.mark.parametrize("text", ["services: !custom [a]", "version: !!binary MS4wLjA=",
                                  "x: !!python/object:os.system [1]"])
def test_d19_tags_on_sequences_and_binary_are_refused(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_document(text, "t.yaml")
    assert info.value.code == "yaml-tag"
    assert info.value.diagnostics[0].span == Span("t.yaml", 1, text.index("!") + 1)


def test_d19_binary_in_a_pack_is_refused(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text((REPO / "policies" / "guiyang.yaml").read_text(encoding="utf-8")
                    .replace('version: "1.0.0"', "version: !!binary MS4wLjA=", 1),
                    encoding="utf-8")
    code, out, err = cli(capsys, "lint", str(pack))
    assert code == 2
    assert "yaml-tag" in out + err


def test_d20_json_duplicate_keys_are_refused(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    text = json.dumps(json.loads(json.dumps(yaml.safe_load(COMPLIANT.read_text("utf-8")),
                                            default=str)))
    doc = tmp_path / "d.json"
    doc.write_text(text[:-1] + ', "city": "jincheng"}', encoding="utf-8")
    lines = tmp_path / "d.jsonl"
    lines.write_text('{"id": "a", "project": {"classified": false, "classified": true}}\n',
                     encoding="utf-8")
    array = tmp_path / "a.json"
    array.write_text('[{"id": "x"},\n {"id": "y", "id": "z"}, {"id": "w"}]', encoding="utf-8")
    table = tmp_path / "c.csv"
    table.write_text('id,city,budget.adjustments\nA,guiyang,"[{""amount"": 1, ""amount"": 2}]"\n',
                     encoding="utf-8")
    code, out, _ = cli(capsys, "check", str(doc), str(lines), str(array), str(table),
                       "--city", "guiyang", "--format", "jsonl", "-q")
    items = jsonl(out)
    assert code == 2
    errors = [(e["code"], e["line"]) for i in items for e in i.get("errors", [])]
    assert errors[:3] == [("json-duplicate-key", 1), ("json-duplicate-key", 1),
                          ("json-duplicate-key", 2)]
    assert errors[3][0] == "csv-cell"
    assert [i.get("snapshot_id") for i in items] == [None, None, "x", None, "w", None]


def test_d21_lint_refuses_a_list_shaped_file(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    code, out, err = cli(capsys, "lint", str(path))
    assert code == 2
    assert "pack-not-mapping" in out + err


def test_d22_compare_exits_3_on_an_internal_error(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("a bug")
    monkeypatch.setattr(batch, "evaluate_pack", broken)
    code, _, err = cli(capsys, "compare", str(EXAMPLE))
    assert code == 3
    assert "internal-error" in err


def test_d23_negative_budget_is_refused_but_a_decrease_is_not() -> None:
    data = example()
    data["budget"]["original"] = "-500万元"
    with pytest.raises(SnapshotError) as info:
        evaluate(data)
    assert info.value.diagnostics[0].path == "budget.original"
    assert info.value.code == "snapshot-value"
    data = example()
    data["budget"]["adjustments"][0]["amount"] = "-30万元"
    assert evaluate(data).verdict in ("non_compliant", "undetermined", "compliant")


def test_d24_errors_carry_line_and_column(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    deep_yaml = tmp_path / "deep.yaml"
    deep_yaml.write_text("a:\n  b: " + "[" * 500 + "]" * 500 + "\n", encoding="utf-8")
    deep_json = tmp_path / "deep.json"
    deep_json.write_text('{"a":\n' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"id: a\nproject:\n  name: caf\xe9\n")
    city = tmp_path / "city.yaml"
    city.write_text("id: a\nas_of: 2025-01-01\ncity: atlantis\n", encoding="utf-8")
    code, _, err = cli(capsys, "check", str(deep_yaml), str(deep_json), str(latin), str(city))
    assert code == 2
    assert f"{deep_yaml}:2:" in err
    assert "yaml-too-deep" in err
    assert f"{deep_json}:2:" in err
    assert "json-too-deep" in err
    assert f"{latin}:3:12: file-encoding" in err
    assert f"{city}:3:7: unknown-city" in err
    # A syntax error followed by more than 4 MiB is a syntax error, where it is.
    array = tmp_path / "a.json"
    array.write_text('[{"id": "a"}, {"id": "b",, "x": 1}, ' + '{"id": "c"}, ' * 400_000
                     + '{"id": "d"}]', encoding="utf-8")
    code, out, _ = cli(capsys, "check", str(array), "--city", "guiyang", "--format", "jsonl",
                       "-q")
    items = jsonl(out)
    assert [(e["code"], e["line"], e["col"]) for i in items for e in i.get("errors", [])] == [
        ("json-syntax", 1, 26)]


def test_d25_dates_must_be_yyyy_mm_dd(capsys: pytest.CaptureFixture[str]) -> None:
    for text in ("20251120", "2025-W47-4", "2025-11-20T00:00"):
        with pytest.raises(SystemExit) as info:
            main(["check", str(EXAMPLE), "--as-of", text])
        assert info.value.code == 2
        with pytest.raises(InputError) as error:
            evaluate(example(), as_of=text)
        assert error.value.code == "bad-date"
    capsys.readouterr()
    assert evaluate(example(), as_of="2025-11-20").as_of == date(2025, 11, 20)


def test_d27_one_condition_gives_a_bounded_number_of_warnings() -> None:
    pack = parse_pack(demo_pack_text("""
rules:
  - id: demo.2.far
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: working_days_after(as_of, 1000000) > as_of
    message: {zh: 远, en: Far}
"""), "far.yaml")
    report = evaluate({}, pack=pack, as_of="2025-01-01")
    years = [w for w in report.warnings if w.code == "calendar-year-missing"]
    assert len(years) == 1
    assert "years" in years[0].message
    assert len(report.model_dump_json()) < 20_000


# -- faults from outside ---------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(p) for p in text.split()]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_fault_a_worker_killed_from_outside_loses_no_record(tmp_path: Path) -> None:
    count = 3000
    path = tmp_path / "big.jsonl"
    line = json.dumps(example(), ensure_ascii=False)
    path.write_text("\n".join([line] * count) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "govrules", "check", str(path),
                                "--jobs", "2", "--format", "jsonl", "-q", "-o", str(out)],
                               env=ENV, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    victims: list[int] = []
    while time.monotonic() < deadline and process.poll() is None:
        victims = _children(process.pid)
        if len(victims) >= 2:
            break
        time.sleep(0.05)
    assert victims, "the run ended before a worker could be killed"
    time.sleep(0.5)
    os.kill(victims[-1], signal.SIGKILL)
    _, err = process.communicate(timeout=300)
    assert "Traceback" not in err
    items = jsonl(out.read_text(encoding="utf-8"))
    assert len(items) == count
    assert [i["source"] for i in items] == [f"{path}:{n}" for n in range(1, count + 1)]
    assert process.returncode in (1, 3)  # every record checked, or reported worker-lost


def test_fault_sigint_keeps_the_old_output_and_exits_130(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join([json.dumps(example(), ensure_ascii=False)] * 5000) + "\n",
                    encoding="utf-8")
    out = tmp_path / "o.json"
    out.write_text("PRECIOUS", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "govrules", "check", str(path),
                                "--format", "json", "-q", "-o", str(out)],
                               env=ENV, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130
    assert "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "PRECIOUS"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "o.json"]


def test_fault_full_disk(capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    code, _, err = cli(capsys, "check", str(EXAMPLE), "-o", "/dev/full")
    assert code == 2
    assert "/dev/full: cannot write" in err


def test_fault_an_existing_output_file_is_replaced_whole(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    out.write_text("x" * 100_000, encoding="utf-8")
    code, _, _ = cli(capsys, "check", str(EXAMPLE), "--format", "jsonl", "-o", str(out))
    assert code == 1
    assert len(jsonl(out.read_text(encoding="utf-8"))) == 1


def test_the_broken_pipe_exit_code_is_what_a_shell_reports_for_sigpipe() -> None:
    import signal

    assert EXIT_BROKEN_PIPE == 128 + signal.SIGPIPE
