"""Indicative economics: investment and cost per tonne from the study's ➕ grades.

➕ is tCO2 abated per 10k yuan invested. The engine reads it as annual abatement per 10k
yuan and maps each grade to a range (`Assumptions.cost_effectiveness`, calibrated on
Xiaolan's tables 5-4 and 5-5). A measure's investment for a site is its stand-alone
abatement at full adoption (from the site model) divided by that figure; its cost per tonne
spreads the investment over `Assumptions.lifetime_years`.
"""

from __future__ import annotations

import pandas as pd

from ..inputs.assumptions import Assumptions
from ..inputs.catalog import Catalog, Technology
from .pathway import Pathway, standalone_abatement

RANGE_FACTOR = 2.5 ** 0.5  # a grade spans centre / 1.58 to centre x 1.58
COLUMNS = ["id", "name_zh", "name_en", "category", "category_en", "economics", "potential",
           "investment_low", "investment", "investment_high", "cost_per_tonne", "abatement"]


def effectiveness_range(grade: int, assumptions: Assumptions) -> tuple[float, float, float]:
    """(low, central, high) annual tCO2 abated per 10k yuan invested for a ➕ grade."""
    centre = assumptions.cost_effectiveness[grade]
    return centre / RANGE_FACTOR, centre, centre * RANGE_FACTOR


def investment(tech: Technology, full_abatement: float,
               assumptions: Assumptions) -> tuple[float, float, float]:
    """(low, central, high) investment in 10k yuan for a measure whose full adoption abates
    `full_abatement` t/yr."""
    low, centre, high = effectiveness_range(tech.economics, assumptions)
    return full_abatement / high, full_abatement / centre, full_abatement / low


def cost_per_tonne(tech: Technology, assumptions: Assumptions) -> float:
    """Yuan per tCO2: 10k yuan over (annual abatement per 10k yuan x lifetime)."""
    return 10_000 / (assumptions.cost_effectiveness[tech.economics] *
                     assumptions.lifetime_years)


def measure_economics(pathway: Pathway, catalog: Catalog, year: int) -> pd.DataFrame:
    """Each adopted measure's stand-alone potential (t/yr at full adoption, in the site's
    target year), investment range, cost per tonne, and its abatement in `year` after
    interactions (from the pathway). Columns `COLUMNS`; sorted by cost per tonne."""
    site = pathway.site
    assumptions = site.assumptions
    ids = [i for i in pathway.measures if i in catalog]
    full = standalone_abatement(pathway.model, ids, site.target_year)
    frame = pathway.frame
    achieved = frame[frame["year"] == year].groupby("measure")["abatement"].sum()
    rows = []
    for tech_id in ids:
        tech = catalog.get(tech_id)
        low, centre, high = investment(tech, full[tech_id], assumptions)
        rows.append({"id": tech.id, "name_zh": tech.name_zh, "name_en": tech.name_en,
                     "category": tech.category,
                     "category_en": tech.category_en or tech.category,
                     "economics": tech.economics, "potential": full[tech_id],
                     "investment_low": low, "investment": centre, "investment_high": high,
                     "cost_per_tonne": cost_per_tonne(tech, assumptions),
                     "abatement": float(achieved.get(tech_id, 0.0))})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["cost_per_tonne", "abatement"], ascending=[True, False],
                             kind="stable").reset_index(drop=True)
