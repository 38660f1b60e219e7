"""Input readers (files, folders, JSON Lines, CSV, spreadsheets), batches and output formats.
"""
