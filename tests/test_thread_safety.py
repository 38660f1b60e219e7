"""One compiled pack shared by many threads on the native path gives the results one
thread gives (the durable path has the same test in ``test_backends.py``)."""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from govrules.base.calendar import Calendar
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import builtin_pack, builtin_pack_ids
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, parse_snapshot

CAL = Calendar.default()
THREADS = 8


def _cases() -> list[tuple[str, Snapshot, date]]:
    """Built-in examples (every fourth), on their own date and a year later."""
    out = []
    for pack_id in builtin_pack_ids():
        for example in builtin_pack(pack_id).examples[::4]:
            snapshot = parse_snapshot(dict(example.snapshot))
            for shift in (0, 400):
                out.append((pack_id, snapshot, example.as_of + timedelta(days=shift)))
    return out


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads every 50 µs (100 times as often as usual), so that unsafe sharing
    shows up."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(5e-5)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("fast_switching")
def test_native_threads_share_one_compiled_pack() -> None:
    cases = _cases()
    packs = {pack_id: builtin_pack(pack_id) for pack_id in builtin_pack_ids()}
    expected = [evaluate_pack(packs[p], s, d, CAL, include_all=True) for p, s, d in cases]
    results: dict[int, list[tuple[int, Report]]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(worker: int) -> None:
        order = list(range(len(cases)))
        random.Random(worker).shuffle(order)
        barrier.wait()  # all threads start together
        try:
            results[worker] = [(i, evaluate_pack(packs[cases[i][0]], cases[i][1], cases[i][2],
                                                 CAL, include_all=True)) for i in order]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == THREADS
    mismatches = [(n, cases[i][0], cases[i][1].id) for n, got in results.items()
                  for i, report in got if report != expected[i]]
    assert mismatches == []
