"""Running sites end to end: one site into its folder, many sites in parallel, variants of one."""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pandas as pd

from .errors import InputError, Message, holding_notes, note
from .inputs.catalog import Catalog, load_catalog, note_overrides
from .inputs.site import Site
from .model.economics import investment_totals
from .rendering.outputs import check_output_file, claimed_folder
from .rendering.report import slug_of, write_outputs
from .workflow import Options, SiteAnalysis, analyse_file

SUMMARY_FILE = "summary.csv"  # in the batch's folder, beside one folder per site
SUMMARY_COLUMNS = ["site", "file", "domain", "baseline_t_per_yr", "bau_target_year_t_per_yr",
                   "abatement_t_per_yr", "net_t_per_yr", "target", "target_met",
                   "investment_10k_yuan", "investment_npv_10k_yuan", "portfolio_spend_10k_yuan",
                   "portfolio_abatement_t_per_yr", "top_measures", "error"]


def run_site(catalog: Catalog, path: str | Path, folder: str | Path, lang: str = "both",
             force: bool = False, options: Options | None = None) -> SiteAnalysis:
    """Analyse a profile and write every output into `folder` (see `write_outputs`)."""
    with claimed_folder(folder, force, inputs=[path]):  # checked and locked before the work
        analysis = analyse_file(catalog, path, options)
        write_outputs(analysis, folder, lang, force)
    return analysis


def target_year_totals(analysis: SiteAnalysis) -> dict[str, float]:
    """Net emissions of business as usual and of the roadmap in the target year, and the
    abatement between them (the roadmap's sinks beyond business as usual's included; the
    sinks business as usual holds anyway are not the roadmap's)."""
    year = analysis.site.target_year
    bau, net = (float(analysis.scenarios[name].by_year.set_index("year").at[year, "net"])
                for name in ("bau", "roadmap"))
    return {"bau": bau, "abatement": bau - net, "net": net}


def target_phrase(site: Site) -> str:
    """The absolute target in words that open with a digit: a leading minus sign would be
    neutralised into an apostrophe in the spreadsheet."""
    if site.target is None:
        return ""
    return f"{site.target.reduction:.0%} below {site.base_year} by {site.target.year}"


def summary_row(analysis: SiteAnalysis, path: str | Path) -> dict[str, object]:
    """One line of `summary.csv`: what a client comparing sites asks first."""
    site = analysis.site
    totals = target_year_totals(analysis)
    absolute = next((c for c in analysis.targets if c.kind == "absolute"), None)
    invested, discounted = investment_totals(analysis.investment)
    portfolio = analysis.portfolio
    return {
        "site": site.name, "file": str(path), "domain": site.domain,
        "baseline_t_per_yr": site.total_baseline, "bau_target_year_t_per_yr": totals["bau"],
        "abatement_t_per_yr": totals["abatement"], "net_t_per_yr": totals["net"],
        "target": target_phrase(site),
        "target_met": "" if absolute is None else absolute.met,
        "investment_10k_yuan": invested, "investment_npv_10k_yuan": discounted,
        "portfolio_spend_10k_yuan": "" if portfolio is None else portfolio.portfolio_spend,
        "portfolio_abatement_t_per_yr": "" if portfolio is None else
        portfolio.portfolio_abatement,
        "top_measures": ";".join(analysis.ranking.frame["id"].head(3)), "error": "",
    }


def check_summary_file(path: Path, force: bool) -> Path:
    """Refuse, before the batch, to overwrite a summary without `--force`, or a file that
    is not a summary even with it."""
    if path.parent.exists() and not path.parent.is_dir():
        raise InputError(path.parent, "output_folder_is_file", allowed=Message("a_folder_name"))
    return check_output_file(path, force, SUMMARY_COLUMNS, "batch_summary")


@dataclass(frozen=True)
class BatchJob:
    path: Path
    folder: Path
    lang: str
    force: bool
    catalog_files: tuple[Path, ...]
    options: Options | None = None  # the analysis options of `roadmap run`, for every site


@cache
def _worker_catalog(files: tuple[Path, ...]) -> Catalog:
    """Each worker process reads the catalogs once for all its sites."""
    return load_catalog(*files)


def _run_job(numbered: tuple[int, BatchJob]) -> tuple[int, dict[str, object]]:
    """Worker: one site, never raising (the batch goes on and the summary says what failed);
    the row's `notes` are the site's (`note`), for the batch to make in the parent process,
    where the command line says them in its language (a worker's own were lost or English)."""
    index, job = numbered
    with holding_notes() as notes:
        row = _site_row(job)
    return index, {**row, "notes": list(notes)}


def _site_row(job: BatchJob) -> dict[str, object]:
    try:
        catalog = _worker_catalog(job.catalog_files)  # read once per worker...
        note_overrides(catalog)  # ...its overrides noted for every site, as `run` notes them
        analysis = run_site(catalog, job.path, job.folder, job.lang, job.force, job.options)
    except InputError as error:  # the summary's column in English, the line in the job's lang
        return {"file": str(job.path), "error": str(error), "line": error.line(job.lang)}
    except Exception as error:  # noqa: BLE001 - any failure of one member is a summary row
        return {"file": str(job.path), "error": f"{job.path}: {type(error).__name__}: "
                f"{' '.join(str(error).split())}"}
    return summary_row(analysis, job.path)


def check_site_folders(paths: Iterable[str | Path], folder: Path) -> None:
    """Each profile's folder under `folder` is its own and not the summary's, before any
    work (the command line checks it before its progress line)."""
    paths = [Path(p) for p in paths]
    slugs = [slug_of(p) for p in paths]
    if len(set(slugs)) != len(slugs):
        repeated = next(s for s in slugs if slugs.count(s) > 1)
        raise InputError("batch", "same_output_folder", folder=folder / repeated,
                         allowed=Message("distinct_file_names"))
    if SUMMARY_FILE in slugs:  # `summary.csv.yaml`: its folder would take the summary's place
        raise InputError(paths[slugs.index(SUMMARY_FILE)], "takes_the_summary_place",
                         summary=SUMMARY_FILE, allowed=Message("another_file_name"))


class BatchInterrupted(Exception):
    """Ctrl-C during a batch: `summary` holds the sites that finished."""

    def __init__(self, summary: pd.DataFrame) -> None:
        super().__init__("interrupted")
        self.summary = summary


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops them all at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_batch(paths: Iterable[str | Path], folder: str | Path, jobs: int = 1,
              lang: str = "both", force: bool = False,
              catalog_files: tuple[Path, ...] = (),
              progress: Callable[[dict[str, object]], None] | None = None,
              options: Options | None = None) -> pd.DataFrame:
    """Every profile into `folder/<slug>/`, in `jobs` processes; the summary, in input order.

    A profile that fails for any reason gives a summary line with its error; the others
    still complete. Ctrl-C stops every worker and raises `BatchInterrupted` with the
    summary of the finished sites (an interrupted site leaves its previous folder).
    """
    folder = Path(folder)
    check_site_folders(paths := list(paths), folder)
    work = [BatchJob(Path(p), folder / slug_of(p), lang, force, catalog_files, options)
            for p in paths]
    rows: dict[int, dict[str, object]] = {}

    def record(done: tuple[int, dict[str, object]]) -> None:
        rows[done[0]] = done[1]
        if progress:
            progress(done[1])

    jobs = min(jobs, len(work))  # no more processes than sites: `--jobs 1000` forked 1000
    try:
        if jobs <= 1:
            for numbered in enumerate(work):
                record(_run_job(numbered))
        else:
            with multiprocessing.Pool(jobs, initializer=_ignore_interrupt) as pool:
                for done in pool.imap_unordered(_run_job, enumerate(work)):
                    record(done)  # leaving the block terminates the workers, even on Ctrl-C
    except KeyboardInterrupt:
        raise BatchInterrupted(_summary(rows)) from None
    return _summary(rows)


def _summary(rows: dict[int, dict[str, object]]) -> pd.DataFrame:
    """The summary of the finished sites, in input order, their notes made (`note`) in that
    order too, each once (two sites read one GBK file)."""
    made = set()
    for i in sorted(rows):
        for message in rows[i].get("notes", ()):
            if (english := message.said("en")) not in made:
                made.add(english)
                note(message)
    return pd.DataFrame([rows[i] for i in sorted(rows)], columns=SUMMARY_COLUMNS)


def compare_variants(catalog: Catalog, path: str | Path,
                     variants: dict[str, Options]) -> dict[str, pd.DataFrame]:
    """The same site under several options, side by side.

    Returns `ranks` (id, names, one rank column per variant, measures in any variant's
    roadmap), `roadmaps` (id, names, one yes/no column per variant) and `pathways`
    (variant, method, weights, measures, abatement and net in the target year,
    investment).
    """
    analyses = {name: analyse_file(catalog, path, options) for name, options in variants.items()}
    first = next(iter(analyses.values()))
    in_any = list(dict.fromkeys(i for a in analyses.values() for i in a.roadmap.frame["id"]))
    names = first.ranking.frame.set_index("id")[["name_zh", "name_en"]]
    ranks = pd.DataFrame({"id": in_any}).join(names, on="id")
    roadmaps = ranks.copy()
    rows = []
    for name, analysis in analyses.items():
        ranked = analysis.ranking.frame.set_index("id")["rank"]
        ranks[name] = ranks["id"].map(ranked)
        roadmaps[name] = ranks["id"].isin(analysis.roadmap.frame["id"])
        totals = target_year_totals(analysis)
        rows.append({"variant": name, "method": analysis.ranking.method,
                     "weights": ", ".join(f"{c}={w:.2f}" for c, w in
                                          analysis.ranking.weights.items()),
                     "measures": len(analysis.roadmap.frame),
                     "abatement_t_per_yr": totals["abatement"], "net_t_per_yr": totals["net"],
                     "investment_10k_yuan": investment_totals(analysis.investment)[0]})
    ranks = ranks.sort_values(next(iter(variants)), kind="stable").reset_index(drop=True)
    return {"ranks": ranks, "roadmaps": roadmaps, "pathways": pd.DataFrame(rows)}


def method_variants(methods: list[str], base: Options | None = None) -> dict[str, Options]:
    base = base or Options()
    return {m: replace(base, method=m, method_option="--methods") for m in methods}


def weight_variants(weights: list[dict[str, float]], base: Options | None = None,
                    ) -> dict[str, Options]:
    base = base or Options()
    return {", ".join(f"{c}={v:g}" for c, v in w.items()): replace(base, weights=w)
            for w in weights}

