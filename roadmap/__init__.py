"""roadmap: technology-roadmap decision support for low-carbon and near-zero-carbon planning.

The public API, one function or type per step of the data flow (see the README).
"""

from .catalog import Catalog, Source, Technology, load_catalog, read_catalog_file
from .dependencies import load_dependencies
from .errors import InputError
from .experts import expert_agreement
from .gantt import domain_chart, roadmap_chart
from .matrix import decision_matrix
from .outputs import save_figure
from .plan import Roadmap, build_roadmap
from .ranking import Ranking, compare_methods, rank
from .sensitivity import sensitivity
from .site import Site, load_site, site_from_dict
from .vocabulary import ADDRESSES, APPLICABILITIES, DOMAINS, FEATURES, PERIODS
from .weights import ahp_weights, choose_weights

__version__ = "0.1.0"

__all__ = [
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
