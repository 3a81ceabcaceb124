"""Writing output files so that a failure never leaves a half-written or clobbered file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError


def current_umask() -> int:
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
        tmp.chmod(0o666 & ~current_umask())  # mkstemp creates 0600; give the usual permissions
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# Fixed metadata so that the same chart gives the same bytes every time.
_METADATA = {".png": {"Software": None}, ".svg": {"Date": None},
             ".pdf": {"CreationDate": None, "ModDate": None}}
CHART_FORMATS = ("png", "svg", "pdf")


def check_chart_format(path: Path, formats: tuple[str, ...] = CHART_FORMATS) -> None:
    """Reject a chart file name by its suffix, before any work is done for it."""
    if path.suffix.lower().lstrip(".") not in formats:
        raise InputError(path, f"unsupported chart format '{path.suffix}'",
                         allowed=", ".join(formats))


def save_figure(figure, *paths: str | Path, dpi: int = 200) -> Path:
    """Save a matplotlib figure to each path (format from the suffix), atomically and
    reproducibly. The tight bounding box is measured once for all the formats (it costs
    a layout pass per save otherwise). Returns the first path."""
    targets = [Path(p) for p in paths]
    for path in targets:
        check_chart_format(path)
    # matplotlib is imported only when a chart is saved: catalog commands stay quick.
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from .fonts import chart_rc

    with rc_context(chart_rc()):
        renderer = FigureCanvasAgg(figure).get_renderer()
        box = figure.get_tightbbox(renderer).padded(0.1)
        for path in targets:
            suffix = path.suffix.lower()
            write_atomically(path, lambda tmp, suffix=suffix: figure.savefig(
                tmp, dpi=dpi, bbox_inches=box, metadata=_METADATA[suffix],
                format=suffix.lstrip(".")))
    return targets[0]
