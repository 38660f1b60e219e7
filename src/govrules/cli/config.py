"""Project defaults for the command line: ``govrules.toml`` or ``[tool.govrules]``.

The first ``govrules.toml`` found in the working folder or a parent wins; otherwise the
``[tool.govrules]`` table of the first ``pyproject.toml`` that has one. ``--config FILE``
names the file instead (``GOVRULES_CONFIG`` too); ``--no-config`` ignores them. A value
given on the command line always wins over the file. Paths are relative to the file.

.. code-block:: toml

    [tool.govrules]
    city = ["guiyang"]              # check, compare, explain: default packs
    policy = ["policies/democity.yaml"]
    fail-on = "warning"             # error | warning | never
    fail-on-undetermined = true
    calendar = ["calendar/2027.yaml"]
    format = ["concise", "sarif:out.sarif"]
    lang = "zh"

    [tool.govrules.lint]            # per subcommand: any of its options
    source = "seeds/"
    strict = true
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import _
from govrules.base.location import Span

__all__ = ["Config", "apply_config", "check_keys", "find_config", "load_config"]

_PATHS = frozenset({"policy", "calendar", "source", "out", "reference", "mkdocs"})
"""Options whose values are paths, read relative to the configuration file."""


@dataclass(frozen=True)
class Config:
    """The settings of one file: shared ones, and per subcommand."""

    file: str | None = None
    shared: Mapping[str, Any] = field(default_factory=dict)
    commands: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def for_command(self, name: str) -> dict[str, Any]:
        return {**self.shared, **self.commands.get(name, {})}


def find_config(start: Path | None = None) -> Path | None:
    """``govrules.toml`` in ``start`` or a parent, else a ``pyproject.toml`` with a
    ``[tool.govrules]`` table."""
    folder = (start or Path.cwd()).resolve()
    for place in (folder, *folder.parents):
        if (place / "govrules.toml").is_file():
            return place / "govrules.toml"
    for place in (folder, *folder.parents):
        candidate = place / "pyproject.toml"
        if candidate.is_file() and b"[tool.govrules" in candidate.read_bytes():
            return candidate
    return None


def load_config(path: Path) -> Config:
    """Read ``path`` (``govrules.toml``, or a ``pyproject.toml``'s ``[tool.govrules]``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(Diagnostic("file-unreadable", _("cannot read: {exc}").format(exc=exc),
                                    Span(str(path)))) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(Diagnostic("config-syntax", _("not valid TOML: {exc}").format(exc=exc),
                                    Span(str(path)))) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("govrules", {})
    shared = {k: v for k, v in data.items() if not isinstance(v, dict)}
    commands = {k: v for k, v in data.items() if isinstance(v, dict)}
    return Config(str(path), shared, commands)


def _dest(key: str) -> str:
    return key.replace("-", "_")


def _dests(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {a.dest: a for a in parser._actions if a.option_strings}


def check_keys(config: Config, parsers: Mapping[str, argparse.ArgumentParser]) -> None:
    """Every key names an option of some subcommand (of its own, in a table)."""
    everywhere = {d for p in parsers.values() for d in _dests(p)}
    problems: list[Diagnostic] = []
    for key in config.shared:
        if _dest(key) not in everywhere:
            problems.append(Diagnostic(
                "config-unknown-key",
                _("no subcommand has an option {key!r}").format(key=key), Span(config.file),
                hint=did_you_mean(key, sorted(d.replace("_", "-") for d in everywhere))))
    for command, table in config.commands.items():
        parser = parsers.get(command)
        if parser is None:
            problems.append(Diagnostic(
                "config-unknown-key",
                _("no subcommand {command!r} for a [{command}] table").format(command=command),
                Span(config.file), hint=did_you_mean(command, list(parsers))))
            continue
        own = _dests(parser)
        problems += [Diagnostic(
            "config-unknown-key",
            _("govrules {command} has no option {key!r}").format(command=command, key=key),
            Span(config.file), hint=did_you_mean(key, sorted(d.replace("_", "-") for d in own)))
            for key in table if _dest(key) not in own]
    if problems:
        raise InputError(problems)


def given_options(parser: argparse.ArgumentParser, argv: Sequence[str]) -> set[str]:
    """The destinations of the options ``argv`` names (``--fail-on``, ``-o``,
    ``--format=json``)."""
    names = {a.split("=", 1)[0] for a in argv if a.startswith("-")}
    return {a.dest for a in parser._actions
            if any(o in names for o in a.option_strings)}


def apply_config(args: argparse.Namespace, parser: argparse.ArgumentParser,
                 config: Config, command: str, argv: Sequence[str]) -> None:
    """Fill in the options ``argv`` does not give from ``config``."""
    actions = _dests(parser)
    given = given_options(parser, argv)
    base = Path(config.file).parent if config.file else Path.cwd()
    for key, value in config.for_command(command).items():
        action = actions.get(_dest(key))
        if action is None or action.dest in ("help", "version"):
            continue  # a shared key for other subcommands
        if action.dest in given:
            continue  # the command line wins
        own = key in config.commands.get(command, {})
        if not own and isinstance(value, list) and not _many(action):
            continue  # a shared list (of formats, for check) this subcommand takes one of
        setattr(args, action.dest, _value(action, key, value, base, config.file))

def _many(action: argparse.Action) -> bool:
    return isinstance(action, argparse._AppendAction) or action.nargs in ("+", "*")


def _value(action: argparse.Action, key: str, value: Any, base: Path,
           file: str | None) -> Any:
    many = _many(action)
    if isinstance(action, argparse._StoreTrueAction):
        if not isinstance(value, bool):
            raise InputError(Diagnostic(
                "config-value", _("{key!r} is true or false").format(key=key), Span(file)))
        return value
    if not many and isinstance(value, list):
        raise InputError(Diagnostic(
            "config-value", _("{key!r} takes one value, not a list").format(key=key),
            Span(file)))
    out = [_one(action, key, item, base, file)
           for item in (value if isinstance(value, list) else [value])]
    return out if many else out[0]


def _one(action: argparse.Action, key: str, raw: Any, base: Path, file: str | None) -> Any:
    item = raw
    if _dest(key) in _PATHS and isinstance(item, str) and not os.path.isabs(item):
        item = str(base / item)
    if action.type is not None and isinstance(item, str):
        convert: Any = action.type
        try:
            item = convert(item)
        except (argparse.ArgumentTypeError, ValueError, TypeError) as exc:
            raise InputError(Diagnostic("config-value", f"{key!r}: {exc}", Span(file))) from None
    if action.choices is not None and item not in action.choices:
        raise InputError(Diagnostic(
            "config-value", _("{key!r}: {item!r} is not one of {choices}").format(
                key=key, item=item, choices=", ".join(map(str, action.choices))), Span(file),
            hint=did_you_mean(str(item), map(str, action.choices))))
    return item
