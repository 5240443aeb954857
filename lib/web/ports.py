"""Free loopback ports for the servers the tests, the benchmark, the screenshots and the stack start (each
through lib/web/serve.py). The standard library only, so that any of them may import it without loading
Streamlit."""
from __future__ import annotations

import random
import socket


def free_port() -> int:
    """A port the system has free now. Bound and released: a small race with other programs, which a server
    that cannot bind reports by exiting."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_run(count: int, tries: int = 100) -> int:
    """The first of ``count`` consecutive free loopback ports, below Linux's ephemeral range."""
    for _ in range(tries):
        first = random.randrange(20000, 32000 - count)
        try:
            for port in range(first, first + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {count} consecutive free ports found")
