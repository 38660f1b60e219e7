"""The CI examples run: every govrules command they contain, on example data."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from govrules.cli.main import main
from tests.conftest import EXAMPLE, REPO, snapshot

GITHUB = REPO / "examples" / "ci" / "github-actions.yml"
GITLAB = REPO / "examples" / "ci" / "gitlab-ci.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
DOC = REPO / "docs" / "integrations.md"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _github_commands() -> list[str]:
    steps = _load(GITHUB)["jobs"]["check"]["steps"]
    return [s["run"] for s in steps if s.get("run", "").startswith("govrules ")]


def _gitlab_commands() -> list[str]:
    job = _load(GITLAB)["govrules"]
    return [line for key in ("script", "after_script") for line in job.get(key, [])
            if line.startswith("govrules ")]


def _argv(command: str, env: dict[str, str]) -> list[str]:
    """The govrules arguments of a shell line (``|| true`` and variables handled)."""
    first = command.split("||", maxsplit=1)[0]
    for name, value in env.items():
        first = first.replace(f'"${name}"', shlex.quote(value)).replace(f"${name}", value)
    argv = shlex.split(first)
    assert argv[0] == "govrules", command
    return argv[1:]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A snapshot repository: projects/ with YAML and JSON Lines, as the examples expect."""
    monkeypatch.chdir(tmp_path)
    projects = tmp_path / "projects"
    (projects / "2025").mkdir(parents=True)
    shutil.copy(EXAMPLE, projects / "gy-017.yaml")
    (projects / "2025" / "batch.jsonl").write_text(
        "\n".join(json.dumps(snapshot(n)) for n in range(30)) + "\n", encoding="utf-8")
    return tmp_path


def _run(command: str, env: dict[str, str]) -> int:
    return main(_argv(command, env))


def test_github_actions_workflow(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow = _load(GITHUB)
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["check"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif"))
    env = {"GITHUB_STEP_SUMMARY": str(workspace / "summary.md")}
    check, summary = _github_commands()
    assert _run(check, env) == 1  # violations: the last step fails the job
    log = json.loads((workspace / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(
        encoding="utf-8"))
    jsonschema.validate(log, schema)
    assert {r["properties"]["source"].split(":")[0] for r in log["runs"][0]["results"]} == {
        os.path.join("projects", "gy-017.yaml"), os.path.join("projects", "2025", "batch.jsonl")}
    assert _run(summary, env) == 0
    assert (workspace / "summary.md").read_text(encoding="utf-8").startswith("## govrules")
    final = steps[-1]
    assert final["if"] == f"steps.{steps[-4]['id']}.outcome == 'failure'"
    assert "Traceback" not in capsys.readouterr().err


def test_gitlab_job(workspace: Path) -> None:
    job = _load(GITLAB)["govrules"]
    junit, markdown = _gitlab_commands()
    assert _run(junit, {}) == 1
    report = workspace / job["artifacts"]["reports"]["junit"]
    suites = ET.parse(report).getroot().findall("testsuite")
    assert len(suites) == 31
    assert all(s.get("tests") != "0" for s in suites)
    assert _run(markdown, {}) == 0
    for path in job["artifacts"]["paths"]:
        assert (workspace / path).exists()


def test_pre_commit_hook(workspace: Path) -> None:
    hook, lint, test = _load(HOOKS)
    assert [h["id"] for h in (hook, lint, test)] == ["govrules-check", "govrules-lint",
                                                     "govrules-test"]
    assert {"id", "name", "entry", "language", "files"} <= set(hook)
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    for name in ("projects/gy-017.yaml", "data/snapshots/x.jsonl", "projects/2025/a.csv"):
        assert pattern.search(name), name
    for name in ("README.md", "projects/notes.txt", "src/projects.py"):
        assert not pattern.search(name), name
    changed = ["projects/gy-017.yaml", "projects/2025/batch.jsonl"]
    assert _run(hook["entry"] + " " + " ".join(hook.get("args", []) + changed), {}) == 1
    ok = workspace / "projects" / "ok.yaml"
    ok.write_text("city: guiyang\nas_of: 2025-01-01\nproject: {classified: true}\n",
                  encoding="utf-8")
    assert _run(hook["entry"] + " projects/ok.yaml", {}) == 0


def test_pre_commit_hooks_for_packs(tmp_path: Path) -> None:
    """govrules-lint fails a broken pack with one line per problem; govrules-test runs
    the examples of the packs in the folder."""
    _, lint, test = _load(HOOKS)
    assert re.compile(lint["files"]).search("policies/democity.yaml")
    assert test["pass_filenames"] is False
    policies = tmp_path / "policies"
    policies.mkdir()
    pack = (REPO / "examples" / "tutorial" / "democity.yaml").read_text(encoding="utf-8")
    (policies / "democity.yaml").write_text(pack, encoding="utf-8")
    (policies / "regulation.txt").write_text(
        (REPO / "examples" / "tutorial" / "regulation.txt").read_text("utf-8"), "utf-8")
    from govrules.cli.main import main

    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main([*shlex.split(lint["entry"])[1:], "policies/democity.yaml"]) == 0
        assert main(shlex.split(test["entry"])[1:]) == 0
        broken = pack.replace("contract.signed_on", "contract.signd_on", 1)
        (policies / "democity.yaml").write_text(broken, encoding="utf-8")
        assert main([*shlex.split(lint["entry"])[1:], "policies/democity.yaml"]) == 2
    finally:
        os.chdir(cwd)


def test_every_command_line_parses() -> None:
    """The flags the examples use exist (argparse exits 2 on an unknown one)."""
    from govrules.cli.main import _parser

    env = {"GITHUB_STEP_SUMMARY": "summary.md"}
    commands = [*_github_commands(), *_gitlab_commands(), _load(HOOKS)[0]["entry"] + " x.yaml"]
    assert len(commands) == 5
    for command in commands:
        _parser().parse_args(_argv(command, env))


@pytest.mark.parametrize("path", [GITHUB, GITLAB, HOOKS], ids=lambda p: p.name)
def test_docs_show_the_examples_as_they_are(path: Path) -> None:
    assert path.read_text(encoding="utf-8").strip() in DOC.read_text(encoding="utf-8")
