"""Foundations that import nothing else from govrules: errors with stable codes, source
locations and the strict loader, money, the working-day calendar.
"""
