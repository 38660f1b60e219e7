"""A bounded load test against 127.0.0.1: concurrent clients post snapshots for a while;
no response may fail, go missing or carry another request's snapshot.

The short variant runs in ``make test``; ``make load-test`` runs the full one (32 clients,
30 s) and prints throughput and p50/p99 latency.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.service.conftest import EXAMPLES, start_server, stop_server


def _bodies() -> list[tuple[str, bytes, str]]:
    """(snapshot id, JSON body, '') per example."""
    out = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((str(data.get("id")), json.dumps(data, default=str,
                                                    ensure_ascii=False).encode(), ""))
    return out


def run_load(url: str, clients: int, seconds: float) -> dict[str, float]:
    samples = _bodies()
    expected: dict[str, str] = {}
    for sid, body, _ in samples:  # the verdict each snapshot must get, asked once
        response = httpx.post(url + "/v1/check", content=body, timeout=60,
                              headers={"Content-Type": "application/json"})
        expected[sid] = response.json()["results"][0]["verdict"]
    latencies: list[float] = []
    failures: list[str] = []
    sent = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            i = number
            while time.monotonic() < stop:
                sid, body, _ = samples[i % len(samples)]
                unique = f"{sid}#{number}-{i}"
                payload = body.replace(json.dumps(sid).encode(), json.dumps(unique).encode(), 1)
                start = time.perf_counter()
                try:
                    response = http.post("/v1/check", content=payload,
                                         headers={"Content-Type": "application/json"})
                    elapsed = time.perf_counter() - start
                    result = response.json()["results"][0]
                    problem = None
                    if response.status_code != 200:
                        problem = f"status {response.status_code}"
                    elif result.get("snapshot_id") != unique:
                        problem = f"mixed up: sent {unique}, got {result.get('snapshot_id')}"
                    elif result["verdict"] != expected[sid]:
                        problem = f"{unique}: verdict {result['verdict']}"
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    elapsed, problem = time.perf_counter() - start, repr(exc)
                with lock:
                    sent[0] += 1
                    latencies.append(elapsed)
                    if problem:
                        failures.append(problem)
                i += clients

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()
    assert not failures, failures[:5]
    assert len(latencies) == sent[0] > 0  # every request got its response
    return {"clients": clients, "seconds": round(wall, 1), "requests": sent[0],
            "failures": len(failures), "throughput_rps": round(sent[0] / wall, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1)}


def _run(tmp_path: Path, clients: int, seconds: float) -> dict[str, float]:
    srv = start_server(tmp_path, "--db", str(tmp_path / "load.sqlite3"))
    try:
        figures = run_load(srv.url, clients, seconds)
    finally:
        stop_server(srv)
    print("\nservice load:", json.dumps(figures))
    return figures


def test_short_load(tmp_path: Path) -> None:
    figures = _run(tmp_path, 8, 4)
    assert figures["requests"] >= 8


@pytest.mark.load
def test_full_load(tmp_path: Path) -> None:
    seconds = float(os.environ.get("GOVRULES_LOAD_SECONDS", "30"))
    figures = _run(tmp_path, 32, seconds)
    out = os.environ.get("GOVRULES_LOAD_OUT")
    if out:
        Path(out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
