"""The benchmark's own arithmetic (bench/): paired app − hello, goals, the soak's verdict, py-spy stacks.

No server, no timing: fixed inputs, exact outputs. The benchmark itself is run with `make bench`.
"""
from __future__ import annotations

import pytest

from bench.profile import PAGE_FILES, attribute_to_app, layers, origin, parse_collapsed
from bench.run import evaluate_goals, percentile, summarise_pair
from bench.soak import verdict


def _metrics(cpu: float, p95: float, sent: float) -> dict:
    base = {"cpu_ms_per_change_concurrent": 1.0, "client_cpu_ms_per_change_concurrent": 1.0, "bytes_median": sent,
            "latency_p50_ms": 1.0, "latency_p95_ms": 1.0, "concurrent_latency_p50_ms": 1.0, "first_load_ms": 1.0,
            "first_load_bytes": 1.0}
    return {**base, "cpu_ms_per_change": cpu, "concurrent_latency_p95_ms": p95, "bytes_p95": sent}


def test_percentile_interpolates_like_numpy():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)
    assert percentile([7], 95) == 7


def test_own_cost_is_taken_per_round_from_the_pair():
    # Round 2 ran on a busier machine: both sides slower. The paired difference stays 10 ms each round,
    # while the difference of the medians would not be that.
    rounds = [{"hello": _metrics(3, 100, 1000), "app": _metrics(13, 150, 9000)},
              {"hello": _metrics(9, 300, 1000), "app": _metrics(19, 500, 9000)},
              {"hello": _metrics(4, 120, 1000), "app": _metrics(14, 260, 9500)}]
    s = summarise_pair(rounds)
    assert s["cpu_ms_per_change"]["own"] == {"median": 10, "min": 10, "max": 10}
    assert s["cpu_ms_per_change"]["hello"]["median"] == 4
    assert s["cpu_ms_per_change"]["ratio"] == pytest.approx(14 / 4)
    assert s["concurrent_latency_p95_ms"]["ratio"] == pytest.approx(260 / 120)


def test_goals_judge_own_cost_against_twice_hello_with_the_gc_off():
    off = summarise_pair([{"hello": _metrics(3, 100, 1000), "app": _metrics(9, 190, 9900)}])
    default = summarise_pair([{"hello": _metrics(20, 1000, 1000), "app": _metrics(25, 2500, 9900)}])
    (row,) = evaluate_goals({"default": {"map-district": default}, "gc-off": {"map-district": off}}, 50)
    assert row["own_cpu"]["ms"] == 6 and row["own_cpu"]["met"]          # 6 ms ≤ 2 × 3 ms
    assert row["p95_gc_off"]["met"] and not row["p95_default"]["met"]  # 1.9× vs 2.5×
    assert row["bytes"]["met"] and not row["cpu_default"]["met"]       # 9.9 KB; 1.25× > 1×
    slower = summarise_pair([{"hello": _metrics(3, 100, 1000), "app": _metrics(9.5, 100, 10001)}])
    (row,) = evaluate_goals({"gc-off": {"map-district": slower}}, 50)
    assert not row["own_cpu"]["met"] and not row["bytes"]["met"] and "p95_default" not in row


def _sample(t, done, rss, phase="load"):
    return {"t_s": t, "visitors_done": done, "rss_mb": rss, "phase": phase}


def test_soak_verdict_compares_the_last_sample_with_the_level_after_100_visitors():
    samples = [_sample(0, 0, 60), _sample(10, 50, 240), _sample(20, 100, 250), _sample(30, 400, 300),
               _sample(40, 500, 290), _sample(200, 500, 270, "after one more visitor")]
    v = verdict(samples)
    assert v["baseline_rss_mb"] == 250 and v["peak_rss_mb"] == 300 and v["end_of_load_rss_mb"] == 290
    assert v["final_vs_baseline"] == pytest.approx(0.08) and v["returned"]
    v = verdict(samples + [_sample(220, 500, 280, "after one more visitor")])
    assert v["final_vs_baseline"] == pytest.approx(0.12) and not v["returned"]
    assert verdict(samples[:2]) == {"judged": False}


def test_py_spy_samples_go_to_the_innermost_app_frame():
    page = sorted(PAGE_FILES)[0]  # py-spy names a page by its file name alone
    text = "\n".join([
        "thread (1): ScriptRunner.scriptThread;code_to_exec (streamlit/runtime/scriptrunner/script_runner.py:936);"
        f"<module> (app.py:9);Page.run (streamlit/navigation/page.py:574);<module> ({page}:2);"
        "DataFrame.set_index (pandas/core/frame.py:6100) 5",
        f"thread (1): ScriptRunner.scriptThread;<module> (app.py:9);<module> ({page}:3);"
        "page_setup (lib/layout.py:88);wrapped_func (streamlit/runtime/metrics_util.py:732);"
        "ButtonMixin.button (streamlit/elements/widgets/button.py:400) 3",
        f"thread (1): ScriptRunner.scriptThread;<module> (app.py:9);<module> ({page}:4) 1",
        "thread (2): MainThread;_run_once (asyncio/base_events.py:1922);send (websockets/protocol.py:10) 2",
        "not a stack line",
    ])
    stacks = parse_collapsed(text)
    assert len(stacks) == 4
    by_app, other, total = attribute_to_app(stacks)
    assert total == 11
    (line2,) = [key for key in by_app if key.startswith(f"pages/{page}:2 ")]  # with the page's statement
    assert by_app[line2] == {"pandas": 5}
    assert by_app["page_setup (lib/layout.py)"] == {"streamlit": 3}
    assert other == {"main thread: websockets, send": 2}
    area, api, total = layers(stacks)
    assert area == {"pandas, called by the app directly": 5, "Streamlit, called by the app": 3,
                    "no app frame (Streamlit's runner, the event loop)": 2, "the app's own code": 1}
    assert api == {"st.button": 3}  # Streamlit's metrics wrapper looked through


def test_profile_origins():
    assert origin("/x/.venv/lib/python3.11/site-packages/streamlit/delta_generator.py") == "streamlit"
    assert origin("/x/.venv/lib/python3.11/site-packages/google/protobuf/message.py") == "protobuf"
    assert origin("~", "<built-in method gc.collect>") == "gc.collect"
    assert origin("/usr/lib/python3.11/threading.py") == "python stdlib"
