"""Drivers (issue 23): each theme's effect on a score, on NPS and on churn.

Pure: numpy, pandas, scipy and statsmodels, no Django. `score.py` regresses the
score on theme indicators (OLS with segment and channel as controls), `nps.py`
prices each theme in NPS points, `churn.py` fits churn on the themes a customer
raised (logistic odds ratios, or Cox hazard ratios when churn dates exist).
Every interval is 95%.
"""
