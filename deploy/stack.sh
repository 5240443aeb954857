#!/usr/bin/env bash
# The one-machine stack: supervisord (N Streamlit processes, HAProxy, httpok, memmon) from the
# configuration deploy/stack.py renders. `make stack`, `make stack-stop`, `make stack-status` call this.
#
#   deploy/stack.sh start|stop|status
#
# Settings (environment): STACK_RUN_DIR (deploy/run), PROCESSES (2), STACK_PORT (8080),
# STACK_DB (data/build/wenzhou_plan.duckdb, built by `make stack` before), STACK_MEMORY_CEILING_MB (memmon's
# line; deploy/stack.py's default), PYTHON (.venv/bin/python).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run_dir="$(realpath -m "${STACK_RUN_DIR:-$root/deploy/run}")"
# -s: keep the venv's own path (its python is a symlink out of the venv).
python="$(realpath -s "${PYTHON:-$root/.venv/bin/python}")"
bin="$(dirname "$python")"
conf="$run_dir/supervisord.conf"
ctl() { "$bin/supervisorctl" -c "$conf" "$@"; }

running() { [ -f "$conf" ] && ctl pid >/dev/null 2>&1; }

start() {
  if running; then
    echo "already running ($run_dir; \`make stack-stop\` stops it)"
    return 0
  fi
  local port="${STACK_PORT:-8080}" ports
  ports="$(cd "$root" && "$python" -m deploy.stack --run-dir "$run_dir" --processes "${PROCESSES:-2}" \
    --port "$port" --db "${STACK_DB:-$root/data/build/wenzhou_plan.duckdb}" \
    ${STACK_MEMORY_CEILING_MB:+--memory-ceiling-mb "$STACK_MEMORY_CEILING_MB"})"
  "$bin/supervisord" -c "$conf"
  # Ready when every process and then HAProxy answer (curl retries; nothing of ours polls).
  for p in $ports "$port"; do
    if ! curl -fs -o /dev/null --noproxy '*' --retry 60 --retry-delay 1 --retry-connrefused --retry-all-errors \
        --max-time 5 "http://127.0.0.1:$p/_stcore/health"; then
      echo "stack did not come up; logs in $run_dir" >&2
      stop
      return 1
    fi
  done
  echo "stack ready: http://127.0.0.1:$port/  (${PROCESSES:-2} Streamlit processes behind HAProxy; logs in $run_dir)"
}

stop() {
  local pid
  pid="$(cat "$run_dir/supervisord.pid" 2>/dev/null)" || { echo "no stack running here"; return 0; }
  # supervisord stops every program (SIGTERM, SIGKILL after stopwaitsecs), then exits.
  ctl shutdown >/dev/null 2>&1 || true
  timeout 30 tail --pid="$pid" -f /dev/null || true
  # Whatever is left in supervisord's session (supervisord itself killed or hung: its programs are still in
  # the session it leads), unless that pid now belongs to something else.
  if ! kill -0 "$pid" 2>/dev/null || grep -qaF "$conf" "/proc/$pid/cmdline" 2>/dev/null; then
    pkill -KILL -s "$pid" 2>/dev/null || true
    # Returns once they are gone (their ports closed), not merely signalled.
    timeout 15 bash -c "while pgrep -s $pid >/dev/null; do sleep 0.1; done" || true
  fi
  rm -f "$run_dir/supervisord.pid"
  echo "stack stopped"
}

status() {
  running || { echo "no stack running here ($run_dir)"; return 1; }
  ctl status
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
