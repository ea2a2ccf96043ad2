"""Run manage.py and the stack's commands in subprocesses, as production runs them: without dev
mode, with the settings' required secrets."""

import os
import socket
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
# Secrets of the kind production is given; generated fresh, never a known value.
SECRET_KEY = "k" + os.urandom(40).hex()
FERNET_KEY = Fernet.generate_key().decode()
# What the parent test process has that a production process must not inherit.
_NOT_INHERITED = (
    "AUTOCOLLECT_DEV_MODE",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "AUTOCOLLECT_FERNET_KEYS",
    "AUTOCOLLECT_PLAIN_HTTP",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # the tests' Playwright needs it; production must not have it
)


def production_env(tmp_path: Path, **overrides: str | None) -> dict:
    """A production environment on a private SQLite file; an override of None unsets a name."""
    env = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    env.update(
        DJANGO_SECRET_KEY=SECRET_KEY,
        AUTOCOLLECT_FERNET_KEYS=FERNET_KEY,
        DJANGO_ALLOWED_HOSTS="collect.example.com,testserver",
        AUTOCOLLECT_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(
    args: list[str], env: dict, timeout: float = 180, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
