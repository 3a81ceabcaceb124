"""How many draws (and ranks, and which seeds) an analysis takes: the one rule that the
command line's options (`--draws`, `--sensitivity`, `--smaa`) and the notebook API
(`Options`, `sensitivity`, `acceptability`, `monte_carlo`) both apply, in the same words."""

from __future__ import annotations

from numbers import Integral

from ..errors import InputError

# Fewer weight draws than this give no share worth reading (project's own assumption).
MIN_DRAWS = 10
# The most draws an option takes: a hundred times the default 1000, seconds of work; 1e8
# asked numpy for 23 GiB (the project's own bound).
MAX_DRAWS = 100_000


def check_count(owner: str, name: str, value: int, low: int,
                high: int | None = MAX_DRAWS) -> None:
    """Nothing if `value` is a whole number from `low` to `high` (None: no upper bound), else
    an InputError naming `owner` (`Options`, a function) and its field `name`, in the words
    the command line says of its options (`--draws 5`)."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise InputError(owner, "pydantic_int_type", field=name)
    if value < low:
        raise InputError(owner, "pydantic_greater_than_equal", field=name, ge=low)
    if high is not None and value > high:
        raise InputError(owner, "pydantic_less_than_equal", field=name, le=high)
