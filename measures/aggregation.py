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
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import (
    Administration,
    AdministrationSummary,
    Answer,
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
