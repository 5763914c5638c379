"""The ROI API: `roi/evaluate/` (evaluate, parsing) and `roi/assumptions/`."""
