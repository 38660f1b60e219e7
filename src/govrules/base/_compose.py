"""Composing YAML text into a node tree, strictly: nesting counted, libyaml when present.

:func:`compose` is what :func:`govrules.base.loader.parse_document` builds values from.
libyaml (PyYAML's C extension) scans and parses; composing stays in Python either way,
so the nesting limit, the marks (line and column in characters) and the tree are the
same. A document libyaml rejects is composed again by the pure-Python parser, whose
messages and places the diagnostics are written for.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["MAX_NESTING", "TOO_DEEP", "StrictLoader", "compose"]

MAX_NESTING = 200
"""Deepest nesting of mappings and lists a document may have (real ones stay under 10)."""
TOO_DEEP = "nested too deeply"


class _CountsNesting(yaml.composer.Composer):
    """Counts nesting while composing, so a too-deep document is refused at the place
    where it goes too deep, before Python's recursion limit is reached."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                event: Any = self.peek_event()  # type: ignore[attr-defined]
                raise yaml.composer.ComposerError(None, None, TOO_DEEP, event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class StrictLoader(_CountsNesting, yaml.SafeLoader):
    """The pure-Python reference: a private SafeLoader subclass (the global loader is
    never modified)."""


CParser: Any = getattr(yaml.cyaml, "CParser", None) if yaml.__with_libyaml__ else None
"""libyaml's parser when PyYAML was built with it, else None (the pure-Python one)."""

if CParser is not None:

    class FastStrictLoader(_CountsNesting, CParser,  # type: ignore[misc]
                           yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml scans and parses (in C); composing is :class:`_CountsNesting`'s."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.buffer = text  # the builder reads block scalars' lines from it


def compose(text: str) -> tuple[Any, yaml.Node | None]:
    """Compose ``text`` into a node tree; the loader is returned for the builder."""
    yaml.reader.Reader(text)  # every character allowed, else a ReaderError
    if CParser is not None:
        fast = FastStrictLoader(text)
        try:
            return fast, fast.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass  # reported below, by the reference parser
        finally:
            fast.dispose()
    loader = StrictLoader(text)
    try:
        return loader, loader.get_single_node()
    finally:
        loader.dispose()
