"""The embedded default as `make run` starts it, in a folder of its own.

A site here is a real server (gunicorn, threads) and, when asked, a real Celery
worker, both with DATABASE_URL and REDIS_URL unset: SQLite in WAL mode, the
broker, results and cache in files, all under a temporary CXPLAN_VAR_DIR. It
does not touch the suite's own database, so it runs the same whether the suite
runs on SQLite or on PostgreSQL (as in CI).
"""

import contextlib
import functools
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
DB_NAME = "cxplan.sqlite3"
LEAD = "lead"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def embedded_env(var_dir: Path, **extra: str) -> dict:
    """The environment `make run` gives the web server and the worker."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cxplan.settings",
        CXPLAN_VAR_DIR=str(var_dir),
        DEBUG="1",
        CXPLAN_EAGER="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def _manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)}: {done.stderr[-3000:]}")
    return done.stdout


_MIGRATE_LEAD_AND_TOKEN = f"""
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from cxplan.core.tokens import token_create
user = get_user_model().objects.create_user("{LEAD}", password="x" * 20)
user.groups.add(Group.objects.get(name="cx_lead"))
print(token_create(user=user, name="embedded test").key)
"""


@functools.cache
def migrated_template() -> tuple[Path, str]:
    """A migrated SQLite file with a CX lead and their API key, made once per run
    (migrating takes seconds); each site starts from a copy of it."""
    folder = Path(tempfile.mkdtemp(prefix="cxplan-embedded-template-"))
    env = embedded_env(folder, CXPLAN_EAGER="1")
    # One process for both: each start of Django costs seconds.
    out = _manage(env, "shell", "-c", _MIGRATE_LEAD_AND_TOKEN)
    key = out.strip().splitlines()[-1]
    return folder / DB_NAME, key


@dataclass
class Site:
    var_dir: Path
    env: dict
    key: str
    port: int = field(default_factory=free_port)
    procs: dict = field(default_factory=dict)

    @classmethod
    def fresh(cls, **extra_env: str) -> "Site":
        template, key = migrated_template()
        var_dir = Path(tempfile.mkdtemp(prefix="cxplan-embedded-"))
        shutil.copy(template, var_dir / DB_NAME)
        return cls(var_dir=var_dir, env=embedded_env(var_dir, **extra_env), key=key)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Token {self.key}"}

    def _start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.var_dir / f"{name}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stop() ends its children too
        )
        self.procs[name] = (proc, log)
        return proc

    def log(self, name: str) -> str:
        return (self.var_dir / f"{name}.log").read_text()[-3000:]

    def start_web(self, *, workers: int = 2, threads: int = 10) -> None:
        """gunicorn with `workers` processes of `threads` threads each."""
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self._start(
            "web",
            [
                gunicorn,
                "cxplan.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--preload",  # Django starts once, then the processes fork
            ],
        )
        self._wait(self._web_answers, "the web server", "web")

    def start_worker(self) -> None:
        """The worker `make run` starts: all queues, one process, beat inside."""
        self._start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "cxplan",
                "worker",
                "-B",
                "-s",
                str(self.var_dir / "celerybeat-schedule"),
                "-Q",
                "imports,analytics,deck",
                "--concurrency",
                "1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )
        self._wait(lambda: "ready." in self.log("worker"), "the worker", "worker")

    def _web_answers(self) -> bool:
        try:
            # Not /healthz: without a worker it waits 3 s for the ping.
            return requests.get(f"{self.url}/login/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def _wait(self, ready, what: str, name: str, timeout: float = 60) -> None:
        proc = self.procs[name][0]
        deadline = time.monotonic() + timeout
        while not ready():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start: {self.log(name)}")
            time.sleep(0.2)

    def sql(self, query: str, *params) -> list[tuple]:
        """Read the site's database directly (its own connection, read only)."""
        uri = f"file:{self.var_dir / DB_NAME}?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=30) as db:
            return db.execute(query, params).fetchall()

    def stop(self) -> None:
        for proc, log in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=3)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # what is left of its group
            proc.wait(timeout=10)
            log.close()
        self.procs.clear()
        shutil.rmtree(self.var_dir, ignore_errors=True)
