"""The project's own assumptions, in one place, each with its rationale.

Nothing here comes from the source documents. A site profile may override any of them
under its `assumptions:` key; the README lists them all.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Assumptions(BaseModel):
    """Numbers the engine needs that the study does not give."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

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

    # Pathway. Share of each source it addresses (all of a site's electricity, say) that a
    # measure cuts at full adoption, by ▼ grade. One technology serves only part of a
    # source, so the shares are modest. Calibrated on Xiaolan: the catalog rows closest to
    # its direct actions (enterprise energy management ▼4, existing-building retrofit ▼4,
    # building PV ▼4, public transport ▼3, the development plan ▼1) cut 515,000 t/yr, 24 %
    # of its 2010 inventory, against the 590,000 t/yr (27 %) of the plan's six direct
    # actions (seed 000 table 5-5).
    abatement_fraction: dict[int, float] = Field(
        default_factory=lambda: {1: 0.02, 2: 0.04, 3: 0.07, 4: 0.10, 5: 0.15})
    # Adoption follows a logistic S-curve from the measure's start year, reaching this share
    # of full adoption at the end of its popularisation period (the study's ○ period).
    adoption_at_end: float = Field(0.95, gt=0.5, lt=1)
    # A cross-cutting measure (planning, monitoring, markets) cuts every source by its ▼
    # fraction times this factor: it works through the measures it enables.
    cross_cutting_effect: float = Field(0.25, ge=0, le=1)
    # A sink measure removes its ▼ fraction times this share of base-year emissions: ▼3
    # afforestation offsets 2 % of a town's emissions, the order of Guangdong's forest sinks.
    sink_scale: float = Field(0.1, ge=0, le=1)
    # "Near zero": net emissions at or below this share of the base year.
    near_zero_share: float = Field(0.05, ge=0, lt=1)

    # Economics. ➕ is tCO2 abated per 10k yuan invested; read as annual abatement (t/yr)
    # per 10k yuan, the central value of each grade rises 2.5-fold per grade, centred so
    # that ➕3 = 10 t/yr per 10k yuan, about the 11.1 of Xiaolan's six direct actions
    # (seed 000 tables 5-4 and 5-5: 53,060 10k yuan for 590,000 t/yr). Each grade spans
    # centre / 1.58 to centre x 1.58 (the geometric midpoints to its neighbours).
    cost_effectiveness: dict[int, float] = Field(
        default_factory=lambda: {1: 1.6, 2: 4.0, 3: 10.0, 4: 25.0, 5: 62.5})
    # Investment is spread over this many years of abatement to give a cost per tonne.
    lifetime_years: int = Field(15, ge=1, le=60)

    @field_validator("abatement_fraction", "cost_effectiveness")
    @classmethod
    def _every_grade(cls, value: dict[int, float]) -> dict[int, float]:
        if sorted(value) != [1, 2, 3, 4, 5]:
            raise ValueError("give a value for each grade 1-5")
        if any(v <= 0 for v in value.values()):
            raise ValueError("values must be > 0")
        ordered = [value[g] for g in range(1, 6)]
        if ordered != sorted(ordered):
            raise ValueError("values must not decrease with the grade")
        return value

    @field_validator("abatement_fraction")
    @classmethod
    def _fractions(cls, value: dict[int, float]) -> dict[int, float]:
        if any(v > 1 for v in value.values()):
            raise ValueError("fractions must be <= 1")
        return value

