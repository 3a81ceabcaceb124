"""The report as a list of sections, in one language: the executive summary first, then the
analysis, the long tables in an annex, the assumptions last. Each part is built by a small
function reading the analysis; a part the analysis lacks (no budget, no range) is left out.

A section is a dict: title, paragraphs, items (a bullet list), figures (chart names) and
tables ((caption, DataFrame of formatted text) pairs)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..decisions.implementation import ImplementationPlan
from ..decisions.matrix import acting_on, other_domains_acting_on, untouched_cells
from ..decisions.portfolio import BINDING, Portfolio, budget_phases
from ..decisions.ranking import score_name, without_stand_in_costs
from ..decisions.roadmap import phases, spare_candidates
from ..inputs.site import interpolate
from ..model.economics import (
    GRADE,
    chain_positions,
    cost_year,
    decision_year,
    investment_totals,
    money_of,
)
from ..model.pathway import GREEN_POWER, NearZeroGap, bau_change, check_targets, fossil_added
from ..workflow import SiteAnalysis
from .messages import (
    assumption_origin,
    cite,
    column,
    each_language,
    listed,
    plan_text,
    profile_key,
    sentence,
    term,
    text,
    word,
)
from .numbers import (
    PERCENT_COLUMNS,
    amounts,
    approximate,
    fixed,
    money,
    number,
    percent,
    shares,
    site_tonnes,
    tonnes,
)
from .style import bracketed, label

# Which vocabulary a column's values belong to, and which columns hold English sentences.
VOCABULARY_COLUMNS = {"domain": "domain", "source": "source", "phase": "phase",
                      "method": "method", "group": "function", "sector": "sector",
                      "carrier": "carrier", "scenario": "scenario", "cost_basis": "cost_basis"}
SENTENCE_COLUMNS = ("why", "reason", "note")
SHOWN_FIRST = 5  # measures named per phase in the summary


def section(title: str, **parts: object) -> dict:
    return {"title": title, "paragraphs": [], "items_title": "", "items": [], "figures": [],
            "tables": [], **parts}


def shown_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A frame as a person reads it: names in `lang`, headers, values and sentences
    translated, numbers formatted (numbers.py)."""
    shown = frame.copy()
    if "name_zh" in shown:
        names = [label(z, e, lang) for z, e in zip(shown["name_zh"], shown["name_en"],
                                                   strict=True)]
        shown = shown.drop(columns=["name_zh", "name_en"])
        shown.insert(min(1, len(shown.columns)), "measure", names)
    for name in shown.columns:
        values = shown[name]
        if name in VOCABULARY_COLUMNS:
            shown[name] = [term_or_value(VOCABULARY_COLUMNS[name], v, lang) for v in values]
        elif name in SENTENCE_COLUMNS:
            shown[name] = [sentence(str(v), lang) for v in values]
        elif pd.api.types.is_bool_dtype(values):
            shown[name] = [text("yes" if v else "no", lang) for v in values]
        elif name == "year" or name.endswith("_year"):
            shown[name] = [str(v) for v in values]
        elif name in PERCENT_COLUMNS and pd.api.types.is_numeric_dtype(values):
            shown[name] = [percent(v, 1) for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            shown[name] = [number(v) for v in values]
    shown.columns = [column(c, lang) for c in shown.columns]
    return shown.astype(str)


def term_or_value(kind: str, value: object, lang: str) -> str:
    try:
        return term(kind, str(value), lang)
    except KeyError:  # a catalog group name (Chinese, with its own English)
        return str(value)


def report_sections(analysis: SiteAnalysis, lang: str) -> list[dict]:
    """The report's sections, its source documents cited by their titles (`cite`)."""
    return _cited([
        executive_summary(analysis, lang), site_section(analysis, lang),
        method_section(analysis, lang), roadmap_section(analysis, lang),
        *([] if analysis.implementation is None else [implementation_section(analysis, lang)]),
        pathway_section(analysis, lang), contribution_section(analysis, lang),
        economics_section(analysis, lang), sensitivity_section(analysis, lang),
        annex_section(analysis, lang), assumptions_section(analysis, lang)])


def _cited(value: object) -> object:
    """`value` (text, tables, and lists and mappings of them) with `cite` on every text."""
    if isinstance(value, str):
        return cite(value)
    if isinstance(value, pd.DataFrame):
        return value.map(_cited).rename(columns=_cited)
    if isinstance(value, dict):
        return {key: _cited(part) for key, part in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_cited(part) for part in value)
    return value


# --------------------------------------------------------------------- executive summary

def executive_summary(analysis: SiteAnalysis, lang: str) -> dict:
    site = analysis.site
    facts = " · ".join([site.name, term("domain", site.domain, lang),
                        term("region", site.region, lang) if site.region else "",
                        f"{site.base_year}—{site.target_year}" if lang == "zh"
                        else f"{site.base_year}-{site.target_year}",
                        tonnes(site.total_baseline, lang)])
    return section(
        text("executive", lang), paragraphs=[facts],
        items_title=text("measures_by_phase", lang), items=_lines(phase_lines, analysis, lang),
        figures=["roadmap"],
        tables=[(text("milestones", lang), milestone_table(analysis, lang))],
        verdicts=[text("verdicts", lang), *_lines(verdict_lines, analysis, lang)],
        investment=[text("investment", lang), *_lines(investment_lines, analysis, lang),
                    *_lines(grade_cost_lines, analysis, lang)],
        uncertainties=[text("uncertainties", lang), *_lines(uncertainty_lines, analysis, lang)])


def _lines(builder, analysis: SiteAnalysis, lang: str) -> list[str]:
    """Sentences in one language; in both, each Chinese sentence followed by its English
    one (a sentence built from bilingual parts would repeat every name)."""
    if lang != "both":
        return builder(analysis, lang)
    return [f"{zh} / {en}" for zh, en in zip(builder(analysis, "zh"), builder(analysis, "en"),
                                               strict=True)]


def phase_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    frame = analysis.roadmap.frame
    lines = []
    for phase, start, end in phases(analysis.site):
        rows = frame[frame["phase"] == phase]
        names = [label(z, e, lang) for z, e in zip(rows["name_zh"], rows["name_en"],
                                                   strict=True)]
        shown = listed(names[:SHOWN_FIRST], lang) or text("none", lang)
        if len(names) > SHOWN_FIRST:
            shown += _space(lang) + text("more", lang, count=len(names) - SHOWN_FIRST)
        lines.append(text("phase_line", lang, phase=term("phase_title", phase, lang), start=start,
                          end=end, measures=shown))
    return lines


def milestone_table(analysis: SiteAnalysis, lang: str) -> pd.DataFrame:
    """bau, abatement, sinks (where there are any: net = bau - abatement - sinks) and net in
    the report years, in the unit of the site's charts (`site_tonnes`), each column to the
    same decimals; a P10/P90 column pair of the analysis (e.g. net_p10, net_p90) is shown
    as a range after its figure."""
    by_year = analysis.pathway.by_year.set_index("year")
    if analysis.uncertainty is not None:  # the Monte Carlo range of net emissions
        by_year = by_year.join(analysis.uncertainty.by_year.set_index("year")[
            ["net_p10", "net_p90"]])
    rows = by_year.loc[[y for y in milestone_years(analysis) if y in by_year.index]]
    table = pd.DataFrame({"year": rows.index})
    scale, _, _, decimals = _site_unit(analysis, lang)
    unit = _unit_suffix(analysis, lang)  # "": whole tonnes

    def shown(value: float) -> str:
        return fixed(value / scale, decimals) if unit else number(value)

    for name in ("bau", "abatement", *(["sink"] if rows["sink"].any() else []), "net"):
        values = [shown(v) for v in rows[name]]
        if {f"{name}_p10", f"{name}_p90"} <= set(rows.columns):
            values = [v + _space(lang) + text(
                "range", lang, low=shown(lo), high=shown(hi)) for v, lo, hi in
                      zip(values, rows[f"{name}_p10"], rows[f"{name}_p90"], strict=True)]
        table[name + unit] = values
    table.columns = [column(c, lang) for c in table.columns]
    return table.astype(str)


def milestone_years(analysis: SiteAnalysis) -> list[int]:
    """The report's years, each target's year and the target year: a summary stopping at
    a 2035 target hid the park's rise after it to 2050."""
    return sorted({*analysis.years, *(check.year for check in analysis.targets),
                   analysis.site.target_year})


def _space(lang: str) -> str:
    """What goes between two phrases: nothing in Chinese, a space in English."""
    return "" if lang == "zh" else " "


def verdict_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """Each target met in its year, reached later or missed; one met by business as usual
    too says so (Jiangmen's intensity target, met in 2013 with or without the roadmap)."""
    if not analysis.targets:
        return [text("no_targets", lang)]
    bau = check_targets(analysis.scenarios["bau"])
    lines = []
    for check, without in zip(analysis.targets, bau, strict=True):
        kind = term("target_kind", check.kind, lang)
        if check.met:
            line = text("target_met", lang, kind=kind, year=check.year, met=check.met_year)
            if without.met:
                line += _space(lang) + text("target_bau_too", lang, met=without.met_year)
        elif check.late_year:
            line = text("target_late", lang, kind=kind, year=check.year, met=check.late_year,
                        extra=tonnes(check.extra_abatement, lang))
        else:
            line = text("target_missed", lang, kind=kind, year=check.year,
                        extra=tonnes(check.extra_abatement, lang))
        lines.append(line)
    return lines


def grade_cost_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """How many of the roadmap's measures no cost family prices (`cost_basis` grade): an
    indicative capex from the ➕ grade, which the ranking and the budget read."""
    economics = analysis.economics
    graded = economics[economics["cost_basis"] == GRADE]
    if graded.empty:
        return []
    return [text("grade_costed_line", lang, count=len(graded), total=len(economics),
                 capital=money(graded["investment_10k_yuan"].sum(), lang))]


def investment_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """The roadmap's investment (total and discounted) against the budget, the phase whose
    cumulative spend overruns it, and what the budget itself buys."""
    total, discounted = investment_totals(analysis.investment)
    site = analysis.site
    figures = {"year": int(analysis.investment["year"].max()),  # the totals' last year
               "dyear": decision_year(site), "rate": percent(money_of(site).rate),
               **amounts(lang, total=total, npv=discounted, budget=site.budget or 0.0,
                         full=analysis.economics["investment_10k_yuan"].sum())}
    if not site.budget:
        return [text("investment_no_budget", lang, **figures)]
    ratio = total / site.budget
    lines = [text("investment_line", lang, times=number(ratio), **figures) if ratio >= 1 else
             text("investment_share_line", lang, share=percent(ratio), **figures)]
    by_phase = budget_phases(analysis.investment, site, site.budget)
    over = by_phase[by_phase["over_budget"]]
    if len(over):
        first = over.iloc[0]
        lines.append(text("overrun_line", lang, phase=term("phase", first["phase"], lang),
                          end=first["end"], spent=money(first["cumulative_10k_yuan"], lang)))
    else:
        lines.append(text("within_budget_line", lang))
    portfolio = analysis.portfolio
    if portfolio is not None:
        chosen = portfolio.frame[portfolio.frame["chosen"]]
        dear = chosen["cost_yuan_per_t"] > money_of(site).carbon_price
        lines.append(text("portfolio_line", lang, count=len(chosen),
                          spent=money(portfolio.portfolio_spend, lang), year=portfolio.year,
                          abatement=tonnes(portfolio.portfolio_abatement, lang),
                          above=_names(chosen[dear], lang)))
        lines += [line for line in [running_cost_line(portfolio, lang),
                                    committed_line(portfolio, lang)] if line]
        lines.append(_against_roadmap(chosen, analysis, lang))
    return lines


def running_cost_line(portfolio: Portfolio, lang: str) -> str | None:
    """The bought measures that spend more on energy each year than they save (None:
    none): the budget pays capital only (README, budget portfolio)."""
    chosen = portfolio.frame[portfolio.frame["chosen"]]
    dearer = chosen[chosen["saving_10k_yuan_per_yr"] < 0]
    if not len(dearer):
        return None
    return text("portfolio_running_line", lang, count=len(dearer), names=_names(dearer, lang),
                year=portfolio.cost_year,
                extra=money(-float(dearer["saving_10k_yuan_per_yr"].sum()), lang))


UNSPENT = 0.01  # a share of the budget left unspent that the report says is left


def shadow_lines(portfolio: Portfolio, lang: str) -> list[str]:
    """What more budget would abate: the budget's shadow price (with what whole measures
    leave unspent), each binding phase budget's, or that none binds (nothing when the
    included measures overspend the budget: no shadow price)."""
    if portfolio.shadow_price is None:
        return []
    phases = [text("phase_binding_line", lang, phase=term("phase", name, lang),
                   shadow=number(value))
              for name, value in portfolio.phase_shadow_prices.items() if value > BINDING]
    unspent = portfolio.budget - portfolio.portfolio_spend
    left = [text("unspent_line", lang, unspent=money(unspent, lang))] \
        if unspent > UNSPENT * portfolio.budget else []
    if portfolio.shadow_price > BINDING:
        return [text("shadow_line", lang, shadow=number(portfolio.shadow_price)), *left,
                *phases]
    return phases or [text("budget_not_binding_line", lang)]


def committed_line(portfolio: Portfolio, lang: str) -> str | None:
    """The measures the profile includes, which the budget pays first (None: none)."""
    if not portfolio.committed:
        return None
    rows = portfolio.frame[portfolio.frame["id"].isin(portfolio.committed)]
    over = portfolio.committed_spend > portfolio.budget
    return text("portfolio_committed_over_line" if over else "portfolio_committed_line", lang,
                names=_names(rows, lang), spent=money(portfolio.committed_spend, lang),
                count=len(rows))


def _against_roadmap(chosen: pd.DataFrame, analysis: SiteAnalysis, lang: str) -> str:
    """How the budget's choice (the most abatement it can buy) differs from the roadmap
    (the ranking's), by name."""
    in_roadmap = set(analysis.roadmap.frame["id"])
    missing = analysis.economics[~analysis.economics["id"].isin(chosen["id"])]
    extra = chosen[~chosen["id"].isin(in_roadmap)]
    if not len(missing) and not len(extra):
        return text("portfolio_is_roadmap_line", lang)
    return text("portfolio_roadmap_line", lang, common=len(chosen) - len(extra),
                missing=_names(missing, lang), extra=_names(extra, lang))


def uncertainty_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """The least stable of the roadmap's measures (one flagged unstable first, then the
    widest rank range), the growth assumption, the catalog grades."""
    result = analysis.stability
    frame = result.frame[result.frame["id"].isin(analysis.roadmap.frame["id"])]
    frame = frame if len(frame) else result.frame.head(result.top_k)
    widest = frame.assign(width=frame["rank_p95"] - frame["rank_p5"]).sort_values(
        ["unstable", "width", "rank"], ascending=[False, False, True]).iloc[0]
    shown_growth = _rates(analysis.site.growth_rate, lang)
    low, high = int(widest["rank_p5"]), int(widest["rank_p95"])
    # no more candidates than the top k, or all in the roadmap: no rank changes what is done,
    # and a chance of the top k would be a certainty; the chance of the target, if drawn, is
    # the uncertainty that matters
    every = "_every" if result.top_k >= len(result.frame) or set(result.frame["id"]) <= set(
        analysis.roadmap.frame["id"]) else ""
    chances = chance_lines(analysis, lang, uncertain=True)
    if low < high:
        spread = "uncertainty_rank"
    elif widest["best_rank"] < widest["worst_rank"]:
        spread = "uncertainty_rank_mostly"
    else:
        spread = "uncertainty_rank_kept"
    return [chances[0] if every and chances else
            text(spread + every, lang,
                 name=label(widest["name_zh"], widest["name_en"], lang), low=low, high=high,
                 k=result.top_k, p=percent(widest["p_top_k"])),
            text("uncertainty_growth", lang, growth=shown_growth,
                 year=analysis.site.goal_year),
            text("uncertainty_catalog", lang)]


def _grows(rates: object) -> bool:
    """Whether a growth rate (by year or by sector) is anywhere other than zero."""
    if isinstance(rates, dict):
        return any(_grows(value) for value in rates.values())
    return bool(rates)


def _rates(rates: object, lang: str) -> str:
    """A growth rate, by year or by sector (named in `lang`), as percentages."""
    if not isinstance(rates, dict):
        return percent(rates, 1)
    if lang == "zh":
        return "（" + "、".join(f"{word(str(k), lang)}{_rates(v, lang)}"
                               for k, v in rates.items()) + "）"
    return ", ".join(f"{word(str(k), lang)} {_rates(v, lang)}" for k, v in rates.items())


# --------------------------------------------------------------------- the analysis

def site_section(analysis: SiteAnalysis, lang: str) -> dict:
    site = analysis.site
    cells = site.cells()
    baseline = pd.DataFrame({"sector": [s for s, _ in cells], "carrier": [c for _, c in cells],
                             "baseline_t": list(cells.values()),
                             "share": [percent(v / site.total_baseline, 1)
                                       for v in cells.values()]})
    return section(text("site_facts", lang), tables=[("", shown_table(baseline, lang))],
                   items=[sentence(note, lang) for note in site.remarks()])


def method_section(analysis: SiteAnalysis, lang: str) -> dict:
    ranking = analysis.ranking
    weights = ", ".join(f"{term('criterion', c, lang)} {w:.2f}"
                        for c, w in ranking.weights.items())
    return section(text("method", lang),
                   paragraphs=[f"{term('method', ranking.method, lang)} · {weights}"],
                   items=[each_language(lambda one, c=c, r=r: text(
                       "dropped_note", one, criterion=term("criterion", c, one),
                       reason=sentence(r, one)), lang, " / ") for c, r in ranking.dropped.items()])


def roadmap_section(analysis: SiteAnalysis, lang: str) -> dict:
    frame = analysis.roadmap.frame
    tables, empty = [], []
    for phase, start, end in phases(analysis.site):
        rows = frame[frame["phase"] == phase]
        if rows.empty:  # said in a sentence, not as a table of headers only
            empty.append((phase, start, end))
            continue
        tables.append((_phase_heading(phase, start, end, lang), shown_table(
            rows[["id", "name_zh", "name_en", "start_year", "popularization_year",
                  "widespread_year", "reason"]],
            lang)))
    left_out = analysis.roadmap.left_out
    if len(left_out):  # the ranked rows a reader would miss between the roadmap's ranks
        tables.append((text("left_out", lang), shown_table(
            left_out[["rank", "id", "name_zh", "name_en", "reason"]], lang)))
    paragraphs = [each_language(lambda one: text("empty_phases", one, phases=listed(
        (_phase_heading(*phase, one) for phase in empty), one)), lang, " / ")] if empty else []
    # the Gantt is in the summary
    return section(text("roadmap", lang), paragraphs=paragraphs, tables=tables)


def _phase_heading(phase: str, start: int, end: int, lang: str) -> str:
    if lang == "both":  # each language's own heading, not one built from bilingual parts
        return label(*(_phase_heading(phase, start, end, one) for one in ("zh", "en")), lang)
    return text("phase_heading", lang, phase=term("phase_title", phase, lang), start=start,
                end=end)


def pathway_section(analysis: SiteAnalysis, lang: str) -> dict:
    by_year = analysis.pathway.by_year
    shown = by_year[(by_year["year"] % 5 == 0) | (by_year["year"] == by_year["year"].max())]
    scenarios = scenario_table(analysis)
    suffix = _unit_suffix(analysis, lang)
    tables = [("", shown_table(in_site_unit(shown, analysis, lang), lang)),
              (text("scenarios" + suffix, lang), shown_table(in_site_unit(
                  scenarios, analysis, lang, scenarios.columns[1:]), lang))]
    spread = analysis.uncertainty
    if spread is not None:
        tables.append((text("uncertainty_table", lang, draws=spread.draws, seed=spread.seed),
                       shown_table(in_site_unit(spread.by_year[
                           ["year", "net_p10", "net_p50", "net_p90"]], analysis, lang), lang)))
    return section(text("pathway", lang), figures=["pathway"],
                   items=_lines(verdict_lines, analysis, lang) + _lines(
                       chance_lines, analysis, lang),
                   paragraphs=[*_lines(bau_lines, analysis, lang),
                               *_lines(green_power_lines, analysis, lang),
                               *_lines(near_zero_lines, analysis, lang)], tables=tables)


def _site_unit(analysis: SiteAnalysis, lang: str) -> tuple[float, str, str, int]:
    """`site_tonnes` of the site: the unit its report counts tonnes in."""
    return site_tonnes(analysis.pathway.by_year["bau"].max(), lang)


# The suffix of the message keys naming tonnes in a unit of `site_tonnes`, by tonnes per unit.
UNIT_SUFFIXES = {1e4: "_10kt", 1e6: "_mt"}


def _unit_suffix(analysis: SiteAnalysis, lang: str) -> str:
    """"_10kt" where the site's report counts in 万吨, "_mt" in Mt (`site_tonnes`), else "":
    the suffix of the message keys naming tonnes in that unit."""
    return UNIT_SUFFIXES.get(_site_unit(analysis, lang)[0], "")


def in_site_unit(frame: pd.DataFrame, analysis: SiteAnalysis, lang: str,
                 columns: object = ("bau", "abatement", "sink", "net", "net_p10", "net_p50",
                                    "net_p90")) -> pd.DataFrame:
    """A frame of tonnes in the unit of the site's charts: in 万吨 or Mt the `columns`
    divided, to the same decimals, and renamed with the unit's suffix (their headers name
    it); in tonnes as it is."""
    suffix = _unit_suffix(analysis, lang)
    if not suffix:
        return frame
    scale, _, _, decimals = _site_unit(analysis, lang)
    shown = frame.copy()
    for name in [c for c in columns if c in shown.columns]:
        shown[name] = [fixed(v / scale, decimals) for v in shown[name]]
    return shown.rename(columns={c: f"{c}{suffix}" for c in columns if c in shown.columns
                                 and not c.isdigit()})


def bau_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """What business as usual holds (the cleaner grid, the autonomous uptake) and, as its
    figures show, whether it falls while the economy grows, rises all the same, or moves
    without growth, from the base year to the target's."""
    site, first = analysis.site, analysis.site.base_year
    last = site.goal_year
    grid = interpolate(site.grid_path(), [first, last])
    bau = analysis.scenarios["bau"].by_year.set_index("year")["net"]
    key = "bau_line_no_growth" if not _grows(site.growth_rate) else \
        "bau_line" if bau[last] < bau[first] else "bau_line_rises"
    return [text(key, lang, first=first, last=last, grid_first=number(grid[0]),
                 grid_last=number(grid[1]), bau_first=tonnes(bau[first], lang),
                 bau_last=tonnes(bau[last], lang)), bau_split_line(analysis, lang)]


def bau_split_line(analysis: SiteAnalysis, lang: str) -> str:
    """Why business as usual moves from the base year to the target's: activity growth, the
    grid, the autonomous uptake (`bau_change`), in whole tonnes that add up to the change
    the figures before show (the largest part takes the rounding)."""
    site = analysis.site
    change = bau_change(analysis.model, site.base_year, site.goal_year)
    bau = analysis.scenarios["bau"].by_year.set_index("year")["net"]
    total = round(bau[site.goal_year]) - round(bau[site.base_year])
    parts = [change.activity, change.grid, change.uptake]
    whole = [round(part) for part in parts]
    whole[int(np.argmax(np.abs(parts)))] += total - sum(whole)
    activity, grid, uptake = (_signed_tonnes(part, lang) for part in whole)
    return text("bau_split", lang, first=site.base_year, last=site.goal_year,
                total=_signed_tonnes(total, lang), activity=activity, grid=grid, uptake=uptake)


def _signed_tonnes(value: float, lang: str) -> str:
    """tCO2e/yr with its sign: +257,187 or -174,022 (0 unsigned)."""
    return ("+" if value > 0 else "") + tonnes(value, lang)


def green_power_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """The profile's green power, which the roadmap's abatement counts but which is none of
    its measures (no investment, not in the cost curve)."""
    year, frame = analysis.years[-1], analysis.pathway.frame
    bought = frame[(frame["measure"] == GREEN_POWER) & (frame["year"] == year)]["abatement"].sum()
    if bought <= 0:
        return []
    total = frame[frame["year"] == year]["abatement"].sum()
    model = analysis.model
    share = model.green(True)[list(model.base.years).index(year)]
    return [text("green_power_line", lang, year=year, share=percent(share),
                 abatement=tonnes(bought, lang), part=percent(bought / total))]


def scenario_table(analysis: SiteAnalysis) -> pd.DataFrame:
    """Net emissions of business as usual, the roadmap and the technical potential (t/yr)
    in the base year, the report's years and the target year (the near-zero check's)."""
    site = analysis.site
    years = list(dict.fromkeys([site.base_year, *analysis.years, site.target_year]))
    rows = [{"scenario": name, **{str(y): float(p.by_year.set_index("year").loc[y, "net"])
                                  for y in years}}
            for name, p in analysis.scenarios.items()]
    return pd.DataFrame(rows)


def chance_lines(analysis: SiteAnalysis, lang: str, uncertain: bool = False) -> list[str]:
    """The share of Monte Carlo draws meeting each target; `uncertain`: only the targets
    whose share does not round to 0 % or 100 % (a certainty, which the pathway section
    states, is no uncertainty of the summary's)."""
    if analysis.uncertainty is None:
        return []
    return [text("target_chance", lang, kind=term("target_kind", row.kind, lang),
                 year=row.year, p=percent(row.probability))
            for row in analysis.uncertainty.targets.itertuples()
            if not uncertain or 0 < round(100 * row.probability) < 100]


def near_zero_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """What the technical potential leaves above near zero; first, where the roadmap already
    is the technical potential, that it is, and why."""
    same = [] if (line := potential_is_roadmap_line(analysis, lang)) is None else [line]
    gap = analysis.near_zero
    remaining = [remaining_cells_text(gap, lang)] if gap.gap > 0 else []
    return [*same, near_zero_text(gap, lang, analysis.site.land_area_ha), *remaining,
            *untouched_lines(analysis, lang), *fossil_lines(analysis, lang)]


def potential_is_roadmap_line(analysis: SiteAnalysis, lang: str) -> str | None:
    """Where the technical potential's emissions are the roadmap's: that the roadmap takes
    every applicable measure, none delayed, or that those it leaves out would abate nothing
    more (plans and platforms past the enabling measures' shared cap, most often). None
    where the two differ."""
    roadmap, potential = (analysis.scenarios[name] for name in ("roadmap", "potential"))
    if not np.array_equal(roadmap.by_year["net"].to_numpy(), potential.by_year["net"].to_numpy()):
        return None
    left = [i for i in potential.measures if i not in roadmap.measures
            and not analysis.catalog.get(i).acts.completes]  # a chain's part abates nothing
    if not left:
        return text("potential_is_roadmap", lang)
    enabling = all(analysis.catalog.get(i).acts.type == "enabling" for i in left)
    return text("potential_adds_nothing_enabling" if enabling else "potential_adds_nothing",
                lang, count=len(left))


def _cells_said(cells: list[tuple[str, str]], lang: str, emissions: list[float] | None = None,
                changes: list[float] | None = None) -> str:
    """Cells as 'sector·carrier', each with its tonnes and its change (a share) when given."""
    said = [f"{word(sector, lang)}·{word(carrier, lang)}" for sector, carrier in cells]
    if emissions is not None:
        said = [f"{cell}{'' if lang == 'zh' else ' '}{tonnes(value, lang)}"
                for cell, value in zip(said, emissions, strict=True)]
    if changes is not None:
        said = [bracketed(cell, f"{change:+.0%}", lang)
                for cell, change in zip(said, changes, strict=True)]
    return listed(said, lang)


def remaining_cells_text(gap: NearZeroGap, lang: str) -> str:
    """The three largest cells the technical potential leaves in the near-zero year."""
    rows = gap.residual.head(3)
    return text("pathway_cells", lang, cells=_cells_said(
        list(zip(rows["sector"], rows["carrier"], strict=True)), lang, list(rows["emissions"])))


LITTLE_CUT = 0.25  # a fuel cell the roadmap cuts by less than this share of business as usual
LARGE_CELL = 0.05  # ... is named when it holds at least this share of the year's net emissions


def untouched_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """The cells still emitting in the target year that no roadmap measure acts on, with
    their emissions (Nan'ao's fishing fleet's neighbours: its industry's oil); the large
    fuel cells it acts on but cuts by less than `LITTLE_CUT` (Nan'ao's fishing fleet, the
    park's coal); and the domains whose catalogs act on either: the `extra_domains` that
    would make those measures candidates. Electricity is left to the grid and green power
    (`near_zero_text`)."""
    site, year = analysis.site, analysis.site.target_year
    cells = analysis.pathway.cells.query("year == @year").set_index(["sector", "carrier"])
    emissions = cells["emissions"]
    untouched = sorted((cell for cell in untouched_cells(analysis.roadmap.frame["id"],
                                                         analysis.catalog, site)
                        if emissions.get(cell, 0.0) > 0), key=lambda cell: -emissions[cell])
    net = float(analysis.pathway.by_year.set_index("year").loc[year, "net"])
    cut = 1 - emissions / cells["bau"].where(cells["bau"] > 0)
    little = [cell for cell in emissions.sort_values(ascending=False).index
              if cell not in untouched and cell[1] != "electricity"
              and cut[cell] < LITTLE_CUT and emissions[cell] >= LARGE_CELL * net]
    lines = []
    if untouched:
        lines.append(text("untouched_cells", lang, year=year, cells=_cells_said(
            untouched, lang, [float(emissions[cell]) for cell in untouched])))
    if little:
        lines.append(text("little_cut_cells", lang, year=year, share=percent(LITTLE_CUT),
                          cells=_cells_said(little, lang, [float(emissions[c]) for c in little],
                                            [-float(cut[c]) for c in little])))
    left = [*untouched, *little]
    own = own_candidates(analysis, left)
    if own:
        lines.append(own_candidates_line(analysis, own, lang))
    elsewhere = {cell: domains for cell, domains
                 in other_domains_acting_on(left, analysis.catalog, site).items()
                 if cell not in own}
    if elsewhere:
        domains = list(dict.fromkeys(d for cell in left for d in elsewhere.get(cell, [])))
        lines.append(text("untouched_elsewhere", lang, keys=", ".join(domains),
                          domains=listed((term("domain", d, lang) for d in domains), lang),
                          cells=_cells_said([c for c in left if c in elsewhere], lang)))
    return lines


OWN_NAMED = 5  # the site's own spare candidates named for the cells a roadmap leaves


def own_candidates(analysis: SiteAnalysis, cells: list[tuple[str, str]],
                   ) -> dict[tuple[str, str], list[str]]:
    """For each of `cells`, the best-ranked `OWN_NAMED` of the site's spare candidates
    (`spare_candidates`) acting on any of them, those acting on it; cells without one
    left out."""
    spare = [analysis.catalog.get(i) for i in spare_candidates(analysis.roadmap,
                                                                 analysis.catalog)]
    acting = acting_on(cells, spare)
    wanted = {tech.id for techs in acting.values() for tech in techs}
    named = [tech for tech in spare if tech.id in wanted][:OWN_NAMED]
    return {cell: [tech.id for tech in named if tech in acting[cell]]
            for cell in cells if any(tech in acting.get(cell, ()) for tech in named)}


def own_candidates_line(analysis: SiteAnalysis, own: dict[tuple[str, str], list[str]],
                        lang: str) -> str:
    """The candidates of `own_candidates`, with their rank, the cells they act on and the
    `include` that adds them: what to try before another domain's catalog."""
    ranks = analysis.ranking.frame.set_index("id")["rank"]
    named = sorted({tech_id for ids in own.values() for tech_id in ids}, key=ranks.get)

    def build(one: str) -> str:
        said = [bracketed(label(tech.name_zh, tech.name_en, one),
                          text("rank_of", one, rank=int(ranks[tech.id])), one)
                for tech in map(analysis.catalog.get, named)]
        return text("untouched_own", one, cells=_cells_said(list(own), one),
                    measures=listed(said, one), ids=", ".join(named))
    return each_language(build, lang, " ")


def fossil_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """The roadmap's measures switching to a fossil fuel, with what it still emits in the
    target year (`fossil_added`): a transition a near-zero plan replaces."""
    added = fossil_added(analysis.scenarios["roadmap"])
    if not added:
        return []

    def build(one: str) -> str:
        named = [bracketed(label(tech.name_zh, tech.name_en, one), tonnes(value, one), one)
                 for tech, value in ((analysis.catalog.get(i), v) for i, v in added.items())]
        return text("fossil_added", one, year=analysis.site.target_year,
                    measures=listed(named, one))
    return [each_language(build, lang, " ")]


def near_zero_text(gap: NearZeroGap, lang: str, land_ha: float | None = None) -> str:
    """What the technical potential still leaves above near zero, and what would close it;
    with the site's land area, whether the sink it would take fits on it."""
    if gap.gap <= 0:
        return text("near_zero_reached", lang, year=gap.year)
    # green power closing the whole gap leaves no rest to sink or offset
    key = "near_zero_gap_green" if gap.green_closes >= gap.gap else "near_zero_gap"
    said = text(key, lang, year=gap.year, gap=tonnes(gap.gap, lang),
                mwh=approximate(gap.green_mwh, lang), bought=approximate(gap.bought_mwh, lang),
                closes=tonnes(gap.green_closes, lang),
                ha=approximate(gap.sink_ha, lang),
                rest=tonnes(max(gap.gap - gap.green_closes, 0.0), lang))
    if land_ha and gap.sink_ha > land_ha:
        said += text("near_zero_land", lang, land=approximate(land_ha, lang),
                     times=number(gap.sink_ha / land_ha))
    return said


def contribution_section(analysis: SiteAnalysis, lang: str) -> dict:
    return section(text("contributions", lang), figures=["contributions"],
                   tables=[("", shown_table(shown_shares(analysis.contributions, 1), lang))])


def shown_shares(table: pd.DataFrame, digits: int) -> pd.DataFrame:
    """A contribution table with its shares as text, each year's adding up to 100 %."""
    shown = [share for _, year in table.groupby("year", sort=False)
             for share in shares(year["share"], digits)]
    return table.assign(share=shown)


def economics_section(analysis: SiteAnalysis, lang: str) -> dict:
    spread = analysis.uncertainty
    tables = [] if cost_draws(analysis) is None else [(
        text("cost_range_table", lang, draws=spread.draws, seed=spread.seed,
             year=cost_year(analysis.site)),
        shown_table(cost_ranges(analysis), lang))]
    return section(text("economics", lang), figures=["cost-curve"],
                   paragraphs=_lines(economics_lines, analysis, lang), tables=tables)


def cost_draws(analysis: SiteAnalysis) -> pd.DataFrame | None:
    """The Monte Carlo cost percentiles (of the target year, the economics table's: the
    `cost_year`), None without draws."""
    spread = analysis.uncertainty
    return None if spread is None else spread.costs


def cost_ranges(analysis: SiteAnalysis) -> pd.DataFrame:
    """Each costed roadmap measure's central levelised cost beside its Monte Carlo P10, P50
    and P90, cheapest first (the economics table's order)."""
    ranges = cost_draws(analysis).rename(columns={"measure": "id"})
    frame = analysis.economics[["id", "name_zh", "name_en", "cost_yuan_per_t"]].merge(
        ranges, on="id", how="inner")
    return frame.dropna(subset=["cost_yuan_per_t"]).reset_index(drop=True)


SKEWED = 0.9  # a central investment this far below the Monte Carlo median is explained
TIED_COSTS = 0.1  # one family's measures whose costs lie this close are said to be tied


def economics_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """The cost curve as a client reads it (how many measures pay for themselves, which
    cost more than the carbon price, which costs are only indicative), then the investment
    against the budget and what an extra 10k yuan of budget buys."""
    frame, year = analysis.economics, cost_year(analysis.site)
    costed = frame.dropna(subset=["cost_yuan_per_t"])
    carbon = money_of(analysis.site).carbon_price
    lines = [text("cost_curve_line", lang, year=year, count=len(costed),
                  below=int((costed["cost_yuan_per_t"] < 0).sum()), carbon=number(carbon),
                  above=_names(costed[costed["cost_yuan_per_t"] > carbon], lang)),
             text("cost_formula_line", lang, year=year)]
    grade = frame[frame["cost_basis"] == GRADE]
    if len(grade):
        lines.append(text("grade_line", lang, count=len(grade), names=_names(grade, lang)))
    lines += shared_cost_lines(costed, lang) + chain_cost_lines(analysis, lang)
    quick = frame[frame["payback_years"] < 1]
    if len(quick):
        lines.append(text("quick_payback_line", lang, count=len(quick),
                          names=_names(quick, lang)))
    lines += investment_lines(analysis, lang)
    # the Monte Carlo draws the capital in place in the target year (the economics table's),
    # not the cumulative spend of the investment sheet
    in_place = float(frame["capital_in_place_10k_yuan"].sum())
    total, _ = investment_totals(analysis.investment)
    if read_apart(total, in_place):
        lines.append(text("spend_in_place_line", lang, total=money(total, lang), year=year,
                          in_place=money(in_place, lang)))
    if analysis.uncertainty is not None:
        low, middle, high = analysis.uncertainty.investment.iloc[0]
        lines.append(text("investment_range_line", lang, **amounts(
            lang, low=low, high=high, middle=middle, central=in_place)))
        if in_place < SKEWED * middle:
            lines.append(text("investment_skew_line", lang, central=money(in_place, lang)))
    if analysis.portfolio is not None:
        lines += shadow_lines(analysis.portfolio, lang)
    return lines


def shared_cost_lines(costed: pd.DataFrame, lang: str) -> list[str]:
    """Measures priced by one family's unit cost whose levelised costs lie within
    `TIED_COSTS` of one another (the office building's 12 efficiency measures): the curve cannot
    rank them, quotes can."""
    lines = []
    for basis, group in costed[costed["cost_basis"] != GRADE].groupby("cost_basis", sort=False):
        costs = group["cost_yuan_per_t"]
        if len(group) >= 3 and costs.max() - costs.min() <= TIED_COSTS * costs.abs().max():
            lines.append(text("shared_cost_line", lang, count=len(group),
                              basis=term("cost_basis", basis, lang), names=_names(group, lang),
                              low=number(costs.min()), high=number(costs.max())))
    return lines


def chain_cost_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """A measure whose cost per tonne includes the parts completing its chain (CO2 capture,
    its store): the economics table shows the parts with capital and no tonnes."""
    frame = analysis.economics
    ids = frame["id"].tolist()
    return [text("chain_cost_line", lang, measure=_names(frame.iloc[[measure]], lang),
                 parts=_names(frame.iloc[parts], lang))
            for measure, parts in chain_positions(analysis.catalog, ids).items()]


def _names(rows: pd.DataFrame, lang: str) -> str:
    names = [label(z, e, lang) for z, e in zip(rows["name_zh"], rows["name_en"], strict=True)]
    return listed(names, lang) or text("none", lang)


def sensitivity_section(analysis: SiteAnalysis, lang: str) -> dict:
    result = analysis.stability
    correlations = analysis.comparison.weighted_spearman.reset_index(names="method")
    correlations.columns = ["method", *[term("method", c, lang) for c in correlations.columns[1:]]]
    correlations["method"] = [term("method", m, lang) for m in correlations["method"]]
    correlations = correlations.rename(columns={"method": column("method", lang)})
    for name in correlations.columns[1:]:
        correlations[name] = [number(v) for v in correlations[name]]
    return section(text("sensitivity", lang), figures=["sensitivity"],
                   paragraphs=[text("draws_line", lang, draws=result.draws, spread=result.spread,
                                    seed=result.seed, k=result.top_k)],
                   tables=[(text("correlations", lang), correlations)])


def annex_section(analysis: SiteAnalysis, lang: str) -> dict:
    ranking = analysis.ranking
    why = ["; ".join(filter(None, parts))  # its note after it: no narrow column more
           for parts in zip(ranking.frame["why"], ranking.frame["note"], strict=True)]
    ranked = without_stand_in_costs(ranking.frame)[[
        "rank", "id", "name_zh", "name_en", "score", *ranking.criteria, "why"]].assign(
        why=why).rename(columns={"score": score_name(ranking.method)})
    economics = analysis.economics[["id", "name_zh", "name_en", "cost_basis",
                                    "investment_10k_yuan", "capital_in_place_10k_yuan",
                                    "annual_cost_10k_yuan",
                                    "saving_10k_yuan_per_yr", "abatement_t_per_yr",
                                    "cost_yuan_per_t", "payback_years"]].rename(
        columns={"investment_10k_yuan": "capex_10k_yuan"})  # a measure's, fully adopted
    stability = analysis.stability.frame
    unstable = stability[stability["unstable"]][["id", "name_zh", "name_en", "rank", "p_top_k",
                                                  "rank_p5", "rank_p95"]]
    tables = [(text("ranking_caption", lang, year=analysis.site.target_year),
               shown_table(ranked, lang)),
              (text("excluded", lang), shown_table(
                  ranking.excluded[["id", "name_zh", "name_en", "reason"]], lang)),
              (text("economics_caption", lang, year=cost_year(analysis.site)),
               shown_table(economics, lang))]
    if len(unstable):  # a table of headers only would look unfinished
        shown = shown_table(unstable, lang)  # the header names the report's k
        shown.columns = [text("p_top_k_of", lang, k=analysis.stability.top_k)
                         if name == column("p_top_k", lang) else name for name in shown.columns]
        tables.append((text("unstable_measures", lang), shown))
    return section(text("annex", lang), tables=tables)


def assumptions_section(analysis: SiteAnalysis, lang: str) -> dict:
    """The profile's sources (its `sources:` mapping) and the engine's own assumptions."""
    site = analysis.site
    given = getattr(site, "sources", None) or {}
    profile = pd.DataFrame({"key": [profile_key(k, lang) for k in given],
                            "origin": [_source_text(v, lang) for v in given.values()]})
    engine = pd.DataFrame([{"assumption": term("assumption", k, lang), "value": _plain(v, lang),
                            "origin": assumption_origin(k, lang)}
                           for k, v in site.assumptions.model_dump().items()])
    tables = [(text("engine_assumptions", lang), shown_table(engine, lang))]
    if len(profile):
        tables.insert(0, (text("profile_sources", lang), shown_table(profile, lang)))
    return section(text("assumptions", lang), tables=tables, items=[
        text("catalog_source", lang),
        text("dependency_source", lang, count=analysis.dependencies.number_of_edges())])


def _source_text(value: str | dict, lang: str) -> str:
    if isinstance(value, dict):
        return label(value.get("zh", value.get("en", "")), value.get("en", ""), lang)
    return text("illustrative", lang) if value.strip().lower() == "illustrative" else value


def _plain(value: object, lang: str) -> str:
    """An assumption's value without Python syntax: numbers formatted, mappings as a: b
    with vocabulary keys (carriers, effects, sectors) in `lang`."""
    if isinstance(value, dict):
        return "; ".join(f"{word(str(k), lang)}: {_plain(v, lang)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v, lang) for v in value)
    return number(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else str(value)


# --------------------------------------------------------------------- implementation plan

FUNDING = ("market", "higher_government", "local_government")
IN_QUARTER = "■"  # a quarter the action runs in (seed 000 table 5-3 shades its cells)


def implementation_section(analysis: SiteAnalysis, lang: str) -> dict:
    """Seed 000's tables 5-2 to 5-4 and figure 4-1 for the site's first phase."""
    plan = analysis.implementation
    tables = [(plan_text("schedule_table", lang), schedule_table(plan, lang)),
              (plan_text("funding_table", lang), funding_table(plan, lang))]
    if len(plan.indicators):
        tables.append((plan_text("indicator_table", lang), indicator_table(plan, lang)))
    return section(plan_text("section", lang), paragraphs=_lines(plan_lines, analysis, lang),
                   tables=tables, figures=["implementation", *(
                       ["implementation-map"] if plan.has_map else [])])


def read_apart(first: float, second: float) -> bool:
    """Whether two sums of money (10k yuan) read differently in both languages: a line
    comparing them is said in both or in neither, as the bilingual report pairs each
    Chinese line with its English one (3,374万 and 3,365万 both read 33.7 million yuan)."""
    return all(money(first, lang) != money(second, lang) for lang in ("zh", "en"))


def plan_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """Where the plan comes from, its quarters, its money by source, whether a map is drawn."""
    plan = analysis.implementation
    schedule = plan.schedule
    origin = "from_profile" if plan.from_profile else "from_defaults"
    lines = [plan_text(origin, lang),
             plan_text("period", lang, start=_quarter_name(plan.quarters[0], lang),
                       end=_quarter_name(plan.quarters[-1], lang), count=len(plan.quarters))]
    totals = {k: float(schedule[k].sum()) for k in (*FUNDING, "total")}
    paying = [k for k in FUNDING if totals[k] > 0]
    if len(paying) == 1:  # an enterprise's own plan: no row of zeros
        lines.append(plan_text("funding_one_source", lang,
                               source=plan_text(f"{paying[0]}_source", lang),
                               **amounts(lang, total=totals["total"])))
    elif totals["total"] > 0:
        parts = dict(zip(("market", "higher", "local"), (totals[k] for k in FUNDING),
                         strict=True))
        lines.append(plan_text("funding_line", lang, **amounts(lang, total=totals["total"],
                                                               **parts),
                               **{f"{short}_share": _share(value / totals["total"])
                                  for short, value in parts.items()}))
    lines += spent_lines(analysis, lang)
    if not plan.has_map:
        lines.append(plan_text("no_map", lang))
    return lines


def spent_lines(analysis: SiteAnalysis, lang: str) -> list[str]:
    """What the actions funded from the model are given: their measures' spending in the
    plan's years (reconciled with the investment sheet's), and their capital at full
    adoption, spent later (nothing when the profile funds every action)."""
    plan, economics = analysis.implementation, analysis.economics
    funded = plan.schedule[plan.schedule["defaults"].str.split(";").map(
        lambda fields: "funding" in fields) & plan.schedule["total"].notna()]
    if funded.empty:
        return []
    start, end = int(plan.quarters[0][:4]), int(plan.quarters[-1][:4])
    roadmap = analysis.investment[analysis.investment["scenario"] == "roadmap"]
    measures = {m for row in funded["measures"] for m in row.split(";")}
    in_plan = roadmap[roadmap["year"].between(start, end)]
    return [plan_text("spent_line", lang, start=start, end=end, year=analysis.site.target_year,
                      **amounts(lang, spent=funded["total"].sum(),
                                all=in_plan["investment_10k_yuan"].sum(),
                                full=economics[economics["id"].isin(measures)][
                                    "investment_10k_yuan"].sum()))]


def _quarter_name(quarter: str, lang: str) -> str:
    year, number_ = quarter.split("Q")
    months = f"{3 * int(number_) - 2}-{3 * int(number_)}"
    return plan_text("quarter_column", lang, year=year, months=months, q=number_)


def _row_names(schedule: pd.DataFrame, lang: str) -> list[str]:
    """An action's name; a part's as 'action · part'."""
    return [label(r.name_zh, r.name_en, lang) if r.id == r.action else
            f"{label(r.action_zh, r.action_en, lang)} · "
            f"{label(r.name_zh, r.name_en, lang)}" for r in schedule.itertuples()]


def _defaulted(value: str, field: str, defaults: str, lang: str) -> str:
    """A value, marked when it is the category's default."""
    if field in defaults.split(";"):
        return bracketed(value, plan_text("default_mark", lang), lang)
    return value


def schedule_table(plan: ImplementationPlan, lang: str) -> pd.DataFrame:
    """Table 5-3 with 5-2's columns: one row per action or part, a column per quarter."""
    schedule = plan.schedule
    table = pd.DataFrame({plan_text("action", lang): _row_names(schedule, lang)})
    for index, quarter in enumerate(plan.quarters):
        table[_quarter_name(quarter, lang)] = [
            IN_QUARTER if start <= index <= end else "" for start, end in
            zip(schedule["start_index"], schedule["end_index"], strict=True)]
    rows = list(schedule.itertuples())
    table[plan_text("lead", lang)] = [_defaulted(label(r.lead_zh or r.lead_en, r.lead_en or
                                                       r.lead_zh, lang), "lead", r.defaults,
                                                 lang) for r in rows]
    table[plan_text("mode", lang)] = [_defaulted(term("mode", r.mode, lang), "mode",
                                                 r.defaults, lang) for r in rows]
    table[plan_text("defaults", lang)] = [
        "、".join(plan_text(f"field_{f}", lang) for f in r.defaults.split(";") if f)
        if lang == "zh" else ", ".join(plan_text(f"field_{f}", lang)
                                       for f in r.defaults.split(";") if f)
        for r in rows]
    return table.astype(str)


def funding_table(plan: ImplementationPlan, lang: str) -> pd.DataFrame:
    """Table 5-4: each row's total and its split, 10k yuan with the share; a total row."""
    schedule = plan.schedule
    total_row = {k: schedule[k].sum(min_count=1) for k in (*FUNDING, "total")}
    names = [*_row_names(schedule, lang), plan_text("sum_row", lang)]
    table = pd.DataFrame({plan_text("action", lang): names})
    totals = [*schedule["total"], total_row["total"]]
    table[plan_text("total", lang)] = [number(v) if pd.notna(v) else plan_text("unknown", lang)
                                       for v in totals]
    for key in FUNDING:
        values = [*schedule[key], total_row[key]]
        table[plan_text(key, lang)] = [
            plan_text("unknown", lang) if pd.isna(v) else
            bracketed(number(v), _share(v / t), lang) if v > 0 and t > 0 else number(v)
            for v, t in zip(values, totals, strict=True)]
    return table.astype(str)


def _share(share: float) -> str:
    """A share to 0.1 %; a small one is not shown as 0.0 % (10 of 25,060), none as 0 %."""
    return "0%" if share <= 0 else "<0.1%" if share < 0.0005 else percent(share, 1)


def indicator_table(plan: ImplementationPlan, lang: str) -> pd.DataFrame:
    """The indicators with unit, current value and targets by year, and their actions."""
    frame = plan.indicators
    years = [c for c in frame.columns if c.isdigit()]
    table = pd.DataFrame({plan_text("indicator", lang): [
        label(z, e, lang) for z, e in zip(frame["name_zh"], frame["name_en"], strict=True)]})
    table[plan_text("unit", lang)] = [_value(u, lang) for u in frame["unit"]]
    table[plan_text("base", lang)] = [_value(v, lang) for v in frame["base"]]
    for year_ in years:
        table[year_] = [_value(v, lang) for v in frame[year_]]
    table[plan_text("served_by", lang)] = [a.replace(";", ", ") for a in frame["actions"]]
    return table.astype(str)


def _value(value: object, lang: str) -> str:
    """A number, or a value in words (`Text`), or a dash where the profile gives none."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if hasattr(value, "zh"):
        return label(value.zh or value.en, value.en or value.zh, lang)
    return number(value)
