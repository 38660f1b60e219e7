"""Batch checking: every record of files, folders, globs and streams accounted for."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest

from govrules.cli.main import main
from govrules.io import batch, inputs, json_array
from govrules.io.batch import CheckOptions, Piece
from govrules.io.formats import FormatContext, make_encoder
from govrules.io.inputs import Record, read_records
from tests.conftest import EXAMPLE, cli, lines, snapshot

# -- the mixed folder -------------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A folder of JSON, YAML, JSON Lines and CSV inputs, some malformed.

    Returns the folder and, for every record, its source -> "ok" or the error code.
    """
    root = tmp_path / "data"
    (root / "sub").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / ".hidden" / "skip.yaml").write_text("budget: [\n", encoding="utf-8")
    (root / "notes.txt").write_text("not a snapshot", encoding="utf-8")
    expected: dict[str, str] = {}

    good_yaml = root / "a-good.yaml"
    good_yaml.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    expected[str(good_yaml)] = "ok"
    bad_yaml = root / "b-bad.yaml"
    bad_yaml.write_text("id: x\nbudget: [\n", encoding="utf-8")
    expected[str(bad_yaml)] = "yaml-syntax"

    one_json = root / "sub" / "c-one.json"
    one_json.write_text(json.dumps(snapshot(1)), encoding="utf-8")
    expected[str(one_json)] = "ok"

    array = root / "sub" / "d-array.json"
    items = [snapshot(2), {**snapshot(3), "project": {"kind": "servce"}}, snapshot(4)]
    array.write_text("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]\n",
                     encoding="utf-8")
    expected.update({f"{array}:2:1": "ok", f"{array}:3:1": "snapshot-value",
                     f"{array}:4:1": "ok"})

    truncated = root / "sub" / "e-truncated.json"
    truncated.write_text('[\n{"id": "T1", "city": "guiyang"},\n{"id": "T2", "ci',
                         encoding="utf-8")
    expected.update({f"{truncated}:2:1": "ok", f"{truncated}:3:1": "json-syntax"})

    stream = root / "f-stream.jsonl"
    rows = [json.dumps(snapshot(10)), "", json.dumps(snapshot(11)), '{"id": "J3", ',
            json.dumps({"id": "J4", "budget": {"original": "lots"}, "city": "guiyang"}),
            json.dumps(snapshot(12))]
    stream.write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected.update({f"{stream}:1": "ok", f"{stream}:3": "ok", f"{stream}:4": "json-syntax",
                     f"{stream}:5": "snapshot-type", f"{stream}:6": "ok"})

    table = root / "g-table.csv"
    table.write_text(
        "id,city,as_of,budget.original,project.classified,planning.plan_contents\n"
        "C1,guiyang,2025-06-30,500万元,false,objectives;budget\n"
        "C2,guiyang,2025-06-30,,maybe,\n"
        "\n"
        'C3,guiyang,2025-06-30,100,true,"objectives;\nbudget"\n'
        "C4,guiyang,2025-06-30,100,true,objectives,extra\n", encoding="utf-8")
    expected.update({f"{table}:2": "ok", f"{table}:3": "snapshot-type", f"{table}:5": "ok",
                     f"{table}:7": "csv-row"})
    return root, expected


class TestMixedFolder:
    def test_every_record_is_accounted_for_with_its_place(
            self, capsys: pytest.CaptureFixture[str], mixed: tuple[Path, dict[str, str]]
    ) -> None:
        root, expected = mixed
        code, out, err = cli(capsys, "check", str(root), "--city", "guiyang",
                             "--format", "jsonl")
        assert code == 2
        got: dict[str, str] = {}
        for item in lines(out):
            assert item["source"] not in got, "each record exactly once"
            got[item["source"]] = item["errors"][0]["code"] if "errors" in item else "ok"
        assert got == expected
        err_lines = err.splitlines()
        for source, status in expected.items():
            if status != "ok":  # one error line naming the file and the code
                file = source.split(":")[0]
                assert any(line.startswith(f"{file}:") and f": {status}: " in line
                           for line in err_lines), source
        summary = err.strip().splitlines()[-1]
        errors = sum(status != "ok" for status in expected.values())
        assert summary.startswith(f"govrules: {len(expected)} records: "
                                  f"{len(expected) - errors} checked")
        assert f"{errors} errors" in summary

    def test_counts_in_equal_counts_out(self, capsys: pytest.CaptureFixture[str],
                                        mixed: tuple[Path, dict[str, str]]) -> None:
        root, expected = mixed
        code, out, _ = cli(capsys, "check", str(root), "--city", "guiyang", "--format", "json")
        assert code == 2
        records = json.loads(out)  # one item per record, nothing else (F4)
        assert len(records) == len(expected)
        errors = [r for r in records if "errors" in r]
        assert len(errors) == sum(status != "ok" for status in expected.values())
        assert all("verdict" in r for r in records if "errors" not in r)

    def test_error_locations(self, capsys: pytest.CaptureFixture[str],
                             mixed: tuple[Path, dict[str, str]]) -> None:
        root, _ = mixed
        _, _, err = cli(capsys, "check", str(root), "--city", "guiyang", "--quiet")
        assert f"{root / 'b-bad.yaml'}:3:1: yaml-syntax" in err
        assert f"{root / 'f-stream.jsonl'}:4:14: json-syntax" in err
        assert f"{root / 'f-stream.jsonl'}:5: snapshot-type" in err
        assert "(at budget.original" in err
        assert f"{root / 'g-table.csv'}:3: snapshot-type" in err
        assert "(at project.classified" in err
        assert f"{root / 'sub' / 'd-array.json'}:3:1: snapshot-value" in err
        assert f"{root / 'sub' / 'e-truncated.json'}:3:14: json-syntax" in err
        assert "govrules:" not in err  # --quiet: no summary line

    @pytest.mark.parametrize(
        ("extra", "expected"),
        [((), 1), (("--fail-on", "never"), 0), (("--fail-on", "warning"), 1)],
        ids=["error", "never", "warning"],
    )
    def test_exit_code_per_fail_on(self, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                   extra: tuple[str, ...], expected: int) -> None:
        stream = tmp_path / "ok.jsonl"
        stream.write_text("\n".join(json.dumps(snapshot(n)) for n in range(20)) + "\n",
                          encoding="utf-8")
        assert cli(capsys, "check", str(stream), "--city", "guiyang", "-q", *extra)[0] \
            == expected

    @pytest.mark.parametrize("fail_on", ["error", "warning", "never"])
    def test_bad_records_exit_2_whatever_fail_on(
            self, capsys: pytest.CaptureFixture[str], mixed: tuple[Path, dict[str, str]],
            fail_on: str) -> None:
        root, _ = mixed
        assert cli(capsys, "check", str(root), "--city", "guiyang", "--fail-on", fail_on,
                   "-q")[0] == 2

    def test_compliant_and_out_of_scope_records_exit_0(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        stream = tmp_path / "out.jsonl"
        stream.write_text('{"id": "S1", "project": {"classified": true}}\n' * 3,
                          encoding="utf-8")
        code, _, err = cli(capsys, "check", str(stream), "--city", "guiyang",
                           "--as-of", "2025-01-01")
        assert code == 0
        assert "3 not applicable" in err


# -- inputs -----------------------------------------------------------------------------


class TestInputs:
    def test_glob_and_no_match(self, capsys: pytest.CaptureFixture[str],
                               mixed: tuple[Path, dict[str, str]]) -> None:
        root, _ = mixed
        code, out, err = cli(capsys, "check", str(root / "**" / "*.json"), "--city",
                             "guiyang", "--format", "jsonl")
        sources = [item["source"] for item in lines(out)]
        assert sources[0] == str(root / "sub" / "c-one.json")
        assert len(sources) == 6
        code, out, err = cli(capsys, "check", str(root / "*.nothing"), "--city", "guiyang")
        assert code == 2
        assert "input-no-match" in err

    def test_empty_input_is_an_error_not_a_pass(self, capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
        empty = tmp_path / "empty.jsonl"
        empty.write_text("\n\n", encoding="utf-8")
        code, _, err = cli(capsys, "check", str(empty), "--city", "guiyang")
        assert code == 2
        assert f"{empty}: input-no-records" in err

    @pytest.mark.parametrize(
        ("text", "fmt", "count"),
        [
            (EXAMPLE.read_text(encoding="utf-8"), "auto", 1),
            ("\n".join(json.dumps(snapshot(n)) for n in range(3)) + "\n", "auto", 3),
            (json.dumps([snapshot(1), snapshot(2)]), "auto", 2),
            ("id,city,budget.original\nA,guiyang,100\nB,guiyang,200\n", "auto", 2),
            (json.dumps(snapshot(5), indent=2), "auto", 1),
            ("id,city\nA,guiyang\n", "csv", 1),
        ],
        ids=["yaml", "jsonl", "json-array", "csv", "json-object", "forced-csv"],
    )
    def test_stdin(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                   text: str, fmt: str, count: int) -> None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        _code, out, _ = cli(capsys, "check", "-", "--city", "guiyang", "--format", "jsonl",
                           "--input-format", fmt)
        items = lines(out)
        assert len(items) == count
        assert all("errors" not in item for item in items)
        assert items[0]["source"].startswith("<stdin>")

    def test_json_array_read_in_small_chunks(self, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
        monkeypatch.setattr(json_array, "CHUNK", 7)
        path = tmp_path / "a.json"
        path.write_text('\ufeff[ {"id": "A", "n": [1, 2, 3]},\n  {"id": "B"} ,{"id": "C"}\n]',
                        encoding="utf-8")
        records = list(read_records([str(path)]))
        assert [r.source for r in records] == [f"{path}:1:3", f"{path}:2:3", f"{path}:2:16"]
        assert [r.data for r in records] == [{"id": "A", "n": [1, 2, 3]}, {"id": "B"},
                                             {"id": "C"}]

    @pytest.mark.parametrize(
        ("text", "error_at"),
        [("[{}, {}", "1:8"), ("[{}, ]", "1:6"), ("[{} {}]", "1:5"), ("[{}] x", "1:6"),
         ("[{}, 12", "1:8")],
        ids=["unclosed", "trailing-comma", "missing-comma", "extra-data", "cut-number"],
    )
    def test_json_array_syntax_errors(self, tmp_path: Path, text: str,
                                      error_at: str) -> None:
        path = tmp_path / "a.json"
        path.write_text(text, encoding="utf-8")
        records = list(read_records([str(path)]))
        errors = [r for r in records if r.error is not None]
        assert len(errors) == 1
        assert errors[0].error is not None
        diagnostic = errors[0].error.diagnostics[0]
        assert (diagnostic.code, f"{diagnostic.span.line}:{diagnostic.span.col}"
                if diagnostic.span else "") == ("json-syntax", error_at)

    def test_jsonl_bad_bytes_and_long_lines(self, monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
        monkeypatch.setattr(inputs, "MAX_DOCUMENT_BYTES", 40)
        path = tmp_path / "a.jsonl"
        path.write_bytes(b'\xef\xbb\xbf{"id": "A"}\n{"id": "\xff"}\n{"id": "' + b"x" * 60
                         + b'"}\n{"id": "D"}')
        records = list(read_records([str(path)]))
        codes = [r.error.code if r.error else "ok" for r in records]
        assert codes == ["ok", "file-encoding", "input-too-large", "ok"]
        assert [r.span.line for r in records] == [1, 2, 3, 4]

    def test_csv_cells(self, tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_text(
            "id, budget.original ,project.classified,planning.plan_contents,"
            "budget.adjustments,security.graded_protection.level,exceptions\n"
            'A,500万元,是,"[""objectives"", ""budget""]","[{""amount"": 10}]",3,\n'
            "B,,no,objectives ; budget,,,\n", encoding="utf-8")
        rows = [r.data for r in read_records([str(path)])]
        assert rows == [
            {"id": "A", "budget": {"original": "500万元", "adjustments": [{"amount": 10}]},
             "project": {"classified": True},
             "planning": {"plan_contents": ["objectives", "budget"]},
             "security": {"graded_protection": {"level": 3}}},
            {"id": "B", "project": {"classified": False},
             "planning": {"plan_contents": ["objectives", "budget"]}},
        ]

    def test_csv_bad_header_makes_every_row_an_error(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_text("id,budget.orignal,id,budget.adjustments[].amount,\nA,1,2,3,\nB,1,2,3,\n",
                        encoding="utf-8")
        code, out, err = cli(capsys, "check", str(path), "--city", "guiyang",
                             "--format", "jsonl")
        assert code == 2
        items = lines(out)
        assert [i["source"] for i in items] == [f"{path}:2", f"{path}:3"]
        codes = {e["code"] for e in items[0]["errors"]}
        assert codes == {"csv-unknown-column", "csv-header"}
        assert "did you mean 'budget.original'" in err

    def test_csv_bad_json_cell(self, tmp_path: Path) -> None:
        path = tmp_path / "a.csv"
        path.write_text("id,budget.adjustments\nA,[{oops\n", encoding="utf-8")
        (record,) = read_records([str(path)])
        assert record.error is not None
        assert record.error.diagnostics[0].code == "csv-cell"
        assert record.error.diagnostics[0].path == "budget.adjustments"


# -- streaming and processes -----------------------------------------------------------


def _run(records: list[Record], *, jobs: int, chunk: int, fmt: str = "jsonl",
         detail: Literal["full", "line"] = "full") -> list[Piece]:
    options = CheckOptions(cities=("guiyang",), detail=detail)
    encoder = functools.partial(make_encoder, fmt, FormatContext())
    return list(batch.run(iter(records), options, encoder, jobs=jobs, chunk_size=chunk))


def _stream(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "many.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write("{bad json\n" if n % 97 == 13 else json.dumps(snapshot(n)) + "\n")
    return path


class TestStreaming:
    def test_jobs_2_gives_the_same_pieces_in_order(self, tmp_path: Path) -> None:
        records = list(read_records([str(_stream(tmp_path, 300))]))
        single = _run(records, jobs=1, chunk=32)
        double = _run(records, jobs=2, chunk=32)
        assert [p.index for p in double] == list(range(300))
        assert double == single

    def test_workers_make_reports_for_the_line_form_alone(self, tmp_path: Path) -> None:
        # the options, line form included, travel to the workers: same lines, no plan
        records = list(read_records([str(_stream(tmp_path, 300))]))
        full = _run(records, jobs=1, chunk=32)
        line = _run(records, jobs=2, chunk=32, detail="line")
        assert line == full
        assert any('"supply-fact"' in str(p.payload) for p in line)

    @pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown"])
    def test_jobs_2_cli_output_equals_single_process(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
        path = str(_stream(tmp_path, 600))
        one = cli(capsys, "check", path, "--city", "guiyang", "--format", fmt)
        two = cli(capsys, "check", path, "--city", "guiyang", "--format", fmt, "--jobs", "2")
        assert one == two
        assert one[0] == 2

    def test_records_are_pulled_lazily(self) -> None:
        pulled = 0

        def endless() -> Iterator[Record]:
            nonlocal pulled
            n = 0
            while True:
                pulled += 1
                yield Record(n, inputs.Span("gen", n + 1), "element", data=snapshot(n))
                n += 1

        options = CheckOptions(cities=("guiyang",))
        pieces = batch.run(endless(), options,
                           functools.partial(make_encoder, "jsonl", FormatContext()),
                           chunk_size=10)
        first = [next(pieces) for _ in range(25)]
        assert [p.index for p in first] == list(range(25))
        assert pulled <= 30

    def test_progress_only_on_a_terminal(self, capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
        _, _, err = cli(capsys, "check", str(_stream(tmp_path, 50)), "--city", "guiyang",
                        "--format", "jsonl")
        assert "records ·" not in err
        assert "\r" not in err

    def test_progress_line(self) -> None:
        from govrules.io.progress import Progress

        stream = io.StringIO()
        progress = Progress(stream, enabled=True, interval=0)
        progress.update(10, 1)
        progress.clear()
        assert "10 records" in stream.getvalue()
        assert stream.getvalue().endswith("\r")


def test_bad_jobs_value(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(EXAMPLE), "--jobs", "-1"])
    assert exc.value.code == 2
    assert "number of processes" in capsys.readouterr().err
