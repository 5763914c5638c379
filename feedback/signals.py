"""Signals feedback sends so that apps above it can react without feedback
importing them (DESIGN: data flows one way)."""

from django.dispatch import Signal

# Sent inside the merge's transaction, with `source` (the duplicate) and `target`
# (the idea kept), both locked, after votes, comments and themes moved. Receivers
# move what they link to the source: the initiatives app copies its links.
idea_merged = Signal()
