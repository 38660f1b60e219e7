"""The snapshot generator the benchmarks time on; it lives with the tests, which depend on
it (``tests/snapgen.py``)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.snapgen import (
    RandomChooser,
    SnapshotGenerator,
    pack_conditions,
)

__all__ = ["RandomChooser", "SnapshotGenerator", "pack_conditions"]
