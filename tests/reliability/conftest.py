"""Fixtures for the fault tests: a private Redis and a real Celery worker.

The worker and this process talk through a redis-server of their own on a free
port, so a shared Redis (and any other worker on it, e.g. `live_worker`) can
neither steal these tasks nor be disturbed when the tests stop their broker.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from tests.conftest import IN_CI, _database_url_for_tests, need

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate, *, timeout: float, every: float = 0.05, what: str = ""):
    """Poll `predicate` until it returns something truthy; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(every)


@dataclass
class RedisServer:
    """A redis-server of our own that a test may stop, start or pause."""

    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: answers(self.port), timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def cli(self, *args: str) -> str:
        try:
            done = subprocess.run(
                ["redis-cli", "-p", str(self.port), *args],
                capture_output=True,
                text=True,
                timeout=10,
            )
        except subprocess.TimeoutExpired:  # a paused server answers nothing
            return ""
        return done.stdout.strip()


@pytest.fixture(scope="module")
def private_redis():
    need("postgres", "redis")
    if not shutil.which("redis-server") or not shutil.which("redis-cli"):
        message = "redis-server/redis-cli are not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(port=free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


def use_broker(url: str | None, *, eager: bool) -> tuple:
    """Point this process's Celery app at `url`; returns what to restore."""
    from cxplan.celery import app

    before = (app.conf.broker_url, app.conf.task_always_eager)
    _reset_pools(app)
    if url is not None:
        app.conf.broker_url = url
    app.conf.task_always_eager = eager
    return before


def restore_broker(before: tuple) -> None:
    from cxplan.celery import app

    _reset_pools(app)
    app.conf.broker_url, app.conf.task_always_eager = before


def _reset_pools(app) -> None:
    """Drop cached broker connections so the next send dials the current URL.

    kombu keeps one global pool per connection URL; `pools.reset()` closes them
    and forgets them (closing one alone leaves a closed pool in the registry)."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@dataclass
class Worker:
    """A Celery worker subprocess (prefork, one child) on the private Redis."""

    env: dict
    log_path: Path
    proc: subprocess.Popen | None = None
    kills: list = field(default_factory=list)

    def start(self) -> None:
        self._log = open(self.log_path, "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cxplan",
                "worker",
                "-Q",
                "imports,analytics,deck",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"reliability-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: self.proc.poll() is not None or " ready." in self.log(),
            timeout=90,
            every=0.2,
            what="the Celery worker to start",
        )
        if self.proc.poll() is not None:
            pytest.fail("the Celery worker died: " + self.log()[-2000:])

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children()

    def child(self, *, timeout: float = 20) -> psutil.Process:
        """The pool's one child process (waits for it to be respawned)."""
        kids = wait_until(self.children, timeout=timeout, what="a worker child")
        return kids[0]

    def kill_child(self) -> float:
        """kill -9 the child; returns when it is gone (seconds it took)."""
        started = time.monotonic()
        victim = self.child()
        victim.kill()
        victim.wait(timeout=10)
        self.kills.append(victim.pid)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._log.close()


@pytest.fixture(scope="module")
def rel_worker(django_db_setup, django_db_blocker, private_redis):
    """A real worker on the test database and the private Redis.

    While it runs, this process sends tasks to the same private Redis instead of
    running them eagerly.
    """
    with django_db_blocker.unblock():
        db_url = _database_url_for_tests()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        REDIS_URL=private_redis.url,
        DJANGO_SETTINGS_MODULE="cxplan.settings_test",
        CXPLAN_EAGER="0",
        CONN_MAX_AGE="0",
    )
    (ROOT / "var").mkdir(exist_ok=True)
    worker = Worker(env=env, log_path=ROOT / "var" / "test-reliability-worker.log")
    before = use_broker(private_redis.url, eager=False)
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        restore_broker(before)
