"""Issue 7, item 12: `docker compose up` gives a working portal with the demo. No Docker daemon
runs here, so the file's structure is checked and the commands its services run are run, in
production mode, as subprocesses: migrate, collectstatic (the image build), the emulator, the demo
loader and gunicorn with its healthcheck; then the documented first login over HTTP. They run in
the image's /app as the Dockerfile lays it out (its COPY lines and ENV), and import the project
from there only, not from this checkout: a package or folder the image leaves out fails here."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from tests.deploy import FERNET_KEY, ROOT, SECRET_KEY, free_port, manage, production_env

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
SERVICES = COMPOSE["services"]
APP_SERVICES = ["migrate", "emulator", "demo", "web", "worker", "beat"]
ONE_SHOT = ["migrate", "demo"]
_VARIABLE = re.compile(r"\$\{(\w+)(?::([?-])([^}]*))?\}")


def interpolate(value: str, given: dict) -> str:
    """Compose's ${NAME:?message} (refuse to start without it) and ${NAME:-default}."""

    def resolve(match):
        name, kind, rest = match.groups()
        if given.get(name):
            return given[name]
        if kind == "-":
            return rest
        raise LookupError(f"compose refuses to start: {name}: {rest}")

    return _VARIABLE.sub(resolve, str(value))


# The image's interpreter sees the project only where the Dockerfile put it: this checkout's
# editable install (a finder on sys.meta_path) is taken away before anything is imported.
_IMAGE_SITECUSTOMIZE = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if not f.__module__.startswith("__editable__")]
"""


def image_tree(tmp_path: Path) -> Path:
    """The image's WORKDIR /app, laid out under tmp_path by the Dockerfile's COPY lines."""
    assert "WORKDIR /app" in DOCKERFILE.splitlines()
    app = tmp_path / "app"
    app.mkdir()
    for line in DOCKERFILE.splitlines():
        if not line.startswith("COPY "):
            continue
        *sources, dest = line.split()[1:]
        for source in sources:
            into_dir = dest.endswith("/") or len(sources) > 1
            target = app / dest / source if into_dir else app / dest
            if (ROOT / source).is_dir():
                ignore = shutil.ignore_patterns("__pycache__")
                shutil.copytree(ROOT / source, target, ignore=ignore)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / source, target)
    boot = tmp_path / "boot"
    boot.mkdir()
    (boot / "sitecustomize.py").write_text(_IMAGE_SITECUSTOMIZE)
    return app


def image_env(app: Path) -> dict:
    """The Dockerfile's ENV, its /app being `app`."""
    env = {}
    for line in DOCKERFILE.splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line[4:]):
                name, _, value = pair.partition("=")
                env[name] = re.sub(r"^/app\b", str(app), value)
    env["PYTHONPATH"] = os.pathsep.join([str(app.parent / "boot"), env.get("PYTHONPATH", "")])
    return env


def compose_env(tmp_path: Path, app: Path) -> dict:
    """The app services' environment as the image and compose give it, on this machine: a
    private SQLite file instead of the postgres service, eager tasks instead of the redis
    service."""
    given = {"DJANGO_SECRET_KEY": SECRET_KEY, "AUTOCOLLECT_FERNET_KEYS": FERNET_KEY}
    env = {**production_env(tmp_path), **image_env(app)}
    for name, value in SERVICES["web"]["environment"].items():
        env[name] = interpolate(value, given)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'compose.sqlite3'}"
    env.pop("CELERY_BROKER_URL")
    env["AUTOCOLLECT_VAR_DIR"] = str(tmp_path / "data")
    return env


def command(service: str, replace: dict | None = None) -> list[str]:
    """A service's command, to run here: the venv's executables, local hosts and ports."""
    argv = [str((replace or {}).get(arg, arg)) for arg in SERVICES[service]["command"]]
    if argv[0] == "python":
        argv[0] = sys.executable
    elif argv[0] in ("gunicorn", "celery"):
        argv[0] = str(Path(sys.executable).with_name(argv[0]))
    return argv


def test_services_wait_for_migrations_and_have_healthchecks_and_restart_policies():
    for name in APP_SERVICES:
        assert SERVICES[name]["build"] == "." and SERVICES[name]["image"]
    for name in ONE_SHOT:
        assert SERVICES[name]["restart"] == "no"
    for name in ["postgres", "redis", "emulator", "web", "worker", "beat"]:
        assert SERVICES[name]["restart"] == "unless-stopped", name
    for name in ["postgres", "redis", "emulator", "web"]:
        assert SERVICES[name]["healthcheck"]["test"], name
    assert command("migrate")[1:] == ["manage.py", "migrate", "--noinput"]
    for name in ["demo", "web", "worker", "beat"]:
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name
    assert SERVICES["migrate"]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert SERVICES["demo"]["depends_on"]["emulator"] == {"condition": "service_healthy"}
    assert SERVICES["web"]["depends_on"]["demo"] == {"condition": "service_completed_successfully"}
    # The portal without TLS is reachable from this machine only.
    assert SERVICES["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_no_secret_ships_with_the_file():
    env = SERVICES["web"]["environment"]
    for name in ["DJANGO_SECRET_KEY", "AUTOCOLLECT_FERNET_KEYS"]:
        assert env[name].startswith(f"${{{name}:?"), name
        with pytest.raises(LookupError):
            interpolate(env[name], {})
    # Every app service has the same environment (one anchor), so none runs with another key.
    assert all(SERVICES[name]["environment"] == env for name in APP_SERVICES)


def test_the_image_collects_static_files_where_the_app_serves_them_from():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ENV AUTOCOLLECT_STATIC_ROOT=/app/static" in dockerfile
    assert "python manage.py collectstatic --noinput" in dockerfile
    # The data volume is mounted over /data, not over the collected files.
    assert "AUTOCOLLECT_VAR_DIR=/data" in dockerfile
    assert SERVICES["web"]["volumes"] == ["appdata:/data"]


def _wait_for_line(proc: subprocess.Popen, prefix: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(prefix):
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"no {prefix!r} from {proc.args}")


def _healthy(argv: list[str], env: dict, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(argv, env=env, capture_output=True).returncode != 0:
        assert time.monotonic() < deadline, f"healthcheck never passed: {argv}"
        time.sleep(0.3)


def _healthcheck(service: str, port: int) -> list[str]:
    test = SERVICES[service]["healthcheck"]["test"]
    assert test[0] == "CMD"
    argv = [re.sub(r"\b(8000|8801)\b", str(port), arg) for arg in test[1:]]
    return [sys.executable, *argv[1:]] if argv[0] == "python" else argv


def load_demo(erp_url: str, env: dict, app: Path) -> subprocess.CompletedProcess:
    demo = subprocess.run(
        command("demo", {"http://emulator:8801/v2": erp_url}),
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    return demo


@pytest.fixture
def stack(tmp_path):
    """migrate, collectstatic, emulator, demo and web, each as its compose service runs it, in
    the image's /app."""
    app = image_tree(tmp_path)
    env = compose_env(tmp_path, app)
    started = []

    def start(argv):
        proc = subprocess.Popen(
            argv, cwd=app, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        started.append(proc)
        return proc

    try:
        migrate = subprocess.run(command("migrate"), cwd=app, env=env, capture_output=True)
        assert migrate.returncode == 0, migrate.stderr
        # The image build: dev mode only to start, DEBUG off as at run time.
        build = {**env, "AUTOCOLLECT_DEV_MODE": "1", "DJANGO_DEBUG": "0"}
        collected = manage(["collectstatic", "--noinput"], build, cwd=app)
        assert collected.returncode == 0, collected.stderr

        erp_port = free_port()
        emulator = start(command("emulator", {"0.0.0.0": "127.0.0.1", "8801": erp_port}))
        _wait_for_line(emulator, "Tripletex emulator:")
        _healthy(_healthcheck("emulator", erp_port), env)

        demo = load_demo(f"http://127.0.0.1:{erp_port}/v2", env, app)

        web_port = free_port()
        start(command("web", {"0.0.0.0:8000": f"127.0.0.1:{web_port}"}))
        _healthy(_healthcheck("web", web_port), env)
        yield {
            "url": f"http://127.0.0.1:{web_port}",
            "erp_url": f"http://127.0.0.1:{erp_port}/v2",
            "demo_output": demo.stdout,
            "env": env,
            "app": app,
        }
    finally:
        for proc in started:
            proc.terminate()
        for proc in started:
            proc.wait(timeout=30)


def test_compose_up_serves_the_portal_with_the_demo_and_the_documented_login(stack):
    url = stack["url"]
    assert "cases opened" in stack["demo_output"]
    assert "user 'support' / password 'autocollect-demo'" in stack["demo_output"]

    session = requests.Session()
    response = _log_in(session, url, "fjordvik")
    assert response.status_code == 200 and response.url != f"{url}/login/"
    assert "Fjordvik" in response.text

    # Static files: collected into STATIC_ROOT at build, served by whitenoise, hashed and cached.
    admin = session.get(f"{url}/admin/login/", timeout=10)
    css = re.search(r'href="(/static/admin/css/base\.[0-9a-f]+\.css)"', admin.text).group(1)
    served = session.get(f"{url}{css}", timeout=10)
    assert served.status_code == 200 and "immutable" in served.headers["Cache-Control"]

    # The compiled catalogues are in the image: the login page in the reader's language.
    swedish = requests.get(f"{url}/login/", headers={"Accept-Language": "sv"}, timeout=10)
    assert "E-post eller användarnamn" in swedish.text  # ours, not Django's catalogue

    # `docker compose up` again runs the one-shot demo again: it finds what it made.
    again = load_demo(stack["erp_url"], stack["env"], stack["app"])
    assert again.stdout.count(", 0 cases opened") == 2
    assert "Fjordvik" in _log_in(requests.Session(), url, "fjordvik").text


def _log_in(session: requests.Session, url: str, username: str) -> requests.Response:
    page = session.get(f"{url}/login/", timeout=10)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        f"{url}/login/",
        data={"username": username, "password": "autocollect-demo", "csrfmiddlewaretoken": token},
        timeout=10,
    )


_WORKER_IMPORTS = """
import collection, support, integrations.inexchange.ubl as ubl
print(collection.__file__, support.__file__, ubl.SCHEMA_DIR, sep="\\n")
print(ubl.SCHEMA_DIR.is_dir())
"""


def test_a_worker_imports_the_project_from_the_image_with_its_data_files(tmp_path):
    """Celery has /app on the path only while it imports the app module; the tasks' modules
    come from PYTHONPATH, with the files they read beside them (here the UBL schemas)."""
    app = image_tree(tmp_path)
    env = compose_env(tmp_path, app)
    result = subprocess.run(
        [sys.executable, "-c", _WORKER_IMPORTS],
        cwd=tmp_path,  # not /app
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    *files, is_dir = result.stdout.split()
    assert all(Path(f).is_relative_to(app) for f in files), files
    assert is_dir == "True"
