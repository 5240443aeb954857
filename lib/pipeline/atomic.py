"""The build's files appear whole or not at all: each is written beside its place, then renamed over it, so a
reader (a running server, a half-finished build) never sees part of one. They are public by design (the
static files, the open data, the curated CSV the steward's command extends): 0644, not the private 0600 of
:func:`tempfile.mkstemp`. A file left half-written by a failure is removed."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A new file beside ``path`` for the caller (or DuckDB's COPY, or a copy) to fill; renamed over ``path``
    when the block ends without an error."""
    fd, name = tempfile.mkstemp(prefix=path.name + ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes | str) -> None:
    """``data`` (text as UTF-8, line ends as given) as the whole of ``path``."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8", newline="")
        else:
            tmp.write_bytes(data)
