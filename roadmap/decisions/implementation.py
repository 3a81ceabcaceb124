"""The implementation plan of the first phase, like seed 000's tables 5-2 to 5-4 and figure 4-1:
who leads each action, how it is run, in which quarters, and who pays, plus the
challenge -> action -> indicator map.

The profile's `implementation:` section gives the actions; what an action leaves out is
filled from `CATEGORY_DEFAULTS`. Without the section, the plan is built from the roadmap's
first-phase measures, every field a default (`ImplementationPlan.from_profile` is False).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from ..inputs.catalog import Catalog, Effect, Technology
from ..inputs.implementation import (
    FUNDING_KEYS,
    PLAN_CATEGORIES,
    Action,
    Challenge,
    Indicator,
    Work,
    quarter_index,
    quarter_label,
)
from ..inputs.site import Site
from ..inputs.vocabulary import expand_cells
from .roadmap import Roadmap, phases

# Seed 000 table 5-4: 10k yuan (market, higher-level and international, town government) of
# Xiaolan's actions of each category, whose shares are the default split: industry = action
# 1; building = actions 2 and 3; energy = action 4; transport = action 5; planning = actions
# 6, 7, 9 and 10 (action 8, the low-carbon fund, finances the PV and energy-station projects).
# Agriculture and waste have no Xiaolan action: half higher-level, half local is the
# project's assumption.
FUNDING_SOURCES = {"industry": (25000, 50, 10), "building": (2500, 800, 100),
                   "energy": (21500, 0, 0), "transport": (2000, 0, 1000),
                   "planning": (0, 1100, 160), "agriculture": (0, 1, 1), "waste": (0, 1, 1)}
# Lead agency and operating mode by category: the agency types and modes of seed 000 table
# 5-2 (industry: economy and IT bureau, energy performance contracting; buildings: housing
# and construction bureau, contracting; PV: development and reform bureau, a developer's
# investment; transport: transport office, government works; planning and the soft actions:
# development and reform bureau, government). Waste: the urban management bureau leads
# Jiangmen's waste and sewage treatment projects (seed 001, projects 23 and 24), run by the
# government. Agriculture: the project's assumption.
CATEGORY_DEFAULTS = {
    "industry": (("经济和信息化局", "economy and information technology bureau"), "emc"),
    "building": (("住房和城乡建设局", "housing and urban-rural development bureau"), "emc"),
    "energy": (("发展和改革局", "development and reform bureau"), "enterprise"),
    "transport": (("交通运输局", "transport bureau"), "government"),
    "planning": (("发展和改革局", "development and reform bureau"), "government"),
    "agriculture": (("农业农村局", "agriculture and rural affairs bureau"), "government"),
    "waste": (("城市管理和综合执法局", "urban management bureau"), "government"),
}
# Energy performance contracting pays the contractor from the energy a measure saves: a
# measure that saves none (a sink, or one acting on non-energy emissions only) takes this
# mode instead where its category's is emc (a community's vertical greening).
NO_SAVING_MODE = "government"
# ... and a design choice only a new building can make (`new_build_only`) is its developer's
# investment: there is no building yet whose bills would pay a contractor.
NEW_BUILD_MODE = "enterprise"
# A measure acting on these cells only is the waste category's, whatever its catalog's.
WASTE_CELLS = {("waste", "non_energy")}
# An enterprise leads and pays for its own projects (project assumption): its energy
# management, not a government bureau, whatever the category.
ENTERPRISE_DEFAULT = (("企业能源管理部门", "the enterprise's energy management"), "enterprise")
# A park's own administration runs its programmes (project assumption), in each category's
# operating mode: the town bureaus above lead a town's.
PARK_LEAD = ("园区管理委员会", "the park's management committee")
# Market mechanisms the catalogs file under management and service: firms run and pay for
# them whatever the category (project assumption, from what each mechanism is): an energy
# service company finances a performance contract from the savings; the park's enterprises
# manage their carbon assets and recycle their process water; property managers run
# buildings' energy. Each takes the mode named here.
MARKET_LED = {"park-energy-performance-contracting": "emc",
              "park-carbon-asset-management": "enterprise",
              "park-water-recycling": "enterprise",
              "com-low-carbon-property-management": "enterprise",
              "com-smart-property-management": "enterprise"}
# The funding split of seed 000's actions run in a mode (table 5-2 and 5-4), for a row run
# in another mode than its category's (a market mechanism, a measure saving no energy, a
# new build, or the profile's choice): contracting = action 1 (industry, 99.8 % market), an
# enterprise's investment = action 4 (energy, all market), government-led = actions 6, 7,
# 9 and 10 (planning, 87.3 % higher-level).
MODE_FUNDING = {"emc": "industry", "enterprise": "energy", "government": "planning"}
# A catalog category (any domain) -> the plan's category; otherwise by `DOMAIN_CATEGORY`.
CATEGORY_OF = {
    **{zh: key for key, zh in PLAN_CATEGORIES.items()},
    **dict.fromkeys(("可再生能源利用", "可再生能源利用技术", "清洁能源利用技术", "低碳能源技术",
                     "社区能源"), "energy"),
    **dict.fromkeys(("低碳规划技术", "低碳管理与服务", "社区管理"), "planning"),
    **dict.fromkeys(("低碳建筑技术", "社区配套", "社区住宅"), "building"),
    "低碳交通技术": "transport", "低碳科技技术": "industry",
}
DOMAIN_CATEGORY = {"building": "building", "transport": "transport", "enterprise": "industry",
                   "park": "industry", "community": "building", "town": "planning"}
DEFAULTABLE = ("category", "lead", "mode", "start", "end", "funding")  # in this order
DEFAULT_QUARTERS = 8  # a default plan spans two years, as seed 000's plan (sec. 5.2)
STEP = 2  # quarters between the starts of a measure and of its prerequisite (default plan)

SCHEDULE_COLUMNS = ["id", "action", "action_zh", "action_en", "name_zh", "name_en", "category",
                    "lead_zh", "lead_en", "mode", "how_zh", "how_en", "start", "end",
                    "start_index", "end_index", *FUNDING_KEYS, "total",
                    *[f"{k}_share" for k in FUNDING_KEYS], "measures", "defaults"]

DERIVED = ("start_index", "end_index", "total", *[f"{k}_share" for k in FUNDING_KEYS])


@dataclass(frozen=True)
class ImplementationPlan:
    """The first phase's plan.

    `schedule`: one row per scheduled item (an action, or each part of an action with parts),
    columns `SCHEDULE_COLUMNS`: `action` is the action's id (its own for an action without
    parts), `start`/`end` quarters like 2014Q1, `start_index`/`end_index` their positions in
    `quarters` (end inclusive), funding in 10k yuan (empty when unknown) with its shares,
    `defaults` the fields filled by category (`;`-separated). `graph`: challenge -> action ->
    indicator, nodes with `layer` (challenge, action, indicator), `name_zh`, `name_en`.
    `challenges`, `indicators`: the profile's, one row each (indicators with unit, base and
    a column per target year, each a number or a `Text`). `from_profile`: False when the
    whole plan is the engine's default.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> road = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> plan = roadmap.implementation_plan(site, road, catalog=catalog)
    >>> plan.from_profile, plan.quarters[0], plan.quarters[-1], len(plan.schedule)
    (True, '2014Q1', '2015Q4', 13)
    """

    schedule: pd.DataFrame
    quarters: tuple[str, ...]
    graph: nx.DiGraph
    challenges: pd.DataFrame
    indicators: pd.DataFrame
    from_profile: bool

    @property
    def has_map(self) -> bool:
        """Whether there is a challenge -> action -> indicator map to draw."""
        return bool(len(self.challenges) or len(self.indicators))


def implementation_plan(site: Site, roadmap: Roadmap,
                        investment: pd.DataFrame | None = None,
                        catalog: Catalog | None = None) -> ImplementationPlan:
    """The site's first-phase plan: its `implementation:` section with defaults by category,
    or a default plan of the roadmap's first-phase measures. `investment`: 10k yuan each
    measure (rows: ids) spends each year (columns) as its adoption grows
    (`model.economics.measure_spending`): an action that gives no funding is funded with what
    its measures spend within the plan's years, the investment sheet's rule; `catalog`: the
    categories of an action's measures outside the roadmap.

    >>> ranking = roadmap.rank(roadmap.decision_matrix(catalog, site), site.method)
    >>> road = roadmap.build_roadmap(ranking, catalog, roadmap.load_dependencies(catalog), site)
    >>> plan = roadmap.implementation_plan(site, road, catalog=catalog)
    >>> plan.graph.number_of_nodes(), plan.has_map  # 10 challenges, 10 actions, 13 indicators
    (33, True)
    """
    section = site.implementation
    named = [*roadmap.frame["id"], *(m for a in section.actions for m in a.measures)] \
        if section else list(roadmap.frame["id"])
    techs = {m: catalog.get(m) for m in named if m in catalog} if catalog else {}
    categories = {m: measure_category(c, d, techs[m].acts if m in techs else None)
                  for m, c, d in zip(roadmap.frame["id"], roadmap.frame["category"],
                                     roadmap.frame["domain"], strict=True)}
    categories.update({m: measure_category(t.category, t.domain, t.acts)
                       for m, t in techs.items() if m not in categories})
    leads = {category: ENTERPRISE_DEFAULT if site.domain == "enterprise" else
             (PARK_LEAD, default[1]) if site.domain == "park" else default
             for category, default in CATEGORY_DEFAULTS.items()}
    if section is None:
        rows = _default_rows(site, roadmap, categories, leads, techs)
        actions = [(r["id"], r["name_zh"], r["name_en"]) for r in rows]
        challenges, indicators = (), ()
    else:
        rows = [row for action in section.actions
                for row in _action_rows(action, categories, leads, techs)]
        actions = [(a.id, *_names(a)) for a in section.actions]
        challenges, indicators = section.challenges, section.indicators
    schedule, first, last = _placed(pd.DataFrame(rows, columns=[
        c for c in SCHEDULE_COLUMNS if c not in DERIVED] + ["basis"]), site, investment)
    quarters = tuple(quarter_label(i) for i in range(first, last + 1))
    return ImplementationPlan(schedule[SCHEDULE_COLUMNS], quarters,
                              _graph(actions, challenges, indicators),
                              _frame(challenges, ["id", "name_zh", "name_en", "actions"]),
                              _frame(indicators, ["id", "name_zh", "name_en", "actions", "unit",
                                                  "base"]),
                              site.implementation is not None)


def measure_category(category: str, domain: str, effect: Effect | None = None) -> str:
    """The plan category of a catalog measure: waste when its `effect` acts on waste only,
    else its category's, else its domain's."""
    if effect is not None and effect.cells and set(expand_cells(effect.cells)) <= WASTE_CELLS:
        return "waste"
    return CATEGORY_OF.get(category, DOMAIN_CATEGORY.get(domain, "planning"))


def saves_no_energy(effect: Effect | None) -> bool:
    """A sink, or a measure acting on non-energy emissions only (None: not known)."""
    return effect is not None and (effect.type == "sink" or effect.non_energy_only)


def operating_mode(measures: tuple[str, ...] | list[str], mode: str,
                   techs: dict[str, Technology]) -> str:
    """The mode of a row of `measures` whose category runs in `mode`: their market
    mechanism's (`MARKET_LED`); for emc, `NO_SAVING_MODE` when none saves energy and
    `NEW_BUILD_MODE` when all are new-build design; else `mode`."""
    if market := market_mode(measures):
        return market
    known = [techs[m] for m in measures if m in techs]
    if mode != "emc" or not known or len(known) < len(measures):
        return mode
    if all(saves_no_energy(tech.acts) for tech in known):
        return NO_SAVING_MODE
    return NEW_BUILD_MODE if all(tech.new_build_only for tech in known) else mode


def funding_basis(category: str, mode: str) -> str:
    """The category whose default split funds a row of `category` run in `mode`: that of
    the mode (`MODE_FUNDING`) when the category's own split is another mode's (an
    enterprise site's own investment in an industry row split as contracting), else its
    own."""
    usual = CATEGORY_DEFAULTS[category][1]
    return MODE_FUNDING.get(mode, category) if mode != usual else category


def _action_rows(action: Action, categories: dict[str, str], leads: dict[str, tuple],
                 techs: dict[str, Technology]) -> list[dict]:
    """The schedule rows of one profile action: itself, or each of its parts."""
    category = action.category or next(
        (categories[m] for m in action.measures if m in categories), None)
    filled = [] if action.category or category else ["category"]
    category = category or "planning"
    items = action.parts or (action,)
    lead, mode = leads[category]
    return [_row(item, action, category, filled,
                 (lead, operating_mode(action.measures, mode, techs))) for item in items]


def market_mode(measures: tuple[str, ...] | list[str]) -> str | None:
    """The mode of `measures` when all are market mechanisms run in one mode (`MARKET_LED`)."""
    modes = {MARKET_LED.get(m) for m in measures}
    return modes.pop() if len(modes) == 1 and None not in modes else None


def _row(item: Work, action: Action, category: str, filled: list[str],
         lead_and_mode: tuple) -> dict:
    lead, mode = lead_and_mode  # the row's defaults
    defaults = list(filled)

    def given(name: str, default: object) -> object:
        value = getattr(item, name) if getattr(item, name) is not None else \
            getattr(action, name)
        if value is None:
            defaults.append(name)
            return default
        return value

    chosen_lead = given("lead", None)
    how = item.how or action.how
    funding = item.funding
    amounts = [getattr(funding, k) for k in FUNDING_KEYS] if funding else \
        split(category, None)  # until `_funded` knows the plan's years
    if funding is None:
        defaults.append("funding")
    (action_zh, action_en), (name_zh, name_en) = _names(action), _names(item)
    return {"id": item.id, "action": action.id, "action_zh": action_zh,
            "action_en": action_en, "name_zh": name_zh, "name_en": name_en,
            "category": category,
            "lead_zh": chosen_lead.zh if chosen_lead else lead[0],
            "lead_en": chosen_lead.en if chosen_lead else lead[1],
            "mode": (chosen_mode := given("mode", mode)), "how_zh": how.zh if how else "",
            "how_en": how.en if how else "", "start": given("start", None),
            "end": given("end", None), **dict(zip(FUNDING_KEYS, amounts, strict=True)),
            "measures": ";".join(action.measures),
            "defaults": sorted(defaults, key=DEFAULTABLE.index),
            "basis": funding_basis(category, chosen_mode)}


def split(category: str, total: float | None) -> list[float]:
    """`total` (10k yuan) split by the category's default shares; unknown total: NaN."""
    amounts = FUNDING_SOURCES[category]
    if total is None:
        return [float("nan")] * len(amounts)
    return [total * a / sum(amounts) for a in amounts]


def _default_rows(site: Site, roadmap: Roadmap, categories: dict[str, str],
                  leads: dict[str, tuple], techs: dict[str, Technology]) -> list[dict]:
    """One action per first-phase measure of the roadmap, every field a default; a measure
    starts `STEP` quarters after its latest prerequisite within the phase."""
    first_phase = phases(site)[0][0]
    frame = roadmap.frame[roadmap.frame["phase"] == first_phase]
    graph = roadmap.graph.subgraph(frame["id"])
    depth = {}
    for tech_id in nx.lexicographical_topological_sort(graph):
        depth[tech_id] = max((depth[p] + 1 for p in graph.predecessors(tech_id)), default=0)
    plan_start = site.first_start_year * 4  # the first quarter a measure can start in
    rows = []
    for row in frame.itertuples():
        category = categories[row.id]
        lead, mode = leads[category]
        mode = operating_mode([row.id], mode, techs)
        start = plan_start + min(STEP * depth[row.id], DEFAULT_QUARTERS - 1)
        rows.append({"id": row.id, "action": row.id, "action_zh": row.name_zh,
                     "action_en": row.name_en, "name_zh": row.name_zh, "name_en": row.name_en,
                     "category": category, "lead_zh": lead[0], "lead_en": lead[1],
                     "mode": mode, "how_zh": "", "how_en": "", "start": quarter_label(start),
                     "end": quarter_label(plan_start + DEFAULT_QUARTERS - 1),
                     **dict(zip(FUNDING_KEYS, split(category, None), strict=True)),
                     "measures": row.id,
                     "defaults": list(DEFAULTABLE[1:]),
                     "basis": funding_basis(category, mode)})
    return rows


def _placed(frame: pd.DataFrame, site: Site, investment: pd.DataFrame | None,
            ) -> tuple[pd.DataFrame, int, int]:
    """Quarters as labels and positions (a missing start or end: the plan's own, or the
    first phase's first two years), the funding an action gives not (`_funded`), totals and
    shares; `defaults` joined."""
    starts = [quarter_index(v) for v in frame["start"].dropna()]
    ends = [quarter_index(v, True) for v in frame["end"].dropna()]
    first = min(starts + ends, default=phases(site)[0][1] * 4)
    last = max(ends + starts, default=first + DEFAULT_QUARTERS - 1)
    frame["start_index"] = [quarter_index(v) - first if pd.notna(v) else 0
                            for v in frame["start"]]
    frame["end_index"] = [quarter_index(v, True) - first if pd.notna(v) else last - first
                          for v in frame["end"]]
    frame["start"] = [quarter_label(first + i) for i in frame["start_index"]]
    frame["end"] = [quarter_label(first + i) for i in frame["end_index"]]
    if investment is not None:
        _funded(frame, investment, range(first // 4, last // 4 + 1))
    frame["total"] = frame[list(FUNDING_KEYS)].sum(axis=1, min_count=1)
    for key in FUNDING_KEYS:
        frame[f"{key}_share"] = frame[key] / frame["total"].where(frame["total"] > 0)
    frame["defaults"] = [";".join(d) for d in frame["defaults"]]
    return frame, first, last


def _funded(frame: pd.DataFrame, investment: pd.DataFrame, years: range) -> None:
    """An action without funding (not a part of one) gets what its measures spend in the
    plan's `years`, split by its category's shares; none of them costed: unknown."""
    spent = investment.loc[:, investment.columns.isin(years)].sum(axis=1)
    for index, row in frame.iterrows():
        costed = [m for m in row["measures"].split(";") if m in spent.index]
        if "funding" in row["defaults"] and row["id"] == row["action"] and costed:
            frame.loc[index, list(FUNDING_KEYS)] = split(row["basis"],
                                                         float(spent[costed].sum()))


def _names(item: Work | Challenge) -> tuple[str, str]:
    """(zh, en), each standing in for the other where it is missing."""
    return item.name.zh or item.name.en, item.name.en or item.name.zh


def _graph(actions: list[tuple[str, str, str]], challenges: tuple[Challenge, ...],
           indicators: tuple[Indicator, ...]) -> nx.DiGraph:
    """challenge -> action -> indicator, each node with its layer and names."""
    graph = nx.DiGraph()
    nodes = [("challenge", c.id, *_names(c)) for c in challenges] + \
        [("action", *a) for a in actions] + [("indicator", i.id, *_names(i)) for i in indicators]
    for layer, item_id, zh, en in nodes:
        graph.add_node(f"{layer}:{item_id}", layer=layer, id=item_id, name_zh=zh, name_en=en)
    for challenge in challenges:
        graph.add_edges_from((f"challenge:{challenge.id}", f"action:{a}")
                             for a in challenge.actions)
    for indicator in indicators:
        graph.add_edges_from((f"action:{a}", f"indicator:{indicator.id}")
                             for a in indicator.actions)
    return graph


def _frame(items: tuple, columns: list[str]) -> pd.DataFrame:
    """Challenges or indicators, one row each; an indicator's unit, base and target values
    (one column per year) are numbers or `Text` (a value in words)."""
    rows = [{"id": item.id, **dict(zip(("name_zh", "name_en"), _names(item), strict=True)),
             "actions": ";".join(item.actions),
             **({"unit": item.unit, "base": item.base,
                 **{str(y): v for y, v in sorted(item.targets.items())}}
                if isinstance(item, Indicator) else {})} for item in items]
    years = sorted({k for row in rows for k in row if k.isdigit()})
    return pd.DataFrame(rows, columns=[*columns, *years])
