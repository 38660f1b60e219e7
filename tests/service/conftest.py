"""Fixtures of the service tests: a real server process, a real PostgreSQL cluster."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def client(self, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, **kwargs)  # type: ignore[arg-type]


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """``govrules serve`` in its own process on a free port; waits until it answers."""
    port = free_port()
    log = tmp / f"serve-{port}.log"
    environ = {**os.environ, **(env or {})}
    if "GOVRULES_TOKEN" not in (env or {}):
        environ.pop("GOVRULES_TOKEN", None)
    handle = open(log, "wb")  # noqa: SIM115 - the server's log, closed with the process
    process = subprocess.Popen([sys.executable, "-m", "govrules", "serve", "--port", str(port),
                                "--log-level", "warning", *args], stdout=handle,
                               stderr=subprocess.STDOUT, env=environ)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return Server(url, process, log)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(20)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server (SQLite store in a temp folder, a write token) for the API tests."""
    tmp = tmp_path_factory.mktemp("serve")
    token = tmp / "token"
    token.write_text("s3cret-token\n")
    srv = start_server(tmp, "--db", str(tmp / "store.sqlite3"), "--token-file", str(token),
                       "--max-body", "200000", "--max-records", "50", "--time-limit", "20")
    yield srv
    stop_server(srv)


# -- PostgreSQL ---------------------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    return None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster in a temp folder (initdb + pg_ctl), its URL.

    As root (CI), the cluster runs as the ``postgres`` user, since PostgreSQL refuses to
    run as root. Skipped, with the reason, only where the server binaries are missing.
    """
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: "
                    "make test-deps installs Debian's postgresql")
    root = Path(tempfile.mkdtemp(prefix="govrules-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        root.chmod(0o755)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run([*prefix, initdb, "-D", str(data), "--auth=trust", "-U", "postgres",
                    "--encoding=UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                    f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], check=False,
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
