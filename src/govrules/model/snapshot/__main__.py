"""``python -m govrules.model.snapshot [DIR]``: regenerate the snapshot docs (default ``docs``)."""

import sys

from govrules.model.snapshot.reference import write_reference_docs

for written in write_reference_docs(sys.argv[1] if len(sys.argv) > 1 else "docs"):
    sys.stdout.write(f"wrote {written}\n")
