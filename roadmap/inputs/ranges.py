"""What the Monte Carlo draws (README, "Uncertainty"): each drawn input's documented range,
and the profile's `uncertainty:` key, which narrows, widens or fixes one of them.

Two shapes. The physical inputs keep the draws they had: uniform over their range. The money
inputs and the feature shares (`CENTRED`) are drawn "split uniform" around the value in
force: half the draws uniform between the low end and the central value, half between the
central value and the high end, so the median is the central value even where the
documented range is lopsided (an energy price's low and high ends come from different
sources; a feature share's range is an order of magnitude, x0.3 to x3 of its guess).
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidValue, Message
from .assumptions import CAP_SPREAD, range_of

GROWTH_SPREAD = 0.01  # +- 1 point a year on each sector's growth: project assumption
EFFECTIVENESS_SPREAD = 1.58  # each ➕ grade's t/yr per 10k yuan /1.58 to x1.58 (its range)
RATE_SPREAD = 0.02  # the discount rate +- 2 points: 6-10 % around the default 8 %
FIXED = "fixed"

# input: (default range or None where each price or family has its own, what it is, the
# limits a profile's range must keep)
DRAWN: dict[str, tuple[tuple[float, float] | None, Message, tuple[float, float]]] = {
    "cap": (CAP_SPREAD, Message("drawn_cap"), (0.0, 3.0)),
    "shift": ((-0.5, 0.5), Message("drawn_shift"), (-1.0, 1.0)),
    "growth": ((-GROWTH_SPREAD, GROWTH_SPREAD), Message("drawn_growth"), (-0.1, 0.1)),
    "grid": (range_of("grid_factor"), Message("drawn_grid"), (0.0, 3.0)),
    "autonomous": (range_of("autonomous_uptake"), Message("drawn_autonomous"), (0.0, 1.0)),
    "uptake": (range_of("sink_uptake_per_mu"), Message("drawn_uptake"), (0.0, 5.0)),
    "feature_shares": (None, Message("drawn_feature_shares"), (0.0, 10.0)),
    "energy_prices": (None, Message("drawn_energy_prices"), (0.0, 5.0)),
    "capex": (None, Message("drawn_capex"), (0.0, 20.0)),
    "cost_effectiveness": ((1 / EFFECTIVENESS_SPREAD, EFFECTIVENESS_SPREAD),
                           Message("drawn_cost_effectiveness"), (0.0, 20.0)),
    "discount_rate": (None, Message("drawn_discount_rate", spread=f"{RATE_SPREAD:g}"),
                      (0.0, 0.3)),
}
CENTRED = ("feature_shares", "energy_prices", "capex", "cost_effectiveness", "discount_rate")
UNCERTAINTY_ALLOWED = Message("site_uncertainty", inputs=", ".join(DRAWN),
                              centred=", ".join(CENTRED))


def check_uncertainty(value: Any) -> dict[str, tuple[float, float] | str]:
    """The profile's `uncertainty:` mapping checked against `DRAWN` (a multiplier's range
    must hold 1; the discount rate's is checked against the rate in force by
    `check_rate_range`). Raises ValueError naming the input."""
    if not isinstance(value, dict):
        raise InvalidValue("uncertainty_not_mapping", field="uncertainty", value=repr(value))
    checked: dict[str, tuple[float, float] | str] = {}
    for name, given in value.items():
        if name not in DRAWN:
            raise InvalidValue("unknown_uncertainty", field="uncertainty", name=name)
        checked[name] = FIXED if given == FIXED else _checked_range(name, given)
        if name != "discount_rate":
            _holding(name, checked[name], 1.0)
    return checked


def check_rate_range(ranges: dict[str, tuple[float, float] | str], rate: float) -> None:
    """The discount rate's range must hold the rate in force."""
    _holding("discount_rate", ranges.get("discount_rate", FIXED), rate)


def _checked_range(name: str, given: Any) -> tuple[float, float]:
    low_limit, high_limit = DRAWN[name][2]
    numbers = isinstance(given, list | tuple) and len(given) == 2 and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in given)
    if not numbers or not low_limit <= given[0] <= given[1] <= high_limit:
        raise InvalidValue("range_not_allowed", field=f"uncertainty.{name}", value=repr(given),
                           low=f"{low_limit:g}", high=f"{high_limit:g}", what=DRAWN[name][1])
    return float(given[0]), float(given[1])


def _holding(name: str, given: tuple[float, float] | str, central: float) -> None:
    """A split-uniform input's range must hold its central value."""
    if name in CENTRED and given != FIXED and not given[0] <= central <= given[1]:
        raise InvalidValue("range_off_centre", field=f"uncertainty.{name}", value=repr(list(given)),
                           central=f"{central:g}")
