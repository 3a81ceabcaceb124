"""Indicative economics: investment and cost per tonne from the study's ➕ grades.

➕ is tCO2 abated per 10k yuan invested. The engine reads it as annual abatement per 10k
yuan and maps each grade to a range (`Assumptions.cost_effectiveness`, calibrated on
Xiaolan's tables 5-4 and 5-5). A measure's investment for a site is its stand-alone
potential (t/yr at full adoption) divided by that figure; its cost per tonne spreads the
investment over `Assumptions.lifetime_years` (no operating savings: no document gives them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..decisions.roadmap import application_year, popularization_year
from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology
from ..inputs.site import Site
from .pathway import PERIOD_END, SINK, Pathway, adoption

RANGE_FACTOR = 2.5 ** 0.5  # a grade spans centre / 1.58 to centre x 1.58
COLUMNS = ["id", "name_zh", "name_en", "category", "category_en", "economics", "potential",
           "investment_low", "investment", "investment_high", "cost_per_tonne", "abatement"]


def effectiveness_range(grade: int, assumptions: Assumptions) -> tuple[float, float, float]:
    """(low, central, high) annual tCO2 abated per 10k yuan invested for a ➕ grade."""
    centre = assumptions.cost_effectiveness[grade]
    return centre / RANGE_FACTOR, centre, centre * RANGE_FACTOR


def potential(tech: Technology, site: Site, year: int,
              assumptions: Assumptions | None = None) -> float:
    """Stand-alone abatement at full adoption in `year` (t/yr): the measure's share of the
    business-as-usual emissions of the sources it addresses (sinks: its removal)."""
    assumptions = assumptions or site.assumptions
    fraction = assumptions.abatement_fraction[tech.abatement]
    growth = site.growth_path(site.growth_rate, range(site.base_year, year + 1))[-1]
    sources = {s: v * growth for s, v in site.baseline.items() if v > 0}
    if "cross_cutting" in tech.addresses:
        cut = fraction * assumptions.cross_cutting_effect * sum(sources.values())
    else:
        cut = fraction * sum(sources.get(s, 0.0) for s in tech.addresses)
    if SINK in tech.addresses:
        cut += fraction * assumptions.sink_scale * site.total_baseline
    return cut


def adoption_by(tech: Technology, year: int, assumptions: Assumptions) -> float:
    """The measure's adoption share in `year` when it starts at its application year."""
    end = PERIOD_END[popularization_year(tech)]
    return float(adoption(np.array([year]), application_year(tech), end,
                          assumptions.adoption_at_end)[0])


def investment(tech: Technology, site: Site, year: int,
               assumptions: Assumptions | None = None) -> tuple[float, float, float]:
    """(low, central, high) investment in 10k yuan to reach full adoption at this site."""
    assumptions = assumptions or site.assumptions
    need = potential(tech, site, year, assumptions)
    low, centre, high = effectiveness_range(tech.economics, assumptions)
    return need / high, need / centre, need / low


def cost_per_tonne(tech: Technology, assumptions: Assumptions) -> float:
    """Yuan per tCO2: 10k yuan over (annual abatement per 10k yuan x lifetime)."""
    return 10_000 / (assumptions.cost_effectiveness[tech.economics] *
                     assumptions.lifetime_years)


def measure_economics(pathway: Pathway, catalog: Catalog, year: int) -> pd.DataFrame:
    """Each pathway measure's potential, investment range, cost per tonne and its abatement
    in `year` (from the pathway). Columns `COLUMNS`; sorted by cost per tonne."""
    site = pathway.site
    assumptions = site.assumptions
    done = pathway.frame[(pathway.frame["year"] == year) & (pathway.frame["measure"] != "")]
    achieved = done.groupby("measure")["abatement"].sum()
    rows = []
    for tech_id in dict.fromkeys(pathway.frame["measure"]):
        if not tech_id:
            continue
        tech = catalog.get(tech_id)
        low, centre, high = investment(tech, site, year, assumptions)
        rows.append({"id": tech.id, "name_zh": tech.name_zh, "name_en": tech.name_en,
                     "category": tech.category,
                     "category_en": tech.category_en or tech.category,
                     "economics": tech.economics,
                     "potential": potential(tech, site, year, assumptions),
                     "investment_low": low, "investment": centre, "investment_high": high,
                     "cost_per_tonne": cost_per_tonne(tech, assumptions),
                     "abatement": float(achieved.get(tech_id, 0.0))})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["cost_per_tonne", "abatement"], ascending=[True, False],
                             kind="stable").reset_index(drop=True)
