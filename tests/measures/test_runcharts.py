"""Tests for measures.runcharts (Anhøj rules as computed by qicharts2).

Every expectation below was worked out by hand; the comments show the
working (L = below the centre, H = above it).
"""

import itertools
from fractions import Fraction

import pytest

from measures.runcharts import (
    RunChartResult,
    analyze,
    crossings_min,
    longest_run_max,
)

NAN = float("nan")

# 1..10 shuffled. Median 5.5.
# Sides: L H L H L H L H H L -> 9 runs, 8 crossings, longest run 2.
RANDOMISH = [3, 8, 1, 7, 4, 9, 2, 6, 10, 5]


# --- whole-series behaviour -------------------------------------------------


def test_a_flat_random_looking_series_gives_no_signal() -> None:
    result = analyze(RANDOMISH)

    assert result == RunChartResult(
        center=5.5,
        n_useful=10,
        longest_run=2,
        longest_run_max=6,  # round(log2 10 = 3.32) + 3
        crossings=8,
        crossings_min=2,  # qbinom(0.05, 9, 0.5)
        runs_signal=False,
        useful=(True,) * 10,
    )


def test_a_long_run_above_the_median_signals() -> None:
    # Lows are 1..10, highs 11..20, so the median is 10.5.
    # Sides: LLL HHHHHHHH LLL H LL H LL -> 7 runs, 6 crossings, longest 8.
    # n_useful 20: longest_run_max = round(4.32) + 3 = 7; crossings_min = 6.
    values = [3, 1, 5, 14, 12, 17, 11, 19, 15, 13, 16, 2, 8, 4, 20, 6, 9, 18, 7, 10]

    result = analyze(values)

    assert result.center == 10.5
    assert result.n_useful == 20
    assert result.longest_run == 8
    assert result.longest_run_max == 7
    assert result.crossings == 6
    assert result.crossings_min == 6  # crossings alone would not signal
    assert result.runs_signal is True


def test_a_run_exactly_as_long_as_the_limit_does_not_signal() -> None:
    # Same lows and highs (median 10.5); the long run is one shorter.
    # Sides: LLL HHHHHHH LLL HH LL H LL -> 7 runs, 6 crossings, longest 7.
    values = [3, 1, 5, 14, 12, 17, 11, 19, 15, 13, 2, 8, 4, 16, 20, 6, 9, 18, 7, 10]

    result = analyze(values)

    assert result.center == 10.5
    assert result.n_useful == 20
    assert result.longest_run == 7
    assert result.longest_run_max == 7
    assert result.crossings == 6
    assert result.crossings_min == 6
    assert result.runs_signal is False


def test_too_few_crossings_signals() -> None:
    # Median 10.5. Sides: LLLL HHHH LLL HHH LLL HHH -> 6 runs, 5 crossings,
    # longest run 4 (well under 7), but crossings 5 < crossings_min 6.
    values = [1, 2, 3, 4, 11, 12, 13, 14, 5, 6, 7, 15, 16, 17, 8, 9, 10, 18, 19, 20]

    result = analyze(values)

    assert result.center == 10.5
    assert result.n_useful == 20
    assert result.longest_run == 4
    assert result.longest_run_max == 7
    assert result.crossings == 5
    assert result.crossings_min == 6
    assert result.runs_signal is True


def test_crossings_exactly_at_the_limit_do_not_signal() -> None:
    # Median 10.5. Sides: LLLL HHHH LLL HHH LL HHH L -> 7 runs, 6 crossings.
    values = [1, 2, 3, 4, 11, 12, 13, 14, 5, 6, 7, 15, 16, 17, 8, 9, 18, 19, 20, 10]

    result = analyze(values)

    assert result.center == 10.5
    assert result.n_useful == 20
    assert result.longest_run == 4
    assert result.crossings == 6
    assert result.crossings_min == 6
    assert result.runs_signal is False


# --- which points count -----------------------------------------------------


def test_none_and_nan_are_dropped_from_centre_and_analysis() -> None:
    values = [3, None, 8, 1, NAN, 7, 4, 9, 2, 6, 10, 5]

    result = analyze(values)

    # Identical to RANDOMISH once the gaps are removed.
    assert result.center == 5.5
    assert result.n_useful == 10
    assert result.longest_run == 2
    assert result.crossings == 8
    assert result.runs_signal is False
    assert result.useful == (
        True,
        False,
        True,
        True,
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        True,
    )


def test_points_on_the_centre_line_are_dropped_and_reduce_n_useful() -> None:
    # Sorted: 1 2 5 5 5 8 9 -> median 5; the three 5s are not useful.
    # Remaining sides: 1 L, 9 H, 2 L, 8 H -> 4 runs, 3 crossings, longest 1.
    values = [1, 5, 9, 5, 2, 8, 5]

    result = analyze(values)

    assert result.center == 5
    assert result.n_useful == 4
    assert result.longest_run == 1
    assert result.crossings == 3
    assert result.longest_run_max == 5  # round(log2 4 = 2) + 3
    assert result.crossings_min == 0  # P(X <= 0) = 1/8 >= 0.05 for Bin(3, .5)
    assert result.runs_signal is False
    assert result.useful == (True, False, True, False, True, True, False)


def test_a_point_on_the_centre_line_neither_breaks_nor_extends_a_run() -> None:
    # Sorted: 1 2 3 5 7 8 9 -> median 5. Sides: L L (dropped) L H H H.
    # The three lows form a single run of 3 across the dropped point.
    values = [1, 2, 5, 3, 9, 8, 7]

    result = analyze(values)

    assert result.center == 5
    assert result.n_useful == 6
    assert result.longest_run == 3
    assert result.crossings == 1
    assert result.useful == (True, True, False, True, True, True, True)


def test_excluded_points_are_dropped_from_both_centre_and_analysis() -> None:
    # Without the exclusion the median of 1 2 3 4 5 6 100 would be 4.
    # Excluding position 2 (the 100) leaves 1..6 -> median 3.5.
    # Sides: L L L H H H -> n_useful 6, longest 3, 1 crossing.
    values = [1, 2, 100, 3, 4, 5, 6]

    result = analyze(values, exclude=[2])

    assert result.center == 3.5
    assert result.n_useful == 6
    assert result.longest_run == 3
    assert result.crossings == 1
    assert result.useful == (True, True, False, True, True, True, True)


def test_the_baseline_sets_the_centre_but_the_analysis_covers_every_point() -> None:
    # Centre = median of the first 4 values (1 2 3 4) = 2.5, not the median
    # of all nine values (10). Sides: L L H H H H H H H.
    # n_useful 9: longest_run_max = round(3.17) + 3 = 6; crossings_min = 2.
    values = [1, 2, 3, 4, 10, 11, 12, 13, 14]

    result = analyze(values, baseline=4)

    assert result.center == 2.5
    assert result.n_useful == 9
    assert result.longest_run == 7
    assert result.longest_run_max == 6
    assert result.crossings == 1
    assert result.crossings_min == 2
    assert result.runs_signal is True


def test_the_baseline_counts_usable_values_not_positions() -> None:
    # Usable values in order: 1 2 3 4 10 11 (position 1 is None, 3 is NaN,
    # position 5 is excluded). The first four usable values are 1 2 3 4,
    # so the centre is 2.5 (the first four positions would give 1.5).
    values = [1, None, 2, NAN, 3, 99, 4, 10, 11]

    result = analyze(values, baseline=4, exclude=[5])

    assert result.center == 2.5
    # Sides: L L H H H H -> 6 useful, longest 4, 1 crossing.
    assert result.n_useful == 6
    assert result.longest_run == 4
    assert result.crossings == 1
    assert result.useful == (True, False, True, False, True, False, True, True, True)


def test_a_baseline_longer_than_the_data_uses_all_usable_values() -> None:
    assert analyze(RANDOMISH, baseline=50).center == 5.5


def test_an_explicit_centre_overrides_the_median_and_the_baseline() -> None:
    # Centre 2: the 2 is on the line and dropped. Sides: L H H H H.
    values = [1, 2, 3, 4, 5, 6]

    result = analyze(values, center=2, baseline=3)

    assert result.center == 2
    assert result.n_useful == 5
    assert result.longest_run == 4
    assert result.crossings == 1
    assert result.useful == (True, False, True, True, True, True)


# --- nothing to analyse -----------------------------------------------------


def test_an_empty_series_has_no_centre_and_no_signal() -> None:
    assert analyze([]) == RunChartResult(
        center=None,
        n_useful=0,
        longest_run=None,
        longest_run_max=None,
        crossings=None,
        crossings_min=None,
        runs_signal=False,
        useful=(),
    )


def test_a_series_of_only_gaps_and_exclusions_has_no_centre_and_no_signal() -> None:
    result = analyze([None, NAN, 7.0], exclude=[2])

    assert result == RunChartResult(
        center=None,
        n_useful=0,
        longest_run=None,
        longest_run_max=None,
        crossings=None,
        crossings_min=None,
        runs_signal=False,
        useful=(False, False, False),
    )


def test_a_series_entirely_on_the_centre_has_a_centre_but_nothing_useful() -> None:
    result = analyze([4, 4, 4])

    assert result.center == 4
    assert result.n_useful == 0
    assert result.longest_run is None
    assert result.longest_run_max is None
    assert result.crossings is None
    assert result.crossings_min is None
    assert result.runs_signal is False
    assert result.useful == (False, False, False)


def test_a_single_useful_point_has_zero_crossings_and_no_signal() -> None:
    # n_useful 1: longest_run_max = round(log2 1 = 0) + 3 = 3,
    # crossings_min = qbinom(0.05, 0, 0.5) = 0.
    result = analyze([1.0, 3.0], center=2.0, exclude=[1])

    assert result.n_useful == 1
    assert result.longest_run == 1
    assert result.longest_run_max == 3
    assert result.crossings == 0
    assert result.crossings_min == 0
    assert result.runs_signal is False


# --- the limits -------------------------------------------------------------


# qbinom(0.05, n_useful - 1, 0.5), worked out by hand from the binomial CDF:
#   trials <= 4: P(X = 0) = 1/2**trials >= 1/20                 -> 0
#   trials 5:  1/32 < .05,  6/32 >= .05                          -> 1
#   trials 7:  1/128 < .05, 8/128 = .0625                        -> 1
#   trials 8:  9/256 = .035 < .05, 37/256 = .145                 -> 2
#   trials 9:  10/512 < .05, 46/512 = .090                       -> 2
#   trials 10: 56/1024 = .0547                                   -> 2
#   trials 11: 67/2048 = .0327, 232/2048 = .113                  -> 3
#   trials 14: 576/16384 = .0352, 1941/16384 = .118              -> 4
#   trials 15: 576/32768 = .0176, 1941/32768 = .0592             -> 4
#   trials 19: 21700/524288 = .0414, 60460/524288 = .115         -> 6
#   trials 23: 390656/8388608 = .0466, 880970/8388608 = .105     -> 8
@pytest.mark.parametrize(
    ("n_useful", "expected"),
    [
        (1, 0),
        (2, 0),
        (5, 0),
        (6, 1),
        (8, 1),
        (9, 2),
        (10, 2),
        (11, 2),
        (12, 3),
        (15, 4),
        (16, 4),
        (20, 6),
        (24, 8),
    ],
)
def test_crossings_min_matches_r_qbinom(n_useful: int, expected: int) -> None:
    assert crossings_min(n_useful) == expected


def _brute_force_crossings_min(n_useful: int) -> int:
    """Enumerate every above/below pattern of n_useful points.

    Under randomness each pattern is equally likely; the crossing count of
    that distribution is Binomial(n_useful - 1, 0.5). Return the smallest k
    with P(crossings <= k) >= 1/20, using exact fractions.
    """
    counts = [0] * n_useful
    for pattern in itertools.product((False, True), repeat=n_useful):
        crossings = sum(a != b for a, b in itertools.pairwise(pattern))
        counts[crossings] += 1
    total = 2**n_useful
    cumulative = Fraction(0)
    for k, count in enumerate(counts):
        cumulative += Fraction(count, total)
        if cumulative >= Fraction(1, 20):
            return k
    raise AssertionError("unreachable")


def _pascal_crossings_min(n_useful: int) -> int:
    """Same quantile from a Pascal's-triangle row built by addition."""
    row = [1]
    for _ in range(n_useful - 1):
        row = [a + b for a, b in zip([0, *row], [*row, 0], strict=True)]
    cumulative = Fraction(0)
    for k, count in enumerate(row):
        cumulative += Fraction(count, 2 ** (n_useful - 1))
        if cumulative >= Fraction(1, 20):
            return k
    raise AssertionError("unreachable")


@pytest.mark.parametrize("n_useful", range(1, 15))
def test_crossings_min_agrees_with_brute_force_enumeration(n_useful: int) -> None:
    assert crossings_min(n_useful) == _brute_force_crossings_min(n_useful)


def test_crossings_min_agrees_with_pascals_triangle_up_to_200_points() -> None:
    for n_useful in range(1, 201):
        assert crossings_min(n_useful) == _pascal_crossings_min(n_useful), n_useful


def test_crossings_min_is_none_without_useful_points() -> None:
    assert crossings_min(0) is None


@pytest.mark.parametrize(
    ("n_useful", "expected"),
    [
        (1, 3),  # log2 1 = 0
        (2, 4),  # log2 2 = 1
        (8, 6),  # log2 8 = 3
        (10, 6),  # log2 10 = 3.32
        (11, 6),  # log2 11 = 3.46
        (12, 7),  # log2 12 = 3.58
        (20, 7),  # log2 20 = 4.32
        (24, 8),  # log2 24 = 4.58
        (100, 10),  # log2 100 = 6.64
    ],
)
def test_longest_run_max_is_rounded_log2_plus_three(n_useful: int, expected: int) -> None:
    assert longest_run_max(n_useful) == expected


def test_longest_run_max_is_none_without_useful_points() -> None:
    assert longest_run_max(0) is None


def test_the_limits_reported_by_analyze_match_the_helper_functions() -> None:
    result = analyze(RANDOMISH)

    assert result.longest_run_max == longest_run_max(result.n_useful)
    assert result.crossings_min == crossings_min(result.n_useful)
