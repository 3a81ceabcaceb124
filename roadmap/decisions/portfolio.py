"""The measures a budget buys: an exact 0-1 knapsack with prerequisites (scipy's milp)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..errors import InputError
from ..inputs.catalog import Catalog
from ..inputs.dependencies import prerequisites_only
from ..model.economics import investment
from ..model.pathway import SiteModel, standalone_abatement
from .ranking import Ranking

OBJECTIVES = ("abatement", "score")
COLUMNS = ["id", "name_zh", "name_en", "investment", "abatement", "value", "chosen", "reason"]


@dataclass(frozen=True)
class Portfolio:
    """What a budget buys.

    `frame` columns: id, name_zh, name_en, investment (10k yuan, central estimate),
    abatement (t/yr in `year`, stand-alone), value (what is maximised: the abatement, or
    abatement x score), chosen, reason (why a measure is left out). Chosen first, then by
    value. `shadow_price`: abatement (t/yr) gained per extra 10k yuan, from the LP
    relaxation's dual; `step_gain`: the exact gain of a budget 10 % larger, per 10k yuan.
    """

    frame: pd.DataFrame
    budget: float
    spent: float
    abatement: float
    year: int
    objective: str
    shadow_price: float
    step_gain: float


def candidate_table(ranking: Ranking, catalog: Catalog, model: SiteModel, year: int,
                    objective: str) -> pd.DataFrame:
    """Investment, stand-alone abatement by `year` (adoption included) and value of every
    candidate."""
    ids = ranking.frame["id"].tolist()
    reached = standalone_abatement(model, ids, year)
    full = standalone_abatement(model, ids, model.site.target_year)
    rows = []
    for _, row in ranking.frame.iterrows():
        tech = catalog.get(row["id"])
        value = reached[tech.id] * (row["score"] if objective == "score" else 1.0)
        rows.append({"id": tech.id, "name_zh": tech.name_zh, "name_en": tech.name_en,
                     "investment": investment(tech, full[tech.id], model.site.assumptions)[1],
                     "abatement": reached[tech.id], "value": value})
    return pd.DataFrame(rows)


def _constraints(costs: np.ndarray, budget: float, requires: list[tuple[int, int]],
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Rows A and bounds b of A x <= b: the budget first, then x_item - x_needed <= 0."""
    rows = np.zeros((1 + len(requires), len(costs)))
    rows[0] = costs
    for row, (item, needed) in enumerate(requires, start=1):
        rows[row, item], rows[row, needed] = 1.0, -1.0
    return rows, np.array([budget] + [0.0] * len(requires))


def solve_knapsack(values: np.ndarray, costs: np.ndarray, budget: float,
                   requires: list[tuple[int, int]]) -> np.ndarray:
    """Exact 0-1 choice maximising value within budget; (i, j) in `requires` means item i
    can be chosen only with item j. Returns a boolean array."""
    rows, upper = _constraints(costs, budget, requires)
    result = milp(-values, constraints=LinearConstraint(rows, -np.inf, upper),
                  integrality=np.ones(len(values)), bounds=Bounds(0, 1))
    if not result.success:
        raise RuntimeError(f"the budget problem could not be solved: {result.message}")
    return np.round(result.x).astype(bool)


def lp_shadow_price(values: np.ndarray, costs: np.ndarray, budget: float,
                    requires: list[tuple[int, int]]) -> float:
    """Marginal value of the budget in the LP relaxation (value per 10k yuan)."""
    rows, upper = _constraints(costs, budget, requires)
    result = linprog(-values, A_ub=rows, b_ub=upper, bounds=(0, 1), method="highs")
    return float(-result.ineqlin.marginals[0]) if result.success else 0.0


def budget_portfolio(ranking: Ranking, catalog: Catalog, dependencies: nx.DiGraph,
                     model: SiteModel, budget: float | None = None, year: int | None = None,
                     objective: str = "abatement") -> Portfolio:
    """The candidates that maximise abatement (or score-weighted abatement) in `year` within
    the budget, each taken only with its prerequisites. Defaults: the site's budget, the
    year of its target (else its target year)."""
    site = model.site
    budget = budget if budget is not None else site.budget
    if budget is None or budget <= 0:
        raise InputError("site", "no budget to allocate", field="budget",
                         allowed="a positive amount in 10k yuan, in the profile or --budget")
    if objective not in OBJECTIVES:
        raise InputError("--objective", f"unknown objective '{objective}'",
                         allowed=", ".join(OBJECTIVES))
    year = year or (site.target.year if site.target else site.target_year)
    table = candidate_table(ranking, catalog, model, year, objective)
    index = {tech_id: i for i, tech_id in enumerate(table["id"])}
    requires, blocked = _requirements(dependencies, index)
    costs = table["investment"].to_numpy(copy=True)
    values = table["value"].to_numpy(copy=True)
    for item in blocked:  # a prerequisite outside the candidates: never choosable
        values[item], costs[item] = 0.0, budget + 1.0
    chosen = solve_knapsack(values, costs, budget, requires)
    table["chosen"] = chosen
    table["reason"] = [_reason(i, chosen, blocked, requires, table) for i in range(len(table))]
    larger = solve_knapsack(values, costs, budget * 1.1, requires)
    step = (values[larger].sum() - values[chosen].sum()) / (budget * 0.1)
    frame = table.sort_values(["chosen", "value"], ascending=[False, False], kind="stable")
    return Portfolio(frame[COLUMNS].reset_index(drop=True), budget,
                     float(table.loc[chosen, "investment"].sum()),
                     float(table.loc[chosen, "abatement"].sum()), year, objective,
                     lp_shadow_price(values, costs, budget, requires), float(step))


def _requirements(dependencies: nx.DiGraph, index: dict[str, int],
                  ) -> tuple[list[tuple[int, int]], set[int]]:
    hard = prerequisites_only(dependencies)
    requires, blocked = [], set()
    for tech_id, item in index.items():
        if tech_id not in hard:
            continue
        for before in sorted(nx.ancestors(hard, tech_id)):
            if before in index:
                requires.append((item, index[before]))
            else:
                blocked.add(item)
    return sorted(requires), blocked


def _reason(item: int, chosen: np.ndarray, blocked: set[int], requires: list[tuple[int, int]],
            table: pd.DataFrame) -> str:
    if chosen[item]:
        return ""
    if item in blocked:
        return "a prerequisite does not apply to this site"
    if table["value"].iloc[item] <= 0:
        return "no abatement by the evaluation year"
    return "the budget buys more abatement elsewhere"
