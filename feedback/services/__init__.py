"""Writes for the feedback app, one module per concern (intake, themes, ranking,
ideas, notifications). Keyword-only functions named `<noun>_<verb>`."""
