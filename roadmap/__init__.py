"""roadmap: technology-roadmap decision support for low-carbon and near-zero-carbon planning.

The public API, one function or type per step of the data flow (see the README).
"""

from .catalog import Catalog, Source, Technology, load_catalog, read_catalog_file
from .errors import InputError
from .vocabulary import ADDRESSES, APPLICABILITIES, DOMAINS, FEATURES, PERIODS

__version__ = "0.1.0"

__all__ = [
    "ADDRESSES",
    "APPLICABILITIES",
    "DOMAINS",
    "FEATURES",
    "PERIODS",
    "Catalog",
    "InputError",
    "Source",
    "Technology",
    "load_catalog",
    "read_catalog_file",
]
