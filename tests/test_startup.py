"""Start-up: ``--version`` and ``--help`` import no subcommand, pydantic or PyYAML; a run
imports only the subcommand it runs; the table of subcommands matches their modules."""

from __future__ import annotations

import subprocess
import sys

import pytest

from govrules.cli import SUBCOMMANDS, command_module, commands
from tests.conftest import EXAMPLE

_PROBE = """
import sys
from govrules.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules
                if m.startswith(("govrules.cli.", "govrules.io.formats.", "pydantic", "yaml")))
print("LOADED", " ".join(loaded), file=sys.stderr)
"""


def _loaded(*argv: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True,
                            text=True, timeout=120, check=False)
    line = next(x for x in result.stderr.splitlines() if x.startswith("LOADED"))
    return set(line.split()[1:])


@pytest.mark.parametrize(("argv", "allowed"), [
    (("--version",), {"govrules.cli.main"}),  # printed before argparse is imported
    (("--help",), {"govrules.cli.main", "govrules.cli._parser"}),
])
def test_version_and_help_import_nothing_heavy(argv: tuple[str, ...],
                                               allowed: set[str]) -> None:
    loaded = _loaded(*argv)
    assert not {m for m in loaded if m.startswith(("pydantic", "yaml"))}, loaded
    assert loaded <= allowed, loaded


def test_version_needs_no_argument_parser() -> None:
    probe = ("import sys; sys.argv = ['govrules', '--version']\n"
             "from govrules.cli.main import main\n"
             "code = main()\n"
             "print('ARGPARSE', 'argparse' in sys.modules, code, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.stdout.strip().startswith("govrules ")
    assert "ARGPARSE False 0" in result.stderr


@pytest.mark.parametrize(("fmt", "modules"), [
    ("text", {"plain"}), ("jsonl", {"plain"}), ("sarif", {"sarif"}), ("junit", {"junit"}),
])
def test_a_check_imports_only_the_formats_it_writes(fmt: str, modules: set[str]) -> None:
    loaded = _loaded("--no-config", "check", str(EXAMPLE), "--format", fmt)
    formats = {m.removeprefix("govrules.io.formats.") for m in loaded
               if m.startswith("govrules.io.formats.")}
    shared = {"common", "multi", "render", "escape"}  # what every format writer may use
    assert modules <= formats, formats
    assert formats - shared <= modules, formats - shared


def test_a_run_imports_only_its_subcommand() -> None:
    loaded = _loaded("--no-config", "packs")
    assert "govrules.cli.packs" in loaded
    others = {f"govrules.cli.{module}" for name, module, _ in SUBCOMMANDS if name != "packs"}
    assert not loaded & others, loaded & others


def test_help_lists_every_subcommand_with_its_modules_help() -> None:
    result = subprocess.run([sys.executable, "-m", "govrules", "--help"], capture_output=True,
                            text=True, timeout=120, check=True)
    text = " ".join(result.stdout.split())
    for name, _, summary in SUBCOMMANDS:
        assert f"{name} {' '.join(summary.split())}" in text


def test_the_table_matches_the_modules() -> None:
    for name, _, summary in SUBCOMMANDS:
        module = command_module(name)
        assert (name, summary) == (module.NAME, module.HELP)
    assert len(commands()) == len(SUBCOMMANDS)
