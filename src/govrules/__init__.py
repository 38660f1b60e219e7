"""govrules: executable policy packs for municipal government-IT regulations."""
