"""Bell-burst load: 3,000 students answer over 60 s across 100 surveys, on private services.

Starts its own PostgreSQL (initdb in a temporary directory, run as the `postgres` user) and Redis
on free loopback ports, gunicorn (2 sync workers), a Celery worker (2 pool processes) and Celery
beat, all with production settings (DEBUG=0, Redis broker and cache). Each student GETs
`/s/<code>`, takes the token out of the form and POSTs the answers. Two runs, each on 100 fresh
surveys: a plain burst, and one with Redis stopped for 30 s in the middle (then started again,
empty). Reported: p50/p95/p99 of GET and POST, statuses, responses in the database against 303s,
and seconds until every summary counts every response. Everything it started is stopped by pid.

    .venv/bin/python bench/burst.py [--students 3000] [--seconds 60] [--surveys 100] [--outage 30]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
TARGETS = {"p95 GET/POST": "≤ 500 ms (≤ 1 s with Redis down)", "errors": "0", "lost": "0", "current": "≤ 10 s"}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(what)


class Postgres:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="pdc-burst-pg-"))
        self.port = free_port()
        self.bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        shutil.chown(self.dir, "postgres")

    def _su(self, command: str) -> None:
        subprocess.run(["su", "postgres", "-c", command], check=True, capture_output=True)

    def start(self):
        self._su(f"{self.bin}/initdb -D {self.dir}/data -U postgres --auth=trust -E UTF8")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=100"
        self._su(f"{self.bin}/pg_ctl -D {self.dir}/data -o '{options}' -l {self.dir}/log -w start")
        self._su(f"{self.bin}/createdb -h 127.0.0.1 -p {self.port} -U postgres pdcycles")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/pdcycles"

    def stop(self):
        try:
            self._su(f"{self.bin}/pg_ctl -D {self.dir}/data -m fast -w stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="pdc-burst-redis-")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.3)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def env_for(pg: Postgres, redis: Redis) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pdcycles.settings",
        "DATABASE_URL": pg.url,
        "REDIS_URL": redis.url,
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
    }


SEED = """
import json, django
django.setup()
from districts.models import Classroom, District, School, User
from measures import services
from measures.models import Instrument, InstrumentKind
instrument = Instrument.objects.filter(district=None, kind=InstrumentKind.WHOLE_CLASS, is_current=True).first()
d = District.objects.create(name="Burst %(run)d", slug="burst-%(run)d")
year = d.current_school_year()
teacher = User.objects.create(email="teacher%(run)d@burst.bench", full_name="Teacher")
schools = [School.objects.create(district=d, name=f"School {s}") for s in range(10)]
codes = []
for n in range(%(surveys)d):
    room = Classroom.objects.create(school=schools[n %% 10], teacher=teacher, name=f"Math {n}", school_year=year)
    codes.append(services.administration_open(classroom=room, instrument=instrument, opened_by=None, minutes=240).code)
print(json.dumps(codes))
"""


def seed(env, surveys: int, run: int) -> list[str]:
    """A district of its own per run, so each run's summaries are checked on fresh surveys."""
    out = subprocess.run(
        [sys.executable, "-c", SEED % {"surveys": surveys, "run": run}],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def start(args, env, logfile) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, cwd=ROOT, stdout=logfile, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def http(url, data=None, timeout=30):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    req = urllib.request.Request(url, data=data.encode() if data else None)
    try:
        with urllib.request.build_opener(NoRedirect).open(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"error:{type(exc).__name__}", ""


def student(base: str, code: str, rng: random.Random, results: list, lock: threading.Lock) -> None:
    t0 = time.perf_counter()
    status, page = http(f"{base}/s/{code}?lang=en")
    get_ms = (time.perf_counter() - t0) * 1000
    post_status, post_ms = None, None
    token = re.search(r'name="token" value="([^"]+)"', page)
    if status == 200 and token:
        choices: dict[str, list[str]] = {}
        for name, value in re.findall(r'name="(i\d+)" value="(\d+)"', page):
            choices.setdefault(name, []).append(value)
        body = urllib.parse.urlencode(
            {"token": token.group(1), "lang": "en", **{k: rng.choice(v) for k, v in choices.items()}}
        )
        t1 = time.perf_counter()
        post_status, _ = http(f"{base}/s/{code}?lang=en", body)
        post_ms = (time.perf_counter() - t1) * 1000
    with lock:
        results.append((get_ms, status, post_ms, post_status, time.monotonic()))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def not_current(pg_url: str, codes: list[str]) -> tuple[int, int]:
    """(surveys whose summary does not count every response, responses in the database)."""
    import psycopg

    with psycopg.connect(pg_url.replace("postgres://", "postgresql://")) as conn:
        rows = conn.execute(
            "SELECT a.id, (SELECT count(*) FROM measures_response r WHERE r.administration_id = a.id), "
            "s.n_responses FROM measures_administration a LEFT JOIN measures_administrationsummary s "
            "ON s.administration_id = a.id WHERE a.code = ANY(%s) AND a.closed_at IS NULL",
            [codes],
        ).fetchall()
    return sum(1 for _, n, counted in rows if n != counted), sum(n for _, n, _ in rows)


def burst(base, codes, redis: Redis, pg_url: str, *, students: int, seconds: float, outage: float) -> dict:
    rng = random.Random(2026)
    results: list = []
    lock = threading.Lock()
    outage_window = (seconds / 4, seconds / 4 + outage) if outage else None
    redis_back_at = None
    t_start = time.monotonic()
    with ThreadPoolExecutor(max_workers=96) as pool:
        for i in range(students):
            at = t_start + i * seconds / students
            now = time.monotonic()
            if outage_window and redis.proc.poll() is None and now - t_start >= outage_window[0] and not redis_back_at:
                redis.stop()
                log(f"Redis stopped at {now - t_start:.1f} s")
            if outage_window and redis.proc.poll() is not None and now - t_start >= outage_window[1]:
                redis.start()
                redis_back_at = time.monotonic()
                log(f"Redis started again at {redis_back_at - t_start:.1f} s")
            if at > now:
                time.sleep(at - now)
            pool.submit(student, base, rng.choice(codes), random.Random(i), results, lock)
    last_answer = max(r[4] for r in results)
    deadline = time.monotonic() + 240
    behind = None
    while time.monotonic() < deadline:
        behind, in_db = not_current(pg_url, codes)
        if behind == 0:
            break
        time.sleep(0.5)
    current_at = time.monotonic()
    statuses: dict = {}
    for _, get_status, _, post_status, _ in results:
        statuses[f"GET {get_status}"] = statuses.get(f"GET {get_status}", 0) + 1
        if post_status is not None:
            statuses[f"POST {post_status}"] = statuses.get(f"POST {post_status}", 0) + 1
    gets = [r[0] for r in results]
    posts = [r[2] for r in results if r[2] is not None]
    return {
        "students": len(results),
        "get": (pct(gets, 50), pct(gets, 95), pct(gets, 99)),
        "post": (pct(posts, 50), pct(posts, 95), pct(posts, 99)),
        "statuses": statuses,
        "303s": statuses.get("POST 303", 0),
        "in_db": in_db,
        "behind": behind,
        "current_after_last": current_at - last_answer if behind == 0 else None,
        "current_after_redis": (current_at - redis_back_at) if behind == 0 and redis_back_at else None,
        "burst_seconds": last_answer - t_start,
    }


def report(name: str, r: dict) -> str:
    errors = {k: v for k, v in r["statuses"].items() if not k.endswith((" 200", " 303"))}
    cur = f"{r['current_after_last']:.1f} s after the last answer" if r["current_after_last"] is not None else "NO"
    if r["current_after_redis"] is not None:
        cur += f" ({r['current_after_redis']:.1f} s after Redis returned)"
    return (
        f"| {name} | {r['students']} in {r['burst_seconds']:.0f} s | "
        f"{r['get'][0]:.0f} / {r['get'][1]:.0f} / {r['get'][2]:.0f} | "
        f"{r['post'][0]:.0f} / {r['post'][1]:.0f} / {r['post'][2]:.0f} | "
        f"{json.dumps(errors) if errors else 0} | {r['in_db']} / {r['303s']} | {cur} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--surveys", type=int, default=100)
    parser.add_argument("--outage", type=float, default=30, help="seconds Redis is down in the second run (0: skip)")
    args = parser.parse_args()

    load_before = os.getloadavg()
    pg, redis = Postgres(), Redis()
    procs: list[subprocess.Popen] = []
    workdir = Path(tempfile.mkdtemp(prefix="pdc-burst-"))
    rows = []
    try:
        pg.start()
        redis.start()
        env = env_for(pg, redis)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        runs = [("plain burst", 0.0)] + ([(f"Redis down {args.outage:.0f} s", args.outage)] if args.outage else [])
        surveys = {name: seed(env, args.surveys, n) for n, (name, _) in enumerate(runs)}
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        logs = {name: open(workdir / f"{name}.log", "w") for name in ("gunicorn", "worker", "beat")}
        procs.append(
            start(
                [str(VENV_BIN / "gunicorn"), "pdcycles.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"],
                env,
                logs["gunicorn"],
            )
        )
        procs.append(
            start(
                [
                    str(VENV_BIN / "celery"),
                    "-A",
                    "pdcycles",
                    "worker",
                    "-c",
                    "2",
                    "-l",
                    "warning",
                    "--without-gossip",
                    "--without-mingle",
                ],
                env,
                logs["worker"],
            )
        )
        procs.append(
            start(
                [
                    str(VENV_BIN / "celery"),
                    "-A",
                    "pdcycles",
                    "beat",
                    "-l",
                    "warning",
                    "--schedule",
                    str(workdir / "beat-schedule"),
                ],
                env,
                logs["beat"],
            )
        )
        wait_for(lambda: http(f"{base}/s/")[0] == 200, 60, "gunicorn did not answer")
        for code in [c for codes in surveys.values() for c in codes][:100]:  # warm both workers (GETs save nothing)
            http(f"{base}/s/{code}?lang=en")
        for name, outage in runs:
            log(f"{name}: {args.students} students over {args.seconds:.0f} s across {args.surveys} surveys")
            result = burst(
                base, surveys[name], redis, pg.url, students=args.students, seconds=args.seconds, outage=outage
            )
            rows.append(report(name, result))
            log(rows[-1])
            if procs[1].poll() is not None:
                rows.append(f"| (the Celery worker exited: see {workdir}/worker.log) |")
    finally:
        for proc in reversed(procs):
            stop(proc)
        redis.stop()
        pg.stop()
        shutil.rmtree(redis.dir, ignore_errors=True)
    after = os.getloadavg()
    print(
        f"\nload average (1/5/15 min): before {load_before[0]:.2f}/{load_before[1]:.2f}/{load_before[2]:.2f}, "
        f"after {after[0]:.2f}/{after[1]:.2f}/{after[2]:.2f} on {os.cpu_count()} cores"
    )
    print(
        "| run | students | GET p50/p95/p99 ms | POST p50/p95/p99 ms | errors | responses in db / 303s | "
        "every summary current |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print(f"targets: {TARGETS}; logs in {workdir}")


if __name__ == "__main__":
    main()
