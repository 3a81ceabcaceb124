"""The project's own assumptions, in one place, each with its rationale.

Nothing here comes from the source documents. A site profile may override any of them
under its `assumptions:` key; the README lists them all.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Assumptions(BaseModel):
    """Numbers the engine needs that the study does not give."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Relevance criterion. A planning or management measure acts on every source, but only
    # through the measures it enables, so it counts for half the baseline.
    cross_cutting_relevance: float = Field(0.5, ge=0, le=1)
    # A sink offsets emissions without touching a source; forestry sinks are a few per cent
    # of a Guangdong town's emissions, so a sink measure counts for a fifth of the baseline
    # (enough to rank it, not enough to outrank measures on the largest source).
    sink_relevance: float = Field(0.2, ge=0, le=1)
    # Sensitivity analysis: each weight is scaled by a uniform factor in [1 - s, 1 + s].
    weight_spread: float = Field(0.3, gt=0, lt=1)
    # A measure is flagged unstable when its chance of staying in the top k lies strictly
    # between these bounds: the order flips under plausible weights.
    unstable_band: tuple[float, float] = (0.1, 0.9)


DEFAULT_ASSUMPTIONS = Assumptions()
