"""``python -m govrules``."""

import sys

from govrules.cli.main import main

sys.exit(main())
