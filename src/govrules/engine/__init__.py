"""Evaluation: deciding statuses, building findings, steps and reports, periodic duties,
backends.
"""
