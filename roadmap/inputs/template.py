"""`roadmap init`: a commented site-profile template generated from the `Site` model.

Every field of `Site` must have a line in `GUIDE` (its unit and an example value); what the
field allows comes from `site.ALLOWED`, the text the validation errors quote. A new profile key
therefore needs one line here, and `tests/test_template.py` fails until it has it.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import said
from .assumptions import Assumptions
from .site import ALLOWED, TEMPLATE_NAME, TEMPLATE_SOURCE, Site

# field -> (unit, example value). Examples are the project's illustrations, not data of a
# real site; together they must make a valid profile for every domain.
GUIDE: dict[str, tuple[str, Any]] = {
    "name": ("", TEMPLATE_NAME),
    "domain": ("", "town"),
    "region": ("", "prd"),
    "base_year": ("year", 2020),
    "target_year": ("year", 2050),
    "start_year": ("year", None),
    "baseline": ("tCO2e/yr", {"industry": {"electricity": 40000, "coal": 20000},
                              "commercial": {"electricity": 10000},
                              "residential": {"electricity": 10000, "lpg": 5000},
                              "transport": {"oil": 10000}, "waste": {"non_energy": 5000}}),
    "energy": ("MWh, t, m3, GJ", {}),
    "grid": ("tCO2/MWh by year", None),
    "green_power": ("share by year", {}),
    "land_area_ha": ("ha", 1000),
    "measures": ("share, MW, MWh, ha or 亩", {}),
    "prices": ("yuan per MWh, t or m3", {}),
    "discount_rate": ("fraction/yr", 0.08),
    "price_escalation": ("fraction/yr", 0.0),
    "carbon_price": ("yuan/t", 80),
    "uncertainty": ("Monte Carlo ranges", {"discount_rate": [0.06, 0.1]}),
    "phase_budgets": ("10k yuan (万元) by phase", {}),
    "growth_rate": ("fraction/yr", 0.02),
    "target": ("fraction of base-year emissions", {"reduction": 0.5, "year": 2050}),
    "gdp": ("10k yuan (万元)", 500000),
    "gdp_growth": ("fraction/yr", {2020: 0.05, 2031: 0.03}),
    "intensity_target": ("fraction of CO2 per GDP", {"reduction": 0.3, "year": 2030}),
    "features": ("", []),
    "custom_features": ("", []),
    "budget": ("10k yuan (万元)", 20000),
    "budget_max_cost": ("yuan/t: the budget buys no measure of a higher levelised cost", None),
    "weights": ("relative", {"site_abatement": 0.5, "cost": 0.5}),
    "method": ("", "topsis"),
    "include": ("", []),
    "exclude": ("", []),
    "extra_domains": ("", []),
    "sources": ("", {"budget": TEMPLATE_SOURCE}),
    "implementation": ("quarters, 10k yuan (万元)", None),  # none: defaults by category
    "assumptions": ("", {}),  # the defaults are written as comments: `_defaults_commented`
}


# The example baseline of each domain (tCO2e/yr; the project's illustrations): a building
# or an enterprise is not a town, and a template with a town's inventory would rank it
# against sectors it does not have.
DOMAIN_BASELINES: dict[str, dict[str, dict[str, int]]] = {
    "building": {"commercial": {"electricity": 3000, "lpg": 300}},
    "transport": {"transport": {"oil": 80000, "electricity": 10000, "gas": 10000}},
    "enterprise": {"industry": {"electricity": 40000, "coal": 30000, "gas": 10000}},
    "park": {"industry": {"electricity": 60000, "coal": 20000, "gas": 10000},
             "commercial": {"electricity": 5000}, "transport": {"oil": 5000}},
    "community": {"residential": {"electricity": 20000, "lpg": 5000},
                  "commercial": {"electricity": 5000}, "transport": {"oil": 5000},
                  "waste": {"non_energy": 2000}},
}


def profile_template(domain: str = "town") -> str:
    """A commented YAML profile for `domain` with every key, its unit and an example.

    >>> text = roadmap.profile_template("park")
    >>> "domain: park" in text
    True
    """
    lines = [f"# Site profile template ({domain}), written by `roadmap init`.",
             "# Replace each example with the site's figure and name its source in a comment;",
             "# `roadmap check FILE` validates the profile and summarises it.",
             "# `baseline` and `energy` may instead name a table kept in a workbook or CSV,",
             "# relative to this file: `baseline: {file: inventory.xlsx, sheet: baseline}`",
             "# (one row per sector, one column per carrier or quantity; README, 'Tables').",
             ""]
    for name in Site.model_fields:
        if name == "notes":  # written by the loader, not by the user
            continue
        unit, example = GUIDE[name]
        if name == "domain":
            example = domain
        elif name == "baseline":
            example = DOMAIN_BASELINES.get(domain, example)
        required = Site.model_fields[name].is_required()
        described = said(ALLOWED.get(name, ""), "en")  # the template is English
        lines.append(f"# {name}{' (required)' if required else ''}"
                     f"{f' [{unit}]' if unit else ''}: {described}")
        if name == "assumptions":
            lines += _defaults_commented()
        lines.append(_yaml_line(name, example))
    return "\n".join(lines) + "\n"


def _defaults_commented() -> list[str]:
    """The engine's defaults as comments, to read and copy from: written out live, they
    would pin today's values in the profile, and a release's better default (a newer grid
    factor, a price) would never reach the site."""
    defaults = yaml.safe_dump(_plain(Assumptions().model_dump()), allow_unicode=True,
                              default_flow_style=None, sort_keys=False, width=10_000)
    return ["# To change one for this site, write it into `assumptions:` further down, e.g.",
            "# assumptions: {lifetime_years: 20}",
            "# The defaults (their sources: README, 'Assumptions'):",
            *(f"#   {line}" for line in defaults.splitlines())]


def _yaml_line(name: str, value: Any) -> str:
    dumped = yaml.safe_dump({name: value}, allow_unicode=True, default_flow_style=True,
                            sort_keys=False, width=10_000)
    return dumped.strip()[1:-1]  # drop the outer braces of the one-key mapping


def _plain(value: Any) -> Any:
    """Tuples as lists, so that YAML's safe dumper writes them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
