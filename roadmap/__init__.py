"""roadmap: technology-roadmap decision support for low-carbon and near-zero-carbon planning.

The public API, one function or type per step of the data flow (see the README). Names are
imported on first use (PEP 562 `__getattr__`), so `import roadmap` and the command line's
`--help` do not pay for pandas and matplotlib. To export a new name, add one line to `_API`.

Every public name's docstring has an example (`tests/test_docstrings.py` runs them from the
repository's root). They start from the bundled catalogs and the Xiaolan town profile:

>>> import roadmap
>>> catalog = roadmap.load_catalog()
>>> site = roadmap.load_site("catalogs/sites/xiaolan-town.yaml", catalog)
>>> len(catalog), site.domain
(230, 'town')
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Public name -> the module (relative to this package) that defines it.
_API = {
    "ADDRESSES": ".inputs.vocabulary",
    "APPLICABILITIES": ".inputs.vocabulary",
    "DOMAINS": ".inputs.vocabulary",
    "FEATURES": ".inputs.vocabulary",
    "PERIODS": ".inputs.vocabulary",
    "Catalog": ".inputs.catalog",
    "Source": ".inputs.catalog",
    "Technology": ".inputs.catalog",
    "load_catalog": ".inputs.catalog",
    "read_catalog_file": ".inputs.catalog",
    "load_dependencies": ".inputs.dependencies",
    "Site": ".inputs.site",
    "load_site": ".inputs.site",
    "site_from_dict": ".inputs.site",
    "profile_template": ".inputs.template",
    "InputError": ".errors",
    "DecisionMatrix": ".decisions.matrix",
    "decision_matrix": ".decisions.matrix",
    "ahp_weights": ".decisions.weights",
    "choose_weights": ".decisions.weights",
    "Ranking": ".decisions.ranking",
    "MethodComparison": ".decisions.ranking",
    "compare_methods": ".decisions.ranking",
    "rank": ".decisions.ranking",
    "Sensitivity": ".decisions.sensitivity",
    "sensitivity": ".decisions.sensitivity",
    "expert_agreement": ".decisions.experts",
    "ExpertAgreement": ".decisions.experts",
    "Acceptability": ".decisions.acceptability",
    "acceptability": ".decisions.acceptability",
    "Roadmap": ".decisions.roadmap",
    "build_roadmap": ".decisions.roadmap",
    "ImplementationPlan": ".decisions.implementation",
    "implementation_plan": ".decisions.implementation",
    "schedule_chart": ".rendering.schedule",
    "map_chart": ".rendering.schedule",
    "Pathway": ".model.pathway",
    "SiteModel": ".model.pathway",
    "site_model": ".model.pathway",
    "scenario_pathways": ".model.pathway",
    "contributions": ".model.pathway",
    "check_targets": ".model.pathway",
    "near_zero_gap": ".model.pathway",
    "BauChange": ".model.pathway",
    "bau_change": ".model.pathway",
    "Uncertainty": ".model.uncertainty",
    "monte_carlo": ".model.uncertainty",
    "band_drivers": ".model.uncertainty",
    "SiteAnalysis": ".workflow",
    "Options": ".workflow",
    "analyse_site": ".workflow",
    "domain_chart": ".rendering.gantt",
    "roadmap_chart": ".rendering.gantt",
    "save_figure": ".rendering.outputs",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name == "__version__":  # importlib.metadata costs 0.15 s: only when asked
        from importlib.metadata import version

        return version("roadmap")
    if name not in _API:
        raise AttributeError(f"module 'roadmap' has no attribute '{name}'")
    value = getattr(import_module(_API[name], __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])


if TYPE_CHECKING:  # static type checkers and IDEs see the real names
    from .decisions.acceptability import Acceptability, acceptability  # noqa: F401
    from .decisions.experts import ExpertAgreement, expert_agreement  # noqa: F401
    from .decisions.implementation import ImplementationPlan, implementation_plan  # noqa: F401
    from .decisions.matrix import DecisionMatrix, decision_matrix  # noqa: F401
    from .decisions.ranking import MethodComparison, Ranking, compare_methods, rank  # noqa: F401
    from .decisions.roadmap import Roadmap, build_roadmap  # noqa: F401
    from .decisions.sensitivity import Sensitivity, sensitivity  # noqa: F401
    from .decisions.weights import ahp_weights, choose_weights  # noqa: F401
    from .errors import InputError  # noqa: F401
    from .inputs.catalog import (  # noqa: F401
        Catalog,
        Source,
        Technology,
        load_catalog,
        read_catalog_file,  # noqa: F401
    )
    from .inputs.dependencies import load_dependencies  # noqa: F401
    from .inputs.site import Site, load_site, site_from_dict  # noqa: F401
    from .inputs.template import profile_template  # noqa: F401
    from .inputs.vocabulary import (  # noqa: F401
        ADDRESSES,
        APPLICABILITIES,
        DOMAINS,
        FEATURES,
        PERIODS,  # noqa: F401
    )
    from .model.pathway import (  # noqa: F401
        BauChange,
        Pathway,
        SiteModel,
        bau_change,
        check_targets,
        contributions,
        near_zero_gap,
        scenario_pathways,
        site_model,
    )
    from .model.uncertainty import Uncertainty, band_drivers, monte_carlo  # noqa: F401
    from .rendering.gantt import domain_chart, roadmap_chart  # noqa: F401
    from .rendering.outputs import save_figure  # noqa: F401
    from .rendering.schedule import map_chart, schedule_chart  # noqa: F401
    from .workflow import Options, SiteAnalysis, analyse_site  # noqa: F401
