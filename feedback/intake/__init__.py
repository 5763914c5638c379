"""Feedback intake: read, map and validate feedback files and records (no ORM).

A file goes through the modules in this order:
`reading` (bytes -> a table of strings), `columns` (which column feeds which
field), `validation` (every row checked; the clean rows shaped for
`feedback.services.ingest`). `fields` holds the fields and the words they
accept, `dates` the named date formats.
"""
