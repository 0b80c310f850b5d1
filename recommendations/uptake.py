"""The counting rules of the uptake dashboard (seed 003): pure functions on plain rows, no database.

Every percentage comes with its n. Within one distribution the percentages are whole numbers that
add up to exactly 100, by the largest-remainder method: each share is first rounded down, and the
points still missing go, one each, to the shares with the largest remainders (ties: the category
listed first). An empty distribution has no percentages.

- Uptake is counted among recommendations whose uptake is known (complete, partial, none).
- Implementation is counted among recommendations taken up completely or partially.
- The successful-implementation rate is successful ÷ those taken up whose implementation was assessed.
- A factor cross-tab splits by the factor's answer (yes / no); "unknown" answers are left out and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Labels are lazy translations, turned into text in the language of the page when counted.
UPTAKE_KEYS = [
    ("complete", pgettext_lazy("taken up", "Completely")),
    ("partial", pgettext_lazy("taken up", "Partially")),
    ("none", _("Not taken up")),
]
IMPLEMENTATION_KEYS = [
    ("successful", pgettext_lazy("implementation", "Successful")),
    ("partial", pgettext_lazy("implementation", "Partially successful")),
    ("unsuccessful", pgettext_lazy("implementation", "Unsuccessful")),
    ("", pgettext_lazy("implementation", "Not yet assessed")),
]
TAKEN_UP = ("complete", "partial")
ROUNDING_RULE = _(
    "Percentages are whole numbers that add up to exactly 100 within each breakdown (largest-remainder "
    "method: round every share down, then give the missing points to the largest remainders; ties go to "
    "the category listed first). Counts are shown beside every percentage."
)


@dataclass(frozen=True)
class Rec:
    """One recommendation as the rules see it."""

    year: int
    area: str
    uptake: str = ""  # complete / partial / none / "" (unknown)
    implementation: str = ""  # successful / partial / unsuccessful / "" (not assessed)
    factors: dict[str, str] = field(default_factory=dict)  # factor → yes / no / ""


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    count: int
    percent: int | None  # None when n is 0


@dataclass(frozen=True)
class Distribution:
    n: int
    shares: list[Share]

    def percent(self, key: str) -> int | None:
        return next(s.percent for s in self.shares if s.key == key)

    def count(self, key: str) -> int:
        return next(s.count for s in self.shares if s.key == key)


@dataclass(frozen=True)
class Rate:
    count: int
    n: int
    percent: int | None


@dataclass(frozen=True)
class FactorRow:
    factor: str
    label: str
    uptake_yes: Rate
    uptake_no: Rate
    success_yes: Rate
    success_no: Rate
    unknown: int


def largest_remainder(counts: Sequence[int], total: int = 100) -> list[int] | None:
    """Whole percentages of `counts` that add up to exactly `total`; None when there is nothing."""
    n = sum(counts)
    if n <= 0:
        return None
    exact = [c * total for c in counts]
    floors = [e // n for e in exact]
    remainders = [e % n for e in exact]
    missing = total - sum(floors)
    # Largest remainder first; on a tie the earlier category wins (sorted is stable).
    for i in sorted(range(len(counts)), key=lambda i: -remainders[i])[:missing]:
        floors[i] += 1
    return floors


def distribution(values: Iterable[str], keys: Sequence[tuple[str, str]]) -> Distribution:
    values = list(values)
    counts = [sum(1 for v in values if v == key) for key, _ in keys]
    percents = largest_remainder(counts) or [None] * len(keys)
    shares = [Share(key, str(label), c, p) for (key, label), c, p in zip(keys, counts, percents, strict=True)]
    return Distribution(n=sum(counts), shares=shares)


def rate(count: int, n: int) -> Rate:
    percents = largest_remainder([count, n - count])
    return Rate(count=count, n=n, percent=percents[0] if percents else None)


def uptake(recs: Iterable[Rec]) -> Distribution:
    """Uptake among recommendations whose uptake is known."""
    return distribution((r.uptake for r in recs), UPTAKE_KEYS)


def implementation(recs: Iterable[Rec]) -> Distribution:
    """Implementation among recommendations taken up completely or partially."""
    return distribution((r.implementation for r in recs if r.uptake in TAKEN_UP), IMPLEMENTATION_KEYS)


def unknown_uptake(recs: Iterable[Rec]) -> int:
    return sum(1 for r in recs if r.uptake not in dict(UPTAKE_KEYS))


def uptake_rate(recs: Sequence[Rec]) -> Rate:
    known = [r for r in recs if r.uptake in dict(UPTAKE_KEYS)]
    return rate(sum(1 for r in known if r.uptake in TAKEN_UP), len(known))


def success_rate(recs: Sequence[Rec]) -> Rate:
    assessed = [r for r in recs if r.uptake in TAKEN_UP and r.implementation]
    return rate(sum(1 for r in assessed if r.implementation == "successful"), len(assessed))


def by(recs: Sequence[Rec], attr: str, order: Sequence[tuple] | None = None) -> list[dict]:
    """Uptake and implementation for each group (year or area): [{key, label, n, uptake, implementation}]."""
    keys = order or [(k, str(k)) for k in sorted({getattr(r, attr) for r in recs})]
    rows = []
    for key, label in keys:
        group = [r for r in recs if getattr(r, attr) == key]
        if group:
            rows.append(
                {
                    "key": key,
                    "label": str(label),
                    "n": len(group),
                    "uptake": uptake(group),
                    "implementation": implementation(group),
                }
            )
    return rows


def factor_table(recs: Sequence[Rec], factors: dict[str, str]) -> list[FactorRow]:
    rows = []
    for name, label in factors.items():
        yes = [r for r in recs if r.factors.get(name) == "yes"]
        no = [r for r in recs if r.factors.get(name) == "no"]
        rows.append(
            FactorRow(
                factor=name,
                label=str(label),
                uptake_yes=uptake_rate(yes),
                uptake_no=uptake_rate(no),
                success_yes=success_rate(yes),
                success_no=success_rate(no),
                unknown=len(recs) - len(yes) - len(no),
            )
        )
    return rows


@dataclass
class Summary:
    n: int
    unknown_uptake: int
    uptake: Distribution
    implementation: Distribution
    by_year: list[dict]
    by_area: list[dict]
    factors: list[FactorRow]


def summarize(recs: Sequence[Rec], *, areas: Sequence[tuple[str, str]], factors: dict[str, str]) -> Summary:
    recs = list(recs)
    years = [(y, f"{y}–{str(y + 1)[2:]}") for y in sorted({r.year for r in recs})]
    return Summary(
        n=len(recs),
        unknown_uptake=unknown_uptake(recs),
        uptake=uptake(recs),
        implementation=implementation(recs),
        by_year=by(recs, "year", years),
        by_area=by(recs, "area", areas),
        factors=factor_table(recs, factors),
    )


def csv_rows(summary: Summary) -> list[list]:
    """The dashboard's numbers, one row each: section, group, category, count, n, percent."""
    rows: list[list] = [["section", "group", "category", "count", "n", "percent"]]

    def dist(section, group, d: Distribution):
        for s in d.shares:
            rows.append([section, group, s.label, s.count, d.n, "" if s.percent is None else s.percent])

    dist("uptake", "all", summary.uptake)
    rows.append(["uptake", "all", "Not yet known (left out)", summary.unknown_uptake, summary.n, ""])
    dist("implementation among taken up", "all", summary.implementation)
    for section, groups in (("year", summary.by_year), ("area", summary.by_area)):
        for g in groups:
            dist(f"uptake by {section}", g["label"], g["uptake"])
            dist(f"implementation by {section}", g["label"], g["implementation"])
    for f in summary.factors:
        for cat, r in (
            ("uptake rate when yes", f.uptake_yes),
            ("uptake rate when no", f.uptake_no),
            ("successful implementation when yes", f.success_yes),
            ("successful implementation when no", f.success_no),
        ):
            rows.append(["factor", f.label, cat, r.count, r.n, "" if r.percent is None else r.percent])
        rows.append(["factor", f.label, "unknown (left out)", f.unknown, "", ""])
    return rows


def summary_data(summary: Summary) -> dict:
    """The dashboard's figures as plain data (for JSON): every share and rate with its count and n."""
    return {"rounding_rule": str(ROUNDING_RULE), **asdict(summary)}
