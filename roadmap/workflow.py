"""The whole analysis of one site in one call: what `roadmap run` reports and a notebook uses."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pandas as pd

from .decisions.experts import ExpertAgreement, expert_agreement
from .decisions.implementation import ImplementationPlan, implementation_plan
from .decisions.matrix import DecisionMatrix, decision_matrix
from .decisions.portfolio import Portfolio, budget_portfolio
from .decisions.ranking import MethodComparison, Ranking, compare_methods, rank
from .decisions.roadmap import Roadmap, build_roadmap
from .decisions.sensitivity import Sensitivity, sensitivity
from .decisions.weights import choose_weights
from .display import preview
from .errors import naming_the_profile
from .inputs.catalog import Catalog
from .inputs.counts import MIN_DRAWS, check_count
from .inputs.dependencies import load_dependencies
from .inputs.site import Site, load_site
from .inputs.vocabulary import METHODS
from .model.economics import (
    cost_year,
    measure_capex,
    measure_economics,
    measure_spending,
    scenario_spending,
)
from .model.pathway import (
    NearZeroGap,
    Pathway,
    SiteModel,
    TargetCheck,
    check_targets,
    contributions,
    near_zero_gap,
    scenario_pathways,
    site_model,
)
from .model.uncertainty import Uncertainty, monte_carlo
from .parallel import forked_helper, inherited


@dataclass(frozen=True)
class Options:
    """How a site is analysed; every default is what `roadmap run` uses.

    >>> quick = roadmap.Options(draws=100, uncertainty_draws=0, compare=("topsis",))
    >>> quick.top, quick.method is None  # 15 measures; the site's own method
    (15, True)
    """

    method: str | None = None  # None: the site's
    method_option: str = "--method"  # the command-line option that set `method`, for errors
    weights: str | dict[str, float] | None = None  # None: the site's
    top: int = 15
    draws: int = 1000  # weight draws of the sensitivity analysis
    uncertainty_draws: int = 200  # Monte Carlo draws through the site model (0: none)
    seed: int = 20201
    top_k: int = 10
    compare: tuple[str, ...] = METHODS
    dependency_files: tuple[Path, ...] = ()

    def __post_init__(self) -> None:
        """The command line's limits, in its words: `Options(draws=0)` is refused here, not
        deep inside numpy."""
        check_count("Options", "draws", self.draws, MIN_DRAWS)
        check_count("Options", "uncertainty_draws", self.uncertainty_draws, 0)
        for name in ("top", "top_k"):
            check_count("Options", name, getattr(self, name), 1, None)
        check_count("Options", "seed", self.seed, 0, None)


@dataclass(frozen=True)
class SiteAnalysis:
    """Everything known about a site after the analysis (see each type's docstring).

    >>> office = roadmap.load_site("catalogs/sites/building.yaml", catalog)
    >>> analysis = roadmap.analyse_site(catalog, office, roadmap.Options(
    ...     draws=100, uncertainty_draws=0, compare=("topsis",)))
    >>> analysis.site.domain, len(analysis.roadmap.frame) > 0, analysis.portfolio is not None
    ('building', True, True)
    """

    site: Site
    catalog: Catalog
    matrix: DecisionMatrix
    ranking: Ranking
    comparison: MethodComparison
    stability: Sensitivity
    dependencies: nx.DiGraph
    roadmap: Roadmap
    model: SiteModel
    scenarios: dict[str, Pathway]  # bau, roadmap, potential
    near_zero: NearZeroGap
    uncertainty: Uncertainty | None
    targets: list[TargetCheck]
    contributions: pd.DataFrame
    economics: pd.DataFrame
    investment: pd.DataFrame  # capex by scenario and year (model.economics.spending)
    portfolio: Portfolio | None
    experts: ExpertAgreement
    years: list[int]
    options: Options = field(default_factory=Options)
    input_hash: str = ""
    implementation: ImplementationPlan | None = None  # the first phase's plan

    @property
    def pathway(self) -> Pathway:
        """The roadmap scenario."""
        return self.scenarios["roadmap"]

    def __repr__(self) -> str:  # the dataclass's would print the site and every table
        return (f"SiteAnalysis(site={self.site.name!r}, method={self.ranking.method!r}, "
                f"{len(self.ranking.frame)} ranked, {len(self.roadmap.frame)} in the roadmap)")

    def _repr_html_(self) -> str:
        return preview(f"Analysis of {self.site.name}: roadmap", self.roadmap.frame,
                       ["phase", "start_year", "popularization_year", "id", "name_zh",
                        "name_en"], rows=len(self.roadmap.frame))


def report_years(site: Site) -> list[int]:
    """2025, 2035 and the target's year (`Site.goal_year`), inside the pathway."""
    return sorted({y for y in (2025, 2035, site.goal_year)
                   if site.base_year <= y <= site.target_year})


def analyse_site(catalog: Catalog, site: Site, options: Options | None = None,
                 input_hash: str = "") -> SiteAnalysis:
    """Rank, plan, project and cost a site's measures with the given options.

    >>> office = roadmap.load_site("catalogs/sites/building.yaml", catalog)
    >>> analysis = roadmap.analyse_site(catalog, office, roadmap.Options(
    ...     draws=100, uncertainty_draws=0, compare=("topsis",)))
    >>> analysis.pathway is analysis.scenarios["roadmap"], analysis.uncertainty is None
    (True, True)
    """
    options = options or Options()
    # the experts' agreement needs the catalog only (and scipy.stats, slow to import): a
    # second core works it out while this one analyses the site
    with forked_helper(catalog) as submit:
        experts = submit(_experts_of_inherited)
        return _analysis(catalog, site, options, input_hash, experts)


def _experts_of_inherited() -> ExpertAgreement:
    return expert_agreement(inherited())


def _site_model(catalog: Catalog, site: Site, matrix: DecisionMatrix,
                roadmap: Roadmap) -> SiteModel:
    """The site model of the candidates and the roadmap's measures: the matrix's own when
    the roadmap adds none to it (its stand-alone runs are made)."""
    ids = list(dict.fromkeys([*matrix.ids, *roadmap.frame["id"]]))
    if matrix.model is not None and ids == list(matrix.model.effects.ids):
        return matrix.model
    return site_model(site, catalog, ids)


def _analysis(catalog: Catalog, site: Site, options: Options, input_hash: str,
              experts: Future) -> SiteAnalysis:
    """`analyse_site` with the experts' agreement coming (`experts`)."""
    method = options.method or site.method
    named = tuple(options.weights) if isinstance(options.weights, dict) else None
    matrix = decision_matrix(catalog, site, named)
    weights = choose_weights(matrix, site, options.weights)
    with naming_the_profile(site.file, options.method_option if options.method else None):
        ranking = rank(matrix, method, weights)
    methods = [method, *[m for m in options.compare if m != method]]
    graph = load_dependencies(catalog, *options.dependency_files)
    roadmap = build_roadmap(ranking, catalog, graph, site, options.top)
    model = _site_model(catalog, site, matrix, roadmap)
    scenarios = scenario_pathways(model, roadmap.starts())
    pathway = scenarios["roadmap"]
    years = report_years(site)
    capex = measure_capex(model, model.effects.ids)
    economics = measure_economics(pathway, catalog, cost_year(site), capex)
    # HiGHS releases the GIL: the budget portfolio is solved in a thread beside the rest
    with ThreadPoolExecutor(1) as pool:
        portfolio = pool.submit(budget_portfolio, ranking, catalog, graph, model, capex=capex,
                                step_gain=False) if site.budget else None
        return SiteAnalysis(
            site=site, catalog=catalog, matrix=matrix, ranking=ranking,
            comparison=compare_methods(matrix, methods, weights),
            stability=sensitivity(matrix, method, weights, draws=options.draws,
                                  top_k=options.top_k, seed=options.seed,
                                  assumptions=site.assumptions),
            dependencies=graph, roadmap=roadmap, model=model, scenarios=scenarios,
            near_zero=near_zero_gap(scenarios["potential"]),
            uncertainty=monte_carlo(model, roadmap.starts(), options.uncertainty_draws,
                                    options.seed, capex=capex)
            if options.uncertainty_draws else None,
            targets=check_targets(pathway),
            contributions=contributions(pathway, catalog, years, by="function"),
            economics=economics,
            investment=scenario_spending(scenarios, capex),
            portfolio=portfolio.result() if portfolio else None,
            experts=experts.result(),
            years=years, options=options, input_hash=input_hash,
            implementation=implementation_plan(site, roadmap,
                                               measure_spending(pathway, capex), catalog))


def analyse_file(catalog: Catalog, path: str | Path, options: Options | None = None,
                 ) -> SiteAnalysis:
    """`analyse_site` for a profile file; the analysis records the file's SHA-256."""
    path = Path(path)
    site = load_site(path, catalog)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return analyse_site(catalog, site, options, digest)
