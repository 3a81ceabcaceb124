"""Writing output files so that a failure never leaves a half-written or clobbered file."""

from __future__ import annotations

import csv
import ctypes
import fcntl
import hashlib
import math
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from ..errors import InputError, Message

MARKER = ".roadmap-output"  # in every output folder: `--force` replaces only these
VERSION_CONTROL = (".git", ".hg", ".svn")
_held: dict[Path, Path] = {}  # output folders this process has claimed -> their lock file


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call `write(tmp)` on a temporary file next to `path`, then rename it into place; a
    folder in the way or a failed write (disk full, no permission) is one `InputError`."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "is_a_folder", allowed=Message("a_file_name"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                        dir=path.parent)
    except OSError as exc:
        raise InputError(path, "cannot_write_here", reason=exc.strerror) from None
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(0o666 & ~current_umask())  # mkstemp creates 0600; give the usual permissions
        tmp.replace(path)
    except OSError as exc:
        raise InputError(path, "cannot_write_output", reason=exc.strerror or exc) from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def check_output_file(path: Path, force: bool, header: list[str], what: str) -> Path:
    """Refuse, before the work, to overwrite a file without `force`, or even with it a file
    whose first row is not `header` (what `roadmap` writes there: a table's columns)."""
    return _check_replaced(path, force, what, lambda: first_row(path) == header)


def check_chart_file(path: Path, force: bool, option: str = "-o") -> Path:
    """As `check_output_file`, for a chart: `force` replaces only a file whose metadata
    names roadmap (`written_by_roadmap`); the errors suggest another `option` (the
    command's own: -o, --chart)."""
    return _check_replaced(path, force, "chart", lambda: written_by_roadmap(path), option)


def _check_replaced(path: Path, force: bool, what: str, ours: Callable[[], bool],
                    option: str = "-o") -> Path:
    if path.is_dir():
        raise InputError(path, "is_a_folder", allowed=Message("a_file_name"))
    if not path.exists():
        return path
    if not force:
        raise InputError(path, "file_exists", what=Message(what),
                         allowed=Message("force_or_another_output", option=option))
    if not ours():
        raise InputError(path, "force_only_our_file", what=Message(what),
                         allowed=Message("another_output", option=option))
    return path


def written_by_roadmap(path: Path) -> bool:
    """Whether a chart file's metadata names roadmap as its creator (`CREATOR`): PNG's
    Software, SVG's and PDF's Creator, the interactive page's generator."""
    try:
        if path.stat().st_size > LARGEST_CHART:
            return False
        content = path.read_bytes()
    except OSError:
        return False
    return any(re.search(pattern, content) for pattern in _CREATOR_MARKS)


def first_row(path: Path) -> list[str] | None:
    """The header of a CSV file or of a workbook's first sheet; None for anything else."""
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook

            with path.open("rb") as handle:
                sheet = load_workbook(handle, read_only=True).worksheets[0]
                return [str(cell) for cell in next(sheet.iter_rows(values_only=True), ())]
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
            return next(csv.reader([handle.readline()]), [])
    except Exception:  # noqa: BLE001 - unreadable, damaged: not a file roadmap wrote
        return None


# Fixed metadata so that the same chart gives the same bytes every time, naming roadmap as
# the creator: `--force` replaces a chart file only when it says so (`written_by_roadmap`).
CREATOR = "roadmap"
_METADATA = {".png": {"Software": CREATOR}, ".svg": {"Date": None, "Creator": CREATOR},
             ".pdf": {"CreationDate": None, "ModDate": None, "Creator": CREATOR}}
_CREATOR_MARKS = (  # each format's creator field holding exactly CREATOR ("roadmap")
    rb"\A\x89PNG[\s\S]*?\x00\x00\x00\x10tEXtSoftware\x00roadmap",  # the chunk's length: 16
    rb"<dc:creator>\s*<cc:Agent>\s*<dc:title>roadmap</dc:title>",
    rb"/Creator \(roadmap\)",
    rb'<meta name="generator" content="roadmap">')
LARGEST_CHART = 50_000_000  # bytes: a larger file is no chart roadmap wrote
# zlib level 3 writes the charts' PNGs 14 % faster than Pillow's default 6 for 0.1 % more bytes
_OPTIONS = {".png": {"pil_kwargs": {"compress_level": 3}}}
CHART_FORMATS = ("png", "svg", "pdf")


def check_chart_format(path: Path, formats: tuple[str, ...] = CHART_FORMATS) -> None:
    """Reject a chart file name by its suffix, before any work is done for it."""
    if path.suffix.lower().lstrip(".") not in formats:
        raise InputError(path, "unsupported_chart_format", suffix=path.suffix,
                         allowed=", ".join(formats))


def save_figure(figure, *paths: str | Path, dpi: int = 200, width_px: int | None = None,
                ) -> Path:
    """Save a matplotlib figure to each path (format from the suffix), atomically and
    reproducibly, raster formats at `dpi`, or given `width_px`, at the least whole dpi
    that makes them at least that many pixels wide (a few more: a report's charts get what
    print needs, no more).
    The tight bounding box is measured once for all the formats (it costs a layout pass per
    save otherwise). Returns the first path.

    >>> import pathlib, tempfile
    >>> figure = roadmap.domain_chart(catalog, "community", lang="en")
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> roadmap.save_figure(figure, folder / "community.svg", folder / "community.png").name
    'community.svg'
    >>> sorted(p.name for p in folder.iterdir())
    ['community.png', 'community.svg']
    """
    targets = [Path(p) for p in paths]
    for path in targets:
        check_chart_format(path)
    # matplotlib is imported only when a chart is saved: catalog commands stay quick.
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from .fonts import chart_rc

    for text in figure.findobj(Text):  # names are plain text: a `$` is not mathtext
        text.set_parse_math(False)
    with rc_context(chart_rc()):
        renderer = FigureCanvasAgg(figure).get_renderer()
        box = figure.get_tightbbox(renderer).padded(0.1)
        if width_px:
            dpi = math.ceil(width_px / box.width)
        for path in targets:
            suffix = path.suffix.lower()
            write_atomically(path, lambda tmp, suffix=suffix: figure.savefig(
                tmp, dpi=dpi, bbox_inches=box, metadata=_METADATA[suffix],
                format=suffix.lstrip("."), **_OPTIONS.get(suffix, {})))
    return targets[0]


def check_output_folder(folder: Path, force: bool, inputs: Iterable[str | Path] = ()) -> None:
    """Refuse, before any work, an output folder that `roadmap` may not create or replace."""
    if folder.is_symlink():
        raise InputError(folder, "output_folder_symlink", allowed=Message("a_real_folder"))
    if folder.exists() and not folder.is_dir():
        raise InputError(folder, "output_folder_is_file", allowed=Message("a_folder_name"))
    real = folder.resolve()
    protected = [(Path.cwd().resolve(), Message("working_directory"))]
    protected += [(Path(p).resolve().parent, Message("folder_holding", input=p)) for p in inputs]
    if real.parent == real:
        raise InputError(folder, "output_folder_root", allowed=Message("a_folder_of_its_own"))
    for place, what in protected:
        if real == place or real in place.parents:
            raise InputError(folder, "output_folder_contains", what=what,
                             allowed=Message("a_folder_of_its_own"))
    if not folder.exists():
        return
    if not force:
        raise InputError(folder, "output_folder_exists",
                         allowed=Message("force_or_another_output", option="-o"))
    if any((folder / name).exists() for name in VERSION_CONTROL):
        raise InputError(folder, "output_folder_version_controlled",
                         allowed=Message("a_folder_of_its_own"))
    if not (folder / MARKER).is_file():
        raise InputError(folder, "force_no_marker", marker=MARKER,
                         allowed=Message("another_output_or_remove"))
    listed = listed_files(folder)
    if not listed:
        raise InputError(folder, "force_empty_marker", marker=MARKER,
                         allowed=Message("another_output_or_remove"))
    if (foreign := first_unlisted(folder, listed)) is not None:
        raise InputError(folder, "force_foreign_file", name=foreign, marker=MARKER,
                         allowed=Message("move_it_out"))


def manifest(folder: Path) -> str:
    """The marker's text: the engine version, then `SHA-256  path` of every file in
    `folder` (the format of `sha256sum`, sorted), so that `--force` can tell what roadmap
    wrote from what was added or changed since."""
    from .. import __version__  # the package is initialised by now

    files = sorted(p for p in folder.rglob("*") if p.is_file() and p != folder / MARKER)
    lines = [f"{_sha256(path)}  {path.relative_to(folder).as_posix()}" for path in files]
    return "\n".join([f"roadmap {__version__}", *lines]) + "\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listed_files(folder: Path) -> dict[str, str]:
    """{path: SHA-256} of the files the folder's marker lists."""
    text = (folder / MARKER).read_text(encoding="utf-8", errors="replace")
    return {line[66:]: line[:64] for line in text.splitlines()
            if re.fullmatch(r"[0-9a-f]{64}  .+", line)}


def first_unlisted(folder: Path, listed: dict[str, str]) -> str | None:
    """The first entry of `folder` not `listed` with the same SHA-256 (a file added or
    edited since, a link, a folder holding no listed file), or None. The marker proves
    nothing by itself: one copied into a foreign folder lets `--force` replace only exact
    copies of the files it lists."""
    parents = {parent.as_posix() for name in listed for parent in PurePosixPath(name).parents}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            return name
        if path.is_dir() and name not in parents or path.is_file() and name != MARKER \
                and listed.get(name) != _sha256(path):
            return name
    return None


@contextmanager
def claimed_folder(folder: str | Path, force: bool,
                   inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Check `folder`, then hold a lock beside it (`.NAME.lock`) until the block ends.

    A second run for the same folder, in any process, is refused while the lock is held;
    leftovers of a killed run are tidied up once the lock is ours. Re-entrant in a process."""
    folder = Path(folder)
    if folder.absolute() in _held:
        yield folder
        return
    check_output_folder(folder, force, inputs)
    lock_path = folder.with_name(f".{folder.name}.lock")
    handle = _lock(folder, lock_path)
    try:
        recover_leftovers(folder)
        check_output_folder(folder, force, inputs)  # the other run may have created it
        _held[folder.absolute()] = lock_path
        try:
            yield folder
        finally:
            del _held[folder.absolute()]
    finally:
        lock_path.unlink(missing_ok=True)  # before closing: no one else holds it yet
        os.close(handle)


def _lock(folder: Path, lock_path: Path) -> int:
    """An open, exclusively locked `lock_path`, or one line saying who holds it."""
    while True:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            # not through a link, and never a file of the user's: the lock is removed at the end
            handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        except OSError as exc:
            raise InputError(folder, "cannot_write_here", reason=exc.strerror) from None
        if os.fstat(handle).st_size or not stat.S_ISREG(os.fstat(handle).st_mode):
            os.close(handle)  # roadmap's locks are empty files
            raise InputError(folder, "not_a_lock", name=lock_path.name,
                             allowed=Message("another_output_or_rename"))
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise InputError(folder, "another_run",
                             allowed=Message("wait_or_another_output")) from None
        try:  # the holder before us may have deleted the file we locked: lock the new one
            if os.stat(lock_path).st_ino == os.fstat(handle).st_ino:
                return handle
        except FileNotFoundError:
            pass
        os.close(handle)


def publish_folder(folder: str | Path, write: Callable[[Path], object], force: bool = False,
                   inputs: Iterable[str | Path] = ()) -> Path:
    """Call `write(staging)` on a new hidden folder beside `folder`, then put it in place.

    At every instant `folder` is either the complete old folder or the complete new one."""
    folder = Path(folder)
    with claimed_folder(folder, force, inputs):
        try:
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
        except OSError as exc:
            raise InputError(folder, "cannot_write_here", reason=exc.strerror) from None
        try:
            marker = staging / MARKER  # from the start: `recover_leftovers` touches only these
            marker.write_text(manifest(staging), encoding="utf-8")
            write(staging)
            marker.write_text(manifest(staging), encoding="utf-8")
            staging.chmod(0o777 & ~current_umask())
            _swap_into_place(staging, folder)
        except BaseException as exc:
            recover_leftovers(folder)
            if isinstance(exc, OSError):  # disk full, read-only: one line, nothing changed
                raise InputError(folder, "cannot_write_output",
                                 reason=exc.strerror or exc) from None
            raise
        shutil.rmtree(staging, ignore_errors=True)  # now the old folder, if there was one
    return folder


def _swap_into_place(staging: Path, folder: Path) -> None:
    """Rename `staging` to `folder`; an existing `folder` ends up under the name `staging`."""
    if not folder.exists():
        staging.rename(folder)
    elif not exchange(staging, folder):
        swap_by_renames(staging, folder)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the filesystem cannot."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    done = renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange)
    return done == 0


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def swap_by_renames(staging: Path, folder: Path) -> None:
    """The portable swap: old -> `.NAME.previous-*`, new -> NAME, previous -> staging name.
    A kill between the first two renames leaves the old folder as `.NAME.previous-*`:
    `recover_leftovers` (run by the next run for this folder) renames it back."""
    previous = Path(tempfile.mkdtemp(prefix=f".{folder.name}.previous-", dir=folder.parent))
    previous.rmdir()
    folder.rename(previous)
    staging.rename(folder)
    previous.rename(staging)


def recover_leftovers(folder: Path) -> None:
    """Undo what a killed run left beside `folder` (the caller holds its lock): put back an
    old folder hidden by an unfinished swap, delete unfinished staging folders. Only folders
    holding the marker: a user's own `.NAME.tmp-mine` or `.NAME.previous-backup` is left."""
    for previous in sorted(_marked(folder.parent.glob(f".{folder.name}.previous-*"))):
        if not folder.exists():
            previous.rename(folder)
        else:
            shutil.rmtree(previous, ignore_errors=True)
    for staging in _marked(folder.parent.glob(f".{folder.name}.tmp-*")):
        shutil.rmtree(staging, ignore_errors=True)


def _marked(paths: Iterable[Path]) -> list[Path]:
    return [path for path in paths if not path.is_symlink() and (path / MARKER).is_file()]
