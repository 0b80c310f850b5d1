"""The counting rules of the uptake dashboard (recommendations.uptake): no database."""

from recommendations import uptake
from recommendations.models import FACTORS, RecommendationArea
from recommendations.uptake import Rec, largest_remainder


def test_thirds_add_up_to_exactly_100_with_the_first_taking_the_extra_point():
    assert largest_remainder([1, 1, 1]) == [34, 33, 33]


def test_the_largest_remainder_gets_the_missing_point():
    # 2/7 = 28.57, 2/7, 3/7 = 42.86: floors 28+28+42 = 98; the two .86/.57 remainders…
    assert largest_remainder([2, 2, 3]) == [29, 28, 43]
    assert sum(largest_remainder([2, 2, 3])) == 100


def test_nothing_to_count_gives_no_percentages():
    assert largest_remainder([]) is None
    assert largest_remainder([0, 0, 0]) is None
    d = uptake.uptake([])
    assert d.n == 0
    assert all(s.percent is None for s in d.shares)


def test_all_in_one_status_is_100_and_zeros():
    d = uptake.uptake([Rec(2024, "coaching", "complete")] * 4)
    assert [s.percent for s in d.shares] == [100, 0, 0]
    assert d.n == 4


def test_uptake_leaves_out_unknown_and_counts_it():
    recs = [Rec(2024, "coaching", "complete"), Rec(2024, "coaching", "none"), Rec(2024, "coaching", "")]
    d = uptake.uptake(recs)
    assert d.n == 2
    assert (d.percent("complete"), d.percent("none")) == (50, 50)
    assert uptake.unknown_uptake(recs) == 1


def test_implementation_is_counted_among_those_taken_up_only():
    recs = [
        Rec(2024, "coaching", "complete", "successful"),
        Rec(2024, "coaching", "partial", "unsuccessful"),
        Rec(2024, "coaching", "partial", ""),
        Rec(2024, "coaching", "none", ""),
    ]
    d = uptake.implementation(recs)
    assert d.n == 3
    assert [s.count for s in d.shares] == [1, 0, 1, 1]
    assert [s.percent for s in d.shares] == [34, 0, 33, 33]


def test_factor_cross_tab_splits_by_yes_and_no_and_counts_unknown():
    recs = [
        Rec(2024, "coaching", "complete", "successful", {"staff_expertise": "yes"}),
        Rec(2024, "coaching", "partial", "unsuccessful", {"staff_expertise": "yes"}),
        Rec(2024, "coaching", "none", "", {"staff_expertise": "no"}),
        Rec(2024, "coaching", "complete", "", {"staff_expertise": "no"}),
        Rec(2024, "coaching", "complete", "successful", {}),
    ]
    (row,) = uptake.factor_table(recs, {"staff_expertise": "Expertise"})
    assert (row.uptake_yes.count, row.uptake_yes.n, row.uptake_yes.percent) == (2, 2, 100)
    assert (row.uptake_no.count, row.uptake_no.n, row.uptake_no.percent) == (1, 2, 50)
    assert (row.success_yes.count, row.success_yes.n, row.success_yes.percent) == (1, 2, 50)
    assert (row.success_no.n, row.success_no.percent) == (0, None)  # taken up but not assessed
    assert row.unknown == 1


def test_all_factors_unknown_gives_no_rates():
    recs = [Rec(2024, "coaching", "complete", "successful")]
    rows = uptake.factor_table(recs, FACTORS)
    assert all(r.uptake_yes.percent is None and r.uptake_no.percent is None for r in rows)
    assert all(r.unknown == 1 for r in rows)


def test_summary_groups_by_year_and_area_and_skips_empty_groups():
    recs = [
        Rec(2023, "coaching", "complete"),
        Rec(2024, "coaching", "none"),
        Rec(2024, "curriculum", "partial", "partial"),
    ]
    s = uptake.summarize(recs, areas=RecommendationArea.choices, factors=FACTORS)
    assert [g["label"] for g in s.by_year] == ["2023–24", "2024–25"]
    assert [g["key"] for g in s.by_area] == ["curriculum", "coaching"]
    assert s.by_year[1]["uptake"].percent("none") == 50
    assert s.n == 3


def test_every_distribution_in_the_csv_rows_adds_to_100():
    recs = [Rec(2024, a, u) for a in ("coaching", "curriculum") for u in ("complete", "partial", "none")]
    s = uptake.summarize(recs, areas=RecommendationArea.choices, factors=FACTORS)
    rows = uptake.csv_rows(s)
    assert rows[0] == ["section", "group", "category", "count", "n", "percent"]
    uptake_all = [r for r in rows if r[0] == "uptake" and r[5] != ""]
    assert sum(r[5] for r in uptake_all) == 100


def test_empty_summary_has_no_percentages():
    s = uptake.summarize([], areas=RecommendationArea.choices, factors=FACTORS)
    assert s.n == 0 and s.by_year == [] and s.by_area == []
    assert all(r[5] == "" for r in uptake.csv_rows(s)[1:])


def test_long_factor_labels_wrap_and_get_the_margin_they_need():
    from recommendations import charts as uptake_charts
    from recommendations.uptake import FactorRow, Rate

    long_label = FACTORS["authorizer_in_partnership"]
    rate = Rate(1, 2, 50)
    rows = [FactorRow("authorizer_in_partnership", long_label, rate, rate, rate, rate, 0)]
    spec = uptake_charts.factor_spec(rows, "uptake", title="Uptake by factor")
    shown = spec["data"][0]["y"][0]
    assert "<br>" in shown  # 62 characters: two lines
    assert shown.replace("<br>", " ") == long_label
    longest = max(len(line) for line in shown.split("<br>"))
    assert longest <= 34 and spec["layout"]["margin"]["l"] >= 7 * longest
