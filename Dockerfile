# The explorer as one container: one Streamlit process, the database built into the image (read-only).
# Run several behind a load balancer with session affinity (docs/deploy.md, deploy/k8s/); for one machine,
# make stack.
#
#   docker build -t wenzhou-explorer .
#   docker run --rm -p 8501:8501 --read-only --tmpfs /tmp wenzhou-explorer
#
# Not built on the development machines (they have no Docker engine); tests/test_deploy_files.py lints it
# with hadolint and checks its required parts. Pin by digest once pulled where Docker runs:
#   docker pull python:3.11.7-slim-bookworm && docker inspect --format '{{index .RepoDigests 0}}' python:3.11.7-slim-bookworm
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts for chart exports rendered on the server (vl-convert); the browser brings its own. Pinned to
# bookworm's version (the base image's release). The app's user: numeric, so Kubernetes' runAsNonRoot can
# verify it (deploy/k8s/deployment.yaml runs as 10001).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk=1:20220127+repack1-1 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /tmp --shell /usr/sbin/nologin app

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code and data stay owned by root: the app user can read them, not change them.
COPY . .
# The database and the static files (map layer, open data) are built once, here, and shipped read-only.
RUN python -m lib.pipeline --db /app/data/build/wenzhou_plan.duckdb

USER 10001
# The root filesystem is read-only where it runs (docker run --read-only, Kubernetes): the only writable
# place is a tmpfs/emptyDir at /tmp, where fontconfig and Typst keep their caches.
ENV HOME=/tmp \
    WENZHOU_DB=/app/data/build/wenzhou_plan.duckdb

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"]

# One Streamlit process; the crowd settings (headless, no file watcher, 1 MB uploads, no GC after every run)
# are in .streamlit/config.toml, the same for the one-machine stack and `make run`.
CMD ["python", "-m", "lib.web.serve", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
