"""roadmap: technology-roadmap decision support for low-carbon and near-zero-carbon planning.

The public API, one function or type per step of the data flow (see the README).
"""

from .decisions.acceptability import Acceptability, acceptability
from .decisions.experts import ExpertAgreement, expert_agreement
from .decisions.matrix import decision_matrix
from .decisions.ranking import Ranking, compare_methods, rank
from .decisions.roadmap import Roadmap, build_roadmap
from .decisions.sensitivity import sensitivity
from .decisions.weights import ahp_weights, choose_weights
from .errors import InputError
from .inputs.catalog import Catalog, Source, Technology, load_catalog, read_catalog_file
from .inputs.dependencies import load_dependencies
from .inputs.site import Site, load_site, site_from_dict
from .inputs.vocabulary import ADDRESSES, APPLICABILITIES, DOMAINS, FEATURES, PERIODS
from .rendering.gantt import domain_chart, roadmap_chart
from .rendering.outputs import save_figure

__version__ = "0.1.0"

__all__ = [
    "Acceptability",
    "ExpertAgreement",
    "acceptability",
    "ADDRESSES",
    "APPLICABILITIES",
    "DOMAINS",
    "FEATURES",
    "PERIODS",
    "Catalog",
    "InputError",
    "Ranking",
    "Roadmap",
    "Site",
    "Source",
    "Technology",
    "ahp_weights",
    "build_roadmap",
    "choose_weights",
    "compare_methods",
    "decision_matrix",
    "domain_chart",
    "expert_agreement",
    "load_catalog",
    "load_dependencies",
    "load_site",
    "rank",
    "read_catalog_file",
    "roadmap_chart",
    "save_figure",
    "sensitivity",
    "site_from_dict",
]
