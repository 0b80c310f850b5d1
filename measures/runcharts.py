"""Run-chart analysis: this module owns the run-chart rules.

It implements the Anhøj rules for detecting non-random variation in a run
chart, computed the way the R package qicharts2 computes them
(``runs.analysis()``):

* The centre line is the median of the baseline values (or a given centre).
* Points with no value (``None``/NaN), points explicitly excluded, and points
  lying exactly on the centre line are not *useful* and are dropped.
* Longest run: the longest stretch of consecutive useful points on the same
  side of the centre. It signals when it exceeds
  ``round(log2(n_useful)) + 3`` (Schilling 2012).
* Crossings: the number of times the (useful) series crosses the centre,
  i.e. number of runs minus one. It signals when it is below
  ``qbinom(0.05, n_useful - 1, 0.5)`` (Chen 2010), computed here exactly
  with integer arithmetic.
* ``runs_signal`` is true when either rule signals (strict comparisons).

Standard library only; no Django imports.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "RunChartResult",
    "analyze",
    "crossings_min",
    "longest_run_max",
]


@dataclass(frozen=True)
class RunChartResult:
    """Outcome of a run-chart analysis.

    ``useful`` has one entry per input position: True if that point took part
    in the runs analysis (it has a value, is not excluded and is not on the
    centre line).
    """

    center: float | None
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    runs_signal: bool
    useful: tuple[bool, ...]


def longest_run_max(n_useful: int) -> int | None:
    """Upper limit for the longest run: ``round(log2(n)) + 3``.

    qicharts2 writes ``round(log2(n.useful)) + 3``; this equals
    ``round(log2(n) + 3)`` because log2 of a positive integer is never
    exactly x.5. Python's ``round`` is half-even like R's. None when
    ``n_useful`` < 1.
    """
    if n_useful < 1:
        return None
    return round(math.log2(n_useful)) + 3


def crossings_min(n_useful: int) -> int | None:
    """Lower limit for crossings: R's ``qbinom(0.05, n_useful - 1, 0.5)``.

    The smallest k with P(X <= k) >= 0.05 for X ~ Binomial(n_useful - 1, 0.5),
    evaluated exactly: sum(comb(n, i) for i <= k) * 20 >= 2**n. None when
    ``n_useful`` < 1.
    """
    if n_useful < 1:
        return None
    trials = n_useful - 1
    total = 2**trials
    cumulative = 0
    for k in range(trials + 1):
        cumulative += math.comb(trials, k)
        # cumulative / total >= 1 / 20, kept in integers.
        if cumulative * 20 >= total:
            return k
    return trials  # unreachable: the full CDF is 1


def analyze(
    values: Sequence[float | None],
    *,
    baseline: int | None = None,
    center: float | None = None,
    exclude: Iterable[int] = (),
) -> RunChartResult:
    """Apply the Anhøj run-chart rules to ``values``.

    ``baseline``: the centre is the median of the first ``baseline`` usable
    values (all usable values when None); the analysis still covers all
    points. ``center``: explicit centre, overriding the median. ``exclude``:
    0-based positions removed from both the centre and the analysis.
    """
    excluded = set(exclude)
    usable: list[tuple[int, float]] = [
        (i, float(v)) for i, v in enumerate(values) if i not in excluded and v is not None and not math.isnan(v)
    ]

    if center is not None:
        center = float(center)
    else:
        base = usable if baseline is None else usable[:baseline]
        if base:
            center = float(statistics.median(v for _, v in base))

    useful = [False] * len(values)
    sides: list[bool] = []  # True = above the centre
    if center is not None:
        for i, value in usable:
            if value == center:
                continue
            useful[i] = True
            sides.append(value > center)

    n_useful = len(sides)
    if n_useful == 0:
        return RunChartResult(
            center=center,
            n_useful=0,
            longest_run=None,
            longest_run_max=None,
            crossings=None,
            crossings_min=None,
            runs_signal=False,
            useful=tuple(useful),
        )

    n_runs = 1
    longest = current = 1
    for previous, side in itertools.pairwise(sides):
        if side == previous:
            current += 1
        else:
            n_runs += 1
            current = 1
        longest = max(longest, current)

    run_max = longest_run_max(n_useful)
    cross_min = crossings_min(n_useful)
    crossings = n_runs - 1
    assert run_max is not None and cross_min is not None
    return RunChartResult(
        center=center,
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=run_max,
        crossings=crossings,
        crossings_min=cross_min,
        runs_signal=longest > run_max or crossings < cross_min,
        useful=tuple(useful),
    )
