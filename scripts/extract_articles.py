"""Split a regulation's text into articles, verbatim, as a pack's ``articles:`` YAML.

Usage: python scripts/extract_articles.py SEED.txt [--start TEXT] [--last]

A thin wrapper around :mod:`govrules.tools.articles`; ``govrules new-pack ID --from-text
SEED.txt`` writes a whole skeleton pack with the same articles.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govrules.base.errors import InputError
from govrules.tools.articles import articles_yaml, extract, start_at


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seed")
    parser.add_argument("--start", default="")
    parser.add_argument("--last", action="store_true")
    args = parser.parse_args()
    text = Path(args.seed).read_text(encoding="utf-8")
    try:
        text = start_at(text, args.start, last=args.last, file=args.seed)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    sys.stdout.write(articles_yaml(extract(text)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
