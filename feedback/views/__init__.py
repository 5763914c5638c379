"""Pages of the feedback app, one module per concern."""
