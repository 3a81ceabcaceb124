"""The measures a budget buys, judged by what they abate TOGETHER (docs/economics.md).

On each sector x carrier cell the measures combine multiplicatively, so the cell's
log-remaining factor L_c = L0_c + sum_m x_m d_mc is linear in the 0-1 choices x and the
cell's abatement w_c E_c (e^L0_c - e^L_c) is concave in L_c. The solver (scipy's milp)
maximises it through tangent planes of e^L (an outer approximation: never below the true
value), adds local generation and sinks (linear), and charges the energy electrification and
fuel switches add through tangents from below of their convex share of each cut
(`_added_energy_rows`); so its optimum bounds every choice from above, closely. Each
solution is then evaluated exactly by the site model (`SiteModel.run`), and a no-good cut
excludes it, until the bound falls within `GAP` of the best exact value (or
`STALLED_ROUNDS` rounds in a row find nothing better, or `MAX_ROUNDS` end): the reported
`gap` certifies the choice, and its abatement is the model's, never the sum of stand-alone
figures (it cannot exceed business-as-usual emissions). Then measures that add nothing
leave, measures left out that still fit and add join, and a cheaper measure replaces a
chosen one where the set abates as much.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..errors import InputError, Message
from ..inputs.catalog import Catalog
from ..inputs.dependencies import exclusive_conflicts, prerequisites_only
from ..inputs.site import Site
from ..model.economics import CONVERTING, cost_year, measure_capex, standalone_economics
from ..model.pathway import Pathway, SiteModel, credit_in, standalone_runs
from .ranking import Ranking, method_spec
from .roadmap import budgeted_phases, exclusion_reasons, phases

OBJECTIVES = ("abatement", "score")
COLUMNS = ["id", "name_zh", "name_en", "capex_10k_yuan", "spend_10k_yuan", "standalone_t_per_yr",
           "cost_yuan_per_t", "saving_10k_yuan_per_yr", "chosen", "reason"]
TANGENTS = 12
GAP = 0.01  # stop when the bound is within 1 % of the best exact value
MAX_ROUNDS = 12
STALLED_ROUNDS = 4  # rounds in a row finding nothing better: the bound is loose, stop there
BINDING = 1e-6  # t/yr per 10k yuan: a smaller dual is rounding, the budget does not bind
IDLE = 1e-4  # a chosen measure adding less than this share of the total is left out


@dataclass(frozen=True)
class Portfolio:
    """What a budget buys.

    `frame` columns: id, name_zh, name_en, capex_10k_yuan (investment for full adoption),
    spend_10k_yuan (what its adoption alone spends beyond business as usual by the target
    year: what the budget pays for it), standalone_t_per_yr (the measure alone in `year`),
    cost_yuan_per_t (its levelised cost alone in the site's target year, as the ranking's),
    saving_10k_yuan_per_yr (its yearly energy saving alone then: negative when it buys
    dearer energy than it saves, a running cost the budget, which pays capital, does not
    count), chosen, reason (why left out).
    Chosen first. `portfolio_spend` (10k yuan) and `portfolio_abatement` (t/yr in `year`,
    what the chosen measures abate together, = the site model's run of the chosen set);
    `bau_emissions` in `year` for comparison; `gap`: how far the bound is above the chosen
    set (share); `shadow_price`: t/yr gained per extra 10k yuan (LP relaxation's dual; None
    when the included measures cost more than the budget), `phase_shadow_prices` each
    budgeted phase's;
    `step_gain`: the exact gain of a budget 10 % larger, per 10k yuan (None unless asked
    for: it costs a second optimisation); `max_cost`: the ceiling on a bought measure's
    levelised cost, yuan/t (None: none); `committed`: the measures the profile includes
    (and their prerequisites), always chosen and paid from the budget first, and
    `committed_spend` what they cost (above the budget: nothing else is bought)."""

    frame: pd.DataFrame
    budget: float
    portfolio_spend: float
    portfolio_abatement: float
    bau_emissions: float
    year: int
    objective: str
    gap: float
    shadow_price: float
    step_gain: float | None
    max_cost: float | None = None
    committed: tuple[str, ...] = ()
    committed_spend: float = 0.0
    phase_shadow_prices: dict[str, float] = field(default_factory=dict)
    cost_year: int | None = None  # the year of cost_yuan_per_t and saving_10k_yuan_per_yr


class Rules(NamedTuple):
    """What a choice of candidates must respect: each one's cost (10k yuan) within the
    `budget`; the prerequisites (item, needed) and exclusive pairs (positions);
    `phase_limits`, (each candidate's spend inside a phase, the phase's budget); the
    `committed` candidates, always chosen (closed under prerequisites), and the `closed`
    ones, never (a prerequisite missing, a cost above the ceiling); bool per candidate,
    None for none; `stocks`, (each candidate's share of a cell's stock it converts, the
    most the chosen may convert together: `_stocks`)."""

    costs: np.ndarray
    budget: float
    requires: list[tuple[int, int]]
    exclusive: list[tuple[int, int]]
    phase_limits: tuple[tuple[np.ndarray, float], ...] = ()
    committed: np.ndarray | None = None
    closed: np.ndarray | None = None
    stocks: tuple[tuple[np.ndarray, float], ...] = ()

    def forced(self) -> np.ndarray:
        return np.zeros(len(self.costs), dtype=bool) if self.committed is None else \
            self.committed

    def shut(self) -> np.ndarray:
        return np.zeros(len(self.costs), dtype=bool) if self.closed is None else self.closed

    def allows(self, chosen: np.ndarray) -> bool:
        """Whether `chosen` (bool per candidate) keeps every rule but the commitments."""
        return (self.costs[chosen].sum() <= self.budget + 1e-9
                and all(spend[chosen].sum() <= limit + 1e-9
                        for spend, limit in (*self.phase_limits, *self.stocks))
                and not (chosen & self.shut()).any()
                and all(chosen[needed] for item, needed in self.requires if chosen[item])
                and not any(chosen[a] and chosen[b] for a, b in self.exclusive))


@dataclass(frozen=True)
class Problem:
    """The linear model: variables x (measures) then z (cells); maximise `c` @ vars;
    `closed` measures are held at x = 0."""

    objective: np.ndarray
    rows: np.ndarray
    upper: np.ndarray
    measures: int
    closed: np.ndarray
    budget_rows: int  # the first rows: the budget's and each phase budget's

    def bounds(self, width: int) -> Bounds:
        """x in [0, 1] (0 when closed), the other variables free."""
        others = width - self.measures
        return Bounds(np.r_[np.zeros(self.measures), np.full(others, -np.inf)],
                      np.r_[np.where(self.closed, 0.0, 1.0), np.full(others, np.inf)])


def _linear_problem(model: SiteModel, ids: list[str], year: int, weights: np.ndarray,
                    rules: Rules) -> Problem:
    """Budget (first), phase budget, prerequisite, exclusive, stock, committed, tangent,
    added-energy and enabling-cap rows (A vars <= b); variables: x (measures), z (cells'
    cuts), y (energy moved measures add), e (the enabling measures' log cut of each cell
    they act on). Committed measures: -x <= -1."""
    costs, budget, requires, exclusive, phase_limits = rules[:5]
    base, fx, bau = model.base, model.effects, model.bau_state
    column = int(np.searchsorted(base.years, year))
    rows_of = [fx.ids.index(i) for i in ids]
    alone = standalone_runs(model, ids)  # each one's adoption alone (twins taken into account)
    reach = np.array([alone[i].state.adoption[row, column] for i, row in zip(ids, rows_of,
                                                                             strict=True)])
    before = bau.adoption[rows_of, column]
    share = fx.share[rows_of]
    delta = np.log1p(-share * reach[:, None]) - np.log1p(-share * before[:, None])
    start = bau.logs.cell[:, column]
    enabling = np.array(fx.types)[rows_of] == "enabling"
    cap = _EnablingCap.of(model, column, delta, enabling)
    energy = base.energy[:, column]
    value = base.factor[:, column] * energy  # t per unit of e^L (electricity: the grid)
    cells = np.nonzero((delta < 0).any(axis=0) & (value > 0))[0]
    lowest = start + np.where(enabling[:, None], 0.0, delta).sum(axis=0) + cap.lowest
    linear = fx.generation[rows_of, column] * (reach - before) * base.grid[column] \
        + fx.removal[rows_of] * (reach - before)
    moves = [(m, cell) for m, row in enumerate(rows_of)
             for cell in np.nonzero((fx.target[row] >= 0) & (delta[m] < 0))[0]]
    n, k, p, q = len(ids), len(cells), len(moves), len(cap.cells)
    width = n + k + p + q
    objective = np.concatenate([linear * weights, np.ones(k),
                                [-weights[m] for m, _ in moves], np.zeros(q)])
    blocks = [np.concatenate([spend, np.zeros(k + p + q)])[None]
              for spend in (costs, *(spend for spend, _ in phase_limits))]
    bounds = [budget, *(limit for _, limit in phase_limits)]
    for item, needed in requires:
        row = np.zeros(width)
        row[item], row[needed] = 1.0, -1.0
        blocks.append(row[None])
        bounds.append(0.0)
    for first, second in exclusive:
        row = np.zeros(width)
        row[first] = row[second] = 1.0
        blocks.append(row[None])
        bounds.append(1.0)
    for shares, most in rules.stocks:
        blocks.append(np.concatenate([shares, np.zeros(k + p + q)])[None])
        bounds.append(most)
    for item in np.nonzero(rules.forced())[0]:
        row = np.zeros(width)
        row[item] = -1.0
        blocks.append(row[None])
        bounds.append(-1.0)
    unweighted = weights / weights.max()
    for position, cell in enumerate(cells):
        # z <= w (e^L0 - e^t (1 + L - t)) for each tangent point t, L = L0 + delta . x, the
        # enabling measures' part of delta . x replaced by e - E0 on the cells they act on
        scale = value[cell] * weights.max()
        capped = cap.position.get(cell)
        for point in np.linspace(lowest[cell], start[cell], TANGENTS):
            row = np.zeros(width)
            row[:n] = scale * np.exp(point) * delta[:, cell] * unweighted
            extra = 0.0
            if capped is not None:
                row[:n][enabling] = 0.0
                row[n + k + p + capped] = scale * np.exp(point) * unweighted[enabling].max()
                extra = row[n + k + p + capped] * cap.before[capped]
            row[n + position] = 1.0
            blocks.append(row[None])
            bounds.append(scale * (np.exp(start[cell]) - np.exp(point)
                                   * (1 + start[cell] - point)) + extra)
    for position, (m, cell) in enumerate(moves):
        rows, limits = _added_energy_rows(model, rows_of[m], m, cell, delta, start, lowest,
                                          column, n + k + position, width)
        blocks += rows
        bounds += limits
    rows, limits = cap.rows(delta, enabling, n + k + p, width)
    return Problem(objective, np.vstack([*blocks, *rows]), np.array([*bounds, *limits]), n,
                   rules.shut(), 1 + len(phase_limits))


@dataclass(frozen=True)
class _EnablingCap:
    """The model's joint cap on enabling measures (`_cap_enabling`) as linear rows: on each
    cell they act on, e >= E0 + (their delta) . x and e >= min(E0, floor), where E0 is
    business as usual's enabling log cut and floor the cap's; maximising pushes e down to
    the larger, which is the model's capped cut exactly."""

    cells: np.ndarray
    position: dict[int, int]  # cell -> its e variable
    before: np.ndarray  # E0 of each of `cells`
    floor: np.ndarray  # min(E0, the cap's log) of each of `cells`
    lowest: np.ndarray  # all cells: the lowest capped enabling log cut beyond business as usual

    @classmethod
    def of(cls, model: SiteModel, column: int, delta: np.ndarray,
           enabling: np.ndarray) -> _EnablingCap:
        before = model.bau_state.logs.enabling[:, column]
        floor = np.minimum(before, model.pairs.enabling_floor)
        most = delta[enabling].sum(axis=0)
        cells = np.nonzero((delta[enabling] < 0).any(axis=0))[0]
        return cls(cells, {int(c): i for i, c in enumerate(cells)}, before[cells],
                   floor[cells], np.maximum(before + most, floor) - before)

    def rows(self, delta: np.ndarray, enabling: np.ndarray, first: int, width: int,
             ) -> tuple[list[np.ndarray], list[float]]:
        rows, limits = [], []
        for position, cell in enumerate(self.cells):
            added = np.zeros(width)
            added[:delta.shape[0]][enabling] = delta[enabling, cell]
            added[first + position] = -1.0
            floor = np.zeros(width)
            floor[first + position] = -1.0
            rows += [added[None], floor[None]]
            limits += [-self.before[position], -self.floor[position]]
        return rows, limits


def _added_energy_rows(model: SiteModel, row: int, m: int, cell: int, delta: np.ndarray,
                       start: np.ndarray, lowest: np.ndarray, column: int, y: int,
                       width: int) -> tuple[list[np.ndarray], list[float]]:
    """y >= t/yr that measure m adds by moving energy out of `cell`, and y >= 0.

    Its share of the cell's cut is (-delta_m) E h(u), u = -delta . x the cell's log cut,
    h(u) = e^L0 (1 - e^-u) / u (the log-share split). h is convex, so its tangents bound it
    from below: y >= K (h(t) + h'(t)(u - t)) when x_m = 1, relaxed by M (1 - x_m) when not."""
    base, fx = model.base, model.effects
    gain = -delta[m, cell] * base.energy[cell, column] * fx.ratio[row] * \
        base.factor[fx.target[row, cell], column]
    floor = np.zeros(width)
    floor[y] = -1.0
    rows, limits = [floor[None]], [0.0]
    for point in np.linspace(-delta[m, cell], start[cell] - lowest[cell], TANGENTS):
        h = np.exp(start[cell]) * -np.expm1(-point) / point
        slope = np.exp(start[cell]) * ((point + 1) * np.exp(-point) - 1) / point ** 2
        line = np.zeros(width)
        line[:delta.shape[0]] = -gain * slope * delta[:, cell]
        line[m] += gain * (h - slope * point)
        line[y] = -1.0
        rows.append(line[None])
        limits.append(0.0)
    return rows, limits


INFEASIBLE = 2  # scipy's status for a problem with no solution (milp and linprog)


def _solve(problem: Problem, cuts: list[np.ndarray]) -> tuple[np.ndarray, float] | None:
    """The best choice of the linear model and its bound; None when no choice is left (the
    no-good `cuts` have excluded every one). Any other failure is the model's fault, and
    raises: a choice the solver did not find is never reported as optimal."""
    rows, upper = problem.rows, problem.upper
    if cuts:
        extra = np.zeros((len(cuts), rows.shape[1]))
        extra[:, :problem.measures] = [np.where(cut, 1.0, -1.0) for cut in cuts]
        rows = np.vstack([rows, extra])
        upper = np.concatenate([upper, [cut.sum() - 1.0 for cut in cuts]])
    integrality = np.r_[np.ones(problem.measures), np.zeros(rows.shape[1] - problem.measures)]
    with _solver_output_dropped():
        result = milp(-problem.objective, constraints=LinearConstraint(rows, -np.inf, upper),
                      integrality=integrality, bounds=problem.bounds(rows.shape[1]))
    if result.status == INFEASIBLE:
        return None
    if not result.success:
        raise RuntimeError(f"the budget's optimisation failed: {result.message}")
    return np.round(result.x[:problem.measures]).astype(bool), float(-result.fun)


@contextmanager
def _solver_output_dropped() -> Iterator[None]:
    """HiGHS's MIP solver now and then prints a stray line to the process's standard output
    whatever its options say (ERGO-Code/HiGHS issue 2783), which would break `--format
    json`: file descriptor 1 points at /dev/null while it solves (C buffers flushed first,
    so nothing printed before or during the solve lands elsewhere)."""
    if sys.platform == "win32":  # no C library to flush by name
        yield
        return
    libc = ctypes.CDLL(None)
    sys.stdout.flush()
    libc.fflush(None)
    kept = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        libc.fflush(None)
        os.dup2(kept, 1)
        os.close(kept)


def _credits(model: SiteModel, ids: list[str], year: int) -> np.ndarray:
    """Every measure's credit (t/yr) in `year` when `ids` are adopted together (the site
    model, no green power); they add up to what the set abates together."""
    run = model.run("portfolio", dict.fromkeys(ids, 0), green_power=False)
    column = int(np.searchsorted(model.base.years, year))
    return run.credit[:-1, :, column].sum(axis=1) + \
        (run.state.sinks - model.bau_state.sinks)[:, column]


def combined_abatement(model: SiteModel, ids: list[str], year: int) -> float:
    """t/yr the measures abate together in `year`."""
    return float(_credits(model, ids, year).sum()) if ids else 0.0


class Choice(NamedTuple):
    chosen: np.ndarray  # bool per candidate
    value: float  # exact weighted combined abatement, t/yr
    gap: float  # the bound's excess over `value` (a share)
    idle: set[int]  # candidates the search took that added nothing, left out


def best_choice(model: SiteModel, ids: list[str], year: int, weights: np.ndarray,
                rules: Rules) -> Choice:
    """The choice maximising the weighted combined abatement (module docstring) under
    `rules`, without the measures that add nothing to it (`_without_idle`), with those left
    out that still fit and add (`_added`), and a cheaper one in place of a chosen one where
    the set abates as much (`_cheaper`). The committed candidates are always chosen; when
    the budget cannot pay for them, they are the choice."""
    committed = rules.forced()
    best_value = _exact_value(model, ids, committed, year, weights)
    if rules.costs[committed].sum() > rules.budget:
        return Choice(committed, best_value, 0.0, set())
    problem = _linear_problem(model, ids, year, weights, rules)
    best, bound, cuts, stalled = committed, 0.0, [], 0
    for _ in range(MAX_ROUNDS):
        solved = _solve(problem, cuts)
        if solved is None:
            bound = best_value
            break
        chosen, bound = solved
        value = _exact_value(model, ids, chosen, year, weights)
        stalled = 0 if value > best_value else stalled + 1
        if value > best_value:
            best, best_value = chosen, value
        if bound <= best_value * (1 + GAP) + 1e-6 or stalled == STALLED_ROUNDS:
            break
        cuts.append(chosen)
    kept, value = _without_idle(model, ids, best, best_value, year, weights, rules.requires,
                                committed)
    kept, value = _added(model, ids, kept, value, year, weights, rules)
    kept, value = _cheaper(model, ids, kept, value, year, weights, rules)
    gap = (bound - value) / value if value > 0 else 0.0
    return Choice(kept, value, max(gap, 0.0), set(np.nonzero(best & ~kept)[0]))


def _without_idle(model: SiteModel, ids: list[str], chosen: np.ndarray, value: float,
                  year: int, weights: np.ndarray, requires: list[tuple[int, int]],
                  committed: np.ndarray) -> tuple[np.ndarray, float]:
    """`chosen` less the measures whose removal costs at most `IDLE` of its value, tried
    lowest-ranked first and never one committed or one a chosen measure requires: a bound
    within `GAP` is indifferent to spending on them. (Once enabling measures fill their
    joint cap, one more programme is credited a slice of the same tonnes and adds none.)
    Passes repeat while one leaves a measure out: a prerequisite is tried again once the
    measures needing it are gone."""
    tried = set()
    while True:
        left = [item for item in np.nonzero(chosen & ~committed)[0][::-1]
                if item not in tried and not _needed(item, chosen, requires)]
        if not left:
            return chosen, value
        for item in left:
            tried.add(item)
            trial = chosen.copy()
            trial[item] = False
            trial_value = _exact_value(model, ids, trial, year, weights)
            if trial_value >= value * (1 - IDLE):
                chosen, value = trial, trial_value


def _needed(item: int, chosen: np.ndarray, requires: list[tuple[int, int]]) -> bool:
    """Whether a chosen measure needs `item`."""
    return any(chosen[later] and needed == item for later, needed in requires)


def _with(chosen: np.ndarray, item: int, requires: list[tuple[int, int]]) -> np.ndarray:
    """`chosen` and `item`, with its prerequisites."""
    taken = chosen.copy()
    taken[item] = True
    return _with_prerequisites(taken, requires)


def _added(model: SiteModel, ids: list[str], chosen: np.ndarray, value: float, year: int,
           weights: np.ndarray, rules: Rules) -> tuple[np.ndarray, float]:
    """`chosen` and, one at a time, the measure left out (with its prerequisites) that the
    rules still allow and that adds most, while one adds more than `IDLE` of the value:
    the search stops within `GAP` of its bound, where a measure it left out may still fit
    and add (a measure then called one that "adds nothing" really adds nothing)."""
    while True:
        trials = [_with(chosen, item, rules.requires) for item in np.nonzero(~chosen)[0]]
        values = [(_exact_value(model, ids, trial, year, weights), position)
                  for position, trial in enumerate(trials) if rules.allows(trial)]
        gain, position = max(values, default=(value, -1))
        if gain <= value * (1 + IDLE) + 1e-9:
            return chosen, value
        chosen, value = trials[position], gain


def _cheaper(model: SiteModel, ids: list[str], chosen: np.ndarray, value: float, year: int,
             weights: np.ndarray, rules: Rules) -> tuple[np.ndarray, float]:
    """`chosen` with a chosen measure replaced by a cheaper set (another measure and its
    prerequisites) wherever the rules allow it and the value stays within `IDLE`: of two
    interchangeable programmes, the cheaper, whatever their ranks. Only replacements that
    abate alone at least what the measure's removal loses are tried (the model's credits
    add up to less together than apart)."""
    costs, alone = rules.costs, {}
    for item in sorted(np.nonzero(chosen & ~rules.forced())[0], key=lambda i: -costs[i]):
        if not chosen[item] or _needed(item, chosen, rules.requires):
            continue
        without = chosen.copy()
        without[item] = False
        loss = value - _exact_value(model, ids, without, year, weights)
        for other in sorted(np.nonzero(~chosen)[0], key=lambda i: costs[i]):
            trial = _with(without, other, rules.requires)
            if costs[trial].sum() >= costs[chosen].sum() or not rules.allows(trial):
                continue
            if other not in alone:  # only for the candidates that could replace one
                alone[other] = _exact_value(model, ids, np.arange(len(ids)) == other, year,
                                            weights)
            if alone[other] < loss * (1 - IDLE):
                continue
            trial_value = _exact_value(model, ids, trial, year, weights)
            if trial_value >= value * (1 - IDLE):
                chosen, value = trial, trial_value
                break
    return chosen, value


def _exact_value(model: SiteModel, ids: list[str], chosen: np.ndarray, year: int,
                 weights: np.ndarray) -> float:
    """The chosen set's combined abatement, each chosen measure's credit x its weight."""
    picked = [i for i, c in zip(ids, chosen, strict=True) if c]
    if not picked:
        return 0.0
    if np.allclose(weights, 1.0):
        return combined_abatement(model, picked, year)
    credits = _credits(model, picked, year)[[model.effects.ids.index(i) for i in picked]]
    return float(credits @ weights[chosen])


def lp_shadow_prices(problem: Problem) -> tuple[float, ...] | None:
    """Value per extra 10k yuan of the budget, then of each phase budget, in the LP
    relaxation; None when it has no solution (the committed measures cost more than the
    budget)."""
    limits = problem.bounds(problem.rows.shape[1])
    result = linprog(-problem.objective, A_ub=problem.rows, b_ub=problem.upper,
                     bounds=list(zip(limits.lb, limits.ub, strict=True)), method="highs")
    if result.status == INFEASIBLE:
        return None
    if not result.success:
        raise RuntimeError(f"the budget's linear relaxation failed: {result.message}")
    return tuple(float(-dual) for dual in result.ineqlin.marginals[:problem.budget_rows])


def budget_portfolio(ranking: Ranking, catalog: Catalog, dependencies: nx.DiGraph,
                     model: SiteModel, budget: float | None = None, year: int | None = None,
                     objective: str = "abatement", capex: pd.DataFrame | None = None,
                     phase_budgets: dict[str, float] | None = None,
                     step_gain: bool = True, max_cost: float | None = None,
                     committed: tuple[str, ...] | None = None) -> Portfolio:
    """The candidates that maximise what they abate together in `year` (or that x the
    site score) within the budget, each taken only with its prerequisites and at most one
    of an exclusive group. Defaults: the site's budget, the year of its target (else its
    target year), its phase budgets. `capex`: `measure_capex` of the candidates when
    already known; `phase_budgets`: {phase: 10k yuan} the spend inside a phase may not
    exceed (each measure spends its capex as its adoption grows); `step_gain`: also solve
    for a budget 10 % larger (`roadmap run` does not report it, and skips it); `max_cost`
    (default: the profile's `budget_max_cost`): yuan/t above which a measure is not bought,
    its levelised cost alone (a biodiesel CCHP that abates much per yuan of capex but buys
    dear fuel every year); `committed` (default: the profile's `include`): measures always
    chosen, with their prerequisites, and paid from the budget first, whatever their cost."""
    site = model.site
    budget = budget if budget is not None else site.budget
    if budget is None or budget <= 0:
        raise InputError(site.file, "no_budget", field="budget",
                         allowed=Message("a_positive_budget"))
    if objective not in OBJECTIVES:
        raise InputError("--objective", "unknown_objective", objective=objective,
                         allowed=", ".join(OBJECTIVES))
    year = year or site.goal_year
    ids = [i for i in ranking.frame["id"] if i in model.effects.ids]
    weights = _merit(ranking, ids) if objective == "score" else np.ones(len(ids))
    capex = (capex if capex is not None else measure_capex(model, ids)).set_index("id").loc[ids]
    runs = standalone_runs(model, ids)
    charges = _charges(model, runs, ids, capex)
    index = {tech_id: i for i, tech_id in enumerate(ids)}
    requires, missing = _requirements(dependencies, index, catalog)
    max_cost = site.budget_max_cost if max_cost is None else max_cost
    alone = standalone_economics(model, runs, cost_year(site))
    levelised = alone["cost_yuan_per_t"]
    dear = set() if max_cost is None else set(np.nonzero(levelised.to_numpy() > max_cost)[0])
    forced = _committed(site.include if committed is None else committed, index, requires)
    closed = np.isin(np.arange(len(ids)), sorted(missing | dear)) & ~forced
    closed = _with_dependents(closed, requires)  # a closed prerequisite closes its dependents
    phase_budgets = site.phase_budgets if phase_budgets is None else phase_budgets
    limits = _phase_limits(model, charges, phase_budgets)
    _check_committed_phases(site, forced, limits, phase_budgets)
    stocks, stock_cells = _stocks(model, ids, forced)
    rules = Rules(charges.sum(axis=1), budget, requires, _exclusive(catalog, index), limits,
                  forced, closed, stocks)
    chosen, value, gap, idle = best_choice(model, ids, year, weights, rules)
    picked = [i for i, c in zip(ids, chosen, strict=True) if c]
    standalone = [credit_in(run, year) for run in runs.values()]
    why = _Why(ids, rules, tuple(phase_budgets), chosen, missing, dear,
               exclusion_reasons(dependencies, site), max_cost,
               idle | _affordable(chosen, rules), standalone, stock_cells)
    frame = pd.DataFrame({
        "id": ids, "name_zh": [catalog.get(i).name_zh for i in ids],
        "name_en": [catalog.get(i).name_en for i in ids],
        "capex_10k_yuan": capex["capex"].to_numpy() / 1e4, "spend_10k_yuan": rules.costs,
        "standalone_t_per_yr": standalone, "cost_yuan_per_t": levelised.to_numpy(),
        "saving_10k_yuan_per_yr": alone["saving_10k_yuan_per_yr"].to_numpy(),
        "chosen": chosen, "reason": [why.reason(i) for i in range(len(ids))]})
    frame = frame.sort_values(["chosen", "standalone_t_per_yr"], ascending=[False, False],
                              kind="stable")[COLUMNS].reset_index(drop=True)
    column = int(np.searchsorted(model.base.years, year))
    step = None
    if step_gain:  # the larger budget can buy this choice too: its best is at least as good
        larger = best_choice(model, ids, year, weights, rules._replace(budget=budget * 1.1))
        step = (max(larger.value, value) - value) / (budget * 0.1)
    duals = lp_shadow_prices(_linear_problem(model, ids, year, weights, rules))
    return Portfolio(frame, budget, float(rules.costs[chosen].sum()),
                     combined_abatement(model, picked, year),
                     float(model.bau_state.emissions[:, column].sum()), year, objective, gap,
                     None if duals is None else duals[0], step, max_cost,
                     tuple(i for i, f in zip(ids, forced, strict=True) if f),
                     float(rules.costs[forced].sum()),
                     {} if duals is None else dict(zip(phase_budgets, duals[1:], strict=True)),
                     cost_year(site))


def _merit(ranking: Ranking, ids: list[str]) -> np.ndarray:
    """Each candidate's weight under the score objective: its ranking score scaled from
    1/n (the last of n candidates) to 1 (the first), in the method's direction (VIKOR's
    and SPOTIS's lowest is best), so that every weight is positive on any method's scale
    (most of PROMETHEE II's net flows are negative)."""
    score = ranking.frame.set_index("id")["score"].loc[ids].to_numpy(dtype=float)
    if not method_spec(ranking.method).higher_is_better:
        score = -score
    low, high, count = score.min(), score.max(), len(score)
    scaled = (score - low) / (high - low) if high > low else np.ones(count)
    return 1 / count + (1 - 1 / count) * scaled


def _charges(model: SiteModel, runs: dict[str, Pathway], ids: list[str],
             capex: pd.DataFrame) -> np.ndarray:
    """Candidates x years: what each one's capex costs (10k yuan) as its adoption alone
    grows beyond business as usual, `spending`'s rule, so that what the budget pays is the
    report's investment (a measure business as usual half adopts costs half its capex)."""
    rows = [model.effects.ids.index(i) for i in ids]
    added = np.array([runs[i].state.adoption[row] for i, row in zip(ids, rows, strict=True)])
    added -= model.bau_state.adoption[rows]
    steps = np.clip(np.diff(added, axis=1, prepend=0.0), 0.0, None)
    return capex["capex"].to_numpy()[:, None] / 1e4 * steps


def _committed(include: tuple[str, ...], index: dict[str, int],
               requires: list[tuple[int, int]]) -> np.ndarray:
    """Bool per candidate: the included ones and everything they require."""
    forced = np.zeros(len(index), dtype=bool)
    forced[[index[i] for i in include if i in index]] = True
    return _with_prerequisites(forced, requires)


def _with_prerequisites(taken: np.ndarray, requires: list[tuple[int, int]]) -> np.ndarray:
    """`taken` (bool per candidate) and everything it requires (`requires` holds every
    ancestor, so one pass closes the set)."""
    taken = taken.copy()
    for item, needed in requires:
        taken[needed] |= taken[item]
    return taken


def _with_dependents(closed: np.ndarray, requires: list[tuple[int, int]]) -> np.ndarray:
    """`closed` (bool per candidate) and every candidate needing one of them."""
    closed = closed.copy()
    for item, needed in requires:
        closed[item] |= closed[needed]
    return closed


def _check_committed_phases(site: Site, forced: np.ndarray,
                            limits: tuple[tuple[np.ndarray, float], ...],
                            budgets: dict[str, float]) -> None:
    """The profile's included measures must fit each phase budget: nothing else could."""
    for name, (spend, limit) in zip(budgets, limits, strict=True):
        if spend[forced].sum() > limit + 1e-9:
            needed, term = f"{spend[forced].sum():,.0f}", Message(f"phase_{name}")
            raise InputError(site.file, "committed_over_phase", spent=needed, phase=term,
                             limit=f"{limit:,.0f}", field="phase_budgets",
                             allowed=Message("committed_phase_allowed", spent=needed,
                                             phase=term))


def _affordable(chosen: np.ndarray, rules: Rules) -> set[int]:
    """The candidates left out that the rules allow beside the choice, with their
    prerequisites: `best_choice` added every one that adds more than `IDLE`, so they add
    nothing to it."""
    return {int(item) for item in np.nonzero(~chosen)[0]
            if rules.allows(_with(chosen, item, rules.requires))}


def _phase_limits(model: SiteModel, charges: np.ndarray, budgets: dict[str, float],
                  ) -> tuple[tuple[np.ndarray, float], ...]:
    """(each candidate's spend inside the phase, the phase's budget) per budgeted phase."""
    spans = budgeted_phases(model.site, budgets)
    years = model.base.years
    return tuple((charges[:, (years > spans[name][0]) & (years <= spans[name][1])]
                  .sum(axis=1), float(limit)) for name, limit in budgets.items())


def _stocks(model: SiteModel, ids: list[str], committed: np.ndarray,
            ) -> tuple[tuple[tuple[np.ndarray, float], ...], list[str]]:
    """A rule per cell that converting measures (`CONVERTING`) could together convert more
    than all of: their full-adoption shares of it, chosen together, may not sum above 1
    (above what the committed ones take, when they take more). Heat pumps of three kinds
    and a biomass boiler for one canteen's gas are rival kits, not one plan; the pathway
    would credit them 1 - prod(1 - share), but the budget would pay for each in full. And
    the cells' names ("commercial.lpg"), in the rules' order."""
    fx, cells = model.effects, model.base.cells
    rows = [fx.ids.index(i) for i in ids]
    converting = np.isin(np.array(fx.types)[rows], CONVERTING)
    shares = np.where(converting[:, None], fx.share[rows], 0.0)  # candidates x cells
    crowded = np.flatnonzero(shares.sum(axis=0) > 1.0 + 1e-9)
    return (tuple((shares[:, cell], max(1.0, shares[committed, cell].sum()))
                  for cell in crowded),
            [".".join(cells[cell]) for cell in crowded])


def _requirements(dependencies: nx.DiGraph, index: dict[str, int], catalog: Catalog,
                  ) -> tuple[list[tuple[int, int]], set[int]]:
    """(item, needed) for every prerequisite among the candidates, except one the item
    includes or restates (the retrofit that includes building energy management serves its
    own prerequisite); and the candidates with a prerequisite outside them."""
    hard, conflicts = prerequisites_only(dependencies), exclusive_conflicts(catalog)
    requires, missing = [], set()
    for tech_id, item in index.items():
        if tech_id not in hard:
            continue
        for before in sorted(nx.ancestors(hard, tech_id)):
            if before not in index:
                missing.add(item)
            elif not conflicts.has_edge(tech_id, before):
                requires.append((item, index[before]))
    return sorted(requires), missing


def _exclusive(catalog: Catalog, index: dict[str, int]) -> list[tuple[int, int]]:
    conflicts = exclusive_conflicts(catalog)
    return sorted({tuple(sorted((index[a], index[b]))) for a, b in conflicts.edges
                   if a in index and b in index and a != b})


class _Why(NamedTuple):
    """Why each candidate left out is left out (`reason`)."""

    ids: list[str]
    rules: Rules
    phases: tuple[str, ...]  # the budgeted phases, in the order of the rules' limits
    chosen: np.ndarray
    missing: set[int]  # with a prerequisite outside the candidates
    dear: set[int]  # above the cost ceiling
    blocked: dict[str, str]  # id -> why: it needs a measure the profile excludes
    ceiling: float | None
    idle: set[int]  # allowed beside the choice, adding nothing to it
    standalone: list[float]
    stock_cells: list[str]  # the cells of the rules' stocks, in their order

    def reason(self, item: int) -> str:
        if self.chosen[item]:
            return ""
        needs = [needed for one, needed in self.rules.requires if one == item]
        if item in self.missing:
            return self.blocked.get(self.ids[item], "a prerequisite does not apply to this site")
        if item in self.dear:
            return f"its levelised cost is above the ceiling of {self.ceiling:,.0f} yuan/t"
        for needed in needs:
            if self.rules.shut()[needed]:
                return f"needs {self.ids[needed]}: {self.reason(needed)}"
        if self.standalone[item] <= 0:
            return "no abatement by the evaluation year"
        for first, second in self.rules.exclusive:
            other = second if first == item else first if second == item else None
            if other is not None and self.chosen[other]:
                return f"overlaps {self.ids[other]}, which is chosen"
        return self._stock_taken(item) or self._spent(item)

    def _stock_taken(self, item: int) -> str | None:
        """Why a converting measure is left out when the chosen hold the stock it converts."""
        for (shares, most), cell in zip(self.rules.stocks, self.stock_cells, strict=True):
            if shares[item] > 0 and shares[self.chosen].sum() + shares[item] > most + 1e-9:
                rivals = ", ".join(self.ids[i] for i in np.flatnonzero(self.chosen & (shares > 0)))
                return f"the chosen {rivals} already take the {cell} stock it would convert"
        return None

    def _spent(self, item: int) -> str:
        """Left out for its cost or for adding nothing: which."""
        rules = self.rules
        if item in self.idle:
            return "adds nothing to the chosen measures"
        left = rules.budget - rules.costs[rules.forced()].sum()  # after the committed
        if left <= 0:
            return "the budget goes to the measures the profile includes"
        whole = rules.costs[_with(np.zeros_like(self.chosen), item, rules.requires)].sum()
        if whole > left + 1e-9:  # all or nothing: a smaller share of it might fit
            return (f"costs {whole:,.0f} (10k yuan) at its full share, more than the "
                    f"{left:,.0f} the budget has for it: a smaller share of it in the "
                    "profile would fit")
        taken = _with(self.chosen, item, rules.requires)
        if rules.costs[taken].sum() <= rules.budget + 1e-9:
            for (spend, limit), name in zip(rules.phase_limits, self.phases, strict=True):
                if spend[taken].sum() > limit + 1e-9:
                    return f"the {name} term's budget is spent"
        return "the budget buys more combined abatement elsewhere"


def budget_phases(spending: pd.DataFrame, site: Site, budget: float | None) -> pd.DataFrame:
    """The roadmap's investment by phase against the budget: columns phase, start, end,
    investment_10k_yuan, cumulative_10k_yuan, over_budget (the cumulative spend exceeds the
    budget by the phase's end)."""
    roadmap = spending[spending["scenario"] == "roadmap"]
    rows, total = [], 0.0
    for name, start, end in phases(site):
        inside = roadmap[(roadmap["year"] > start) & (roadmap["year"] <= end)]
        spent = float(inside["investment_10k_yuan"].sum())
        total += spent
        rows.append({"phase": name, "start": start, "end": end, "investment_10k_yuan": spent,
                     "cumulative_10k_yuan": total,
                     "over_budget": bool(budget is not None and total > budget)})
    return pd.DataFrame(rows)
