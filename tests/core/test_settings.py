"""Production settings, checked in a fresh interpreter as a server would load them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k7Qm2xV9pL4sT8wZ1nB6cR3yH5jD0fG2aE9uI4oP7lK1mN8bV3cX6zS5qW0eR2tY"


def manage(*args, env_overrides):
    # A clean server environment: nothing the test process set for itself
    # (the browser tests allow async-unsafe database access, for one).
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="jmappa.settings", **env_overrides)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={
        "DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "jmappa.example.je",
    })
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_real_secret_key():
    for key in ("", "django-insecure-" + "x" * 60, "short"):
        result = manage("check", env_overrides={"DEBUG": "0", "SECRET_KEY": key})
        assert result.returncode != 0
        assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_https_is_enforced():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = manage("shell", "-c", code, env_overrides={"DEBUG": "0", "SECRET_KEY": STRONG_KEY})
    printed = result.stdout.strip().splitlines()[-1].split()
    assert printed == ["True", "True", "True", "True", "False"], result.stderr


def test_importing_the_settings_starts_no_server(tmp_path):
    # makemigrations, `check`, an IDE and the Docker build import the settings:
    # with no URLs set, that alone must not start the embedded PostgreSQL or Redis.
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "JMAPPA_EMBEDDED"}}
    env.update(DJANGO_SETTINGS_MODULE="jmappa.settings", JMAPPA_VAR_DIR=str(tmp_path))
    code = ("import django; django.setup(); from django.conf import settings as s;"
            "print(s.DEBUG, s.DATABASES['default']['NAME'])")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "jmappa"]
    assert not (tmp_path / "postgres").exists() and not (tmp_path / "redis").exists()
