"""Business as usual before any measure: energy and emissions by sector x carrier and year.

Each base-year cell (tCO2e/yr) becomes an energy amount (MWh; non-energy cells stay in
tCO2e) through its carrier's emission factor; electricity through the grid factor of the
base year. The amount grows with its sector's growth rate, and its emissions each year are
the amount x the factor of that year: the grid path changes electricity emissions, fuel
factors are constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..inputs.site import Site, interpolate
from ..inputs.vocabulary import CARRIERS, SECTORS


@dataclass(frozen=True)
class Baseline:
    """`energy` and `factor` are cells x years; `cells` lists (sector, carrier) in table order:
    every carrier of every sector the site has (a sector's empty cells can receive energy
    from a measure: electrification adds to electricity, a fuel switch to gas)."""

    site: Site
    years: np.ndarray
    cells: list[tuple[str, str]]
    energy: np.ndarray  # MWh/yr (non_energy: tCO2e/yr)
    factor: np.ndarray  # tCO2e per MWh (non_energy: 1; electricity: the grid factor)
    grid: np.ndarray  # tCO2/MWh by year

    @property
    def emissions(self) -> np.ndarray:
        return self.energy * self.factor

    @property
    def sectors(self) -> list[str]:
        return list(dict.fromkeys(s for s, _ in self.cells))

    @cached_property
    def sector_index(self) -> np.ndarray:
        """Each cell's position in `sectors`."""
        return np.array([self.sectors.index(s) for s, _ in self.cells])

    @cached_property
    def carrier_of(self) -> np.ndarray:
        return np.array([c for _, c in self.cells], dtype=object)

    def rows(self, carrier: str) -> np.ndarray:
        """Indices of the cells of one carrier."""
        return np.array([i for i, (_, c) in enumerate(self.cells) if c == carrier], dtype=int)

    def index(self, sector: str, carrier: str) -> int | None:
        try:
            return self.cells.index((sector, carrier))
        except ValueError:
            return None


def build_baseline(site: Site) -> Baseline:
    """The site's business-as-usual energy and emissions before any measure."""
    years = np.arange(site.base_year, site.target_year + 1)
    grid = np.array(interpolate(site.grid_path(), years))
    base = site.cells()
    sectors = [s for s in SECTORS if any(cell[0] == s for cell in base)]
    cells = [(s, c) for s in sectors for c in CARRIERS]
    fuel_factors = site.assumptions.emission_factors
    energy = np.zeros((len(cells), len(years)))
    factor = np.ones((len(cells), len(years)))
    growth = {s: np.array(site.growth_path(site.growth_of(s), range(years[0], years[-1] + 1)))
              for s in sectors}
    for row, (sector, carrier) in enumerate(cells):
        if carrier == "electricity":
            factor[row] = grid
        elif carrier != "non_energy":
            factor[row] = fuel_factors[carrier]
        tonnes = base.get((sector, carrier), 0.0)
        if tonnes:
            energy[row] = tonnes / factor[row, 0] * growth[sector]
    return Baseline(site, years, cells, energy, factor, grid)
