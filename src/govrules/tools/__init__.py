"""Analyst tools: lint, test, explain, impact, compare, replay, docs generation.
"""
