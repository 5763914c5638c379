"""Settings come from the environment and production passes check --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("SECRET_KEY", None)
    env.pop("DEBUG", None)
    env.pop("SECURE_SSL_REDIRECT", None)
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "cxplan.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    done = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "cx.example.com",
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    done = run_manage("check", env_extra={"DEBUG": "0"})
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_docker_compose_has_the_production_services_and_their_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert name in services, name
        assert "healthcheck" in services[name] or name == "beat"
    assert "noeviction" in " ".join(services["redis"]["command"])
    assert services["web"]["command"][0] == "gunicorn"
    assert "cxplan.wsgi" in services["web"]["command"]
    worker = " ".join(services["worker"]["command"])
    assert "worker" in worker and "imports,analytics,deck" in worker
    assert "beat" in services["beat"]["command"]
    assert (ROOT / "Dockerfile").exists()
    # Every command refers to something that exists in the project.
    assert (ROOT / "cxplan" / "wsgi.py").exists()
    assert (ROOT / "cxplan" / "celery.py").exists()
