"""DRF views of the feedback app, one module per concern."""
