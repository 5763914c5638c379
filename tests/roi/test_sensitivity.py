"""The tornado data: one factor at a time to its low and high end, the same
engine as the business case, widest swing first."""

import pytest

from roi.drivers import Assumptions, BenefitDriver, CostLine, Uncertain
from roi.engine import evaluate_case
from roi.sensitivity import tornado


def npv(lines, drivers, assumptions=None):
    return evaluate_case(lines, drivers, assumptions or Assumptions())["risk_adjusted"][
        "npv"
    ]


LINES = [
    CostLine("one_time", Uncertain(50_000, 80_000, 140_000), "Build"),
    CostLine("recurring", Uncertain(8_000, 8_000, 8_000), "Licence"),
]
DRIVERS = [
    BenefitDriver(
        "contacts_avoided",
        {
            "contacts_per_year": Uncertain(20_000, 40_000, 60_000),
            "share_avoided": Uncertain(0.1, 0.2, 0.35),
        },
        "Self-service",
    )
]


def test_each_end_is_the_engines_npv_with_that_one_input_moved():
    rows = {r["factor"]: r for r in tornado(LINES, DRIVERS, Assumptions())}
    base = npv(LINES, DRIVERS)
    build = rows["cost: Build"]
    assert build["base"] == pytest.approx(base, abs=0.01)
    cheap = [CostLine("one_time", Uncertain.fixed(50_000), "Build"), LINES[1]]
    assert build["npv_low"] == pytest.approx(npv(cheap, DRIVERS), abs=0.01)
    assert build["low_label"] == "50,000" and build["high_label"] == "140,000"
    share = rows["Self-service: share of contacts avoided"]
    assert share["low_label"] == "10%" and share["high_label"] == "35%"
    assert share["npv_high"] > base > share["npv_low"]
    rate = rows["discount rate"]
    later = Assumptions(rate=0.15)
    assert rate["npv_high"] == pytest.approx(npv(LINES, DRIVERS, later), abs=0.01)


def test_rows_are_widest_first_and_fixed_inputs_are_left_out():
    rows = tornado(LINES, DRIVERS, Assumptions())
    swings = [r["swing"] for r in rows]
    assert swings == sorted(swings, reverse=True)
    assert rows[0]["factor"] == "cost: Build"
    assert "cost: Licence" not in {r["factor"] for r in rows}  # a fixed figure
    assert "gross margin" not in {r["factor"] for r in rows}  # no margin driver
    assert len(tornado(LINES, DRIVERS, Assumptions(), top=3)) == 3
    assert tornado([], [], Assumptions()) == []
