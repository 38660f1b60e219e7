"""The tutorial cannot rot: its pack lints and passes, its excerpts and commands are real."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from govrules.cli.main import main
from govrules.model.pack import normalise_ws
from govrules.tools.lint import lint_file
from govrules.tools.testsuite import run_suite
from tests.conftest import REPO

PAGES = {"en": "tutorial.md", "zh": "tutorial.zh.md"}
"""The tutorial in English and in Chinese: both are run, the Chinese one in Chinese."""
FOLDER = REPO / "examples" / "tutorial"
BLOCKS_OF = {lang: re.findall(r"```(\w+)\n(.*?)```",
                              (REPO / "docs" / page).read_text(encoding="utf-8"), re.DOTALL)
             for lang, page in PAGES.items()}
BLOCKS = BLOCKS_OF["en"]


def test_the_pack_lints_clean_against_its_source() -> None:
    result = lint_file(FOLDER / "democity.yaml", source=FOLDER / "regulation.txt")
    assert result.diagnostics == ()


def test_the_examples_and_tests_pass_with_full_coverage() -> None:
    suite = run_suite([FOLDER])
    assert suite.problems == []
    assert suite.failures == 0
    assert [r.coverage.percent for r in suite.packs if r.coverage] == [100.0]


@pytest.mark.parametrize("block", [b for blocks in BLOCKS_OF.values() for lang, b in blocks
                                   if lang == "yaml" and b.startswith("# examples/")],
                         ids=lambda b: b.splitlines()[1].strip()[:40])
def test_yaml_excerpts_are_from_the_real_files(block: str) -> None:
    name, _, body = block.partition("\n")
    text = (REPO / name.removeprefix("# ").strip()).read_text(encoding="utf-8")
    assert normalise_ws(body) in normalise_ws(text)


# `govrules lint democity.yaml` lints the skeleton that new-pack writes: run with it below.
COMMANDS = [(page, line.removeprefix("$ ")) for page, blocks in BLOCKS_OF.items()
            for lang, b in blocks if lang == "sh"
            for line in b.splitlines() if line.startswith("$ govrules ")
            and line != "$ govrules lint democity.yaml"]


def test_both_languages_run_the_same_commands() -> None:
    assert [c for p, c in COMMANDS if p == "en"] == [c for p, c in COMMANDS if p == "zh"]


@pytest.mark.parametrize(("page", "command"), COMMANDS,
                         ids=lambda c: " ".join(c.split()[1:3]) if " " in c else c)
def test_commands_run(page: str, command: str, capsys: pytest.CaptureFixture[str],
                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = shlex.split(command)[1:]
    monkeypatch.chdir(REPO)
    monkeypatch.setenv("GOVRULES_LANG", page)
    BLOCKS = BLOCKS_OF[page]  # noqa: N806 - the page's own blocks
    if args[0] == "new-pack":  # write the skeleton elsewhere, then lint it as step 1 does
        target = tmp_path / args[args.index("--out") + 1]
        args[args.index("--out") + 1] = str(target)
        assert main(args) == 0
        assert main(["lint", str(target)]) == 0
        out = capsys.readouterr().out
        shown = [b for lang, b in BLOCKS if lang == "sh" and "$ govrules lint democity" in b]
        first = shown[0].splitlines()[1]
        assert os.path.basename(first.split(":")[0]) == "democity.yaml"
        assert first.split(":", 1)[1] in out
        return
    assert main(args) == 0
    out = capsys.readouterr().out
    if args[0] == "lint":  # the Chinese page runs in Chinese
        assert ("已检查 1 个规则包" in out) == (page == "zh")
