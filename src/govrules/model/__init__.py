"""The models: the snapshot vocabulary, the pack format, loading and compiling packs,
amendments, dated versions and validity.
"""
