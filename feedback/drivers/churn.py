"""Churn drivers: each theme's effect on churn, over customers with an outcome.

One row per customer with feedback and a known outcome; a theme's column is 1
when the customer raised it; the customer's segment is a control. When every
churned customer has a churn date the model is Cox's proportional hazards
(statsmodels PHReg; time from the customer's first feedback to churn, others
censored at `as_of`) and the impact is a hazard ratio; otherwise a logistic
regression of churned (statsmodels Logit) and the impact is an odds ratio.
Intervals are Wald's, on the log scale, exponentiated.

Revenue at risk per theme: where the ratio's interval excludes 1, the measured
one, the logistic model's excess churn probability of the theme's customers
(with the theme against without it, all else theirs) times their annual
revenue; otherwise the ranking's, the revenue of the customers with a negative
item on the theme. `revenue_at_risk_basis` says which.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.duration.hazard_regression import PHReg
from threadpoolctl import threadpool_limits

from feedback.drivers.result import Driver, Drivers, controls, eligible, indicators

MEASURED = "measured_excess_churn"
NEGATIVE = "negative_feedback"


def _logit(y: np.ndarray, design: np.ndarray):
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")
        return sm.Logit(y, design).fit(disp=0, maxiter=200)


def _excess(fit, design: np.ndarray, column: int, rows: np.ndarray) -> np.ndarray:
    """Per customer in `rows`: churn probability with the theme minus without."""
    with_theme, without = design[rows].copy(), design[rows].copy()
    with_theme[:, column], without[:, column] = 1.0, 0.0
    return fit.predict(with_theme) - fit.predict(without)


def churn_drivers(
    customers: pd.DataFrame,
    raised: pd.DataFrame,
    theme_ids: list[int],
    *,
    as_of: pd.Timestamp,
) -> Drivers:
    """Churn drivers. `customers`: customer_id, churned (bool), churned_on and
    first_seen (datetimes, churned_on NaT when unknown), segment, revenue;
    `raised`: customer_id, theme_id, negative (one row per pair)."""
    ids = customers["customer_id"].to_numpy()
    themes = indicators(ids, raised, theme_ids, "customer_id")
    keep = eligible(themes) if len(ids) else np.zeros(len(theme_ids), bool)
    kept = [t for t, k in zip(theme_ids, keep, strict=True) if k]
    matrix = themes[:, keep].astype(float)
    n, k = len(ids), len(kept)
    y = customers["churned"].to_numpy(dtype=float)
    churners = int(y.sum())
    if k == 0 or churners < 2 or churners > n - 2:
        return Drivers(n=n, method="not enough customers or churners", drivers=[])
    fixed = controls(customers, ["segment"])
    design = np.column_stack([np.ones(n), matrix, fixed]).astype(float)
    try:
        logit = _logit(y, design)
    except (np.linalg.LinAlgError, ValueError) as error:
        return Drivers(n=n, method=f"logit did not fit: {error}", drivers=[])
    dated = customers.loc[customers["churned"], "churned_on"].notna().all()
    if dated:
        end = customers["churned_on"].where(customers["churned"], as_of)
        days = (end - customers["first_seen"]).dt.days.to_numpy(dtype=float)
        with threadpool_limits(limits=1):
            fit = PHReg(np.maximum(days, 0.5), design[:, 1:], status=y).fit()
        log_ratio, bounds = fit.params[:k], fit.conf_int()[:k]
        method = "cox proportional hazards: hazard ratio"
    else:
        log_ratio, bounds = logit.params[1 : k + 1], logit.conf_int()[1 : k + 1]
        method = "logistic regression: odds ratio"
    method += f" of churn, {churners} of {n} customers churned, segment controlled"
    revenue = customers["revenue"].fillna(0).to_numpy(dtype=float)
    negative = indicators(ids, raised[raised["negative"]], kept, "customer_id")
    drivers = []
    for j, theme in enumerate(kept):
        rows = np.flatnonzero(matrix[:, j])
        excess = _excess(logit, design, j + 1, rows)
        with np.errstate(over="ignore"):  # an interval past 1e308 is inf
            ci = (float(np.exp(bounds[j][0])), float(np.exp(bounds[j][1])))
        driver = Driver(
            theme=theme,
            impact=float(np.exp(log_ratio[j])),
            ci=ci,
            items=len(rows),
            null=1.0,
        )
        measured = float((revenue[rows] * excess).sum())
        basis = MEASURED if driver.significant else NEGATIVE
        at_risk = (
            measured if basis == MEASURED else float(revenue[negative[:, j]].sum())
        )
        driver.extra.update(
            excess_churn=float(excess.mean()),
            measured_revenue_at_risk=measured,
            revenue_at_risk=at_risk,
            revenue_at_risk_basis=basis,
        )
        drivers.append(driver)
    drivers.sort(key=lambda d: (-d.impact, d.theme))
    return Drivers(n=n, method=method, drivers=drivers)
