"""Every number a dashboard shows comes from here.

Writes: counts are made by the database (INSERT … SELECT … GROUP BY; on this hardware pulling raw
answers into pandas costs ~4.5× the database's own GROUP BY), then pandas rolls the small count
tables up into weekly trend points per classroom, school and district. Everything is keyed by
administration, so a new response costs work proportional to its administration and the trend
points it touches. Every write is delete-then-insert of the same keys inside one transaction, with
the administrations locked, so running a refresh twice, or two at once, gives the same rows.

Reads: plain dataclasses for views and `measures.charts`, with small-n suppression applied here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from districts.models import Classroom, District, School

from . import runcharts
from .models import (
    Administration,
    AdministrationSummary,
    Answer,
    Instrument,
    Item,
    ItemKind,
    ItemSummary,
    Option,
    OptionCount,
    Response,
    Scope,
    TrendPoint,
)

INDEX = 0  # item_order of the overall index in TrendPoint
_CHUNK = 500  # ids per IN (...) list


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# ============================================================================================
# Writes
# ============================================================================================


def refresh_administrations(administration_ids: Iterable[int]) -> None:
    """Recount the given administrations and the trend points they touch."""
    ids = sorted(set(administration_ids))
    if not ids:
        return
    with transaction.atomic():
        # FOR NO KEY UPDATE: serialises refreshes of one administration without blocking
        # students' inserts (their foreign keys take KEY SHARE locks, which do not conflict).
        locked = list(
            Administration.objects.select_for_update(no_key=True)
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not locked:
            return
        for chunk in _chunks(locked):
            _recount(chunk)
        _rebuild_trends(_trend_keys(locked))


def rebuild_all() -> None:
    """Recount everything from the raw answers (after a bulk import, or to repair)."""
    with transaction.atomic():
        for model in (OptionCount, ItemSummary, AdministrationSummary, TrendPoint):
            model.objects.all().delete()
        _recount(None)
        _rebuild_trends(None)


def stale_administration_ids(*, days: int = 14) -> list[int]:
    """Administrations whose summary does not count every response they have (the sweep's work).

    Counts are compared rather than times: a response committed during a refresh is caught.
    """
    since = timezone.now() - timedelta(days=days)
    recent = (
        Response.objects.filter(administration__opened_at__gte=since)
        .values("administration_id")
        .annotate(n=Count("id"))
    )
    counted = dict(
        AdministrationSummary.objects.filter(administration__opened_at__gte=since).values_list(
            "administration_id", "n_responses"
        )
    )
    return sorted(row["administration_id"] for row in recent if counted.get(row["administration_id"]) != row["n"])


def _chunks(ids: Sequence[int], size: int = _CHUNK):
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _recount(ids: list[int] | None) -> None:
    """Rewrite OptionCount, ItemSummary and AdministrationSummary for `ids` (None = all)."""
    now = timezone.now()
    where, params = ("", [])
    if ids is not None:
        where = f" AND administration_id IN ({', '.join(['%s'] * len(ids))})"
        params = list(ids)
        for model in (OptionCount, ItemSummary, AdministrationSummary):
            model.objects.filter(administration_id__in=ids).delete()
    answer, option, item = _t(Answer), _t(Option), _t(Item)
    optioncount, itemsummary = _t(OptionCount), _t(ItemSummary)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {optioncount} (administration_id, item_id, option_id, count) "
            f"SELECT administration_id, item_id, option_id, COUNT(*) FROM {answer} "
            f"WHERE option_id IS NOT NULL{where} GROUP BY administration_id, item_id, option_id",
            params,
        )
        # One answer per respondent for every kind but multiple choice: sum the option counts.
        cur.execute(
            f"INSERT INTO {itemsummary} (administration_id, item_id, n_answered, n_productive) "
            f"SELECT oc.administration_id, oc.item_id, SUM(oc.count), "
            f"SUM(CASE WHEN o.productive THEN oc.count ELSE 0 END) "
            f"FROM {optioncount} oc JOIN {option} o ON o.id = oc.option_id JOIN {item} i ON i.id = oc.item_id "
            f"WHERE i.kind <> %s{where.replace('administration_id', 'oc.administration_id')} "
            f"GROUP BY oc.administration_id, oc.item_id",
            [ItemKind.MULTIPLE, *params],
        )
        multiple = list(Item.objects.filter(kind=ItemKind.MULTIPLE).values_list("pk", flat=True))
        if multiple:
            # Multiple choice: count respondents, not selections.
            marks = ", ".join(["%s"] * len(multiple))
            cur.execute(
                f"INSERT INTO {itemsummary} (administration_id, item_id, n_answered, n_productive) "
                f"SELECT a.administration_id, a.item_id, COUNT(DISTINCT a.response_id), "
                f"COUNT(DISTINCT CASE WHEN o.productive THEN a.response_id END) "
                f"FROM {answer} a JOIN {option} o ON o.id = a.option_id "
                f"WHERE a.item_id IN ({marks}){where.replace('administration_id', 'a.administration_id')} "
                f"GROUP BY a.administration_id, a.item_id",
                [*multiple, *params],
            )
    responses = Response.objects.all()
    admins = Administration.objects.all()
    if ids is not None:
        responses = responses.filter(administration_id__in=ids)
        admins = admins.filter(pk__in=ids)
    counts = {
        row["administration_id"]: (row["n"], row["last"])
        for row in responses.values("administration_id").annotate(n=Count("id"), last=Max("submitted_at"))
    }
    AdministrationSummary.objects.bulk_create(
        [
            AdministrationSummary(
                administration_id=pk,
                n_responses=counts.get(pk, (0, None))[0],
                last_response_at=counts.get(pk, (0, None))[1],
                refreshed_at=now,
            )
            for pk in admins.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )


@dataclass(frozen=True)
class _TrendKeys:
    """(district_id, lineage, week) triples whose trend points must be rebuilt."""

    triples: frozenset[tuple[int, str, date]]
    classrooms: frozenset[int]
    schools: frozenset[int]


def _trend_keys(ids: list[int]) -> _TrendKeys:
    rows = Administration.objects.filter(pk__in=ids).values_list(
        "district_id", "instrument__lineage", "week", "classroom_id", "school_id"
    )
    triples, classrooms, schools = set(), set(), set()
    for district_id, lineage, week, classroom_id, school_id in rows:
        triples.add((district_id, str(lineage), week))
        classrooms.add(classroom_id)
        schools.add(school_id)
    return _TrendKeys(frozenset(triples), frozenset(classrooms), frozenset(schools))


_TREND_COLUMNS = [
    "administration_id",
    "district_id",
    "school_id",
    "classroom_id",
    "week",
    "lineage",
    "item_order",
    "n_answered",
    "n_productive",
    "n_responses",
]


def _load_counts(keys: _TrendKeys | None) -> pd.DataFrame:
    """Item summaries joined to their administration, for the touched (district, lineage, week)s."""
    qs = ItemSummary.objects.all()
    if keys is not None:
        weeks = {w for _, _, w in keys.triples}
        districts = {d for d, _, _ in keys.triples}
        lineages = {lin for _, lin, _ in keys.triples}
        qs = qs.filter(
            administration__district_id__in=districts,
            administration__week__in=weeks,
            administration__instrument__lineage__in=lineages,
        )
    rows = qs.values_list(
        "administration_id",
        "administration__district_id",
        "administration__school_id",
        "administration__classroom_id",
        "administration__week",
        "administration__instrument__lineage",
        "item__order",
        "n_answered",
        "n_productive",
        "administration__summary__n_responses",
    )
    frame = pd.DataFrame.from_records(list(rows), columns=_TREND_COLUMNS)
    if keys is not None and not frame.empty:
        frame["lineage"] = frame["lineage"].astype(str)
        wanted = pd.MultiIndex.from_tuples(sorted(keys.triples), names=["district_id", "lineage", "week"])
        frame = frame[pd.MultiIndex.from_frame(frame[["district_id", "lineage", "week"]]).isin(wanted)]
    return frame


def _roll_up(frame: pd.DataFrame, scope: str, column: str) -> list[TrendPoint]:
    if frame.empty:
        return []
    keys = list(dict.fromkeys([column, "district_id", "lineage", "week"]))
    items = (
        frame.groupby(keys + ["item_order"], sort=False, observed=True)
        .agg(n_answered=("n_answered", "sum"), n_productive=("n_productive", "sum"))
        .reset_index()
    )
    # Responses and administrations per scope-week: one row per administration, not per item.
    per_admin = frame.drop_duplicates("administration_id")
    totals = (
        per_admin.groupby(keys, sort=False, observed=True)
        .agg(n_responses=("n_responses", "sum"), n_administrations=("administration_id", "count"))
        .reset_index()
    )
    index = items.groupby(keys, sort=False, observed=True)[["n_answered", "n_productive"]].sum().reset_index()
    index["item_order"] = INDEX
    both = pd.concat([items, index], ignore_index=True).merge(totals, on=keys, how="left")
    return [
        TrendPoint(
            district_id=int(r.district_id),
            scope=scope,
            scope_id=int(getattr(r, column)),
            lineage=r.lineage,
            item_order=int(r.item_order),
            week=r.week,
            n_responses=int(r.n_responses),
            n_answered=int(r.n_answered),
            n_productive=int(r.n_productive),
            n_administrations=int(r.n_administrations),
        )
        for r in both.itertuples(index=False)
    ]


def _rebuild_trends(keys: _TrendKeys | None) -> None:
    frame = _load_counts(keys)
    classrooms, schools = frame, frame
    if keys is not None:
        for district_id, lineage, week in keys.triples:
            TrendPoint.objects.filter(district_id=district_id, lineage=lineage, week=week).filter(
                Q(scope=Scope.DISTRICT, scope_id=district_id)
                | Q(scope=Scope.SCHOOL, scope_id__in=keys.schools)
                | Q(scope=Scope.CLASSROOM, scope_id__in=keys.classrooms)
            ).delete()
        if not frame.empty:
            classrooms = frame[frame["classroom_id"].isin(keys.classrooms)]
            schools = frame[frame["school_id"].isin(keys.schools)]
    points = (
        _roll_up(classrooms, Scope.CLASSROOM, "classroom_id")
        + _roll_up(schools, Scope.SCHOOL, "school_id")
        + _roll_up(frame, Scope.DISTRICT, "district_id")
    )
    TrendPoint.objects.bulk_create(points, batch_size=2000)


# ============================================================================================
# Reads (dashboards call these; no number is shown from fewer than the district's minimum)
# ============================================================================================


@dataclass(frozen=True)
class OptionShare:
    label: str
    count: int
    share: float
    productive: bool


@dataclass(frozen=True)
class ItemResult:
    order: int
    prompt: str
    kind: str
    n: int
    n_productive: int
    suppressed: bool
    options: tuple[OptionShare, ...] = ()

    @property
    def productive_share(self) -> float | None:
        return None if self.suppressed or not self.n else self.n_productive / self.n


@dataclass(frozen=True)
class AdministrationResults:
    n: int
    min_n: int
    items: tuple[ItemResult, ...]

    @property
    def withheld(self) -> bool:
        return self.n < self.min_n


def administration_results(administration: Administration, *, language: str = "en") -> AdministrationResults:
    """Per item: n, each option's count and share, and the productive share (3 queries)."""
    min_n = administration.district.min_group_size
    summary = AdministrationSummary.objects.filter(administration=administration).first()
    n = summary.n_responses if summary else 0
    if n < min_n:
        return AdministrationResults(n=n, min_n=min_n, items=())
    counts = {oc.option_id: oc.count for oc in OptionCount.objects.filter(administration=administration)}
    item_rows = {s.item_id: s for s in ItemSummary.objects.filter(administration=administration)}
    items = []
    for item in administration.instrument.items.order_by("order").prefetch_related("options"):
        if item.kind == ItemKind.TEXT:
            continue
        row = item_rows.get(item.pk)
        answered = row.n_answered if row else 0
        suppressed = answered < min_n
        options = ()
        if not suppressed:
            total = sum(counts.get(o.pk, 0) for o in item.options.all()) or 1
            options = tuple(
                OptionShare(o.label(language), counts.get(o.pk, 0), counts.get(o.pk, 0) / total, o.productive)
                for o in item.options.all()
            )
        items.append(
            ItemResult(
                order=item.order,
                prompt=item.prompt(language),
                kind=item.kind,
                n=answered,
                n_productive=row.n_productive if row and not suppressed else 0,
                suppressed=suppressed,
                options=options,
            )
        )
    return AdministrationResults(n=n, min_n=min_n, items=tuple(items))


@dataclass(frozen=True)
class SeriesPoint:
    week: date
    n_responses: int
    n_answered: int
    n_productive: int
    suppressed: bool

    @property
    def value(self) -> float | None:
        if self.suppressed or not self.n_answered:
            return None
        return self.n_productive / self.n_answered


@dataclass(frozen=True)
class Series:
    points: tuple[SeriesPoint, ...]
    analysis: runcharts.RunChartResult
    min_n: int

    @property
    def shown(self) -> tuple[SeriesPoint, ...]:
        return tuple(p for p in self.points if not p.suppressed)


def trend_series(
    *,
    scope: str,
    scope_id: int,
    lineage,
    min_n: int,
    item_order: int = INDEX,
    since: date | None = None,
    until: date | None = None,
) -> Series:
    """A weekly series of productive shares with its run-chart analysis (1 query)."""
    qs = TrendPoint.objects.filter(scope=scope, scope_id=scope_id, lineage=lineage, item_order=item_order)
    if since:
        qs = qs.filter(week__gte=since)
    if until:
        qs = qs.filter(week__lte=until)
    points = tuple(
        SeriesPoint(
            week=tp.week,
            n_responses=tp.n_responses,
            n_answered=tp.n_answered,
            n_productive=tp.n_productive,
            suppressed=tp.n_responses < min_n,
        )
        for tp in qs.order_by("week")
    )
    return Series(points=points, analysis=runcharts.analyze([p.value for p in points]), min_n=min_n)


@dataclass
class Cell:
    """One row of a breakdown (a classroom, grade or school) over a period."""

    key: object
    label: str
    n_responses: int
    n_answered: int
    n_productive: int
    hidden: bool = False  # not the viewer's to see (a classroom whose teacher does not share)
    suppressed: bool = field(default=False)

    @property
    def value(self) -> float | None:
        if self.suppressed or self.hidden or not self.n_answered:
            return None
        return self.n_productive / self.n_answered


def suppress(cells: list[Cell], *, min_n: int) -> list[Cell]:
    """Small-n suppression with complementary suppression, for a breakdown shown beside its total.

    A cell under `min_n` responses is suppressed, and so is a hidden one. If what is withheld could
    be recovered by subtracting the shown cells from the total — fewer than two withheld cells, or
    withheld cells that together hold fewer than `min_n` responses — the smallest shown cells are
    withheld too, until it cannot.
    """
    for cell in cells:
        cell.suppressed = cell.hidden or cell.n_responses < min_n
    withheld = [c for c in cells if c.suppressed]
    if not withheld:
        return cells
    shown = sorted((c for c in cells if not c.suppressed), key=lambda c: (c.n_responses, str(c.label)))
    while shown and (len(withheld) < 2 or sum(c.n_responses for c in withheld) < min_n):
        extra = shown.pop(0)
        extra.suppressed = True
        withheld.append(extra)
    return cells


def _period_cells(scope: str, ids: Iterable[int], lineage, since: date | None, until: date | None) -> dict[int, Cell]:
    qs = TrendPoint.objects.filter(scope=scope, scope_id__in=list(ids), lineage=lineage, item_order=INDEX)
    if since:
        qs = qs.filter(week__gte=since)
    if until:
        qs = qs.filter(week__lte=until)
    cells: dict[int, Cell] = {}
    for tp in qs:
        cell = cells.setdefault(
            tp.scope_id, Cell(key=tp.scope_id, label="", n_responses=0, n_answered=0, n_productive=0)
        )
        cell.n_responses += tp.n_responses
        cell.n_answered += tp.n_answered
        cell.n_productive += tp.n_productive
    return cells


def classroom_breakdown(
    *, school: School, lineage, visible_ids: set[int], min_n: int, since: date | None = None, until=None
) -> list[Cell]:
    """A school's classrooms over a period; those the viewer may not see count only as withheld."""
    classrooms = {c.pk: c for c in Classroom.objects.filter(school=school).select_related("teacher")}
    cells = _period_cells(Scope.CLASSROOM, classrooms, lineage, since, until)
    for pk, cell in cells.items():
        room = classrooms[pk]
        cell.hidden = pk not in visible_ids
        cell.label = f"{room.teacher} · {room}" if not cell.hidden else "Not shared"
    return suppress(sorted(cells.values(), key=lambda c: (c.hidden, c.label)), min_n=min_n)


def grade_breakdown(
    *, district: District, lineage, min_n: int, school: School | None = None, since=None, until=None
) -> list[Cell]:
    rooms = Classroom.objects.filter(school__district=district)
    if school is not None:
        rooms = rooms.filter(school=school)
    grade_of = dict(rooms.values_list("pk", "grade"))
    per_room = _period_cells(Scope.CLASSROOM, grade_of, lineage, since, until)
    grades: dict[str, Cell] = {}
    for pk, cell in per_room.items():
        grade = grade_of[pk] or "—"
        g = grades.setdefault(
            grade, Cell(key=grade, label=f"Grade {grade}", n_responses=0, n_answered=0, n_productive=0)
        )
        g.n_responses += cell.n_responses
        g.n_answered += cell.n_answered
        g.n_productive += cell.n_productive
    return suppress(sorted(grades.values(), key=lambda c: c.label), min_n=min_n)


def school_breakdown(*, district: District, lineage, min_n: int, since=None, until=None) -> list[Cell]:
    schools = dict(School.objects.filter(district=district).values_list("pk", "name"))
    cells = _period_cells(Scope.SCHOOL, schools, lineage, since, until)
    for pk, cell in cells.items():
        cell.label = schools[pk]
    return suppress(sorted(cells.values(), key=lambda c: c.label), min_n=min_n)


def total(cells: list[Cell]) -> Cell:
    return Cell(
        key="total",
        label="All",
        n_responses=sum(c.n_responses for c in cells),
        n_answered=sum(c.n_answered for c in cells),
        n_productive=sum(c.n_productive for c in cells),
    )


def lineages_with_data(*, scope: str, scope_ids: Iterable[int]) -> list[Instrument]:
    """Current instruments with trend data in these scopes, the one with the most weeks first."""
    weeks = dict(
        TrendPoint.objects.filter(scope=scope, scope_id__in=list(scope_ids), item_order=INDEX)
        .values("lineage")
        .annotate(n=Count("id"))
        .values_list("lineage", "n")
    )
    found = Instrument.objects.filter(lineage__in=weeks, is_current=True)
    return sorted(found, key=lambda i: (-weeks[i.lineage], i.name))


def item_labels(instrument: Instrument, *, language: str = "en") -> list[tuple[int, str]]:
    return [
        (item.order, item.prompt(language)) for item in instrument.items.exclude(kind=ItemKind.TEXT).order_by("order")
    ]
