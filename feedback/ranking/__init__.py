"""Rank themes from pre-aggregated feedback groups (DESIGN.md, "Ranking").

Pure computation: no Django and no ORM. The database groups the window's items by
(theme, customer, negative, recent) and hands over one row per group; this package
scores the themes, orders them and estimates with a bootstrap how often each theme
would stay in the top three if the window's items had come out slightly differently.

- `formula`: the weights, the window, the formula and the order of themes
- `groups`: the groups laid out as sparse sums, totals per theme for any counts
- `poisson`: exact Poisson draws for small counts from lookup tables
- `bootstrap`: p_top3, the share of resamples that keep a theme in the top three
- `rank`: `rank_themes`, which puts them together, and the `ThemeScore` it returns
"""
