"""A Streamlit server with the benchmark's instruments inside it: ``python -m bench.instrumented [opts] -- run app.py …``.

Everything after ``--`` is handed to Streamlit's own command line through ``lib/web/serve.py``, in this
process, so the server is the same one ``python -m lib.web.serve run`` (``make run``, the stack) starts. Two instruments, both idle until asked:

* ``--profile-dir DIR``: a cProfile for every thread that does the work of a rerun — each script run
  (Streamlit starts a thread per run: ``ScriptRunner._run_script_thread``, which also does the post-run
  GC) and the main thread (the event loop: the websocket, serialising the messages). It starts on
  SIGUSR1 and, on SIGUSR2, the profiles collected since are merged and written to DIR as
  ``script.prof`` and ``main.prof`` (pstats files; ``bench.profile`` reads them). The timer is the
  thread's CPU time (``time.thread_time``), not wall time: on a shared, loaded machine other programs'
  CPU use would otherwise be booked to whichever function was running when the OS took the core away.
* ``--stats CSV``: every ``--stats-interval`` seconds a line with the process's RSS, Python's gc
  counts and collections per generation, the memory blocks Python's allocator holds
  (``sys.getallocatedblocks()``: objects and their buffers, a cheap stand-in for an object count), and the
  sessions the runtime holds (connected, and disconnected ones kept for reconnection,
  ``server.disconnectedSessionTTL``). Reads Streamlit's private state and never changes it (the session
  storage is counted without reaping it). Not ``len(gc.get_objects())``: called from this thread it can
  catch a tuple that another thread is still building from an iterator (``tuple(generator)``, as pandas
  does), and that thread then fails with ``SystemError: Objects/tupleobject.c:927: bad argument to internal
  function`` (CPython #39117, fixed in 3.13 by gh-107137; this is 3.11). An early soak did that once in
  8,000 page runs.

Not for production: the bench starts it through ``bench.server.StreamlitServer(launcher=…)``.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import signal
import sys
import threading
import time
from pathlib import Path

_lock = threading.Lock()
_profiling = threading.Event()
_script_profiles: list[cProfile.Profile] = []
_main_profile: cProfile.Profile | None = None
_runs_profiled = 0


def _profiler() -> cProfile.Profile:
    # Thread CPU time: see the module doc. ns resolution, one clock_gettime per call/return.
    return cProfile.Profile(time.thread_time)


def _patch_script_runner() -> None:
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script_thread

    def profiled_run_script_thread(self) -> None:
        global _runs_profiled
        if not _profiling.is_set():
            return original(self)
        prof = _profiler()
        prof.enable()
        try:
            return original(self)
        finally:
            prof.disable()
            with _lock:
                _script_profiles.append(prof)
                _runs_profiled += 1

    script_runner.ScriptRunner._run_script_thread = profiled_run_script_thread


def _start_profiling(signum, frame) -> None:  # SIGUSR1; runs on the main thread
    global _main_profile, _runs_profiled
    with _lock:
        _script_profiles.clear()
        _runs_profiled = 0
    _main_profile = _profiler()
    _main_profile.enable()  # profiles the main thread (the thread a signal handler runs on)
    _profiling.set()


def _make_stop_profiling(out_dir: Path):
    def stop(signum, frame) -> None:  # SIGUSR2
        global _main_profile
        _profiling.clear()
        if _main_profile is not None:
            _main_profile.disable()
        import pstats

        out_dir.mkdir(parents=True, exist_ok=True)
        with _lock:
            profiles = list(_script_profiles)
            runs = _runs_profiled
        if profiles:
            stats = pstats.Stats(profiles[0])
            for p in profiles[1:]:
                stats.add(p)
            stats.dump_stats(out_dir / "script.prof")
        if _main_profile is not None:
            pstats.Stats(_main_profile).dump_stats(out_dir / "main.prof")
            _main_profile = None
        (out_dir / "profiled_runs.txt").write_text(f"{runs}\n")
    return stop


def _rss_kb() -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]), int(fields["RssAnon"].split()[0])


def _sessions() -> tuple[int, int, int]:
    """(connected, stored for reconnection, of which not yet expired), read without side effects."""
    try:
        from streamlit.runtime import Runtime  # imported by main() before this thread starts

        mgr = Runtime.instance()._session_mgr
        active = len(mgr._active_session_info_by_id)
        cache = getattr(mgr._session_storage, "_cache", None)
        stored = len(getattr(cache, "_expirations", {})) if cache is not None else -1  # len(cache) would reap
        live = cache.currsize if cache is not None else -1
        return active, stored, live
    except Exception:  # runtime not up yet, or internals moved
        return -1, -1, -1


STATS_COLUMNS = ("t_s", "rss_kb", "anon_kb", "gc_count0", "gc_count1", "gc_count2", "gc_collections0",
                 "gc_collections1", "gc_collections2", "allocated_blocks", "sessions_connected", "sessions_stored",
                 "sessions_stored_live")


def _stats_loop(path: Path, interval: float, modules_path: Path | None) -> None:
    started = time.monotonic()
    with open(path, "w", buffering=1) as out:
        out.write(",".join(STATS_COLUMNS) + "\n")
        while True:
            if modules_path:  # the top-level packages imported so far (geopandas? pyproj? the pipeline?)
                loaded = sorted({name.split(".")[0] for name in list(sys.modules)} | {
                    name for name in list(sys.modules) if name.startswith("lib.")})
                modules_path.write_text("\n".join(loaded) + "\n")
            rss, anon = _rss_kb()
            counts = gc.get_count()
            collections = [g["collections"] for g in gc.get_stats()]
            row = (round(time.monotonic() - started, 2), rss, anon, *counts, *collections, sys.getallocatedblocks(),
                   *_sessions())
            out.write(",".join(str(x) for x in row) + "\n")
            time.sleep(interval)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        raise SystemExit("usage: python -m bench.instrumented [options] -- run SCRIPT [streamlit options]")
    cut = argv.index("--")
    p = argparse.ArgumentParser(prog="python -m bench.instrumented")
    p.add_argument("--profile-dir", type=Path, help="enable SIGUSR1/SIGUSR2 profiling; profiles go here")
    p.add_argument("--stats", type=Path, help="CSV of memory, gc and session counts")
    p.add_argument("--stats-interval", type=float, default=2.0)
    p.add_argument("--modules", type=Path, help="with --stats: the imported packages, rewritten every sample")
    args = p.parse_args(argv[:cut])
    if args.profile_dir:
        _patch_script_runner()
        signal.signal(signal.SIGUSR1, _start_profiling)
        signal.signal(signal.SIGUSR2, _make_stop_profiling(args.profile_dir))
    if args.stats:
        import streamlit.runtime  # noqa: F401  here, not first on the stats thread (a circular import there)

        threading.Thread(target=_stats_loop, args=(args.stats, args.stats_interval, args.modules),
                         name="bench-stats", daemon=True).start()
    from lib.web import serve  # as every server of the explorer starts: Streamlit's pages/ router off

    sys.argv = ["streamlit", *argv[cut + 1:]]
    serve.main()


if __name__ == "__main__":
    main()
