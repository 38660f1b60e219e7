"""Optional parts of govrules that need extra packages (installed with an extra)."""
