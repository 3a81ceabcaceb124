"""Writing output files so that a failure never leaves a half-written or clobbered file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` on a temporary file next to `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# Fixed metadata so that the same chart gives the same bytes every time.
_METADATA = {".png": {"Software": None}, ".svg": {"Date": None},
             ".pdf": {"CreationDate": None, "ModDate": None}}
CHART_FORMATS = ("png", "svg", "pdf")


def save_figure(figure, path: str | Path, dpi: int = 200) -> Path:
    """Save a matplotlib figure (format from the suffix) atomically and reproducibly."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix.lstrip(".") not in CHART_FORMATS:
        raise InputError(path, f"unsupported chart format '{path.suffix}'",
                         allowed=", ".join(CHART_FORMATS))
    # matplotlib is imported only when a chart is saved: catalog commands stay quick.
    from matplotlib import rc_context

    from .fonts import chart_rc

    with rc_context(chart_rc()):
        return write_atomically(path, lambda tmp: figure.savefig(
            tmp, dpi=dpi, bbox_inches="tight", metadata=_METADATA[suffix],
            format=suffix.lstrip(".")))
