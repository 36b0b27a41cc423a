"""CI runs the benchmark in quick mode so that it keeps working; timings are reported, never asserted."""

import json
import subprocess
import sys

from conftest import ROOT


def test_quick_benchmark_runs_and_reports_every_section(tmp_path, vendored_assets):
    out = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    print(result.stdout)  # the figures, in the CI log
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results) >= {"build", "payload", "browser"}
    assert set(results["browser"]["time_to_map"]) == {"default", "overview", "kupiansk", "kursk"}
    for entry in results["browser"]["time_to_map"].values():
        assert entry["app"]["median"] > 0 and entry["standalone"]["median"] > 0 and entry["ratio"] > 0
        assert entry["ratio_to_floor"] > 0
    floor = results["browser"]["streamlit_floor"]
    assert floor["date_change"]["runs"] == results["browser"]["interaction"]["date_change"]["runs"] >= 3
    assert 0 < results["browser"]["interaction"]["date_change"]["median"] < 30  # seconds, from the page's clock
    assert set(results["browser"]["concurrency"]) == {"1", "5", "20"}
    assert results["payload"]["default_view_bytes"] > 10_000
    assert "time to map" in result.stdout
