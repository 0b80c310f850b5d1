"""Scale-out on stock engines, on one machine: primary + streaming replica + pgbouncer + 2 web + 2 workers.

Starts on free loopback ports, each from a temporary directory and stopped by its pid:
- a PostgreSQL primary (initdb, `timezone=UTC` so Django sets nothing per connection) and a
  streaming replica made with `pg_basebackup -R`;
- pgbouncer (`pool_mode = transaction`) in front of the primary;
- Redis (broker and shared cache);
- two gunicorn instances (each `--workers` sync workers) with `PGBOUNCER=1`, `DATABASE_URL` at
  pgbouncer and `REPLICA_DATABASE_URL` at the replica; two Celery workers and one beat, same settings.

Then a bell burst: students alternate between the two web instances (GET the form, POST the
answers). Checked afterwards: every 303 is a response in the primary, the replica has replayed
everything the primary wrote (same responses, same summaries), every summary counts every
response, a district leader's dashboard is served and its reads reach the replica, not the primary.
CPU time of each process tree over the burst gives CPU-milliseconds per survey flow. Finally
`--size-answers` synthetic answers are added to measure the database size per million answers.

    .venv/bin/python bench/scale.py [--students 1200] [--seconds 30] [--surveys 60] [--workers 1]
"""

from __future__ import annotations

import argparse
import importlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Run as a script: the project root goes on the path first, then the burst helpers are loaded.
_burst = importlib.import_module("bench.burst")
VENV_BIN = _burst.VENV_BIN
Redis = _burst.Redis
free_port = _burst.free_port
http = _burst.http
log = _burst.log
pct = _burst.pct
start = _burst.start
stop = _burst.stop
student = _burst.student
wait_for = _burst.wait_for

TICKS = os.sysconf("SC_CLK_TCK")
PASSWORD = "bench-leader-password-9"


def su(command: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True, text=True, **kw)


class Cluster:
    """The primary, its streaming replica and pgbouncer, all under one temporary directory."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="pdc-scale-"))
        shutil.chown(self.dir, "postgres")
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        self.primary_port, self.replica_port, self.bouncer_port = free_port(), free_port(), free_port()
        self.started: list[str] = []

    def _pg_start(self, data: str, port: int) -> None:
        options = f"-p {port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100 -c timezone=UTC"
        su(f"{self.bin}/pg_ctl -D {self.dir}/{data} -o '{options}' -l {self.dir}/{data}.log -w start")
        self.started.append(data)

    def start(self) -> None:
        su(f"{self.bin}/initdb -D {self.dir}/primary -U postgres --auth=trust -E UTF8")
        self._pg_start("primary", self.primary_port)
        su(f"{self.bin}/createdb -h 127.0.0.1 -p {self.primary_port} -U postgres pdcycles")
        su(
            f"{self.bin}/pg_basebackup -h 127.0.0.1 -p {self.primary_port} -U postgres "
            f"-D {self.dir}/replica -R -X stream -c fast"
        )
        self._pg_start("replica", self.replica_port)
        (self.dir / "userlist.txt").write_text('"postgres" ""\n')
        (self.dir / "pgbouncer.ini").write_text(
            f"""[databases]
pdcycles = host=127.0.0.1 port={self.primary_port} dbname=pdcycles
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.bouncer_port}
unix_socket_dir =
auth_type = trust
auth_file = {self.dir}/userlist.txt
pool_mode = transaction
default_pool_size = 8
max_client_conn = 200
logfile = {self.dir}/pgbouncer.log
pidfile = {self.dir}/pgbouncer.pid
"""
        )
        for name in ("userlist.txt", "pgbouncer.ini"):
            shutil.chown(self.dir / name, "postgres")
        su(f"{shutil.which('pgbouncer') or '/usr/sbin/pgbouncer'} -d {self.dir}/pgbouncer.ini")
        wait_for(lambda: (self.dir / "pgbouncer.pid").exists(), 10, "pgbouncer did not start")
        self.started.append("pgbouncer")

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/pdcycles"

    def pid(self, what: str) -> int:
        if what == "pgbouncer":
            return int((self.dir / "pgbouncer.pid").read_text().split()[0])
        return int((self.dir / what / "postmaster.pid").read_text().split()[0])

    def sql(self, port: int, query: str, params=()) -> list:
        import psycopg

        with psycopg.connect(self.url(port).replace("postgres://", "postgresql://"), autocommit=True) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def stop(self) -> None:
        try:
            if "pgbouncer" in self.started:
                os.kill(self.pid("pgbouncer"), 15)
            for data in ("replica", "primary"):
                if data in self.started:
                    su(f"{self.bin}/pg_ctl -D {self.dir}/{data} -m fast -w stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def cpu_seconds(root_pid: int) -> float:
    """CPU time of a process and all its descendants, living and reaped."""
    total, stack = 0.0, [root_pid]
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15]) / TICKS  # utime, stime, cutime, cstime
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


SEED = """
import json, django
django.setup()
from districts.models import Classroom, District, Membership, Role, School, User
from measures import services
from measures.models import Instrument, InstrumentKind
instrument = Instrument.objects.filter(district=None, kind=InstrumentKind.WHOLE_CLASS, is_current=True).first()
d = District.objects.create(name="Scale", slug="scale")
year = d.current_school_year()
teacher = User.objects.create(email="teacher@scale.bench", full_name="Teacher")
leader = User.objects.create_user(email="leader@scale.bench", password=%(password)r, full_name="Leader")
Membership.objects.create(user=leader, district=d, role=Role.DISTRICT_LEADER)
schools = [School.objects.create(district=d, name=f"School {s}") for s in range(10)]
codes = []
for n in range(%(surveys)d):
    room = Classroom.objects.create(school=schools[n %% 10], teacher=teacher, name=f"Math {n}", school_year=year)
    codes.append(services.administration_open(classroom=room, instrument=instrument, opened_by=None, minutes=240).code)
print(json.dumps({"district": d.id, "codes": codes}))
"""


def seed(env: dict, surveys: int) -> dict:
    import json

    out = subprocess.run(
        [sys.executable, "-c", SEED % {"surveys": surveys, "password": PASSWORD}],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def signed_in(base: str):
    """An opener with a district leader's session (the login form, its CSRF cookie and field)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": "leader@scale.bench", "password": PASSWORD})
    request = urllib.request.Request(f"{base}/accounts/login/", data=body.encode(), headers={"Referer": base})
    opener.open(request, timeout=30).read()
    return opener, jar


def tuples_read(cluster: Cluster, port: int) -> int:
    rows = cluster.sql(port, "SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = 'pdcycles'")
    return int(rows[0][0])


def summaries(cluster: Cluster, port: int, codes: list[str]) -> tuple[int, int, int]:
    """(responses, responses counted by summaries, surveys whose summary is not current) on one server."""
    rows = cluster.sql(
        port,
        "SELECT (SELECT count(*) FROM measures_response r WHERE r.administration_id = a.id), "
        "coalesce(s.n_responses, 0) FROM measures_administration a "
        "LEFT JOIN measures_administrationsummary s ON s.administration_id = a.id WHERE a.code = ANY(%s)",
        [codes],
    )
    return sum(n for n, _ in rows), sum(c for _, c in rows), sum(1 for n, c in rows if n != c)


SIZE_SQL = """
SET session_replication_role = replica;
INSERT INTO measures_response (administration_id, token, fingerprint, language, submitted_at)
SELECT a.id, 'size-' || g, md5(g::text), 'en', now()
FROM generate_series(1, %(responses)d) g
JOIN LATERAL (SELECT id FROM measures_administration ORDER BY id OFFSET (g %% %(surveys)d) LIMIT 1) a ON true;
INSERT INTO measures_answer (administration_id, response_id, item_id, option_id, text)
SELECT r.administration_id, r.id, o.item_id, o.id, ''
FROM measures_response r
JOIN measures_administration a ON a.id = r.administration_id
JOIN measures_item i ON i.instrument_id = a.instrument_id
JOIN LATERAL (SELECT id, item_id FROM measures_option WHERE item_id = i.id LIMIT 1) o ON true
WHERE r.token LIKE 'size-%%';
"""


def database_size(cluster: Cluster, answers: int, surveys: int) -> str:
    """Bytes of responses and answers (tables, indexes, TOAST) per million answers, from a bulk load."""
    import psycopg

    items = cluster.sql(
        cluster.primary_port,
        "SELECT count(*) FROM measures_item i JOIN measures_administration a ON a.instrument_id = i.instrument_id "
        "GROUP BY a.id LIMIT 1",
    )[0][0]
    rels = "('measures_response', 'measures_answer')"
    size_q = f"SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname IN {rels}"
    before = int(cluster.sql(cluster.primary_port, size_q)[0][0])
    n_before = cluster.sql(cluster.primary_port, "SELECT count(*) FROM measures_answer")[0][0]
    t0 = time.monotonic()
    with psycopg.connect(cluster.url(cluster.primary_port).replace("postgres://", "postgresql://")) as conn:
        conn.execute(SIZE_SQL % {"responses": answers // items, "surveys": surveys})
    cluster.sql(cluster.primary_port, "VACUUM ANALYZE measures_response, measures_answer")
    loaded = time.monotonic() - t0
    after = int(cluster.sql(cluster.primary_port, size_q)[0][0])
    n_after = cluster.sql(cluster.primary_port, "SELECT count(*) FROM measures_answer")[0][0]
    per_million = (after - before) / (n_after - n_before) * 1_000_000
    return (
        f"{n_after - n_before:,} answers ({items} per response) loaded in {loaded:.1f} s: "
        f"responses + answers with their indexes = {per_million / 2**20:.0f} MiB per million answers"
    )


def wait_replayed(cluster: Cluster, timeout: float = 120) -> float:
    lsn = cluster.sql(cluster.primary_port, "SELECT pg_current_wal_lsn()")[0][0]
    t0 = time.monotonic()
    wait_for(
        lambda: cluster.sql(cluster.replica_port, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])[0][0],
        timeout,
        "the replica did not catch up",
    )
    return time.monotonic() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--surveys", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1, help="sync workers per gunicorn instance")
    parser.add_argument(
        "--size-answers", type=int, default=1_000_000, help="synthetic answers for the size figure (0: skip)"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    cluster, redis = Cluster(), Redis()
    procs: dict[str, subprocess.Popen] = {}
    workdir = Path(tempfile.mkdtemp(prefix="pdc-scale-logs-"))
    lines: list[str] = []
    try:
        cluster.start()
        redis.start()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pdcycles.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_MANIFEST": "0",
            "SURVEY_RATE_LIMIT_PER_MINUTE": "100000000",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "REDIS_URL": redis.url,
        }
        direct = {**env, "DATABASE_URL": cluster.url(cluster.primary_port)}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], env=direct, cwd=ROOT, check=True, capture_output=True
        )
        seeded = seed(direct, args.surveys)
        codes = seeded["codes"]
        scaled = {
            **env,
            "PGBOUNCER": "1",
            "DATABASE_URL": cluster.url(cluster.bouncer_port),
            "REPLICA_DATABASE_URL": cluster.url(cluster.replica_port),
        }
        ports = [free_port(), free_port()]
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        logs = {n: open(workdir / f"{n}.log", "w") for n in ("web1", "web2", "worker1", "worker2", "beat")}
        for n, port in enumerate(ports, start=1):
            cmd = [str(VENV_BIN / "gunicorn"), "pdcycles.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}"]
            procs[f"web{n}"] = start(cmd, scaled, logs[f"web{n}"])
        for n in (1, 2):
            cmd = [str(VENV_BIN / "celery"), "-A", "pdcycles", "worker", "-c", "1", "-n", f"w{n}@%h"]
            cmd += ["-l", "warning", "--without-gossip", "--without-mingle"]
            procs[f"worker{n}"] = start(cmd, scaled, logs[f"worker{n}"])
        cmd = [str(VENV_BIN / "celery"), "-A", "pdcycles", "beat", "-l", "warning"]
        procs["beat"] = start(cmd + ["--schedule", str(workdir / "beat-schedule")], scaled, logs["beat"])
        for base in bases:
            wait_for(lambda b=base: http(f"{b}/s/")[0] == 200, 60, f"{base} did not answer")
            for code in codes[:20]:
                http(f"{base}/s/{code}?lang=en")
        wait_replayed(cluster)

        # The bell burst, alternating between the two web instances.
        groups = {
            "web": [procs["web1"].pid, procs["web2"].pid],
            "workers": [procs["worker1"].pid, procs["worker2"].pid],
            "primary": [cluster.pid("primary")],
            "pgbouncer": [cluster.pid("pgbouncer")],
            "replica": [cluster.pid("replica")],
            "redis": [redis.proc.pid],
        }
        cpu0 = {g: sum(cpu_seconds(p) for p in pids) for g, pids in groups.items()}
        results: list = []
        lock = threading.Lock()
        rng = random.Random(2026)
        log(f"burst: {args.students} students over {args.seconds:.0f} s, {args.surveys} surveys, 2 web instances")
        t_start = time.monotonic()
        with ThreadPoolExecutor(max_workers=64) as pool:
            for i in range(args.students):
                at = t_start + i * args.seconds / args.students
                if at > time.monotonic():
                    time.sleep(at - time.monotonic())
                pool.submit(student, bases[i % 2], rng.choice(codes), random.Random(i), results, lock)
        last = max(r[4] for r in results)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and summaries(cluster, cluster.primary_port, codes)[2]:
            time.sleep(0.5)
        current_after = time.monotonic() - last
        time.sleep(2)  # the workers' last acks
        cpu = {g: sum(cpu_seconds(p) for p in pids) - cpu0[g] for g, pids in groups.items()}
        replay = wait_replayed(cluster)

        statuses: dict[str, int] = {}
        for _, gs, _, ps, _ in results:
            statuses[f"GET {gs}"] = statuses.get(f"GET {gs}", 0) + 1
            if ps is not None:
                statuses[f"POST {ps}"] = statuses.get(f"POST {ps}", 0) + 1
        flows = statuses.get("POST 303", 0)
        primary = summaries(cluster, cluster.primary_port, codes)
        replica = summaries(cluster, cluster.replica_port, codes)
        gets, posts = [r[0] for r in results], [r[2] for r in results if r[2] is not None]

        # A district leader's dashboard through each instance: right after signing in (a POST) the
        # browser is pinned to the primary; once the pin is gone, the dashboard reads the replica.
        dash = []
        for base in bases:
            opener, jar = signed_in(base)
            url = f"{base}/measures/districts/{seeded['district']}/"
            for pinned in (True, False):
                if not pinned:
                    jar.clear("127.0.0.1", "/", "pdc_primary")
                    opener.open(url, timeout=30).read()  # warm the replica connection
                time.sleep(1.2)  # backends report their statistics at most once a second
                p0, r0 = tuples_read(cluster, cluster.primary_port), tuples_read(cluster, cluster.replica_port)
                t0 = time.perf_counter()
                status = opener.open(url, timeout=30).status
                ms = (time.perf_counter() - t0) * 1000
                time.sleep(1.2)
                p1, r1 = tuples_read(cluster, cluster.primary_port), tuples_read(cluster, cluster.replica_port)
                dash.append((base, pinned, status, ms, p1 - p0, r1 - r0))

        errors = {k: v for k, v in statuses.items() if not k.endswith((" 200", " 303"))}
        total_cpu = sum(cpu.values())
        lines += [
            f"| students (2 web instances × {args.workers} sync worker) | {len(results)} in {last - t_start:.0f} s |",
            f"| GET p50 / p95 / p99 ms | {pct(gets, 50):.0f} / {pct(gets, 95):.0f} / {pct(gets, 99):.0f} |",
            f"| POST p50 / p95 / p99 ms | {pct(posts, 50):.0f} / {pct(posts, 95):.0f} / {pct(posts, 99):.0f} |",
            f"| errors | {errors or 0} |",
            f"| 303s / responses in the primary | {flows} / {primary[0]} {'✅' if flows == primary[0] else '❌'} |",
            f"| summaries current on the primary | {args.surveys - primary[2]} of {args.surveys} surveys, "
            f"{current_after:.1f} s after the last answer {'✅' if not primary[2] else '❌'} |",
            f"| replica: responses / counted by summaries | {replica[0]} / {replica[1]} "
            f"(primary {primary[0]} / {primary[1]}), replayed {replay:.2f} s after the check "
            f"{'✅' if replica == primary else '❌'} |",
        ]
        # The statistics query itself reads a few hundred rows on each server, and the minute's sweep
        # may read on the primary meanwhile: the replica's rows while pinned are its idle baseline.
        idle = {base: r_rows for base, pinned, _, _, _, r_rows in dash if pinned}
        for base, pinned, status, ms, p_rows, r_rows in dash:
            web = f"web{bases.index(base) + 1}"
            ok = status == 200 and ((p_rows > r_rows) if pinned else (r_rows > 4 * idle[base]))
            when = "just after signing in (pinned)" if pinned else "later"
            lines.append(
                f"| district dashboard via {web}, {when} | {status}, {ms:.0f} ms; rows read: "
                f"primary {p_rows}, replica {r_rows} {'✅' if ok else '❌'} |"
            )
        per_flow = {g: cpu[g] * 1000 / max(flows, 1) for g in cpu}
        lines.append(
            "| CPU-ms per flow | "
            + ", ".join(f"{g} {v:.1f}" for g, v in per_flow.items())
            + f"; total {total_cpu * 1000 / max(flows, 1):.1f} |"
        )
        if args.size_answers:
            lines.append(f"| database size | {database_size(cluster, args.size_answers, args.surveys)} |")
            lines.append(f"| replica after the bulk load | caught up in {wait_replayed(cluster, 300):.1f} s |")
        for name, proc in procs.items():
            if proc.poll() is not None:
                lines.append(f"| {name} exited early: see {workdir}/{name}.log | ❌ |")
    finally:
        for proc in reversed(list(procs.values())):
            stop(proc)
        redis.stop()
        shutil.rmtree(redis.dir, ignore_errors=True)
        cluster.stop()
    after = os.getloadavg()
    print(
        f"\nload average (1/5/15 min): before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after {after[0]:.2f}/{after[1]:.2f}/{after[2]:.2f} on {os.cpu_count()} cores"
    )
    print("| what | measured |\n| --- | --- |")
    print("\n".join(lines))
    print(f"logs in {workdir}")


if __name__ == "__main__":
    main()
