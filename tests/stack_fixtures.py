"""The one-machine stack (deploy/stack.sh) on loopback for the tests: real supervisord, HAProxy, httpok,
memmon and Streamlit processes.

Import the fixtures into a test module (``from tests.stack_fixtures import stack  # noqa: F401``).
A missing HAProxy fails the test with the install hint: `make test` installs it
(scripts/install_system_deps.sh); nothing here is skipped.
"""
from __future__ import annotations

import shutil

import pytest

from bench.stack import StackProcess
from deploy.stack import HAPROXY

HAPROXY_MISSING = ("HAProxy is not installed: run `bash scripts/install_system_deps.sh` (as root; `make test` and "
                   "`make stack` do)")


def started_stack(tmp_path_factory, plan_db, processes: int = 2, **kwargs) -> StackProcess:
    if not shutil.which(HAPROXY):
        pytest.fail(HAPROXY_MISSING)
    stack = StackProcess(tmp_path_factory.mktemp("stack"), processes, plan_db, **kwargs)
    try:
        stack.start()
    except BaseException:
        stack.stop()
        raise
    return stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory, plan_db):
    """Two processes behind HAProxy, shared by a module's tests; none of them stops a process."""
    s = started_stack(tmp_path_factory, plan_db)
    yield s
    s.stop()


@pytest.fixture
def fresh_stack(tmp_path_factory, plan_db):
    """A stack of its own, for a test that stops, hangs or floods one of its processes."""
    s = started_stack(tmp_path_factory, plan_db)
    yield s
    s.stop()
