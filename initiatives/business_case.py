"""The computed business case of an initiative, read from its stored JSON once.

`initiatives.services.results.case_result` writes `Initiative.result`; this is
its one reader. Every page, API serializer, selector and the deck goes through
`BusinessCase.from_json(initiative.result)` instead of `.get(...)` chains, so a
figure means the same everywhere. Pure: no ORM, no I/O. The stored JSON itself
is never rewritten here (the API answers it as stored).

The shape read (see `roi.engine.evaluate_case` and `case_result`)::

    {"raw": metrics, "risk_adjusted": metrics, "cashflows": {...},
     "lines": [...], "warnings": [...], "errors": [...],
     "npv_quantiles": [...], "montecarlo_settings": {...},
     "assumptions": {...}, "evidence": {...}, "computed_at", "version"}

where each metrics block carries its Monte Carlo summary under "montecarlo".
A missing or malformed part reads as None or empty; it never raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

METRIC_KEYS = (
    "pv_costs",
    "pv_benefits",
    "npv",
    "roi",
    "irr",
    "mirr",
    "payback_months",
    "discounted_payback_months",
    "peak_funding",
)
MONTECARLO_KEYS = ("p10", "p50", "p90", "mean", "p_positive")
FLOW_KEYS = (
    "t",
    "costs",
    "benefits",
    "net",
    "cumulative",
    "risk_adjusted_costs",
    "risk_adjusted_benefits",
    "risk_adjusted_net",
    "risk_adjusted_cumulative",
)


def _mapping(value) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _number(value) -> float | None:
    """A finite float, or None for a missing, blank or non-numeric value."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _numbers(values) -> tuple[float, ...]:
    if not isinstance(values, list | tuple):
        return ()
    return tuple(0.0 if _number(v) is None else _number(v) for v in values)


@dataclass(frozen=True)
class MonteCarlo:
    """The simulated NPV: P10 (the downside), P50, P90, mean, P(NPV > 0)."""

    p10: float
    p50: float | None
    p90: float
    mean: float | None
    p_positive: float | None

    @classmethod
    def from_json(cls, data) -> MonteCarlo | None:
        """A block with at least p10 and p90, else None."""
        data = _mapping(data)
        p10, p90 = _number(data.get("p10")), _number(data.get("p90"))
        if p10 is None or p90 is None:
            return None
        return cls(
            p10=p10,
            p50=_number(data.get("p50")),
            p90=p90,
            mean=_number(data.get("mean")),
            p_positive=_number(data.get("p_positive")),
        )

    def as_dict(self) -> dict:
        """`{"p10", "p50", "p90", "mean", "p_positive"}` (JSON-ready)."""
        return {key: getattr(self, key) for key in MONTECARLO_KEYS}


@dataclass(frozen=True)
class Figures:
    """One block of engine outputs (raw or risk-adjusted); None where undefined."""

    pv_costs: float | None = None
    pv_benefits: float | None = None
    npv: float | None = None
    roi: float | None = None
    irr: float | None = None
    mirr: float | None = None
    payback_months: float | None = None
    discounted_payback_months: float | None = None
    peak_funding: float | None = None
    montecarlo: MonteCarlo | None = None

    @classmethod
    def from_json(cls, data) -> Figures:
        data = _mapping(data)
        return cls(
            **{key: _number(data.get(key)) for key in METRIC_KEYS},
            montecarlo=MonteCarlo.from_json(data.get("montecarlo")),
        )

    def get(self, key: str):
        """The figure named `key` (one of METRIC_KEYS), None for another key."""
        return getattr(self, key) if key in METRIC_KEYS else None

    def __getitem__(self, key: str):
        # Templates look figures up by name (`row.risk_adjusted|at:key`).
        if key not in METRIC_KEYS:
            raise KeyError(key)
        return getattr(self, key)


@dataclass(frozen=True)
class CashFlows:
    """Yearly flows on t = 0..H, raw and risk-adjusted (lists of floats)."""

    t: tuple[int, ...] = ()
    costs: tuple[float, ...] = ()
    benefits: tuple[float, ...] = ()
    net: tuple[float, ...] = ()
    cumulative: tuple[float, ...] = ()
    risk_adjusted_costs: tuple[float, ...] = ()
    risk_adjusted_benefits: tuple[float, ...] = ()
    risk_adjusted_net: tuple[float, ...] = ()
    risk_adjusted_cumulative: tuple[float, ...] = ()

    @classmethod
    def from_json(cls, data) -> CashFlows | None:
        """The flows, or None when no year is stored."""
        data = _mapping(data)
        years = data.get("t")
        if not isinstance(years, list | tuple) or not years:
            return None
        return cls(
            t=tuple(int(year) for year in years),
            **{key: _numbers(data.get(key)) for key in FLOW_KEYS if key != "t"},
        )


@dataclass(frozen=True)
class BusinessCase:
    """An initiative's computed business case (`computed`: the engine has run
    and stored its raw block). The headline figures (`npv`,
    `roi`, `irr`, `payback_months`, `pv_costs`, `p10`/`p50`/`p90`, ...) are the
    risk-adjusted ones, which executives rank and decide by."""

    computed: bool = False
    raw: Figures = field(default_factory=Figures)
    risk_adjusted: Figures = field(default_factory=Figures)
    cashflows: CashFlows | None = None
    lines: tuple[dict, ...] = ()
    warnings: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    npv_quantiles: tuple[float, ...] = ()
    simulations: int | None = None
    assumptions: dict | None = None
    evidence: dict | None = None
    computed_at: str | None = None
    # One-at-a-time NPV swings, widest first (roi.sensitivity.tornado).
    sensitivity: tuple[dict, ...] = ()

    @classmethod
    def from_json(cls, data) -> BusinessCase:
        """The case stored in `Initiative.result` (any value: not a dict reads
        as an empty, uncomputed case)."""
        data = _mapping(data)
        settings = _mapping(data.get("montecarlo_settings"))
        simulations = settings.get("simulations")
        lines = data.get("lines")
        return cls(
            computed=bool(_mapping(data.get("raw"))),
            raw=Figures.from_json(data.get("raw")),
            risk_adjusted=Figures.from_json(data.get("risk_adjusted")),
            cashflows=CashFlows.from_json(data.get("cashflows")),
            lines=tuple(r for r in lines if isinstance(r, Mapping))
            if isinstance(lines, list)
            else (),
            warnings=tuple(str(w) for w in data.get("warnings") or ()),
            errors=tuple(str(e) for e in data.get("errors") or ()),
            npv_quantiles=_numbers(data.get("npv_quantiles")),
            simulations=simulations if isinstance(simulations, int) else None,
            assumptions=dict(data["assumptions"])
            if isinstance(data.get("assumptions"), Mapping)
            else None,
            evidence=dict(data["evidence"])
            if isinstance(data.get("evidence"), Mapping)
            else None,
            computed_at=data.get("computed_at") or None,
            sensitivity=tuple(
                dict(r) for r in data.get("sensitivity") or () if isinstance(r, Mapping)
            ),
        )

    @property
    def npv(self) -> float | None:
        return self.risk_adjusted.npv

    @property
    def roi(self) -> float | None:
        return self.risk_adjusted.roi

    @property
    def irr(self) -> float | None:
        return self.risk_adjusted.irr

    @property
    def payback_months(self) -> float | None:
        return self.risk_adjusted.payback_months

    @property
    def pv_costs(self) -> float | None:
        return self.risk_adjusted.pv_costs

    @property
    def pv_benefits(self) -> float | None:
        return self.risk_adjusted.pv_benefits

    @property
    def peak_funding(self) -> float | None:
        return self.risk_adjusted.peak_funding

    @property
    def montecarlo(self) -> MonteCarlo | None:
        """The risk-adjusted NPV's simulated spread, None when not simulated."""
        return self.risk_adjusted.montecarlo

    @property
    def p10(self) -> float | None:
        return self.montecarlo.p10 if self.montecarlo else None

    @property
    def p50(self) -> float | None:
        return self.montecarlo.p50 if self.montecarlo else None

    @property
    def p90(self) -> float | None:
        return self.montecarlo.p90 if self.montecarlo else None
