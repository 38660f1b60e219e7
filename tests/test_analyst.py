"""The review's analyst and CI friction points (usability.md F7-F25), from their
reproductions: errors that teach, short CI formats, common flags, new-pack."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from govrules.base import i18n
from govrules.base.loader import load_document
from govrules.cli.main import main
from govrules.tools.lint import lint_file
from govrules.tools.schemas import pack_files_schema
from tests.conftest import REPO

TUTORIAL = REPO / "examples" / "tutorial"
GOLDEN = REPO / "tests" / "data" / "golden"
SEEDS = REPO.parent / "shared" / "seeds"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    for name in ("democity.yaml", "regulation.txt"):
        shutil.copy(TUTORIAL / name, tmp_path / name)
    return tmp_path / "democity.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- errors that teach --------------------------------------------------------------------


def test_f7_a_missing_field_is_named_in_text_output(
        pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(pack, """    message:
      zh: 本办法只适用于使用财政资金的非涉密项目。
      en: The measures cover only non-classified projects funded by the city budget.
""", "")
    code, out, _ = cli(capsys, "lint", str(pack))
    assert code == 2
    assert "pack-missing-field: missing field 'message' in scope[0]" in out


def test_f8_a_colon_in_a_plain_value_gets_a_quoting_hint(
        pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(pack, 'summary: "Scope: non-classified', 'summary: Scope: non-classified')
    _edit(pack, 'funded by the city."', "funded by the city.")
    code, out, _ = cli(capsys, "lint", str(pack))
    assert code == 2
    assert "yaml-syntax" in out
    assert "must be quoted" in out


def test_f9_every_diagnostic_shows_its_line_with_a_caret(
        pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(pack, "applies_when: contract.custom_software",
          "applies_when: contract.custom_sofware")
    code, out, _ = cli(capsys, "lint", str(pack))
    assert code == 2
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "expr-unknown-fact" in line)
    number = lines[at].split(":")[1]
    assert lines[at + 2].strip().startswith(f"{number} |")
    source, caret = lines[at + 2], lines[at + 3]
    assert source[caret.index("^"):].startswith("contract.custom_sofware")


def test_f9_the_caret_counts_chinese_characters_twice(tmp_path: Path) -> None:
    from govrules.base.excerpt import excerpt
    from govrules.base.loader import Span

    file = tmp_path / "x.yaml"
    file.write_text("title: 合同备案 x\n", encoding="utf-8")
    _, line, caret = excerpt(Span(str(file), 1, 13))
    assert line.endswith("合同备案 x")
    assert caret.index("^") - caret.index("|") == line.index("x") + 4 - line.index("|")


def test_f9_money_written_as_text_gets_a_money_hint(pack: Path) -> None:
    _edit(pack, "violated_when: contract.ip_owner != 'owner'",
          "violated_when: contract.amount > '500万元'")
    (d,) = [d for d in lint_file(pack).diagnostics if d.code == "expr-type"]
    assert d.hint is not None
    assert "5000000" in d.hint


@pytest.mark.parametrize(("old", "new", "says"), [
    ("5个工作日内，将合同", "5个工作日内,将合同", "','"),          # half-width comma
    ("项目建设单位应当自合同签订", "项目建设单位应自合同签订", "'自'"),  # a dropped 当
    ("之日起5个工作日内", "之日起10个工作日内", "'1'"),             # 5 -> 10
])
def test_f10_a_quote_that_is_not_verbatim_shows_where_it_differs(
        pack: Path, old: str, new: str, says: str) -> None:
    text = pack.read_text(encoding="utf-8")
    start = text.index("    quote: 项目建设单位应当自合同签订")
    line_end = text.index("\n", start)
    pack.write_text(text[:start] + text[start:line_end].replace(old, new) + text[line_end:],
                    encoding="utf-8")
    (d,) = [d for d in lint_file(pack, source=pack.parent / "regulation.txt").diagnostics
            if "quote" in d.code]  # reported once, not again as not in the source
    assert d.code == "pack-quote-not-in-article"
    assert d.hint is not None
    assert "closest passage" in d.hint
    assert "first difference at character" in d.hint
    assert says in d.hint
    if says == "','":
        assert "full-width" in d.hint


def test_f10_a_quote_of_another_article_names_it(pack: Path) -> None:
    _edit(pack, "    article: 3\n    quote: 定制开发", "    article: 2\n    quote: 定制开发")
    _edit(pack, "democity.3.custom-software-ip\n    article: 2",
          "democity.2.custom-software-ip\n    article: 2")
    found = [d for d in lint_file(pack).diagnostics if d.code == "pack-quote-not-in-article"]
    assert found
    assert found[0].hint == "the quote is in 第三条: did you mean article: 3?"


def test_f16_placeholders_are_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "p.yaml"
    assert main(["new-pack", "p", "--out", str(target), "-q"]) == 0
    placeholders = [d for d in lint_file(target).diagnostics if d.code == "lint-placeholder"]
    assert {d.severity for d in placeholders} == {"warning"}
    assert any(d.message.endswith("pack.title.zh") for d in placeholders)
    assert any("summary" in d.message for d in placeholders)
    assert not [d for d in lint_file(TUTORIAL / "democity.yaml").diagnostics
                if d.code == "lint-placeholder"]
    capsys.readouterr()


# -- new-pack and docs -----------------------------------------------------------------


def test_f12_docs_documents_ones_own_pack(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.md"
    code, _, _ = cli(capsys, "docs", str(TUTORIAL / "democity.yaml"), "-o", str(page))
    assert code == 0
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# 示例市政务信息化项目合同管理办法")
    assert "democity.2.contract-filed" in text


def test_f13_new_pack_writes_where_told_never_into_the_built_in_packs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(REPO)  # the repository root has policies/: still not written there
    from govrules.cli.new_pack import builtin_folder

    code, _, err = cli(capsys, "new-pack", "demo2", "--out",
                       str(builtin_folder() / "demo2.yaml"))
    assert code == 2
    assert "new-pack-builtin" in err
    assert not (builtin_folder() / "demo2.yaml").exists()
    monkeypatch.chdir(tmp_path)
    assert main(["new-pack", "demo2", "-q"]) == 0
    assert (tmp_path / "demo2.yaml").is_file()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs the shared seeds")
def test_f14_repeated_article_runs_are_warned_and_header_metadata_filled(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (guiyang,) = SEEDS.glob("002_*.txt")
    code, _, err = cli(capsys, "new-pack", "gy2", "--from-text", str(guiyang), "--out",
                       str(tmp_path / "gy2.yaml"))
    assert code == 0
    assert "2 runs of articles start at 第一条" in err
    assert "--start 第一条 --last" in err
    (taiyuan,) = SEEDS.glob("000_*.txt")
    code, _, err = cli(capsys, "new-pack", "ty", "--from-text", str(taiyuan), "--out",
                       str(tmp_path / "ty.yaml"))
    assert code == 0
    assert "runs of articles" not in err
    meta = load_document(tmp_path / "ty.yaml").data["pack"]
    assert meta["doc_number"] == "并政办发〔2020〕44号"
    assert str(meta["issued"]) == "2020-11-27"
    assert meta["title"]["zh"] == "太原市大数据应用平台项目建设管理试行办法"


def test_f15_one_schema_for_packs_amendments_vocabularies_and_tests(
        tmp_path: Path) -> None:
    schema = pack_files_schema()
    assert schema["$id"] == "urn:govrules:schema:pack-files"
    validator = jsonschema.Draft202012Validator(schema)
    files = [TUTORIAL / "democity.yaml", TUTORIAL / "tests.yaml",
             *sorted((REPO / "examples" / "amendments").glob("*.yaml"))]
    for file in files:
        data = json.loads(json.dumps(load_document(file).data, default=str))
        errors = list(validator.iter_errors(data))
        assert errors == [], (file, errors[:1])
    assert not validator.is_valid({"extends": "guiyang", "rulez": []})
    assert not validator.is_valid({"pack": {}, "amendments": []})
    target = tmp_path / "p.yaml"
    assert main(["new-pack", "p", "--out", str(target), "-q"]) == 0
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=govrules-pack.schema.json"
    written = json.loads((tmp_path / "govrules-pack.schema.json").read_text("utf-8"))
    assert written == json.loads(json.dumps(schema))


# -- CI output --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["concise", "github"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_f18_concise_and_github_golden(capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, fmt: str,
                                       lang: str) -> None:
    monkeypatch.chdir(GOLDEN)
    code, out, err = cli(capsys, "check", "projects", "--policy",
                         str(TUTORIAL / "democity.yaml"), "--format", fmt, "--lang", lang,
                         "-q")
    assert code == 2  # one record has a misspelt fact
    assert out == (GOLDEN / f"check.{fmt}.{lang}.txt").read_text(encoding="utf-8")
    assert "snapshot-unknown-field" in err


def test_f18_github_escapes_percent_newlines_and_property_separators() -> None:
    from govrules.io.formats.github import escape_data, escape_property

    assert escape_data("10%\nnext") == "10%25%0Anext"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_f21_fail_on_undetermined(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", str(GOLDEN / "projects" / "open.yaml"), "--policy",
            str(TUTORIAL / "democity.yaml"), "-q"]
    assert cli(capsys, *args)[0] == 0
    assert cli(capsys, *args, "--fail-on-undetermined")[0] == 1
    assert cli(capsys, *args, "--fail-on-undetermined", "--fail-on", "never")[0] == 0


def test_f22_several_outputs_from_one_run(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    sarif, summary = tmp_path / "out.sarif", tmp_path / "summary.md"
    code, out, _ = cli(capsys, "check", str(GOLDEN / "projects" / "late.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml"), "--format", f"sarif:{sarif}",
                       "--format", f"markdown:{summary}", "--format", "concise", "-q")
    assert code == 1
    assert len(json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]) == 3
    assert "democity.4.export-assessed" in summary.read_text(encoding="utf-8")
    assert len(out.splitlines()) == 3
    assert not list(tmp_path.glob(".*"))  # no temporary files left
    code, _, err = cli(capsys, "check", str(GOLDEN / "projects" / "late.yaml"), "--format",
                       "json", "--format", "concise")
    assert code == 2
    assert "bad-option" in err
    with pytest.raises(SystemExit):
        main(["check", "x.yaml", "--format", "nope:x"])


def test_f23_junit_booleans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "check", str(GOLDEN / "projects" / "late.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml"), "--format", "junit")
    assert code == 1
    values = {p.get("value") for p in ET.fromstring(out).iter("property")
              if p.get("name") == "binding"}
    assert values == {"true"}


@pytest.mark.parametrize("command", [
    ["lint", str(TUTORIAL / "democity.yaml")],
    ["test", str(TUTORIAL)],
    ["show", str(TUTORIAL / "democity.yaml")],
    ["packs"],
    ["schema", "report"],
    ["explain", str(TUTORIAL / "project.yaml"), "--policy", str(TUTORIAL / "democity.yaml"),
     "--rule", "democity.2.contract-filed"],
    ["docs", str(TUTORIAL / "democity.yaml")],
])
def test_f24_common_flags_on_every_printing_subcommand(
        command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.txt"
    code = main([*command, "-q", "--lang", "zh", "-o", str(target)])
    assert code in (0, 1)
    capsys.readouterr()


def test_f24_quiet_lint_and_test_print_only_problems(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "lint", "-q", str(TUTORIAL / "democity.yaml")) == (0, "", "")
    assert cli(capsys, "test", "-q", str(TUTORIAL)) == (0, "", "")


def test_lint_concise_and_github(pack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(pack, "applies_when: contract.custom_software",
          "applies_when: contract.custom_sofware")
    code, out, _ = cli(capsys, "lint", str(pack), "--format", "concise")
    (line,) = out.splitlines()
    assert code == 2
    assert line.startswith(f"{pack}:")
    assert ": expr-unknown-fact [error] no fact 'contract.custom_sofware'" in line
    code, out, _ = cli(capsys, "lint", str(pack), "--format", "github")
    assert out.startswith(f"::error file={pack},line=")
    assert ",title=expr-unknown-fact::" in out


def test_test_concise_names_the_failing_case(pack: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _edit(pack, "      democity.4.export-assessed: violated",
          "      democity.4.export-assessed: satisfied")
    code, out, _ = cli(capsys, "test", str(pack), "--format", "concise")
    assert code == 1
    (line,) = out.splitlines()
    assert "test-failed [error] data sent abroad, assessed after signing [democity]" in line
    assert "expected satisfied, got violated" in line


# -- language -------------------------------------------------------------------------------


@pytest.mark.parametrize(("env", "expected"), [
    ({"GOVRULES_LANG": "zh"}, "zh"), ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"), ({"LANG": "C"}, "en"),
    ({"LANGUAGE": "zh_TW:en"}, "zh"), ({}, "en"),
])
def test_language_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                             env: dict[str, str], expected: str) -> None:
    for name in ("GOVRULES_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    i18n.set_language(None)
    assert i18n.language() == expected
    i18n.set_language("en" if expected == "zh" else "zh")  # --lang wins
    assert i18n.language() != expected
    i18n.set_language(None)


def test_a_chinese_locale_gets_chinese_summaries(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("GOVRULES_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    i18n.set_language(None)
    code, out, _ = cli(capsys, "lint", str(TUTORIAL / "democity.yaml"))
    assert (code, out) == (0, "已检查 1 个规则包：0 个错误，0 个警告\n")


def test_f17_explain_prints_balanced_parts_and_the_deadline_in_its_own_terms(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "explain", str(TUTORIAL / "project.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml"), "--rule", "democity.2.contract-filed")
    assert code == 0
    for line in out.splitlines():
        text = line.split(" = ")[0]
        assert text.count("(") == text.count(")"), line
    assert "due date: working_days_after(contract.signed_on, 5)" in out
    assert "done on: contract.filed_on" in out
    assert "overdue on 2025-03-31: yes: not recorded as done, due 2025-03-10" in out
    code, out, _ = cli(capsys, "explain", str(GOLDEN / "projects" / "late.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml"), "--rule", "democity.2.contract-filed")
    assert "late: yes: done 2025-03-12, due 2025-03-10" in out
    code, out, _ = cli(capsys, "explain", str(GOLDEN / "projects" / "late.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml"), "--rule", "democity.4.export-assessed")
    for line in out.splitlines():
        text = line.split(" = ")[0]
        assert text.count("(") == text.count(")"), line


def test_f1_the_readme_sample_is_the_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Each run of lines between the README's ``...`` is in the output, in order."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n$ govrules check ")
    block = readme[start + len("```text\n"):readme.index("```", start + 8)].splitlines()
    command = block[0].removeprefix("$ govrules ").split()
    code, out, _ = cli(capsys, *command)
    assert code == 1
    lines, at = out.splitlines(), 0
    segments: list[list[str]] = [[]]
    for line in block[1:]:
        if line == "...":
            segments.append([])
        else:
            segments[-1].append(line)
    for segment in (s for s in segments if s):
        n = len(segment)
        found = next((i for i in range(at, len(lines) - n + 1) if lines[i:i + n] == segment),
                     None)
        assert found is not None, segment[0]
        at = found + n


def test_f30_the_docs_index_sends_ci_users_to_the_exit_codes() -> None:
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if "running checks in CI" in line)
    assert "integrations.md#exit-codes" in row
    assert "## Exit codes" in (REPO / "docs" / "integrations.md").read_text(encoding="utf-8")


def test_f3_one_error_family_from_every_entry_point() -> None:
    import govrules

    assert {"Diagnostic", "InputError", "parse_snapshot", "parse_pack"} <= set(govrules.__all__)
    with pytest.raises(govrules.SnapshotError) as err:
        govrules.parse_snapshot({"contract": {"signd_on": "2025-03-01"}})
    (d,) = err.value.diagnostics
    assert isinstance(d, govrules.Diagnostic)
    assert (d.code, d.path) == ("snapshot-unknown-field", "contract.signd_on")
    with pytest.raises(govrules.GovrulesError):
        govrules.parse_pack("pack: [")


# -- config file and completion ----------------------------------------------------------


def test_a_config_file_gives_defaults_the_command_line_overrides(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(TUTORIAL / "democity.yaml", tmp_path / "democity.yaml")
    shutil.copy(GOLDEN / "projects" / "late.yaml", tmp_path / "late.yaml")
    (tmp_path / "sub").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.govrules]\npolicy = ["democity.yaml"]\nformat = ["concise"]\nlang = "zh"\n'
        'fail-on = "never"\n\n[tool.govrules.lint]\nstrict = true\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path / "sub")  # found in a parent; paths relative to the file
    code, out, _ = cli(capsys, "check", "../late.yaml", "-q")
    assert code == 0
    assert len(out.splitlines()) == 3
    assert "合同未在签订后5个工作日内" in out
    assert cli(capsys, "check", "../late.yaml", "-q", "--fail-on", "error")[0] == 1
    assert cli(capsys, "--no-config", "check", "../late.yaml", "-q")[0] == 2  # no city
    (tmp_path / "govrules.toml").write_text('fail-onn = "never"\n', encoding="utf-8")
    code, _, err = cli(capsys, "check", "../late.yaml")
    assert code == 2
    assert "config-unknown-key" in err
    assert "did you mean 'fail-on'?" in err
    (tmp_path / "govrules.toml").write_text('[lint]\nstrict = "yes"\n', encoding="utf-8")
    code, _, err = cli(capsys, "lint", "../democity.yaml")
    assert code == 2
    assert "config-value" in err


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "completion", shell)
    assert code == 0
    for word in ("check", "lint", "new-pack", "fail-on-undetermined", "concise"):
        assert word in out


def test_bash_completion_completes_subcommands_and_choices(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    script = tmp_path / "c.bash"
    assert main(["completion", "bash", "-o", str(script)]) == 0
    probe = (f'source {script}; COMP_WORDS=(govrules li); COMP_CWORD=1; _govrules; '
             'echo "${COMPREPLY[@]}"; COMP_WORDS=(govrules lint --format ""); COMP_CWORD=3; '
             '_govrules; echo "${COMPREPLY[@]}"')
    result = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    first, second = result.stdout.splitlines()
    assert first == "lint"
    assert second.split() == ["text", "json", "concise", "github"]


# -- terminal output --------------------------------------------------------------------


def test_f19_text_wraps_by_display_width(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from govrules.base.terminal import display_width

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, _ = cli(capsys, "check", str(REPO / "examples" / "shangrao-project.yaml"))
    assert code == 1
    wrapped = [line for line in out.splitlines() if line.startswith(("  「", "      "))]
    assert wrapped
    assert max(display_width(line) for line in wrapped) <= 60
    assert "\x1b[" not in out  # not a terminal: no colour


def test_f19_colour_honours_no_color_and_force_color(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from govrules.base.terminal import colour_enabled

    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, out, _ = cli(capsys, "check", str(GOLDEN / "projects" / "late.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml"))
    assert code == 1
    assert "\x1b[31;1m✗ VIOLATED\x1b[0m" in out
    monkeypatch.setenv("NO_COLOR", "1")
    assert colour_enabled(__import__("sys").stdout) is False


def test_f19_packs_columns_align_after_chinese_document_numbers(
        capsys: pytest.CaptureFixture[str]) -> None:
    from govrules.base.terminal import display_width

    code, out, _ = cli(capsys, "packs")
    assert code == 0
    starts = set()
    for line in out.splitlines():
        title = line.split()[-1]
        starts.add(display_width(line[:line.rindex(title)]))
    assert len(starts) == 1


def test_f20_progress_bar_with_total_and_eta() -> None:
    from govrules.io.progress import Progress, count_records

    progress = Progress(__import__("io").StringIO(), enabled=True, total=200)
    line = progress.line(50, 1, progress.start + 10)
    assert "[#####---------------] 50/200 records  25%" in line
    assert "ETA 0:30" in line
    assert line.endswith("1 error")
    assert Progress(__import__("io").StringIO(), enabled=True).line(
        3, 2, 1e12).endswith("3 records · 0/s · 2 errors")
    assert count_records([str(GOLDEN / "projects" / "late.yaml")] * 3) == 3
    assert count_records(["-"]) is None


# -- fmt ------------------------------------------------------------------------------------

MESSY = """\
# a pack written by hand
pack:
  version: "1.0.0"
  id: democity   # the id
  city: {en: Demo City, zh: 示例市}
  title:
    zh: 示例市政务信息化项目合同管理办法
    en: Demo City Measures on Contracts of Government IT Projects
  issuer: {zh: 示例市人民政府, en: Demo City Government}
  effective: 2025-01-01
  doc_number:
  status: in_force
  source: regulation.txt

rules:
- quote: 项目建设单位应当自合同签订之日起5个工作日内，将合同报市大数据局备案
  # the filing deadline
  id: democity.2.contract-filed
  article: 2
  deadline:
    after: contract.signed_on
    within: {working_days: 5}
    done_on: contract.filed_on
  message:
    en: Not filed within 5 working days (by {due}).
    zh: 合同未在签订后5个工作日内(截止{due})报市大数据局备案。

articles:
- label: 第二条
  number: 2
  text: 项目建设单位应当自合同签订之日起5个工作日内，将合同报市大数据局备案。
  summary: The owner files the contract within 5 working days of signing.
"""


def test_fmt_puts_a_pack_in_canonical_form_keeping_comments(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("ruamel.yaml")
    pack = tmp_path / "democity.yaml"
    pack.write_text(MESSY, encoding="utf-8")
    before = load_document(pack).data
    assert cli(capsys, "fmt", str(pack), "--check")[0] == 1
    assert pack.read_text(encoding="utf-8") == MESSY  # --check writes nothing
    code, out, _ = cli(capsys, "fmt", str(pack), "--diff")
    assert code == 1
    assert out.startswith(f"--- {pack}")
    assert cli(capsys, "fmt", str(pack))[0] == 0
    text = pack.read_text(encoding="utf-8")
    assert load_document(pack).data == before
    for comment in ("# a pack written by hand", "# the id", "# the filing deadline"):
        assert comment in text
    assert "  id: democity   # the id\n  version:" in text
    assert "  - id: democity.2.contract-filed\n    article: 2\n    quote:" in text
    assert "city: {zh: 示例市, en: Demo City}" in text
    assert "doc_number: null" in text
    assert "  - number: 2\n    label: 第二条" in text
    assert cli(capsys, "fmt", str(pack), "--check")[0] == 0  # idempotent


def test_fmt_leaves_a_formatted_pack_alone(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("ruamel.yaml")
    code, out, _ = cli(capsys, "fmt", "--check", str(TUTORIAL / "democity.yaml"))
    assert (code, out) == (0, "0 files would be reformatted\n")


# -- spreadsheets -----------------------------------------------------------------------


def test_xlsx_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A register in Excel (paths or Chinese descriptions as headers) is checked row by
    row, each record placed at its sheet and row; the findings come back as a workbook."""
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import date

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目台账"
    sheet.append(["记录编号", "city", "funding.source", "project.classified",
                  "contract.signed_on", "contract.filed_on"])
    sheet.append(["GY-1", "guiyang", "fiscal", False, date(2025, 3, 3), date(2025, 3, 5)])
    sheet.append([])
    sheet.append(["GY-2", "guiyang", "fiscl", False, date(2025, 3, 3), None])
    register = tmp_path / "register.xlsx"
    book.save(register)
    out = tmp_path / "findings.xlsx"
    code, _, err = cli(capsys, "check", str(register), "--as-of", "2025-06-30", "--format",
                       f"xlsx:{out}", "--format", "concise", "-q")
    assert code == 2  # GY-2 has a bad value
    assert f"{register}!项目台账:4" in err
    assert "snapshot-value" in err
    result = openpyxl.load_workbook(out)
    assert result.sheetnames == ["记录 records", "发现 findings", "错误 errors"]
    records = list(result["记录 records"].iter_rows(values_only=True))
    assert records[1][:4] == (f"{register}!项目台账:2", "GY-1", "guiyang", records[1][3])
    assert len(records) == 2
    errors = list(result["错误 errors"].iter_rows(values_only=True))
    assert errors[1][0] == f"{register}!项目台账:4"
    findings = list(result["发现 findings"].iter_rows(values_only=True))
    assert all(row[1] == "GY-1" for row in findings[1:])


# -- docs people look at ----------------------------------------------------------------


def test_f27_docs_generate_a_lifecycle_diagram_and_deadline_timelines() -> None:
    from govrules.model.pack import builtin_pack, builtin_pack_ids, load_pack
    from govrules.tools.diagrams import lifecycle_svg, rule_phase, timeline_svg

    packs = [builtin_pack(i) for i in builtin_pack_ids()]
    svg = ET.fromstring(lifecycle_svg(packs))
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"规划", "采购", "验收", "运行维护"} <= texts
    assert {p.meta.city.zh for p in packs} <= texts
    hovers = " ".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}title"))
    tied = [r.id for p in packs for r in p.rules if rule_phase(r) is not None]
    assert all(rule_id in hovers for rule_id in tied)
    assert "http" not in lifecycle_svg(packs).replace("http://www.w3.org/2000/svg", "")
    demo = load_pack(TUTORIAL / "democity.yaml")
    timeline = timeline_svg(demo)
    assert timeline is not None
    assert "democity.2.contract-filed" in timeline
    assert "5 working days" in timeline
    index = (REPO / "docs" / "packs" / "index.md").read_text(encoding="utf-8")
    assert "](lifecycle.svg)" in index
    assert (REPO / "docs" / "packs" / "lifecycle.svg").read_text("utf-8") == lifecycle_svg(packs)


def test_f28_f29_pack_pages_mark_quotes_and_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", str(TUTORIAL / "democity.yaml")]) == 0
    page = capsys.readouterr().out
    assert ('> <span lang="zh-CN">项目建设单位应当自合同签订之日起5个工作日内，将合同报市大数据局'
            '备案。</span>') not in page  # the quote is marked inside it
    quote = "项目建设单位应当自合同签订之日起5个工作日内，将合同报市大数据局备案"
    assert f"<mark>{quote}</mark>" in page
    assert "| field | value |" in page
    css = (REPO / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert ':lang(zh-CN)' in css
    assert "Noto Sans CJK SC" in css
    assert "stylesheets/extra.css" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("what", ["report", "record"])
def test_f4_every_report_schema_property_has_a_description(
        capsys: pytest.CaptureFixture[str], what: str) -> None:
    assert main(["schema", what]) == 0
    schema = json.loads(capsys.readouterr().out)
    described = [name for name in schema["$defs"] if "properties" in schema["$defs"][name]]
    assert {"Report", "LineReport", "Finding", "ArticleRef", "CombinedReport"} <= set(described)
    bare = [f"{name}.{key}" for name in described
            for key, prop in schema["$defs"][name]["properties"].items()
            if not prop.get("description")]
    assert bare == []


def test_the_analysts_docs_exist_in_chinese_and_the_site_switches_language() -> None:
    import re

    docs = REPO / "docs"
    for page in ("tutorial", "pack-format", "condition-language", "errors"):
        text = (docs / f"{page}.zh.md").read_text(encoding="utf-8")
        chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert chinese > 800, page
    codes = set(re.findall(r"`([a-z]+-[a-z-]+)`", (docs / "errors.md").read_text("utf-8")))
    zh = set(re.findall(r"`([a-z]+-[a-z-]+)`", (docs / "errors.zh.md").read_text("utf-8")))
    assert codes - zh == set()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- i18n:" in config
    assert "locale: zh" in config


def test_f15_lint_reads_an_editor_buffer_from_stdin(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    text = (TUTORIAL / "democity.yaml").read_text(encoding="utf-8").replace(
        "applies_when: contract.custom_software", "applies_when: contract.custom_sofware")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    code, out, _ = cli(capsys, "lint", "--stdin-filename", "buffer.yaml", "--format",
                       "concise", "-")
    assert code == 2
    (line,) = out.splitlines()
    assert line.startswith("buffer.yaml:")
    assert "expr-unknown-fact [error] no fact 'contract.custom_sofware'" in line


def test_marked_quotes_do_not_depend_on_their_order() -> None:
    from govrules.tools.docsgen import _quote

    text = "甲乙丙丁戊己"
    assert _quote(text, ["乙丙丁", "丙丁戊"]) == _quote(text, ["丙丁戊", "乙丙丁"])
