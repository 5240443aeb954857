# The explorer as one container: one Streamlit process, the database built into the image (read-only).
# Run several behind a load balancer with session affinity (docs/deploy.md); for one machine, make stack.
#
#   docker build -t wenzhou-explorer .
#   docker run --rm -p 8501:8501 --read-only --tmpfs /tmp wenzhou-explorer
#
# Not built on the development machines (they have no Docker engine); tests/test_deploy_files.py checks
# this file for its required parts. Pin by digest once pulled where Docker runs:
#   docker pull python:3.11.7-slim-bookworm && docker inspect --format '{{index .RepoDigests 0}}' python:3.11.7-slim-bookworm
FROM python:3.11.7-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# CJK fonts for chart exports rendered on the server (vl-convert); the browser brings its own.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The code and data stay owned by root: the app user can read them, not change them.
COPY . .
# The database and the static files (map layer, open data) are built once, here, and shipped read-only.
RUN python -m lib.pipeline --db /app/data/build/wenzhou_plan.duckdb

RUN useradd --system --create-home --home-dir /home/app --shell /usr/sbin/nologin app
USER app
ENV HOME=/home/app \
    WENZHOU_DB=/app/data/build/wenzhou_plan.duckdb \
    WENZHOU_DB_PREBUILT=1

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"]

# One Streamlit process with the crowd settings of the nginx stack (deploy/stack.py: streamlit_command).
CMD ["python", "-m", "deploy.stack", "process", "--port", "8501", "--address", "0.0.0.0"]
