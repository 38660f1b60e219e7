"""HTTP API, portfolio store and web page of ``govrules serve``."""
