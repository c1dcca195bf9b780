"""The production container: Dockerfile, .dockerignore and docker-compose.yml.

Docker itself is not needed: the compose file is parsed and interpolated the
way Compose does it, its commands are resolved against the project, its
environment is loaded into the real settings in a fresh interpreter, and its
healthchecks are run against a stand-in server and the real Redis.
"""

from __future__ import annotations

import fnmatch
import http.server
import json
import os
import re
import shlex
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
import yaml
from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

BACKING_SERVICES = ("postgres", "redis")
APP_SERVICES = ("migrate", "web", "worker", "beat")
LONG_RUNNING = ("postgres", "redis", "web", "worker", "beat")

# What an operator puts in .env: the only variables the compose file requires.
OPERATOR_ENV = {
    "POSTGRES_PASSWORD": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "POSTGRES_APP_PASSWORD": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    "SECRET_KEY": "Zx8Qw3Er6Ty1Ui4Op7As2Df5Gh9Jk0Lz3Xc6Vb8Nm1Qa4Ws7Ed2Rf5Tg9Yh0Uj",
}


# --- reading the files the way Docker does ------------------------------------

_INTERPOLATION = re.compile(
    r"\$(?:(?P<escaped>\$)"
    r"|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<invalid>))"
)


class MissingVariable(Exception):
    pass


def interpolate(value, variables: dict[str, str]):
    """Compose's variable substitution, applied to every string in the file."""
    if isinstance(value, dict):
        return {key: interpolate(item, variables) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, variables) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        if match["invalid"] is not None:
            raise ValueError(f"Invalid interpolation format in {value!r}")
        name = match["braced"] or match["bare"]
        current = variables.get(name)
        op, arg = match["op"], match["arg"]
        if op in (":-", ":?"):
            missing = not current
        elif op in ("-", "?"):
            missing = current is None
        else:
            return current or ""
        if not missing:
            return current
        if op.endswith("?"):
            raise MissingVariable(f"{name}: {arg}")
        return arg

    return _INTERPOLATION.sub(substitute, value)


def load_compose(variables: dict[str, str] | None = None) -> dict:
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    return interpolate(raw, OPERATOR_ENV if variables is None else variables)


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: "" if value is None else str(value) for key, value in environment.items()}


def depends_on(service: dict) -> dict[str, str]:
    dependencies = service.get("depends_on") or {}
    if isinstance(dependencies, list):
        return {name: "service_started" for name in dependencies}
    return {name: (spec or {}).get("condition", "service_started")
            for name, spec in dependencies.items()}


def volume_mounts(service: dict) -> dict[str, str]:
    """Container path -> source, for the short volume syntax."""
    mounts = {}
    for volume in service.get("volumes") or []:
        source, target = volume.split(":")[:2]
        mounts[target] = source
    return mounts


def healthcheck_python(service: dict) -> str:
    test = service["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], test
    return test[3]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    instructions = []
    for line in logical:
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), " ".join(arguments.split())))
    return instructions


def dockerfile_runs() -> list[str]:
    return [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]


def fresh_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run code in a new interpreter with exactly this environment (as in the container)."""
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


class _StubHandler(http.server.BaseHTTPRequestHandler):
    status = 200
    seen: list[tuple[str, str]] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        type(self).seen.append((self.path, self.headers.get("Host", "")))
        self.send_response(type(self).status)
        if type(self).status in (301, 302):
            self.send_header("Location", "https://cases.example.je" + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def run_web_healthcheck(code: str, env: dict[str, str], status: int):
    """Run the web healthcheck against a stand-in server answering `status`.

    Returns (exit code, [(path, Host header)] the server saw).
    """
    assert code.count("8000") == 1, "the healthcheck should call port 8000 exactly once"
    handler = type("Handler", (_StubHandler,), {"status": status, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = fresh_python(code.replace("8000", str(server.server_address[1])), env)
    finally:
        server.shutdown()
        server.server_close()
    return result.returncode, handler.seen


# --- docker-compose.yml -------------------------------------------------------


def test_compose_runs_every_service_the_app_needs(services):
    assert set(services) >= set(BACKING_SERVICES + APP_SERVICES)
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert command_of(services["redis"]) == ["redis-server", "--appendonly", "yes"]
    for name in APP_SERVICES:
        assert services[name].get("build") == ".", f"{name} should run the project's image"
    for name in LONG_RUNNING:
        service = services[name]
        assert service.get("restart") == "unless-stopped", name
        healthcheck = service.get("healthcheck") or {}
        assert healthcheck.get("test") and not healthcheck.get("disable"), (
            f"{name} runs for good and needs a healthcheck"
        )
    assert services["migrate"].get("restart", "no") == "no", "migrate runs once"
    assert "healthcheck" not in services["migrate"]
    assert "8000" in [str(port).rsplit(":", 1)[-1] for port in services["web"]["ports"]]


def test_compose_keeps_postgres_and_redis_data_in_named_volumes(compose, services):
    named = set(compose.get("volumes") or {})
    postgres = volume_mounts(services["postgres"])
    redis_mounts = volume_mounts(services["redis"])
    assert postgres.get("/var/lib/postgresql/data") in named
    assert redis_mounts.get("/data") in named
    assert postgres["/var/lib/postgresql/data"] != redis_mounts["/data"]


def test_compose_backing_service_healthchecks_check_the_service(services):
    postgres_test = " ".join(services["postgres"]["healthcheck"]["test"])
    assert "pg_isready" in postgres_test
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    postgres_env = environment_of(services["postgres"])
    assert postgres_env["POSTGRES_DB"] == "jmappa"
    assert postgres_env["POSTGRES_USER"] == "jmappa"
    assert postgres_env["POSTGRES_PASSWORD"] == OPERATOR_ENV["POSTGRES_PASSWORD"]


def test_compose_starts_the_app_only_after_healthy_backends_and_migrations(services):
    assert depends_on(services["migrate"]) == {
        "postgres": "service_healthy", "redis": "service_healthy",
    }
    for name in ("web", "worker", "beat"):
        dependencies = depends_on(services[name])
        assert dependencies.get("migrate") == "service_completed_successfully", name
        assert dependencies.get("postgres") == "service_healthy", name
        assert dependencies.get("redis") == "service_healthy", name


def test_compose_commands_exist_in_the_project(services):
    import importlib

    from celery import Celery
    from celery.app.utils import find_app
    from django.core.management import get_commands

    # gunicorn jmappa.wsgi:application
    web = command_of(services["web"])
    assert web[0] == "gunicorn"
    target = next(arg for arg in web[1:] if not arg.startswith("-") and ":" in arg)
    module_name, _, attribute = target.partition(":")
    application = getattr(importlib.import_module(module_name), attribute)
    assert callable(application)
    assert web[web.index("--bind") + 1] == "0.0.0.0:8000"

    # celery -A jmappa worker / beat: found the way Celery finds it.
    for name, subcommand in (("worker", "worker"), ("beat", "beat")):
        command = command_of(services[name])
        assert command[:2] == ["celery", "-A"] and command[3] == subcommand, command
        app = find_app(command[2])
        assert isinstance(app, Celery) and app.main == "jmappa"

    # python manage.py migrate --noinput
    migrate = command_of(services["migrate"])
    assert migrate[:3] == ["python", "manage.py", "migrate"]
    assert (ROOT / migrate[1]).is_file()
    assert "migrate" in get_commands()

    # The web healthcheck calls a URL the project routes.
    paths = re.findall(r"'(/[^']*)'", healthcheck_python(services["web"]))
    assert paths == ["/healthz"]
    assert resolve(paths[0]).url_name == "healthz"


def test_dockerfile_default_command_is_the_compose_web_command(services):
    cmd = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "CMD"]
    assert len(cmd) == 1
    assert json.loads(cmd[0]) == command_of(services["web"])


def test_compose_app_services_share_settings_from_environment(services):
    environments = {name: environment_of(services[name]) for name in APP_SERVICES}
    first = environments["web"]
    # The migrations alone connect as the schema's owner, and name the runtime role.
    migrate = environments["migrate"]
    owner_url = migrate.pop("DATABASE_URL")
    assert migrate.pop("DATABASE_RUNTIME_ROLE") == urlsplit(first["DATABASE_URL"]).username
    environments["migrate"] = {**migrate, "DATABASE_URL": first["DATABASE_URL"]}
    for name, env in environments.items():
        assert env == first, f"{name} should get the same settings as web"
    assert urlsplit(owner_url).username == "jmappa"
    assert urlsplit(owner_url).password == OPERATOR_ENV["POSTGRES_PASSWORD"]
    assert urlsplit(first["DATABASE_URL"]).username == "jmappa_app"
    assert urlsplit(first["DATABASE_URL"]).password == OPERATOR_ENV["POSTGRES_APP_PASSWORD"]
    assert "DATABASE_RUNTIME_ROLE" not in first
    assert urlsplit(first["DATABASE_URL"]).hostname == "postgres"
    assert urlsplit(first["DATABASE_URL"]).path == "/jmappa"
    assert urlsplit(first["REDIS_URL"]).hostname == "redis"
    assert first["SECRET_KEY"] == OPERATOR_ENV["SECRET_KEY"]
    assert first["DEBUG"] == "0"
    assert first["SECURE_PROXY_SSL_HEADER"] == "1"
    assert first["ALLOWED_HOSTS"] == "localhost"
    assert first["EMAIL_URL"] and first["DEFAULT_FROM_EMAIL"]


def test_compose_creates_the_runtime_role_on_the_databases_first_start(services):
    postgres = services["postgres"]
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in postgres["volumes"]
    assert environment_of(postgres)["POSTGRES_APP_PASSWORD"] == OPERATOR_ENV[
        "POSTGRES_APP_PASSWORD"]
    script = ROOT / "deploy" / "postgres" / "10-runtime-role.sh"
    text = script.read_text()
    assert script.stat().st_mode & 0o111, "the postgres image runs only executable scripts"
    assert "CREATE ROLE jmappa_app LOGIN NOSUPERUSER" in text
    assert "PASSWORD :'app_password'" in text and "POSTGRES_APP_PASSWORD" in text


def test_compose_refuses_to_start_without_the_secrets():
    for name in OPERATOR_ENV:
        without = {key: value for key, value in OPERATOR_ENV.items() if key != name}
        with pytest.raises(MissingVariable, match=name):
            load_compose(without)
        with pytest.raises(MissingVariable, match=name):
            load_compose({**without, name: ""})


def test_compose_environment_makes_valid_production_settings_for_the_healthcheck(services):
    """The compose environment loads the real settings, and /healthz passes through them.

    For the default ALLOWED_HOSTS and for a real hostname list, the Host header
    the healthcheck sends is allowed, /healthz is not redirected to HTTPS while
    every other page is, and `check --deploy` is clean.
    """
    code = healthcheck_python(services["web"])
    probe = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory

host = sys.argv[1] if len(sys.argv) > 1 else None
middleware = SecurityMiddleware(lambda request: HttpResponse("ok"))
answers = {}
for path in ("/healthz", "/accounts/login/"):
    request = RequestFactory().get(path, HTTP_HOST=host)
    request.get_host()  # raises DisallowedHost if the host is not allowed
    answers[path] = middleware(request).status_code
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps({"debug": settings.DEBUG, "proxy": settings.SECURE_PROXY_SSL_HEADER,
                  "answers": answers}))
"""
    for allowed_hosts in (None, "cases.example.je,.example.je,localhost"):
        variables = dict(OPERATOR_ENV)
        if allowed_hosts:
            variables["ALLOWED_HOSTS"] = allowed_hosts
        env = environment_of(load_compose(variables)["services"]["web"])
        exit_code, seen = run_web_healthcheck(code, env, 200)
        assert exit_code == 0 and len(seen) == 1
        path, host = seen[0]
        assert path == "/healthz"

        result = subprocess.run(
            [sys.executable, "-c", probe, host], cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "jmappa.settings",
                 **env},
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        report = json.loads(result.stdout.strip().splitlines()[-1])
        assert report["debug"] is False
        assert report["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
        assert report["answers"] == {"/healthz": 200, "/accounts/login/": 301}, (
            f"ALLOWED_HOSTS={allowed_hosts!r}, Host {host!r}"
        )


def test_web_healthcheck_passes_only_on_a_200_from_healthz(services):
    code = healthcheck_python(services["web"])

    def web_env(allowed_hosts):
        return environment_of(
            load_compose({**OPERATOR_ENV, "ALLOWED_HOSTS": allowed_hosts})["services"]["web"]
        )

    # The Host header is one that Django's ALLOWED_HOSTS matching accepts.
    for allowed_hosts, host in ((" cases.example.je,x", "cases.example.je"),
                                (".example.je", "example.je"),
                                ("*", "localhost")):
        exit_code, seen = run_web_healthcheck(code, web_env(allowed_hosts), 200)
        assert exit_code == 0
        assert seen == [("/healthz", host)], f"ALLOWED_HOSTS={allowed_hosts!r}"

    env = web_env("cases.example.je")
    for failing in (503, 500, 301, 400):
        exit_code, seen = run_web_healthcheck(code, env, failing)
        assert exit_code != 0, f"a {failing} should fail the healthcheck"
        assert len(seen) == 1, "a redirect must not be followed"


def test_worker_healthcheck_pings_this_worker(services):
    test = services["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    command = shlex.split(test[1])
    assert command[:4] == ["celery", "-A", "jmappa", "inspect"] and "ping" in command
    # Compose turns $$ into $: the shell in the container expands the hostname,
    # which is Celery's default node name celery@%h.
    assert "celery@$HOSTNAME" in command


@pytest.fixture
def heartbeat_redis():
    """A Redis database of this test's own (14), emptied before and after."""
    url = urlunsplit(urlsplit(settings.REDIS_URL)._replace(path="/14"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url, client
    client.flushdb()


def test_beat_healthcheck_needs_a_recent_heartbeat(services, heartbeat_redis):
    from jmappa.core.health import HEARTBEAT_KEY

    assert "jmappa.core.tasks.heartbeat" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    url, client = heartbeat_redis
    code = healthcheck_python(services["beat"])
    env = {**environment_of(services["beat"]), "REDIS_URL": url}

    assert fresh_python(code, env).returncode != 0, "no heartbeat yet"
    client.set(HEARTBEAT_KEY, (datetime.now(UTC) - timedelta(hours=1)).isoformat())
    assert fresh_python(code, env).returncode != 0, "a heartbeat an hour old"
    client.set(HEARTBEAT_KEY, datetime.now(UTC).isoformat())
    result = fresh_python(code, env)
    assert result.returncode == 0, result.stderr


def test_beat_schedule_and_media_are_volumes_writable_by_the_app_user(compose, services):
    named = set(compose.get("volumes") or {})
    beat = command_of(services["beat"])
    schedule_dir = str(Path(beat[beat.index("--schedule") + 1]).parent)
    assert volume_mounts(services["beat"]).get(schedule_dir) in named

    env_lines = [args for keyword, args in dockerfile_instructions() if keyword == "ENV"]
    media_root = re.search(r"MEDIA_ROOT=(\S+)", " ".join(env_lines)).group(1)
    assert volume_mounts(services["web"]).get(media_root) in named
    assert volume_mounts(services["web"])[media_root] == volume_mounts(services["worker"])[
        media_root
    ]

    # The image creates both directories and gives them to the user the
    # containers run as: a new named volume starts with that ownership.
    assert media_root.startswith(schedule_dir + "/")
    user = [args for keyword, args in dockerfile_instructions() if keyword == "USER"][-1]
    assert any(
        re.search(rf"mkdir -p {re.escape(media_root)}(\s|$)", run)
        and re.search(rf"chown -R {re.escape(user)}:\S+ {re.escape(schedule_dir)}(\s|$)", run)
        for run in dockerfile_runs()
    )


# --- Dockerfile and .dockerignore ---------------------------------------------


def test_dockerfile_installs_no_development_extras():
    installs = [
        part.strip()
        for run in dockerfile_runs()
        for part in re.split(r"&&|;", run)
        if re.search(r"\bpip3? install\b", part)
    ]
    assert installs, "the Dockerfile should pip install the project"
    assert any(install.split()[-1] == "." for install in installs)
    for install in installs:
        assert "[" not in install, f"no extras in the image: {install}"
        assert not re.search(r"\b(embedded|dev)\b", install), install
        assert not re.search(r"(^|\s)(-e|--editable)(\s|$)", install), install
        assert "--no-cache-dir" in install


def test_dockerfile_runs_as_a_non_root_user_with_weasyprint_libraries():
    instructions = dockerfile_instructions()
    keywords = [keyword for keyword, _ in instructions]
    assert instructions[0][0] == "FROM"
    assert instructions[0][1].startswith("python:3.11-slim")
    assert ("WORKDIR", "/app") in instructions
    assert ("EXPOSE", "8000") in instructions
    assert "USER" in keywords
    last_user = len(keywords) - 1 - keywords[::-1].index("USER")
    assert instructions[last_user][1] not in ("root", "0")
    assert "RUN" not in keywords[last_user:], "nothing should run as root after USER"
    apt = " ".join(run for run in dockerfile_runs() if "apt-get install" in run)
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert re.search(rf"(^|\s){re.escape(package)}(\s|$)", apt), package
    assert re.search(r"\sfonts-\S+", apt), "WeasyPrint needs at least one font"


def test_dockerfile_collects_static_files_with_build_only_settings_that_import():
    collect = [run for run in dockerfile_runs() if "collectstatic" in run]
    assert len(collect) == 1
    assert "--noinput" in collect[0]
    assignments = dict(re.findall(r"(?:^|\s)([A-Z_]+)=(\S+)", collect[0]))
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= set(assignments)
    assert assignments["DEBUG"] == "0"
    # Build-only: not kept in the image's environment.
    for keyword, arguments in dockerfile_instructions():
        if keyword in ("ENV", "ARG"):
            assert "SECRET_KEY" not in arguments and "DATABASE_URL" not in arguments

    result = fresh_python(
        "from django.conf import settings; import django; django.setup();"
        "print(settings.DEBUG, settings.STORAGES['staticfiles']['BACKEND'])",
        {"DJANGO_SETTINGS_MODULE": "jmappa.settings", **assignments},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == [
        "False", "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_dockerignore_keeps_local_state_out_of_the_image():
    patterns = [
        line.strip() for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        return any(
            fnmatch.fnmatch(path, pattern.lstrip("/"))
            or fnmatch.fnmatch(path, pattern.lstrip("/").removeprefix("**/"))
            for pattern in patterns
        )

    for path in (".venv", "var", ".git", "__pycache__", "jmappa/__pycache__", "staticfiles",
                 "test-artifacts", ".pytest_cache", ".ruff_cache"):
        assert ignored(path), f"{path} should stay out of the image"
    for path in ("pyproject.toml", "manage.py", "jmappa", "templates", "Dockerfile"):
        assert not ignored(path), f"{path} is needed in the image"
