"""The Dask example (``examples/distributed/dask_check.py``) on a local cluster gives the
lines ``govrules check --format jsonl`` writes, and loads the packs once per worker."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from benchmarks.records import write_records

from govrules.cli.main import main as cli
from govrules.io.batch import CheckOptions
from tests.conftest import REPO

distributed = pytest.importorskip(
    "dask.distributed", reason="dask is not installed (pip install 'govrules[dask]')")


def _example() -> ModuleType:
    path = REPO / "examples" / "distributed" / "dask_check.py"
    spec = importlib.util.spec_from_file_location("dask_check", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_check"] = module  # the workers find the partition function by name
    spec.loader.exec_module(module)
    return module


def _cli_lines(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    code = cli(["--no-config", "check", str(path), "--format", "jsonl", "--quiet"])
    assert code in (0, 1, 2)
    return out.getvalue().splitlines()


def test_a_local_cluster_gives_the_cli_output(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    example = _example()
    files = []
    for n in range(3):
        path = tmp_path / f"part-{n}.jsonl"
        write_records(path, 8 + n)
        files.append(str(path))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        lines = example.run(files, CheckOptions())
    want = [line for f in files for line in _cli_lines(Path(f), monkeypatch)]
    assert len(lines) == 8 + 9 + 10
    assert lines == want
    # One evaluator per worker process (here one process), reused by every partition.
    assert list(example._evaluators) == [CheckOptions()]
