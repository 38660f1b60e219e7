"""Fuzzing the readers, the pack loader and the snapshot model.

Two properties, on every generated input:

- only govrules' own errors escape (no other exception; in a batch, no record reported
  as an ``internal-error``);
- records in = results + errors out, in input order, for every reader and mixed
  folders, with ``--jobs 1`` and ``--jobs 2``, and the output of every format parses.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import tempfile
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from govrules.base.calendar import Calendar
from govrules.base.errors import GovrulesError
from govrules.base.loader import parse_document
from govrules.engine.evaluate import evaluate_pack
from govrules.io import batch
from govrules.io.batch import CheckOptions
from govrules.io.formats import FORMATS, FormatContext, make_encoder, make_writer
from govrules.io.inputs import read_records
from govrules.model.pack import builtin_pack, parse_pack
from govrules.model.snapshot import parse_snapshot
from govrules.tools.lint import lint_document
from tests.fuzz import strategies as gen
from tests.fuzz.conftest import PROFILE, scale, tried

CAL = Calendar.default()
OPTIONS = st.sampled_from([CheckOptions(), CheckOptions(cities=("guiyang",)),
                           CheckOptions(cities=("all",))])


def _write(folder: Path, made: list[gen.Made]) -> int:
    for name, raw, _count in made:
        (folder / name).write_bytes(raw)
    return sum(count for _name, _raw, count in made)


def _check_folder(made: list[gen.Made], options: CheckOptions, fmt: str, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        expected = _write(Path(tmp), made)
        _check_run(Path(tmp), expected, options, fmt, jobs)


def _check_run(folder: Path, expected: int, options: CheckOptions, fmt: str, jobs: int) -> None:
    """Every record gives one piece, in order; none is an internal error; the output of
    the format is whole and parses."""
    context = FormatContext(root=str(folder))
    records = read_records([str(folder)])
    pieces = list(batch.run(records, options, lambda: make_encoder(fmt, context), jobs=1)
                  if jobs == 1 else
                  batch.run(records, options, _encoder_factory(fmt, str(folder)), jobs=jobs,
                            chunk_size=2))
    assert [p.index for p in pieces] == list(range(expected))
    internal = [e for p in pieces if p.internal for e in p.errors]
    assert internal == []
    assert all((p.verdict is None) == bool(p.errors) or p.verdict is not None for p in pieces)
    binary = io.BytesIO()
    out = io.TextIOWrapper(binary, encoding="utf-8") if fmt == "xlsx" else io.StringIO()
    writer = make_writer(fmt, context, out)
    summary = batch.Summary()
    for piece in pieces:
        summary.add(piece)
        writer.write(piece)
    writer.finish(summary)
    assert summary.records == expected
    assert summary.checked + summary.errors == expected
    if fmt == "xlsx":  # a binary workbook: it must open, with a sheet
        out.flush()
        assert openpyxl.load_workbook(io.BytesIO(binary.getvalue())).sheetnames
        return
    assert isinstance(out, io.StringIO)
    _parses(fmt, out.getvalue(), expected)


def _encoder_factory(fmt: str, root: str) -> Any:
    """A picklable encoder factory, for the worker processes."""
    return functools.partial(make_encoder, fmt, FormatContext(root=root))


def _parses(fmt: str, text: str, expected: int) -> None:
    if fmt == "jsonl":
        assert len(text.splitlines()) == expected
        for line in text.splitlines():
            json.loads(line)
    elif fmt == "json":
        items = json.loads(text)  # one item per record, nothing else (F4)
        assert len(items) == expected
        assert all("verdict" in i or "errors" in i for i in items)
    elif fmt == "sarif":
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text)
    elif fmt == "text":
        assert "\x1b" not in text


@settings(settings.get_profile(PROFILE), max_examples=scale(60))
@given(gen.folders(), OPTIONS, st.sampled_from(FORMATS))
def test_fuzz_readers_lose_no_record_with_jobs_1(made: list[gen.Made], options: CheckOptions,
                                                 fmt: str) -> None:
    tried("readers, --jobs 1")
    _check_folder(made, options, fmt, jobs=1)


@settings(settings.get_profile(PROFILE), max_examples=scale(6))
@given(gen.folders(), OPTIONS, st.sampled_from(FORMATS))
def test_fuzz_readers_lose_no_record_with_jobs_2(made: list[gen.Made], options: CheckOptions,
                                                 fmt: str) -> None:
    tried("readers, --jobs 2")
    _check_folder(made, options, fmt, jobs=2)


@settings(settings.get_profile(PROFILE), max_examples=scale(80))
@given(st.sampled_from(["yaml", "json", "jsonl", "csv"]), st.data())
@example("yaml", None)
def test_fuzz_any_bytes_in_any_file_give_only_govrules_errors(ext: str, data: Any) -> None:
    tried("raw bytes")
    seed = {"yaml": gen.document_file, "json": gen.json_array_file, "jsonl": gen.jsonl_file,
            "csv": gen.csv_file}[ext]
    raw = b"" if data is None else data.draw(gen.mutated_bytes(data.draw(seed())[1]))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input.{ext}"
        path.write_bytes(raw)
        pieces = list(batch.run(read_records([str(path)]), CheckOptions(cities=("guiyang",)),
                                lambda: make_encoder("jsonl", FormatContext()), jobs=1))
    assert pieces
    assert [p.index for p in pieces] == list(range(len(pieces)))
    assert [e for p in pieces if p.internal for e in p.errors] == []


@settings(settings.get_profile(PROFILE), max_examples=scale(60))
@given(gen.snapshots(max_facts=20), st.sampled_from(gen.PACK_IDS),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_fuzz_snapshot_model_and_evaluation(data: dict[str, Any], pack_id: str,
                                            day: date) -> None:
    tried("snapshot model")
    try:
        snapshot = parse_snapshot(json.loads(gen.to_json(data, ascii_only=True)))
    except GovrulesError:
        return
    report = evaluate_pack(builtin_pack(pack_id), snapshot, day, CAL, include_all=True)
    json.loads(report.model_dump_json())


@settings(settings.get_profile(PROFILE), max_examples=scale(40))
@given(gen.mutated_packs())
def test_fuzz_pack_loader_structure(text: str) -> None:
    tried("pack loader (structure)")
    _load_and_use(text)


@settings(settings.get_profile(PROFILE), max_examples=scale(30))
@given(st.sampled_from(gen.PACK_IDS), st.data())
def test_fuzz_pack_loader_bytes(pack_id: str, data: Any) -> None:
    tried("pack loader (bytes)")
    raw = (gen.REPO / "policies" / f"{pack_id}.yaml").read_bytes()
    mutated = data.draw(gen.mutated_bytes(raw))
    _load_and_use(mutated.decode("utf-8", "replace"))


def _load_and_use(text: str) -> None:
    """Load, lint and (when it loads) evaluate the pack's own examples."""
    with contextlib.suppress(GovrulesError):
        lint_document(parse_document(text, "fuzz.yaml"))
    try:
        pack = parse_pack(text, "fuzz.yaml")
    except GovrulesError:
        return
    for case in pack.examples[:3]:
        try:
            snapshot = parse_snapshot(dict(case.snapshot))
        except GovrulesError:
            continue
        evaluate_pack(pack, snapshot, case.as_of, CAL, include_all=True)
