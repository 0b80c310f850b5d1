#!/usr/bin/env python
"""Performance figures for practical measures, each printed beside its target (see bench/README.md).

    .venv/bin/python bench/measures.py [--answers 1000000] [--keep-db] [--duration 10] [--profile]

Builds a large district (and a small one) on a dedicated PostgreSQL database, then measures:
  1. survey flows/s (GET /s/<code> + POST) vs. a bare Django view's requests/s, gunicorn 2 sync workers, wrk;
  2. measures.aggregation.rebuild_all() vs. the raw SQL GROUP BY, and the rebuild's peak RSS;
  3. refresh_administrations() after 1,000 new responses in 40 open surveys vs. the full rebuild;
  4. the district and school dashboards' median times and SQL query counts, large district vs. small district.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
# This file is called measures.py: with bench/ first on sys.path it would shadow the measures app.
sys.path[:] = [p for p in sys.path if Path(p or os.getcwd()).resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

VENV_BIN = Path(sys.executable).parent
DB_NAME = os.environ.get("BENCH_DB_NAME", "pdcycles_bench")
PG_BASE = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS_BASE = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
# A database of its own (override with BENCH_REDIS_DB), so purging after the run touches nobody else's keys.
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "15"))
QUEUE = "pdcycles_bench"  # Celery queue the bench publishes to (no worker consumes it; purged after)

BIG_SLUG, SMALL_SLUG = "bench-big", "bench-small"
BIG_SCHOOLS, ROOMS_PER_SCHOOL = 10, 20  # 200 classrooms -> 200 open surveys this week
MAX_WEEKS = 40
SMALL_ANSWERS = 1_000
DATA_LAYOUT = 2  # bump when build_data changes shape, so --keep-db rebuilds an older database
REFRESH_RESPONSES, REFRESH_ADMINS = 1_000, 40
# Issue 14: half the stack's ceiling for a flow (one read + one one-insert request ≈ 0.30× a bare view).
FLOW_TARGET = 0.15


def bench_env() -> dict[str, str]:
    """Production-like settings: DEBUG off, Redis broker/cache, PostgreSQL with kept connections."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{PG_BASE}/{DB_NAME}",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "STATIC_MANIFEST": "0",
        "REDIS_URL": f"{REDIS_BASE}/{REDIS_DB}",
        "CELERY_TASK_DEFAULT_QUEUE": QUEUE,
        "SURVEY_RATE_LIMIT_PER_MINUTE": "100000000",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


os.environ.update(bench_env())


_T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - _T0:6.1f} s] {msg}", file=sys.stderr, flush=True)


def median(values):
    return statistics.median(values)


# =============================================================================================
# Database
# =============================================================================================


def ensure_database(keep: bool) -> bool:
    """Create the bench database (dropping it first unless --keep-db). Returns True if it existed."""
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone() is not None
        if exists and not keep:
            log(f"dropping database {DB_NAME}")
            conn.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = False
        if not exists:
            log(f"creating database {DB_NAME}")
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return exists


def django_setup() -> None:
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrate: {time.perf_counter() - t:.1f} s")


def _meta_get() -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        cur.execute("SELECT key, value FROM bench_meta")
        return {k: json.loads(v) for k, v in cur.fetchall()}


def _meta_set(**values) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text NOT NULL)")
        for key, value in values.items():
            cur.execute(
                "INSERT INTO bench_meta (key, value) VALUES (%s, %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, json.dumps(value)],
            )


# =============================================================================================
# Data
# =============================================================================================


def _starter_items():
    """(item_id, productive option ids, other option ids) of the starter whole-class instrument."""
    from measures.models import Instrument, InstrumentKind

    instrument = (
        Instrument.objects.filter(district=None, kind=InstrumentKind.WHOLE_CLASS, is_current=True)
        .order_by("-version")
        .first()
    )
    if instrument is None:
        raise SystemExit("The starter whole-class instrument is missing (did migrate run?)")
    items = []
    for item in instrument.items.order_by("order").prefetch_related("options"):
        options = list(item.options.all())
        good = [o.pk for o in options if o.productive]
        bad = [o.pk for o in options if not o.productive]
        if not good or not bad or item.kind in ("multiple", "text"):
            raise SystemExit(f"bench expects single-answer items with productive options; item {item.pk} is not")
        items.append((item.pk, good, bad))
    return instrument, items


def _shape(answers: int, n_items: int, classrooms: int, max_weeks: int, per_admin: int = 25) -> tuple[int, int]:
    """(weeks, responses per administration) so that classrooms × weeks × responses × items ≈ answers."""
    weeks = max(1, min(max_weeks, round(answers / (classrooms * per_admin * n_items))))
    per_admin = max(1, round(answers / (classrooms * weeks * n_items)))
    return weeks, per_admin


def build_data(answers_target: int) -> dict:
    """Two districts: ~answers_target answers (200 classrooms) and ~1,000 answers (2 classrooms)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from districts.models import Classroom, District, Membership, Role, School, User
    from measures import services
    from measures.models import Administration, Answer, Response

    t0 = time.perf_counter()
    rng = random.Random(20260101)
    instrument, items = _starter_items()
    n_items = len(items)
    password = make_password("bench-pass-word-123")
    now = timezone.now()
    today = timezone.localdate(now)
    monday = today - dt.timedelta(days=today.weekday())
    monday_start = timezone.make_aware(dt.datetime.combine(monday, dt.time(0, 0)))

    def district(slug, name, n_schools, rooms_per_school, min_n=10):
        d = District.objects.create(name=name, slug=slug, min_group_size=min_n)
        year = d.current_school_year()
        leader = User.objects.create(email=f"leader@{slug}.bench", full_name=f"Leader {name}", password=password)
        Membership.objects.create(user=leader, district=d, role=Role.DISTRICT_LEADER)
        schools = School.objects.bulk_create(
            [School(district=d, name=f"{name} School {s + 1:02d}") for s in range(n_schools)]
        )
        n_teachers = max(1, n_schools * rooms_per_school // 2)  # two class periods per teacher
        teachers = User.objects.bulk_create(
            [
                User(
                    email=f"teacher{t + 1:03d}@{slug}.bench", full_name=f"Teacher {t + 1:03d} {name}", password=password
                )
                for t in range(n_teachers)
            ]
        )
        rooms = []
        for s, school in enumerate(schools):
            for r in range(rooms_per_school):
                teacher = teachers[(s * rooms_per_school + r) // 2 % n_teachers]
                rooms.append(
                    Classroom(
                        school=school,
                        teacher=teacher,
                        name=f"Math {6 + r % 3}",
                        grade=str(6 + r % 3),
                        period=str(1 + r % 7),
                        school_year=year,
                        share_with_principal=r % 2 == 0,
                        share_with_leaders=r % 2 == 0,
                    )
                )
        rooms = Classroom.objects.bulk_create(rooms)
        Membership.objects.bulk_create(
            {
                (room.teacher_id, room.school_id): Membership(
                    user_id=room.teacher_id, district=d, school_id=room.school_id, role=Role.TEACHER
                )
                for room in rooms
            }.values()
        )
        return d, rooms

    def administrations(d, rooms, weeks, first_week, open_current):
        """One administration per classroom per week; the current week's are open when open_current."""
        rows, open_codes = [], set()
        for room in rooms:
            for w in range(first_week, first_week + weeks):
                week = monday - dt.timedelta(weeks=w)
                if w == 0 and open_current:
                    earliest = max(monday_start, now - dt.timedelta(minutes=20))
                    opened = earliest + (now - earliest) * rng.random() * 0.5
                    code = services.new_join_code()
                    while code in open_codes:
                        code = services.new_join_code()
                    open_codes.add(code)
                    closed, closes = None, now + dt.timedelta(days=2)
                else:
                    day = week + dt.timedelta(days=rng.randrange(5))
                    start = dt.time(8 + rng.randrange(7), rng.choice((0, 15, 30, 45)))
                    opened = timezone.make_aware(dt.datetime.combine(day, start))
                    if opened > now:  # later this week: it has not happened yet, so it opened earlier
                        opened = monday_start + (now - monday_start) * rng.random()
                    code = services.new_join_code()
                    closed = closes = opened + dt.timedelta(minutes=15)
                rows.append(
                    Administration(
                        district=d,
                        school_id=room.school_id,
                        classroom=room,
                        instrument=instrument,
                        code=code,
                        opened_by_id=room.teacher_id,
                        opened_at=opened,
                        week=services.week_of(opened),
                        closes_at=closes,
                        closed_at=closed,
                    )
                )
        return Administration.objects.bulk_create(rows, batch_size=2000)

    big_weeks, big_per = _shape(answers_target, n_items, BIG_SCHOOLS * ROOMS_PER_SCHOOL, MAX_WEEKS)
    # The small district spans the same weeks (same chart points and table rows), so figure 4 compares
    # answer volume, not the length of the series: one classroom, a few responses a week, shown at the
    # smallest allowed group size (5) rather than withheld.
    small_weeks = big_weeks
    small_per = max(1, round(SMALL_ANSWERS / (small_weeks * n_items)))
    with transaction.atomic():
        big, big_rooms = district(BIG_SLUG, "Bench Big", BIG_SCHOOLS, ROOMS_PER_SCHOOL)
        small, small_rooms = district(SMALL_SLUG, "Bench Small", 1, 1, min_n=min(10, max(5, small_per)))
        big_admins = administrations(big, big_rooms, big_weeks, 0, open_current=True)
        small_admins = administrations(small, small_rooms, small_weeks, 0, open_current=False)
    log(
        f"districts, classrooms, {len(big_admins) + len(small_admins)} administrations: "
        f"{time.perf_counter() - t0:.1f} s"
    )

    # Productive shares: each classroom starts at 30–55 % and improves by 0–25 points over the year;
    # items differ by up to ±10 points.
    room_base = {room.pk: (rng.uniform(0.30, 0.55), rng.uniform(0.0, 0.25)) for room in big_rooms + small_rooms}
    item_offset = [rng.uniform(-0.10, 0.10) for _ in items]
    all_admins = [(a, big_weeks) for a in big_admins] + [(a, small_weeks) for a in small_admins]
    per_of = {big.pk: big_per, small.pk: small_per}

    t1 = time.perf_counter()
    resp_t, ans_t = Response._meta.db_table, Answer._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {resp_t}")
        next_resp = cur.fetchone()[0] + 1
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ans_t}")
        next_ans = cur.fetchone()[0] + 1
    resp_lines, ans_lines = [], []
    n_resp = n_ans = 0

    def flush(cur, force=False):
        nonlocal resp_lines, ans_lines
        if resp_lines and (force or len(ans_lines) >= 200_000):
            with cur.cursor.copy(
                f"COPY {resp_t} (id, administration_id, token, fingerprint, language, submitted_at) FROM STDIN"
            ) as copy:
                copy.write("".join(resp_lines))
            with cur.cursor.copy(
                f"COPY {ans_t} (id, administration_id, response_id, item_id, option_id, text) FROM STDIN"
            ) as copy:
                copy.write("".join(ans_lines))
            resp_lines, ans_lines = [], []

    with transaction.atomic(), connection.cursor() as cur:
        # Rows are consistent by construction: skip the per-row foreign-key triggers while loading.
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL synchronous_commit = off")
        for admin, span in all_admins:
            base, gain = room_base[admin.classroom_id]
            weeks_ago = (monday - admin.week).days // 7
            progress = 1 - weeks_ago / max(1, span - 1)
            p = base + gain * progress
            end = admin.closed_at or now
            window = (end - admin.opened_at).total_seconds()
            for _ in range(per_of[admin.district_id]):
                rid = next_resp
                next_resp += 1
                choices = {}
                for (item_id, good, bad), off in zip(items, item_offset, strict=True):
                    option = rng.choice(good) if rng.random() < p + off else rng.choice(bad)
                    choices[item_id] = (option,)
                    ans_lines.append(f"{next_ans}\t{admin.pk}\t{rid}\t{item_id}\t{option}\t\n")
                    next_ans += 1
                fingerprint = services.ParsedAnswers(choices, {}).fingerprint()
                submitted = admin.opened_at + dt.timedelta(seconds=window * rng.random())
                lang = "es" if rng.random() < 0.2 else "en"
                resp_lines.append(
                    f"{rid}\t{admin.pk}\t{admin.pk}.bench{rid}\t{fingerprint}\t{lang}\t{submitted.isoformat()}\n"
                )
                n_resp += 1
                n_ans += n_items
            flush(cur)
        flush(cur, force=True)
        for table in (resp_t, ans_t):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    log(f"COPY {n_resp:,} responses and {n_ans:,} answers: {time.perf_counter() - t1:.1f} s")
    t2 = time.perf_counter()
    vacuum_analyze()
    log(f"VACUUM ANALYZE: {time.perf_counter() - t2:.1f} s")
    info = {
        "answers_target": answers_target,
        "layout": DATA_LAYOUT,
        "big_district": big.pk,
        "small_district": small.pk,
        "big_leader": f"leader@{BIG_SLUG}.bench",
        "small_leader": f"leader@{SMALL_SLUG}.bench",
        "big_shape": [len(big_rooms), big_weeks, big_per, n_items],
        "small_shape": [len(small_rooms), small_weeks, small_per, n_items],
        "built_at": now.isoformat(),
        "build_seconds": round(time.perf_counter() - t0, 1),
    }
    _meta_set(**info)
    log(f"data built in {info['build_seconds']} s")
    return info


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:  # autocommit outside atomic(): VACUUM may run
        cur.execute("VACUUM ANALYZE")


def vacuum_summaries() -> None:
    from django.db import connection

    with connection.cursor() as cur:  # autocommit outside atomic(): VACUUM may run
        cur.execute("VACUUM ANALYZE measures_itemsummary, measures_administrationsummary, measures_trendpoint")


def reopen_current_surveys(info: dict) -> list[tuple[int, str]]:
    """The big district's open surveys, kept open for this run: [(administration id, code)]."""
    from django.utils import timezone

    from measures.models import Administration

    open_qs = Administration.objects.filter(district_id=info["big_district"], closed_at__isnull=True)
    open_qs.update(closes_at=timezone.now() + dt.timedelta(days=2))
    return list(open_qs.order_by("pk").values_list("pk", "code"))


def answer_counts(district_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM measures_answer a JOIN measures_administration m ON m.id = a.administration_id "
            "WHERE m.district_id = %s",
            [district_id],
        )
        return cur.fetchone()[0]


def count_responses_after(response_id: int) -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM measures_response WHERE id > %s", [response_id])
        return cur.fetchone()[0]


def delete_responses_after(response_id: int) -> int:
    """Remove responses (and their answers) the bench added during a figure, so runs stay comparable.

    Then vacuum both tables (0.2 s): the deleted rows' index entries stay until a vacuum, all in
    the same 40 surveys' stretch of the answers' index, and each run would add 5,000 more that the
    next refreshes read and check one by one. Autovacuum only comes once a fifth of the table is
    dead: after 40 kept-database runs figure 3's recount of those surveys read 28,000 index
    entries for 10,000 answers and took twice as long (8.7 → 18.8 ms).
    """
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM measures_answer WHERE response_id > %s", [response_id])
        cur.execute("DELETE FROM measures_response WHERE id > %s", [response_id])
        deleted = cur.rowcount
    with connection.cursor() as cur:  # autocommit outside atomic(): VACUUM may run
        cur.execute("VACUUM measures_answer, measures_response")
    return deleted


def max_response_id() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM measures_response")
        return cur.fetchone()[0]


def purge_redis() -> int:
    """Drop the bench queue's pending refresh tasks, rate-limit counters, refresh debounce marks and
    cached join codes (in the bench's own Redis database only). Returns how many tasks were queued."""
    import redis

    r = redis.Redis.from_url(f"{REDIS_BASE}/{REDIS_DB}")
    pending = sum(r.llen(key) for key in r.scan_iter(match=f"{QUEUE}*", count=1000) if r.type(key) == b"list")
    keys = [
        *r.scan_iter(match=f"{QUEUE}*", count=1000),
        *r.scan_iter(match="*rl:*", count=1000),
        *r.scan_iter(match="*refresh-pending*", count=1000),
        *r.scan_iter(match="*survey:open:*", count=1000),  # cached join codes (reopening sends no signal)
    ]
    if keys:
        r.delete(*keys)
    return pending


# =============================================================================================
# 1. Survey flows vs. bare view (gunicorn + wrk)
# =============================================================================================

WRK_COMMON = r"""
local threads = {}
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  table.insert(threads, thread)
end

function emit(summary, latency, extra)
  local parts = {}
  for k, v in pairs(extra) do table.insert(parts, string.format('"%s": %d', k, v)) end
  table.insert(parts, string.format('"requests": %d', summary.requests))
  table.insert(parts, string.format('"duration_us": %d', summary.duration))
  table.insert(parts, string.format('"non2xx3xx": %d', summary.errors.status))
  table.insert(parts, string.format('"sock_errors": %d',
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  table.insert(parts, string.format('"p50_us": %d', latency:percentile(50)))
  table.insert(parts, string.format('"p99_us": %d', latency:percentile(99)))
  io.write("BENCHJSON {" .. table.concat(parts, ", ") .. "}\n")
end
"""

WRK_BARE = (
    WRK_COMMON
    + r"""
function done(summary, latency, requests)
  emit(summary, latency, {})
end
"""
)

WRK_FLOW = (
    WRK_COMMON
    + r"""
-- One flow = GET /s/<code> (200, a fresh signed token in the form) + POST the answers (303).
-- A thread's connections share one queue of (code, token) pairs; the token names its administration.
local codes = {CODES}            -- administration id -> join code
local code_list = {CODE_LIST}
local bodies = {BODIES}          -- answer sets: "i<item>=<option>&..."
local get_headers = {["Accept-Language"] = "en-US,en;q=0.9"}
local post_headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Accept-Language"] = "en-US,en;q=0.9"}
EXTRA_HEADERS
local queue, qhead, qtail = {}, 1, 0
local n = 0
get_ok, post_ok, other, missing_token = 0, 0, 0, 0
statuses = ""

function init(args)
  math.randomseed(tid * 7919 + os.time())
  n = math.random(#code_list)
end

function request()
  if qhead <= qtail then
    local item = queue[qhead]
    queue[qhead] = nil
    qhead = qhead + 1
    return wrk.format("POST", item[1], post_headers, item[2])
  end
  n = n + 1
  return wrk.format("GET", "/s/" .. code_list[(n % #code_list) + 1] .. "?lang=en", get_headers)
end

function response(status, headers, body)
  if status == 200 then
    local token = body and string.match(body, 'name="token" value="([^"]+)"')
    if token then
      local aid = tonumber(string.match(token, "^(%d+)%."))
      qtail = qtail + 1
      queue[qtail] = {"/s/" .. codes[aid] .. "?lang=en",
                      "token=" .. token .. "&lang=en&" .. bodies[math.random(#bodies)] .. EXTRA_BODY}
      get_ok = get_ok + 1
    else
      missing_token = missing_token + 1
    end
  elseif status == 303 then
    post_ok = post_ok + 1
  else
    other = other + 1
    if #statuses < 200 then statuses = statuses .. status .. " " end
  end
end

function done(summary, latency, requests)
  local t = {get_ok = 0, post_ok = 0, other = 0, missing_token = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
    local s = thread:get("statuses")
    if s and #s > 0 then io.write("BENCHSTATUSES " .. s .. "\n") end
  end
  emit(summary, latency, t)
end
"""
)


def _lua_flow_script(open_surveys, bodies, csrf: bool) -> str:
    codes = ", ".join(f'[{pk}] = "{code}"' for pk, code in open_surveys)
    code_list = ", ".join(f'"{code}"' for _, code in open_surveys)
    body_list = ", ".join(f'"{b}"' for b in bodies)
    extra_headers, extra_body = "", '""'
    if csrf:
        # Stand-in for a {% csrf_token %} in the survey form (see the report): a cookie and the same secret.
        secret = "BenchCsrfSecret0123456789abcdefg"
        extra_headers = f'get_headers["Cookie"] = "csrftoken={secret}"\npost_headers["Cookie"] = "csrftoken={secret}"'
        extra_body = f'"&csrfmiddlewaretoken={secret}"'
    return (
        WRK_FLOW.replace("{CODES}", "{" + codes + "}")
        .replace("{CODE_LIST}", "{" + code_list + "}")
        .replace("{BODIES}", "{" + body_list + "}")
        .replace("EXTRA_HEADERS", extra_headers)
        .replace("EXTRA_BODY", extra_body)
    )


def _answer_bodies(items, rng, n=16) -> list[str]:
    bodies = []
    for _ in range(n):
        p = rng.uniform(0.3, 0.8)
        parts = [
            f"i{item_id}={rng.choice(good) if rng.random() < p else rng.choice(bad)}" for item_id, good, bad in items
        ]
        bodies.append("&".join(parts))
    return bodies


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(url, data=None, headers=None, timeout=10):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, data=data.encode() if data else None, headers=headers or {})
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


class Gunicorn:
    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "gunicorn.log"
        self.proc = None

    def __enter__(self):
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "bench.wsgi:application",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **bench_env()},
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                if _http(self.base + "/bench/bare/", timeout=2)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer; see {self.log_path}")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM to the master we started; it stops its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


def _wrk(url: str, script: Path, duration: int, threads=2, connections=16) -> dict:
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data = json.loads(next(line for line in out.splitlines() if line.startswith("BENCHJSON "))[10:])
    data["statuses"] = " ".join(line[14:] for line in out.splitlines() if line.startswith("BENCHSTATUSES "))
    data["seconds"] = data["duration_us"] / 1e6
    return data


def one_flow(base: str, code: str, items, csrf: bool) -> dict:
    """A single student flow with urllib, to check it works before loading it."""
    headers = {"Accept-Language": "en-US"}
    if csrf:
        headers["Cookie"] = "csrftoken=BenchCsrfSecret0123456789abcdefg"
    status, _, body = _http(f"{base}/s/{code}?lang=en", headers=headers)
    import re

    match = re.search(r'name="token" value="([^"]+)"', body)
    if status != 200 or not match:
        return {"get": status, "post": None, "detail": body[:300]}
    data = f"token={match.group(1)}&lang=en&" + "&".join(f"i{item_id}={good[0]}" for item_id, good, _ in items)
    if csrf:
        data += "&csrfmiddlewaretoken=BenchCsrfSecret0123456789abcdefg"
    status2, hdrs, body2 = _http(
        f"{base}/s/{code}?lang=en",
        data=data,
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    detail = ""
    if status2 != 303:
        import html as _html
        import re as _re

        text = _re.sub(r"<[^>]+>", " ", body2)
        detail = " ".join(_html.unescape(text).split())[:300]
    return {"get": status, "post": status2, "location": hdrs.get("Location"), "detail": detail}


def figure_flows(info: dict, open_surveys, workdir: Path, duration: int, repeats: int) -> dict:
    rng = random.Random(7)
    _, items = _starter_items()
    bare_script = workdir / "bare.lua"
    bare_script.write_text(WRK_BARE)
    before = max_response_id()
    result = {"csrf_workaround": False}
    try:
        with Gunicorn(workdir) as server:
            check = one_flow(server.base, open_surveys[0][1], items, csrf=False)
            result["plain_flow_check"] = check
            if check["post"] != 303:
                log(f"a plain survey POST did not succeed: {check}")
                check2 = one_flow(server.base, open_surveys[1][1], items, csrf=True)
                result["csrf_flow_check"] = check2
                if check2["post"] == 303:
                    log("with a CSRF cookie + csrfmiddlewaretoken it succeeds: measuring flows that way")
                    result["csrf_workaround"] = True
                else:
                    raise RuntimeError(f"survey flow fails even with a CSRF token: {check2}")
            flow_script = workdir / "flow.lua"
            flow_script.write_text(
                _lua_flow_script(open_surveys, _answer_bodies(items, rng), result["csrf_workaround"])
            )
            log("warming up gunicorn (2 s bare, 2 s flows)")
            _wrk(server.base + "/bench/bare/", bare_script, 2)
            _wrk(server.base + "/", flow_script, 2)
            bares, flows = [], []
            for i in range(repeats):
                b = _wrk(server.base + "/bench/bare/", bare_script, duration)
                bares.append(b)
                f = _wrk(server.base + "/", flow_script, duration)
                flows.append(f)
                log(
                    f"run {i + 1}: bare {b['requests'] / b['seconds']:.0f} req/s (non-2xx {b['non2xx3xx']}); "
                    f"flows {f['post_ok'] / f['seconds']:.0f}/s (GET ok {f['get_ok']}, POST 303 {f['post_ok']}, "
                    f"other {f['other']} {f['statuses'][:60]}, no token {f['missing_token']})"
                )
    finally:
        added = count_responses_after(before)
        delete_responses_after(before)
        pending = purge_redis()
        log(f"flows saved {added:,} responses (now removed); purged {pending:,} queued refresh tasks")
    result["tasks_queued"] = pending
    result["bare_rps"] = median([b["requests"] / b["seconds"] for b in bares])
    result["bare_p50_ms"] = median([b["p50_us"] for b in bares]) / 1000
    result["flow_fps"] = median([f["post_ok"] / f["seconds"] for f in flows])
    result["flow_rps"] = median([f["requests"] / f["seconds"] for f in flows])
    result["flow_p50_ms"] = median([f["p50_us"] for f in flows]) / 1000
    result["flow_failures"] = sum(f["other"] + f["missing_token"] for f in flows)
    result["responses_saved"] = added
    result["runs"] = {"bare": bares, "flows": flows}
    return result


@contextlib.contextmanager
def _redis_round_trips():
    """Every command (or pipeline) this process sends to Redis in the block, cache and broker alike."""
    import redis.connection

    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(1)
        return original(self, command, check_health)

    redis.connection.AbstractConnection.send_packed_command = counting
    try:
        yield sent
    finally:
        redis.connection.AbstractConnection.send_packed_command = original


def flows_in_process(open_surveys, n=60) -> dict:
    """The same flow through Django's test client (no gunicorn, no wrk): where a flow's time goes."""
    import re
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    _, items = _starter_items()
    client = Client()
    before = max_response_id()
    FORM = "application/x-www-form-urlencoded"  # as a browser (and wrk) sends it, not the test client's multipart

    def form(token):
        return urlencode({"token": token, "lang": "en", **{f"i{item_id}": good[0] for item_id, good, _ in items}})

    def flow(code):
        t0 = time.perf_counter()
        page = client.get(f"/s/{code}?lang=en")
        t1 = time.perf_counter()
        token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        sent = client.post(f"/s/{code}?lang=en", form(token), content_type=FORM)
        t2 = time.perf_counter()
        assert page.status_code == 200 and sent.status_code == 303, (page.status_code, sent.status_code)
        return t1 - t0, t2 - t1

    try:
        codes = [code for _, code in open_surveys]
        for code in codes[:10]:
            flow(code)
        times = [flow(codes[i % len(codes)]) for i in range(n)]
        bare = []
        for _ in range(200):
            t = time.perf_counter()
            client.get("/bench/bare/")
            bare.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as get_q, _redis_round_trips() as get_r:
            page = client.get(f"/s/{codes[0]}?lang=en")
        token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        with CaptureQueriesContext(connection) as post_q, _redis_round_trips() as post_r:
            client.post(f"/s/{codes[0]}?lang=en", form(token), content_type=FORM)
    finally:
        delete_responses_after(before)
        purge_redis()
    return {
        "get_ms": median([t[0] for t in times]) * 1000,
        "post_ms": median([t[1] for t in times]) * 1000,
        "bare_ms": median(bare) * 1000,
        "get_queries": len(get_q.captured_queries),
        "post_queries": len(post_q.captured_queries),
        "get_redis": len(get_r),
        "post_redis": len(post_r),
    }


def single_refresh_ms(open_surveys, n=15) -> float:
    """What the Celery task queued by every submitted response costs: one administration's refresh,
    as a running worker does it (its kept connection has run the statements more than the 5 times
    after which psycopg prepares them; the first 5 cost ~3 ms more each, planning)."""
    from measures import aggregation

    ids = [pk for pk, _ in open_surveys[: n + 6]]
    for pk in ids[n:]:  # the worker's earlier tasks
        aggregation.refresh_administrations([pk])
    ids = ids[:n]
    times = []
    for pk in ids:
        t = time.perf_counter()
        aggregation.refresh_administrations([pk])
        times.append(time.perf_counter() - t)
    return median(times) * 1000


# =============================================================================================
# 2. Full rebuild vs. raw GROUP BY, peak RSS
# =============================================================================================


def raw_group_by_seconds() -> float:
    from django.db import connection

    with connection.cursor() as cur:
        t = time.perf_counter()
        cur.execute(
            "SELECT administration_id, item_id, option_id, COUNT(*) FROM measures_answer "
            "WHERE option_id IS NOT NULL GROUP BY administration_id, item_id, option_id"
        )
        rows = cur.fetchall()
        elapsed = time.perf_counter() - t
    assert rows
    return elapsed


def child_rebuild(profile_path: str | None) -> None:
    """Runs in a fresh interpreter: time rebuild_all() and report this process's peak RSS."""
    django_setup()
    from django.db import connection

    from measures import aggregation

    connection.ensure_connection()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    if profile_path:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(aggregation.rebuild_all)
        elapsed = time.perf_counter() - t
        with open(profile_path, "w") as fh:
            pstats.Stats(prof, stream=fh).sort_stats("cumulative").print_stats(30)
    else:
        aggregation.rebuild_all()
        elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "maxrss_kb": peak, "rss_before_kb": rss_before}))


def run_child_rebuild(profile_path: str | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "rebuild"]
    if profile_path:
        cmd += ["--profile-out", profile_path]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **bench_env()})
    if out.returncode != 0:
        raise RuntimeError(f"rebuild child failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def figure_rebuild(repeats: int, profile_dir: Path | None) -> dict:
    raws, rebuilds = [], []
    for i in range(repeats):
        raws.append(raw_group_by_seconds())
        rebuilds.append(run_child_rebuild())
        log(
            f"run {i + 1}: raw GROUP BY {raws[-1]:.2f} s; rebuild_all {rebuilds[-1]['seconds']:.2f} s, "
            f"peak RSS {rebuilds[-1]['maxrss_kb'] / 1024:.0f} MB "
            f"(after imports {rebuilds[-1]['rss_before_kb'] / 1024:.0f} MB)"
        )
    if profile_dir:
        run_child_rebuild(str(profile_dir / "rebuild_all.prof.txt"))
    return {
        "raw_s": median(raws),
        "rebuild_s": median([r["seconds"] for r in rebuilds]),
        "peak_rss_mb": max(r["maxrss_kb"] for r in rebuilds) / 1024,
        "base_rss_mb": median([r["rss_before_kb"] for r in rebuilds]) / 1024,
    }


# =============================================================================================
# 3. Incremental refresh
# =============================================================================================


def figure_refresh(info: dict, open_surveys, repeats: int, profile_dir: Path | None) -> dict:
    from measures import aggregation, services
    from measures.models import Administration

    rng = random.Random(11)
    _, items = _starter_items()
    chosen_ids = sorted(rng.sample([pk for pk, _ in open_surveys], min(REFRESH_ADMINS, len(open_surveys))))
    admins = list(Administration.objects.filter(pk__in=chosen_ids))
    before = max_response_id()
    t = time.perf_counter()
    try:
        for i in range(REFRESH_RESPONSES):
            admin = admins[i % len(admins)]
            token = services.read_submission_token(services.make_submission_token(admin), admin)
            p = rng.uniform(0.3, 0.8)
            choices = {
                item_id: (rng.choice(good) if rng.random() < p else rng.choice(bad),) for item_id, good, bad in items
            }
            services.response_submit(administration=admin, token=token, answers=services.ParsedAnswers(choices, {}))
        log(
            f"submitted {REFRESH_RESPONSES:,} responses to {len(admins)} open surveys "
            f"in {time.perf_counter() - t:.1f} s"
        )
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            aggregation.refresh_administrations(chosen_ids)
            times.append(time.perf_counter() - t)
        log("refresh_administrations: " + ", ".join(f"{x * 1000:.0f} ms" for x in times))
        if profile_dir:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(aggregation.refresh_administrations, chosen_ids)
            with open(profile_dir / "refresh.prof.txt", "w") as fh:
                pstats.Stats(prof, stream=fh).sort_stats("cumulative").print_stats(30)
    finally:
        delete_responses_after(before)
        aggregation.refresh_administrations(chosen_ids)
        purge_redis()
    return {"refresh_s": median(times), "admins": len(chosen_ids)}


# =============================================================================================
# 4. District dashboard
# =============================================================================================


def figure_dashboard(info: dict, repeats: int, profile_dir: Path | None) -> dict:
    """District and school dashboards of the large vs. the small district, requests interleaved."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from districts.models import School, User

    pages = {}
    for size in ("big", "small"):
        client = Client()
        client.force_login(User.objects.get(email=info[f"{size}_leader"]))
        district = info[f"{size}_district"]
        school = School.objects.filter(district_id=district).order_by("pk").first()
        for page, url in (
            ("district", f"/measures/districts/{district}/"),
            ("school", f"/measures/schools/{school.pk}/"),
        ):
            pages[(page, size)] = (client, url)
            for _ in range(3):
                response = client.get(url)
                assert response.status_code == 200, (page, size, response.status_code)
    times = {key: [] for key in pages}
    for _ in range(repeats):
        for key, (client, url) in pages.items():
            t = time.perf_counter()
            response = client.get(url)
            times[key].append(time.perf_counter() - t)
            assert response.status_code == 200
    # The plan's decided weeks are kept per process (measures.publication._WeekCache): the figures
    # above are the pages people reload. The first page after a change decides its weeks again; with
    # every week to decide (a new process, or each week changed) the large pages cost this much.
    from measures import publication

    cold = {key: [] for key in pages if key[1] == "big"}
    for _ in range(repeats):
        for key in cold:
            client, url = pages[key]
            publication.clear_plan_cache()
            t = time.perf_counter()
            client.get(url)
            cold[key].append(time.perf_counter() - t)
    for client, url in pages.values():  # warm again: the queries below are those of a reload
        client.get(url)
    queries, sizes = {}, {}
    for key, (client, url) in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries[key] = [q["sql"] for q in ctx.captured_queries]
        sizes[key] = len(response.content)
    if profile_dir:
        import cProfile
        import pstats

        for (page, size), (client, url) in pages.items():
            prof = cProfile.Profile()
            prof.runcall(client.get, url)
            with open(profile_dir / f"{page}_{size}.prof.txt", "w") as fh:
                pstats.Stats(prof, stream=fh).sort_stats("cumulative").print_stats(40)
        (profile_dir / "dashboard_queries.json").write_text(
            json.dumps({f"{p} {s}": q for (p, s), q in queries.items()}, indent=1)
        )
    out = {}
    for (page, size), values in times.items():
        log(f"{page} dashboard, {size}: " + ", ".join(f"{x * 1000:.0f}" for x in values) + " ms")
        prefix = "" if page == "district" else "school_"
        out[f"{prefix}{size}_ms"] = median(values) * 1000
        out[f"{prefix}{size}_queries"] = len(queries[(page, size)])
        out[f"{prefix}{size}_bytes"] = sizes[(page, size)]
    for (page, _), values in cold.items():
        out[f"{page}_big_cold_ms"] = median(values) * 1000
    return out


# =============================================================================================
# Main
# =============================================================================================


def table(rows) -> str:
    lines = ["| what | measured | target | ok |", "| --- | --- | --- | --- |"]
    lines += [f"| {what} | {measured} | {target} | {'✅' if ok else '❌'} |" for what, measured, target, ok in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=1_000_000, help="answers in the large district")
    parser.add_argument("--keep-db", action="store_true", help=f"reuse {DB_NAME} if it holds the same data")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (medians are printed)")
    parser.add_argument("--profile", action="store_true", help="also write cProfile reports to a temp dir")
    parser.add_argument("--skip", default="", help="comma list of figures to skip: flows,rebuild,refresh,dashboard")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "rebuild":
        child_rebuild(args.profile_out)
        return
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if "flows" not in skip and not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    started = time.perf_counter()
    load_start = os.getloadavg()
    existed = ensure_database(args.keep_db)
    django_setup()
    migrate()
    info = _meta_get() if existed else {}
    if info.get("answers_target") != args.answers or info.get("layout") != DATA_LAYOUT:
        if existed:
            log("the kept database holds other data: rebuilding it")
            from django.db import connections

            connections.close_all()
            ensure_database(keep=False)
            migrate()
            _meta_get()
        info = build_data(args.answers)
        rebuilt = True
    else:
        log(f"reusing {DB_NAME} built {info['built_at']}")
        rebuilt = False
    big_answers, small_answers = answer_counts(info["big_district"]), answer_counts(info["small_district"])
    log(f"large district {big_answers:,} answers, small district {small_answers:,} answers")
    open_surveys = reopen_current_surveys(info)
    purge_redis()  # leftovers of an interrupted run
    workdir = Path(tempfile.mkdtemp(prefix="pdcycles-bench-"))
    profile_dir = workdir if args.profile else None
    results = {}

    if "flows" not in skip:
        log(f"1. survey flows vs. bare view, {len(open_surveys)} open surveys, {args.repeats} × {args.duration} s each")
        results["flows"] = figure_flows(info, open_surveys, workdir, args.duration, args.repeats)
        results["flows"]["in_process"] = flows_in_process(open_surveys)
    if "rebuild" not in skip or "refresh" not in skip or "dashboard" not in skip:
        log("2. full rebuild vs. raw GROUP BY (rebuild in a fresh subprocess)")
        results["rebuild"] = figure_rebuild(args.repeats, profile_dir)
    if "refresh" not in skip:
        log(f"3. incremental refresh after {REFRESH_RESPONSES:,} responses in {REFRESH_ADMINS} open surveys")
        results["refresh"] = figure_refresh(info, open_surveys, args.repeats, profile_dir)
        results["refresh"]["single_ms"] = single_refresh_ms(open_surveys)
    if "dashboard" not in skip:
        if "rebuild" not in skip:
            # The rebuilds just rewrote the summary tables; in production autovacuum marks their pages
            # all-visible within a minute (dashboards then read the covering index alone). Do it now,
            # so the pages are measured as they are served, not in the seconds after a full rebuild.
            t = time.perf_counter()
            vacuum_summaries()
            log(f"VACUUM ANALYZE of the summary tables: {time.perf_counter() - t:.1f} s")
        log("4. district and school dashboards, large vs. small district")
        results["dashboard"] = figure_dashboard(info, max(args.repeats, 11), profile_dir)

    rows = []
    if "flows" in results:
        f = results["flows"]
        ratio = f["flow_fps"] / f["bare_rps"]
        note = " (POST needs a CSRF token the form lacks: measured with one added)" if f["csrf_workaround"] else ""
        rows.append(
            (
                "1. survey flows/s (GET + POST) vs. bare view req/s, gunicorn 2 sync workers" + note,
                f"{f['flow_fps']:,.0f} flows/s vs. {f['bare_rps']:,.0f} req/s = {ratio:.2f}× "
                f"(p50 {f['flow_p50_ms']:.0f} vs. {f['bare_p50_ms']:.0f} ms; {f['flow_failures']} failed)",
                f"≥ {FLOW_TARGET}×",
                ratio >= FLOW_TARGET and f["flow_failures"] == 0,
            )
        )
    if "rebuild" in results and "rebuild" not in skip:
        r = results["rebuild"]
        ratio = r["rebuild_s"] / r["raw_s"]
        rows.append(
            (
                f"2a. rebuild_all() vs. raw GROUP BY over {big_answers + small_answers:,} answers",
                f"{r['rebuild_s']:.2f} s vs. {r['raw_s']:.2f} s = {ratio:.1f}×",
                "≤ 1.5×",
                ratio <= 1.5,
            )
        )
        rows.append(
            (
                "2b. peak RSS of the rebuilding process",
                f"{r['peak_rss_mb']:.0f} MB (of which {r['base_rss_mb']:.0f} MB before the rebuild)",
                "≤ 500 MB",
                r["peak_rss_mb"] <= 500,
            )
        )
    if "refresh" in results:
        share = results["refresh"]["refresh_s"] / results["rebuild"]["rebuild_s"]
        rows.append(
            (
                f"3. refresh_administrations() of {results['refresh']['admins']} surveys after "
                f"{REFRESH_RESPONSES:,} responses vs. full rebuild",
                f"{results['refresh']['refresh_s'] * 1000:.0f} ms vs. "
                f"{results['rebuild']['rebuild_s']:.2f} s = {share:.2%}",
                "≤ 2 %",
                share <= 0.02,
            )
        )
        ms = results["refresh"]["single_ms"]
        rows.append(
            ("3b. one refresh task, refresh_administrations([one survey])", f"{ms:.1f} ms", "≤ 10 ms", ms <= 10)
        )
    if "dashboard" in results:
        d = results["dashboard"]
        ratio = d["big_ms"] / d["small_ms"]
        rows.append(
            (
                f"4a. district dashboard median, {big_answers:,} vs. {small_answers:,} answers",
                f"{d['big_ms']:.0f} ms vs. {d['small_ms']:.0f} ms = {ratio:.2f}×",
                "≤ 1.2×",
                ratio <= 1.2,
            )
        )
        rows.append(
            (
                "4b. district dashboard SQL queries, large vs. small",
                f"{d['big_queries']} vs. {d['small_queries']}",
                "equal",
                d["big_queries"] == d["small_queries"],
            )
        )
        ratio = d["school_big_ms"] / d["school_small_ms"]
        rows.append(
            (
                "4c. school dashboard median (a school of 20 vs. 1 classroom), large vs. small district",
                f"{d['school_big_ms']:.0f} ms vs. {d['school_small_ms']:.0f} ms = {ratio:.2f}×",
                "≤ 1.2×",
                ratio <= 1.2,
            )
        )
        rows.append(
            (
                "4d. school dashboard SQL queries, large vs. small",
                f"{d['school_big_queries']} vs. {d['school_small_queries']}",
                "equal",
                d["school_big_queries"] == d["school_small_queries"],
            )
        )
    total = time.perf_counter() - started
    big_shape, small_shape = info["big_shape"], info["small_shape"]
    print()
    print(
        f"PD Cycles measures bench, {time.strftime('%Y-%m-%d %H:%M %Z')}; database {DB_NAME} "
        f"({'built this run' if rebuilt else 'kept'}); large district {big_shape[0]} classrooms × {big_shape[1]} weeks "
        f"× {big_shape[2]} responses × {big_shape[3]} items, small district {small_shape[0]} classroom × "
        f"{small_shape[1]} weeks × {small_shape[2]} responses; {len(open_surveys)} open surveys; "
        f"medians of {args.repeats}"
        + (" (dashboard: of " + str(max(args.repeats, 11)) + ")" if "dashboard" in results else "")
        + f"; load average at start {load_start[0]:.1f}, at end {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)"
    )
    print()
    print(table(rows))
    print()
    context = []
    if "flows" in results:
        ip = results["flows"]["in_process"]
        context.append(
            f"in-process (test client, no gunicorn): survey GET {ip['get_ms']:.1f} ms ({ip['get_queries']} queries, "
            f"{ip['get_redis']} Redis round trips), POST {ip['post_ms']:.1f} ms ({ip['post_queries']} queries, "
            f"{ip['post_redis']} Redis round trips), bare view {ip['bare_ms']:.2f} ms"
        )
        context.append(
            f"the flow runs saved {results['flows']['responses_saved']:,} responses and queued "
            f"{results['flows']['tasks_queued']:,} refresh tasks (all removed after)"
        )
    if "refresh" in results:
        ms = results["refresh"]["single_ms"]
        context.append(
            f"one refresh task, refresh_administrations([one survey]): {ms:.0f} ms → one worker runs ≈ {1000 / ms:.0f} "
            "such refreshes/s"
        )
    if "dashboard" in results:
        d = results["dashboard"]
        context.append(
            f"page size: district {d['big_bytes']:,} vs. {d['small_bytes']:,} bytes, "
            f"school {d['school_big_bytes']:,} vs. {d['school_small_bytes']:,} bytes"
        )
        context.append(
            f"large dashboards with every week decided afresh (empty plan cache: a new process, or every "
            f"week changed): district {d['district_big_cold_ms']:.0f} ms, school {d['school_big_cold_ms']:.0f} ms"
        )
    for line in context:
        print(f"- {line}")
    print()
    print(f"total run time {total:.0f} s" + (f" (data build {info['build_seconds']} s)" if rebuilt else ""))
    if profile_dir:
        print(f"profiles and query lists in {profile_dir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    (Path(tempfile.gettempdir()) / "pdcycles-bench-last.json").write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
