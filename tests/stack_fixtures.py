"""The nginx stack (deploy/stack.py) on loopback for the tests: real nginx, real Streamlit processes.

Import the fixtures into a test module (``from tests.stack_fixtures import stack  # noqa: F401``).
A missing nginx fails the test with the install hint: `make test` installs it
(scripts/install_system_deps.sh); nothing here is skipped.
"""
from __future__ import annotations

import shutil

import pytest

from bench.stack import StackProcess
from deploy.stack import NGINX_MISSING


def require_nginx() -> None:
    if shutil.which("nginx") is None and not shutil.which("/usr/sbin/nginx"):
        pytest.fail(NGINX_MISSING)


def started_stack(tmp_path_factory, plan_db, processes: int = 2, restart: bool = False) -> StackProcess:
    require_nginx()
    stack = StackProcess(tmp_path_factory.mktemp("stack"), processes, plan_db, restart=restart)
    stack.start()
    return stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory, plan_db):
    """Two processes behind nginx, shared by a module's tests; none of them stops a process."""
    s = started_stack(tmp_path_factory, plan_db)
    yield s
    s.stop()


@pytest.fixture
def fresh_stack(tmp_path_factory, plan_db):
    """A stack of its own, for a test that stops one of its processes."""
    s = started_stack(tmp_path_factory, plan_db)
    yield s
    s.stop()


@pytest.fixture
def restarting_stack(tmp_path_factory, plan_db):
    """A stack of its own whose supervisor starts an exited process again (what `make stack` runs)."""
    s = started_stack(tmp_path_factory, plan_db, restart=True)
    yield s
    s.stop()
