"""What the PostgreSQL benches share: a fresh database, Django set up on it.

Not a bench itself. `fresh_django(name, url)` drops and creates the database
`name` on the server of `url` (a database URL), points Django at it with the
given environment, runs the migrations and returns the new database's URL.
`clone_database(name, template, url)` makes `name` a copy of `template` (the
1M-item benches reuse the database the 1M import left). `database_url_argument(parser)`
adds the `--database-url` option every bench takes.
"""

from __future__ import annotations

import argparse
import os

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def database_url_argument(parser: argparse.ArgumentParser) -> None:
    """Add --database-url (default: $DATABASE_URL, else the local server)."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_URL),
        help="any database on the PostgreSQL server to use (its name is ignored)",
    )


def server_url(database_url: str, name: str) -> str:
    """The URL of database `name` on the server of `database_url`."""
    return database_url.rsplit("/", 1)[0] + f"/{name}"


def clone_database(name: str, template: str, database_url: str) -> str:
    """(Re)create database `name` as a copy of `template`; its URL.

    PostgreSQL copies the files, so a 1M-item database takes seconds, not the
    minutes its import took. Nobody may be connected to `template`.
    """
    import psycopg

    with psycopg.connect(server_url(database_url, "postgres"), autocommit=True) as db:
        if not db.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [template]
        ).fetchone():
            raise SystemExit(f"database {template} does not exist: run its bench first")
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    return server_url(database_url, name)


def fresh_django(
    name: str, database_url: str, *, debug: bool = True, env: dict | None = None
) -> str:
    """(Re)create database `name`, set Django up on it and migrate; its URL."""
    import psycopg

    with psycopg.connect(server_url(database_url, "postgres"), autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    url = server_url(database_url, name)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cxplan.settings"
    os.environ["DEBUG"] = "1" if debug else "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.pop("REDIS_URL", None)
    os.environ.update(env or {})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url
