"""Regenerate the README's quoted figures of the bundled sites from the engine.

    python tools/readme_figures.py            # rewrites the marked spans of README.md
    python tools/readme_figures.py --check    # exit 1 if a marked span is out of date

A quoted figure sits between `<!-- fig:NAME -->` and `<!-- /fig -->` (Markdown shows
neither marker); this script computes NAME's text and puts it there. Every run uses the
engine's defaults and the seeds the README names (2,000 draws, seed 20201).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roadmap import load_catalog, load_site  # noqa: E402
from roadmap.decisions.acceptability import acceptability  # noqa: E402
from roadmap.decisions.matrix import decision_matrix  # noqa: E402
from roadmap.decisions.portfolio import budget_phases, budget_portfolio  # noqa: E402
from roadmap.inputs.dependencies import load_dependencies  # noqa: E402
from roadmap.model.economics import investment_totals  # noqa: E402
from roadmap.model.pathway import (  # noqa: E402
    bau_change,
    check_targets,
    contributions,
    near_zero_gap,
)
from roadmap.model.uncertainty import band_drivers, monte_carlo  # noqa: E402
from roadmap.workflow import Options, SiteAnalysis, analyse_site  # noqa: E402

README = ROOT / "README.md"
SITES = ROOT / "catalogs" / "sites"
DRAWS, SEED = 2000, 20201
SPAN = re.compile(r"<!-- fig:([\w-]+) -->(.*?)<!-- /fig -->", re.DOTALL)
DRIVERS = [("all", "all inputs"), ("growth", "growth only"), ("grid", "grid only"),
           ("cap", "potentials only"), ("autonomous", "autonomous uptake only"),
           ("shift", "adoption years only"), ("uptake", "forest uptake only")]


def n(value: float) -> str:
    return f"{value:,.0f}"


def mt(value: float) -> str:
    return f"{value / 1e6:.2f}"


def pct(share: float, digits: int = 0) -> str:
    return f"{share * 100:.{digits}f} %"


def yi(value_10k_yuan: float) -> str:
    return f"{value_10k_yuan / 1e4:.1f}亿"


def figures() -> dict[str, str]:
    catalog = load_catalog()
    xiaolan = analyse_site(catalog, load_site(SITES / "xiaolan-town.yaml", catalog))
    nanao = analyse_site(catalog, load_site(SITES / "nanao-county.yaml", catalog),
                         Options(uncertainty_draws=0))
    return {**ranking_figures(xiaolan, catalog), **pathway_figures(xiaolan, nanao),
            **uncertainty_figures(xiaolan), **economics_figures(xiaolan, catalog)}


def ranking_figures(analysis: SiteAnalysis, catalog) -> dict[str, str]:
    ranking = analysis.ranking
    spearman = analysis.comparison.weighted_spearman["topsis"].drop("topsis")
    smaa = acceptability(decision_matrix(catalog, analysis.site), ranking.method,
                         ranking.weights, draws=DRAWS, seed=SEED).frame
    first = smaa.sort_values("p_first", ascending=False, kind="stable").head(3)
    top = smaa.head(7)["p_top_k"]
    return {
        "why": ranking.frame["why"].iloc[0],
        "rw": f"{spearman.min():.3f}-{spearman.max():.3f}, lowest against "
              f"{spearman.idxmin().upper()}",
        "smaa": ", ".join(f"{row.name_zh} {'first in ' if i == 0 else ''}{pct(row.p_first)}"
                          f"{' of draws' if i == 0 else ''}"
                          for i, row in enumerate(first.itertuples()))
                + f"; the top seven stay in the top 10 in {top.min() * 100:.0f}-"
                  f"{pct(top.max())} of draws",
    }


def bau_change_figures(xiaolan: SiteAnalysis, nanao: SiteAnalysis) -> str:
    """Business as usual's change split, Nan'ao over its first five years and to its target
    year, Xiaolan to its target year (unrounded: the report's line rounds them)."""
    def split(analysis: SiteAnalysis, last: int, percent: bool = False) -> str:
        site = analysis.site
        change = bau_change(analysis.model, site.base_year, last)
        share = f" ({change.total / site.total_baseline * 100:+.1f} %)" if percent else ""
        return (f"{site.base_year}-{last} {change.total:+,.0f} t/yr{share} = activity "
                f"{change.activity:+,.0f}, grid {change.grid:+,.0f}, uptake "
                f"{change.uptake:+,.0f}")

    return (f"Nan'ao: {split(nanao, nanao.site.base_year + 5, True)}; "
            f"{split(nanao, nanao.site.goal_year)}. Xiaolan: "
            f"{split(xiaolan, xiaolan.site.goal_year)}")


def pathway_figures(xiaolan: SiteAnalysis, nanao: SiteAnalysis) -> dict[str, str]:
    site = xiaolan.site
    year = site.target_year
    by = {name: p.by_year.set_index("year") for name, p in xiaolan.scenarios.items()}
    gap = near_zero_gap(xiaolan.scenarios["potential"])
    potential = contributions(xiaolan.scenarios["potential"], xiaolan.pathway.model.catalog,
                              [year], by="function")
    wedge = potential[potential["group"] == "enabling"]
    absolute, intensity = (next(c for c in check_targets(xiaolan.pathway) if c.kind == kind)
                           for kind in ("absolute", "intensity"))
    portfolio = xiaolan.portfolio.frame
    programmes = portfolio[portfolio["chosen"] & (portfolio["id"].map(
        lambda i: xiaolan.pathway.model.catalog.get(i).acts.type) == "enabling")]
    return {
        "bau-change": bau_change_figures(xiaolan, nanao),
        "pathway": f"net {mt(site.total_baseline)} Mt ({site.base_year}) → "
                   f"{mt(by['roadmap'].loc[year, 'net'])} Mt ({year}) against "
                   f"{mt(by['bau'].loc[year, 'bau'])} Mt in business as usual and "
                   f"{mt(by['potential'].loc[year, 'net'])} Mt at the technical potential; "
                   f"near zero needs another {mt(gap.gap)} Mt/yr in {year}, "
                   f"{mt(gap.green_closes)} of which green power for the "
                   f"{gap.green_mwh / 1e6:.1f} TWh still bought would close",
        "left-out": f"Xiaolan leaves out {len(xiaolan.roadmap.left_out)} rows, Nan'ao "
                    f"{len(nanao.roadmap.left_out)}",
        "enabling-wedge": f"{n(wedge['abatement'].sum())} t/yr ({pct(wedge['share'].sum(), 1)} "
                          "of its abatement)",
        "enabling-bought": f"{len(programmes)} programme{'' if len(programmes) == 1 else 's'}",
        "targets": f"the plan's intensity target (−{pct(site.intensity_target.reduction)} by "
                   f"{intensity.year}) is met in {intensity.met_year}; the illustrative "
                   f"−{pct(site.target.reduction)} by {absolute.year} is "
                   + (f"met in {absolute.met_year}" if absolute.met_year else
                      f"missed by {n(absolute.extra_abatement)} t/yr"),
    }


def uncertainty_figures(analysis: SiteAnalysis) -> dict[str, str]:
    model, starts = analysis.pathway.model, analysis.roadmap.starts()
    spread = monte_carlo(model, starts, draws=DRAWS, seed=SEED)
    roadmap = analysis.roadmap.frame.sort_values("rank", kind="stable")
    costs = spread.costs.set_index("measure")
    economics = analysis.economics.set_index("id")
    rows = ["| measure (rank) | cost basis | central | P10 | P50 | P90 |",
            "|---|---|---|---|---|---|"]
    for item in roadmap.head(5).itertuples():
        cost = costs.loc[item.id]
        rows.append(f"| {item.name_en} ({item.rank}) | {economics.loc[item.id, 'cost_basis']} | "
                    f"{n(economics.loc[item.id, 'cost_yuan_per_t'])} | "
                    + " | ".join(n(cost[f"cost_yuan_per_t_p{p}"]) for p in (10, 50, 90)) + " |")
    invested = spread.investment.iloc[0]
    central = analysis.economics["capital_in_place_10k_yuan"].sum()  # what the draws draw
    run = analysis.uncertainty.investment.iloc[0]
    return {
        "mc-costs": "\n" + "\n".join(rows) + "\n",
        "mc-investment": f"P10 {yi(invested['investment_10k_yuan_p10'])}, P50 "
                         f"{yi(invested['investment_10k_yuan_p50'])}, P90 "
                         f"{yi(invested['investment_10k_yuan_p90'])} yuan against the central "
                         f"{yi(central)}: the median lies "
                         f"{pct(invested['investment_10k_yuan_p50'] / central - 1)} above the "
                         "central figure",
        "mc-investment-run": f"P10 {yi(run['investment_10k_yuan_p10'])}, median "
                             f"{yi(run['investment_10k_yuan_p50'])}, P90 "
                             f"{yi(run['investment_10k_yuan_p90'])} yuan",
        **band_figures(analysis, spread),
    }


def band_figures(analysis: SiteAnalysis, spread) -> dict[str, str]:
    model, starts = analysis.pathway.model, analysis.roadmap.starts()
    drivers = band_drivers(model, starts, draws=DRAWS, seed=SEED).set_index(["input", "year"])
    years = (2035, analysis.site.target_year)
    rows = [f"| drawn | {years[0]} P10-P90 | width | {years[1]} P10-P90 | width |",
            "|---|---|---|---|---|"]
    for name, label in DRIVERS:
        cells = []
        for year in years:
            row = drivers.loc[(name, year)]
            low, high = mt(row["net_p10"]), mt(row["net_p90"])
            cells += [low if low == high else f"{low}-{high}", mt(row["width"])]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    central = analysis.pathway.by_year.set_index("year")["net"]
    median = spread.by_year.set_index("year")["net_p50"]
    growth = drivers.loc[("growth", years[1])]
    probability = spread.targets.set_index("kind")["probability"]
    return {
        "band": "\n" + "\n".join(rows) + "\n",
        "band-central": f"The central pathway is {mt(central[years[0]])} Mt in {years[0]} and "
                        f"{mt(central[years[1]])} Mt in {years[1]}; P50 is "
                        f"{mt(median[years[0]])} and {mt(median[years[1]])}",
        "band-growth": f"P90 +{mt(growth['net_p90'] - central[years[1]])} Mt, P10 "
                       f"−{mt(central[years[1]] - growth['net_p10'])} Mt",
        "target-probability": f"The −{pct(analysis.site.target.reduction)} target is met in "
                              f"{pct(probability['absolute'])} of the draws, the "
                              f"{analysis.site.intensity_target.year} intensity target in "
                              f"{pct(probability['intensity'])}",
    }


def economics_figures(analysis: SiteAnalysis, catalog) -> dict[str, str]:
    budget = analysis.site.budget
    total = investment_totals(analysis.investment)[0]
    phases = budget_phases(analysis.investment, analysis.site, budget)
    overrun = phases[phases["over_budget"]].iloc[0]  # the report names the same phase
    economics = analysis.economics
    portfolio = analysis.portfolio
    chosen = portfolio.frame[portfolio.frame["chosen"]]
    capped = budget_portfolio(analysis.ranking, catalog, load_dependencies(catalog),
                              analysis.pathway.model, max_cost=2000)
    return {
        "investment": f"{n(total)}万 yuan, {total / budget:.2f} times its {n(budget)}万 "
                      f"budget, overrun in the {overrun['phase']} term: "
                      f"{n(overrun['cumulative_10k_yuan'])}万 by {overrun['end']}",
        "negative-costs": f"{int((economics['cost_yuan_per_t'] < 0).sum())} of "
                          f"{len(economics)} measures below zero",
        "portfolio": f"{n(budget)}万 yuan buys {len(chosen)} measures "
                     f"({n(portfolio.portfolio_spend)}万) abating "
                     f"{n(portfolio.portfolio_abatement)} t/yr together in {portfolio.year}, "
                     f"against {n(portfolio.bau_emissions)} t/yr of business as usual",
        "max-cost": f"{int(capped.frame['chosen'].sum())} measures, "
                    f"{n(capped.portfolio_abatement)} t/yr",
    }


def main(check: bool = False) -> int:
    text = README.read_text(encoding="utf-8")
    values = figures()
    names = SPAN.findall(text)
    unknown = sorted({name for name, _ in names} - set(values))
    if unknown:
        raise SystemExit(f"README.md: no figure named {unknown[0]}")
    updated = SPAN.sub(lambda m: f"<!-- fig:{m[1]} -->{values[m[1]]}<!-- /fig -->", text)
    stale = [name for name, old in names if old != values[name]]
    if check:
        print("README.md: " + (f"out of date: {', '.join(stale)}" if stale else "up to date"))
        return 1 if stale else 0
    README.write_text(updated, encoding="utf-8")
    print(f"README.md: {len(names)} figures, {len(stale)} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv[1:]))
