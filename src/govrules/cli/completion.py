"""``govrules completion bash|zsh|fish``: a shell completion script, from the parser.

Completes subcommands, their options, the choices of an option (``--format``,
``--city`` ids are not listed: they depend on the installation) and file names
elsewhere. Install, for example::

    govrules completion bash > ~/.local/share/bash-completion/completions/govrules
    govrules completion zsh > "${fpath[1]}/_govrules"
    govrules completion fish > ~/.config/fish/completions/govrules.fish
"""

from __future__ import annotations

import argparse
from typing import TextIO

from govrules.base.i18n import N_
from govrules.cli.common import EXIT_OK, add_output_options

NAME = "completion"
HELP = N_("print a shell completion script (bash, zsh or fish)")
DESCRIPTION = (N_("Print a completion script for bash, zsh or fish: subcommands, their options "
               "and the values options take. See `govrules completion --help` for where to "
               "put it."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=["bash", "zsh", "fish"])
    add_output_options(parser, formats=None)


Spec = dict[str, list[tuple[list[str], list[str], str]]]
"""subcommand -> (option strings, choices, help) of each option."""


def _spec() -> tuple[Spec, dict[str, str]]:
    from govrules.cli.main import _build  # noqa: PLC0415 - cli imports this module

    _, children = _build()
    spec: Spec = {}
    helps: dict[str, str] = {}
    for name, parser in children.items():
        helps[name] = (parser.description or "").split(".")[0]
        spec[name] = [(list(a.option_strings), [str(c) for c in a.choices or []],
                       (a.help or "").split(";")[0].replace("%", "%%"))
                      for a in parser._actions if a.option_strings]
    return spec, helps


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def bash(spec: Spec) -> str:
    lines = ["# bash completion for govrules", "_govrules() {",
             '    local cur prev cmd i',
             '    cur="${COMP_WORDS[COMP_CWORD]}"; prev="${COMP_WORDS[COMP_CWORD-1]}"',
             '    cmd=""',
             '    for ((i=1; i<COMP_CWORD; i++)); do',
             '        case "${COMP_WORDS[i]}" in -*) ;; *) cmd="${COMP_WORDS[i]}"; break;; esac',
             '    done',
             '    if [[ -z "$cmd" ]]; then',
             f'        COMPREPLY=($(compgen -W {_quote(" ".join(spec))} -- "$cur")); return',
             '    fi',
             '    case "$cmd" in']
    for name, options in spec.items():
        lines.append(f"    {name})")
        lines.append('        case "$prev" in')
        for strings, choices, _ in options:
            if choices:
                pattern = "|".join(strings)
                lines.append(f'        {pattern}) COMPREPLY=($(compgen -W '
                             f'{_quote(" ".join(choices))} -- "$cur")); return;;')
        lines.append("        esac")
        words = " ".join(s for strings, _, _ in options for s in strings)
        lines.append(f'        if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W '
                     f'{_quote(words)} -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi'
                     ";;")
    lines += ["    esac", "}", "complete -o filenames -F _govrules govrules", ""]
    return "\n".join(lines)


def zsh(spec: Spec, helps: dict[str, str]) -> str:
    lines = ["#compdef govrules", "# zsh completion for govrules", "_govrules() {",
             "  local -a commands", "  commands=("]
    lines += [f"    {_quote(f'{n}:{helps[n]}')}" for n in spec]
    lines += ["  )", "  if (( CURRENT == 2 )); then", "    _describe 'command' commands",
              "    return", "  fi", "  case ${words[2]} in"]
    for name, options in spec.items():
        args = []
        for strings, choices, help_text in options:
            action = f":value:({' '.join(choices)})" if choices else ""
            clean = help_text.replace("[", "(").replace("]", ")").replace("'", "")
            for s in strings:
                args.append(_quote(f"{s}[{clean}]{action}"))
        args.append("'*:file:_files'")
        lines.append(f"    {name}) _arguments {' '.join(args)};;")
    lines += ["  esac", "}", "_govrules \"$@\"", ""]
    return "\n".join(lines)


def fish(spec: Spec, helps: dict[str, str]) -> str:
    lines = ["# fish completion for govrules",
             "complete -c govrules -f -n '__fish_use_subcommand' -a "
             + _quote(" ".join(spec))]
    for name, options in spec.items():
        lines.append(f"complete -c govrules -n '__fish_use_subcommand' -a {name} "
                     f"-d {_quote(helps[name])}")
        when = f"'__fish_seen_subcommand_from {name}'"
        for strings, choices, help_text in options:
            flags = " ".join(f"-l {s[2:]}" if s.startswith("--") else f"-s {s[1:]}"
                             for s in strings)
            values = f" -x -a {_quote(' '.join(choices))}" if choices else ""
            lines.append(f"complete -c govrules -n {when} {flags}{values} "
                         f"-d {_quote(help_text)}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, out: TextIO) -> int:
    spec, helps = _spec()
    if args.shell == "bash":
        out.write(bash(spec))
    elif args.shell == "zsh":
        out.write(zsh(spec, helps))
    else:
        out.write(fish(spec, helps))
    return EXIT_OK
