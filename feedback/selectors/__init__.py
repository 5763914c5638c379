"""Reads for the feedback app, one module per concern."""
