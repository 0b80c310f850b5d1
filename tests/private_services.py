"""Private PostgreSQL and Redis servers for the tests that stop, kill or restart a service.

The shared servers are never touched: each test starts its own on a free port, in a temporary
directory, and stops it by its own process. Without the server binaries a test skips (fails in CI,
which must run it against a real server).
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import redis

from tests.conftest import IN_CI


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel's pick for port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, what):
    """Poll `predicate` until it holds; fail with "<what> within <timeout> s" otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} within {timeout} s")


def unavailable(message: str):
    """A server this test needs cannot be started here: skip, or fail in CI."""
    if IN_CI:
        pytest.fail(message + " — CI must run this test against a real server")
    pytest.skip(message)


def stop_process(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM a process this test started, SIGKILL it if it has not exited within `timeout`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def postgres_binaries() -> str | None:
    """The newest installed PostgreSQL's bin directory (Debian layout), else wherever PATH finds initdb."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3]))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


class PrivatePostgres:
    """initdb into a temporary directory, pg_ctl start/stop on a free port. The server refuses to run
    as root: run as root (CI containers), its files belong to the `postgres` user and it runs as that user."""

    def __init__(self, bindir: str):
        self.bindir = bindir
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="pdc-pg-")
        self.data = os.path.join(self.dir, "data")
        self.user = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            os.chown(self.dir, self.user.pw_uid, self.user.pw_gid)
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args, timeout=60):
        def as_postgres():
            os.setgid(self.user.pw_gid)
            os.setuid(self.user.pw_uid)

        result = subprocess.run(
            [os.path.join(self.bindir, args[0]), *args[1:]],
            preexec_fn=as_postgres if self.user else None,
            env={**os.environ, "HOME": self.dir, "LC_ALL": "C.UTF-8"},
            cwd=self.dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            pytest.fail(f"{' '.join(args[:2])} failed:\n{result.stdout}\n{result.stderr}\n{self.log()}")

    def init(self):
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", os.path.join(self.dir, "log"), "-w", "start")

    def stop(self):
        self._run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return os.path.exists(os.path.join(self.data, "postmaster.pid"))

    def log(self) -> str:
        path = os.path.join(self.dir, "log")
        return Path(path).read_text(errors="replace")[-3000:] if os.path.exists(path) else ""

    def query(self, sql, params=()):
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()


@contextlib.contextmanager
def private_postgres():
    """A started PrivatePostgres; stopped (if still running) and its directory removed afterwards."""
    bindir = postgres_binaries()
    if bindir is None:
        unavailable("needs the PostgreSQL server binaries (initdb, pg_ctl) to start a private server")
    server = PrivatePostgres(bindir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.running():
            try:
                server.stop()
            except BaseException:  # noqa: BLE001 - cleanup goes on: the directory goes anyway
                pass
        shutil.rmtree(server.dir, ignore_errors=True)


class PrivateRedis:
    """redis-server on a free port, keeping nothing on disk; stopped by its own process."""

    def __init__(self, binary: str = "redis-server"):
        self.binary = binary
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="pdc-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", self.dir, "--logfile", os.path.join(self.dir, "log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.up, 10, "private redis did not start")

    def up(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.2).ping())
        except redis.RedisError:
            return False

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def client(self):
        return redis.Redis(port=self.port)


@contextlib.contextmanager
def private_redis():
    """A started PrivateRedis; stopped (if still running) and its directory removed afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("needs redis-server to start a private Redis")
    server = PrivateRedis(binary)
    try:
        server.start()
        yield server
    finally:
        if server.proc is not None and server.proc.poll() is None:
            stop_process(server.proc, timeout=10)
        shutil.rmtree(server.dir, ignore_errors=True)
