"""The message catalogs: every message in the code translated, the compiled catalog current,
and Chinese (or English) where a person reads govrules' output."""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from govrules.base import i18n
from govrules.cli.main import main
from tests.conftest import REPO

PACKAGE = REPO / "src" / "govrules"
PO = PACKAGE / "locale" / "zh" / "LC_MESSAGES" / "govrules.po"
MO = PO.with_suffix(".mo")
TUTORIAL = REPO / "examples" / "tutorial"
_FIELD = re.compile(r"(?<!\{)\{([a-z_0-9]*)(![rsa])?(:[^}]*)?\}(?!\})")


def _catalog() -> Catalog:
    with PO.open("rb") as stream:
        return read_po(stream, locale="zh")


@functools.cache
def _extracted() -> tuple[tuple[str, str | tuple[str, ...]], ...]:
    """``(file, msgid)`` for every message marked in the code, as ``make messages`` finds
    them (the mapping is the repository's babel.cfg)."""
    return tuple((file, message) for file, _line, message, _comments, _context
                 in extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")]))


def _key(message: str | tuple[str, ...]) -> str:
    return message if isinstance(message, str) else message[0]


def _fields(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2) or "") for m in _FIELD.finditer(text)}


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    catalog = _catalog()
    problems = []
    seen = 0
    for file, message in _extracted():
        seen += 1
        entry: Message | None = catalog.get(message if isinstance(message, str) else message[0])
        if entry is None:
            problems.append(f"{file}: not in the catalog (run make messages): {_key(message)!r}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(strings):
            problems.append(f"{file}: {'fuzzy' if entry.fuzzy else 'untranslated'}: "
                            f"{_key(message)!r}")
    assert seen > 300  # the extraction found the marked messages
    assert problems == []


def test_translations_keep_every_placeholder() -> None:
    """A translation that drops or renames a ``{field}`` would fail at run time."""
    wrong = []
    for entry in _catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if _fields(text) != wanted:
                wrong.append((ids[0], text))
    assert wrong == []


def test_the_catalog_has_no_obsolete_entries() -> None:
    marked = {_key(m) for _f, m in _extracted()}
    obsolete = [e.id for e in _catalog() if e.id and _key(e.id) not in marked]
    assert obsolete == []


def test_the_committed_mo_is_the_compiled_po() -> None:
    """``make messages`` was run after the last change to the .po."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalog())
    assert MO.read_bytes() == compiled.getvalue(), "run make messages"


def test_an_english_run_never_opens_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    i18n._translations.cache_clear()
    i18n.set_language("en")
    try:
        assert i18n._("error") == "error"
        assert i18n.ngettext("{n} error", "{n} errors", 2) == "{n} errors"
        assert i18n._translations.cache_info().currsize == 0
        i18n.set_language("zh")
        assert i18n._("error") == "错误"
        assert i18n.ngettext("{n} error", "{n} errors", 2) == "{n} 个错误"
    finally:
        i18n.set_language(None)


# -- what a person sees -------------------------------------------------------------------


@pytest.fixture
def chinese_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("GOVRULES_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


CASES = {
    "lint": (["lint", str(TUTORIAL / "democity.yaml")],
             "已检查 1 个规则包：0 个错误，0 个警告", "1 pack checked: 0 errors, 0 warnings"),
    "test": (["test", str(TUTORIAL)], "个用例，0 个失败", "cases, 0 failed"),
    "check summary": (["check", str(TUTORIAL / "project.yaml"), "--policy",
                       str(TUTORIAL / "democity.yaml")],
                      "govrules: 1 条记录：已检查 1 条", "govrules: 1 record: 1 checked"),
    "check text": (["check", str(TUTORIAL / "project.yaml"), "--policy",
                    str(TUTORIAL / "democity.yaml")], "结论：", "VERDICT: "),
    "error": (["check", str(TUTORIAL / "project.yaml"), "--format", "json", "--format",
               "concise"], "多个 --format 都写到标准输出",
              "several --format values write to standard output"),
    "explain": (["explain", str(TUTORIAL / "project.yaml"), "--policy",
                 str(TUTORIAL / "democity.yaml"), "--rule", "democity.2.contract-filed"],
                "规则在 ", "rule in force on "),
    "help": (["lint", "--help"], "检查规则包文件（或规则包文件夹）",
             "Check pack files (or folders of packs)"),
}


def _said(capsys: pytest.CaptureFixture[str], args: list[str]) -> str:
    try:
        _code, out, err = _run(capsys, *args)
    except SystemExit:  # --help
        out, err = capsys.readouterr()
    return out + err


@pytest.mark.parametrize("case", list(CASES))
def test_a_chinese_locale_gets_chinese(case: str, chinese_locale: None,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    args, zh, en = CASES[case]
    said = _said(capsys, args)
    assert zh in said
    assert en not in said


@pytest.mark.parametrize("case", list(CASES))
def test_lang_zh_gets_chinese_and_lang_en_english(case: str, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")  # --lang wins over the locale
    args, zh, en = CASES[case]
    english = _said(capsys, [*args, "--lang", "en"])
    assert en in english
    assert zh not in english
    monkeypatch.setenv("LANG", "C.UTF-8")
    chinese = _said(capsys, [*args, "--lang", "zh"])
    assert zh in chinese
    assert en not in chinese


def test_lint_diagnostics_and_hints_in_chinese(tmp_path: Path, chinese_locale: None,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "democity.yaml"
    text = (TUTORIAL / "democity.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace("applies_when: contract.custom_software",
                                   "applies_when: contract.custom_software and "
                                   "project.kind == 'om' and project.kind == 'construction'"),
                      encoding="utf-8")
    code, out, _ = _run(capsys, "lint", str(target))
    assert code == 0
    assert "警告 lint-unreachable-rule" in out
    assert "规则永远不会适用：project.kind 不可能既是 'om' 又是 'construction'" in out
    assert "    提示：applies_when 对所有项目都为假" in out
    assert "已检查 1 个规则包：0 个错误，1 个警告" in out
    code, out, _ = _run(capsys, "lint", str(target), "--lang", "en")
    assert "the rule can never apply: project.kind cannot be both 'om' and 'construction'" in out
    assert "hint: applies_when is false for every project" in out


def test_argparse_headings_and_errors_follow_the_language(
        capsys: pytest.CaptureFixture[str]) -> None:
    for lang, words in (("zh", ("用法：", "位置参数", "选项", "显示此帮助信息并退出")),
                        ("en", ("usage: ", "positional arguments", "options",
                                "show this help message and exit"))):
        with pytest.raises(SystemExit):
            main(["lint", "--help", "--lang", lang])
        out = capsys.readouterr().out
        assert all(word in out for word in words), (lang, out)
    with pytest.raises(SystemExit) as stopped:
        main(["lint", "--lang", "zh"])
    assert stopped.value.code == 2
    assert "govrules lint：错误：" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["check"], "缺少必需的参数：SNAPSHOT", "the following arguments are required: SNAPSHOT"),
    (["chek"], "参数 COMMAND：无效的选择：'chek'（可选：'check'",
     "argument COMMAND: invalid choice: 'chek' (choose from 'check'"),
    (["check", "a.yaml", "--bogus"], "无法识别的参数：--bogus", "unrecognized arguments: --bogus"),
    (["check", "a.yaml", "--city"], "参数 --city：需要一个参数值",
     "argument --city: expected one argument"),
    (["plan", "a.yaml", "--top", "two"], "参数 --top：无效的 int 值：'two'",
     "argument --top: invalid int value: 'two'"),
])
def test_argparse_errors_are_said_in_the_chosen_language(
        args: list[str], zh: str, en: str, capsys: pytest.CaptureFixture[str]) -> None:
    for lang, words in (("zh", zh), ("en", en)):
        with pytest.raises(SystemExit) as stopped:
            main([*args, "--lang", lang])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert words in err, (lang, err)


def test_the_argparse_words_in_the_catalog_are_those_this_python_says() -> None:
    """Each entry of ARGPARSE_WORDS is a message argparse passes to its ``_`` (so a
    change of wording in a new Python shows here, not as English in a Chinese run)."""
    import argparse
    import ast
    import inspect

    from govrules.cli._parser import ARGPARSE_WORDS

    said = {node.args[0].value for node in ast.walk(ast.parse(inspect.getsource(argparse)))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "_" and node.args and isinstance(node.args[0], ast.Constant)}
    assert [w for w in ARGPARSE_WORDS if w not in said] == []
    assert getattr(argparse, "_") is i18n._  # noqa: B009 - not in argparse's typed names


def test_a_process_started_in_a_chinese_locale_speaks_chinese(tmp_path: Path) -> None:
    """The installed command, in a fresh process: the catalog is found where it ships."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GOVRULES_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    run = subprocess.run(
        [sys.executable, "-m", "govrules", "check", str(TUTORIAL / "project.yaml"), "--policy",
         str(TUTORIAL / "democity.yaml")], capture_output=True, text=True, check=False,
        env={**env, "LANG": "zh_CN.UTF-8"}, cwd=tmp_path)
    assert run.returncode == 0
    assert "结论：" in run.stdout
    assert "govrules: 1 条记录：已检查 1 条" in run.stderr


def _bad_conditions(tmp_path: Path) -> Path:
    """The tutorial pack with a misspelt fact, an unfinished condition and a comparison
    of true/false with a number."""
    text = (TUTORIAL / "democity.yaml").read_text(encoding="utf-8")
    for old, new in (("and not project.classified", "and not project.clasified"),
                     ("applies_when: contract.custom_software",
                      "applies_when: contract.custom_software and"),
                     ("applies_when: data_export.overseas and contract.signed",
                      "applies_when: data_export.overseas and contract.signed > 5")):
        assert old in text
        text = text.replace(old, new)
    target = tmp_path / "democity.yaml"
    target.write_text(text, encoding="utf-8")
    return target


CONDITION_MESSAGES = (
    ("expr-unknown-fact [democity.1.fiscal]: 没有事实 'project.clasified'",
     "expr-unknown-fact [democity.1.fiscal]: no fact 'project.clasified'"),
    ("提示：是否应为 'project.classified'？", "hint: did you mean 'project.classified'?"),
    ("expr-syntax [democity.3.custom-software-ip]: 应为值，却是条件的结尾",
     "expr-syntax [democity.3.custom-software-ip]: expected a value, "
     "found the end of the condition"),
    ("expr-type [democity.4.export-assessed]: 无法比较真/假与数字",
     "expr-type [democity.4.export-assessed]: cannot compare true/false with number"),
    ("已检查 1 个规则包：3 个错误，0 个警告", "1 pack checked: 3 errors, 0 warnings"),
)


def test_condition_errors_follow_the_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    target = _bad_conditions(tmp_path)
    code, chinese, _ = _run(capsys, "lint", str(target), "--lang", "zh")
    assert code != 0
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, english, _ = _run(capsys, "lint", str(target), "--lang", "en")
    assert code != 0
    for zh, en in CONDITION_MESSAGES:
        assert zh in chinese, chinese
        assert en in english, english
        assert en not in chinese
        assert zh not in english


LOADER_CASES = {
    "syntax": ("project:\n  name: [1, 2\n",
               "yaml-syntax: 不是有效的 YAML：", "yaml-syntax: not valid YAML: "),
    "duplicate key": ("project:\n  name: x\n  name: y\n",
                      "yaml-duplicate-key: 重复的键 'name' (首次定义于第 2 行)",
                      "yaml-duplicate-key: duplicate key 'name' (first defined at line 2)"),
    "alias": ("a: &x 1\nb: *x\n", "yaml-alias: 不允许使用锚点和别名 (请完整写出该值)",
              "yaml-alias: anchors and aliases are not allowed (write the value out in full)"),
    "tag": ("a: !!binary aGk=\n", "yaml-tag: 不允许使用标签 tag:yaml.org,2002:binary",
            "yaml-tag: tag tag:yaml.org,2002:binary is not allowed"),
    "json": ('{"a": 1, "a": 2}', 'json-duplicate-key: 重复的键 "a"',
             'json-duplicate-key: duplicate key "a"'),
    "missing": (None, "file-not-found: 文件不存在", "file-not-found: no such file"),
}


@pytest.mark.parametrize("case", list(LOADER_CASES))
def test_loader_errors_follow_the_language(case: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    text, zh, en = LOADER_CASES[case]
    target = tmp_path / ("project.json" if case == "json" else "project.yaml")
    if text is not None:
        target.write_text(text, encoding="utf-8")
    args = ["check", str(target), "--policy", str(TUTORIAL / "democity.yaml")]
    monkeypatch.setenv("LANG", "C.UTF-8")
    chinese = _said(capsys, [*args, "--lang", "zh"])
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    english = _said(capsys, [*args, "--lang", "en"])
    assert zh in chinese, chinese
    assert en in english, english
    assert en not in chinese
    assert zh not in english
