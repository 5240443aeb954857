"""The Dockerfile, read (no Docker engine on these machines), and the stack's generated configuration."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess

import pytest

from deploy.stack import (Backend, content_security_policy, inline_script_hashes, render_nginx_conf,
                          render_upstreams, streamlit_command)
from lib.paths import PREBUILT_DB_ENV
from tests.conftest import ROOT


def _instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    text = re.sub(r"\\\n\s*", " ", text)  # join continuation lines
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            rows.append((keyword.upper(), rest.strip()))
    return rows


def test_dockerfile_has_the_required_parts():
    rows = _instructions()
    froms = [rest for k, rest in rows if k == "FROM"]
    assert len(froms) == 1
    # Pinned: a digest, or an exact patch-level tag (not python:3.11 or :latest).
    assert re.fullmatch(r"python@sha256:[0-9a-f]{64}|python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?",
                        froms[0]), froms[0]
    keywords = [k for k, _ in rows]
    users = [rest for k, rest in rows if k == "USER"]
    assert users and users[-1] not in ("root", "0"), "the app must not run as root"
    # The database is built at image build time, before the switch to the app user, and the app is told so.
    build = next(i for i, (k, rest) in enumerate(rows) if k == "RUN" and "python -m lib.pipeline" in rest)
    assert build < keywords.index("USER")
    env = " ".join(rest for k, rest in rows if k == "ENV")
    assert f"{PREBUILT_DB_ENV}=1" in env and "WENZHOU_DB=/app/data/build/wenzhou_plan.duckdb" in env
    assert "--db /app/data/build/wenzhou_plan.duckdb" in rows[build][1]
    health = [rest for k, rest in rows if k == "HEALTHCHECK"]
    assert health and "/_stcore/health" in health[0] and "CMD" in health[0]
    cmd = [rest for k, rest in rows if k == "CMD"][-1]
    assert '"deploy.stack", "process"' in cmd
    for _, rest in rows:
        if rest.startswith("pip install"):
            assert "-r requirements.txt" in rest  # only the exact pins


def test_dockerfile_copies_what_exists_and_ignores_build_outputs():
    for k, rest in _instructions():
        if k == "COPY":
            sources = shlex.split(rest)[:-1]
            for src in sources:
                if not src.startswith("--") and src != ".":
                    assert (ROOT / src).exists(), src
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for path in (".venv", "data/build", "bench/results", "deploy/run", ".git", ".streamlit/secrets.toml"):
        assert path in ignored


def test_container_command_is_the_stack_process_with_crowd_settings():
    cmd = streamlit_command(8501, None, address="0.0.0.0")
    flags = dict(zip(cmd[5::2], cmd[6::2]))
    assert cmd[1:5] == ["-m", "lib.serve", "run", str(ROOT / "app.py")]  # Streamlit's pages/ router off
    assert flags["--server.address"] == "0.0.0.0" and flags["--server.port"] == "8501"
    assert flags["--server.headless"] == "true" and flags["--server.fileWatcherType"] == "none"
    assert flags["--server.maxUploadSize"] == "1" and flags["--runner.postScriptGC"] == "false"
    assert "--browser.serverPort" not in flags
    stack_flags = dict(zip(*[iter(streamlit_command(40001, 8080)[5:])] * 2))
    assert stack_flags["--server.address"] == "127.0.0.1" and stack_flags["--browser.serverPort"] == "8080"


def test_csp_names_the_hash_of_each_inline_script():
    page = "<html><script>window.a = 1</script><script src='x.js'></script><script>b()</script></html>"
    # The two inline bodies' hashes, computed outside Python:
    #   echo -n 'window.a = 1' | openssl dgst -sha256 -binary | base64   (and the same for 'b()')
    assert inline_script_hashes(page) == ["'sha256-Aif1QuaDxF56ZK3+IyoelKcjrWC+BWl5ZGfcO1AMmA4='",
                                          "'sha256-cf242PFc/kb7xD0Qzhsmd9vvRkc+cWFmbi+k+YvtdKc='"]
    csp = content_security_policy(page)
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in csp and "'unsafe-eval'" not in csp


def test_rendered_nginx_configuration_is_valid(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not shutil.which(nginx):
        pytest.fail("nginx is not installed: run scripts/install_system_deps.sh (make test does)")
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / "tmp" / sub).mkdir(parents=True)
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_nginx_conf(tmp_path, "127.0.0.1:1", content_security_policy()))
    backends = [Backend(0, 40001, up=True), Backend(1, 40002, up=False)]
    (tmp_path / "upstreams.conf").write_text(render_upstreams(backends))
    assert "server 127.0.0.1:40002 max_fails=1 fail_timeout=5s down;" in (tmp_path / "upstreams.conf").read_text()
    done = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_uploads_are_capped_for_a_crowd():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 1  # megabytes: the only upload is a small CSV
    conf = render_nginx_conf(ROOT, "127.0.0.1:1", "default-src 'self'")
    assert "client_max_body_size 2m;" in conf  # nginx refuses more before a process sees it
