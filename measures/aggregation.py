"""Every number a dashboard shows comes from here.

Writes: the database does all the counting, in set-based INSERT … SELECT statements. Measured on
1,000,000 answers (bench/measures.py), pulling raw answers into pandas costs several times the
database's own GROUP BY, and even a pandas roll-up of the small count tables cost ~70 ms of fixed
overhead per refresh — more than the SQL it replaced — so the roll-ups are SQL too.

Everything is keyed by administration: a refresh recounts its administrations and rebuilds only
the trend points they touch (their classroom, school and district, for that instrument and week),
so a new response costs work proportional to its administration. Every write is delete-then-insert
of the same keys inside one transaction. An administration's own rows are guarded by its row lock;
the school and district trend points that several surveys share are guarded by a lock per
district and week (`_lock_trend_weeks`), so running a refresh twice, or two at once, on any
surveys, gives the same rows (tests/measures/test_concurrent_refresh.py proves it on PostgreSQL).

Reads: plain dataclasses. What of them may be shown to whom is decided by `measures.publication`,
the only reader outside this module (the trend roll-ups already leave out surveys and items below
the district's minimum group size, so every total is a sum of publishable units).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from hashlib import blake2b
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from districts.models import District

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
    Response,
    Scope,
    TrendPoint,
)

INDEX = 0  # item_order of the overall index in TrendPoint
_CHUNK = 500  # ids per IN (...) list
_SUMMARIES = (ItemSummary, AdministrationSummary, TrendPoint)
# A full rebuild's copies of the summaries it keeps (surveys past retention), dropped at commit.
_KEPT_ITEMS, _KEPT_SURVEYS = "measures_rebuild_kept_items", "measures_rebuild_kept_surveys"
_COUNTS = "measures_rebuild_counts"  # the full rebuild's temporary table (PostgreSQL)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def _cursor():
    """Django's cursor, with the parameters bound by the server on PostgreSQL.

    Django binds on the client, so every statement's text differs and PostgreSQL plans it again
    each time. A one-survey refresh (the task every answered survey queues) runs the same texts
    every time: bound on the server, psycopg prepares them after a few runs on a connection, and
    the roll-up's planning (about 2 of its 4 ms) is spent once. Behind pgbouncer psycopg prepares
    nothing (settings: `prepare_threshold` None). Errors are Django's and queries are logged as any
    other, through Django's cursor wrapper (as in `measures.services`)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cur:
            yield cur
        return
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    with connection._prepare_cursor(raw) as cur:
        yield cur


def _marks(values: Sequence) -> str:
    return ", ".join(["%s"] * len(values))


# ============================================================================================
# Writes
# ============================================================================================


def refresh_administrations(administration_ids: Iterable[int]) -> None:
    """Recount the given administrations and the trend points they touch."""
    ids = sorted(set(administration_ids))
    if not ids:
        return
    with transaction.atomic():
        locked, keys, expired = _lock_administrations(ids)
        if not locked:
            return
        # A survey whose raw answers retention deleted keeps its summaries: they are all that is left.
        for chunk in _chunks([pk for pk in locked if pk not in expired]):
            _forget_summaries(chunk)
            _recount(chunk)
        if keys.triples:  # group surveys (PD feedback) have no trend to rebuild
            _lock_trend_weeks(keys)
            _rebuild_trends(keys)


def rebuild_district(*, district_id: int) -> None:
    """Recount one district's surveys and trends (after its minimum group size changed: the trend
    roll-ups leave out surveys and items below it)."""
    ids = list(Administration.objects.filter(district_id=district_id).values_list("pk", flat=True))
    for chunk in _chunks(ids, 2000):
        refresh_administrations(chunk)


def rebuild_all() -> None:
    """Recount everything from the raw answers (after a bulk import, or to repair). The summaries of
    surveys whose raw answers retention deleted are kept as they are: they are all that is left."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            TrendPoint.objects.all().delete()
            for model in (ItemSummary, AdministrationSummary):
                model.objects.filter(administration__answers_expired_at__isnull=True).delete()
            _recount(None)
            _rebuild_trends(None)
            return
        with connection.cursor() as cur:
            for model, kept in ((ItemSummary, _KEPT_ITEMS), (AdministrationSummary, _KEPT_SURVEYS)):
                cur.execute(
                    f"CREATE TEMPORARY TABLE {kept} ON COMMIT DROP AS SELECT s.* FROM {_t(model)} s "
                    f"JOIN {_t(Administration)} ad ON ad.id = s.administration_id "
                    "WHERE ad.answers_expired_at IS NOT NULL"
                )
            cur.execute("TRUNCATE " + ", ".join(_t(m) for m in _SUMMARIES))
        with _indexes_built_after(_SUMMARIES):
            # The answers are counted in the order of their index, as the raw GROUP BY reads them
            # (`_count_all_answers`), before the roll-ups get their memory.
            _recount(None)
            with connection.cursor() as cur:
                for model, kept in ((ItemSummary, _KEPT_ITEMS), (AdministrationSummary, _KEPT_SURVEYS)):
                    cur.execute(f"INSERT INTO {_t(model)} SELECT * FROM {kept}")
                    cur.execute(f"DROP TABLE {kept}")
            with connection.cursor() as cur:
                # The roll-ups hash ~50,000 groups: in memory, not in batches spilled to disk.
                cur.execute("SET LOCAL work_mem = '64MB'")
            _rebuild_trends(None)
        with connection.cursor() as cur:
            # Fresh tables have no statistics until autovacuum comes by: the next refreshes would
            # be planned blind (a sequential scan of every summary instead of an index look-up).
            # A small sample is plenty for these plans and costs a fraction of the default one.
            cur.execute("SET LOCAL default_statistics_target = 10")
            cur.execute("ANALYZE " + ", ".join(_t(m) for m in _SUMMARIES))
            cur.execute("RESET default_statistics_target")
            cur.execute("RESET work_mem")


@contextmanager
def _indexes_built_after(models):
    """Drop every index of freshly truncated tables, primary keys and unique constraints included;
    build them again after (PostgreSQL).

    Every row written into an indexed table updates each btree, one row at a time and in no useful
    order; building an index over the filled table is one sort. Writing ~60,000 summary rows and
    trend points without their indexes, then building them, cost ~90 ms less server time than
    writing them with their primary keys in place (on the bench: 785 → 696 ms), and more again for
    the unique constraints and the district index. What is dropped is read from the catalog, so a
    new index or constraint on these tables is rebuilt too. The unique constraints come back
    last, so duplicate rows would still abort the rebuild. The whole rebuild is one transaction,
    and TRUNCATE already holds these tables exclusively.
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cur:
        # Constraint-backed indexes (primary key, unique) by their constraint; the others by their
        # own definition. Primary keys first on the way back, unique constraints after the indexes.
        cur.execute(
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('p', 'u') "
            "UNION ALL SELECT i.indrelid::regclass::text, x.relname, 'i', pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid WHERE i.indrelid = ANY(%s::regclass[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1, 2",
            [[_t(m) for m in models]] * 2,
        )
        found = cur.fetchall()
        for table, name, kind, _ in found:
            cur.execute(
                f"DROP INDEX {quote(name)}" if kind == "i" else f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}"
            )
    yield
    with connection.cursor() as cur:
        for table, name, kind, definition in sorted(found, key=lambda row: "piu".index(row[2])):
            cur.execute(definition if kind == "i" else f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


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
    """Write ItemSummary and AdministrationSummary rows for `ids` (None = all), from raw answers."""
    answer, option, itemsummary = _t(Answer), _t(Option), _t(ItemSummary)
    admin, response, adminsummary = _t(Administration), _t(Response), _t(AdministrationSummary)
    only = f" AND a.administration_id IN ({_marks(ids)})" if ids is not None else ""
    params = list(ids or [])
    multiple_ids = f"SELECT mi.id FROM {_t(Item)} mi WHERE mi.kind = %s"
    # One answer per respondent for every kind but multiple choice: count rows. The inner count is
    # the (administration, item, option) GROUP BY that the answers' index delivers in order (no sort,
    # no hash, no join per answer); options and item kinds are looked at once per group.
    single = (
        f"SELECT c.administration_id, c.item_id, SUM(c.n), "
        f"SUM(CASE WHEN c.option_id IN (SELECT o.id FROM {option} o WHERE o.productive) THEN c.n ELSE 0 END) "
        f"FROM (SELECT a.administration_id, a.item_id, a.option_id, COUNT(*) AS n FROM {answer} a "
        f"WHERE a.option_id IS NOT NULL{only} GROUP BY a.administration_id, a.item_id, a.option_id) c "
        f"WHERE c.item_id NOT IN ({multiple_ids}) GROUP BY c.administration_id, c.item_id",
        [*params, ItemKind.MULTIPLE],
    )
    # Multiple choice: count respondents, not selections.
    multiple = (
        f"SELECT a.administration_id, a.item_id, COUNT(DISTINCT a.response_id), "
        f"COUNT(DISTINCT CASE WHEN o.productive THEN a.response_id END) "
        f"FROM {answer} a JOIN {option} o ON o.id = a.option_id "
        f"WHERE a.item_id IN ({multiple_ids}){only} GROUP BY a.administration_id, a.item_id",
        [ItemKind.MULTIPLE, *params],
    )
    columns = f"INSERT INTO {itemsummary} (administration_id, item_id, n_answered, n_productive) "
    everything_on_postgresql = ids is None and connection.vendor == "postgresql"
    # A refresh's statements bound on the server (`_cursor`); the full rebuild's once, as Django binds.
    with _cursor() if ids is not None else connection.cursor() as cur:
        first, first_params = "", []  # a statement to run as a CTE of the survey summaries' INSERT
        if ids is not None:  # a few surveys: one statement for the items
            items = (columns + single[0] + " UNION ALL " + multiple[0], single[1] + multiple[1])
            if connection.vendor == "postgresql":  # … and with the surveys' too: one round trip
                first, first_params = f"WITH items AS ({items[0]}) ", items[1]
            else:
                cur.execute(*items)
        elif everything_on_postgresql:
            _count_all_answers(cur, columns, multiple)
        else:  # everything: the multiple-choice pass reads the answers again, so only when needed
            cur.execute(columns + single[0], single[1])
            if Item.objects.filter(kind=ItemKind.MULTIPLE).exists():
                cur.execute(columns + multiple[0], multiple[1])
        where = inner = ""
        if ids is not None:
            where, inner = f"WHERE ad.id IN ({_marks(ids)})", f"WHERE administration_id IN ({_marks(ids)})"
        else:  # surveys past retention have no answers to count: a full recount leaves them their kept rows
            where = "WHERE ad.answers_expired_at IS NULL"
        if everything_on_postgresql:
            # Every response, counted in the order of the (administration, submitted_at) index and
            # merged with the administrations in the order of their key: no hash table of 200,000
            # rows (86 against 107 ms on the bench; the planner prefers the hash by a hair).
            cur.execute("SET LOCAL enable_hashagg = off")
        cur.execute(
            first + f"INSERT INTO {adminsummary} (administration_id, n_responses, last_response_at, refreshed_at) "
            f"SELECT ad.id, COALESCE(r.n, 0), r.last, %s FROM {admin} ad "
            f"LEFT JOIN (SELECT administration_id, COUNT(*) AS n, MAX(submitted_at) AS last FROM {response} "
            f"{inner} GROUP BY administration_id) r "
            f"ON r.administration_id = ad.id {where}",
            [*first_params, timezone.now(), *params, *params],
        )
        if everything_on_postgresql:
            cur.execute("SET LOCAL enable_hashagg TO DEFAULT")


def _count_all_answers(cur, columns: str, multiple: tuple[str, list]) -> None:
    """Every item summary from every answer (PostgreSQL, full rebuild): one pass in the order of the
    (administration, item, option) index, as the raw GROUP BY reads it.

    The productive options and the multiple-choice items come in first as two constant arrays, so
    each answer is tested against a hashed array inside the one aggregate per (administration, item)
    rather than counted per option and summed again with a lookup per group: 243 against 307 ms of
    server time on the bench's 1,000,000 answers. The planner would hash all the answers instead (its
    costs tie, the hash is slower): the ordered aggregate is asked for, for this statement only.

    The counts go into a temporary table first: an INSERT … SELECT never runs in parallel (PostgreSQL
    15), a CREATE TABLE … AS does, so the answers' index is read by the parallel workers (two by
    default) while the 40,000 rows are then copied in one pass. Measured on the bench only with both
    cores busy with other work: 310 against 329 ms, of which the leading process spent 47 ms of CPU
    on the count instead of ~240. (`max_parallel_workers_per_gather = 0` gives the serial count.)
    """
    answer, option, item = _t(Answer), _t(Option), _t(Item)
    cur.execute(
        f"SELECT ARRAY(SELECT o.id FROM {option} o WHERE o.productive), "
        f"ARRAY(SELECT mi.id FROM {item} mi WHERE mi.kind = %s)",
        [ItemKind.MULTIPLE],
    )
    productive, multiple_items = cur.fetchone()
    skip_multiple = " AND a.item_id <> ALL(%s::bigint[])" if multiple_items else ""
    cur.execute("SET LOCAL enable_hashagg = off")
    cur.execute(
        f"CREATE TEMPORARY TABLE {_COUNTS} AS SELECT a.administration_id, a.item_id, COUNT(*) AS n, "
        f"COUNT(*) FILTER (WHERE a.option_id = ANY(%s::bigint[])) AS n_productive FROM {answer} a "
        f"WHERE a.option_id IS NOT NULL{skip_multiple} GROUP BY a.administration_id, a.item_id",
        [productive, *([multiple_items] if multiple_items else [])],
    )
    cur.execute("SET LOCAL enable_hashagg TO DEFAULT")
    cur.execute(columns + f"SELECT administration_id, item_id, n, n_productive FROM {_COUNTS}")
    cur.execute(f"DROP TABLE {_COUNTS}")  # not left for a second rebuild in the same transaction
    if multiple_items:  # the multiple-choice pass reads the answers again, so only when needed
        cur.execute(columns + multiple[0], multiple[1])


@dataclass(frozen=True)
class _TrendKeys:
    """(district_id, instrument_id, week) triples whose trend points must be rebuilt."""

    triples: frozenset[tuple[int, int, date]]
    classrooms: frozenset[int]
    schools: frozenset[int]
    lineage_weeks: frozenset[tuple[int, object, date]] = frozenset()  # (district_id, lineage, week)


def _lock_administrations(ids: list[int]) -> tuple[list[int], _TrendKeys, set[int]]:
    """Lock the administrations and read their trend keys, with every version of their instruments
    (one query: the lock and the keys were two round trips), and which of them have no raw answers
    left (retention: `answers_expired_at`).

    FOR NO KEY UPDATE: serialises refreshes of one administration without blocking students'
    inserts (their foreign keys take KEY SHARE locks, which do not conflict). The rows are locked in
    the order of their key, so two refreshes of overlapping sets cannot deadlock. SQLite needs no
    lock: a writing transaction there already holds the whole database.
    """
    admin, instrument = _t(Administration), _t(Instrument)
    lock = " FOR NO KEY UPDATE OF ad" if connection.vendor == "postgresql" else ""
    with _cursor() as cur:
        cur.execute(
            f"SELECT ad.id, ad.district_id, v.id, v.lineage, ad.week, ad.classroom_id, ad.school_id, "
            f"ad.answers_expired_at FROM {admin} ad "
            f"JOIN {instrument} ins ON ins.id = ad.instrument_id JOIN {instrument} v ON v.lineage = ins.lineage "
            f"WHERE ad.id IN ({_marks(ids)}) ORDER BY ad.id{lock}",
            ids,
        )
        rows = cur.fetchall()
    locked = sorted({row[0] for row in rows})
    expired = {row[0] for row in rows if row[7] is not None}
    # Raw rows: SQLite gives the uuid and the date as text.
    as_uuid, as_date = Instrument._meta.get_field("lineage").to_python, Administration._meta.get_field("week").to_python
    rows = [
        (d, pk, as_uuid(lineage), as_date(w), room, school)
        for _, d, pk, lineage, w, room, school, _ in rows
        if room is not None  # group surveys (PD feedback) have no classroom and no trend
    ]
    # Trend points are per lineage: every version of the instrument counts in the same week.
    keys = _TrendKeys(
        triples=frozenset((d, pk, w) for d, pk, _, w, _, _ in rows),
        classrooms=frozenset(r[4] for r in rows),
        schools=frozenset(r[5] for r in rows),
        lineage_weeks=frozenset((d, lineage, w) for d, _, lineage, w, _, _ in rows),
    )
    return locked, keys, expired


def _forget_summaries(ids: list[int]) -> None:
    """Delete the summaries of `ids` before they are counted again (plain SQL: the ORM's delete costs
    more than the DELETE; on PostgreSQL both tables in one statement, one round trip)."""
    items, surveys = _t(ItemSummary), _t(AdministrationSummary)
    where = f"WHERE administration_id IN ({_marks(ids)})"
    with _cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"WITH items AS (DELETE FROM {items} {where}) DELETE FROM {surveys} {where}", [*ids, *ids])
        else:
            for table in (items, surveys):
                cur.execute(f"DELETE FROM {table} {where}", ids)


def _trend_lock_key(district_id: int, week: date) -> int:
    """A stable signed 64-bit advisory-lock key for one district and week (namespaced by a hash)."""
    digest = blake2b(f"measures.trend:{district_id}:{week.isoformat()}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _lock_trend_weeks(keys: _TrendKeys) -> None:
    """Serialise the rebuild of trend points that several surveys share.

    Two surveys of one district and week share the school and district trend points. Each refresh
    locks only its own administrations, so without this two refreshes of different surveys both
    delete the shared points and both insert them again: `trend_point_unique` fails in one of them.

    Chosen over `INSERT … ON CONFLICT DO UPDATE`: an upsert removes the error but not the race —
    under READ COMMITTED each refresh sums the other's summary rows as they were before it
    committed, so the last writer can store a total that misses the other survey. With a
    transaction-scoped advisory lock per (district, week), taken after the recount and held to
    commit, the refresh that rebuilds second waits, then reads every summary the first one
    committed; the last rebuild therefore always counts everything. Locks are taken in one order
    (sorted keys) so two refreshes spanning several weeks cannot deadlock, and only after the
    administrations' row locks, which no one takes while holding a trend lock. The lock is only a
    few milliseconds long (one rebuild) and students' inserts never take it.

    SQLite needs nothing: a writing transaction there already holds the whole database.
    """
    if connection.vendor != "postgresql":
        return
    lock_keys = sorted({_trend_lock_key(d, w) for d, _, w in keys.triples})
    with _cursor() as cur:
        for key in lock_keys:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# (scope, the administration column that names it)
_SCOPES = ((Scope.CLASSROOM, "classroom_id"), (Scope.SCHOOL, "school_id"), (Scope.DISTRICT, "district_id"))


def _rebuild_trends(keys: _TrendKeys | None) -> None:
    """Delete and re-insert the trend points of `keys` (None = all): school and district points per
    item and for the index, classroom points for the index only.

    A classroom's per-item point would be a copy of its surveys' item summaries with the week
    attached (40,200 of the bench's 51,360 points); `classroom_item_points` sums those summaries
    when a classroom's item chart is read instead."""
    trend = _t(TrendPoint)
    filters, params = "", []
    if keys is not None:
        triples = sorted(keys.triples)
        filters = (
            " AND ("
            + " OR ".join(["(ad.district_id = %s AND ad.instrument_id = %s AND ad.week = %s)"] * len(triples))
            + ")"
        )
        for d, pk, w in triples:
            params += [d, pk, connection.ops.adapt_datefield_value(w)]
        # Exactly the refreshed (district, lineage, week) keys: a cross product of their districts,
        # instruments and weeks would delete points of other weeks that nothing re-inserts.
        # One DELETE for all of them, through `trend_district_plan` (district, scope, lineage, …).
        as_lineage = TrendPoint._meta.get_field("lineage").get_db_prep_value
        rooms, schools = sorted(keys.classrooms) or [None], sorted(keys.schools) or [None]  # never IN ()
        scopes = (
            f"(scope = %s AND scope_id = district_id) OR (scope = %s AND scope_id IN ({_marks(schools)})) "
            f"OR (scope = %s AND scope_id IN ({_marks(rooms)}))"
        )
        weeks = sorted(keys.lineage_weeks, key=str)
        week_params = []
        for d, lineage, w in weeks:
            week_params += [d, as_lineage(lineage, connection), connection.ops.adapt_datefield_value(w)]
        with _cursor() as cur:
            cur.execute(
                f"DELETE FROM {trend} WHERE ("
                + " OR ".join(["(district_id = %s AND lineage = %s AND week = %s)"] * len(weeks))
                + f") AND ({scopes})",
                [*week_params, Scope.DISTRICT, Scope.SCHOOL, *schools, Scope.CLASSROOM, *rooms],
            )
    base_tables = _publishable_units(filters)
    columns = (
        f"INSERT INTO {trend} (district_id, scope, scope_id, lineage, item_order, week, n_responses, "
        f"n_answered, n_productive, n_administrations) "
    )
    if _rollup_in_one_statement():
        _insert_trends_grouped(keys, columns, base_tables, params)
    else:
        _insert_trends_per_scope(keys, columns, base_tables, params)


def _publishable_units(filters: str = "") -> str:
    """FROM and WHERE of the classroom surveys' item summaries that may count in a trend.

    The trend roll-ups and the classroom item series (`classroom_item_points`) read through this one
    clause, so both apply the same rules."""
    admin, instrument, item, district = _t(Administration), _t(Instrument), _t(Item), _t(District)
    itemsummary, adminsummary = _t(ItemSummary), _t(AdministrationSummary)
    return (
        f"FROM {itemsummary} s JOIN {admin} ad ON ad.id = s.administration_id "
        f"JOIN {adminsummary} asum ON asum.administration_id = ad.id "
        f"JOIN {instrument} ins ON ins.id = ad.instrument_id JOIN {item} it ON it.id = s.item_id "
        f"JOIN {district} dist ON dist.id = ad.district_id "
        # Group surveys (PD feedback) have no classroom and no trend: their session reads them.
        f"WHERE ad.classroom_id IS NOT NULL{filters} "
        # Publishable units only (measures.publication): a survey below the district's minimum
        # group size counts in no week at any level, nor an item answered by fewer.
        f"AND asum.n_responses >= dist.min_group_size AND s.n_answered >= dist.min_group_size"
    )


def _rollup_in_one_statement() -> bool:
    """PostgreSQL rolls every scope up in one statement (`_insert_trends_grouped`); SQLite keeps the
    portable one per scope (`_insert_trends_per_scope`).

    Both write the same rows (tests/measures/test_trend_rollup_paths.py compares them)."""
    return connection.vendor == "postgresql"


def _insert_trends_grouped(keys: _TrendKeys | None, columns: str, base_tables: str, params: list) -> None:
    """The roll-up in one INSERT … SELECT: classroom, school and district points, per item and for
    the index.

    The joins over the item summaries run once (a MATERIALIZED CTE); the six per-scope statements
    each joined the same ~40,000 item-summary rows again. Each unit is hashed once: per school (per
    item, and per survey for the index), and the district points are summed from the school points
    (~3,000 rows, not the 48,000 units again as a second grouping set did: 232 → 206 ms of server
    time in a rebuild). Every classroom survey has a school, so the two sums are equal. Classroom
    points (the index only) are summed from the per-survey units alone.

    A refresh reads only the summaries of the surveys' own schools in the refreshed weeks (a school
    point needs every survey of its school), writes classroom points for the surveys' own classrooms
    and school points for their schools, and each refreshed week's district point sums those new
    school points with the week's other school points as stored (the refreshed schools' own were
    deleted before): the district-week lock (`_lock_trend_weeks`) is held, so those are current.
    Reading the whole district's week instead (200 surveys of 5 items in the bench) was most of the
    cost of a one-survey refresh; summing them in this statement rather than in a second one saves
    its round trip and planning."""
    order = connection.ops.quote_name("order")
    narrow, narrow_params, stored, stored_params = "", [], "", []
    if keys is not None:
        rooms, schools = sorted(keys.classrooms), sorted(keys.schools)
        base_tables += f" AND ad.school_id IN ({_marks(schools)})"
        params = [*params, *schools]
        narrow = f" WHERE classroom_id IN ({_marks(rooms)})"
        narrow_params = rooms
        weeks = sorted(keys.lineage_weeks, key=str)
        stored = (
            " UNION ALL SELECT district_id, lineage, item_order, week, n_responses, n_answered, n_productive, "
            f"n_administrations FROM {_t(TrendPoint)} WHERE scope = %s AND ("
            + " OR ".join(["(district_id = %s AND lineage = %s AND week = %s)"] * len(weeks))
            + ")"
        )
        stored_params = [Scope.SCHOOL, *[v for key in weeks for v in key]]
    sql = (
        f"WITH base AS MATERIALIZED (SELECT ad.id AS administration_id, ad.district_id, ad.school_id, "
        f"ad.classroom_id, ins.lineage, it.{order} AS item_order, ad.week, asum.n_responses, s.n_answered, "
        f"s.n_productive {base_tables}), "
        # One unit per administration for the index (all its items together) …
        "surveys AS MATERIALIZED (SELECT district_id, school_id, classroom_id, lineage, week, "
        "MAX(n_responses) AS n_responses, SUM(n_answered) AS n_answered, SUM(n_productive) AS n_productive "
        "FROM base GROUP BY administration_id, district_id, school_id, classroom_id, lineage, week), "
        # … and one per item: a school sums both …
        "schools AS MATERIALIZED (SELECT district_id, school_id, lineage, item_order, week, "
        "SUM(n_responses) AS n_responses, SUM(n_answered) AS n_answered, SUM(n_productive) AS n_productive, "
        "COUNT(*) AS n_administrations FROM base GROUP BY district_id, school_id, lineage, item_order, week "
        f"UNION ALL SELECT district_id, school_id, lineage, {INDEX}, week, SUM(n_responses), SUM(n_answered), "
        "SUM(n_productive), COUNT(*) FROM surveys GROUP BY district_id, school_id, lineage, week) "
        + columns
        + "SELECT district_id, %s, school_id, lineage, item_order, week, n_responses, n_answered, "
        "n_productive, n_administrations FROM schools UNION ALL "
        # … the district sums its schools, a classroom its surveys' index units.
        "SELECT district_id, %s, district_id, lineage, item_order, week, SUM(n_responses), SUM(n_answered), "
        "SUM(n_productive), SUM(n_administrations) FROM (SELECT district_id, lineage, item_order, week, "
        f"n_responses, n_answered, n_productive, n_administrations FROM schools{stored}) AS school_points "
        "GROUP BY district_id, lineage, item_order, week UNION ALL "
        f"SELECT district_id, %s, classroom_id, lineage, {INDEX}, week, SUM(n_responses), SUM(n_answered), "
        f"SUM(n_productive), COUNT(*) FROM surveys{narrow} GROUP BY district_id, classroom_id, lineage, week"
    )
    if keys is None:
        # A full rebuild builds `trend_district_plan` after this (`_indexes_built_after`): rows written
        # in its order make its sort one pass (37 → 10 ms of server time for ~11,000 points, for a
        # sort here of 12 ms).
        sql += " ORDER BY 1, 2, 4, 5, 6"
    with _cursor() as cur:
        cur.execute(sql, [*params, Scope.SCHOOL, Scope.DISTRICT, *stored_params, Scope.CLASSROOM, *narrow_params])


def _insert_trends_per_scope(keys: _TrendKeys | None, columns: str, base_tables: str, params: list) -> None:
    """The portable roll-up: per scope, one statement per item and one for the index."""
    order = connection.ops.quote_name("order")
    with connection.cursor() as cur:
        for scope, column in _SCOPES:
            narrow, narrow_params = "", []
            if keys is not None and scope != Scope.DISTRICT:
                wanted = sorted(keys.classrooms if scope == Scope.CLASSROOM else keys.schools)
                narrow, narrow_params = f" AND ad.{column} IN ({_marks(wanted)})", wanted
            base = base_tables + narrow
            # One point per item (not for a classroom: see `_rebuild_trends`) …
            if scope != Scope.CLASSROOM:
                cur.execute(
                    columns + f"SELECT ad.district_id, %s, ad.{column}, ins.lineage, it.{order}, "
                    f"ad.week, SUM(asum.n_responses), SUM(s.n_answered), SUM(s.n_productive), COUNT(*) {base} "
                    f"GROUP BY ad.district_id, ad.{column}, ins.lineage, it.{order}, ad.week",
                    [scope, *params, *narrow_params],
                )
            # … and the index: all items of each administration first, then the scope.
            cur.execute(
                columns + f"SELECT district_id, %s, scope_id, lineage, {INDEX}, week, SUM(n_responses), "
                f"SUM(n_answered), SUM(n_productive), COUNT(*) FROM ("
                f"SELECT ad.district_id, ad.{column} AS scope_id, ins.lineage, ad.week, "
                f"MAX(asum.n_responses) AS n_responses, SUM(s.n_answered) AS n_answered, "
                f"SUM(s.n_productive) AS n_productive {base} "
                f"GROUP BY ad.id, ad.district_id, ad.{column}, ins.lineage, ad.week) per_admin "
                f"GROUP BY district_id, scope_id, lineage, week",
                [scope, *params, *narrow_params],
            )


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
    # A few dozen answers read through the (administration, item, option) index: about a millisecond.
    counts = dict(
        Answer.objects.filter(administration=administration, option__isnull=False)
        .values("option_id")
        .annotate(n=Count("id"))
        .values_list("option_id", "n")
    )
    item_rows = {s.item_id: s for s in ItemSummary.objects.filter(administration=administration)}
    items = []
    for item in administration.instrument.items.order_by("order").prefetch_related("options"):
        if item.kind == ItemKind.TEXT:
            continue
        row = item_rows.get(item.pk)
        answered = row.n_answered if row else 0
        suppressed = answered < min_n
        options = ()
        # Raw answers past the district's retention are deleted, summaries stay: then the item keeps
        # its productive share from the summary and shows no option breakdown (not a row of zeros).
        if not suppressed and counts:
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
class TextAnswers:
    prompt: str
    answers: tuple[str, ...]  # sorted, not in the order sent: the order could tell who wrote what

    def grouped(self) -> list[tuple[str, int]]:
        """Each distinct answer once, with how many gave it (ignoring case and spacing)."""
        counts: dict[str, list] = {}
        for answer in self.answers:
            key = " ".join(answer.split()).casefold()
            counts.setdefault(key, [answer, 0])[1] += 1
        return [(text, n) for text, n in counts.values()]


def text_answers(administration: Administration, *, language: str = "en") -> tuple[TextAnswers, ...]:
    """Adults' written answers, only once the group reaches the district's minimum size (else none)."""
    min_n = administration.district.min_group_size
    summary = AdministrationSummary.objects.filter(administration=administration).first()
    if summary is None or summary.n_responses < min_n:
        return ()
    found: dict[int, list[str]] = {}
    for item_id, text in (
        Answer.objects.filter(administration=administration).exclude(text="").values_list("item_id", "text")
    ):
        found.setdefault(item_id, []).append(text.strip())
    return tuple(
        TextAnswers(item.prompt(language), tuple(sorted(found.get(item.pk, []), key=str.casefold)))
        for item in administration.instrument.items.filter(kind=ItemKind.TEXT).order_by("order")
    )


@dataclass(frozen=True)
class SeriesPoint:
    week: date
    n_responses: int
    n_answered: int
    n_productive: int
    suppressed: bool
    reason: str = ""  # why a suppressed point is withheld (measures.publication)

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
    """A weekly series of productive shares with its run-chart analysis (1 query).

    A classroom's item series is summed from its surveys' item summaries (no trend point is stored
    for it); every other series is read from its trend points."""
    if scope == Scope.CLASSROOM and item_order != INDEX:
        rows = classroom_item_points(
            classroom_id=scope_id, lineage=lineage, item_order=item_order, since=since, until=until
        )
    else:
        qs = TrendPoint.objects.filter(scope=scope, scope_id=scope_id, lineage=lineage, item_order=item_order)
        if since:
            qs = qs.filter(week__gte=since)
        if until:
            qs = qs.filter(week__lte=until)
        rows = qs.order_by("week")
    return series_of((_series_point(r, min_n) for r in rows), min_n=min_n)


def scope_series(
    *,
    scope: str,
    scope_id: int,
    lineage,
    item_orders: Sequence[int] | None,
    min_n: int,
    since: date | None = None,
    until: date | None = None,
) -> dict[int, Series]:
    """`trend_series` of several items (or the index; None: all that have points) of one school or
    district, from one query (a dashboard shows the index and every item; `publication.trends`)."""
    if scope == Scope.CLASSROOM:
        raise ValueError("a classroom's item series are summed from its surveys: classroom_item_series")
    qs = TrendPoint.objects.filter(scope=scope, scope_id=scope_id, lineage=lineage)
    if item_orders is not None:
        qs = qs.filter(item_order__in=list(item_orders))
    if since:
        qs = qs.filter(week__gte=since)
    if until:
        qs = qs.filter(week__lte=until)
    rows: dict[int, list] = {order: [] for order in item_orders or ()}
    for row in qs.order_by("item_order", "week"):
        rows.setdefault(row.item_order, []).append(_series_point(row, min_n))
    return {order: series_of(points, min_n=min_n) for order, points in rows.items()}


def classroom_item_series(
    *,
    classroom_id: int,
    lineage,
    min_n: int,
    item_orders: Sequence[int],
    since: date | None = None,
    until: date | None = None,
) -> dict[int, Series]:
    """Several item series of one classroom from one query (the classroom page's small multiples):
    `trend_series` of each item, without a query and its planning per item."""
    rows: dict[int, list] = {order: [] for order in item_orders}
    for row in classroom_item_points(classroom_id=classroom_id, lineage=lineage, since=since, until=until):
        if row.item_order in rows:
            rows[row.item_order].append(_series_point(row, min_n))
    return {order: series_of(points, min_n=min_n) for order, points in rows.items()}


def _series_point(row, min_n: int) -> SeriesPoint:
    few = row.n_responses < min_n
    return SeriesPoint(
        week=row.week,
        n_responses=row.n_responses,
        n_answered=row.n_answered,
        n_productive=row.n_productive,
        suppressed=few,
        reason=gettext("fewer than %(n)s responses") % {"n": min_n} if few else "",
    )


@dataclass(frozen=True)
class ItemWeek:
    """One classroom's sums for one item of an instrument lineage in one week."""

    lineage: UUID
    item_order: int
    week: date
    n_responses: int
    n_answered: int
    n_productive: int


def classroom_item_points(
    *,
    classroom_id: int,
    lineage=None,
    item_order: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[ItemWeek]:
    """A classroom's weekly sums per item, from its surveys' item summaries (1 query), ordered by
    lineage, item and week.

    The same units and the same sums as the roll-ups' trend points (`_publishable_units`): a survey
    below the district's minimum group size counts in no week, nor an item answered by fewer. Who
    may see the classroom is the caller's question (measures.publication)."""
    order = connection.ops.quote_name("order")
    where, params = " AND ad.classroom_id = %s", [classroom_id]
    if lineage is not None:
        where += " AND ins.lineage = %s"
        params.append(Instrument._meta.get_field("lineage").get_db_prep_value(lineage, connection))
    if item_order is not None:
        where += f" AND it.{order} = %s"
        params.append(item_order)
    for bound, op in ((since, ">="), (until, "<=")):
        if bound is not None:
            where += f" AND ad.week {op} %s"
            params.append(connection.ops.adapt_datefield_value(bound))
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT ins.lineage, it.{order}, ad.week, SUM(asum.n_responses), SUM(s.n_answered), "
            f"SUM(s.n_productive) {_publishable_units(where)} "
            f"GROUP BY ins.lineage, it.{order}, ad.week ORDER BY ins.lineage, it.{order}, ad.week",
            params,
        )
        rows = cur.fetchall()
    # Raw rows: SQLite gives the uuid and the date as text.
    as_uuid, as_date = Instrument._meta.get_field("lineage").to_python, Administration._meta.get_field("week").to_python
    return [
        ItemWeek(as_uuid(lin), int(item), as_date(week), int(n), int(answered), int(productive))
        for lin, item, week, n, answered, productive in rows
    ]


def series_of(points: Sequence[SeriesPoint], *, min_n: int) -> Series:
    points = tuple(points)
    return Series(points=points, analysis=runcharts.analyze([p.value for p in points]), min_n=min_n)


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
